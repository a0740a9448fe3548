import { jest } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { BmpStreamDecoder } from '../bmp/bmp-stream-decoder.js';
import {
  ArchiveIndex,
  archiveMessage,
  archivedRecordMeta,
  BmpArchive,
  bmpArchiveDroppedBytes,
  ReplayCursor,
  type ArchivedRecordMeta,
  type ArchiveSink,
  type BmpArchiveOptions,
  type BmpArchiveStream,
  type KeyedArchiveRecord,
} from './bmp-archive.js';

/** A real FRR 8.4 stream: 55 messages, 6,087 bytes, the largest 272 (test/fixtures/bmp/record-frr.sh). */
const recording = readFileSync(new URL('../../../test/fixtures/bmp/frr-8.4-basic.bin', import.meta.url));
const INITIATION_BYTES = 40;
const AT = new Date('2026-12-06T10:00:00.000Z');
/** What the collector hands over once the decoder is past the Initiation with the router identified. */
const PAST_INITIATION = { initiation: null, messages: { peerUp: 1 } };

class FakeSink implements ArchiveSink {
  readonly written: KeyedArchiveRecord[] = [];
  readonly requests: number[] = [];
  mode: 'take' | 'stall' | 'fail' = 'take';
  inFlight = 0;
  maxInFlight = 0;
  closed = false;

  async write(records: readonly KeyedArchiveRecord[]): Promise<void> {
    this.requests.push(records.reduce((sum, record) => sum + record.bytes.length, 0));
    if (this.mode === 'stall') return new Promise<void>(() => undefined);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    await new Promise((resolve) => setImmediate(resolve));
    this.inFlight--;
    if (this.mode === 'fail') throw new Error('broker down');
    this.written.push(...records);
  }

  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }
}

const logger = { log: jest.fn(), warn: jest.fn() };

function newArchive(sink: ArchiveSink, options: Partial<BmpArchiveOptions> = {}): BmpArchive {
  return new BmpArchive(sink, { logger, maxMessageLength: 1 << 20, ...options });
}

function feed(stream: BmpArchiveStream, bytes: Buffer, chunkSize: number, receivedAt = AT): void {
  for (let start = 0; start < bytes.length; start += chunkSize) stream.received(bytes.subarray(start, start + chunkSize), receivedAt);
}

/** Lets the archive's sender run (each fake request takes a turn of the event loop). */
async function settled(): Promise<void> {
  for (let turn = 0; turn < 50; turn++) await new Promise((resolve) => setImmediate(resolve));
}

async function droppedBytes(reason: string): Promise<number> {
  return (await bmpArchiveDroppedBytes.get()).values.find((value) => value.labels.reason === reason)?.value ?? 0;
}

const dataOf = (records: readonly KeyedArchiveRecord[]) => records.filter((record) => record.kind === 'messages');

beforeEach(() => {
  logger.log.mockReset();
  logger.warn.mockReset();
});

afterEach(() => {
  jest.useRealTimers();
});

describe('BmpArchive: a connection’s bytes as records', () => {
  it.each([1, 5, 6, 7, 100, 1000, recording.length])(
    'archives the FRR recording as whole messages, read %i bytes at a time',
    async (chunkSize) => {
      const sink = new FakeSink();
      const archive = newArchive(sink, { recordBytes: 1000 });
      const stream = archive.open('collector.run/1', '10.255.1.2');
      feed(stream, recording, chunkSize);
      stream.decoded(PAST_INITIATION, 'bmprec-host');
      stream.end();
      await settled();

      const data = dataOf(sink.written);
      expect(Buffer.concat(data.map((record) => record.bytes))).toEqual(recording);
      expect(data.length).toBeGreaterThan(5);
      let offset = 0;
      for (const record of data) {
        expect(record).toMatchObject({ router: 'bmprec-host', connection: 'collector.run/1', streamOffset: offset, receivedAt: AT });
        expect(record.bytes.length).toBeLessThanOrEqual(1000);
        // Whole messages: each record decodes alone, to exactly the messages it says it holds.
        const decoder = new BmpStreamDecoder();
        expect(decoder.push(record.bytes)).toHaveLength(record.messages);
        expect(() => decoder.end()).not.toThrow();
        offset += record.bytes.length;
      }
      expect(data.reduce((sum, record) => sum + record.messages, 0)).toBe(55);
      expect(sink.written.at(-1)).toMatchObject({ kind: 'closed', streamOffset: recording.length, messages: 0, router: 'bmprec-host' });
      expect(sink.written.at(-1)!.bytes).toHaveLength(0);
      expect(archive.bufferedBytes).toBe(0);
    },
  );

  it('puts a message larger than a record alone in its record, never in two', async () => {
    const sink = new FakeSink();
    const stream = newArchive(sink, { recordBytes: 100 }).open('run/1', 'r');
    stream.decoded(PAST_INITIATION, 'r');
    feed(stream, recording, 64);
    stream.end();
    await settled();
    const data = dataOf(sink.written);
    expect(Buffer.concat(data.map((record) => record.bytes))).toEqual(recording);
    for (const record of data) expect(record.bytes.length <= 100 || record.messages === 1).toBe(true);
    expect(data.some((record) => record.bytes.length === 272 && record.messages === 1)).toBe(true);
  });

  it('holds the records until the router’s identity is settled past the Initiation, and keys them all with it', async () => {
    const sink = new FakeSink();
    const stream = newArchive(sink, { recordBytes: 100 }).open('run/1', '10.255.1.2');
    feed(stream, recording.subarray(0, 1000), 1000);
    // The read that stopped at the Initiation, then the rest of a read with nothing decoded yet.
    stream.decoded({ initiation: { sysName: 'bmprec-host' }, messages: { initiation: 1 } }, '10.255.1.2');
    stream.decoded({ initiation: null, messages: {} }, 'bmprec-host');
    await settled();
    expect(sink.written).toEqual([]);

    stream.decoded(PAST_INITIATION, 'bmprec-host');
    stream.decoded(PAST_INITIATION, 'someone-else');
    feed(stream, recording.subarray(1000), 500);
    stream.end('someone-else');
    await settled();
    expect(new Set(sink.written.map((record) => record.router))).toEqual(new Set(['bmprec-host']));
    expect(Buffer.concat(sink.written.map((record) => record.bytes))).toEqual(recording);
  });

  it('without a settled identity, keys the connection by the router it had when it closed', async () => {
    const sink = new FakeSink();
    const stream = newArchive(sink).open('run/1', '10.255.1.2');
    feed(stream, recording.subarray(0, INITIATION_BYTES), 7);
    stream.end('bmprec-host');
    await settled();
    expect(sink.written.map((record) => [record.router, record.kind, record.messages])).toEqual([
      ['bmprec-host', 'messages', 1],
      ['bmprec-host', 'closed', 0],
    ]);
  });

  it('seals a record ARCHIVE_LINGER_MS after its first message', async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate'] });
    const sink = new FakeSink();
    const stream = newArchive(sink, { lingerMs: 100 }).open('run/1', 'r');
    stream.decoded(PAST_INITIATION, 'r');
    stream.received(recording.subarray(0, 91), AT);
    jest.advanceTimersByTime(50);
    stream.received(recording.subarray(91, 200), new Date(AT.getTime() + 50));
    jest.advanceTimersByTime(49);
    await settled();
    expect(sink.written).toEqual([]);
    jest.advanceTimersByTime(1);
    await settled();
    // The message cut at byte 200 waits for its rest.
    expect(sink.written.map((record) => [record.streamOffset, record.bytes.length, record.messages, record.receivedAt])).toEqual([
      [0, 193, 4, AT],
    ]);
  });

  it('leaves out a message cut short by the close', async () => {
    const sink = new FakeSink();
    const stream = newArchive(sink).open('run/1', 'r');
    stream.decoded(PAST_INITIATION, 'r');
    feed(stream, recording.subarray(0, recording.length - 10), 1000);
    stream.end();
    await settled();
    const lastMessageAt = recording.length - 108;
    expect(Buffer.concat(dataOf(sink.written).map((record) => record.bytes))).toEqual(recording.subarray(0, lastMessageAt));
    expect(sink.written.at(-1)).toMatchObject({ kind: 'closed', streamOffset: lastMessageAt });
  });

  it('keeps the bytes it cannot frame as received, in an unframed record, and nothing after them', async () => {
    const sink = new FakeSink();
    const stream = newArchive(sink).open('run/1', 'r');
    stream.decoded(PAST_INITIATION, 'r');
    const notBmp = Buffer.from('GET / HTTP/1.1\r\n\r\n');
    stream.received(Buffer.concat([recording.subarray(0, INITIATION_BYTES), notBmp]), AT);
    stream.received(recording.subarray(INITIATION_BYTES), AT);
    stream.end();
    await settled();
    expect(sink.written.map((record) => [record.kind, record.streamOffset, record.bytes.length])).toEqual([
      ['messages', 0, INITIATION_BYTES],
      ['unframed', INITIATION_BYTES, notBmp.length],
      ['closed', INITIATION_BYTES + notBmp.length, 0],
    ]);
    expect(sink.written[1]!.bytes).toEqual(notBmp);
    expect(sink.written[1]!.problem).toMatch(/unsupported BMP version 71/);
  });

  it('frames with the decoder’s limits: a length over the maximum is unframed', async () => {
    const sink = new FakeSink();
    const stream = newArchive(sink, { maxMessageLength: 200 }).open('run/1', 'r');
    stream.decoded(PAST_INITIATION, 'r');
    // The message after the Initiation and the Peer Downs is a Peer Up of 272 bytes; its header arrives in two reads.
    feed(stream, recording.subarray(0, 298), 298);
    stream.received(recording.subarray(298, 600), AT);
    stream.end();
    await settled();
    expect(sink.written.map((record) => record.kind)).toEqual(['messages', 'unframed', 'closed']);
    expect(sink.written[1]!.bytes).toEqual(recording.subarray(295, 600));
    expect(sink.written[1]!.problem).toMatch(/exceeds the maximum of 200 bytes/);
  });
});

describe('BmpArchive: never at the route events’ expense', () => {
  it('drops what does not fit in its buffer while Kafka does not take it, counts it and warns once per interval', async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate'] });
    const sink = new FakeSink();
    sink.mode = 'stall';
    const archive = newArchive(sink, { bufferBytes: 4096, recordBytes: 1000 });
    const before = await droppedBytes('buffer-full');
    for (let connection = 1; connection <= 20; connection++) {
      const stream = archive.open(`run/${connection}`, 'r');
      stream.decoded(PAST_INITIATION, `router-${connection}`);
      // Returns at once, whatever Kafka does: nothing here waits.
      feed(stream, recording, 1000);
      stream.end();
      expect(archive.bufferedBytes).toBeLessThanOrEqual(4096);
    }
    await settled();
    const dropped = (await droppedBytes('buffer-full')) - before;
    // One request is stuck at Kafka; what else fits waits; the rest of 20 recordings is dropped.
    expect(dropped).toBe(20 * recording.length - archive.bufferedBytes);
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.warn.mock.calls[0]![0]).toMatch(/^raw BMP archive: dropped \d+ bytes in \d+ records \(buffer-full/);

    const stream = archive.open('run/21', 'r');
    stream.decoded(PAST_INITIATION, 'r');
    feed(stream, recording, 1000);
    expect(logger.warn).toHaveBeenCalledTimes(1);
    jest.advanceTimersByTime(30_000);
    expect(logger.warn).toHaveBeenCalledTimes(2);
  });

  it('drops the records of a send Kafka fails, counted, and sends the next ones', async () => {
    const sink = new FakeSink();
    const archive = newArchive(sink, { recordBytes: 500 });
    const before = await droppedBytes('kafka-error');
    sink.mode = 'fail';
    const stream = archive.open('run/1', 'r');
    stream.decoded(PAST_INITIATION, 'r');
    feed(stream, recording.subarray(0, 1000), 1000);
    await settled();
    sink.mode = 'take';
    feed(stream, recording.subarray(1000), 1000);
    stream.end();
    await settled();
    expect((await droppedBytes('kafka-error')) - before).toBeGreaterThan(0);
    // The records after the failure went, with their stream offsets: a replay sees the gap.
    expect(sink.written[0]!.streamOffset).toBeGreaterThan(0);
    expect(Buffer.concat(sink.written.map((record) => record.bytes))).toEqual(recording.subarray(sink.written[0]!.streamOffset));
    expect(logger.warn.mock.calls[0]![0]).toMatch(/kafka-error: broker down/);
    expect(archive.bufferedBytes).toBe(0);
  });

  it('sends one request at a time, each under requestBytes, in order', async () => {
    const sink = new FakeSink();
    const archive = newArchive(sink, { recordBytes: 500, requestBytes: 2000 });
    for (let connection = 1; connection <= 3; connection++) {
      const stream = archive.open(`run/${connection}`, 'r');
      stream.decoded(PAST_INITIATION, `router-${connection}`);
      feed(stream, recording, 4096);
      stream.end();
    }
    await settled();
    expect(sink.maxInFlight).toBe(1);
    expect(Math.max(...sink.requests)).toBeLessThanOrEqual(2000);
    for (let connection = 1; connection <= 3; connection++) {
      const records = sink.written.filter((record) => record.connection === `run/${connection}`);
      expect(Buffer.concat(records.map((record) => record.bytes))).toEqual(recording);
    }
  });

  it('on stop, ends the open streams and drops what Kafka did not take in time', async () => {
    const sink = new FakeSink();
    sink.mode = 'stall';
    const archive = newArchive(sink, { recordBytes: 1000 });
    const before = await droppedBytes('shutdown');
    const stream = archive.open('run/1', 'r');
    stream.decoded(PAST_INITIATION, 'r');
    feed(stream, recording, 1000);
    await archive.stop(50);
    expect(sink.closed).toBe(true);
    expect((await droppedBytes('shutdown')) - before).toBeGreaterThan(0);
    stream.received(recording, AT);
    expect(archive.bufferedBytes).toBeLessThanOrEqual(recording.length);
  });
});

describe('the replay’s side', () => {
  const record = (connection: string, streamOffset: number, bytes: number, receivedAt: number, offset: number, kind = 'messages') =>
    ({
      partition: 0,
      offset: BigInt(offset),
      router: connection.startsWith('b') ? 'other' : 'rb-host1',
      connection,
      kind,
      streamOffset,
      receivedAt,
      messages: bytes > 0 ? 1 : 0,
      bytes,
    }) as ArchivedRecordMeta;

  it('reads back what archiveMessage writes, headers as the consumer gives them', () => {
    const written: KeyedArchiveRecord = {
      router: 'rb-host1',
      connection: 'rb.1234abcd/7',
      kind: 'messages',
      streamOffset: 4096,
      receivedAt: AT,
      messages: 3,
      bytes: recording.subarray(0, 131),
      problem: null,
    };
    const message = archiveMessage(written);
    expect(message.timestamp).toBe(String(AT.getTime()));
    const headers = Object.fromEntries(Object.entries(message.headers!).map(([name, value]) => [name, Buffer.from(value as string)]));
    const meta = archivedRecordMeta(2, { offset: '17', key: Buffer.from('rb-host1'), value: written.bytes, timestamp: '0', headers });
    expect(meta).toEqual({
      partition: 2,
      offset: 17n,
      router: 'rb-host1',
      connection: 'rb.1234abcd/7',
      kind: 'messages',
      streamOffset: 4096,
      receivedAt: AT.getTime(),
      messages: 3,
      bytes: 131,
    });
    expect(archivedRecordMeta(0, { offset: '1', key: Buffer.from('x'), value: null, timestamp: '0', headers: {} })).toBeNull();
  });

  it('replays each connection with a record in the range from its first record, up to the range’s end', () => {
    const index = new ArchiveIndex({ from: 1000, to: 2000 });
    const records = [
      record('a/1', 0, 100, 10, 0), // a connection that began before the range…
      record('b/1', 0, 50, 20, 1), // …and one that said nothing in it
      record('b/1', 50, 0, 30, 2, 'closed'),
      record('a/1', 100, 100, 500, 3),
      record('a/1', 100, 100, 500, 4), // a duplicate (a retried send)
      record('a/1', 300, 100, 1500, 5), // after a gap of 100 bytes
      record('c/1', 0, 70, 1800, 6),
      record('a/1', 400, 100, 2500, 7), // after the range
    ];
    for (const meta of records) index.add(meta);
    const selected = index.selected();
    expect(selected.map((entry) => [entry.connection, entry.firstOffset, entry.lastOffset, entry.missingBytes, entry.closed])).toEqual([
      ['a/1', 0n, 5n, 100, false],
      ['c/1', 6n, 6n, 0, false],
    ]);
    expect(index.all().map((entry) => entry.connection)).toEqual(['a/1', 'b/1', 'c/1']);

    const cursor = new ReplayCursor(selected);
    expect(records.map((meta) => cursor.take(meta)?.connection ?? null)).toEqual(['a/1', null, null, 'a/1', null, 'a/1', 'c/1', null]);
  });

  it('selects by router and connection', () => {
    const records = [record('a/1', 0, 10, 1, 0), record('b/1', 0, 10, 1, 1), record('a/2', 0, 10, 1, 2)];
    const byRouter = new ArchiveIndex({ router: 'rb-host1' });
    const byConnection = new ArchiveIndex({ connection: 'a/2' });
    for (const meta of records) {
      byRouter.add(meta);
      byConnection.add(meta);
    }
    expect(byRouter.selected().map((entry) => entry.connection)).toEqual(['a/1', 'a/2']);
    expect(byConnection.selected().map((entry) => entry.connection)).toEqual(['a/2']);
  });
});
