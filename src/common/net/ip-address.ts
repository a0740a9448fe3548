/**
 * IP addresses between text and value: the one set of rules for the inventory, the API, the FRR
 * configuration and the BMP collector. Plain TypeScript, no regular expressions: the collector
 * formats every prefix and next hop of a full table and BRM parses every learned prefix.
 *
 * Text accepted: dotted quads without leading zeros (RFC 6943 §3.1.1: `010.0.0.1` reads as octal
 * to some parsers, so it is refused rather than guessed), and IPv6 as RFC 4291 §2.2 writes it
 * (either case, `::`, a trailing dotted quad) without a zone index. Text written: RFC 5952.
 */

export type AddressFamily = 4 | 6;

/** The value of a dotted quad (four decimal numbers 0..255, no leading zeros), or -1. */
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
 * The eight 16-bit groups of an IPv6 address: one to four hex digits per group (either case,
 * leading zeros allowed), at most one `::` standing for one or more zero groups, optionally a
 * dotted quad (as parseIPv4) for the last two groups. Null for anything else, a zone index
 * (fe80::1%eth0) included.
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

export function formatIPv4(value: number): string {
  return `${Math.floor(value / 16777216)}.${Math.floor(value / 65536) % 256}.${Math.floor(value / 256) % 256}.${value % 256}`;
}

/**
 * RFC 5952 text of eight 16-bit groups: lower-case hex without leading zeros, the longest run of
 * two or more zero groups (the first on a tie) written `::`. An embedded IPv4 address is written
 * in hex groups too (::ffff:102:304), as the WHATWG URL serialiser does.
 */
export function formatIPv6(groups: ArrayLike<number>): string {
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
  // Concatenated group by group: slices, maps and joins per address cost a full table dearly.
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

// --- bytes (network order), for the BMP and BGP wire formats ---------------------------------------

/** The dotted quad of the 4 bytes at `start`. */
export function bytesToIPv4(bytes: Uint8Array, start = 0): string {
  return `${bytes[start]}.${bytes[start + 1]}.${bytes[start + 2]}.${bytes[start + 3]}`;
}

/** The RFC 5952 text of the 16 bytes at `start`. */
export function bytesToIPv6(bytes: Uint8Array, start = 0): string {
  const groups = new Array<number>(8);
  for (let i = 0; i < 8; i++) groups[i] = (bytes[start + 2 * i]! << 8) | bytes[start + 2 * i + 1]!;
  return formatIPv6(groups);
}

/** An IPv4 or IPv6 address from its 4 or 16 bytes. */
export function bytesToAddress(bytes: Uint8Array): string {
  return bytes.length === 4 ? bytesToIPv4(bytes) : bytesToIPv6(bytes);
}

/** The 4 bytes of a dotted quad; throws a RangeError for text parseIPv4 refuses. */
export function ipv4ToBytes(text: string): Buffer {
  const value = parseIPv4(text);
  if (value < 0) throw new RangeError(`not an IPv4 address: ${text}`);
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(value);
  return bytes;
}

/** The 16 bytes of an IPv6 address; throws a RangeError for text parseIPv6Groups refuses. */
export function ipv6ToBytes(text: string): Buffer {
  const groups = parseIPv6Groups(text);
  if (groups === null) throw new RangeError(`not an IPv6 address: ${text}`);
  const bytes = Buffer.alloc(16);
  for (let i = 0; i < 8; i++) bytes.writeUInt16BE(groups[i]!, 2 * i);
  return bytes;
}

/** 4 bytes for IPv4 text, 16 for IPv6. */
export function addressToBytes(text: string): Buffer {
  return text.includes(':') ? ipv6ToBytes(text) : ipv4ToBytes(text);
}

// --- numbers, for ranges and ordering ---------------------------------------------------------------

/** The value of the eight groups parseIPv6Groups returns. */
export function groupsToBigInt(groups: readonly number[]): bigint {
  // Three BigInts from exact Numbers (48 + 48 + 32 bits), not 32 hex digits or eight shifts.
  const high = BigInt((groups[0]! * 65536 + groups[1]!) * 65536 + groups[2]!);
  const middle = BigInt((groups[3]! * 65536 + groups[4]!) * 65536 + groups[5]!);
  const low = BigInt(groups[6]! * 65536 + groups[7]!);
  return (((high << 48n) | middle) << 32n) | low;
}

/** The address as a number; throws a RangeError for text that is not an address of `family`. */
export function addressToBigInt(address: string, family: AddressFamily): bigint {
  if (family === 4) {
    const value = parseIPv4(address);
    if (value >= 0) return BigInt(value);
  } else {
    const groups = parseIPv6Groups(address);
    if (groups !== null) return groupsToBigInt(groups);
  }
  throw new RangeError(`not an IPv${family} address: ${String(address)}`);
}

/** The textual form of the low 32 or 128 bits of `value`: dotted quad, or RFC 5952. */
export function bigIntToAddress(value: bigint, family: AddressFamily): string {
  // BigInt.asUintN would read a string ('42') as a number.
  if (typeof value !== 'bigint') throw new TypeError(`not a BigInt: ${String(value)}`);
  if (family === 4) return formatIPv4(Number(BigInt.asUintN(32, value)));
  const groups: number[] = [];
  for (const shift of [96n, 64n, 32n, 0n]) {
    const bits = Number(BigInt.asUintN(32, value >> shift));
    groups.push(Math.floor(bits / 65536), bits % 65536);
  }
  return formatIPv6(groups);
}

/** The text FRR prints for an address (dotted quad, or RFC 5952); throws a RangeError as addressToBigInt. */
export function canonicalAddress(address: string, family: AddressFamily): string {
  if (family === 4) {
    // parseIPv4 refuses leading zeros: a dotted quad it takes is already canonical.
    if (parseIPv4(address) >= 0) return address;
  } else {
    const groups = parseIPv6Groups(address);
    if (groups !== null) return formatIPv6(groups);
  }
  throw new RangeError(`not an IPv${family} address: ${String(address)}`);
}
