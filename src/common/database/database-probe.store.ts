/**
 * The readiness probe's round trip to the database (issue #24: persistence in adapters): the
 * smallest statement that proves a connection can be had and the server answers.
 */
import type { EntityManager } from 'typeorm';

/** Resolves once the database has answered; rejects when it cannot be reached. */
export async function probeDatabase(manager: EntityManager): Promise<void> {
  await manager.query('SELECT 1');
}
