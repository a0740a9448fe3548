/**
 * Prefix, tunnel subnet and ASN rules for the inventory, in plain TypeScript so they are easy to
 * test. Every function returns a problem as text (naming what is wrong) or a parsed value; none
 * throws. Address text itself follows common/net/ip-address.ts.
 */
import {
  bigIntToAddress,
  formatIPv4,
  formatIPv6,
  groupsToBigInt,
  parseIPv4,
  parseIPv6Groups,
  type AddressFamily,
} from '../net/ip-address.js';

export const ASN_MIN = 1;
export const ASN_MAX = 4294967295;

export function isAsn(value: number): boolean {
  return Number.isInteger(value) && value >= ASN_MIN && value <= ASN_MAX;
}

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
 * thousands, so it costs one parse of the address and one or two BigInt conversions.
 */
export function parsePrefix(text: string): ParsedPrefix | string {
  const slash = typeof text === 'string' ? text.indexOf('/') : -1;
  const length = slash < 0 ? -1 : prefixLengthAt(text, slash + 1);
  if (length < 0) return `${JSON.stringify(text)} is not a prefix: expected address/length`;
  const address = text.slice(0, slash);
  const v4 = parseIPv4(address);
  if (v4 >= 0) {
    if (length > 32) return `${JSON.stringify(text)} is not a prefix: length must be 0..32`;
    const size = 2 ** (32 - length);
    const first = v4 - (v4 % size);
    if (v4 !== first) return `${JSON.stringify(text)} has host bits set: did you mean ${formatIPv4(first)}/${length}?`;
    // parseIPv4 refuses leading zeros: the dotted quad is its own canonical form.
    return { family: 4, length, first: BigInt(first), last: BigInt(first + size - 1), canonical: `${address}/${length}` };
  }
  const zone = address.indexOf('%');
  const groups = parseIPv6Groups(zone < 0 ? address : address.slice(0, zone));
  if (groups === null || (zone >= 0 && !ZONE_ID.test(address.slice(zone + 1)))) {
    return `${JSON.stringify(text)} is not a prefix: ${JSON.stringify(address)} is not an IP address`;
  }
  if (length > 128) return `${JSON.stringify(text)} is not a prefix: length must be 0..128`;
  if (address.includes('.')) return `${JSON.stringify(text)} is not a prefix: write the IPv6 address in hexadecimal groups`;
  if (zone >= 0) return `${JSON.stringify(text)} is not a prefix: a zone index (%…) belongs to an interface address, not a prefix`;
  const value = groupsToBigInt(groups);
  const hostMask = IPV6_HOST_MASKS[length]!;
  const first = value & ~hostMask;
  if (value !== first) return `${JSON.stringify(text)} has host bits set: did you mean ${bigIntToAddress(first, 6)}/${length}?`;
  return { family: 6, length, first, last: first | hostMask, canonical: `${formatIPv6(groups)}/${length}` };
}

/**
 * A zone index (RFC 4007 §11) as node's isIPv6 takes it after `%`: an address with one is an IP
 * address (so the problem says what is wrong with it), just not one a prefix may have.
 */
const ZONE_ID = /^[0-9A-Za-z.:-]+$/;

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
  const network = `${formatIPv4(base)}/${prefixLength}`;
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
