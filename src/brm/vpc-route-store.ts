/**
 * MySQL persistence of the VPC route tables (migrations 1795900000000 and 1796300000000). Every
 * function writes through the caller's transaction (its EntityManager or its StatementPipeline): a
 * batch's table rows, change log, outbox rows and consumed offsets commit together or not at all.
 * Plain multi-row SQL, because a full table is a million rows and the ORM's per-entity path would
 * be the bottleneck.
 */
import type { EntityManager } from 'typeorm';
import type { AddressFamily } from '../common/events/bgp-events.js';
import type { RejectedRow, RouteChange, SessionRow, SessionStatus, TableChange, TableSnapshot } from './core/route-table.js';
import type { RouteState } from './core/stored-route.js';
import { sqlRows, type SqlValue } from '../common/database/sql-literal.js';
import { decodeChangeSegment, encodeChangeSegments } from './core/change-segment.js';
import type { StatementSink } from './statement-pipeline.js';
import type { AppliedPosition } from './core/partition-continuity.js';

/** Rows per INSERT/DELETE statement: well under max_allowed_packet with JSON attributes. */
const CHUNK = 1000;
/**
 * `vpc_routes` rows per INSERT: one statement for a step of BRM's batch (EVENTS_PER_STEP), a few
 * hundred KB, 2-3 MB for prefixes with many paths, under MariaDB's 16 MB max_allowed_packet.
 */
const ROUTE_ROWS_PER_INSERT = 2000;
/** -1 stands for "no ADD-PATH id" in the key columns. */
const NO_PATH_ID = -1;

const toPathId = (pathId: number | null): number => pathId ?? NO_PATH_ID;
/** A stored path id column as the API shows it: null for no ADD-PATH id. */
export const fromPathId = (stored: number | string): number | null => (Number(stored) === NO_PATH_ID ? null : Number(stored));

/** MariaDB reports JSON columns as text; MySQL's driver parses them. */
function json<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

/** `rows` in runs of at most `size` (one statement each). */
export function chunks<T>(rows: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let start = 0; start < rows.length; start += size) out.push(rows.slice(start, start + size));
  return out;
}

async function insertRows(
  sink: StatementSink,
  into: string,
  columns: readonly string[],
  rows: readonly SqlValue[][],
  perStatement = CHUNK,
): Promise<void> {
  for (const part of chunks(rows, perStatement)) await sink.query(`INSERT INTO ${into} (${columns.join(',')}) VALUES ${sqlRows(part)}`);
}

async function deletePrefixes(sink: StatementSink, from: string, vpcId: number, prefixes: readonly string[]): Promise<void> {
  for (const part of chunks(prefixes)) {
    await sink.query(`DELETE FROM ${from} WHERE hosted_vpc_id = ? AND prefix IN (${part.map(() => '?').join(',')})`, [vpcId, ...part]);
  }
}

/**
 * Locks the VPC's table row for this transaction and returns its revision; a table that does not
 * exist yet is created empty, judged under `configSignature` (the configuration it starts with).
 */
export async function lockRevision(manager: EntityManager, vpcId: number, configSignature: string): Promise<number> {
  // An upsert takes the row's exclusive lock at once; INSERT IGNORE would take a shared one, and two
  // instances both upgrading to FOR UPDATE would deadlock.
  await manager.query(
    'INSERT INTO vpc_route_tables (hosted_vpc_id, revision, config_signature) VALUES (?, 0, ?) ON DUPLICATE KEY UPDATE revision = revision',
    [vpcId, configSignature],
  );
  const rows: { revision: string | number }[] = await manager.query(
    'SELECT revision FROM vpc_route_tables WHERE hosted_vpc_id = ? FOR UPDATE',
    [vpcId],
  );
  return Number(rows[0]!.revision);
}

export async function loadSnapshot(manager: EntityManager, vpcId: number, revision: number): Promise<TableSnapshot> {
  const routes: { prefix: string; family: AddressFamily; state: RouteState; paths: unknown }[] = await manager.query(
    'SELECT prefix, family, state, paths FROM vpc_routes WHERE hosted_vpc_id = ?',
    [vpcId],
  );
  const rejected: {
    prefix: string;
    family: AddressFamily;
    session_id: number;
    path_id: string;
    reason: RejectedRow['reason'];
    detail: string;
    attributes: unknown;
    revision: string | number | null;
    rejected_at_ms: string | number | null;
  }[] = await manager.query(
    'SELECT prefix, family, session_id, path_id, reason, detail, attributes, revision, rejected_at_ms FROM vpc_rejected_routes WHERE hosted_vpc_id = ?',
    [vpcId],
  );
  const sessions: {
    session_id: number;
    phase: SessionRow['phase'];
    graceful_restart_negotiated: number | null;
    over_limit: number;
    stale: unknown;
    bmp_connection: string | null;
    bmp_session: unknown;
    last_up_down_ms: string | number | null;
  }[] = await manager.query(
    'SELECT session_id, phase, graceful_restart_negotiated, over_limit, stale, bmp_connection, bmp_session, last_up_down_ms FROM vpc_route_sessions WHERE hosted_vpc_id = ?',
    [vpcId],
  );
  return {
    vpcId,
    revision,
    // MySQL's driver hands JSON columns over parsed; the text is what the table compares.
    routes: routes.map((row) => ({ ...row, paths: typeof row.paths === 'string' ? row.paths : JSON.stringify(row.paths) })),
    rejected: rejected.map((row): RejectedRow => ({
      prefix: row.prefix,
      family: row.family,
      sessionId: row.session_id,
      pathId: fromPathId(row.path_id),
      reason: row.reason,
      detail: row.detail,
      attributes: json(row.attributes),
      revision: row.revision === null ? null : Number(row.revision),
      rejectedAt: row.rejected_at_ms === null ? null : Number(row.rejected_at_ms),
    })),
    sessions: sessions.map((row): SessionRow => ({
      sessionId: row.session_id,
      phase: row.phase,
      lastUpDownAt: row.last_up_down_ms === null ? null : Number(row.last_up_down_ms),
      gracefulRestartNegotiated: row.graceful_restart_negotiated === null ? null : row.graceful_restart_negotiated === 1,
      overLimit: row.over_limit === 1,
      stale: json(row.stale),
      reporter:
        row.bmp_connection === null || row.bmp_session === null ? null : { connection: row.bmp_connection, session: json(row.bmp_session) },
    })),
  };
}

/**
 * Writes what one step of a batch changed: the dirty prefixes' entries and the rejections of the
 * prefixes whose rejections changed (deleted and inserted again; prefixes new to the table have
 * no row to delete, which spares a full table's first load a million lookups) and the step's
 * change-log segments. Entries arrive in their stored form (core/stored-route.ts). The statements
 * go to `sink` (the transaction's StatementPipeline), whose flush() reports their outcome.
 */
export async function saveRouteChanges(
  sink: StatementSink,
  vpcId: number,
  dirty: Pick<TableSnapshot, 'revision' | 'routes' | 'rejected'>,
  prefixes: { dirty: readonly string[]; new: readonly string[]; rejected: readonly string[] },
  changes: readonly TableChange[],
): Promise<void> {
  const isNew = new Set(prefixes.new);
  const existing = prefixes.dirty.filter((prefix) => !isNew.has(prefix));
  await deletePrefixes(sink, 'vpc_routes', vpcId, existing);
  await deletePrefixes(sink, 'vpc_rejected_routes', vpcId, prefixes.rejected);
  const rejectionsChanged = new Set(prefixes.rejected);
  const revisionOf = new Map<string, number>();
  for (const change of changes) revisionOf.set(change.prefix, change.revision);
  await insertRows(
    sink,
    'vpc_rejected_routes',
    ['hosted_vpc_id', 'prefix', 'session_id', 'path_id', 'family', 'reason', 'detail', 'attributes', 'revision', 'rejected_at_ms'],
    dirty.rejected
      .filter((row) => rejectionsChanged.has(row.prefix))
      .map((row) => [
        vpcId,
        row.prefix,
        row.sessionId,
        toPathId(row.pathId),
        row.family,
        row.reason,
        row.detail.slice(0, 255),
        JSON.stringify(row.attributes),
        row.revision,
        row.rejectedAt !== null && Number.isFinite(row.rejectedAt) ? row.rejectedAt : null,
      ]),
  );
  for (const segment of encodeChangeSegments(changes)) {
    await sink.query('INSERT INTO vpc_route_change_segments (hosted_vpc_id, first_revision, last_revision, changes) VALUES (?, ?, ?, ?)', [
      vpcId,
      segment.firstRevision,
      segment.lastRevision,
      segment.changes,
    ]);
  }
  // Last: the step's largest statement, which MariaDB runs while the caller applies the next step.
  await insertRows(
    sink,
    'vpc_routes',
    ['hosted_vpc_id', 'prefix', 'family', 'state', 'revision', 'paths'],
    dirty.routes.map((route) => [
      vpcId,
      route.prefix,
      route.family,
      route.state,
      revisionOf.get(route.prefix) ?? dirty.revision,
      route.paths,
    ]),
    ROUTE_ROWS_PER_INSERT,
  );
}

/** Writes, once per batch after its steps, every session row of the table and its new revision. */
/** The table has been judged under this configuration (after a `reconfigure`). */
export async function saveConfigSignature(manager: EntityManager, vpcId: number, configSignature: string): Promise<void> {
  await manager.query('UPDATE vpc_route_tables SET config_signature = ? WHERE hosted_vpc_id = ?', [configSignature, vpcId]);
}

/** VPC id → the configuration signature its table was last judged under (null: never recorded). */
export async function storedConfigSignatures(manager: EntityManager): Promise<Map<number, string | null>> {
  const rows: { hosted_vpc_id: number; config_signature: string | null }[] = await manager.query(
    'SELECT hosted_vpc_id, config_signature FROM vpc_route_tables',
  );
  return new Map(rows.map((row) => [Number(row.hosted_vpc_id), row.config_signature]));
}

export async function saveTableState(sink: StatementSink, vpcId: number, sessions: readonly SessionRow[], revision: number): Promise<void> {
  await sink.query('DELETE FROM vpc_route_sessions WHERE hosted_vpc_id = ?', [vpcId]);
  await insertRows(
    sink,
    'vpc_route_sessions',
    [
      'hosted_vpc_id',
      'session_id',
      'phase',
      'graceful_restart_negotiated',
      'over_limit',
      'stale',
      'bmp_connection',
      'bmp_session',
      'last_up_down_ms',
    ],
    sessions.map((session) => [
      vpcId,
      session.sessionId,
      session.phase,
      session.gracefulRestartNegotiated,
      session.overLimit,
      JSON.stringify(session.stale),
      session.reporter?.connection ?? null,
      session.reporter ? JSON.stringify(session.reporter.session) : null,
      session.lastUpDownAt,
    ]),
  );
  await sink.query('UPDATE vpc_route_tables SET revision = ? WHERE hosted_vpc_id = ?', [revision, vpcId]);
}

/** Every stored session row's state without its stale paths, by VPC id (one query; for the session gauges). */
export async function storedSessionStatuses(manager: EntityManager): Promise<Map<number, SessionStatus[]>> {
  const rows: {
    hosted_vpc_id: number;
    session_id: number;
    phase: SessionRow['phase'];
    over_limit: number;
    bmp_connection: string | null;
    bmp_session: unknown;
  }[] = await manager.query(
    'SELECT hosted_vpc_id, session_id, phase, over_limit, bmp_connection, bmp_session FROM vpc_route_sessions ORDER BY hosted_vpc_id, session_id',
  );
  const byVpc = new Map<number, SessionStatus[]>();
  for (const row of rows) {
    const vpcId = Number(row.hosted_vpc_id);
    let list = byVpc.get(vpcId);
    if (!list) byVpc.set(vpcId, (list = []));
    list.push({
      sessionId: Number(row.session_id),
      phase: row.phase,
      overLimit: Number(row.over_limit) === 1,
      reporter:
        row.bmp_connection === null || row.bmp_session === null ? null : { connection: row.bmp_connection, session: json(row.bmp_session) },
    });
  }
  return byVpc;
}

/** Decoded change-log segments by `<vpc>|<first revision>`, for a reader that asks for several ranges of one segment. */
export type SegmentCache = Map<string, LoggedChange[]>;

/** Segments read per query while walking the log: a few MB at most. */
const SEGMENTS_PER_READ = 4;

export type LoggedChange = RouteChange & { recordedAt: Date };

/**
 * The VPC's changes with revisions `from`..`to`, in revision order, a segment at a time (so a
 * reader that stops early does not decode a million changes), each with when its segment was
 * written. The arrays may be shared with `cache`: read them, do not change them. Gaps are the
 * caller's to check where one matters.
 */
export async function* walkChangeLog(
  reader: StatementSink,
  vpcId: number,
  from: number,
  to: number,
  cache?: SegmentCache,
): AsyncGenerator<readonly LoggedChange[]> {
  let after = -1;
  for (;;) {
    const segments = (await reader.query(
      `SELECT first_revision, changes, created_at FROM vpc_route_change_segments
       WHERE hosted_vpc_id = ? AND last_revision >= ? AND first_revision <= ? AND first_revision > ? ORDER BY first_revision LIMIT ${SEGMENTS_PER_READ}`,
      [vpcId, from, to, after],
    )) as { first_revision: string | number; changes: Buffer; created_at: Date }[];
    for (const segment of segments) {
      const key = `${vpcId}|${segment.first_revision}`;
      let decoded = cache?.get(key);
      if (!decoded) {
        // Fresh objects of our own: the segment's time is set on them once, not copied per change.
        decoded = decodeChangeSegment(vpcId, segment.changes) as LoggedChange[];
        for (const change of decoded) change.recordedAt = segment.created_at;
        cache?.set(key, decoded);
      }
      const whole = decoded[0]!.revision >= from && decoded[decoded.length - 1]!.revision <= to;
      yield whole ? decoded : decoded.filter((change) => change.revision >= from && change.revision <= to);
    }
    if (segments.length < SEGMENTS_PER_READ) return;
    after = Number(segments[segments.length - 1]!.first_revision);
  }
}

/** The VPC's changes with revisions `from`..`to`, all at once. */
export async function changeLog(
  reader: StatementSink,
  vpcId: number,
  from: number,
  to: number,
  cache?: SegmentCache,
): Promise<LoggedChange[]> {
  const changes: LoggedChange[] = [];
  for await (const part of walkChangeLog(reader, vpcId, from, to, cache)) for (const change of part) changes.push(change);
  return changes;
}

/** The next offset of the partition that a committed transaction already applied, and the topic ID it counts in; null: none yet. */
export async function appliedOffset(
  manager: EntityManager,
  group: string,
  topic: string,
  partition: number,
): Promise<AppliedPosition | null> {
  const rows: { next_offset: string | number; topic_id: string | null }[] = await manager.query(
    'SELECT next_offset, topic_id FROM kafka_applied_offsets WHERE consumer_group = ? AND topic = ? AND partition_no = ?',
    [group, topic, partition],
  );
  return rows.length === 0 ? null : { nextOffset: BigInt(rows[0]!.next_offset), topicId: rows[0]!.topic_id };
}

export async function recordAppliedOffset(
  manager: EntityManager,
  group: string,
  topic: string,
  partition: number,
  /** A null topic ID (Kafka could not say) keeps the stored one. */
  position: AppliedPosition,
): Promise<void> {
  await manager.query(
    `INSERT INTO kafka_applied_offsets (consumer_group, topic, partition_no, topic_id, next_offset) VALUES (?, ?, ?, ?, ?)
     ON DUPLICATE KEY UPDATE next_offset = VALUES(next_offset), topic_id = COALESCE(VALUES(topic_id), topic_id)`,
    [group, topic, partition, position.topicId, position.nextOffset.toString()],
  );
}

/** VPCs holding a session with stale paths or not established: after a restart their graceful-restart timers are armed again. */
export async function vpcsWithSessionsNotEstablished(manager: EntityManager): Promise<number[]> {
  const rows: { hosted_vpc_id: number }[] = await manager.query(
    "SELECT DISTINCT hosted_vpc_id FROM vpc_route_sessions WHERE JSON_LENGTH(stale) > 0 OR phase <> 'established'",
  );
  return rows.map((row) => row.hosted_vpc_id);
}
