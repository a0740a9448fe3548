/**
 * The hand-written parsers of addressing.ts and ip-address.ts against what they replaced: node:net's
 * isIPv4 and isIPv6, and the implementations of commit ec4629e (kept below, verbatim, as the
 * oracle), on valid and on malformed text: the same values and the same problems. Two deliberate
 * differences: a prefix with a zone index is refused with a message (the URL parser threw), and
 * addressToBigInt and canonicalAddress throw a RangeError for text that is not an address of the
 * family (the old code made a value up from it).
 */
import { isIPv4, isIPv6 } from 'node:net';
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { Netmask } from 'netmask';
import { addressToBigInt, bigIntToAddress, canonicalAddress, parseIPv4, parseIPv6Groups, type AddressFamily } from '../net/ip-address.js';
import { parsePrefix, tunnelSubnet, type ParsedPrefix, type TunnelSubnet } from './addressing.js';

// --- the previous implementation (commit ec4629e), unchanged ----------------------------------------

const legacy = {
  parsePrefix(text: string): ParsedPrefix | string {
    const slash = text.indexOf('/');
    if (slash < 0 || !/^\d{1,3}$/.test(text.slice(slash + 1))) {
      return `${JSON.stringify(text)} is not a prefix: expected address/length`;
    }
    const address = text.slice(0, slash);
    const length = Number(text.slice(slash + 1));
    const family: AddressFamily | 0 = isIPv4(address) ? 4 : isIPv6(address) ? 6 : 0;
    if (family === 0) return `${JSON.stringify(text)} is not a prefix: ${JSON.stringify(address)} is not an IP address`;
    const bits = family === 4 ? 32 : 128;
    if (length > bits) return `${JSON.stringify(text)} is not a prefix: length must be 0..${bits}`;
    if (family === 6 && address.includes('.')) {
      return `${JSON.stringify(text)} is not a prefix: write the IPv6 address in hexadecimal groups`;
    }
    const value = legacy.addressToBigInt(address, family);
    const hostMask = (1n << BigInt(bits - length)) - 1n;
    const first = value & ~hostMask;
    if (value !== first) {
      return `${JSON.stringify(text)} has host bits set: did you mean ${legacy.bigIntToAddress(first, family)}/${length}?`;
    }
    return { family, length, first, last: first | hostMask, canonical: `${legacy.canonicalAddress(address, family)}/${length}` };
  },

  tunnelSubnet(local: string, remote: string, prefixLength: number): TunnelSubnet | string {
    if (!isIPv4(local)) return `localInnerAddress ${JSON.stringify(local)} is not an IPv4 address`;
    if (!isIPv4(remote)) return `remoteInnerAddress ${JSON.stringify(remote)} is not an IPv4 address`;
    if (prefixLength !== 30 && prefixLength !== 31) return 'innerPrefixLength must be 30 or 31';
    if (local === remote) return 'localInnerAddress and remoteInnerAddress must differ';
    const subnet = new Netmask(`${local}/${prefixLength}`);
    if (!subnet.contains(remote)) {
      return `remoteInnerAddress ${remote} is not in ${subnet.base}/${prefixLength}, the /${prefixLength} of localInnerAddress ${local}`;
    }
    if (prefixLength === 30) {
      for (const [field, address] of [
        ['localInnerAddress', local],
        ['remoteInnerAddress', remote],
      ] as const) {
        if (address === subnet.base || address === subnet.broadcast) {
          return `${field} ${address} is the network or broadcast address of ${subnet.base}/30`;
        }
      }
    }
    return {
      network: `${subnet.base}/${prefixLength}`,
      first: legacy.addressToBigInt(subnet.base, 4),
      last: legacy.addressToBigInt(subnet.base, 4) + BigInt(subnet.size - 1),
    };
  },

  addressToBigInt(address: string, family: AddressFamily): bigint {
    if (family === 4) {
      const [a = 0, b = 0, c = 0, d = 0] = address.split('.').map(Number);
      return BigInt(((a << 24) >>> 0) + (b << 16) + (c << 8) + d);
    }
    if (!/^[0-9A-Fa-f:]+$/.test(address)) address = legacy.canonicalAddress(address, 6);
    const gap = address.indexOf('::');
    const head = gap < 0 ? address.split(':') : address.slice(0, gap).split(':').filter(Boolean);
    const tail =
      gap < 0
        ? []
        : address
            .slice(gap + 2)
            .split(':')
            .filter(Boolean);
    const groups = [...head, ...Array<string>(8 - head.length - tail.length).fill('0'), ...tail];
    return BigInt(`0x${groups.map((group) => group.padStart(4, '0')).join('')}`);
  },

  canonicalAddress(address: string, family: AddressFamily): string {
    if (family === 4) return address.split('.').map(Number).join('.');
    return new URL(`http://[${address}]/`).hostname.slice(1, -1);
  },

  bigIntToAddress(value: bigint, family: AddressFamily): string {
    if (family === 4) return [24n, 16n, 8n, 0n].map((shift) => Number((value >> shift) & 0xffn)).join('.');
    const groups = Array.from({ length: 8 }, (_, index) => ((value >> BigInt(112 - index * 16)) & 0xffffn).toString(16));
    return new URL(`http://[${groups.join(':')}]/`).hostname.slice(1, -1);
  },
};

// --- helpers ----------------------------------------------------------------------------------------

/** A result or the exception, so that "threw the same" compares equal too. */
function outcome<T>(run: () => T): { value: T } | { threw: string } {
  try {
    return { value: run() };
  } catch (error) {
    return { threw: `${(error as Error).name}: ${(error as Error).message}` };
  }
}

/** What differs between the new and the old answers for one address text: [] when nothing. */
function addressDifferences(text: string): { what: string; [detail: string]: unknown }[] {
  const differences: { what: string; [detail: string]: unknown }[] = [];
  const compare = (what: string, actual: unknown, expected: unknown): void => {
    if (!isDeepStrictEqual(actual, expected)) differences.push({ what, text, actual, expected });
  };
  compare('parseIPv4 vs isIPv4', parseIPv4(text) >= 0, isIPv4(text));
  compare('parseIPv6Groups vs isIPv6 without a zone', parseIPv6Groups(text) !== null, isIPv6(text) && !text.includes('%'));
  for (const family of [4, 6] as const) {
    const valid = family === 4 ? isIPv4(text) : isIPv6(text) && !text.includes('%');
    const refused = { threw: `RangeError: not an IPv${family} address: ${text}` };
    compare(
      `addressToBigInt(, ${family})`,
      outcome(() => addressToBigInt(text, family)),
      valid ? outcome(() => legacy.addressToBigInt(text, family)) : refused,
    );
    compare(
      `canonicalAddress(, ${family})`,
      outcome(() => canonicalAddress(text, family)),
      valid ? outcome(() => legacy.canonicalAddress(text, family)) : refused,
    );
  }
  return differences;
}

/** parsePrefix's answer, then the old one (a zone index refused with a message where it threw). */
function prefixOutcomes(text: string): [unknown, unknown] {
  const expected = outcome(() => legacy.parsePrefix(text));
  const zoneRefused = typeof text === 'string' && 'threw' in expected && expected.threw === 'TypeError: Invalid URL' && text.includes('%');
  return [
    outcome(() => parsePrefix(text)),
    zoneRefused
      ? { value: `${JSON.stringify(text)} is not a prefix: a zone index (%…) belongs to an interface address, not a prefix` }
      : expected,
  ];
}

// --- generators -------------------------------------------------------------------------------------

const hexChar = fc.constantFrom(...'0123456789abcdefABCDEF');
/** 0 to 5 hex digits: empty and too long groups too. */
const group = fc.string({ unit: hexChar, minLength: 0, maxLength: 5 });
/** Octets around the limits and with leading zeros. */
const octet = fc.oneof(
  fc.integer({ min: 0, max: 255 }).map(String),
  fc.constantFrom('0', '00', '01', '010', '099', '255', '256', '299', '1000', '', '0x1', '1e2', ' 1', '٣'),
);
const dottedQuad = fc
  .array(octet, { minLength: 3, maxLength: 5 })
  .chain((octets) => fc.constantFrom(octets.slice(0, 4), octets).map((parts) => parts.join('.')));
/** Something like an IPv6 address: groups joined by ':' (sometimes '::' or ':::'), maybe a dotted quad at the end. */
const v6Like = fc
  .tuple(
    fc.array(group, { minLength: 0, maxLength: 10 }),
    fc.array(fc.constantFrom(':', ':', ':', ':', '::', ':::', '.', ''), { minLength: 10, maxLength: 10 }),
    fc.option(dottedQuad, { freq: 3 }),
    fc.option(fc.constantFrom('%eth0', '%1', '%', '%a.b:c', '%-'), { freq: 6 }),
    fc.constantFrom('', '', '', ':', '::'),
  )
  .map(([groups, separators, quad, zone, lead]) => {
    let text = lead;
    groups.forEach((g, i) => {
      text += g + (i < groups.length - 1 || quad !== null ? separators[i]! : '');
    });
    return text + (quad ?? '') + (zone ?? '');
  });
/** Valid addresses in every spelling fast-check knows (embedded dotted quads, compressed, ...), in either case. */
const validV6 = fc.tuple(fc.ipV6(), fc.boolean()).map(([text, upper]) => (upper ? text.toUpperCase() : text));
const anyAddressText = fc.oneof(fc.ipV4(), fc.ipV4Extended(), dottedQuad, validV6, v6Like, fc.string({ maxLength: 12 }));
const lengthText = fc.oneof(
  fc.integer({ min: 0, max: 129 }).map(String),
  fc.constantFrom('', '0', '00', '08', '032', '128', '129', '999', '1000', '-1', '+8', '8 ', '1/2', '٣'),
);

// --- the tests --------------------------------------------------------------------------------------

describe('hand-written address parsers: the same answers as node:net and the code they replaced', () => {
  it.each([
    '0.0.0.0',
    '255.255.255.255',
    '1.2.3.4',
    '01.2.3.4',
    '1.2.3.04',
    '1.2.3.00',
    '1.2.3.256',
    '1.2.3',
    '1.2.3.4.5',
    '1.2.3.4.',
    '.1.2.3.4',
    '1..3.4',
    '1.2.3.4 ',
    '::',
    '::1',
    '1::',
    ':::',
    '::1:',
    ':1::',
    '1:2:3:4:5:6:7:8',
    '1:2:3:4:5:6:7::',
    '::2:3:4:5:6:7:8',
    '1:2:3:4::5:6:7:8',
    '1:2:3:4:5:6:7:8:9',
    '1:2:3:4:5:6:7',
    'FD00:ABCD::1',
    'fd00:0000:0000::0001',
    '00000::1',
    '::ffff:1.2.3.4',
    '::FFFF:1.2.3.4',
    '::1.2.3.4',
    '1:2:3:4:5:6:1.2.3.4',
    '1:2:3:4:5:6:7:1.2.3.4',
    '1:2:3:4:5::1.2.3.4',
    '1:2:3:4:5:6::1.2.3.4',
    '::ffff:1.2.3.04',
    '::ffff:1.2.3',
    '::1.2.3.4:5',
    'fe80::1%eth0',
    'fe80::%1',
    '1.2.3.4%eth0',
    'ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255',
    'g::1',
    '',
    ':',
    '.',
  ])('%j', (text) => {
    expect(addressDifferences(text)).toEqual([]);
  });

  it('agrees on every string of up to 6 characters from 0 1 a F : . %', () => {
    const alphabet = ['0', '1', 'a', 'F', ':', '.', '%'];
    let strings = [''];
    const differences: unknown[] = [];
    let valid = 0;
    for (let length = 1; length <= 6; length++) {
      strings = strings.flatMap((text) => alphabet.map((char) => text + char));
      for (const text of strings) {
        const v6 = isIPv6(text);
        if (parseIPv4(text) >= 0 !== isIPv4(text) || (parseIPv6Groups(text) !== null) !== (v6 && !text.includes('%'))) {
          differences.push(text);
        } else if (v6 && !text.includes('%')) {
          valid++;
          differences.push(...addressDifferences(text)); // the values and the canonical text too
        }
      }
    }
    expect(differences).toEqual([]);
    expect(valid).toBeGreaterThan(100); // ::, ::1, 1::a, a:F::0, ...
    expect(strings).toHaveLength(7 ** 6);
  });

  it('agrees on generated address-like text', () => {
    fc.assert(
      fc.property(anyAddressText, (text) => {
        expect(addressDifferences(text)).toEqual([]);
      }),
      { numRuns: 20000 },
    );
  });

  it('parses prefixes to the same value or the same problem', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.tuple(anyAddressText, lengthText).map(([address, length]) => `${address}/${length}`),
          fc.string({ maxLength: 20 }),
        ),
        (text) => {
          const [actual, expected] = prefixOutcomes(text);
          expect(actual).toEqual(expected);
        },
      ),
      { numRuns: 20000 },
    );
  });

  it('parses network prefixes (no host bits) the same, in any case', () => {
    const network = fc.oneof(
      fc
        .tuple(fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }), fc.integer({ min: 0, max: 128 }), fc.boolean())
        .map(([value, length, upper]) => {
          const first = length === 0 ? 0n : (value >> BigInt(128 - length)) << BigInt(128 - length);
          const text = legacy.bigIntToAddress(first, 6);
          return `${upper ? text.toUpperCase() : text}/${length}`;
        }),
      fc.tuple(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 32 })).map(([value, length]) => {
        const first = length === 0 ? 0n : (BigInt(value) >> BigInt(32 - length)) << BigInt(32 - length);
        return `${legacy.bigIntToAddress(first, 4)}/${length}`;
      }),
    );
    fc.assert(
      fc.property(network, (text) => {
        const [actual, expected] = prefixOutcomes(text);
        expect(actual).toEqual(expected);
      }),
      { numRuns: 5000 },
    );
  });

  it.each([
    '::/0',
    '::/128',
    '::ffff:1.2.3.4/96',
    '::ffff:1.2.3.4/129',
    'fe80::%eth0/64',
    'fe80::1%eth0/128',
    'fe80::1%eth0/200',
    '::ffff:1.2.3.4%eth0/96',
    '1.2.3.4%eth0/32',
    '2001:DB8::/32',
    '2001:db8::1/32',
    '2001:db8:0:0:0:0:0:0/32',
    '10.0.0.0/08',
    '10.0.0.0/8/8',
    '10.0.0.1/32',
    '10.0.0.1/31',
    '0.0.0.0/0',
    '255.255.255.255/0',
    '/8',
    '10.0.0.0/',
  ])('parsePrefix(%j)', (text) => {
    const [actual, expected] = prefixOutcomes(text);
    expect(actual).toEqual(expected);
  });

  it.each([null, undefined, 42, 1.5, ['1.2.3.4'], ['/', '8'], ['::', '/', '64'], { toString: () => '10.0.0.0/8' }])(
    'refuses %j (not a string: outside the types) without reading it as text',
    (value) => {
      const text = value as unknown as string;
      expect(parsePrefix(text)).toBe(`${JSON.stringify(text)} is not a prefix: expected address/length`);
      expect(parseIPv4(text)).toBe(-1);
      expect(parseIPv6Groups(text)).toBeNull();
      for (const family of [4, 6] as const) {
        expect(() => addressToBigInt(text, family)).toThrow(RangeError);
        expect(() => canonicalAddress(text, family)).toThrow(RangeError);
        expect(() => bigIntToAddress(value as unknown as bigint, family)).toThrow(TypeError);
      }
    },
  );

  it('formats any BigInt as before', () => {
    const value = fc.oneof(
      fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }),
      fc.bigInt({ min: 0n, max: 0xffffffffn }),
      fc.bigInt({ min: -(1n << 140n), max: 1n << 140n }),
      // Runs of zero groups of every length and place.
      fc
        .array(fc.constantFrom(0n, 0n, 0n, 1n, 0xabcdn, 0xffffn), { minLength: 8, maxLength: 8 })
        .map((groups) => groups.reduce<bigint>((v, g) => (v << 16n) | g, 0n)),
    );
    fc.assert(
      fc.property(value, (v) => {
        expect(bigIntToAddress(v, 4)).toBe(legacy.bigIntToAddress(v, 4));
        expect(bigIntToAddress(v, 6)).toBe(legacy.bigIntToAddress(v, 6));
      }),
      { numRuns: 10000 },
    );
  });

  it('finds tunnel subnets as before', () => {
    const near = fc
      .tuple(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: -5, max: 5 }))
      .map(([base, delta]): [string, string] => [
        legacy.bigIntToAddress(BigInt(base), 4),
        legacy.bigIntToAddress(BigInt(Math.min(0xffffffff, Math.max(0, base + delta))), 4),
      ]);
    const odd = fc.tuple(anyAddressText, anyAddressText);
    fc.assert(
      fc.property(fc.oneof(near, near, odd), fc.constantFrom(29, 30, 30, 31, 31, 32), ([local, remote], length) => {
        expect(outcome(() => tunnelSubnet(local, remote, length))).toEqual(outcome(() => legacy.tunnelSubnet(local, remote, length)));
      }),
      { numRuns: 10000 },
    );
  });
});
