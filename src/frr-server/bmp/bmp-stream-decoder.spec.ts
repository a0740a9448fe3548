import fc from 'fast-check';
import { BmpDecodeError } from './bmp-decode-error.js';
import { encodeBmpMessage } from './bmp-encode.js';
import { BmpStreamDecoder } from './bmp-stream-decoder.js';
import type { BmpMessage } from './bmp-types.js';
import { sampleStream } from '../../../test/fixtures/bmp/sample-messages.js';

const stream = Buffer.concat(sampleStream.map((message) => encodeBmpMessage(message)));

function decodeChunks(chunks: Buffer[], decoder = new BmpStreamDecoder()): BmpMessage[] {
  const messages = chunks.flatMap((chunk) => decoder.push(chunk));
  decoder.end();
  return messages;
}

/** Every field, Buffers as hex and bigints as decimal. */
function fingerprint(messages: BmpMessage[]): string {
  return JSON.stringify(messages, function (this: Record<string, unknown>, key, value: unknown) {
    const original = this[key];
    if (Buffer.isBuffer(original)) return original.toString('hex');
    return typeof value === 'bigint' ? value.toString() : value;
  });
}

describe('BmpStreamDecoder framing', () => {
  const whole = decodeChunks([stream]);

  it('decodes many messages merged in one chunk', () => {
    expect(whole.map((message) => message.kind)).toEqual(sampleStream.map((message) => message.kind));
    expect(whole).toEqual(sampleStream);
  });

  it('gives identical results for the stream split in two at every byte boundary', () => {
    // Compared as text: a deep toEqual per split point would dominate the suite's run time.
    const expected = fingerprint(whole);
    for (let split = 0; split <= stream.length; split++) {
      expect(fingerprint(decodeChunks([stream.subarray(0, split), stream.subarray(split)]))).toBe(expected);
    }
  });

  it('gives identical results one byte at a time', () => {
    const bytes = Array.from({ length: stream.length }, (_, i) => stream.subarray(i, i + 1));
    expect(decodeChunks(bytes)).toEqual(whole);
  });

  it('does not alias the caller’s buffer: reusing it after push leaves results intact', () => {
    const chunk = Buffer.from(stream);
    const messages = new BmpStreamDecoder().push(chunk);
    chunk.fill(0);
    expect(messages).toEqual(whole);
  });

  it('reports stream offsets in errors and stays poisoned after one', () => {
    const decoder = new BmpStreamDecoder();
    const corrupt = Buffer.from(stream);
    const second = encodeBmpMessage(sampleStream[0] as BmpMessage).length;
    corrupt[second] = 4; // version of the second message
    expect(() => decoder.push(corrupt)).toThrow(new BmpDecodeError('unsupported BMP version 4, expected 3', second));
    expect(decoder.poisoned).toBe(true);
    expect(decoder.bufferedBytes).toBe(0);
    expect(() => decoder.push(stream)).toThrow('unsupported BMP version 4, expected 3');
  });

  it('refuses a message above the configured maximum as soon as its header arrives', () => {
    const decoder = new BmpStreamDecoder({ maxMessageLength: 64 });
    expect(() => decoder.push(Buffer.from('0300000041', 'hex'))).not.toThrow();
    expect(() => decoder.push(Buffer.from([0]))).toThrow(new BmpDecodeError('BMP message length 65 exceeds the maximum of 64 bytes', 1));
  });

  it('tracks the stream offset across pushes', () => {
    const decoder = new BmpStreamDecoder();
    decoder.push(stream.subarray(0, 100));
    decoder.push(stream.subarray(100));
    expect([decoder.streamOffset, decoder.bufferedBytes]).toEqual([stream.length, 0]);
  });
});

describe('BmpStreamDecoder under hostile input (property)', () => {
  const maxMessageLength = 4096;

  /** Pushes the chunks; only BmpDecodeError may escape, and the buffer stays bounded. */
  function survives(chunks: Uint8Array[]): void {
    const decoder = new BmpStreamDecoder({ maxMessageLength });
    for (const chunk of chunks) {
      try {
        decoder.push(Buffer.from(chunk));
      } catch (error) {
        expect(error).toBeInstanceOf(BmpDecodeError);
        return;
      }
      expect(decoder.bufferedBytes).toBeLessThan(maxMessageLength + chunk.length);
    }
  }

  it('random bytes never throw anything but BmpDecodeError', () => {
    // Start with a plausible header so the fuzzing reaches the body decoders, not just the version check.
    const header = fc.tuple(fc.integer({ min: 0, max: 7 }), fc.integer({ min: 6, max: 300 })).map(([type, length]) => {
      const bytes = Buffer.alloc(6);
      bytes.writeUInt8(3, 0);
      bytes.writeUInt32BE(length, 1);
      bytes.writeUInt8(type, 5);
      return new Uint8Array(bytes);
    });
    expect(() =>
      fc.assert(
        fc.property(header, fc.array(fc.uint8Array({ maxLength: 400 }), { maxLength: 8 }), (first, rest) => survives([first, ...rest])),
        { numRuns: 1000 },
      ),
    ).not.toThrow();
  });

  it('mutated valid streams never throw anything but BmpDecodeError', () => {
    const mutation = fc.array(fc.tuple(fc.nat(stream.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 });
    const splits = fc.array(fc.nat(stream.length), { maxLength: 5 });
    expect(() =>
      fc.assert(
        fc.property(mutation, splits, (changes, cuts) => {
          const bytes = Buffer.from(stream);
          for (const [position, value] of changes) bytes[position] = value;
          const boundaries = [0, ...cuts.sort((a, b) => a - b), bytes.length];
          survives(boundaries.slice(1).map((end, i) => bytes.subarray(boundaries[i], end)));
        }),
        { numRuns: 1000 },
      ),
    ).not.toThrow();
  });
});
