/**
 * The SQL of the apply records (issue #24: persistence in adapters) beyond the entity's own
 * saves: closing the records a stopped instance left open. Each function runs on the manager it
 * is given.
 */
import type { EntityManager } from 'typeorm';

/**
 * Marks this instance's unfinished applies interrupted (finished now, with an error that says so
 * and points at the host's drift); the number of records marked.
 */
export async function markInterruptedApplies(manager: EntityManager, instanceId: string): Promise<number> {
  const result = await manager.query<{ affectedRows?: number }>(
    `UPDATE frr_applies SET result = 'interrupted', finished_at = NOW(3),
       error = CONCAT('route-broker instance ', instance_id, ' stopped during this apply; the host may hold part of it: check its drift (GET /api/v1/hosts/', host_id, '/drift)')
     WHERE result IS NULL AND instance_id = ?`,
    [instanceId],
  );
  return result.affectedRows ?? 0;
}
