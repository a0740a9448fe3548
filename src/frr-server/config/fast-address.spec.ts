/** The fast paths give exactly what addressing.ts gives, for random and for awkward input. */
import fc from 'fast-check';
import { isIPv6 } from 'node:net';
import { addressToBigInt, bigIntToAddress, parsePrefix } from '../../common/inventory/addressing.js';
import { addressValue, canonicalAddress, parsePrefixFast } from './fast-address.js';

const v6Value = fc.bigInt({ min: 0n, max: (1n << 128n) - 1n });
/** An IPv6 address in many spellings: canonical, fully expanded, upper-case, with leading zeros. */
const v6Text = fc.tuple(v6Value, fc.integer({ min: 0, max: 3 })).map(([value, style]) => {
  const groups = Array.from({ length: 8 }, (_, i) => ((value >> BigInt(112 - i * 16)) & 0xffffn).toString(16));
  if (style === 0) return bigIntToAddress(value, 6);
  if (style === 1) return groups.join(':');
  if (style === 2) return bigIntToAddress(value, 6).toUpperCase();
  return groups.map((g) => g.padStart(4, '0')).join(':');
});

describe('fast-address', () => {
  it('addressValue and canonicalAddress agree with addressing.ts for IPv6', () => {
    fc.assert(
      fc.property(v6Text, (text) => {
        expect(addressValue(text, 6)).toBe(addressToBigInt(text, 6));
        expect(canonicalAddress(text, 6)).toBe(bigIntToAddress(addressToBigInt(text, 6), 6));
      }),
      { numRuns: 2000 },
    );
  });

  it('addressValue and canonicalAddress agree with addressing.ts for IPv4', () => {
    fc.assert(
      fc.property(fc.ipV4(), (text) => {
        expect(addressValue(text, 4)).toBe(addressToBigInt(text, 4));
        expect(canonicalAddress(text, 4)).toBe(bigIntToAddress(addressToBigInt(text, 4), 4));
      }),
      { numRuns: 2000 },
    );
  });

  it('parsePrefixFast agrees with parsePrefix, valid or not', () => {
    const prefix = fc.oneof(
      fc.tuple(v6Text, fc.integer({ min: 0, max: 130 })).map(([a, l]) => `${a}/${l}`),
      fc.tuple(fc.ipV4(), fc.integer({ min: 0, max: 33 })).map(([a, l]) => `${a}/${l}`),
      fc.tuple(v6Value, fc.integer({ min: 0, max: 128 })).map(([v, l]) => {
        const network = l === 0 ? 0n : (v >> BigInt(128 - l)) << BigInt(128 - l);
        return `${bigIntToAddress(network, 6)}/${l}`;
      }),
      fc.string(),
    );
    fc.assert(
      fc.property(prefix, (text) => {
        expect(parsePrefixFast(text)).toEqual(parsePrefix(text));
      }),
      { numRuns: 3000 },
    );
  });

  it.each(['::/0', '::1/128', '::ffff:0:0/96', '1::/16', 'fe80::1%eth0/64', '1:2:3:4:5:6:7:8/128', '10.0.0.0/08'])('%s', (text) => {
    expect(parsePrefixFast(text)).toEqual(parsePrefix(text));
  });

  it.each(['::', '::1', '::ffff:0:0', '1::', '1:2:3:4:5:6:7:8', 'FD00:0:0::A'])('addressValue(%s)', (address) => {
    expect(isIPv6(address)).toBe(true);
    expect(addressValue(address, 6)).toBe(addressToBigInt(address, 6));
  });

  it('refuses IPv6 with an embedded dotted quad, as addressing.ts does', () => {
    expect(parsePrefix('::ffff:1.2.3.4/128')).toEqual(expect.stringContaining('is not a prefix'));
    expect(parsePrefixFast('::ffff:1.2.3.4/128')).toBe('"::ffff:1.2.3.4/128" is not a prefix: write IPv6 without a dotted quad');
    expect(addressValue('::ffff:1.2.3.4', 6)).toBe(0xffff01020304n);
  });
});
