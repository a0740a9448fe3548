/**
 * Best path for one prefix of one hosted VPC, over the candidate paths its sessions learned.
 *
 * Decision (RFC 4271 9.1.2.2 style: each step removes the less preferred candidates, so the result
 * does not depend on the order candidates arrive in):
 *   1. highest LOCAL_PREF (missing: `defaultLocalPref`, 100);
 *   2. shortest AS path (an AS_SET counts as 1, RFC 4271 9.1.2.2 (a));
 *   3. lowest ORIGIN (igp < egp < incomplete; missing counts as incomplete);
 *   4. lowest MED (missing counts as 0, RFC 4271 9.1.2.2 (c)), compared only between paths from the
 *      same neighbouring AS (the first AS of the path; a path starting with an AS_SET or empty has
 *      none and forms its own group). Each group keeps its lowest-MED paths, so paths from different
 *      neighbours survive together. `alwaysCompareMed` compares MED across all paths instead;
 *   5. fresh over stale (graceful-restart stale paths only win when nothing fresh is as good).
 * What survives is the equal-cost set. Up to `ecmpWidth` of it become active, chosen by a stable
 * tie-break (lowest session id, then path id, then tunnel id, then next hop), never by arrival
 * order; with width 1 this picks the lowest session id. The rest are standby (or stale).
 * Ranking the non-active paths repeats the same elimination on what is left.
 */

export type Origin = 'igp' | 'egp' | 'incomplete';

export interface Candidate {
  sessionId: number;
  /** ADD-PATH path id, null without ADD-PATH. */
  pathId: number | null;
  tunnelId: number;
  nextHop: string | null;
  localPref: number | null;
  asPathLength: number;
  /** First AS of the path (the neighbouring AS), null if none. */
  neighborAs: number | null;
  med: number | null;
  origin: Origin | null;
  stale: boolean;
}

export type PathState = 'active' | 'standby' | 'stale';

export interface BestPathOptions {
  /** Maximum active (ECMP) paths; 1 = no ECMP. */
  ecmpWidth: number;
  alwaysCompareMed: boolean;
  defaultLocalPref: number;
}

export const DEFAULT_BEST_PATH_OPTIONS: BestPathOptions = { ecmpWidth: 1, alwaysCompareMed: false, defaultLocalPref: 100 };

export interface NextHop {
  tunnelId: number;
  nextHop: string | null;
  sessionId: number;
}

export interface BestPathResult<C extends Candidate> {
  /** Active paths, in tie-break order. */
  active: C[];
  /** Forwarding next hops of the active paths (one per tunnel and next hop), in the same order. */
  activeNextHops: NextHop[];
  /** Non-active fresh paths, most preferred first. */
  standby: C[];
  /** Every candidate, most preferred first, with its state: active (even when stale: GR keeps forwarding), else stale or standby. */
  ranked: { candidate: C; state: PathState }[];
}

const ORIGIN_RANK: Record<Origin, number> = { igp: 0, egp: 1, incomplete: 2 };

/**
 * AS path length for the decision: every AS of a sequence counts 1 and a whole AS_SET (a nested
 * array in the event's flattened path) counts 1, so it is the number of top-level elements.
 */
export function asPathLength(asPath: readonly (number | readonly number[])[]): number {
  return asPath.length;
}

/** The neighbouring AS: the first AS of the path when it is a sequence member, else null. */
export function neighborAs(asPath: readonly (number | readonly number[])[]): number | null {
  const first = asPath[0];
  return typeof first === 'number' ? first : null;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Total, stable order among equal paths. */
export function tieBreak(a: Candidate, b: Candidate): number {
  return (
    a.sessionId - b.sessionId ||
    (a.pathId ?? -1) - (b.pathId ?? -1) ||
    a.tunnelId - b.tunnelId ||
    compareText(a.nextHop ?? '', b.nextHop ?? '') ||
    Number(a.stale) - Number(b.stale)
  );
}

function keepBest<C>(candidates: C[], score: (candidate: C) => number): C[] {
  let best = Infinity;
  for (const candidate of candidates) best = Math.min(best, score(candidate));
  return candidates.filter((candidate) => score(candidate) === best);
}

/** The equal-best subset of `candidates` (steps 1–5). */
export function equalBest<C extends Candidate>(candidates: readonly C[], options: BestPathOptions): C[] {
  let left = [...candidates];
  if (left.length <= 1) return left;
  left = keepBest(left, (c) => -(c.localPref ?? options.defaultLocalPref));
  left = keepBest(left, (c) => c.asPathLength);
  left = keepBest(left, (c) => ORIGIN_RANK[c.origin ?? 'incomplete']);
  if (options.alwaysCompareMed) {
    left = keepBest(left, (c) => c.med ?? 0);
  } else {
    const groups = new Map<number | null, C[]>();
    for (const candidate of left) groups.set(candidate.neighborAs, [...(groups.get(candidate.neighborAs) ?? []), candidate]);
    const kept = new Set<C>();
    for (const group of groups.values()) for (const candidate of keepBest(group, (c) => c.med ?? 0)) kept.add(candidate);
    left = left.filter((candidate) => kept.has(candidate));
  }
  left = keepBest(left, (c) => Number(c.stale));
  return left;
}

export function selectBestPath<C extends Candidate>(candidates: readonly C[], options: Partial<BestPathOptions> = {}): BestPathResult<C> {
  // Most prefixes have one path: the same result as below without its copies, sets and sorts.
  if (candidates.length === 1) {
    const only = candidates[0]!;
    return {
      active: [only],
      activeNextHops: [{ tunnelId: only.tunnelId, nextHop: only.nextHop, sessionId: only.sessionId }],
      standby: [],
      ranked: [{ candidate: only, state: 'active' }],
    };
  }
  const resolved = { ...DEFAULT_BEST_PATH_OPTIONS, ...options };
  const width = Math.max(1, Math.floor(resolved.ecmpWidth));
  // Rank in tiers of equal paths; the first tier's first `width` paths are active.
  const order: C[] = [];
  let remaining = [...candidates];
  let firstTier = 0;
  while (remaining.length > 0) {
    const tier = equalBest(remaining, resolved).sort(tieBreak);
    if (order.length === 0) firstTier = tier.length;
    order.push(...tier);
    const taken = new Set(tier);
    remaining = remaining.filter((candidate) => !taken.has(candidate));
  }
  const activeCount = Math.min(width, firstTier);
  const active = order.slice(0, activeCount);
  const ranked = order.map((candidate, index) => {
    const state: PathState = index < activeCount ? 'active' : candidate.stale ? 'stale' : 'standby';
    return { candidate, state };
  });
  return {
    active,
    activeNextHops: distinctNextHops(active),
    standby: ranked.filter((entry) => entry.state === 'standby').map((entry) => entry.candidate),
    ranked,
  };
}

/** The tunnels and next hops of the given (active) paths, one per tunnel and next hop, in the paths' order. */
export function distinctNextHops(paths: readonly Pick<NextHop, 'tunnelId' | 'nextHop' | 'sessionId'>[]): NextHop[] {
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
