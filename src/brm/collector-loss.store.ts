/**
 * The SQL of BRM's collector-loss watch (collector-loss-watch.ts): collector runs whose heartbeat
 * stopped (`bmp_collectors`, written by the collector's liveness service) and the sessions VPC
 * tables hold up through their BMP connections (`vpc_route_sessions`).
 */
import type { EntityManager } from 'typeorm';

/** A collector run that stopped writing its heartbeat, as `bmp_collectors` holds it. */
export interface SilentRun {
  run_id: string;
  instance_id: string;
  last_seen_at: Date | string;
}

/** A session a VPC table holds as up through one of a lost run's BMP connections. */
export interface HeldSession {
  hosted_vpc_id: number;
  session_id: number;
  bmp_connection: string;
  bmp_session: unknown;
}

/** One round trip that proves the database answers; `DO`, not a `SELECT`: an idle system reads nothing (hrm.spec counts SELECTs). */
export async function pingDatabase(manager: EntityManager): Promise<void> {
  await manager.query('DO 1');
}

/**
 * Marks every run silent for longer than `silentSeconds` as lost by `mark`; how many it marked.
 * One UPDATE that matches nothing while all is well (an idle system must not poll with reads).
 */
export async function markSilentRuns(manager: EntityManager, mark: string, silentSeconds: number): Promise<number> {
  const marked = await manager.query<{ affectedRows: number }>(
    'UPDATE bmp_collectors SET lost_at = NOW(3), lost_by = ? WHERE lost_at IS NULL AND last_seen_at < NOW(3) - INTERVAL ? SECOND',
    [mark, silentSeconds],
  );
  return marked.affectedRows;
}

/** The runs `markSilentRuns` marked with `mark`. */
export function runsMarkedBy(manager: EntityManager, mark: string): Promise<SilentRun[]> {
  return manager.query<SilentRun[]>('SELECT run_id, instance_id, last_seen_at FROM bmp_collectors WHERE lost_by = ?', [mark]);
}

/** The sessions VPC tables hold up (established or recovering) through a connection of `runId`. */
export function sessionsUpThrough(manager: EntityManager, runId: string): Promise<HeldSession[]> {
  // Connections are `<run>/<n>`: under the binary collation exactly the texts after `<run>/` and before `<run>0`.
  return manager.query<HeldSession[]>(
    `SELECT hosted_vpc_id, session_id, bmp_connection, bmp_session FROM vpc_route_sessions
      WHERE bmp_connection > CONCAT(?, '/') AND bmp_connection < CONCAT(?, '0') AND phase IN ('established', 'recovering')
      ORDER BY hosted_vpc_id, session_id`,
    [runId, runId],
  );
}

/** Deletes lost runs' rows older than `keepDays`. */
export async function purgeLostRuns(manager: EntityManager, keepDays: number): Promise<void> {
  await manager.query('DELETE FROM bmp_collectors WHERE lost_at < NOW(3) - INTERVAL ? DAY', [keepDays]);
}
