import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG } from '../common/config/config.module.js';
import type { AppConfig } from '../common/config/config.js';
import { deleteAuditRecordsBefore } from '../common/audit/audit.js';

/** Rows per DELETE: short statements, so a first purge of a large backlog never holds locks for long. */
const ROWS_PER_DELETE = 5000;
const HOUR_MS = 3_600_000;
/** The first purge waits a little: start-up has more urgent work. */
const FIRST_PURGE_AFTER_MS = 60_000;

/**
 * Keeps the audit trail bounded (admin role): every hour, records older than
 * RB_AUDIT_RETENTION_DAYS are deleted, oldest first, in short statements. Several admin instances
 * may purge at once; each deletes what is still there.
 */
@Injectable()
export class AuditRetention implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('AuditRetention');
  private timer: NodeJS.Timeout | null = null;
  private current: Promise<number> | null = null;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    const { retentionDays } = this.config.audit;
    if (retentionDays === 0) {
      this.logger.log('audit records are kept for ever (RB_AUDIT_RETENTION_DAYS=0)');
      return;
    }
    this.logger.log(`audit records are kept ${retentionDays} days`);
    this.schedule(FIRST_PURGE_AFTER_MS);
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.current?.catch(() => undefined);
  }

  /** Deletes the records older than the retention at `now`; how many. Nothing when records are kept for ever. */
  purge(now = new Date()): Promise<number> {
    this.current ??= this.deleteOlderThan(now).finally(() => {
      this.current = null;
    });
    return this.current;
  }

  private schedule(afterMs: number): void {
    this.timer = setTimeout(() => {
      this.timer = null;
      this.purge()
        .catch((error: unknown) => this.logger.error(`audit purge failed, next try in an hour: ${(error as Error).message}`))
        .finally(() => this.schedule(HOUR_MS));
    }, afterMs);
    // A pending purge must not keep the process alive.
    this.timer.unref();
  }

  private async deleteOlderThan(now: Date): Promise<number> {
    const { retentionDays } = this.config.audit;
    if (retentionDays === 0) return 0;
    const cutoff = new Date(now.getTime() - retentionDays * 24 * HOUR_MS);
    let deleted = 0;
    for (;;) {
      const count = await deleteAuditRecordsBefore(this.dataSource.manager, cutoff, ROWS_PER_DELETE);
      deleted += count;
      if (count < ROWS_PER_DELETE) break;
    }
    if (deleted > 0)
      this.logger.log(`deleted ${deleted} audit records older than ${cutoff.toISOString()} (RB_AUDIT_RETENTION_DAYS=${retentionDays})`);
    return deleted;
  }
}
