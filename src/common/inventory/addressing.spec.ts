import { findOverlap, isAsn, parsePrefix, tunnelSubnet, type ParsedPrefix } from './addressing.js';

const prefix = (text: string): ParsedPrefix => {
  const parsed = parsePrefix(text);
  if (typeof parsed === 'string') throw new Error(parsed);
  return parsed;
};

describe('isAsn', () => {
  it.each([1, 65001, 4200000000, 4294967295])('accepts %d', (asn) => expect(isAsn(asn)).toBe(true));
  it.each([0, -1, 4294967296, 1.5, Number.NaN])('refuses %d', (asn) => expect(isAsn(asn)).toBe(false));
});

describe('parsePrefix', () => {
  it('canonicalises IPv4 and IPv6 prefixes', () => {
    expect(prefix('10.0.0.0/8').canonical).toBe('10.0.0.0/8');
    expect(prefix('2001:DB8:0::/32').canonical).toBe('2001:db8::/32');
    expect(prefix('0.0.0.0/0')).toMatchObject({ family: 4, length: 0, first: 0n, last: 0xffffffffn });
  });
  it.each([
    ['10.0.0.1/8', 'has host bits set: did you mean 10.0.0.0/8?'],
    ['10.0.0.0/33', 'length must be 0..32'],
    ['10.0.0.0', 'expected address/length'],
    ['10.0.0/8', 'is not an IP address'],
    ['2001:db8::/129', 'length must be 0..128'],
    ['10.0.0.0/08x', 'expected address/length'],
    ['::ffff:1.2.3.4/128', 'write the IPv6 address in hexadecimal groups'],
    ['::ffff:1.2.3.4/129', 'length must be 0..128'],
    ['10.0.0.0/0008', 'expected address/length'],
    ['10.0.0.0/-1', 'expected address/length'],
    ['010.0.0.0/8', 'is not an IP address'],
    ['1:2:3:4:5:6:7:8:9/64', 'is not an IP address'],
    ['1:2:3:4::5:6:7:8/64', 'is not an IP address'],
    ['fd00::1/64', 'has host bits set: did you mean fd00::/64?'],
  ])('refuses %s', (text, problem) => {
    expect(parsePrefix(text)).toEqual(expect.stringContaining(problem));
  });
});

describe('parsePrefix edge cases', () => {
  it('reads the length as up to three decimal digits, leading zeros included', () => {
    expect(prefix('10.0.0.0/08')).toMatchObject({ length: 8, canonical: '10.0.0.0/8' });
    expect(prefix('::/000')).toMatchObject({ family: 6, length: 0, first: 0n, last: (1n << 128n) - 1n, canonical: '::/0' });
    expect(prefix('::1/128')).toMatchObject({ first: 1n, last: 1n, canonical: '::1/128' });
    expect(prefix('255.255.255.255/32')).toMatchObject({ first: 0xffffffffn, last: 0xffffffffn });
  });
  it('canonicalises upper case and zero groups', () => {
    expect(prefix('FD00:0:0:0:0:0:0:0/16').canonical).toBe('fd00::/16');
    expect(prefix('2001:0DB8:0000:0001:0000:0000:0000:0000/64').canonical).toBe('2001:db8:0:1::/64');
  });
  it('refuses an IPv6 zone index with a message, not an exception (fe80::%eth0/64 as a query parameter)', () => {
    expect(parsePrefix('fe80::%eth0/64')).toBe(
      '"fe80::%eth0/64" is not a prefix: a zone index (%…) belongs to an interface address, not a prefix',
    );
  });
});

describe('findOverlap', () => {
  it('finds nested and equal prefixes, ignores other families', () => {
    expect(findOverlap([prefix('10.0.0.0/16'), prefix('10.1.0.0/16')])).toBeNull();
    expect(findOverlap([prefix('10.1.0.0/16'), prefix('10.0.0.0/8')])?.map((p) => p.canonical)).toEqual(['10.0.0.0/8', '10.1.0.0/16']);
    expect(findOverlap([prefix('fd00::/8'), prefix('10.0.0.0/8'), prefix('fd00:1::/32')])).not.toBeNull();
    expect(findOverlap([prefix('::/0'), prefix('0.0.0.0/0')])).toBeNull();
  });
});

describe('tunnelSubnet', () => {
  it('accepts the two usable addresses of a /30 and both of a /31', () => {
    expect(tunnelSubnet('169.254.1.2', '169.254.1.1', 30)).toMatchObject({ network: '169.254.1.0/30' });
    expect(tunnelSubnet('169.254.1.0', '169.254.1.1', 31)).toMatchObject({
      network: '169.254.1.0/31',
      last: prefix('169.254.1.0/31').last,
    });
  });
  it.each([
    ['169.254.1.1', '169.254.1.5', 30, 'is not in 169.254.1.0/30'],
    ['169.254.1.0', '169.254.1.1', 30, 'is the network or broadcast address'],
    ['169.254.1.2', '169.254.1.3', 30, 'remoteInnerAddress 169.254.1.3 is the network or broadcast'],
    ['169.254.1.1', '169.254.1.1', 31, 'must differ'],
    ['169.254.1.1', '169.254.1.2', 31, 'is not in 169.254.1.0/31'],
    ['169.254.1.1', '169.254.1.2', 29, 'innerPrefixLength must be 30 or 31'],
    ['fd00::1', '169.254.1.2', 30, 'localInnerAddress "fd00::1" is not an IPv4 address'],
  ])('refuses %s and %s in a /%d', (local, remote, length, problem) => {
    expect(tunnelSubnet(local, remote, length)).toEqual(expect.stringContaining(problem));
  });
});
