/**
 * The audit trail (issue #22): every write through the API is recorded in audit_records with
 * who (the token's name and role), when, the request id and what changed (before/after, secrets
 * redacted). recordAudit is called with the write's own transaction, so a change is never stored
 * without its record, and a rolled-back change leaves none.
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
