import { BmpDecodeError } from './bmp-decode-error.js';

/**
 * A bounds-checked cursor over a Buffer. Every read names what it reads, so a short input fails
 * with e.g. "peer AS: needs 4 bytes, 2 remain (at byte 30)" instead of a RangeError or, worse,
 * a silently wrong value. Offsets in errors are absolute (`baseOffset` + position).
 */
export class ByteReader {
  private position = 0;

  constructor(
    private readonly buffer: Buffer,
    private readonly baseOffset = 0,
  ) {}

  /** Absolute offset of the next byte to read. */
  get offset(): number {
    return this.baseOffset + this.position;
  }

  get remaining(): number {
    return this.buffer.length - this.position;
  }

  get atEnd(): boolean {
    return this.position >= this.buffer.length;
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
    const value = this.buffer.readUInt16BE(this.position);
    this.position += 2;
    return value;
  }

  u32(what: string): number {
    this.require(4, what);
    const value = this.buffer.readUInt32BE(this.position);
    this.position += 4;
    return value;
  }

  u64(what: string): bigint {
    this.require(8, what);
    const value = this.buffer.readBigUInt64BE(this.position);
    this.position += 8;
    return value;
  }

  /** A view of the next bytes: only for decoding right away, never to keep in a result. */
  view(byteCount: number, what: string): Buffer {
    this.require(byteCount, what);
    const view = this.buffer.subarray(this.position, this.position + byteCount);
    this.position += byteCount;
    return view;
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

  /** A reader over the next bytes (a length-delimited field), with absolute offsets preserved. */
  sub(byteCount: number, what: string): ByteReader {
    const start = this.offset;
    return new ByteReader(this.view(byteCount, what), start);
  }
}
