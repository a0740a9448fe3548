/**
 * The SQL of the drift checks (issue #24: persistence in adapters) beyond the history entity's own
 * reads and saves: the lock that orders two checks of one host, and the count of drifted hosts.
 * Each function runs on the manager it is given: the caller's transaction for the lock (it lasts
 * until the transaction ends), the data source's manager for the count.
 */
import type { EntityManager } from 'typeorm';

/** Locks the host's row (FOR UPDATE) until the transaction ends. False when the host is gone. */
export async function lockHost(manager: EntityManager, hostId: number): Promise<boolean> {
  const locked = await manager.query<unknown[]>('SELECT id FROM hosts WHERE id = ? FOR UPDATE', [hostId]);
  return locked.length > 0;
}

/** Hosts whose latest history row says drifted (a failed check does not count). */
export async function countDriftedHosts(manager: EntityManager): Promise<number> {
  const rows = await manager.query<{ drifted: string | number }[]>(
    `SELECT COUNT(*) AS drifted FROM host_drift_reports r
       JOIN (SELECT MAX(id) AS id FROM host_drift_reports GROUP BY host_id) latest ON latest.id = r.id
      WHERE r.drifted = 1`,
  );
  // COUNT(*) is a BIGINT, which the driver may hand over as a string.
  return Number(rows[0]?.drifted ?? 0);
}
