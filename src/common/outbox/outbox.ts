/**
 * The write side of the transactional outbox (table `outbox`, migration 1795900000000): a feature
 * writes the events a change owes Kafka in the change's own transaction, and the relay
 * (brm/outbox-relay.ts) publishes them after commit, with the id they were committed with. BRM and
 * the admin API both enqueue here; the relay stays in BRM for now because it expands BRM's compact
 * route-table notifications from BRM's change log before publishing them.
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
