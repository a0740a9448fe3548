/**
 * The SQL of the collector's heartbeat (issue #24: persistence in adapters): this run's row in
 * bmp_collectors, its last_seen_at on the database's clock. BRM's side of the table (declaring a
 * silent run lost) is src/brm/collector-loss-watch.ts. Each function runs on the manager it is given.
 */
import type { EntityManager } from 'typeorm';

/**
 * Moves the run's last_seen_at to now. False when no row matched: the run's first heartbeat, or
 * BRM declared the run lost (a lost run's heartbeat no longer counts); registerCollectorRun tells
 * them apart.
 */
export async function touchCollectorRun(manager: EntityManager, runId: string): Promise<boolean> {
  const beat = await manager.query<{ affectedRows: number }>(
    'UPDATE bmp_collectors SET last_seen_at = NOW(3) WHERE run_id = ? AND lost_at IS NULL',
    [runId],
  );
  return beat.affectedRows === 1;
}

/** Registers the run, started and seen now. False when its row is there already: the run was declared lost. */
export async function registerCollectorRun(manager: EntityManager, runId: string, instanceId: string): Promise<boolean> {
  const inserted = await manager.query<{ affectedRows: number }>(
    'INSERT IGNORE INTO bmp_collectors (run_id, instance_id, started_at, last_seen_at) VALUES (?, ?, NOW(3), NOW(3))',
    [runId, instanceId],
  );
  return inserted.affectedRows === 1;
}
