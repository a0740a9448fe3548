import type { AddressFamily } from '../../../src/common/events/bgp-events.js';
import type { RouteEntry } from '../../../src/brm/core/route-table.js';
import { decodeChangeSegment } from '../../../src/brm/core/change-segment.js';
import { decodeStoredEntry } from '../../../src/brm/core/stored-route.js';
import { until } from './until.js';

/** A mysql2 connection or a TypeORM manager: whatever the test reads the database with. */
interface Queryable {
  query(sql: string, parameters: unknown[]): Promise<unknown>;
}

/** What BRM stored for a VPC, read straight from `vpc_routes` (prefix order): each route's state and entry. */
export async function storedRoutes(db: Queryable, vpcId: number): Promise<Map<string, { state: string; entry: RouteEntry }>> {
  const rows = (await db.query('SELECT prefix, family, state, paths FROM vpc_routes WHERE hosted_vpc_id = ? ORDER BY prefix', [vpcId])) as {
    prefix: string;
    family: AddressFamily;
    state: string;
    paths: unknown;
  }[];
  return new Map(rows.map((row) => [row.prefix, { state: row.state, entry: decodeStoredEntry(row.prefix, row.family, row.paths) }]));
}

/** Every revision in the VPC's change log, in the order the segments hold them (each segment checked against its first and last revision). */
export async function loggedRevisions(db: Queryable, vpcId: number): Promise<number[]> {
  const segments = (await db.query(
    'SELECT first_revision, last_revision, changes FROM vpc_route_change_segments WHERE hosted_vpc_id = ? ORDER BY first_revision',
    [vpcId],
  )) as { first_revision: string | number; last_revision: string | number; changes: Buffer }[];
  const revisions: number[] = [];
  for (const segment of segments) {
    const logged = decodeChangeSegment(vpcId, segment.changes).map((change) => change.revision);
    if (logged[0] !== Number(segment.first_revision) || logged[logged.length - 1] !== Number(segment.last_revision)) {
      throw new Error(
        `segment ${segment.first_revision}..${segment.last_revision} holds revisions ${logged[0]}..${logged[logged.length - 1]}`,
      );
    }
    revisions.push(...logged);
  }
  return revisions;
}

/** Waits until BRM's outbox relay has published every row. */
export async function outboxDrained(db: Queryable, timeoutMs = 90000): Promise<void> {
  await until(
    'the outbox empty',
    async () => {
      const rows = (await db.query('SELECT COUNT(*) AS n FROM outbox WHERE published_at IS NULL', [])) as { n: string | number }[];
      return Number(rows[0]!.n) === 0 ? true : undefined;
    },
    timeoutMs,
  );
}
