/**
 * Address and prefix rules for the inventory, in plain TypeScript so they are easy to test.
 * Every function returns a problem as text (naming what is wrong) or a parsed value; none throws.
 */
import { isIPv4, isIPv6 } from 'node:net';
import { Netmask } from 'netmask';

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
 * thousands, so it does one BigInt conversion and no library calls for well-formed input.
 */
export function parsePrefix(text: string): ParsedPrefix | string {
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
  const value = addressToBigInt(address, family);
  const hostMask = (1n << BigInt(bits - length)) - 1n;
  const first = value & ~hostMask;
  if (value !== first) {
    return `${JSON.stringify(text)} has host bits set: did you mean ${bigIntToAddress(first, family)}/${length}?`;
  }
  return { family, length, first, last: first | hostMask, canonical: `${canonicalAddress(address, family)}/${length}` };
}

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
    first: addressToBigInt(subnet.base, 4),
    last: addressToBigInt(subnet.base, 4) + BigInt(subnet.size - 1),
  };
}

/** The address as a number; `address` must be a valid address of `family` (check with node:net). */
export function addressToBigInt(address: string, family: AddressFamily): bigint {
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
  if (family === 4) return address.split('.').map(Number).join('.');
  // The WHATWG URL parser serialises IPv6 hosts in the RFC 5952 form.
  return new URL(`http://[${address}]/`).hostname.slice(1, -1);
}

/** The textual form of an address: dotted quad, or RFC 5952 compressed lower-case IPv6. */
export function bigIntToAddress(value: bigint, family: AddressFamily): string {
  if (family === 4) return [24n, 16n, 8n, 0n].map((shift) => Number((value >> shift) & 0xffn)).join('.');
  const groups = Array.from({ length: 8 }, (_, index) => ((value >> BigInt(112 - index * 16)) & 0xffffn).toString(16));
  // The WHATWG URL parser serialises IPv6 hosts in the RFC 5952 form.
  return new URL(`http://[${groups.join(':')}]/`).hostname.slice(1, -1);
}
