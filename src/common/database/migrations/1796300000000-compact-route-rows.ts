import type { MigrationInterface, QueryRunner } from 'typeorm';
import {
  decodeChangeSegment,
  decodeStoredEntry,
  decodeStoredPathRows,
  encodeChangeSegments,
  encodeStoredPaths,
  MAX_SEGMENT_CHANGES,
  type AddressFamily,
  type ChangeAction,
  type ChangeCause,
  type Rejection,
  type RouteAttributes,
  type RouteEntry,
  type TableChange,
} from './frozen/1796300000000-route-codecs.js';

/** Rows converted per round trip. */
const CHUNK = 1000;

const parsed = <T>(value: unknown): T => (typeof value === 'string' ? JSON.parse(value) : value) as T;

interface OldChangeRow {
  hosted_vpc_id: number;
  revision: string | number;
  prefix: string;
  family: AddressFamily;
  action: ChangeAction;
  before_entry: unknown;
  after_entry: unknown;
  cause: unknown;
  rejection: unknown;
  created_at: Date;
}

/**
 * Issue #5, BRM throughput. MariaDB's insert rate falls with the rows and bytes written, and a new
 * route cost three rows of about 1,000 bytes in all (the entry as JSON, its path again, and a
 * change-log row with the entry once more). Now:
 * - `vpc_routes.paths` holds the compact path tuples of src/brm/core/stored-route.ts instead of the
 *   whole entry, and `vpc_route_paths` goes (its rows were the same paths again);
 * - the change log is `vpc_route_change_segments`: one row per run of revisions, the changes as
 *   compressed JSON (src/brm/core/change-segment.ts), instead of a row per change;
 * - a rejected route keeps the revision and time of the `reject` change that logged it (the admin
 *   API used to look them up in the change log by prefix).
 *
 * Rows are converted in place, both ways, with a frozen copy of those codecs
 * (frozen/1796300000000-route-codecs.ts): nothing here is imported from live code.
 */
export class CompactRouteRows1796300000000 implements MigrationInterface {
  name = 'CompactRouteRows1796300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE vpc_routes ADD COLUMN paths JSON NULL DEFAULT NULL AFTER revision');
    await forEachChunk(
      queryRunner,
      'SELECT hosted_vpc_id, prefix, family, entry FROM vpc_routes',
      async (rows: { hosted_vpc_id: number; prefix: string; family: AddressFamily; entry: unknown }[]) => {
        for (const row of rows) {
          const received = (await queryRunner.query(
            'SELECT session_id, path_id, attributes FROM vpc_route_paths WHERE hosted_vpc_id = ? AND prefix = ?',
            [row.hosted_vpc_id, row.prefix],
          )) as { session_id: number; path_id: string | number; attributes: unknown }[];
          const localPrefOf = new Map(
            received.map((path) => [`${path.session_id}|${Number(path.path_id)}`, parsed<RouteAttributes>(path.attributes).localPref]),
          );
          const stored = encodeStoredPaths(parsed<RouteEntry>(row.entry), (path) => {
            const key = `${path.sessionId}|${path.pathId ?? -1}`;
            return localPrefOf.has(key) ? localPrefOf.get(key)! : path.localPref;
          });
          await queryRunner.query('UPDATE vpc_routes SET paths = ? WHERE hosted_vpc_id = ? AND prefix = ?', [
            stored,
            row.hosted_vpc_id,
            row.prefix,
          ]);
        }
      },
    );
    await queryRunner.query('ALTER TABLE vpc_routes DROP COLUMN entry, MODIFY paths JSON NOT NULL');
    await queryRunner.query('DROP TABLE vpc_route_paths');

    await queryRunner.query(`CREATE TABLE vpc_route_change_segments (
      hosted_vpc_id INT UNSIGNED NOT NULL,
      first_revision BIGINT UNSIGNED NOT NULL,
      last_revision BIGINT UNSIGNED NOT NULL,
      changes LONGBLOB NOT NULL,
      created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
      PRIMARY KEY (hosted_vpc_id, first_revision),
      KEY ix_vpc_route_change_segments_last (hosted_vpc_id, last_revision),
      CONSTRAINT fk_vpc_route_change_segments_vpc FOREIGN KEY (hosted_vpc_id) REFERENCES hosted_vpcs (id) ON DELETE RESTRICT ON UPDATE RESTRICT
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`);
    await queryRunner.query(
      'ALTER TABLE vpc_rejected_routes ADD COLUMN revision BIGINT UNSIGNED NULL DEFAULT NULL, ADD COLUMN rejected_at_ms BIGINT NULL DEFAULT NULL',
    );

    // The old log, a VPC at a time in revision order, into segments; the latest `reject` of each
    // rejected path gives that row its revision and time.
    let pending: { vpcId: number; changes: TableChange[]; recordedAt: Date } | null = null;
    const lastReject = new Map<string, { vpcId: number; prefix: string; rejection: Rejection; revision: number; at: number }>();
    const flush = async () => {
      if (!pending) return;
      for (const segment of encodeChangeSegments(pending.changes)) {
        await queryRunner.query(
          'INSERT INTO vpc_route_change_segments (hosted_vpc_id, first_revision, last_revision, changes, created_at) VALUES (?, ?, ?, ?, ?)',
          [pending.vpcId, segment.firstRevision, segment.lastRevision, segment.changes, pending.recordedAt],
        );
      }
      pending = null;
    };
    await forEachChunk(
      queryRunner,
      'SELECT hosted_vpc_id, revision, prefix, family, action, before_entry, after_entry, cause, rejection, created_at FROM vpc_route_changes',
      async (rows: OldChangeRow[]) => {
        for (const row of rows) {
          if (pending && pending.vpcId !== row.hosted_vpc_id) await flush();
          const before = row.before_entry === null ? null : parsed<RouteEntry>(row.before_entry);
          const after = row.after_entry === null ? null : parsed<RouteEntry>(row.after_entry);
          const change: TableChange = {
            vpcId: row.hosted_vpc_id,
            revision: Number(row.revision),
            prefix: row.prefix,
            family: row.family,
            action: row.action,
            before,
            after,
            cause: parsed<ChangeCause>(row.cause),
            rejection: row.rejection === null ? null : parsed<Rejection>(row.rejection),
            storedBefore: before && encodeStoredPaths(before),
            storedAfter: after && encodeStoredPaths(after),
          };
          pending ??= { vpcId: row.hosted_vpc_id, changes: [], recordedAt: row.created_at };
          pending.changes.push(change);
          pending.recordedAt = row.created_at;
          if (pending.changes.length === MAX_SEGMENT_CHANGES) await flush();
          if (change.rejection) {
            const key = `${change.vpcId}|${change.prefix}|${change.rejection.sessionId}|${change.rejection.pathId ?? -1}`;
            lastReject.set(key, {
              vpcId: change.vpcId,
              prefix: change.prefix,
              rejection: change.rejection,
              revision: change.revision,
              at: change.cause.at,
            });
          }
        }
      },
    );
    await flush();
    for (const { vpcId, prefix, rejection, revision, at } of lastReject.values()) {
      await queryRunner.query(
        'UPDATE vpc_rejected_routes SET revision = ?, rejected_at_ms = ? WHERE hosted_vpc_id = ? AND prefix = ? AND session_id = ? AND path_id = ?',
        [revision, Number.isFinite(at) ? at : null, vpcId, prefix, rejection.sessionId, rejection.pathId ?? -1],
      );
    }
    await queryRunner.query('DROP TABLE vpc_route_changes');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const table = 'ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin';
    const vpc = (name: string) =>
      `CONSTRAINT fk_${name}_vpc FOREIGN KEY (hosted_vpc_id) REFERENCES hosted_vpcs (id) ON DELETE RESTRICT ON UPDATE RESTRICT`;
    await queryRunner.query(`CREATE TABLE vpc_route_changes (
      hosted_vpc_id INT UNSIGNED NOT NULL,
      revision BIGINT UNSIGNED NOT NULL,
      prefix VARCHAR(64) NOT NULL,
      family VARCHAR(16) NOT NULL,
      action VARCHAR(16) NOT NULL,
      before_entry JSON NULL DEFAULT NULL,
      after_entry JSON NULL DEFAULT NULL,
      cause JSON NOT NULL,
      rejection JSON NULL DEFAULT NULL,
      created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
      PRIMARY KEY (hosted_vpc_id, revision),
      KEY ix_vpc_route_changes_prefix (hosted_vpc_id, prefix, revision),
      ${vpc('vpc_route_changes')}
    ) ${table}`);
    await forEachChunk(
      queryRunner,
      'SELECT hosted_vpc_id, first_revision, changes, created_at FROM vpc_route_change_segments',
      async (rows: { hosted_vpc_id: number; first_revision: string | number; changes: Buffer; created_at: Date }[]) => {
        for (const row of rows) {
          for (const change of decodeChangeSegment(row.hosted_vpc_id, row.changes)) {
            await queryRunner.query(
              `INSERT INTO vpc_route_changes (hosted_vpc_id, revision, prefix, family, action, before_entry, after_entry, cause, rejection, created_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
              [
                row.hosted_vpc_id,
                change.revision,
                change.prefix,
                change.family,
                change.action,
                change.before && JSON.stringify(change.before),
                change.after && JSON.stringify(change.after),
                JSON.stringify(change.cause),
                change.rejection && JSON.stringify(change.rejection),
                row.created_at,
              ],
            );
          }
        }
      },
    );
    await queryRunner.query('DROP TABLE vpc_route_change_segments');
    await queryRunner.query('ALTER TABLE vpc_rejected_routes DROP COLUMN revision, DROP COLUMN rejected_at_ms');

    await queryRunner.query(`CREATE TABLE vpc_route_paths (
      hosted_vpc_id INT UNSIGNED NOT NULL,
      prefix VARCHAR(64) NOT NULL,
      session_id INT UNSIGNED NOT NULL,
      path_id BIGINT NOT NULL,
      family VARCHAR(16) NOT NULL,
      attributes JSON NOT NULL,
      PRIMARY KEY (hosted_vpc_id, prefix, session_id, path_id),
      KEY ix_vpc_route_paths_session (session_id),
      ${vpc('vpc_route_paths')}
    ) ${table}`);
    await queryRunner.query('ALTER TABLE vpc_routes ADD COLUMN entry JSON NULL DEFAULT NULL AFTER revision');
    await forEachChunk(
      queryRunner,
      'SELECT hosted_vpc_id, prefix, family, paths FROM vpc_routes',
      async (rows: { hosted_vpc_id: number; prefix: string; family: AddressFamily; paths: unknown }[]) => {
        for (const row of rows) {
          const entry = decodeStoredEntry(row.prefix, row.family, row.paths);
          await queryRunner.query('UPDATE vpc_routes SET entry = ? WHERE hosted_vpc_id = ? AND prefix = ?', [
            JSON.stringify(entry),
            row.hosted_vpc_id,
            row.prefix,
          ]);
          for (const path of decodeStoredPathRows(row.prefix, row.family, row.paths)) {
            await queryRunner.query(
              'INSERT INTO vpc_route_paths (hosted_vpc_id, prefix, session_id, path_id, family, attributes) VALUES (?, ?, ?, ?, ?, ?)',
              [row.hosted_vpc_id, row.prefix, path.sessionId, path.pathId ?? -1, row.family, JSON.stringify(path.attributes)],
            );
          }
        }
      },
    );
    await queryRunner.query('ALTER TABLE vpc_routes DROP COLUMN paths, MODIFY entry JSON NOT NULL');
  }
}

/** Runs `convert` on the rows of `select` (a whole table, in primary-key order), a chunk at a time. */
async function forEachChunk<Row>(queryRunner: QueryRunner, select: string, convert: (rows: Row[]) => Promise<void>): Promise<void> {
  for (let offset = 0; ; offset += CHUNK) {
    // The rows converted so far keep their place in key order, so OFFSET paging sees each row once.
    const rows = (await queryRunner.query(`${select} ORDER BY 1, 2 LIMIT ${CHUNK} OFFSET ${offset}`)) as Row[];
    if (rows.length === 0) return;
    await convert(rows);
  }
}
