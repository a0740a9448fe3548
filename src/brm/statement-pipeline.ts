/**
 * Statements sent on a transaction's own connection without waiting for each answer before
 * building the next one. A batch's writes are a few hundred multi-row statements; awaiting each
 * before escaping the next left this process and MariaDB idle half of the time.
 *
 * The statements are held here, not in the driver's queue: mysql2 starts its next queued command
 * as soon as one fails, and once MariaDB has rolled the whole transaction back (a deadlock,
 * error 1213) those statements would run in autocommit mode and commit half a batch. Here the
 * next statement is sent from the previous one's callback (as early as the driver would) and
 * never after a failure: what was built behind a failed statement is dropped unsent.
 */
import type { EntityManager } from 'typeorm';

/** What a sink of statements offers (an EntityManager or a pipeline on the transaction's connection). */
export interface StatementSink {
  /** Without parameters the SQL is sent as it is (no `?` is replaced). */
  query(sql: string, parameters?: readonly unknown[]): Promise<unknown>;
}

/** mysql2's callback-style connection, as TypeORM's MySQL query runner hands it out. */
interface RawConnection {
  query(sql: string, values: readonly unknown[] | undefined, callback: (error: Error | null) => void): void;
}

interface PendingStatement {
  sql: string;
  parameters: readonly unknown[] | undefined;
  resolve: () => void;
  reject: (error: Error) => void;
}

/** Statements built ahead of the answers: a few, so a whole batch's SQL text is not held at once. */
const PIPELINE_DEPTH = 3;

export class StatementPipeline implements StatementSink {
  /** Answers not yet awaited, oldest first (sent, or waiting to be sent). */
  private readonly unanswered: Promise<void>[] = [];
  /** Built and not yet sent, oldest first. */
  private readonly waiting: PendingStatement[] = [];
  private sending = false;
  private failure: Error | null = null;

  private constructor(private readonly connection: RawConnection) {}

  static async of(manager: EntityManager): Promise<StatementPipeline> {
    const runner = manager.queryRunner;
    if (!runner?.isTransactionActive) throw new Error('StatementPipeline needs the transaction’s own connection');
    const connection = await (runner as unknown as { connect(): Promise<RawConnection> }).connect();
    return new StatementPipeline(connection);
  }

  /** Resolves once the statement is queued; a failure of this or an earlier one surfaces here or in flush(). */
  async query(sql: string, parameters?: readonly unknown[]): Promise<void> {
    while (this.unanswered.length >= PIPELINE_DEPTH) await this.unanswered.shift();
    if (this.failure) throw this.failure;
    const answer = new Promise<void>((resolve, reject) => this.waiting.push({ sql, parameters, resolve, reject }));
    // Awaited later (here or in flush()); without this a failure would first be an unhandled rejection.
    answer.catch(() => undefined);
    this.unanswered.push(answer);
    if (!this.sending) this.sendNext();
  }

  /**
   * Resolves once every statement queued so far has been handed to the driver: the last one may
   * still be running. A caller with work of its own to do awaits this first, so MariaDB runs that
   * statement meanwhile instead of waiting for this thread to send it.
   */
  async allSent(): Promise<void> {
    while (this.waiting.length > 0 && this.unanswered.length > 0) await this.unanswered.shift();
    if (this.failure) throw this.failure;
  }

  async flush(): Promise<void> {
    while (this.unanswered.length > 0) await this.unanswered.shift();
    if (this.failure) throw this.failure;
  }

  private sendNext(): void {
    const statement = this.waiting.shift();
    if (!statement) {
      this.sending = false;
      return;
    }
    this.sending = true;
    this.connection.query(statement.sql, statement.parameters, (error) => {
      if (error) {
        this.failure = error;
        statement.reject(error);
        const dropped = new Error(`not sent: an earlier statement in this transaction failed (${error.message})`);
        for (const unsent of this.waiting.splice(0)) unsent.reject(dropped);
        this.sending = false;
        return;
      }
      statement.resolve();
      this.sendNext();
    });
  }
}
