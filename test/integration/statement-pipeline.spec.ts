/**
 * The statement pipeline BRM writes a batch through, against the real MariaDB: statements run in
 * order inside the caller's transaction, and when one fails, above all when MariaDB answers a
 * deadlock by rolling the whole transaction back, nothing built behind it reaches the server
 * (it would otherwise run in autocommit mode and commit part of a batch).
 */
import { DataSource, type QueryRunner } from 'typeorm';
import { dataSourceOptions } from '../../src/common/database/data-source-options.js';
import { StatementPipeline } from '../../src/brm/statement-pipeline.js';
import { testConfig } from './support/environment.js';
import { until } from './support/until.js';

const PROBE = `pipeline_probe_${process.pid}`;
const ER_LOCK_DEADLOCK = 1213;
const ER_DUP_ENTRY = 1062;

describe('StatementPipeline on the real MariaDB', () => {
  let db: DataSource;

  const values = async (): Promise<Record<number, number>> => {
    const rows: { id: number; v: number }[] = await db.query(`SELECT id, v FROM ${PROBE} ORDER BY id`);
    return Object.fromEntries(rows.map((row) => [row.id, row.v]));
  };

  beforeAll(async () => {
    db = await new DataSource(dataSourceOptions(testConfig().database)).initialize();
    await db.query(`DROP TABLE IF EXISTS ${PROBE}`);
    await db.query(`CREATE TABLE ${PROBE} (id INT PRIMARY KEY, v INT NOT NULL) ENGINE=InnoDB`);
  });

  beforeEach(async () => {
    await db.query(`DELETE FROM ${PROBE}`);
    await db.query(`INSERT INTO ${PROBE} (id, v) VALUES (1, 0), (2, 0)`);
  });

  afterAll(async () => {
    await db.query(`DROP TABLE IF EXISTS ${PROBE}`);
    await db.destroy();
  });

  it('runs many statements in order inside the transaction and commits them together', async () => {
    await db.transaction(async (manager) => {
      const pipeline = await StatementPipeline.of(manager);
      for (let step = 1; step <= 20; step++) {
        // Each step depends on the previous one's result: out of order, the final values differ.
        await pipeline.query(`UPDATE ${PROBE} SET v = v * 2 + ? WHERE id = 1`, [step % 2]);
        await pipeline.query(`INSERT INTO ${PROBE} (id, v) SELECT ?, v FROM ${PROBE} WHERE id = 1`, [100 + step]);
      }
      await pipeline.flush();
    });
    const stored = await values();
    let expected = 0;
    for (let step = 1; step <= 20; step++) {
      expected = expected * 2 + (step % 2);
      expect(stored[100 + step]).toBe(expected);
    }
  });

  it('allSent: resolves once the last statement is on the server, before it has finished; reports an earlier failure', async () => {
    await db.transaction(async (manager) => {
      const pipeline = await StatementPipeline.of(manager);
      await pipeline.query(`UPDATE ${PROBE} SET v = 7 WHERE id = 1`);
      // Still running when allSent is called: the last statement is sent only after it.
      await pipeline.query('SELECT SLEEP(0.5)');
      await pipeline.query(`SELECT SLEEP(2), ${PROBE.length} AS probe`);
      await pipeline.allSent();
      // Seen from another connection: the last statement is running, so it was sent and is not finished.
      const running: unknown[] = await db.query(`SELECT ID FROM information_schema.PROCESSLIST WHERE INFO LIKE 'SELECT SLEEP(2), %'`);
      expect(running).toHaveLength(1);
      await pipeline.flush();
    });
    expect(await values()).toEqual({ 1: 7, 2: 0 });

    const failed = db.transaction(async (manager) => {
      const pipeline = await StatementPipeline.of(manager);
      await pipeline.query(`INSERT INTO ${PROBE} (id, v) VALUES (1, 0)`); // duplicate key
      await pipeline.query(`INSERT INTO ${PROBE} (id, v) VALUES (6, 0)`);
      await pipeline.allSent();
    });
    await expect(failed).rejects.toMatchObject({ errno: ER_DUP_ENTRY });
    expect(await values()).toEqual({ 1: 7, 2: 0 });
  });

  it('sends nothing after a failed statement and reports that failure', async () => {
    const attempt = db.transaction(async (manager) => {
      const pipeline = await StatementPipeline.of(manager);
      await pipeline.query(`INSERT INTO ${PROBE} (id, v) VALUES (3, 0)`);
      await pipeline.query(`INSERT INTO ${PROBE} (id, v) VALUES (1, 0)`); // duplicate key
      await pipeline.query(`INSERT INTO ${PROBE} (id, v) VALUES (4, 0)`);
      await pipeline.query(`INSERT INTO ${PROBE} (id, v) VALUES (5, 0)`);
      await pipeline.flush();
    });
    await expect(attempt).rejects.toMatchObject({ errno: ER_DUP_ENTRY });
    expect(await values()).toEqual({ 1: 0, 2: 0 });
  });

  it('after MariaDB rolls the transaction back on a deadlock, commits none of the statements queued behind', async () => {
    // The other transaction writes more rows, so InnoDB picks the pipeline's transaction as the victim.
    const other: QueryRunner = db.createQueryRunner();
    await other.connect();
    await other.startTransaction();
    try {
      const weight = Array.from({ length: 200 }, (_, index) => `(${1000 + index}, 0)`).join(',');
      await other.query(`INSERT INTO ${PROBE} (id, v) VALUES ${weight}`);
      await other.query(`SELECT v FROM ${PROBE} WHERE id = 2 FOR UPDATE`);

      const attempt = db.transaction(async (manager) => {
        await manager.query(`SELECT v FROM ${PROBE} WHERE id = 1 FOR UPDATE`);
        const pipeline = await StatementPipeline.of(manager);
        await pipeline.query(`UPDATE ${PROBE} SET v = 1 WHERE id = 2`); // waits for the other transaction
        await pipeline.query(`INSERT INTO ${PROBE} (id, v) VALUES (10, 1)`);
        await pipeline.query(`INSERT INTO ${PROBE} (id, v) VALUES (11, 1)`);
        await pipeline.flush();
      });
      attempt.catch(() => undefined);
      await until(
        'the pipelined UPDATE to wait for its lock',
        async () => {
          const waiting: unknown[] = await db.query(
            `SELECT ID FROM information_schema.PROCESSLIST WHERE INFO LIKE 'UPDATE ${PROBE} SET v = 1%'`,
          );
          return waiting.length > 0 ? true : undefined;
        },
        10000,
        20,
      );
      // Closes the cycle: InnoDB rolls back the lighter transaction, the pipeline's.
      await other.query(`SELECT v FROM ${PROBE} WHERE id = 1 FOR UPDATE`);
      await expect(attempt).rejects.toMatchObject({ errno: ER_LOCK_DEADLOCK });
      await other.commitTransaction();
    } finally {
      if (other.isTransactionActive) await other.rollbackTransaction();
      await other.release();
    }
    const stored = await values();
    expect(stored[10]).toBeUndefined();
    expect(stored[11]).toBeUndefined();
    expect(stored[2]).toBe(0);
    expect(stored[1000]).toBe(0); // the other transaction's rows did commit
  });
});
