/**
 * Pins the frozen codecs of migration 1796300000000 to golden values, made once with the live
 * codecs of src/brm/core (stored-route.ts, change-segment.ts) as they were when the copy was
 * taken. Nothing here imports live code: a later change of the live formats must not move these.
 *
 * Segments are pinned by their inflated JSON, not their deflated bytes: Node's zlib may compress
 * the same text differently across versions and CPUs, and every inflater reads any of them.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import ts from 'typescript';
import {
  decodeChangeSegment,
  decodeStoredEntry,
  decodeStoredPathRows,
  encodeChangeSegments,
  encodeStoredPaths,
  MAX_SEGMENT_CHANGES,
  type PathView,
  type RouteChange,
  type RouteEntry,
  type TableChange,
} from './1796300000000-route-codecs.js';

const IPV4: RouteEntry = {
  prefix: '10.20.0.0/16',
  family: 'ipv4-unicast',
  activeNextHops: [
    { tunnelId: 11, nextHop: '169.254.11.1', sessionId: 3 },
    { tunnelId: 12, nextHop: '169.254.12.1', sessionId: 4 },
  ],
  paths: [
    {
      sessionId: 3,
      pathId: 7,
      tunnelId: 11,
      nextHop: '169.254.11.1',
      origin: 'igp',
      asPath: [65001, 65002],
      asPathLength: 2,
      neighborAs: 65001,
      med: 10,
      localPref: 200,
      stale: false,
      state: 'active',
    },
    // Same tunnel and next hop as the first: one forwarding next hop for both.
    {
      sessionId: 3,
      pathId: 9,
      tunnelId: 11,
      nextHop: '169.254.11.1',
      origin: 'igp',
      asPath: [65001, [64512, 64513]],
      asPathLength: 2,
      neighborAs: 65001,
      med: 10,
      localPref: 200,
      stale: true,
      state: 'active',
    },
    {
      sessionId: 4,
      pathId: null,
      tunnelId: 12,
      nextHop: '169.254.12.1',
      origin: 'egp',
      asPath: [65003],
      asPathLength: 1,
      neighborAs: 65003,
      med: null,
      localPref: null,
      stale: false,
      state: 'active',
    },
    {
      sessionId: 5,
      pathId: 0,
      tunnelId: 13,
      nextHop: null,
      origin: null,
      asPath: [],
      asPathLength: 0,
      neighborAs: null,
      med: 0,
      localPref: 50,
      stale: true,
      state: 'stale',
    },
    {
      sessionId: 6,
      pathId: 2,
      tunnelId: 14,
      nextHop: '169.254.14.1',
      origin: 'incomplete',
      asPath: [65004, 65005, 65006],
      asPathLength: 3,
      neighborAs: 65004,
      med: 5,
      localPref: 100,
      stale: false,
      state: 'standby',
    },
  ],
};

const IPV6_BEST: PathView = {
  sessionId: 8,
  pathId: 1,
  tunnelId: 21,
  nextHop: '2001:db8::21',
  origin: 'igp',
  // Starts with an AS_SET: no neighbouring AS.
  asPath: [[64600, 64601], 65010],
  asPathLength: 2,
  neighborAs: null,
  med: null,
  localPref: 300,
  stale: false,
  state: 'active',
};
const IPV6_OTHER: Omit<PathView, 'state'> = {
  sessionId: 9,
  pathId: null,
  tunnelId: 22,
  nextHop: 'fe80::22',
  origin: 'egp',
  asPath: [65011],
  asPathLength: 1,
  neighborAs: 65011,
  med: 20,
  localPref: 300,
  stale: false,
};
const IPV6: RouteEntry = {
  prefix: '2001:db8:100::/48',
  family: 'ipv6-unicast',
  activeNextHops: [{ tunnelId: 21, nextHop: '2001:db8::21', sessionId: 8 }],
  paths: [IPV6_BEST, { ...IPV6_OTHER, state: 'standby' }],
};
const IPV6_BEFORE: RouteEntry = {
  prefix: '2001:db8:100::/48',
  family: 'ipv6-unicast',
  activeNextHops: [{ tunnelId: 22, nextHop: 'fe80::22', sessionId: 9 }],
  paths: [{ ...IPV6_OTHER, state: 'active' }],
};

/** Received LOCAL_PREF of the old path rows, looked up as the migration does (a path without a row keeps the effective value). */
const RECEIVED = new Map<string, number | null>([
  ['3|7', 200],
  ['3|9', 150],
  ['4|-1', null],
  ['5|0', null],
]);
const received = (path: PathView): number | null => {
  const key = `${path.sessionId}|${path.pathId ?? -1}`;
  return RECEIVED.has(key) ? RECEIVED.get(key)! : path.localPref;
};

const ROUTE_CHANGES: RouteChange[] = [
  {
    vpcId: 42,
    revision: 101,
    prefix: '10.20.0.0/16',
    family: 'ipv4-unicast',
    action: 'add',
    before: null,
    after: IPV4,
    cause: { event: 'announce', sessionId: 3, at: 1764400000000 },
    rejection: null,
  },
  {
    vpcId: 42,
    revision: 102,
    prefix: '2001:db8:100::/48',
    family: 'ipv6-unicast',
    action: 'update',
    before: IPV6_BEFORE,
    after: IPV6,
    cause: { event: 'announce', sessionId: 8, at: 1764400000001 },
    rejection: null,
  },
  {
    vpcId: 42,
    revision: 103,
    prefix: '192.0.2.0/24',
    family: 'ipv4-unicast',
    action: 'reject',
    before: null,
    after: null,
    cause: { event: 'announce', sessionId: 5, at: 1764400000002 },
    rejection: { sessionId: 5, pathId: 3, reason: 'bogon', detail: "inside bogon '192.0.2.0/24' (TEST-NET-1)" },
  },
  {
    vpcId: 42,
    revision: 104,
    prefix: 'not "a" prefix\n',
    family: 'ipv6-unicast',
    action: 'reject',
    before: null,
    after: null,
    cause: { event: 'announce', sessionId: 9, at: 1764400000003 },
    rejection: { sessionId: 9, pathId: null, reason: 'invalid-prefix', detail: 'a "quoted"\nline' },
  },
  {
    vpcId: 42,
    revision: 105,
    prefix: '10.20.0.0/16',
    family: 'ipv4-unicast',
    action: 'remove',
    before: IPV4,
    after: null,
    cause: { event: 'expiry', sessionId: null, at: 1764400000004 },
    rejection: null,
  },
];

/**
 * As the migration builds them from the old rows, except the last `before`, which is the table's
 * own text with received LOCAL_PREFs: the form BRM writes into segments that `down` reads.
 */
const tableChanges = (): TableChange[] =>
  ROUTE_CHANGES.map((change, index) => ({
    ...change,
    storedBefore: change.before && (index === 4 ? encodeStoredPaths(change.before, received) : encodeStoredPaths(change.before)),
    storedAfter: change.after && encodeStoredPaths(change.after),
  }));

const list = (...items: string[]): string => `[${items.join(',')}]`;

// Golden values, made with the live codecs when this copy was taken.
const IPV4_PATHS = [
  '[3,7,11,"169.254.11.1","igp",[65001,65002],10,200,"active",0]',
  '[3,9,11,"169.254.11.1","igp",[65001,[64512,64513]],10,200,"active",1]',
  '[4,null,12,"169.254.12.1","egp",[65003],null,null,"active",0]',
  '[5,0,13,null,null,[],0,50,"stale",1]',
  '[6,2,14,"169.254.14.1","incomplete",[65004,65005,65006],5,100,"standby",0]',
];
const IPV4_TEXT = list(...IPV4_PATHS);
const IPV4_TABLE_TEXT = list(
  '[3,7,11,"169.254.11.1","igp",[65001,65002],10,200,"active",0]',
  '[3,9,11,"169.254.11.1","igp",[65001,[64512,64513]],10,200,"active",1,150]',
  '[4,null,12,"169.254.12.1","egp",[65003],null,null,"active",0]',
  '[5,0,13,null,null,[],0,50,"stale",1,null]',
  '[6,2,14,"169.254.14.1","incomplete",[65004,65005,65006],5,100,"standby",0]',
);
const IPV6_TEXT = list(
  '[8,1,21,"2001:db8::21","igp",[[64600,64601],65010],null,300,"active",0]',
  '[9,null,22,"fe80::22","egp",[65011],20,300,"standby",0]',
);
const IPV6_BEFORE_TEXT = list('[9,null,22,"fe80::22","egp",[65011],20,300,"active",0]');
const SEGMENT_TEXT = list(
  `[101,"10.20.0.0/16","ipv4-unicast","add",null,${IPV4_TEXT},["announce",3,1764400000000],null]`,
  `[102,"2001:db8:100::/48","ipv6-unicast","update",${IPV6_BEFORE_TEXT},${IPV6_TEXT},["announce",8,1764400000001],null]`,
  String.raw`[103,"192.0.2.0/24","ipv4-unicast","reject",null,null,["announce",5,1764400000002],[5,3,"bogon","inside bogon '192.0.2.0/24' (TEST-NET-1)"]]`,
  String.raw`[104,"not \"a\" prefix\n","ipv6-unicast","reject",null,null,["announce",9,1764400000003],[9,null,"invalid-prefix","a \"quoted\"\nline"]]`,
  `[105,"10.20.0.0/16","ipv4-unicast","remove",${IPV4_TABLE_TEXT},null,["expiry",null,1764400000004],null]`,
);
/** The live encoder's deflated bytes of SEGMENT_TEXT. */
const SEGMENT_BASE64 =
  'zVPBbptAEP0VNJe00jOeWXaJzT3XXurbsgdsNhEVWaiNreTvqwXk4kZtVCmVymEkBPPmvTfzrBUWkHCqOOWU15ITqOkvenUOzaE6DQSq6poQzm0LazPcQ2JHvk2V0alIKrHjqSfY3DALYlUOwlDMoOowNBdPYAebYftet821EYVYM/cWRRysnsiIWtBQIw1/pZG56aeR9g0HA4Zki6/WgWEYdBqq1hPiiBwKohf4epIZDt1z3/rBz2r1qNaMNXcwkCj5NFSh3r9GzQ6WqhC6czh4Qga5z7Xm+Zk4OlhhBVLMUtT7TSHMRbHWm2kT+WIT576uxtl2OwlQCvToN1wUShHoql/EQTGy2wU4WLuBQMliWqF+LtDmOmdGrOKiKOHZx1+Q8DcEfmvH5sYOWdiRgWSrUk5Vymul397k0X/zh2E+y+k2Fz6bG2DlYA0y0L576kLECqem9sn4mtwtB90ln3YPX3erLw+7lXymuD5hDQrdkJRUlZT0R//YvJQjTH9ZLufPlLY3lDJ3dZCacKnapl5NyDFvSUnfz93g65LK0DbBz0TMe0k9+ucuZu0/yCnExMT/66yOMfjYwM7X5F/65vg6X9gytnq+U/cD';

describe('frozen route codecs of migration 1796300000000', () => {
  describe('stored paths', () => {
    it('encode entries with several paths, path ids, AS_SETs, nulls, IPv4 and IPv6, as pinned', () => {
      expect(encodeStoredPaths(IPV4)).toBe(IPV4_TEXT);
      expect(encodeStoredPaths(IPV6)).toBe(IPV6_TEXT);
      expect(encodeStoredPaths(IPV6_BEFORE)).toBe(IPV6_BEFORE_TEXT);
    });

    it('append the received LOCAL_PREF only where it differs from the effective one (null included)', () => {
      expect(encodeStoredPaths(IPV4, received)).toBe(IPV4_TABLE_TEXT);
      expect(encodeStoredPaths(IPV6, received)).toBe(IPV6_TEXT);
    });

    it('decode back to the entry, recomputing next hops, AS path length and neighbour AS, from text or tuples', () => {
      expect(decodeStoredEntry(IPV4.prefix, IPV4.family, IPV4_TEXT)).toEqual(IPV4);
      expect(decodeStoredEntry(IPV4.prefix, IPV4.family, IPV4_TABLE_TEXT)).toEqual(IPV4);
      expect(decodeStoredEntry(IPV6.prefix, IPV6.family, JSON.parse(IPV6_TEXT))).toEqual(IPV6);
    });

    it('decode the path rows with the received LOCAL_PREF where kept, else the effective one', () => {
      const rows = (text: string) =>
        decodeStoredPathRows(IPV4.prefix, IPV4.family, text).map((row) => [row.sessionId, row.pathId, row.attributes]);
      expect(rows(IPV4_TEXT)).toEqual([
        [3, 7, { origin: 'igp', asPath: [65001, 65002], nextHop: '169.254.11.1', med: 10, localPref: 200 }],
        [3, 9, { origin: 'igp', asPath: [65001, [64512, 64513]], nextHop: '169.254.11.1', med: 10, localPref: 200 }],
        [4, null, { origin: 'egp', asPath: [65003], nextHop: '169.254.12.1', med: null, localPref: null }],
        [5, 0, { origin: null, asPath: [], nextHop: null, med: 0, localPref: 50 }],
        [6, 2, { origin: 'incomplete', asPath: [65004, 65005, 65006], nextHop: '169.254.14.1', med: 5, localPref: 100 }],
      ]);
      expect(rows(IPV4_TABLE_TEXT).map(([, , attributes]) => attributes)).toMatchObject([
        { localPref: 200 },
        { localPref: 150 },
        { localPref: null },
        { localPref: null },
        { localPref: 100 },
      ]);
      expect(decodeStoredPathRows(IPV6.prefix, IPV6.family, IPV6_TEXT)).toEqual([
        {
          prefix: '2001:db8:100::/48',
          family: 'ipv6-unicast',
          sessionId: 8,
          pathId: 1,
          attributes: { origin: 'igp', asPath: [[64600, 64601], 65010], nextHop: '2001:db8::21', med: null, localPref: 300 },
        },
        {
          prefix: '2001:db8:100::/48',
          family: 'ipv6-unicast',
          sessionId: 9,
          pathId: null,
          attributes: { origin: 'egp', asPath: [65011], nextHop: 'fe80::22', med: 20, localPref: 300 },
        },
      ]);
    });

    it('refuse text that is not a list of path tuples', () => {
      expect(() => decodeStoredEntry('p', 'ipv4-unicast', '{}')).toThrow('stored paths are not an array');
      expect(() => decodeStoredPathRows('p', 'ipv4-unicast', '[[1,2]]')).toThrow(
        'stored path [1,2] is not [sessionId, pathId, tunnelId, nextHop, origin, asPath, med, localPref, state, stale]',
      );
      expect(() => decodeStoredEntry('p', 'ipv4-unicast', '[[1,null,3,null,null,[],null,null,"bogus",0]]')).toThrow(
        'stored path [1,null,3,null,null,[],null,null,"bogus",0] is not',
      );
    });
  });

  describe('change-log segments', () => {
    it('encode add, update, two rejections and a remove as pinned', () => {
      const segments = encodeChangeSegments(tableChanges());
      expect(segments.map(({ firstRevision, lastRevision }) => [firstRevision, lastRevision])).toEqual([[101, 105]]);
      expect(inflateRawSync(segments[0]!.changes).toString('utf8')).toBe(SEGMENT_TEXT);
      // The pinned bytes are the same text (see the header on why bytes are not compared).
      expect(inflateRawSync(Buffer.from(SEGMENT_BASE64, 'base64')).toString('utf8')).toBe(SEGMENT_TEXT);
    });

    it('decode the bytes the live encoder wrote back to the changes, ignoring received LOCAL_PREFs', () => {
      expect(decodeChangeSegment(42, Buffer.from(SEGMENT_BASE64, 'base64'))).toEqual(ROUTE_CHANGES);
      expect(decodeChangeSegment(42, encodeChangeSegments(tableChanges())[0]!.changes)).toEqual(ROUTE_CHANGES);
    });

    it('write a cause time that is not a number as null', () => {
      const [first] = tableChanges();
      const [segment] = encodeChangeSegments([{ ...first!, cause: { event: 'expiry', sessionId: null, at: Number.NaN } }]);
      expect(inflateRawSync(segment!.changes).toString('utf8')).toBe(
        list(`[101,"10.20.0.0/16","ipv4-unicast","add",null,${IPV4_TEXT},["expiry",null,null],null]`),
      );
    });

    it('split at 10,000 changes', () => {
      expect(MAX_SEGMENT_CHANGES).toBe(10_000);
      const rejection = tableChanges()[2]!;
      const changes = Array.from({ length: 10_001 }, (_, index) => ({ ...rejection, revision: 1000 + index }));
      const segments = encodeChangeSegments(changes);
      expect(segments.map(({ firstRevision, lastRevision }) => [firstRevision, lastRevision])).toEqual([
        [1000, 10999],
        [11000, 11000],
      ]);
      expect(decodeChangeSegment(42, segments[1]!.changes)).toEqual([{ ...ROUTE_CHANGES[2], revision: 11000 }]);
      expect(encodeChangeSegments([])).toEqual([]);
    });

    it('refuse a segment that is not a list of changes, naming the VPC', () => {
      expect(() => decodeChangeSegment(7, deflateRawSync('{"a":1}'))).toThrow(
        'VPC 7: a change-log segment does not hold a list of changes',
      );
    });
  });
});

describe('migrations import nothing from live code', () => {
  const MIGRATIONS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const BUILTINS = new Set(builtinModules);

  /** Every non-spec .ts file under the migrations folder, helpers included. */
  const sources = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((item) => {
      const path = join(dir, item.name);
      if (item.isDirectory()) return sources(path);
      return item.name.endsWith('.ts') && !item.name.endsWith('.spec.ts') ? [path] : [];
    });

  /** typeorm, node built-ins, and files inside the migrations folder. */
  const allowed = (file: string, specifier: string): boolean =>
    specifier === 'typeorm' ||
    specifier.startsWith('node:') ||
    BUILTINS.has(specifier) ||
    (specifier.startsWith('.') && resolve(dirname(file), specifier).startsWith(MIGRATIONS_DIR + sep));

  it('finds the migrations and their frozen helpers', () => {
    const files = sources(MIGRATIONS_DIR).map((file) => relative(MIGRATIONS_DIR, file));
    expect(files).toContain('1796300000000-compact-route-rows.ts');
    expect(files).toContain(join('frozen', '1796300000000-route-codecs.ts'));
  });

  it('import only from typeorm, node built-ins and the migrations folder', () => {
    const outside = sources(MIGRATIONS_DIR).flatMap((file) =>
      // Static, type-only, re-export, require and dynamic import() specifiers alike.
      ts
        .preProcessFile(readFileSync(file, 'utf8'), true, true)
        .importedFiles.map(({ fileName }) => fileName)
        .filter((specifier) => !allowed(file, specifier))
        .map((specifier) => `${relative(MIGRATIONS_DIR, file)}: ${specifier}`),
    );
    expect(outside).toEqual([]);
  });
});
