/**
 * How a route entry is stored in `vpc_routes.paths` and in the change log's `before_paths` /
 * `after_paths`: a JSON array with one positional tuple per path, most preferred first.
 *
 *   [sessionId, pathId, tunnelId, nextHop, origin, asPath, med, localPref, state, stale(0|1), receivedLocalPref?]
 *
 * Prefix and family are columns of their own; the active next hops, AS path length and neighbour
 * AS are derived again when read. A full table is a million rows in the table and a million in the
 * change log, and MariaDB's insert rate falls with the bytes per row (about 90,000 rows/s at 100
 * bytes, 51,000 at the 339 bytes of the whole entry as JSON, on the project's machine), so the
 * stored form carries nothing that can be recomputed.
 *
 * `localPref` is the effective value (the session's override, else the received one). The
 * received value, which the table needs back when it is restored, follows as an eleventh element
 * only where it differs; the change log holds the same text, and its readers ignore that element.
 */
import type { AddressFamily } from '../../common/events/bgp-events.js';
import { asPathLength, distinctNextHops, neighborAs, type PathState } from './best-path.js';
import type { PathRow, PathView, RouteAttributes, RouteEntry } from './route-entry.js';

export type StoredPath = [
  sessionId: number,
  pathId: number | null,
  tunnelId: number,
  nextHop: string | null,
  origin: RouteAttributes['origin'],
  asPath: RouteAttributes['asPath'],
  med: number | null,
  localPref: number | null,
  state: PathState,
  stale: 0 | 1,
  receivedLocalPref?: number | null,
];

const STATES: ReadonlySet<string> = new Set<PathState>(['active', 'standby', 'stale']);

/** The stored text of an entry. `receivedLocalPref` gives a path's received LOCAL_PREF where it is kept (the table's own rows). */
export function encodeStoredPaths(entry: RouteEntry, receivedLocalPref?: (path: PathView) => number | null): string {
  return JSON.stringify(storedPathTuples(entry, receivedLocalPref));
}

/** The tuples themselves, for a container that is JSON as a whole (a change-log segment). */
export function storedPathTuples(entry: RouteEntry, receivedLocalPref?: (path: PathView) => number | null): StoredPath[] {
  return entry.paths.map((path): StoredPath => {
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
  });
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
      asPathLength: asPathLength(asPath),
      neighborAs: neighborAs(asPath),
      med,
      localPref,
      stale: stale === 1,
      state,
    }),
  );
  return { prefix, family, activeNextHops: distinctNextHops(paths.filter((path) => path.state === 'active')), paths };
}

/** The table's path rows (received attributes) behind a stored entry. */
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

export type RouteState = 'active' | 'stale' | 'standby';

/** What an entry is, for filtering: forwarding on fresh paths, forwarding on stale ones only, or not forwarding. */
export function routeState(entry: RouteEntry): RouteState {
  const active = entry.paths.filter((path) => path.state === 'active');
  if (active.length === 0) return 'standby';
  return active.every((path) => path.stale) ? 'stale' : 'active';
}
