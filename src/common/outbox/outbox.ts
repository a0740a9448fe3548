/**
 * The transactional outbox's table (`outbox`, migration 1795900000000) and all its SQL: a feature
 * writes the events a change owes Kafka in the change's own transaction (`enqueueOutbox`), and the
 * relay (outbox-relay.ts) publishes them after commit, with the id they were committed with,
 * through the statements at the end of this file. BRM and the admin API both enqueue here.
 */
import type { EntityManager } from 'typeorm';
import { sqlRows } from '../database/sql-literal.js';

/** Rows per INSERT: well under max_allowed_packet even for large events. */
const ROWS_PER_INSERT = 1000;

export interface OutboxMessage {
  topic: string;
  key: string;
  /** The whole CloudEvent, so the relay publishes exactly what was committed (same id). */
  event: unknown;
}

export async function enqueueOutbox(manager: EntityManager, messages: readonly OutboxMessage[]): Promise<void> {
  for (let start = 0; start < messages.length; start += ROWS_PER_INSERT) {
    const rows = messages
      .slice(start, start + ROWS_PER_INSERT)
      .map((message) => [message.topic, message.key, JSON.stringify(message.event)]);
    await manager.query(`INSERT INTO outbox (topic,message_key,event) VALUES ${sqlRows(rows)}`);
  }
}

// --- the relay's side (outbox-relay.ts): one relay at a time, rows in id order ---------------

/** An outbox row not yet published, as the relay reads it. */
export interface UnpublishedOutboxRow {
  id: string;
  topic: string;
  message_key: string;
  /** The CloudEvent's JSON (MariaDB gives JSON columns as text, MySQL parsed). */
  event: unknown;
}

/**
 * Takes the relay's named lock on `manager`'s connection without waiting; false when another
 * connection holds it. The lock lives as long as that connection: `manager` must be a query
 * runner's, released with the runner.
 */
export async function tryOutboxRelayLock(manager: EntityManager, lock: string): Promise<boolean> {
  const rows = await manager.query<{ got: number | string | null }[]>('SELECT GET_LOCK(?, 0) AS got', [lock]);
  return Number(rows[0]!.got) === 1;
}

export async function releaseOutboxRelayLock(manager: EntityManager, lock: string): Promise<void> {
  await manager.query('SELECT RELEASE_LOCK(?)', [lock]);
}

/** The first `limit` unpublished rows, in the order they were committed. */
export function unpublishedOutboxRows(manager: EntityManager, limit: number): Promise<UnpublishedOutboxRow[]> {
  return manager.query<UnpublishedOutboxRow[]>(
    'SELECT id, topic, message_key, event FROM outbox WHERE published_at IS NULL ORDER BY id LIMIT ?',
    [limit],
  );
}

/** How many rows wait to be published (the backlog gauge). */
export async function unpublishedOutboxCount(manager: EntityManager): Promise<number> {
  const rows = await manager.query<{ n: string | number }[]>('SELECT COUNT(*) AS n FROM outbox WHERE published_at IS NULL');
  return Number(rows[0]!.n);
}

export async function markOutboxPublished(manager: EntityManager, ids: readonly string[]): Promise<void> {
  await manager.query(`UPDATE outbox SET published_at = NOW(3) WHERE id IN (${ids.map(() => '?').join(',')})`, [...ids]);
}

/** Deletes up to 10,000 rows published more than `keepHours` ago (the relay calls it after each drain). */
export async function purgePublishedOutbox(manager: EntityManager, keepHours: number): Promise<void> {
  await manager.query(
    `DELETE FROM outbox WHERE published_at IS NOT NULL AND published_at < NOW(3) - INTERVAL ${Math.trunc(keepHours)} HOUR LIMIT 10000`,
  );
}
