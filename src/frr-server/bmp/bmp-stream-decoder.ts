import { BMP_COMMON_HEADER_LENGTH } from './bmp-constants.js';
import { BmpDecodeError } from './bmp-decode-error.js';
import { decodeBmpMessageAt, readCommonHeader } from './bmp-decode.js';
import type { BmpMessage } from './bmp-types.js';
import { ByteReader } from './byte-reader.js';
import { BmpSessionTracker } from './bmp-session-tracker.js';

export interface BmpStreamDecoderOptions {
  /** Largest BMP message accepted, header included. Default 1 MiB. */
  maxMessageLength?: number;
  /** Session contexts of this connection's peers; a fresh tracker by default. */
  sessions?: BmpSessionTracker;
}

export const DEFAULT_MAX_BMP_MESSAGE_LENGTH = 1024 * 1024;

/**
 * Turns one BMP connection's TCP byte stream into messages, whatever the chunking: a message may
 * arrive split at any byte or many in one chunk.
 *
 * Memory is bounded: the length in the common header is checked against `maxMessageLength` as
 * soon as its 6 bytes arrive, and only an incomplete message is kept between pushes, so at most
 * maxMessageLength - 1 bytes are held after a push (maxMessageLength - 1 + one chunk during it).
 *
 * The first BmpDecodeError poisons the decoder: that push and every later one throw it, and the
 * caller must close the connection. BMP cannot resynchronise inside a stream, a router reconnects
 * and replays its whole state (Initiation, Peer Ups, tables), and per-peer session contexts learnt
 * before the error might be wrong. Messages decoded earlier in the failing push are dropped with
 * it, which is harmless for that reason.
 */
export class BmpStreamDecoder {
  private readonly maxMessageLength: number;
  readonly sessions: BmpSessionTracker;
  /** Received bytes not yet decoded, in arrival order; merged only when a message spans chunks. */
  private chunks: Buffer[] = [];
  /** Where the undecoded bytes of chunks[0] begin (decoded messages are skipped, not sliced off). */
  private head = 0;
  private buffered = 0;
  /** Stream offset of the first buffered byte. */
  private consumed = 0;
  private failure: BmpDecodeError | null = null;

  constructor(options: BmpStreamDecoderOptions = {}) {
    this.maxMessageLength = options.maxMessageLength ?? DEFAULT_MAX_BMP_MESSAGE_LENGTH;
    if (this.maxMessageLength < BMP_COMMON_HEADER_LENGTH)
      throw new RangeError(`maxMessageLength ${this.maxMessageLength} is below the BMP header size`);
    this.sessions = options.sessions ?? new BmpSessionTracker();
  }

  /** Bytes held for an incomplete message. */
  get bufferedBytes(): number {
    return this.buffered;
  }

  /** Bytes of the stream decoded so far (the offset of the next message). */
  get streamOffset(): number {
    return this.consumed;
  }

  get poisoned(): boolean {
    return this.failure !== null;
  }

  /** Adds a chunk and returns the messages it completed, in stream order. */
  push(chunk: Buffer): BmpMessage[] {
    if (this.failure) throw this.failure;
    if (chunk.length > 0) {
      this.chunks.push(chunk);
      this.buffered += chunk.length;
    }
    const messages: BmpMessage[] = [];
    try {
      while (this.buffered >= BMP_COMMON_HEADER_LENGTH) {
        const front = this.front(BMP_COMMON_HEADER_LENGTH);
        const header = readCommonHeader(
          new ByteReader(front, this.consumed, this.head, this.head + BMP_COMMON_HEADER_LENGTH),
          this.maxMessageLength,
        );
        if (this.buffered < header.length) break;
        const frame = this.front(header.length);
        messages.push(decodeBmpMessageAt(frame, this.head, header.length, this.sessions, this.consumed, this.maxMessageLength));
        this.discard(header.length);
      }
    } catch (error) {
      if (error instanceof BmpDecodeError) {
        this.failure = error;
        this.chunks = [];
        this.head = 0;
        this.buffered = 0;
      }
      throw error;
    }
    return messages;
  }

  /**
   * Call when the connection closed: throws if it closed in the middle of a message, so a
   * truncated stream is reported rather than silently ignored.
   */
  end(): void {
    if (this.failure) throw this.failure;
    if (this.buffered > 0) {
      this.failure = new BmpDecodeError(`stream ended inside a BMP message (${this.buffered} bytes buffered)`, this.consumed);
      throw this.failure;
    }
  }

  /**
   * The first buffered chunk, merged with the following ones until it holds `byteCount` bytes
   * from `head` on.
   */
  private front(byteCount: number): Buffer {
    const first = this.chunks[0] as Buffer;
    if (first.length - this.head >= byteCount) return first;
    // Merging everything buffered copies each byte at most once per message that spans chunks.
    this.chunks[0] = first.subarray(this.head);
    const merged = Buffer.concat(this.chunks, this.buffered);
    this.chunks = [merged];
    this.head = 0;
    return merged;
  }

  private discard(byteCount: number): void {
    const first = this.chunks[0] as Buffer;
    this.head += byteCount;
    if (this.head === first.length) {
      this.chunks.shift();
      this.head = 0;
    }
    this.buffered -= byteCount;
    this.consumed += byteCount;
  }
}
