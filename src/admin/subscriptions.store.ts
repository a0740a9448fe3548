/**
 * The SQL of /api/v1/subscriptions (issue #24: persistence in adapters): the subscriptions
 * (hrm_subscriptions) and their delivery rows (hrm_deliveries, one per VPC, which HRM's own
 * store advances). Each function runs on the manager it is given: the caller's transaction for
 * a change (locks last until it ends), the data source's manager for a plain read.
 */
import type { EntityManager } from 'typeorm';

/** A subscription as stored, without its secret (never read back through the API). */
export interface StoredSubscription {
  id: number;
  name: string;
  region: string;
  callbackUrl: string;
  interconnectInstanceId: number | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface NewSubscription {
  name: string;
  region: string;
  callbackUrl: string;
  secret: string;
  interconnectInstanceId: number | null;
}

/** A delivery row with its VPC's current table revision. */
export interface StoredDelivery {
  subscriptionId: number;
  hostedVpcId: number;
  state: 'snapshot' | 'streaming';
  ackedRevision: number | null;
  /** null while the VPC has no route table yet. */
  tableRevision: number | null;
  resyncReason: string | null;
  consecutiveFailures: number;
  lastError: string | null;
  lastDeliveredAt: Date | null;
  snapshots: number;
}

interface SubscriptionRow {
  id: number;
  name: string;
  region: string;
  callback_url: string;
  interconnect_instance_id: number | null;
  created_at: Date;
  updated_at: Date;
}

interface DeliveryRow {
  subscription_id: number;
  hosted_vpc_id: number;
  state: 'snapshot' | 'streaming';
  acked_revision: string | number | null;
  table_revision: string | number | null;
  resync_reason: string | null;
  consecutive_failures: number;
  last_error: string | null;
  last_delivered_at: Date | null;
  snapshots: string | number;
}

function toSubscription(row: SubscriptionRow): StoredSubscription {
  return {
    id: Number(row.id),
    name: row.name,
    region: row.region,
    callbackUrl: row.callback_url,
    interconnectInstanceId: row.interconnect_instance_id === null ? null : Number(row.interconnect_instance_id),
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  };
}

function toDelivery(row: DeliveryRow): StoredDelivery {
  return {
    subscriptionId: Number(row.subscription_id),
    hostedVpcId: Number(row.hosted_vpc_id),
    state: row.state,
    ackedRevision: row.acked_revision === null ? null : Number(row.acked_revision),
    tableRevision: row.table_revision === null ? null : Number(row.table_revision),
    resyncReason: row.resync_reason,
    consecutiveFailures: Number(row.consecutive_failures),
    lastError: row.last_error,
    lastDeliveredAt: row.last_delivered_at === null ? null : new Date(row.last_delivered_at),
    snapshots: Number(row.snapshots),
  };
}

/** By id. */
export async function listSubscriptions(manager: EntityManager, limit: number, offset: number): Promise<StoredSubscription[]> {
  const rows = await manager.query<SubscriptionRow[]>(
    'SELECT id, name, region, callback_url, interconnect_instance_id, created_at, updated_at FROM hrm_subscriptions ORDER BY id LIMIT ? OFFSET ?',
    [limit, offset],
  );
  return rows.map(toSubscription);
}

export async function subscriptionById(manager: EntityManager, id: number): Promise<StoredSubscription | undefined> {
  const rows = await manager.query<SubscriptionRow[]>(
    'SELECT id, name, region, callback_url, interconnect_instance_id, created_at, updated_at FROM hrm_subscriptions WHERE id = ?',
    [id],
  );
  return rows.length === 0 ? undefined : toSubscription(rows[0]!);
}

/** Without a lock (see lockSubscription). */
export async function subscriptionExists(manager: EntityManager, id: number): Promise<boolean> {
  const rows = await manager.query<{ id: number }[]>('SELECT id FROM hrm_subscriptions WHERE id = ?', [id]);
  return rows.length > 0;
}

/** The delivery rows of the given subscriptions (`subscriptionIds` non-empty), by VPC id. */
export async function deliveriesOf(manager: EntityManager, subscriptionIds: readonly number[]): Promise<StoredDelivery[]> {
  const rows = await manager.query<DeliveryRow[]>(
    `SELECT d.subscription_id, d.hosted_vpc_id, d.state, d.acked_revision, t.revision AS table_revision, d.resync_reason,
              d.consecutive_failures, d.last_error, d.last_delivered_at, d.snapshots
       FROM hrm_deliveries d LEFT JOIN vpc_route_tables t ON t.hosted_vpc_id = d.hosted_vpc_id
       WHERE d.subscription_id IN (${subscriptionIds.map(() => '?').join(',')}) ORDER BY d.hosted_vpc_id`,
    [...subscriptionIds],
  );
  return rows.map(toDelivery);
}

/** The new subscription's id; a taken name fails with the driver's ER_DUP_ENTRY. */
export async function insertSubscription(manager: EntityManager, subscription: NewSubscription): Promise<number> {
  const result = await manager.query<{ insertId: number }>(
    'INSERT INTO hrm_subscriptions (name, region, callback_url, secret, interconnect_instance_id) VALUES (?, ?, ?, ?, ?)',
    [subscription.name, subscription.region, subscription.callbackUrl, subscription.secret, subscription.interconnectInstanceId],
  );
  return result.insertId;
}

/** Locks the subscription's row (FOR UPDATE) for the rest of the transaction; false when there is none. */
export async function lockSubscription(manager: EntityManager, id: number): Promise<boolean> {
  const rows = await manager.query<unknown[]>('SELECT id FROM hrm_subscriptions WHERE id = ? FOR UPDATE', [id]);
  return rows.length > 0;
}

/**
 * Locks the subscription's row like lockSubscription and returns the interconnect instance it
 * follows (null for none); undefined when there is no such subscription.
 */
export async function lockSubscriptionWithInstance(
  manager: EntityManager,
  id: number,
): Promise<{ interconnectInstanceId: number | null } | undefined> {
  const rows = await manager.query<{ interconnect_instance_id: number | null }[]>(
    'SELECT interconnect_instance_id FROM hrm_subscriptions WHERE id = ? FOR UPDATE',
    [id],
  );
  if (rows.length === 0) return undefined;
  const instance = rows[0]!.interconnect_instance_id;
  return { interconnectInstanceId: instance === null ? null : Number(instance) };
}

export async function setCallbackUrl(manager: EntityManager, id: number, callbackUrl: string): Promise<void> {
  await manager.query('UPDATE hrm_subscriptions SET callback_url = ? WHERE id = ?', [callbackUrl, id]);
}

export async function setSecret(manager: EntityManager, id: number, secret: string): Promise<void> {
  await manager.query('UPDATE hrm_subscriptions SET secret = ? WHERE id = ?', [secret, id]);
}

/** Explicitly: ON UPDATE CURRENT_TIMESTAMP fires only when a column of the row changes, and a change of deliveries changes none. */
export async function touchSubscription(manager: EntityManager, id: number): Promise<void> {
  await manager.query('UPDATE hrm_subscriptions SET updated_at = NOW(3) WHERE id = ?', [id]);
}

/** Whether a row was deleted; its delivery rows go with it (ON DELETE CASCADE). */
export async function deleteSubscription(manager: EntityManager, id: number): Promise<boolean> {
  const result = await manager.query<{ affectedRows: number }>('DELETE FROM hrm_subscriptions WHERE id = ?', [id]);
  return result.affectedRows > 0;
}

/** Puts every delivery of the subscription back to a snapshot; how many delivery rows it matched. */
export async function requestSnapshots(manager: EntityManager, subscriptionId: number): Promise<number> {
  const result = await manager.query<{ affectedRows: number }>(
    "UPDATE hrm_deliveries SET state = 'snapshot', resync_reason = 'an operator asked for a snapshot' WHERE subscription_id = ?",
    [subscriptionId],
  );
  return result.affectedRows;
}

/** Those of `vpcIds` (non-empty) that are hosted VPCs. */
export async function existingVpcIds(manager: EntityManager, vpcIds: readonly number[]): Promise<Set<number>> {
  const rows = await manager.query<{ id: number }[]>(`SELECT id FROM hosted_vpcs WHERE id IN (${vpcIds.map(() => '?').join(',')})`, [
    ...vpcIds,
  ]);
  return new Set(rows.map((row) => Number(row.id)));
}

/** The VPCs the subscription has a delivery row for, in no particular order. */
export async function deliveryVpcIdsOf(manager: EntityManager, subscriptionId: number): Promise<number[]> {
  const rows = await manager.query<{ hosted_vpc_id: number }[]>('SELECT hosted_vpc_id FROM hrm_deliveries WHERE subscription_id = ?', [
    subscriptionId,
  ]);
  return rows.map((row) => Number(row.hosted_vpc_id));
}

/** Deletes the subscription's delivery rows for `vpcIds` (non-empty). */
export async function deleteDeliveries(manager: EntityManager, subscriptionId: number, vpcIds: readonly number[]): Promise<void> {
  await manager.query(`DELETE FROM hrm_deliveries WHERE subscription_id = ? AND hosted_vpc_id IN (${vpcIds.map(() => '?').join(',')})`, [
    subscriptionId,
    ...vpcIds,
  ]);
}

/** New delivery rows for `vpcIds` (non-empty), each starting with a snapshot for `reason`. */
export async function insertDeliveries(
  manager: EntityManager,
  subscriptionId: number,
  vpcIds: readonly number[],
  reason: string,
): Promise<void> {
  await manager.query(
    `INSERT INTO hrm_deliveries (subscription_id, hosted_vpc_id, state, resync_reason) VALUES ${vpcIds.map(() => "(?, ?, 'snapshot', ?)").join(', ')}`,
    // resync_reason is a VARCHAR(255).
    vpcIds.flatMap((vpcId) => [subscriptionId, vpcId, reason.slice(0, 255)]),
  );
}
