import fc from 'fast-check';
import { asPathLength, distinctNextHops, neighborAs, type PathState } from './best-path.js';
import { compilePlatformPolicy, compileSessionPolicy, compileVpcPolicy } from '../../common/policy/import-policy.js';
import { VpcRouteTable, type PathView, type RouteEntry, type TableConfig, type TableEvent } from './route-table.js';
import { decodeStoredEntry, decodeStoredPathRows, encodeStoredPaths } from './stored-route.js';

const v4 = 'ipv4-unicast' as const;

const pathView = fc
  .record({
    sessionId: fc.integer({ min: 1, max: 5 }),
    pathId: fc.option(fc.integer({ min: 0, max: 2 ** 32 - 1 })),
    tunnelId: fc.integer({ min: -1, max: 9 }),
    nextHop: fc.option(fc.oneof(fc.ipV4(), fc.ipV6())),
    origin: fc.constantFrom('igp' as const, 'egp' as const, 'incomplete' as const, null),
    asPath: fc.array(fc.oneof(fc.integer({ min: 1, max: 2 ** 32 - 1 }), fc.array(fc.integer({ min: 1, max: 65535 }), { minLength: 1 }))),
    med: fc.option(fc.integer({ min: 0, max: 2 ** 32 - 1 })),
    localPref: fc.option(fc.integer({ min: 0, max: 2 ** 32 - 1 })),
    stale: fc.boolean(),
    state: fc.constantFrom<PathState>('active', 'standby', 'stale'),
  })
  .map((path): PathView => ({ ...path, asPathLength: asPathLength(path.asPath), neighborAs: neighborAs(path.asPath) }));

const entry = fc.array(pathView, { minLength: 1, maxLength: 4 }).map((paths): RouteEntry => ({
  prefix: '11.0.0.0/24',
  family: v4,
  activeNextHops: distinctNextHops(paths.filter((path) => path.state === 'active')),
  paths,
}));

describe('stored route entries', () => {
  it('give back the entry they were made from, for any paths', () => {
    fc.assert(
      fc.property(entry, (original) => {
        expect(decodeStoredEntry(original.prefix, original.family, encodeStoredPaths(original))).toEqual(original);
      }),
    );
  });

  it('are several times smaller than the entry as JSON', () => {
    const original: RouteEntry = {
      prefix: '11.0.0.0/24',
      family: v4,
      activeNextHops: [{ tunnelId: 1, nextHop: '169.254.250.1', sessionId: 1 }],
      paths: [
        {
          sessionId: 1,
          pathId: null,
          tunnelId: 1,
          nextHop: '169.254.250.1',
          origin: 'igp',
          asPath: [65001, 48911, 9977],
          asPathLength: 3,
          neighborAs: 65001,
          med: null,
          localPref: null,
          stale: false,
          state: 'active',
        },
      ],
    };
    const stored = encodeStoredPaths(original);
    expect(stored).toBe('[[1,null,1,"169.254.250.1","igp",[65001,48911,9977],null,null,"active",0]]');
    expect(stored.length * 4).toBeLessThan(JSON.stringify(original).length);
  });

  it('keep the received LOCAL_PREF behind a session override, so a restored table has its paths as received', () => {
    // Session 1 overrides LOCAL_PREF to 300.
    const config: TableConfig = {
      vpcId: 7,
      vpcPolicy: compileVpcPolicy({ cidrs: ['10.1.0.0/16'] }),
      platformPolicy: compilePlatformPolicy(),
      sessions: [
        { sessionId: 1, tunnelId: 101, maxPrefix: null, gracefulRestartSeconds: 120, policy: compileSessionPolicy(), localPref: 300 },
        { sessionId: 2, tunnelId: 102, maxPrefix: null, gracefulRestartSeconds: 120, policy: compileSessionPolicy() },
      ],
    };
    const table = new VpcRouteTable(config, 0);
    const announce = (sessionId: number, localPref: number | null, pathId: number | null = null): TableEvent => ({
      kind: 'announce',
      at: 0,
      sessionId,
      family: v4,
      prefix: '11.0.0.0/24',
      pathId,
      attributes: { origin: 'igp', asPath: [65001], nextHop: `169.254.${sessionId}.1`, med: 5, localPref },
    });
    table.apply([announce(1, 120), announce(2, 150, 4), announce(2, null, 9)]);
    const [route] = table.snapshot().routes;
    const restored = VpcRouteTable.restore(config, table.snapshot());

    const rows = decodeStoredPathRows('11.0.0.0/24', v4, route!.paths);
    expect(rows.map((row) => [row.sessionId, row.pathId, row.attributes.localPref])).toEqual([
      [1, null, 120],
      [2, 4, 150],
      [2, 9, null],
    ]);
    // Session 1's override (300) is what the entry shows; 120 is what the PE sent.
    expect(decodeStoredEntry('11.0.0.0/24', v4, route!.paths).paths.map((path) => path.localPref)).toEqual([300, 150, null]);
    expect(table.entry('11.0.0.0/24')).toEqual(decodeStoredEntry('11.0.0.0/24', v4, route!.paths));
    // The restored table holds the paths as received: the PE dropping its LOCAL_PREF changes nothing it shows, but is stored.
    const dropped = restored.apply([announce(1, null)]);
    expect(dropped.changes).toEqual([]);
    expect(dropped.dirty.prefixes).toEqual(['11.0.0.0/24']);
    expect(decodeStoredPathRows('11.0.0.0/24', v4, restored.snapshot().routes[0]!.paths)[0]!.attributes.localPref).toBeNull();
  });

  it('refuse text that is not a list of path tuples, naming what they got', () => {
    expect(() => decodeStoredEntry('11.0.0.0/24', v4, '{"prefix":"11.0.0.0/24"}')).toThrow('stored paths are not an array');
    expect(() => decodeStoredEntry('11.0.0.0/24', v4, '[[1,null,1]]')).toThrow('stored path [1,null,1] is not');
    expect(() => decodeStoredEntry('11.0.0.0/24', v4, '[[1,null,1,null,"igp",[],null,null,"best",0]]')).toThrow('is not');
  });
});
