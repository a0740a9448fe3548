/**
 * Frozen copy of BRM's route and change-log codecs (src/brm/core/stored-route.ts, change-segment.ts
 * and the two AS-path helpers of best-path.ts) as migration 1796300000000 uses them: what it
 * writes and reads must stay what it was when it ran, whatever the live formats become.
 *
 * Never change this file and never import live code here; a new stored format gets a new
 * migration with its own copy. 1796300000000-route-codecs.spec.ts pins the output.
 *
 * Stored route (`vpc_routes.paths`, and before/after inside a change): a JSON array with one tuple
 * per path, most preferred first,
 *   [sessionId, pathId, tunnelId, nextHop, origin, asPath, med, localPref, state, stale(0|1), receivedLocalPref?]
 * with the received LOCAL_PREF as an eleventh element only where it differs from the effective one.
 *
 * Change-log segment (`vpc_route_change_segments.changes`): raw-deflated JSON, a list of
 *   [revision, prefix, family, action, before, after, [causeEvent, causeSessionId, causeAt], rejection]
 * with rejection as [sessionId, pathId, reason, detail] (or null).
 */
import { constants, deflateRawSync, inflateRawSync } from 'node:zlib';

export type AddressFamily = 'ipv4-unicast' | 'ipv6-unicast';
export type Origin = 'igp' | 'egp' | 'incomplete';
export type PathState = 'active' | 'standby' | 'stale';
export type ChangeAction = 'add' | 'update' | 'remove' | 'reject';
/** AS_SET members appear inside a nested array. */
export type AsPath = (number | number[])[];

export interface PathView {
  sessionId: number;
  pathId: number | null;
  tunnelId: number;
  nextHop: string | null;
  origin: Origin | null;
  asPath: AsPath;
  asPathLength: number;
  neighborAs: number | null;
  med: number | null;
  /** Effective: the session's override, else the received value. */
  localPref: number | null;
  stale: boolean;
  state: PathState;
}

export interface NextHop {
  tunnelId: number;
  nextHop: string | null;
  sessionId: number;
}

export interface RouteEntry {
  prefix: string;
  family: AddressFamily;
  activeNextHops: NextHop[];
  paths: PathView[];
}

/** A path's received attributes (the old `vpc_route_paths.attributes`). */
export interface RouteAttributes {
  origin: Origin | null;
  asPath: AsPath;
  nextHop: string | null;
  med: number | null;
  localPref: number | null;
}

export interface PathRow {
  prefix: string;
  family: AddressFamily;
  sessionId: number;
  pathId: number | null;
  attributes: RouteAttributes;
}

/** Event kinds and reject reasons are carried as text: the migration copies what the rows hold. */
export interface ChangeCause {
  event: string;
  sessionId: number | null;
  at: number;
}

export interface Rejection {
  sessionId: number;
  pathId: number | null;
  reason: string;
  detail: string;
}

export interface RouteChange {
  vpcId: number;
  revision: number;
  prefix: string;
  family: AddressFamily;
  action: ChangeAction;
  before: RouteEntry | null;
  after: RouteEntry | null;
  cause: ChangeCause;
  rejection: Rejection | null;
}

/** A change with `before` and `after` already in their stored text, which the segment is written around. */
export interface TableChange extends RouteChange {
  storedBefore: string | null;
  storedAfter: string | null;
}

export interface ChangeSegment {
  firstRevision: number;
  lastRevision: number;
  /** Deflated JSON. */
  changes: Buffer;
}

type StoredPath = [
  sessionId: number,
  pathId: number | null,
  tunnelId: number,
  nextHop: string | null,
  origin: Origin | null,
  asPath: AsPath,
  med: number | null,
  localPref: number | null,
  state: PathState,
  stale: 0 | 1,
  receivedLocalPref?: number | null,
];

type StoredChange = [
  revision: number,
  prefix: string,
  family: AddressFamily,
  action: ChangeAction,
  before: StoredPath[] | null,
  after: StoredPath[] | null,
  cause: [event: string, sessionId: number | null, at: number],
  rejection: [sessionId: number, pathId: number | null, reason: string, detail: string] | null,
];

/** Changes per segment. */
export const MAX_SEGMENT_CHANGES = 10_000;

const STATES: ReadonlySet<string> = new Set<PathState>(['active', 'standby', 'stale']);

/** The stored text of an entry. `receivedLocalPref` gives a path's received LOCAL_PREF where it is kept (the table's own rows). */
export function encodeStoredPaths(entry: RouteEntry, receivedLocalPref?: (path: PathView) => number | null): string {
  return JSON.stringify(
    entry.paths.map((path): StoredPath => {
      const tuple: StoredPath = [
        path.sessionId,
        path.pathId,
        path.tunnelId,
        path.nextHop,
        path.origin,
        path.asPath,
        path.med,
        path.localPref,
        path.state,
        path.stale ? 1 : 0,
      ];
      if (receivedLocalPref) {
        const received = receivedLocalPref(path);
        if (received !== path.localPref) tuple.push(received);
      }
      return tuple;
    }),
  );
}

function storedPaths(stored: unknown): StoredPath[] {
  const parsed: unknown = typeof stored === 'string' ? JSON.parse(stored) : stored;
  if (!Array.isArray(parsed)) throw new Error('stored paths are not an array');
  for (const tuple of parsed) {
    if (!Array.isArray(tuple) || tuple.length < 10 || typeof tuple[0] !== 'number' || !STATES.has(tuple[8] as string)) {
      throw new Error(
        `stored path ${JSON.stringify(tuple)} is not [sessionId, pathId, tunnelId, nextHop, origin, asPath, med, localPref, state, stale]`,
      );
    }
  }
  return parsed as StoredPath[];
}

/** Forwarding next hops of the active paths, one per tunnel and next hop, in path order. */
function distinctNextHops(paths: readonly PathView[]): NextHop[] {
  const hops: NextHop[] = [];
  const seen = new Set<string>();
  for (const path of paths) {
    const key = `${path.tunnelId}|${path.nextHop ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    hops.push({ tunnelId: path.tunnelId, nextHop: path.nextHop, sessionId: path.sessionId });
  }
  return hops;
}

/** The entry back from its stored text (a string, or the tuples already parsed). */
export function decodeStoredEntry(prefix: string, family: AddressFamily, stored: unknown): RouteEntry {
  const paths = storedPaths(stored).map(
    ([sessionId, pathId, tunnelId, nextHop, origin, asPath, med, localPref, state, stale]): PathView => ({
      sessionId,
      pathId,
      tunnelId,
      nextHop,
      origin,
      asPath,
      // An AS_SET counts 1; the neighbouring AS is the first AS when it is not in a set.
      asPathLength: asPath.length,
      neighborAs: typeof asPath[0] === 'number' ? asPath[0] : null,
      med,
      localPref,
      stale: stale === 1,
      state,
    }),
  );
  return { prefix, family, activeNextHops: distinctNextHops(paths.filter((path) => path.state === 'active')), paths };
}

/** The path rows (received attributes) behind a stored entry. */
export function decodeStoredPathRows(prefix: string, family: AddressFamily, stored: unknown): PathRow[] {
  return storedPaths(stored).map((tuple): PathRow => {
    const [sessionId, pathId, , nextHop, origin, asPath, med, localPref] = tuple;
    return {
      prefix,
      family,
      sessionId,
      pathId,
      attributes: { origin, asPath, nextHop, med, localPref: tuple.length > 10 ? (tuple[10] ?? null) : localPref },
    };
  });
}

/** Consecutive changes in segments of at most MAX_SEGMENT_CHANGES, the JSON written around the entries' stored text. */
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
