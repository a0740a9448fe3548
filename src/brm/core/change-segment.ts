/**
 * The change log is stored in segments: one row per run of consecutive revisions of a VPC (one
 * batch, at most MAX_SEGMENT_CHANGES changes), holding the changes as compressed JSON. A full
 * table's first load is a million changes; as a row each, the change log cost MariaDB more than
 * the table itself (about 50,000 rows/s against 170,000-210,000 changes/s in segments on the
 * project's machine). Readers ask for revision ranges (history, diff, as-of, the outbox relay),
 * which a segment's first and last revision answer.
 *
 * A change is the tuple
 *   [revision, prefix, family, action, before, after, [causeEvent, causeSessionId, causeAt], rejection]
 * with before/after as the path tuples of stored-route.ts (or null) and rejection as
 * [sessionId, pathId, reason, detail] (or null).
 */
import { deflateRawSync, inflateRawSync, constants } from 'node:zlib';
import type { AddressFamily } from '../../common/events/bgp-events.js';
import type { RejectReason } from './import-policy.js';
import type { ChangeAction, ChangeCause, RouteChange } from './route-table.js';
import { decodeStoredEntry, storedPathTuples, type StoredPath } from './stored-route.js';

/** Changes per segment: a batch is split so that one row stays far below max_allowed_packet (about 1 MB of JSON before compression). */
export const MAX_SEGMENT_CHANGES = 10_000;

type StoredChange = [
  revision: number,
  prefix: string,
  family: AddressFamily,
  action: ChangeAction,
  before: StoredPath[] | null,
  after: StoredPath[] | null,
  cause: [event: ChangeCause['event'], sessionId: number | null, at: number],
  rejection: [sessionId: number, pathId: number | null, reason: RejectReason, detail: string] | null,
];

export interface ChangeSegment {
  firstRevision: number;
  lastRevision: number;
  /** Deflated JSON. */
  changes: Buffer;
}

/** Consecutive changes (as a batch emits them) in segments of at most MAX_SEGMENT_CHANGES. */
export function encodeChangeSegments(changes: readonly RouteChange[]): ChangeSegment[] {
  const segments: ChangeSegment[] = [];
  for (let start = 0; start < changes.length; start += MAX_SEGMENT_CHANGES) {
    const part = changes.slice(start, start + MAX_SEGMENT_CHANGES);
    const stored = part.map((change): StoredChange => [
      change.revision,
      change.prefix,
      change.family,
      change.action,
      change.before && storedPathTuples(change.before),
      change.after && storedPathTuples(change.after),
      [change.cause.event, change.cause.sessionId, change.cause.at],
      change.rejection && [change.rejection.sessionId, change.rejection.pathId, change.rejection.reason, change.rejection.detail],
    ]);
    segments.push({
      firstRevision: part[0]!.revision,
      lastRevision: part[part.length - 1]!.revision,
      // Fastest level: compression is a third of the bytes at a few ms per 10,000 changes.
      changes: deflateRawSync(JSON.stringify(stored), { level: constants.Z_BEST_SPEED }),
    });
  }
  return segments;
}

/** A segment's changes, in revision order. */
export function decodeChangeSegment(vpcId: number, changes: Buffer): RouteChange[] {
  const stored = JSON.parse(inflateRawSync(changes).toString('utf8')) as unknown;
  if (!Array.isArray(stored)) throw new Error(`VPC ${vpcId}: a change-log segment does not hold a list of changes`);
  return (stored as StoredChange[]).map(([revision, prefix, family, action, before, after, [event, sessionId, at], rejection]) => ({
    vpcId,
    revision,
    prefix,
    family,
    action,
    before: before && decodeStoredEntry(prefix, family, before),
    after: after && decodeStoredEntry(prefix, family, after),
    cause: { event, sessionId, at },
    rejection: rejection && { sessionId: rejection[0], pathId: rejection[1], reason: rejection[2], detail: rejection[3] },
  }));
}
