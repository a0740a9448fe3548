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
 * with before/after as the path tuples of stored-route.ts (or null; the table's own stored text,
 * so a path may carry its received LOCAL_PREF as an eleventh element, which readers ignore) and
 * rejection as [sessionId, pathId, reason, detail] (or null).
 */
import { deflateRawSync, inflateRawSync, constants } from 'node:zlib';
import type { AddressFamily } from '../../common/events/bgp-events.js';
import type { RejectReason } from '../../common/policy/import-policy.js';
import type { ChangeAction, ChangeCause, RouteChange, TableChange } from './route-table.js';
import { decodeStoredEntry, type StoredPath } from './stored-route.js';

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

/**
 * Consecutive changes (as a batch emits them) in segments of at most MAX_SEGMENT_CHANGES. The
 * JSON is written around the entries' stored text, which the table already made for its own rows:
 * encoding the entries again was most of a full table's change-log cost.
 */
export function encodeChangeSegments(changes: readonly TableChange[]): ChangeSegment[] {
  const segments: ChangeSegment[] = [];
  for (let start = 0; start < changes.length; start += MAX_SEGMENT_CHANGES) {
    const end = Math.min(start + MAX_SEGMENT_CHANGES, changes.length);
    let json = '[';
    for (let index = start; index < end; index++) {
      const change = changes[index]!;
      const { cause, rejection } = change;
      if (index > start) json += ',';
      json +=
        `[${jsonNumber(change.revision)},${JSON.stringify(change.prefix)},${JSON.stringify(change.family)},${JSON.stringify(change.action)},` +
        `${change.storedBefore ?? 'null'},${change.storedAfter ?? 'null'},` +
        `[${JSON.stringify(cause.event)},${jsonNumber(cause.sessionId)},${jsonNumber(cause.at)}],` +
        `${rejection ? JSON.stringify([rejection.sessionId, rejection.pathId, rejection.reason, rejection.detail]) : 'null'}]`;
    }
    segments.push({
      firstRevision: changes[start]!.revision,
      lastRevision: changes[end - 1]!.revision,
      // Fastest level: compression is a third of the bytes at a few ms per 10,000 changes.
      changes: deflateRawSync(`${json}]`, { level: constants.Z_BEST_SPEED }),
    });
  }
  return segments;
}

/** As JSON.stringify writes a number (null for NaN and infinities). */
function jsonNumber(value: number | null): string {
  return value !== null && Number.isFinite(value) ? String(value) : 'null';
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
