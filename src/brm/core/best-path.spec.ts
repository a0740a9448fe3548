import fc from 'fast-check';
import { asPathLength, neighborAs, selectBestPath, type BestPathOptions, type Candidate } from './best-path.js';

/** A path that ties with every other `path()` unless told otherwise. */
function path(sessionId: number, overrides: Partial<Candidate> = {}): Candidate {
  return {
    sessionId,
    pathId: null,
    tunnelId: sessionId * 10,
    nextHop: `169.254.${sessionId}.1`,
    localPref: null,
    asPathLength: 2,
    neighborAs: 65001,
    med: null,
    origin: 'igp',
    stale: false,
    ...overrides,
  };
}

const winner = (candidates: Candidate[], options: Partial<BestPathOptions> = {}) =>
  selectBestPath(candidates, options).active.map((c) => c.sessionId);

describe('selectBestPath: decision order', () => {
  it('prefers the highest local-pref, a missing one counting as 100', () => {
    expect(winner([path(1, { localPref: 100, asPathLength: 1 }), path(2, { localPref: 200, asPathLength: 5 })])).toEqual([2]);
    expect(winner([path(1, { localPref: 99, asPathLength: 1 }), path(2, { asPathLength: 5 })])).toEqual([2]);
    expect(winner([path(1, { localPref: 101, asPathLength: 5 }), path(2, { asPathLength: 1 })])).toEqual([1]);
    expect(winner([path(1, { asPathLength: 5 }), path(2, { localPref: 150, asPathLength: 5 })], { defaultLocalPref: 200 })).toEqual([1]);
  });

  it('then the shorter AS path, an AS_SET counting as one', () => {
    expect(winner([path(1, { asPathLength: 3, origin: 'igp' }), path(2, { asPathLength: 2, origin: 'incomplete' })])).toEqual([2]);
    expect(asPathLength([65001, 65002, 65003])).toBe(3);
    expect(asPathLength([65001, [65010, 65011, 65012, 65013]])).toBe(2);
    expect(asPathLength([])).toBe(0);
    const withSet = path(1, { asPathLength: asPathLength([65001, [65010, 65011, 65012]]) });
    const sequence = path(2, { asPathLength: asPathLength([65001, 65010, 65011]) });
    expect(winner([sequence, withSet])).toEqual([1]);
  });

  it('then the lower origin: igp < egp < incomplete, missing as incomplete', () => {
    expect(winner([path(1, { origin: 'egp', med: 0 }), path(2, { origin: 'igp', med: 500 })])).toEqual([2]);
    expect(winner([path(1, { origin: 'incomplete' }), path(2, { origin: 'egp', med: 500 })])).toEqual([2]);
    expect(winner([path(1, { origin: null }), path(2, { origin: 'incomplete' })], { ecmpWidth: 4 })).toEqual([1, 2]);
  });

  it('then the lower MED between paths of the same neighbouring AS, a missing MED counting as 0', () => {
    expect(winner([path(1, { med: 20 }), path(2, { med: 10 })])).toEqual([2]);
    expect(winner([path(1, { med: 20 }), path(2, { med: null })])).toEqual([2]);
  });

  it('does not compare MED between different neighbouring ASes unless alwaysCompareMed', () => {
    const a = path(1, { neighborAs: 65001, med: 50 });
    const b = path(2, { neighborAs: 65002, med: 10 });
    // Not comparable: both survive, the stable tie-break picks the lowest session id.
    expect(winner([a, b])).toEqual([1]);
    expect(winner([a, b], { ecmpWidth: 2 })).toEqual([1, 2]);
    expect(winner([a, b], { alwaysCompareMed: true })).toEqual([2]);
    // Within each neighbour AS the lower MED still wins: 3 loses to 1, 4 loses to 2.
    const c = path(3, { neighborAs: 65001, med: 60 });
    const d = path(4, { neighborAs: 65002, med: 11 });
    const result = selectBestPath([d, c, b, a], { ecmpWidth: 4 });
    expect(result.active.map((x) => x.sessionId)).toEqual([1, 2]);
    expect(result.standby.map((x) => x.sessionId)).toEqual([3, 4]);
    // A path starting with an AS_SET has no neighbouring AS and is its own group.
    expect(neighborAs([[65001, 65002], 65003])).toBeNull();
    expect(neighborAs([65009, 65003])).toBe(65009);
    expect(winner([path(1, { neighborAs: null, med: 99 }), path(2, { neighborAs: null, med: 1 })])).toEqual([2]);
  });

  it('then fresh over stale; a stale path still wins on a better earlier attribute and stays active', () => {
    expect(winner([path(1, { stale: true }), path(2)])).toEqual([2]);
    const staleButBetter = selectBestPath([path(1, { stale: true, localPref: 200 }), path(2)]);
    expect(staleButBetter.ranked.map(({ candidate, state }) => [candidate.sessionId, state])).toEqual([
      [1, 'active'],
      [2, 'standby'],
    ]);
    const loser = selectBestPath([path(1, { stale: true }), path(2)]);
    expect(loser.ranked.map(({ candidate, state }) => [candidate.sessionId, state])).toEqual([
      [2, 'active'],
      [1, 'stale'],
    ]);
    expect(loser.standby).toEqual([]);
  });
});

describe('selectBestPath: ECMP and tie-break', () => {
  const equal = [path(7), path(3), path(5), path(1), path(9)];

  it.each([
    [1, [1], [3, 5, 7, 9]],
    [2, [1, 3], [5, 7, 9]],
    [4, [1, 3, 5, 7], [9]],
    [8, [1, 3, 5, 7, 9], []],
  ])('width %i: active %j, the rest standby %j', (ecmpWidth, active, standby) => {
    const result = selectBestPath(equal, { ecmpWidth });
    expect(result.active.map((c) => c.sessionId)).toEqual(active);
    expect(result.standby.map((c) => c.sessionId)).toEqual(standby);
    expect(result.activeNextHops).toEqual(active.map((id) => ({ sessionId: id, tunnelId: id * 10, nextHop: `169.254.${id}.1` })));
  });

  it('never spreads ECMP over unequal paths', () => {
    const result = selectBestPath([path(1, { med: 5 }), path(2), path(3, { asPathLength: 3 })], { ecmpWidth: 4 });
    expect(result.active.map((c) => c.sessionId)).toEqual([2]);
    expect(result.ranked.map(({ candidate, state }) => [candidate.sessionId, state])).toEqual([
      [2, 'active'],
      [1, 'standby'],
      [3, 'standby'],
    ]);
  });

  it('breaks ties by path id after session id, and lists one next hop per tunnel and address', () => {
    const result = selectBestPath([path(1, { pathId: 2 }), path(1, { pathId: 1 }), path(2)], { ecmpWidth: 3 });
    expect(result.active.map((c) => [c.sessionId, c.pathId])).toEqual([
      [1, 1],
      [1, 2],
      [2, null],
    ]);
    expect(result.activeNextHops).toEqual([
      { sessionId: 1, tunnelId: 10, nextHop: '169.254.1.1' },
      { sessionId: 2, tunnelId: 20, nextHop: '169.254.2.1' },
    ]);
  });

  it('handles no candidates and a single one', () => {
    expect(selectBestPath([])).toEqual({ active: [], activeNextHops: [], standby: [], ranked: [] });
    expect(winner([path(4, { stale: true })])).toEqual([4]);
  });

  it('gives a single candidate the result the general decision gives it (the shortcut for one path)', () => {
    for (const only of [path(4, { stale: true }), path(2, { pathId: 7, nextHop: null, localPref: 50 }), path(3, { med: 10 })]) {
      // The general path ranks a lone candidate next to a twin it then drops: compare with a second, worse candidate.
      const withWorse = selectBestPath([only, path(9, { localPref: 1, asPathLength: 9, stale: true })], { ecmpWidth: 1 });
      expect(selectBestPath([only], { ecmpWidth: 4 })).toEqual({
        active: withWorse.active,
        activeNextHops: withWorse.activeNextHops,
        standby: [],
        ranked: withWorse.ranked.slice(0, 1),
      });
    }
  });

  it('gives the same result whatever order the candidates arrive in (random paths, width 1, 2 and 4)', () => {
    const candidate = fc.record({
      sessionId: fc.integer({ min: 1, max: 6 }),
      pathId: fc.option(fc.integer({ min: 1, max: 3 })),
      localPref: fc.option(fc.constantFrom(90, 100, 200)),
      asPathLength: fc.integer({ min: 1, max: 3 }),
      neighborAs: fc.option(fc.constantFrom(65001, 65002)),
      med: fc.option(fc.constantFrom(0, 10, 20)),
      origin: fc.option(fc.constantFrom('igp' as const, 'egp' as const, 'incomplete' as const)),
      stale: fc.boolean(),
    });
    const unique = fc.uniqueArray(candidate, { minLength: 1, maxLength: 8, selector: (c) => `${c.sessionId}#${c.pathId}` });
    fc.assert(
      fc.property(
        unique.chain((candidates) => fc.tuple(fc.constant(candidates), fc.shuffledSubarray(candidates, { minLength: candidates.length }))),
        fc.constantFrom(1, 2, 4),
        fc.boolean(),
        ([ordered, shuffled], ecmpWidth, alwaysCompareMed) => {
          const build = (c: (typeof ordered)[number]) => path(c.sessionId, { ...c, tunnelId: c.sessionId * 10 });
          const options = { ecmpWidth, alwaysCompareMed };
          const a = selectBestPath(ordered.map(build), options);
          const b = selectBestPath(shuffled.map(build), options);
          expect(b).toEqual(a);
          expect(a.active.length).toBeGreaterThanOrEqual(1);
          expect(a.active.length).toBeLessThanOrEqual(ecmpWidth);
          // Every candidate gets exactly one state, and width 1 picks the lowest session among the equal best.
          expect(a.ranked).toHaveLength(ordered.length);
          const tier = selectBestPath(shuffled.map(build), { ...options, ecmpWidth: 100 }).active;
          expect(a.active).toEqual(tier.slice(0, ecmpWidth));
          expect(a.active[0]!.sessionId).toBe(Math.min(...tier.map((c) => c.sessionId)));
        },
      ),
      { numRuns: 500 },
    );
  });
});
