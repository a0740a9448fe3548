import fc from 'fast-check';
import { parsePrefix, type ParsedPrefix } from '../inventory/addressing.js';
import { bigIntToAddress, type AddressFamily } from '../net/ip-address.js';
import { overlapEntries, platformRefusedRanges, sessionLengths, sessionPermitEntries } from './host-import-filter.js';
import {
  compilePlatformPolicy,
  compileSessionPolicy,
  compileVpcPolicy,
  evaluateImport,
  type PrefixLengthLimits,
  type PrefixListEntry,
} from './import-policy.js';
import type { SessionImportPolicy } from './session-policy.js';

/** FRR's prefix-list entry match (lib/plist.c): the network matches and the length is in range. */
function frrMatches(entry: PrefixListEntry, route: ParsedPrefix): boolean {
  const network = parsePrefix(entry.prefix);
  if (typeof network === 'string' || network.family !== route.family) return false;
  const bits = route.family === 4 ? 32 : 128;
  const low = entry.ge ?? network.length;
  const high = entry.le ?? (entry.ge === undefined ? network.length : bits);
  if (route.length < low || route.length > high) return false;
  return route.first >= network.first && route.first <= network.last;
}

/** The rendered route-map: deny what a refusal list matches, then permit what the session's list matches. */
function hostAccepts(route: ParsedPrefix, refusals: PrefixListEntry[][], permits: PrefixListEntry[]): boolean {
  if (refusals.some((list) => list.some((entry) => frrMatches(entry, route)))) return false;
  return permits.some((entry) => frrMatches(entry, route));
}

const PLATFORM: PrefixLengthLimits = { ipv4: { min: 8, max: 24 }, ipv6: { min: 16, max: 48 } };
const VPC_CIDRS = ['10.10.0.0/16', '45.64.0.0/22', 'fd10::/48'];
const RESERVED = ['100.64.0.0/10', '2402:f000::/32'];

function prefixOf(family: AddressFamily, value: bigint, length: number): ParsedPrefix {
  const bits = family === 4 ? 32 : 128;
  const hostBits = BigInt(bits - length);
  const parsed = parsePrefix(`${bigIntToAddress((value >> hostBits) << hostBits, family)}/${length}`);
  if (typeof parsed === 'string') throw new Error(parsed);
  return parsed;
}

/** Routes near the interesting ranges (so that overlaps happen often), of every length. */
const routeArb = fc.oneof(
  fc
    .tuple(
      fc.constantFrom(0x0a0a0000n, 0x2d400000n, 0x64400000n, 0xc0000200n, 0xe0000000n, 0x2d410000n),
      fc.bigInt(0n, 0xffffn),
      fc.integer({ min: 0, max: 32 }),
    )
    .map(([base, noise, length]) => prefixOf(4, base ^ (noise << 4n), length)),
  fc
    .tuple(
      fc.constantFrom(0xfd10n << 112n, 0x20010db8n << 96n, 0x2402f000n << 96n, 0x2a05d000n << 96n),
      fc.bigInt(0n, 0xffffffn),
      fc.integer({ min: 0, max: 128 }),
    )
    .map(([base, noise, length]) => prefixOf(6, base ^ (noise << 72n), length)),
);

const policyArb: fc.Arbitrary<SessionImportPolicy> = fc.record(
  {
    allowedPrefixes: fc.option(
      fc.array(
        fc.oneof(
          fc.constantFrom<PrefixListEntry>(
            { prefix: '45.64.0.0/16', le: 24 },
            { prefix: '45.65.0.0/24' },
            { prefix: '0.0.0.0/0', le: 32 },
            { prefix: '2a05:d000::/32', ge: 40, le: 64 },
            { prefix: '2a05:d000::/48' },
            { prefix: '10.0.0.0/8', ge: 9 },
            { prefix: '100.64.0.0/10', le: 20 },
          ),
        ),
        { maxLength: 4 },
      ),
      { nil: null },
    ),
    prefixLength: fc.record(
      {
        ipv4: fc.record({ min: fc.integer({ min: 1, max: 16 }), max: fc.integer({ min: 16, max: 32 }) }, { requiredKeys: [] }),
        ipv6: fc.record({ min: fc.integer({ min: 1, max: 32 }), max: fc.integer({ min: 32, max: 128 }) }, { requiredKeys: [] }),
      },
      { requiredKeys: [] },
    ),
    allowDefaultRoute: fc.boolean(),
  },
  { requiredKeys: [] },
);

describe('host import filter', () => {
  it('covers a range, its more-specifics and its supernets down to the shortest accepted length', () => {
    expect(overlapEntries(['10.10.0.0/16'], 4, 12)).toEqual([
      { prefix: '10.10.0.0/16', le: 32 },
      { prefix: '10.0.0.0/12' },
      { prefix: '10.8.0.0/13' },
      { prefix: '10.8.0.0/14' },
      { prefix: '10.10.0.0/15' },
    ]);
    // The other family is left out; a range inside another adds nothing; /32 and /0 are special.
    expect(overlapEntries(['10.0.0.0/8', '10.1.0.0/16', 'fd00::/8', '192.0.2.1/32'], 4, 30)).toEqual([
      { prefix: '10.0.0.0/8', le: 32 },
      { prefix: '192.0.2.1/32' },
      { prefix: '192.0.2.0/30' },
      { prefix: '192.0.2.0/31' },
    ]);
    expect(overlapEntries(['::/0'], 6, 1)).toEqual([{ prefix: '::/0', ge: 1, le: 128 }]);
  });

  it('turns a session policy into permits cut to its length bounds', () => {
    const policy: SessionImportPolicy = {
      allowedPrefixes: [
        { prefix: '45.64.0.0/16', le: 28 },
        { prefix: '45.65.0.0/24' },
        { prefix: '46.0.0.0/8', ge: 25 },
        { prefix: 'fd20::/32' },
      ],
      allowDefaultRoute: true,
    };
    expect(sessionPermitEntries(policy, 4, { min: 8, max: 24 })).toEqual([
      { prefix: '0.0.0.0/0' },
      { prefix: '45.64.0.0/16', le: 24 },
      { prefix: '45.65.0.0/24' },
    ]);
    expect(sessionPermitEntries(null, 6, { min: 16, max: 48 })).toEqual([{ prefix: '::/0', ge: 16, le: 48 }]);
    expect(sessionPermitEntries({ allowedPrefixes: [] }, 4, { min: 8, max: 24 })).toEqual([]);
    expect(sessionLengths({ prefixLength: { ipv4: { max: 28 } } }, PLATFORM, 4)).toEqual({ min: 8, max: 28 });
  });

  it('accepts on the host exactly what BRM accepts (any policy, any route)', () => {
    const platform = compilePlatformPolicy({ reservedRanges: RESERVED, prefixLength: PLATFORM });
    const vpc = compileVpcPolicy({ cidrs: VPC_CIDRS });
    const refusedRanges = platformRefusedRanges(RESERVED);
    fc.assert(
      fc.property(policyArb, fc.array(routeArb, { minLength: 1, maxLength: 20 }), (policy, routes) => {
        const compiled = compileSessionPolicy({
          allowedPrefixes: policy.allowedPrefixes,
          prefixLength: policy.prefixLength,
          allowDefaultRoute: policy.allowDefaultRoute,
        });
        for (const family of [4, 6] as const) {
          const lengths = sessionLengths(policy, PLATFORM, family);
          const refusals = [overlapEntries(refusedRanges, family, lengths.min), overlapEntries(VPC_CIDRS, family, lengths.min)];
          const permits = sessionPermitEntries(policy, family, lengths);
          for (const route of routes.filter((r) => r.family === family)) {
            const brm = evaluateImport({ prefix: route }, compiled, vpc, platform).accepted;
            // The route named in the comparison, so a counterexample says which prefix differed.
            expect({ route: route.canonical, accepted: hostAccepts(route, refusals, permits) }).toEqual({
              route: route.canonical,
              accepted: brm,
            });
          }
        }
      }),
      { numRuns: 400 },
    );
  });
});
