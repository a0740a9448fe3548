/** addressing.ts's and ip-address.ts's arithmetic checked against ip-cidr as an independent oracle. */
import fc from 'fast-check';
import IPCIDR from 'ip-cidr';
import { addressToBigInt, bigIntToAddress, canonicalAddress } from '../net/ip-address.js';
import { parsePrefix, type ParsedPrefix } from './addressing.js';

const v6Value = fc.bigInt({ min: 0n, max: (1n << 128n) - 1n });
/** An IPv6 address in many spellings: canonical, expanded, upper-case, zero-padded. */
const v6Text = fc.tuple(v6Value, fc.integer({ min: 0, max: 3 })).map(([value, style]) => {
  const groups = Array.from({ length: 8 }, (_, i) => ((value >> BigInt(112 - i * 16)) & 0xffffn).toString(16));
  if (style === 0) return bigIntToAddress(value, 6);
  if (style === 1) return groups.join(':');
  if (style === 2) return bigIntToAddress(value, 6).toUpperCase();
  return groups.map((group) => group.padStart(4, '0')).join(':');
});
const oracle = (text: string) => new IPCIDR(text);

describe('addressing against ip-cidr', () => {
  it('converts IPv4 and IPv6 addresses to the same numbers', () => {
    fc.assert(
      fc.property(fc.oneof(fc.ipV4(), v6Text), (text) => {
        const family = text.includes(':') ? 6 : 4;
        expect(addressToBigInt(text, family)).toBe(oracle(`${text}/${family === 4 ? 32 : 128}`).start<bigint>({ type: 'bigInteger' }));
      }),
      { numRuns: 2000 },
    );
  });

  it('parses network prefixes to the same range, in canonical form', () => {
    const network = fc.oneof(
      fc.tuple(v6Value, fc.integer({ min: 0, max: 128 })).map(([value, length]) => {
        const first = length === 0 ? 0n : (value >> BigInt(128 - length)) << BigInt(128 - length);
        return `${bigIntToAddress(first, 6).toUpperCase()}/${length}`;
      }),
      fc.tuple(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 32 })).map(([value, length]) => {
        const first = length === 0 ? 0n : (BigInt(value) >> BigInt(32 - length)) << BigInt(32 - length);
        return `${bigIntToAddress(first, 4)}/${length}`;
      }),
    );
    fc.assert(
      fc.property(network, (text) => {
        const parsed = parsePrefix(text) as ParsedPrefix;
        const expected = oracle(text.toLowerCase());
        expect([parsed.first, parsed.last]).toEqual([
          expected.start<bigint>({ type: 'bigInteger' }),
          expected.end<bigint>({ type: 'bigInteger' }),
        ]);
        const [address] = text.split('/');
        expect(parsed.canonical).toBe(`${canonicalAddress(address!, parsed.family)}/${parsed.length}`);
        expect(parsed.canonical).toBe(parsed.canonical.toLowerCase());
      }),
      { numRuns: 3000 },
    );
  });

  it('refuses, never throws, on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        expect(() => parsePrefix(text)).not.toThrow();
      }),
      { numRuns: 2000 },
    );
  });
});
