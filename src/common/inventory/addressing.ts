/**
 * Address and prefix rules for the inventory, in plain TypeScript so they are easy to test.
 * Every function returns a problem as text (naming what is wrong) or a parsed value; none throws.
 */
import { isIPv4, isIPv6 } from 'node:net';

export const ASN_MIN = 1;
export const ASN_MAX = 4294967295;

export function isAsn(value: number): boolean {
  return Number.isInteger(value) && value >= ASN_MIN && value <= ASN_MAX;
}

export type AddressFamily = 4 | 6;

export interface ParsedPrefix {
  family: AddressFamily;
  length: number;
  first: bigint;
  last: bigint;
  /** The form stored and returned: lower-case, compressed, network address. */
  canonical: string;
}

/**
 * Parses `address/length`. Hot path: BRM checks every learned prefix with it and a host's render
 * thousands, so well-formed input goes through the hand-written parsers below (no regex, no URL,
 * one or two BigInt conversions); anything else takes the general path.
 */
export function parsePrefix(text: string): ParsedPrefix | string {
  const slash = typeof text === 'string' ? text.indexOf('/') : -1;
  const length = slash < 0 ? -1 : prefixLengthAt(text, slash + 1);
  if (length < 0) return parsePrefixSlowly(text);
  const address = text.slice(0, slash);
  const v4 = parseIPv4(address);
  if (v4 >= 0) {
    if (length > 32) return `${JSON.stringify(text)} is not a prefix: length must be 0..32`;
    const size = 2 ** (32 - length);
    const first = v4 - (v4 % size);
    if (v4 !== first) return `${JSON.stringify(text)} has host bits set: did you mean ${ipv4ToText(first)}/${length}?`;
    // A dotted quad node:net accepts has no leading zeros: it is its own canonical form.
    return { family: 4, length, first: BigInt(first), last: BigInt(first + size - 1), canonical: `${address}/${length}` };
  }
  const groups = parseIPv6Groups(address);
  if (groups !== null) {
    if (length > 128) return `${JSON.stringify(text)} is not a prefix: length must be 0..128`;
    if (address.includes('.')) return `${JSON.stringify(text)} is not a prefix: write the IPv6 address in hexadecimal groups`;
    const value = groupsToBigInt(groups);
    const hostMask = IPV6_HOST_MASKS[length]!;
    const first = value & ~hostMask;
    if (value !== first) return `${JSON.stringify(text)} has host bits set: did you mean ${bigIntToAddress(first, 6)}/${length}?`;
    return { family: 6, length, first, last: first | hostMask, canonical: `${formatIPv6(groups)}/${length}` };
  }
  return parsePrefixSlowly(text);
}

/**
 * What parsePrefix always did, for what the hand-written parsers do not take: no `/length`, not an
 * IP address, or one with a zone index (fe80::1%eth0), which node:net's isIPv6 accepts but which
 * has no place in a prefix (the URL parser behind canonicalAddress would throw on it).
 */
function parsePrefixSlowly(text: string): ParsedPrefix | string {
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
  if (address.includes('%'))
    return `${JSON.stringify(text)} is not a prefix: a zone index (%…) belongs to an interface address, not a prefix`;
  const value = addressToBigInt(address, family);
  const hostMask = (1n << BigInt(bits - length)) - 1n;
  const first = value & ~hostMask;
  if (value !== first) {
    return `${JSON.stringify(text)} has host bits set: did you mean ${bigIntToAddress(first, family)}/${length}?`;
  }
  return { family, length, first, last: first | hostMask, canonical: `${canonicalAddress(address, family)}/${length}` };
}

/** The prefix length written from `start` to the end of `text`: 1 to 3 ASCII digits (08 is 8), else -1. */
function prefixLengthAt(text: string, start: number): number {
  const digits = text.length - start;
  if (digits < 1 || digits > 3) return -1;
  let length = 0;
  for (let i = start; i < text.length; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    length = length * 10 + digit;
  }
  return length;
}

/** `hostMask[length]`: the host bits of an IPv6 prefix of that length. */
const IPV6_HOST_MASKS: readonly bigint[] = Array.from({ length: 129 }, (_, length) => (1n << BigInt(128 - length)) - 1n);

export function prefixesOverlap(a: ParsedPrefix, b: ParsedPrefix): boolean {
  return a.family === b.family && a.first <= b.last && b.first <= a.last;
}

/** The first pair of overlapping prefixes in the list, or null. */
export function findOverlap(prefixes: readonly ParsedPrefix[]): [ParsedPrefix, ParsedPrefix] | null {
  const sorted = [...prefixes].sort((a, b) => a.family - b.family || (a.first < b.first ? -1 : a.first > b.first ? 1 : 0));
  for (let i = 1; i < sorted.length; i++) {
    if (prefixesOverlap(sorted[i - 1]!, sorted[i]!)) return [sorted[i - 1]!, sorted[i]!];
  }
  return null;
}

export interface TunnelSubnet {
  /** e.g. 169.254.1.0/30 */
  network: string;
  first: bigint;
  last: bigint;
}

/**
 * A GRE tunnel's inner addresses are two different IPv4 addresses in one /30 or /31; on a /30
 * neither may be the network or broadcast address.
 */
export function tunnelSubnet(local: string, remote: string, prefixLength: number): TunnelSubnet | string {
  const localValue = parseIPv4(local);
  if (localValue < 0) return `localInnerAddress ${JSON.stringify(local)} is not an IPv4 address`;
  const remoteValue = parseIPv4(remote);
  if (remoteValue < 0) return `remoteInnerAddress ${JSON.stringify(remote)} is not an IPv4 address`;
  if (prefixLength !== 30 && prefixLength !== 31) return 'innerPrefixLength must be 30 or 31';
  if (local === remote) return 'localInnerAddress and remoteInnerAddress must differ';
  const size = prefixLength === 30 ? 4 : 2;
  const base = localValue - (localValue % size);
  const network = `${ipv4ToText(base)}/${prefixLength}`;
  if (remoteValue - (remoteValue % size) !== base) {
    return `remoteInnerAddress ${remote} is not in ${network}, the /${prefixLength} of localInnerAddress ${local}`;
  }
  if (prefixLength === 30) {
    for (const [field, address, value] of [
      ['localInnerAddress', local, localValue],
      ['remoteInnerAddress', remote, remoteValue],
    ] as const) {
      if (value === base || value === base + size - 1) {
        return `${field} ${address} is the network or broadcast address of ${network}`;
      }
    }
  }
  return { network, first: BigInt(base), last: BigInt(base + size - 1) };
}

/**
 * The IPv6 counterpart of tunnelSubnet, with the same rule set: two different IPv6 addresses in
 * one /126 or /127; on a /126 neither the first address (the subnet-router anycast address, RFC
 * 4291) nor the last is used, as a /30 leaves out network and broadcast, so a /126 pairs ::1 with
 * ::2; a /127 uses both (RFC 6164). Written in hexadecimal groups (no zone index, no dotted quad),
 * in either case: `network` is RFC 5952 text.
 */
export function tunnelSubnetV6(local: string, remote: string, prefixLength: number): TunnelSubnet | string {
  const localGroups = local.includes('.') ? null : parseIPv6Groups(local);
  if (localGroups === null) return `localInnerAddressV6 ${JSON.stringify(local)} is not an IPv6 address in hexadecimal groups`;
  const remoteGroups = remote.includes('.') ? null : parseIPv6Groups(remote);
  if (remoteGroups === null) return `remoteInnerAddressV6 ${JSON.stringify(remote)} is not an IPv6 address in hexadecimal groups`;
  if (prefixLength !== 126 && prefixLength !== 127) return 'innerPrefixLengthV6 must be 126 or 127';
  const localValue = groupsToBigInt(localGroups);
  const remoteValue = groupsToBigInt(remoteGroups);
  const localText = formatIPv6(localGroups);
  const remoteText = formatIPv6(remoteGroups);
  if (localValue === remoteValue) return 'localInnerAddressV6 and remoteInnerAddressV6 must differ';
  const hostMask = IPV6_HOST_MASKS[prefixLength]!;
  const first = localValue & ~hostMask;
  const last = first | hostMask;
  const network = `${bigIntToAddress(first, 6)}/${prefixLength}`;
  if ((remoteValue & ~hostMask) !== first) {
    return `remoteInnerAddressV6 ${remoteText} is not in ${network}, the /${prefixLength} of localInnerAddressV6 ${localText}`;
  }
  if (prefixLength === 126) {
    for (const [field, text, value] of [
      ['localInnerAddressV6', localText, localValue],
      ['remoteInnerAddressV6', remoteText, remoteValue],
    ] as const) {
      if (value === first) return `${field} ${text} is the subnet-router anycast address (the first) of ${network}`;
      if (value === last) return `${field} ${text} is the last address of ${network}, left unused on a /126 as on an IPv4 /30`;
    }
  }
  return { network, first, last };
}

// --- addresses ----------------------------------------------------------------------------------
//
// node:net's isIPv4/isIPv6 are large regular expressions and the URL parser (which writes RFC 5952
// text) builds a URL object per call: the hand-written parsers below accept exactly the same text
// (addressing.equivalence.spec.ts checks them against node:net and against the code they replaced)
// and the functions fall back to the general path for anything they do not take.

/**
 * The value of a dotted quad as node:net's isIPv4 accepts it (four decimal numbers 0..255, no
 * leading zeros: 1.2.3.04 is refused), or -1.
 */
export function parseIPv4(text: string): number {
  if (typeof text !== 'string') return -1;
  const length = text.length;
  if (length < 7 || length > 15) return -1;
  let value = 0;
  let octet = 0;
  let digits = 0;
  let octets = 0;
  for (let i = 0; i <= length; i++) {
    const char = i < length ? text.charCodeAt(i) : 46; // a '.' after the end closes the last octet
    if (char === 46) {
      if (digits === 0 || octets === 4) return -1;
      value = value * 256 + octet;
      octets++;
      octet = 0;
      digits = 0;
    } else if (char >= 48 && char <= 57) {
      if (digits > 0 && octet === 0) return -1; // a leading zero
      octet = octet * 10 + (char - 48);
      if (octet > 255) return -1;
      digits++;
    } else {
      return -1;
    }
  }
  return octets === 4 ? value : -1;
}

/**
 * The eight 16-bit groups of an IPv6 address as node:net's isIPv6 accepts it without a zone index:
 * one to four hex digits per group (either case, leading zeros allowed), at most one `::` standing
 * for one or more zero groups, optionally a dotted quad (as parseIPv4) for the last two groups.
 * Null for anything else, a zone index (fe80::1%eth0) included.
 */
export function parseIPv6Groups(text: string): number[] | null {
  if (typeof text !== 'string') return null;
  const length = text.length;
  if (length < 2 || length > 45) return null;
  const groups: number[] = [];
  /** Where `::` stands among the groups, or -1. */
  let gap = -1;
  let i = 0;
  if (text.charCodeAt(0) === 58) {
    if (text.charCodeAt(1) !== 58) return null;
    gap = 0;
    i = 2;
  }
  while (i < length) {
    if (groups.length === 8) return null;
    let value = 0;
    let end = i;
    for (; end < length; end++) {
      const digit = hexDigit(text.charCodeAt(end));
      if (digit < 0) break;
      value = value * 16 + digit;
    }
    if (end < length && text.charCodeAt(end) === 46) {
      // A dotted quad: the last thing in the address, in place of two groups.
      if (groups.length > 6) return null;
      const v4 = parseIPv4(text.slice(i));
      if (v4 < 0) return null;
      groups.push(Math.floor(v4 / 65536), v4 % 65536);
      break;
    }
    if (end === i || end - i > 4) return null;
    groups.push(value);
    if (end === length) break;
    if (text.charCodeAt(end) !== 58) return null;
    i = end + 1;
    if (i < length && text.charCodeAt(i) === 58) {
      if (gap >= 0) return null;
      gap = groups.length;
      i++;
    } else if (i === length) {
      return null; // a single trailing ':'
    }
  }
  if (gap < 0) return groups.length === 8 ? groups : null;
  if (groups.length > 7) return null;
  groups.splice(gap, 0, ...Array<number>(8 - groups.length).fill(0));
  return groups;
}

function hexDigit(char: number): number {
  if (char >= 48 && char <= 57) return char - 48;
  if (char >= 97 && char <= 102) return char - 87;
  if (char >= 65 && char <= 70) return char - 55;
  return -1;
}

/** The value of the eight groups parseIPv6Groups returns. */
export function groupsToBigInt(groups: readonly number[]): bigint {
  // Three BigInts from exact Numbers (48 + 48 + 32 bits), not 32 hex digits or eight shifts.
  const high = BigInt((groups[0]! * 65536 + groups[1]!) * 65536 + groups[2]!);
  const middle = BigInt((groups[3]! * 65536 + groups[4]!) * 65536 + groups[5]!);
  const low = BigInt(groups[6]! * 65536 + groups[7]!);
  return (((high << 48n) | middle) << 32n) | low;
}

function ipv4ToText(value: number): string {
  return `${Math.floor(value / 16777216)}.${Math.floor(value / 65536) % 256}.${Math.floor(value / 256) % 256}.${value % 256}`;
}

/** RFC 5952 text as the WHATWG URL serialiser writes it: lower case, the first longest run of two or more zero groups as `::`. */
export function formatIPv6(groups: readonly number[]): string {
  let gapStart = -1;
  let gapLength = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let end = i + 1;
    while (end < 8 && groups[end] === 0) end++;
    if (end - i > gapLength) {
      gapStart = i;
      gapLength = end - i;
    }
    i = end;
  }
  let text = '';
  for (let i = 0; i < 8; i++) {
    if (i === gapStart) {
      text += i === 0 ? '::' : ':';
      i += gapLength - 1;
      continue;
    }
    text += groups[i]!.toString(16);
    if (i !== 7) text += ':';
  }
  return text;
}

/** The address as a number; `address` must be a valid address of `family` (check with node:net). */
export function addressToBigInt(address: string, family: AddressFamily): bigint {
  if (family === 4) {
    const value = parseIPv4(address);
    if (value >= 0) return BigInt(value);
  } else {
    const groups = parseIPv6Groups(address);
    if (groups !== null) return groupsToBigInt(groups);
  }
  return addressToBigIntSlowly(address, family);
}

/** What addressToBigInt always did: for text the parsers above refuse (not a valid address of `family`). */
function addressToBigIntSlowly(address: string, family: AddressFamily): bigint {
  if (family === 4) {
    // Number arithmetic and one BigInt, instead of four BigInt shifts.
    const [a = 0, b = 0, c = 0, d = 0] = address.split('.').map(Number);
    return BigInt(((a << 24) >>> 0) + (b << 16) + (c << 8) + d);
  }
  // An embedded dotted quad (::ffff:1.2.3.4) becomes hex groups through the URL parser first.
  if (!/^[0-9A-Fa-f:]+$/.test(address)) address = canonicalAddress(address, 6);
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
  // One BigInt from 32 hex digits: far less garbage than shifting eight BigInts together.
  return BigInt(`0x${groups.map((group) => group.padStart(4, '0')).join('')}`);
}

/** The text FRR prints for a valid address: dotted quad, or RFC 5952 compressed lower-case IPv6. */
export function canonicalAddress(address: string, family: AddressFamily): string {
  if (family === 4) {
    // A dotted quad node:net accepts has no leading zeros: it is already canonical.
    if (parseIPv4(address) >= 0) return address;
    return address.split('.').map(Number).join('.');
  }
  const groups = parseIPv6Groups(address);
  if (groups !== null) return formatIPv6(groups);
  // The WHATWG URL parser serialises IPv6 hosts in the RFC 5952 form (and throws on a zone index).
  return new URL(`http://[${address}]/`).hostname.slice(1, -1);
}

/** The textual form of an address: dotted quad, or RFC 5952 compressed lower-case IPv6. */
export function bigIntToAddress(value: bigint, family: AddressFamily): string {
  if (family === 4) {
    if (typeof value === 'bigint' && value >= 0n && value <= 0xffffffffn) return ipv4ToText(Number(value));
    return [24n, 16n, 8n, 0n].map((shift) => Number((value >> shift) & 0xffn)).join('.');
  }
  // The low 128 bits, 32 at a time (as the 16-bit masks of before, for any BigInt).
  const groups: number[] = [];
  for (const shift of [96n, 64n, 32n, 0n]) {
    const bits = Number(BigInt.asUintN(32, value >> shift));
    groups.push(Math.floor(bits / 65536), bits % 65536);
  }
  return formatIPv6(groups);
}
