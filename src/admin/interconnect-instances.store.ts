/**
 * The SQL of interconnect instances (issue #24: persistence in adapters): the instances, their
 * member VPCs and the subscriptions that follow them. Each function runs on the manager it is
 * given: the caller's transaction for a change (locks last until it ends), the data source's
 * manager for a plain read.
 */
import type { EntityManager } from 'typeorm';

export interface StoredInstance {
  id: number;
  name: string;
  owner: string;
  createdAt: Date;
  updatedAt: Date;
}

interface InstanceRow {
  id: number;
  name: string;
  owner: string;
  created_at: Date;
  updated_at: Date;
}

function toInstance(row: InstanceRow): StoredInstance {
  return {
    id: Number(row.id),
    name: row.name,
    owner: row.owner,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  };
}

/** By id. */
export async function listInstances(manager: EntityManager, limit: number, offset: number): Promise<StoredInstance[]> {
  const rows = await manager.query<InstanceRow[]>(
    'SELECT id, name, owner, created_at, updated_at FROM interconnect_instances ORDER BY id LIMIT ? OFFSET ?',
    [limit, offset],
  );
  return rows.map(toInstance);
}

export async function instanceById(manager: EntityManager, id: number): Promise<StoredInstance | undefined> {
  const rows = await manager.query<InstanceRow[]>(
    'SELECT id, name, owner, created_at, updated_at FROM interconnect_instances WHERE id = ?',
    [id],
  );
  return rows.length === 0 ? undefined : toInstance(rows[0]!);
}

/** The new instance's id; a taken name fails with the driver's ER_DUP_ENTRY. */
export async function insertInstance(manager: EntityManager, instance: { name: string; owner: string }): Promise<number> {
  const result = await manager.query<{ insertId: number }>('INSERT INTO interconnect_instances (name, owner) VALUES (?, ?)', [
    instance.name,
    instance.owner,
  ]);
  return result.insertId;
}

/** Locks the instance's row (FOR UPDATE) for the rest of the transaction; false when there is none. */
export async function lockInstance(manager: EntityManager, id: number): Promise<boolean> {
  const rows = await manager.query<unknown[]>('SELECT id FROM interconnect_instances WHERE id = ? FOR UPDATE', [id]);
  return rows.length > 0;
}

/** Locks the instance's row like lockInstance and returns its owner; undefined when there is none. */
export async function lockInstanceOwner(manager: EntityManager, id: number): Promise<string | undefined> {
  const rows = await manager.query<{ id: number; owner: string }[]>(
    'SELECT id, owner FROM interconnect_instances WHERE id = ? FOR UPDATE',
    [id],
  );
  return rows[0]?.owner;
}

export async function touchInstance(manager: EntityManager, id: number): Promise<void> {
  await manager.query('UPDATE interconnect_instances SET updated_at = NOW(3) WHERE id = ?', [id]);
}

/** Whether a row was deleted; its members go with it (ON DELETE CASCADE). */
export async function deleteInstance(manager: EntityManager, id: number): Promise<boolean> {
  const result = await manager.query<{ affectedRows: number }>('DELETE FROM interconnect_instances WHERE id = ?', [id]);
  return result.affectedRows > 0;
}

/** The member VPCs' ids, ascending. */
export async function membersOf(manager: EntityManager, id: number): Promise<number[]> {
  const rows = await manager.query<{ hosted_vpc_id: number }[]>(
    'SELECT hosted_vpc_id FROM interconnect_instance_vpcs WHERE interconnect_instance_id = ? ORDER BY hosted_vpc_id',
    [id],
  );
  return rows.map((row) => Number(row.hosted_vpc_id));
}

/** Makes the instance's members exactly `vpcIds` (which may be empty). */
export async function replaceMembers(manager: EntityManager, id: number, vpcIds: readonly number[]): Promise<void> {
  await manager.query('DELETE FROM interconnect_instance_vpcs WHERE interconnect_instance_id = ?', [id]);
  // An INSERT needs at least one row.
  if (vpcIds.length === 0) return;
  await manager.query(
    `INSERT INTO interconnect_instance_vpcs (interconnect_instance_id, hosted_vpc_id) VALUES ${vpcIds.map(() => '(?, ?)').join(', ')}`,
    vpcIds.flatMap((vpcId) => [id, vpcId]),
  );
}

/** The ids of the subscriptions following the instance, in no particular order (for changes). */
export async function followersOf(manager: EntityManager, id: number): Promise<number[]> {
  const rows = await manager.query<{ id: number }[]>('SELECT id FROM hrm_subscriptions WHERE interconnect_instance_id = ?', [id]);
  return rows.map((row) => Number(row.id));
}

/** The ids of the subscriptions following the instance, ascending (for the API's view). */
export async function sortedFollowersOf(manager: EntityManager, id: number): Promise<number[]> {
  const rows = await manager.query<{ id: number }[]>('SELECT id FROM hrm_subscriptions WHERE interconnect_instance_id = ? ORDER BY id', [
    id,
  ]);
  return rows.map((row) => Number(row.id));
}

/** Owner by id of those of `vpcIds` (non-empty) that exist. */
export async function vpcOwners(manager: EntityManager, vpcIds: readonly number[]): Promise<Map<number, string>> {
  const rows = await manager.query<{ id: number; owner: string }[]>(
    `SELECT id, owner FROM hosted_vpcs WHERE id IN (${vpcIds.map(() => '?').join(',')})`,
    [...vpcIds],
  );
  return new Map(rows.map((row) => [Number(row.id), row.owner]));
}
