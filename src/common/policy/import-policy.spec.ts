import fc from 'fast-check';
import { parsePrefix, prefixesOverlap, type ParsedPrefix } from '../inventory/addressing.js';
import { bigIntToAddress } from '../net/ip-address.js';
import { DEFAULT_BOGONS } from './bogons.js';
import {
  CompiledPrefixList,
  compilePlatformPolicy,
  compileSessionPolicy,
  compileVpcPolicy,
  evaluateImport,
  PolicyConfigError,
  PrefixRangeSet,
  type ImportDecision,
  type PlatformPolicyInput,
  type PrefixListEntry,
  type SessionPolicyInput,
} from './import-policy.js';

const vpc = compileVpcPolicy({ cidrs: ['10.1.0.0/16', 'fd10::/48'] });
const platform = compilePlatformPolicy({ reservedRanges: [{ prefix: '100.100.0.0/16', label: 'platform services' }, 'fd00:ffff::/32'] });

function check(prefix: string, session: SessionPolicyInput = {}, platformInput?: PlatformPolicyInput, family?: 4 | 6): ImportDecision {
  const route = family === undefined ? { prefix } : { prefix, family };
  return evaluateImport(route, compileSessionPolicy(session), vpc, platformInput ? compilePlatformPolicy(platformInput) : platform);
}

const reason = (decision: ImportDecision) => (decision.accepted ? 'accepted' : decision.reason);

describe('evaluateImport', () => {
  it('accepts an ordinary customer prefix, private space included (RFC 1918 and ULA are not bogons here)', () => {
    for (const prefix of [
      '198.20.255.0/24',
      '10.2.0.0/16',
      '172.16.0.0/12',
      '192.168.10.0/24',
      '100.64.0.0/16',
      'fd20::/48',
      '2a00:1450::/32',
    ]) {
      expect([prefix, check(prefix)]).toEqual([prefix, { accepted: true }]);
    }
  });

  it('refuses an unparsable prefix, one with host bits, and one of the other family', () => {
    expect(reason(check('10.2.0.0/33'))).toBe('invalid-prefix');
    expect(check('10.2.0.1/16')).toMatchObject({ accepted: false, reason: 'invalid-prefix', detail: expect.stringContaining('host bits') });
    expect(check('2a00::/32', {}, undefined, 4)).toMatchObject({
      accepted: false,
      reason: 'invalid-prefix',
      detail: '2a00::/32 is not an IPv4 prefix',
    });
  });

  it('refuses the default routes unless the session allows them, and an allowed default skips the range checks', () => {
    expect(reason(check('0.0.0.0/0'))).toBe('default-route');
    expect(reason(check('::/0'))).toBe('default-route');
    expect(check('0.0.0.0/0', { allowDefaultRoute: true })).toEqual({ accepted: true });
    expect(check('::/0', { allowDefaultRoute: true, allowedPrefixes: [{ prefix: '2a00::/16', le: 48 }] })).toEqual({ accepted: true });
    // Only length 0 is "the default route": 0.0.0.0/1 is a bogon-overlapping short prefix.
    expect(reason(check('0.0.0.0/1', { allowDefaultRoute: true }))).toBe('overlaps-vpc-cidr');
  });

  it('refuses prefixes inside, equal to or covering the VPC CIDRs, not adjacent ones', () => {
    expect(check('10.1.2.0/24')).toEqual({
      accepted: false,
      reason: 'overlaps-vpc-cidr',
      detail: "10.1.2.0/24 overlaps the VPC's own CIDR 10.1.0.0/16",
    });
    expect(reason(check('10.1.0.0/16'))).toBe('overlaps-vpc-cidr');
    expect(reason(check('10.0.0.0/8'))).toBe('overlaps-vpc-cidr');
    expect(reason(check('fd10:0:0:8000::/49', { prefixLength: { ipv6: { max: 64 } } }))).toBe('overlaps-vpc-cidr');
    expect(reason(check('10.0.0.0/16'))).toBe('accepted');
    expect(reason(check('10.2.0.0/15'))).toBe('accepted');
    expect(reason(check('fd10:0:1::/48'))).toBe('accepted');
  });

  it('refuses the platform reserved ranges, naming the label', () => {
    expect(check('100.100.4.0/24')).toEqual({
      accepted: false,
      reason: 'reserved-range',
      detail: '100.100.4.0/24 overlaps the reserved range 100.100.0.0/16 (platform services)',
    });
    expect(check('fd00:ffff:1::/48')).toMatchObject({
      reason: 'reserved-range',
      detail: 'fd00:ffff:1::/48 overlaps the reserved range fd00:ffff::/32',
    });
    expect(reason(check('100.100.4.0/24', {}, {}))).toBe('accepted');
  });

  it('refuses the default bogons of both families, inside or covering', () => {
    expect(check('192.0.2.0/24')).toMatchObject({
      reason: 'bogon',
      detail: '192.0.2.0/24 overlaps bogon 192.0.2.0/24 (documentation TEST-NET-1, RFC 5737)',
    });
    for (const prefix of [
      '127.0.0.0/8',
      '169.254.100.0/24',
      '198.18.0.0/15',
      '198.19.0.0/16',
      '224.0.0.0/8',
      '240.0.0.0/8',
      '192.0.0.0/16',
    ]) {
      expect([prefix, reason(check(prefix))]).toEqual([prefix, 'bogon']);
    }
    for (const prefix of ['2001:db8:1::/48', '3fff::/20', 'fe80::/16', 'ff02::/16', '2001:10::/28', '2001::/16']) {
      expect([prefix, reason(check(prefix))]).toEqual([prefix, 'bogon']);
    }
    expect(reason(check('2001:4860::/32'))).toBe('accepted');
  });

  it('uses a configured bogon list instead of the default one', () => {
    const custom = { bogons: ['10.0.0.0/8'] };
    expect(reason(check('10.9.0.0/16', {}, custom))).toBe('bogon');
    expect(reason(check('192.0.2.0/24', {}, custom))).toBe('accepted');
  });

  it('every default bogon entry parses and the list is rejected by itself', () => {
    const compiled = compilePlatformPolicy();
    expect(compiled.bogons.size).toBeGreaterThan(15);
    for (const { prefix } of DEFAULT_BOGONS) {
      expect(compiled.bogons.overlapping(parsePrefix(prefix) as ParsedPrefix)).not.toBeNull();
    }
  });

  it('checks the prefix length per family: defaults 8..24 and 16..48, session and platform overrides', () => {
    expect(check('11.0.0.0/25')).toEqual({ accepted: false, reason: 'prefix-length', detail: '11.0.0.0/25: length 25 is outside 8..24' });
    expect(reason(check('8.0.0.0/7'))).toBe('prefix-length');
    expect(reason(check('11.0.0.0/8'))).toBe('accepted');
    expect(reason(check('11.0.0.0/24'))).toBe('accepted');
    expect(reason(check('2a00:1::/49'))).toBe('prefix-length');
    expect(reason(check('2a00::/15'))).toBe('prefix-length');
    expect(reason(check('2a00::/16'))).toBe('accepted');
    expect(reason(check('11.0.0.0/28', { prefixLength: { ipv4: { max: 28 } } }))).toBe('accepted');
    expect(reason(check('11.0.0.0/16', { prefixLength: { ipv4: { min: 20 } } }))).toBe('prefix-length');
    expect(reason(check('11.0.0.0/26', {}, { prefixLength: { ipv4: { max: 26 } } }))).toBe('accepted');
    expect(reason(check('11.0.0.0/27', {}, { prefixLength: { ipv4: { max: 26 } } }))).toBe('prefix-length');
  });

  it('refuses prefixes outside the allowed list, and an empty list allows nothing', () => {
    const session = { allowedPrefixes: [{ prefix: '203.1.0.0/16', le: 24 }] };
    expect(reason(check('203.1.7.0/24', session))).toBe('accepted');
    expect(check('203.2.0.0/24', session)).toMatchObject({ reason: 'not-allowed' });
    expect(reason(check('203.1.7.0/24', { allowedPrefixes: [] }))).toBe('not-allowed');
    expect(reason(check('203.1.7.0/24', { allowedPrefixes: null }))).toBe('accepted');
  });

  it('reports the first failing check in the documented order', () => {
    // Inside the VPC CIDR and too long and not allowed: the VPC overlap wins.
    expect(reason(check('10.1.2.128/25', { allowedPrefixes: [] }))).toBe('overlaps-vpc-cidr');
    // Reserved range that is also a bogon: reserved wins.
    expect(reason(check('192.0.2.0/24', {}, { reservedRanges: ['192.0.2.0/24'] }))).toBe('reserved-range');
    // Bogon and too long: bogon.
    expect(reason(check('192.0.2.128/25'))).toBe('bogon');
    // Too long and not allowed: prefix-length.
    expect(reason(check('11.0.0.0/25', { allowedPrefixes: [] }))).toBe('prefix-length');
  });
});

describe('prefix lists (le/ge)', () => {
  const list = (entries: PrefixListEntry[]) => {
    const problems: string[] = [];
    const compiled = CompiledPrefixList.compile('test', entries, problems);
    expect(problems).toEqual([]);
    return (prefix: string) => compiled.match(parsePrefix(prefix) as ParsedPrefix);
  };

  it('matches exactly without ge/le', () => {
    const match = list([{ prefix: '203.0.0.0/16' }]);
    expect(match('203.0.0.0/16')).toBe('203.0.0.0/16');
    expect(match('203.0.1.0/24')).toBeNull();
    expect(match('203.0.0.0/15')).toBeNull();
  });

  it('ge alone runs to the family maximum, le alone starts at the entry length', () => {
    const ge = list([{ prefix: '203.0.0.0/16', ge: 24 }]);
    expect(ge('203.0.0.0/16')).toBeNull();
    expect(ge('203.0.8.0/23')).toBeNull();
    expect(ge('203.0.9.0/24')).toBe('203.0.0.0/16 ge 24');
    expect(ge('203.0.9.9/32')).toBe('203.0.0.0/16 ge 24');
    const le = list([{ prefix: '2a00:10::/32', le: 40 }]);
    expect(le('2a00:10::/32')).toBe('2a00:10::/32 le 40');
    expect(le('2a00:10:ff00::/40')).toBe('2a00:10::/32 le 40');
    expect(le('2a00:10::/41')).toBeNull();
    expect(le('2a00:11::/32')).toBeNull();
  });

  it('ge with le bounds both ends, and several entries on one network all count', () => {
    const match = list([
      { prefix: '203.0.0.0/16', ge: 18, le: 20 },
      { prefix: '203.0.0.0/16', ge: 24, le: 24 },
      { prefix: '198.51.0.0/16' },
    ]);
    expect(match('203.0.0.0/17')).toBeNull();
    expect(match('203.0.64.0/18')).toBe('203.0.0.0/16 ge 18 le 20');
    expect(match('203.0.16.0/20')).toBe('203.0.0.0/16 ge 18 le 20');
    expect(match('203.0.16.0/21')).toBeNull();
    expect(match('203.0.16.0/24')).toBe('203.0.0.0/16 ge 24 le 24');
    expect(match('198.51.0.0/16')).toBe('198.51.0.0/16');
  });

  it('rejects inconsistent ge/le and bad prefixes with every problem listed', () => {
    expect(() => compileSessionPolicy({ allowedPrefixes: [{ prefix: '10.0.0.0/16', ge: 8 }] })).toThrow(PolicyConfigError);
    const thrown = (() => {
      try {
        compileSessionPolicy({
          allowedPrefixes: [{ prefix: '10.0.0.0/16', ge: 24, le: 20 }, { prefix: '10.0.0.0/16', le: 33 }, { prefix: '10.0.0.1/16' }],
          prefixLength: { ipv4: { min: 20, max: 10 } },
        });
        return null;
      } catch (error) {
        return error;
      }
    })();
    expect(thrown).toBeInstanceOf(PolicyConfigError);
    expect((thrown as PolicyConfigError).problems).toEqual([
      'prefixLength.ipv4: min 20 > max 10',
      'allowedPrefixes: "10.0.0.0/16 ge 24 le 20" needs 16 <= ge <= le <= 32',
      'allowedPrefixes: "10.0.0.0/16 le 33" needs 16 <= ge <= le <= 32',
      expect.stringContaining('has host bits set'),
    ]);
    expect(() => compileVpcPolicy({ cidrs: ['nonsense'] })).toThrow(/cidrs: "nonsense" is not a prefix/);
  });

  it('agrees with a brute-force matcher on random lists and routes', () => {
    const v4Prefix = fc.tuple(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 32 })).map(([value, length]) => {
      const first = length === 0 ? 0n : (BigInt(value) >> BigInt(32 - length)) << BigInt(32 - length);
      return parsePrefix(`${bigIntToAddress(first, 4)}/${length}`) as ParsedPrefix;
    });
    // Few distinct top bits so routes and entries actually nest.
    const clustered = v4Prefix.map((prefix) => parsePrefix(`${bigIntToAddress(prefix.first & 0x0f0fffffn, 4)}/${prefix.length}`));
    const narrowed = clustered.filter((prefix): prefix is ParsedPrefix => typeof prefix !== 'string');
    const entry = fc
      .tuple(narrowed, fc.option(fc.integer({ min: 0, max: 32 })), fc.option(fc.integer({ min: 0, max: 32 })))
      .filter(
        ([prefix, ge, le]) => (ge ?? prefix.length) >= prefix.length && (ge ?? prefix.length) <= (le ?? 32) && (le ?? 32) >= prefix.length,
      )
      .map(([prefix, ge, le]) => ({
        parsed: prefix,
        entry: { prefix: prefix.canonical, ...(ge === null ? {} : { ge }), ...(le === null ? {} : { le }) },
      }));
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 12 }), fc.array(narrowed, { minLength: 1, maxLength: 20 }), (entries, routes) => {
        const problems: string[] = [];
        const compiled = CompiledPrefixList.compile(
          'p',
          entries.map((item) => item.entry),
          problems,
        );
        expect(problems).toEqual([]);
        for (const route of routes) {
          const expected = entries.some(({ parsed, entry: e }) => {
            const min = e.ge ?? parsed.length;
            const max = e.le ?? (e.ge === undefined ? parsed.length : 32);
            return route.first >= parsed.first && route.last <= parsed.last && route.length >= min && route.length <= max;
          });
          expect([route.canonical, compiled.match(route) !== null]).toEqual([route.canonical, expected]);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('PrefixRangeSet', () => {
  it('agrees with prefixesOverlap over every entry, nested and duplicate entries included', () => {
    const prefix = fc
      .tuple(fc.boolean(), fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }), fc.integer({ min: 0, max: 128 }))
      .map(([v4, value, length]) => {
        const bits = v4 ? 32 : 128;
        const len = Math.min(length, bits);
        // Keep the addresses in a narrow area so overlaps happen.
        const raw = v4 ? (value & 0x0301ffffn) | 0x0a000000n : (value & 0x0003ffffffffn) | (0x2a00n << 112n);
        const first = len === 0 ? 0n : (raw >> BigInt(bits - len)) << BigInt(bits - len);
        return parsePrefix(`${bigIntToAddress(first, v4 ? 4 : 6)}/${len}`) as ParsedPrefix;
      });
    fc.assert(
      fc.property(fc.array(prefix, { maxLength: 15 }), fc.array(prefix, { minLength: 1, maxLength: 15 }), (entries, routes) => {
        const problems: string[] = [];
        const set = PrefixRangeSet.compile(
          'r',
          entries.map((entry) => entry.canonical),
          problems,
        );
        expect(problems).toEqual([]);
        for (const route of routes) {
          const hit = set.overlapping(route);
          expect([route.canonical, hit !== null]).toEqual([route.canonical, entries.some((entry) => prefixesOverlap(entry, route))]);
          expect(hit === null || prefixesOverlap(hit.prefix, route)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});
