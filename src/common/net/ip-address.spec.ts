import { isIPv4, isIPv6 } from 'node:net';
import fc from 'fast-check';
import {
  addressToBigInt,
  addressToBytes,
  bigIntToAddress,
  bytesToAddress,
  bytesToIPv4,
  bytesToIPv6,
  canonicalAddress,
  formatIPv4,
  formatIPv6,
  groupsToBigInt,
  ipv4ToBytes,
  ipv6ToBytes,
  parseIPv4,
  parseIPv6Groups,
} from './ip-address.js';

describe('parseIPv4', () => {
  it.each([
    ['0.0.0.0', 0],
    ['1.2.3.4', 0x01020304],
    ['10.0.0.255', 0x0a0000ff],
    ['255.255.255.255', 0xffffffff],
  ])('reads %s', (text, value) => expect(parseIPv4(text)).toBe(value));
  it.each([
    // Leading zeros (RFC 6943 §3.1.1: octal to some parsers).
    '01.2.3.4',
    '1.2.3.04',
    '1.2.3.00',
    '010.0.0.1',
    '000.0.0.0',
    // Out of range.
    '1.2.3.256',
    '256.1.1.1',
    '1.2.3.1000',
    // Not four decimal numbers.
    '1.2.3',
    '1.2.3.4.5',
    '1.2.3.4.',
    '.1.2.3.4',
    '1..3.4',
    '1..2.3',
    ' 1.2.3.4',
    '1.2.3.4 ',
    '1.2.3.04x',
    '1.2.3.4/32',
    '0x1.2.3.4',
    '1e2.0.0.1',
    '::1',
    '',
  ])('refuses %j (as node:net does)', (text) => {
    expect(parseIPv4(text)).toBe(-1);
    expect(isIPv4(text)).toBe(false);
  });
});

describe('parseIPv6Groups', () => {
  it.each([
    ['::', [0, 0, 0, 0, 0, 0, 0, 0]],
    ['::1', [0, 0, 0, 0, 0, 0, 0, 1]],
    ['1::', [1, 0, 0, 0, 0, 0, 0, 0]],
    ['FD00:AbC::0001', [0xfd00, 0xabc, 0, 0, 0, 0, 0, 1]],
    ['1:2:3:4:5:6:7:8', [1, 2, 3, 4, 5, 6, 7, 8]],
    ['1:2:3:4:5:6:7::', [1, 2, 3, 4, 5, 6, 7, 0]],
    ['::2:3:4:5:6:7:8', [0, 2, 3, 4, 5, 6, 7, 8]],
    ['::ffff:1.2.3.4', [0, 0, 0, 0, 0, 0xffff, 0x0102, 0x0304]],
    ['::FFFF:1.2.3.4', [0, 0, 0, 0, 0, 0xffff, 0x0102, 0x0304]],
    ['::1.2.3.4', [0, 0, 0, 0, 0, 0, 0x0102, 0x0304]],
    ['1:2:3:4:5:6:255.255.255.255', [1, 2, 3, 4, 5, 6, 0xffff, 0xffff]],
  ])('reads %s', (text, groups) => expect(parseIPv6Groups(text)).toEqual(groups));
  it.each([
    ':',
    ':::',
    ':1::',
    '1:',
    '::1:',
    '1::2::3',
    // Too few or too many groups.
    '1:2:3:4:5:6:7',
    '1:2:3:4:5:6:7:8:9',
    '1:2:3:4::5:6:7:8',
    '::1:2:3:4:5:6:7:8',
    '1:2:3:4:5:6:7:1.2.3.4',
    // Too many digits, not hex.
    '12345::',
    '00000::1',
    'g::1',
    // An embedded dotted quad follows parseIPv4.
    '::ffff:1.2.3.04',
    '::ffff:01.2.3.4',
    '::ffff:1.2.3.256',
    '::ffff:1.2.3',
    '::1.2.3.4:5',
    // A zone index.
    'fe80::1%eth0',
    '1.2.3.4',
    '',
  ])('refuses %j', (text) => expect(parseIPv6Groups(text)).toBeNull());

  it('takes what node:net takes, less a zone index, on every string of up to 6 characters from 0 1 a F : . %', () => {
    const alphabet = ['0', '1', 'a', 'F', ':', '.', '%'];
    let strings = [''];
    const differences: string[] = [];
    for (let length = 1; length <= 6; length++) {
      strings = strings.flatMap((text) => alphabet.map((char) => text + char));
      for (const text of strings) {
        if (parseIPv4(text) >= 0 !== isIPv4(text)) differences.push(text);
        if ((parseIPv6Groups(text) !== null) !== (isIPv6(text) && !text.includes('%'))) differences.push(text);
      }
    }
    expect(differences).toEqual([]);
  });
});

describe('formatIPv6 (RFC 5952)', () => {
  it.each([
    // §4.2.1, §4.2.2: the longest run of zero groups is `::`, a single zero group is not.
    [[0x2001, 0xdb8, 0, 0, 0, 0, 2, 1], '2001:db8::2:1'],
    [[0x2001, 0xdb8, 0, 1, 1, 1, 1, 1], '2001:db8:0:1:1:1:1:1'],
    // §4.2.3: the longest run, the first of equally long ones.
    [[1, 0, 0, 1, 0, 0, 0, 1], '1:0:0:1::1'],
    [[1, 0, 0, 1, 0, 0, 1, 1], '1::1:0:0:1:1'],
    [[0x2001, 0, 0, 1, 0, 0, 0, 1], '2001:0:0:1::1'],
    // §4.1, §4.3: no leading zeros, lower case.
    [[0x2001, 0xdb8, 0xabcd, 0x0ef, 0, 0, 0, 0x0001], '2001:db8:abcd:ef::1'],
    [[0, 0, 0, 0, 0, 0, 0, 0], '::'],
    [[0, 0, 0, 0, 0, 0, 0, 1], '::1'],
    [[1, 0, 0, 0, 0, 0, 0, 0], '1::'],
    // An embedded IPv4 address stays in hex groups, as the URL serialiser writes it.
    [[0, 0, 0, 0, 0, 0xffff, 0x0102, 0x0304], '::ffff:102:304'],
  ])('writes %j as %s', (groups, text) => expect(formatIPv6(groups)).toBe(text));

  it('writes exactly what the WHATWG URL serialiser writes, and reads it back', () => {
    const group = fc.oneof(fc.constant(0), fc.constant(1), fc.integer({ min: 0, max: 0xffff }));
    fc.assert(
      fc.property(fc.array(group, { minLength: 8, maxLength: 8 }), (groups) => {
        const text = formatIPv6(groups);
        expect(text).toBe(new URL(`http://[${groups.map((g) => g.toString(16)).join(':')}]/`).hostname.slice(1, -1));
        expect(parseIPv6Groups(text)).toEqual(groups);
      }),
      { numRuns: 500 },
    );
  });
});

describe('bytes', () => {
  it('formats the address at an offset', () => {
    const bytes = Buffer.from('ff0a0000ff20010db8000000000000000000000001', 'hex');
    expect(bytesToIPv4(bytes, 1)).toBe('10.0.0.255');
    expect(bytesToIPv6(bytes, 5)).toBe('2001:db8::1');
    expect(bytesToAddress(bytes.subarray(1, 5))).toBe('10.0.0.255');
    expect(bytesToAddress(bytes.subarray(5))).toBe('2001:db8::1');
  });

  it('reads text into bytes', () => {
    expect([...ipv4ToBytes('0.10.200.255')]).toEqual([0, 10, 200, 255]);
    expect(ipv6ToBytes('FD00::1').toString('hex')).toBe('fd000000000000000000000000000001');
    expect(ipv6ToBytes('::ffff:1.2.3.4').toString('hex')).toBe('00000000000000000000ffff01020304');
    expect(addressToBytes('192.0.2.1').toString('hex')).toBe('c0000201');
    expect(addressToBytes('2001:db8::').length).toBe(16);
  });

  it.each(['1.2.3', '256.1.1.1', '1..2.3', '1.2.3.4.5', '1.2.3.04x', '01.2.3.4', ''])('refuses %j as an IPv4 address', (text) => {
    expect(() => ipv4ToBytes(text)).toThrow(new RangeError(`not an IPv4 address: ${text}`));
  });

  it.each(['1:2:3:4:5:6:7', '1:2:3:4:5:6:7:8:9', 'fe80::1%eth0', '::ffff:01.2.3.4'])('refuses %j as an IPv6 address', (text) => {
    expect(() => ipv6ToBytes(text)).toThrow(new RangeError(`not an IPv6 address: ${text}`));
  });

  it('round-trips any 16 bytes through RFC 5952 text', () => {
    const group = fc.oneof(fc.constant(0), fc.constant(1), fc.integer({ min: 0, max: 0xffff }));
    fc.assert(
      fc.property(fc.array(group, { minLength: 8, maxLength: 8 }), (groups) => {
        const bytes = Buffer.alloc(16);
        groups.forEach((value, i) => bytes.writeUInt16BE(value, 2 * i));
        const text = bytesToIPv6(bytes);
        expect(text).toBe(formatIPv6(groups));
        expect(ipv6ToBytes(text)).toEqual(bytes);
      }),
      { numRuns: 500 },
    );
  });
});

describe('numbers', () => {
  it('converts between text and numbers', () => {
    expect(addressToBigInt('::ffff:1.2.3.4', 6)).toBe(0xffff01020304n);
    expect(addressToBigInt('FD00::1', 6)).toBe((0xfd00n << 112n) | 1n);
    expect(addressToBigInt('192.0.2.1', 4)).toBe(0xc0000201n);
    expect(groupsToBigInt([0xffff, 0, 0, 0, 0, 0, 0, 0xffff])).toBe((0xffffn << 112n) | 0xffffn);
    expect(canonicalAddress('::FFFF:1.2.3.4', 6)).toBe('::ffff:102:304');
    expect(canonicalAddress('1:0:0:1:0:0:0:1', 6)).toBe('1:0:0:1::1');
    expect(canonicalAddress('1:0:0:1:0:0:1:1', 6)).toBe('1::1:0:0:1:1');
    expect(canonicalAddress('1:0:1:1:1:1:1:1', 6)).toBe('1:0:1:1:1:1:1:1');
    expect(canonicalAddress('192.0.2.1', 4)).toBe('192.0.2.1');
    expect(bigIntToAddress(0n, 6)).toBe('::');
    expect(bigIntToAddress(0xc0000201n, 4)).toBe('192.0.2.1');
    expect(bigIntToAddress((1n << 128n) + 1n, 6)).toBe('::1');
    expect(formatIPv4(0xffffffff)).toBe('255.255.255.255');
  });

  it.each([
    ['01.2.3.4', 4],
    ['1.2.3', 4],
    ['::1', 4],
    ['1.2.3.4', 6],
    ['fe80::1%eth0', 6],
    ['1:2:3', 6],
  ] as const)('refuses %j as an IPv%d address', (text, family) => {
    expect(() => addressToBigInt(text, family)).toThrow(new RangeError(`not an IPv${family} address: ${text}`));
    expect(() => canonicalAddress(text, family)).toThrow(new RangeError(`not an IPv${family} address: ${text}`));
  });
});
