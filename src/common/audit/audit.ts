/**
 * The audit trail (issue #22): every write through the API is recorded in audit_records with
 * who (the token's name and role), when, the request id and what changed (before/after, secrets
 * redacted). recordAudit is called with the write's own transaction, so a change is never stored
 * without its record, and a rolled-back change leaves none. This module holds all of the table's
 * SQL: recording, listing (GET /api/v1/audit) and deleting what is past retention.
 */
import type { EntityManager } from 'typeorm';

/** Who asked: the API token's name and role, and the HTTP request id (to find the logs). */
export interface Actor {
  name: string;
  role: string;
  requestId: string | null;
}

export interface AuditEntry {
  /** `<entity type>.<verb>`: `host.create`, `bgp-session.update`, `frr.apply`, `drift.check`, `subscription.resync`… */
  action: string;
  entityType: string;
  entityId: number | string | null;
  /** The object before the change (null for a create), as the API shows it or as stored. */
  before?: unknown;
  /** The object after the change (null for a delete). */
  after?: unknown;
}

export const REDACTED = '[redacted]';

/**
 * Field names whose values are secrets: passwords (md5Password), the subscriptions' signing
 * `secret`, tokens, private keys. Public keys (sshHostKey) and GRE keys (tunnelKey) are not.
 */
const SECRET_FIELD = /password|passphrase|secret|token|private_?key|api_?key/i;

/**
 * A copy of `value` with every secret field's value replaced by `[redacted]`, at any depth. An
 * absent secret (null, undefined, '') stays as it is: whether one is set is not a secret.
 */
export function redactFields(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactFields);
  if (value instanceof Date) return value.toISOString();
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, field]) => [
      key,
      SECRET_FIELD.test(key) && field !== null && field !== undefined && field !== '' ? REDACTED : redactFields(field),
    ]),
  );
}

/** Inserts the record with `manager`, the transaction of the change it describes. */
export async function recordAudit(manager: EntityManager, actor: Actor, entry: AuditEntry): Promise<void> {
  await manager.query(
    `INSERT INTO audit_records (recorded_at, actor, actor_role, request_id, action, entity_type, entity_id, before_state, after_state)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      // From here, not NOW(3): the driver writes and reads times as UTC, whatever the server's zone.
      new Date(),
      actor.name,
      actor.role,
      actor.requestId,
      entry.action,
      entry.entityType,
      entry.entityId === null ? null : String(entry.entityId),
      jsonOrNull(entry.before),
      jsonOrNull(entry.after),
    ],
  );
}

function jsonOrNull(value: unknown): string | null {
  return value === null || value === undefined ? null : JSON.stringify(redactFields(value));
}

/** What GET /api/v1/audit filters by; every field optional. `before` is an id (keyset paging). */
export interface AuditFilter {
  actor?: string;
  action?: string;
  entityType?: string;
  entityId?: string;
  since?: Date;
  until?: Date;
  before?: number;
  limit: number;
}

/** One record as the API shows it. */
export interface AuditRecordView {
  id: number;
  recordedAt: string;
  actor: string;
  role: string;
  requestId: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  before: unknown;
  after: unknown;
}

interface AuditRow {
  id: string | number;
  recorded_at: Date;
  actor: string;
  actor_role: string;
  request_id: string | null;
  action: string;
  entity_type: string;
  entity_id: string | null;
  before_state: unknown;
  after_state: unknown;
}

/** JSON columns come back as text from MariaDB, already parsed from MySQL. */
const jsonOf = (value: unknown): unknown => (typeof value === 'string' ? JSON.parse(value) : value);

/** Newest first (by id); each filter has an index ending in `id` (migration 1796900000000). */
export async function listAuditRecords(manager: EntityManager, filter: AuditFilter): Promise<AuditRecordView[]> {
  const conditions: string[] = [];
  const values: unknown[] = [];
  const where = (condition: string, value: unknown) => {
    conditions.push(condition);
    values.push(value);
  };
  if (filter.actor !== undefined) where('actor = ?', filter.actor);
  if (filter.action !== undefined) where('action = ?', filter.action);
  if (filter.entityType !== undefined) where('entity_type = ?', filter.entityType);
  if (filter.entityId !== undefined) where('entity_id = ?', filter.entityId);
  if (filter.since !== undefined) where('recorded_at >= ?', filter.since);
  if (filter.until !== undefined) where('recorded_at < ?', filter.until);
  if (filter.before !== undefined) where('id < ?', filter.before);
  const rows = await manager.query<AuditRow[]>(
    `SELECT id, recorded_at, actor, actor_role, request_id, action, entity_type, entity_id, before_state, after_state
       FROM audit_records ${conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : ''}
      ORDER BY id DESC LIMIT ?`,
    [...values, filter.limit],
  );
  return rows.map((row) => ({
    id: Number(row.id),
    recordedAt: new Date(row.recorded_at).toISOString(),
    actor: row.actor,
    role: row.actor_role,
    requestId: row.request_id,
    action: row.action,
    entityType: row.entity_type,
    entityId: row.entity_id,
    before: jsonOf(row.before_state),
    after: jsonOf(row.after_state),
  }));
}

/** Deletes at most `limit` of the oldest records recorded before `cutoff`; how many it deleted. */
export async function deleteAuditRecordsBefore(manager: EntityManager, cutoff: Date, limit: number): Promise<number> {
  const result = await manager.query<{ affectedRows: number }>(
    'DELETE FROM audit_records WHERE recorded_at < ? ORDER BY recorded_at LIMIT ?',
    [cutoff, limit],
  );
  return result.affectedRows;
}
