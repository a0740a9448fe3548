import { BmpDecodeError } from './bmp-decode-error.js';
import { bytesToIPv4, bytesToIPv6 } from '../../common/net/ip-address.js';
import { Afi } from './bmp-constants.js';

/**
 * A bounds-checked cursor over a window of a Buffer. Every read names what it reads, so a short
 * input fails with e.g. "peer AS: needs 4 bytes, 2 remain (at byte 30)" instead of a RangeError
 * or, worse, a silently wrong value. Offsets in errors are absolute (`baseOffset` + position in
 * the window).
 *
 * A length-delimited field is read through `sub`, a reader over the same buffer with a narrower
 * window, not a Buffer view: FRR sends one prefix per message, and allocating a view per field
 * was a large part of decoding a full table.
 */
export class ByteReader {
  private position: number;

  /** The window is buffer[start, end); `baseOffset` is the absolute offset of `start`. */
  constructor(
    private readonly buffer: Buffer,
    private readonly baseOffset = 0,
    private readonly start = 0,
    private readonly end = buffer.length,
  ) {
    this.position = start;
  }

  /** Absolute offset of the next byte to read. */
  get offset(): number {
    return this.baseOffset + this.position - this.start;
  }

  get remaining(): number {
    return this.end - this.position;
  }

  get atEnd(): boolean {
    return this.position >= this.end;
  }

  /** Throws a BmpDecodeError at the current offset (or the given absolute one). */
  fail(problem: string, offset = this.offset): never {
    throw new BmpDecodeError(problem, offset);
  }

  require(byteCount: number, what: string): void {
    if (byteCount > this.remaining) {
      this.fail(`${what}: needs ${byteCount} byte${byteCount === 1 ? '' : 's'}, ${this.remaining} remain`);
    }
  }

  u8(what: string): number {
    this.require(1, what);
    return this.buffer[this.position++] as number;
  }

  /** The next byte, without consuming it. */
  peekU8(what: string): number {
    this.require(1, what);
    return this.buffer[this.position] as number;
  }

  u16(what: string): number {
    this.require(2, what);
    const buffer = this.buffer;
    const at = this.position;
    this.position = at + 2;
    return ((buffer[at] as number) << 8) | (buffer[at + 1] as number);
  }

  u32(what: string): number {
    this.require(4, what);
    const buffer = this.buffer;
    const at = this.position;
    this.position = at + 4;
    return (
      (buffer[at] as number) * 0x1000000 +
      (((buffer[at + 1] as number) << 16) | ((buffer[at + 2] as number) << 8) | (buffer[at + 3] as number))
    );
  }

  u64(what: string): bigint {
    this.require(8, what);
    const value = this.buffer.readBigUInt64BE(this.position);
    this.position += 8;
    return value;
  }

  /**
   * Consumes the next bytes and returns where they start in `bytes`, for formatting them in
   * place (an address, a prefix) without a view.
   */
  skip(byteCount: number, what: string): number {
    this.require(byteCount, what);
    const at = this.position;
    this.position = at + byteCount;
    return at;
  }

  /** The underlying buffer, to read bytes located by `skip`. */
  get bytes(): Buffer {
    return this.buffer;
  }

  /** The next 4 bytes as an IPv4 address. */
  ipv4(what: string): string {
    return bytesToIPv4(this.buffer, this.skip(4, what));
  }

  /** The next bytes as lower-case hex. */
  hex(byteCount: number, what: string): string {
    const at = this.skip(byteCount, what);
    return this.buffer.toString('hex', at, at + byteCount);
  }

  /** A view of the next bytes: only for decoding right away, never to keep in a result. */
  view(byteCount: number, what: string): Buffer {
    const at = this.skip(byteCount, what);
    return this.buffer.subarray(at, at + byteCount);
  }

  /**
   * A copy of the next bytes, for raw values kept in results: a view would pin the caller's whole
   * TCP chunk in memory and change under the caller if it reuses its buffer.
   */
  copy(byteCount: number, what: string): Buffer {
    return Buffer.from(this.view(byteCount, what));
  }

  /** Everything left, copied. */
  copyRest(): Buffer {
    return this.copy(this.remaining, 'rest');
  }

  /** A copy of the reader's whole window, whatever has been read of it. */
  copyWindow(): Buffer {
    return Buffer.from(this.buffer.subarray(this.start, this.end));
  }

  /** A reader over the next bytes (a length-delimited field), with absolute offsets preserved. */
  sub(byteCount: number, what: string): ByteReader {
    const offset = this.offset;
    const at = this.skip(byteCount, what);
    return new ByteReader(this.buffer, offset, at, at + byteCount);
  }
}

/**
 * One prefix in NLRI encoding: a length in bits, then just enough bytes to hold it. Lengths
 * beyond the family's address size are refused; host bits beyond the length are cleared, as RFC
 * 4271 §4.3 calls their value irrelevant and the collector keys routes by the text.
 */
export function readPrefix(reader: ByteReader, afi: number, what: string): string {
  const start = reader.offset;
  const maxBits = afi === Afi.Ipv6 ? 128 : 32;
  const bits = reader.u8(`${what} prefix length`);
  if (bits > maxBits) reader.fail(`${what} prefix length ${bits} exceeds ${maxBits} bits`, start);
  const byteCount = (bits + 7) >> 3;
  const at = reader.skip(byteCount, `${what} prefix /${bits}`);
  // The scratch address is formatted into a string before this returns, so one can be shared.
  const address = maxBits === 32 ? scratchIpv4 : scratchIpv6;
  address.fill(0);
  const bytes = reader.bytes;
  for (let i = 0; i < byteCount; i++) address[i] = bytes[at + i] as number;
  if (bits % 8 !== 0) address[byteCount - 1] = (address[byteCount - 1] as number) & (0xff << (8 - (bits % 8)));
  return `${maxBits === 32 ? bytesToIPv4(address) : bytesToIPv6(address)}/${bits}`;
}

const scratchIpv4 = new Uint8Array(4);
const scratchIpv6 = new Uint8Array(16);
