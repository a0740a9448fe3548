/**
 * Fast paths for the address helpers of src/common/inventory/addressing.ts, for rendering hosts
 * with thousands of sessions: addressing.ts parses IPv6 through ip-cidr (about 40 µs a call),
 * which made a 2,000-session render take two seconds. These give the same results (a property
 * test in fast-address.spec.ts compares them with addressing.ts) and fall back to addressing.ts
 * for anything unusual and for every error, so the messages stay the inventory's own (except
 * IPv6 with an embedded dotted quad, on which addressing.ts throws instead of answering).
 */
import { isIPv4, isIPv6 } from 'node:net';
import { addressToBigInt, parsePrefix, type AddressFamily, type ParsedPrefix } from '../../common/inventory/addressing.js';

const HEX_ADDRESS = /^[0-9A-Fa-f:]+$/;
const OCTET = '(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])';
const CANONICAL_V4 = new RegExp(`^${OCTET}(?:\\.${OCTET}){3}$`);

/** The address as a number, like addressToBigInt; `address` must be a valid address of `family`. */
export function addressValue(address: string, family: AddressFamily): bigint {
  if (family === 4) {
    // Number arithmetic and one BigInt, instead of four BigInt shifts.
    const octets = address.split('.');
    if (octets.length !== 4) return addressToBigInt(address, 4);
    return BigInt(((Number(octets[0]) << 24) >>> 0) + (Number(octets[1]) << 16) + (Number(octets[2]) << 8) + Number(octets[3]));
  }
  // An embedded dotted quad (::ffff:1.2.3.4) is turned into hex groups by the URL parser first;
  // addressing.ts's ip-cidr throws on it.
  if (!HEX_ADDRESS.test(address)) address = canonicalAddress(address, 6);
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
  // One BigInt from 32 hex digits: far less garbage than shifting 8 BigInts together.
  return BigInt(`0x${groups.map((group) => group.padStart(4, '0')).join('')}`);
}

/** The text FRR and addressing.ts print for a valid address (RFC 5952 for IPv6). */
export function canonicalAddress(address: string, family: AddressFamily): string {
  if (family === 4) return CANONICAL_V4.test(address) ? address : address.split('.').map(Number).join('.');
  return new URL(`http://[${address}]/`).hostname.slice(1, -1);
}

/** parsePrefix, faster for well-formed prefixes; anything else goes to parsePrefix itself. */
export function parsePrefixFast(text: string): ParsedPrefix | string {
  const slash = text.indexOf('/');
  const lengthText = text.slice(slash + 1);
  const address = text.slice(0, slash);
  if (slash < 0 || !/^\d{1,3}$/.test(lengthText) || !/^[0-9A-Fa-f:.]+$/.test(address)) return parsePrefix(text);
  const family: AddressFamily | 0 = isIPv4(address) ? 4 : isIPv6(address) ? 6 : 0;
  const length = Number(lengthText);
  const bits = family === 4 ? 32 : 128;
  if (family === 0 || length > bits) return parsePrefix(text);
  // parsePrefix throws (in ip-cidr) on an embedded dotted quad; refuse it here instead.
  if (family === 6 && address.includes('.')) return `${JSON.stringify(text)} is not a prefix: write IPv6 without a dotted quad`;
  const value = addressValue(address, family);
  const hostMask = (1n << BigInt(bits - length)) - 1n;
  if ((value & hostMask) !== 0n) return parsePrefix(text); // host bits set: its message
  return { family, length, first: value, last: value | hostMask, canonical: `${canonicalAddress(address, family)}/${length}` };
}
