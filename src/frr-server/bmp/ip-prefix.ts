import { Afi } from './bmp-constants.js';

/** Text forms of addresses and prefixes, and their wire encoding (RFC 4271 §4.3, RFC 4760 §5). */

export function formatIpv4(bytes: Uint8Array, start = 0): string {
  return `${bytes[start]}.${bytes[start + 1]}.${bytes[start + 2]}.${bytes[start + 3]}`;
}

/**
 * RFC 5952 text: lower-case hex without leading zeros, the longest run (first on a tie) of two or
 * more zero groups replaced by `::`. Written out rather than going through `new URL()` because
 * the collector formats every IPv6 prefix of a full table.
 */
export function formatIpv6(bytes: Uint8Array, start = 0): string {
  const groups: number[] = [];
  for (let i = 0; i < 8; i++) groups.push(((bytes[start + 2 * i] as number) << 8) | (bytes[start + 2 * i + 1] as number));
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let end = i;
    while (end < 8 && groups[end] === 0) end++;
    if (end - i > bestLength) {
      bestStart = i;
      bestLength = end - i;
    }
    i = end;
  }
  // Written group by group: slices, maps and joins per address cost a full table's IPv6 dump dearly.
  let text = '';
  for (let i = 0; i < 8; i++) {
    if (i === bestStart) {
      text += '::';
      i += bestLength - 1;
      continue;
    }
    if (i > 0 && i !== bestStart + bestLength) text += ':';
    text += (groups[i] as number).toString(16);
  }
  return text;
}

/** An IPv4 or IPv6 address from its 4 or 16 bytes. */
export function formatAddress(bytes: Uint8Array): string {
  return bytes.length === 4 ? formatIpv4(bytes) : formatIpv6(bytes);
}

export function parseIpv4(text: string): Buffer {
  const bytes = Buffer.alloc(4);
  let index = 0;
  let value = 0;
  let digits = 0;
  for (let i = 0; i <= text.length; i++) {
    const code = i < text.length ? text.charCodeAt(i) : 0x2e;
    if (code >= 0x30 && code <= 0x39 && digits < 3) {
      value = value * 10 + code - 0x30;
      digits++;
    } else if (code === 0x2e && digits > 0 && value <= 255 && index < 4) {
      bytes[index++] = value;
      value = 0;
      digits = 0;
    } else {
      index = -1;
      break;
    }
  }
  if (index !== 4) throw new RangeError(`not an IPv4 address: ${text}`);
  return bytes;
}

export function parseIpv6(text: string): Buffer {
  const halves = text.split('::');
  if (halves.length > 2) throw new RangeError(`not an IPv6 address: ${text}`);
  const groupsOf = (half: string) => (half === '' ? [] : half.split(':'));
  const head = groupsOf(halves[0] as string);
  const tail = halves.length === 2 ? groupsOf(halves[1] as string) : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) throw new RangeError(`not an IPv6 address: ${text}`);
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  const bytes = Buffer.alloc(16);
  groups.forEach((group, i) => {
    if (!/^[0-9a-fA-F]{1,4}$/.test(group)) throw new RangeError(`not an IPv6 address: ${text}`);
    bytes.writeUInt16BE(parseInt(group, 16), 2 * i);
  });
  return bytes;
}

/** 4 bytes for IPv4 text, 16 for IPv6. */
export function parseAddress(text: string): Buffer {
  return text.includes(':') ? parseIpv6(text) : parseIpv4(text);
}

export function addressBits(afi: number): number {
  return afi === Afi.Ipv6 ? 128 : 32;
}

/** The wire encoding of a prefix given as text; refuses text that is not a prefix of the family. */
export function encodePrefix(prefix: string, afi: number): Buffer {
  const slash = prefix.indexOf('/');
  const bits = Number(prefix.slice(slash + 1));
  const address = afi === Afi.Ipv6 ? parseIpv6(prefix.slice(0, slash)) : parseIpv4(prefix.slice(0, slash));
  if (slash < 0 || !Number.isInteger(bits) || bits < 0 || bits > address.length * 8) {
    throw new RangeError(`not an ${afi === Afi.Ipv6 ? 'IPv6' : 'IPv4'} prefix: ${prefix}`);
  }
  const byteCount = (bits + 7) >> 3;
  const encoded = Buffer.alloc(1 + byteCount);
  encoded[0] = bits;
  address.copy(encoded, 1, 0, byteCount);
  return encoded;
}
