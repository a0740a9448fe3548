/**
 * The raw BMP archive (docs/bmp.md, "The raw BMP archive and replay"): every router's BMP bytes as
 * the collector received them, on route-broker.bmp-raw.v1, keyed by the router's identity (the
 * route events' `session.router`), so that a stretch of production, a bug or a router's oddity,
 * can be replayed into a test instance or a fixed build (scripts/bmp-replay).
 *
 * A record holds whole BMP messages, cut where the stream's own framing says a message ends (the
 * common header's length, read by readCommonHeader, the decoder's first check): a record never
 * begins or ends inside a message. Its headers name the collector's connection (`<run>/<n>`), where
 * its first byte is in that connection's stream (0: the connection's start; a jump: bytes dropped),
 * when its first message was read and how many messages it holds. A last, empty record says the
 * connection closed.
 *
 * Best effort, never at the route events' expense: the collector hands each read over without
 * waiting; records go to Kafka through the archive's own producer (the gateway's sends one request
 * at a time, and archive records queued there would hold route events up); what does not fit in a
 * bounded buffer, or what Kafka does not take, is dropped, counted and logged at most every
 * DROP_WARNING_INTERVAL_MS. Nothing here pauses a socket.
 *
 * BmpArchive and BmpArchiveStream are plain TypeScript (the Kafka side is KafkaArchiveSink);
 * ArchiveIndex is the replay's side (scripts/bmp-replay.mjs), here so that writer and reader share
 * the headers' names and meaning.
 */
import { Counter } from 'prom-client';
import { CompressionTypes, Kafka, logLevel, type IHeaders, type LogEntry, type Message, type Producer } from 'kafkajs';
import type { AppConfig } from '../../common/config/config.js';
import { MAX_REQUEST_BYTES, memoizedDefaultPartitioner } from '../../common/kafka/kafka.gateway.js';
import { kafkaSecurity } from '../../common/kafka/kafka-security.js';
import { BMP_ARCHIVE_TOPIC } from '../../common/kafka/topics.js';
import { metricsRegistry } from '../../common/metrics.js';
import { BMP_COMMON_HEADER_LENGTH } from '../bmp/bmp-constants.js';
import { BmpDecodeError } from '../bmp/bmp-decode-error.js';
import { readCommonHeader } from '../bmp/bmp-decode.js';
import { ByteReader } from '../bmp/byte-reader.js';
import type { ReadOutcome } from './router-stream.js';

/** A record is sealed at this many bytes (a larger message goes alone): far below Kafka's 1 MiB per record batch. */
export const ARCHIVE_RECORD_BYTES = 256 * 1024;
/** ... or this long after its first message, so that a quiet router's messages are on Kafka soon. */
export const ARCHIVE_LINGER_MS = 100;
/**
 * Records waiting for Kafka, all routers together. A full table dump is tens of megabytes of BMP,
 * which Kafka takes faster than the route events made of it (that is measured in docs/bmp.md): the
 * buffer only has to ride out a slow moment, and what does not fit is dropped rather than held.
 */
export const ARCHIVE_BUFFER_BYTES = 16 * 1024 * 1024;
/** At most one warning about dropped records in this long (the counter has them all). */
const DROP_WARNING_INTERVAL_MS = 30_000;
/** On shutdown, how long the records still queued get to reach Kafka. */
const STOP_TIMEOUT_MS = 5000;
const EMPTY = Buffer.alloc(0);

/** The records' Kafka headers (docs/bmp.md): what a replay needs to put a connection's bytes back together. */
export const ARCHIVE_HEADERS = {
  /** The collector's connection, `<run>/<n>`, as in session events' `data.connection`. */
  connection: 'bmp-connection',
  /** Where the record's first byte is in the connection's stream, decimal: 0 is the connection's first byte. */
  streamOffset: 'bmp-stream-offset',
  /** When the collector read the record's first message (for `closed`: when it saw the close), ISO 8601. */
  receivedAt: 'bmp-received-at',
  /** BMP messages in the record, decimal. */
  messages: 'bmp-messages',
  /** What the record is: see ArchiveRecordKind. */
  kind: 'bmp-record',
  /** Why the bytes of an `unframed` record could not be cut into messages. */
  problem: 'bmp-problem',
} as const;

/**
 * `messages`: whole BMP messages. `unframed`: the rest of a read from a common header that could not
 * be read (not BMP v3, a length out of bounds): the bytes that made the decoder close the connection,
 * as received; nothing of the connection is archived after it. `closed`: empty, the connection
 * closed (whoever closed it).
 */
export type ArchiveRecordKind = 'messages' | 'unframed' | 'closed';

export interface ArchiveRecord {
  connection: string;
  kind: ArchiveRecordKind;
  streamOffset: number;
  receivedAt: Date;
  messages: number;
  bytes: Buffer;
  problem: string | null;
}

/** A record with its key: the router's identity once the collector settled it. */
export interface KeyedArchiveRecord extends ArchiveRecord {
  router: string;
}

/** Where records go: Kafka (KafkaArchiveSink), or a test's fake. */
export interface ArchiveSink {
  /** Sends the records, in order, in one request; rejects when Kafka did not take them. */
  write(records: readonly KeyedArchiveRecord[]): Promise<void>;
  close(): Promise<void>;
}

export interface ArchiveLogger {
  log(message: string): void;
  warn(message: string): void;
}

export interface BmpArchiveOptions {
  logger: ArchiveLogger;
  /** A longer BMP message is not framed (the decoder closes the connection on it too). */
  maxMessageLength: number;
  bufferBytes?: number;
  recordBytes?: number;
  lingerMs?: number;
  /** Bytes of records per Kafka request. */
  requestBytes?: number;
}

type DropReason = 'buffer-full' | 'kafka-error' | 'shutdown';

export const bmpArchiveDroppedBytes = new Counter({
  name: 'route_broker_bmp_archive_dropped_bytes_total',
  help: 'Raw BMP bytes the archive dropped instead of delaying route events: buffer-full (Kafka did not keep up), kafka-error (Kafka refused or failed a send), shutdown (still queued when the collector stopped)',
  labelNames: ['reason'] as const,
  registers: [metricsRegistry],
});
export const bmpArchivedBytes = new Counter({
  name: 'route_broker_bmp_archive_bytes_total',
  help: 'Raw BMP bytes written to the archive topic',
  registers: [metricsRegistry],
});

/** The collector's archive: one stream per BMP connection, one bounded queue and one sender for all. */
export class BmpArchive {
  private readonly bufferBytes: number;
  private readonly requestBytes: number;
  private readonly logger: ArchiveLogger;
  private readonly queue: KeyedArchiveRecord[] = [];
  private readonly streams = new Set<BmpArchiveStream>();
  /** Bytes of the records sealed and not yet on Kafka: held until their connection's key is known, queued, or being sent. */
  private buffered = 0;
  /** The sender, while it runs. */
  private sending: Promise<void> | null = null;
  private stopped = false;
  private stopping: Promise<void> | null = null;
  private readonly drops = { bytes: 0, records: 0, reasons: new Set<string>() };
  private lastWarningAt = -Infinity;
  private warningTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly sink: ArchiveSink,
    private readonly options: BmpArchiveOptions,
  ) {
    this.bufferBytes = options.bufferBytes ?? ARCHIVE_BUFFER_BYTES;
    this.requestBytes = options.requestBytes ?? MAX_REQUEST_BYTES;
    this.logger = options.logger;
  }

  /** Bytes of records waiting for Kafka (at most the buffer's size). */
  get bufferedBytes(): number {
    return this.buffered;
  }

  /** A new BMP connection's stream; `router` is who it is known as so far (its address). */
  open(connection: string, router: string): BmpArchiveStream {
    const stream = new BmpArchiveStream(this, connection, router, {
      recordBytes: this.options.recordBytes ?? ARCHIVE_RECORD_BYTES,
      lingerMs: this.options.lingerMs ?? ARCHIVE_LINGER_MS,
      maxMessageLength: this.options.maxMessageLength,
    });
    this.streams.add(stream);
    return stream;
  }

  /**
   * Ends the streams still open, gives what is queued STOP_TIMEOUT_MS to reach Kafka (the collector
   * has closed its connections first, so their last records and close markers are in), then closes
   * the sink; later records are dropped. Once: a second call gets the first one's promise.
   */
  stop(timeoutMs = STOP_TIMEOUT_MS): Promise<void> {
    return (this.stopping ??= this.stopNow(timeoutMs));
  }

  private async stopNow(timeoutMs: number): Promise<void> {
    for (const stream of [...this.streams]) stream.end();
    const deadline = Date.now() + timeoutMs;
    while (this.sending !== null && Date.now() < deadline) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([this.sending, new Promise((resolve) => (timer = setTimeout(resolve, deadline - Date.now())))]);
      clearTimeout(timer);
    }
    this.stopped = true;
    const left = this.queue.splice(0);
    if (left.length > 0) {
      this.buffered -= sizeOf(left);
      this.dropped(sizeOf(left), left.length, 'shutdown', 'still queued when the collector stopped');
    }
    this.warnDrops();
    await this.sink.close();
  }

  /** @internal BmpArchiveStream's way in: room for a sealed record, or false (it is dropped and counted). */
  reserve(record: ArchiveRecord): boolean {
    const bytes = record.bytes.length;
    if (this.stopped) {
      this.dropped(bytes, 1, 'shutdown', 'the collector is stopping');
      return false;
    }
    // An empty record (a close) always fits, so a replay knows the connection ended.
    if (bytes > 0 && this.buffered + bytes > this.bufferBytes) {
      this.dropped(bytes, 1, 'buffer-full', `Kafka has not taken the ${this.buffered} bytes already waiting`);
      return false;
    }
    this.buffered += bytes;
    return true;
  }

  /** @internal Reserved records, now with their key, to Kafka in this order. */
  enqueue(router: string, records: readonly ArchiveRecord[]): void {
    for (const record of records) this.queue.push({ ...record, router });
    if (this.sending === null && this.queue.length > 0) this.sending = this.sendQueued();
  }

  /** @internal */
  ended(stream: BmpArchiveStream): void {
    this.streams.delete(stream);
  }

  /** Sends the queue, one request at a time, until it is empty. */
  private async sendQueued(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        let bytes = this.queue[0]!.bytes.length;
        let count = 1;
        while (count < this.queue.length && bytes + this.queue[count]!.bytes.length <= this.requestBytes)
          bytes += this.queue[count++]!.bytes.length;
        const records = this.queue.splice(0, count);
        try {
          await this.sink.write(records);
          bmpArchivedBytes.inc(bytes);
        } catch (error) {
          this.dropped(bytes, records.length, 'kafka-error', (error as Error).message);
        } finally {
          this.buffered -= bytes;
        }
      }
    } finally {
      // In the same microtask as the check that found the queue empty: a record enqueued after
      // this starts a new sender.
      this.sending = null;
    }
  }

  private dropped(bytes: number, records: number, reason: DropReason, detail: string): void {
    bmpArchiveDroppedBytes.inc({ reason }, bytes);
    this.drops.bytes += bytes;
    this.drops.records += records;
    this.drops.reasons.add(`${reason}: ${detail}`);
    const now = Date.now();
    if (now - this.lastWarningAt >= DROP_WARNING_INTERVAL_MS) this.warnDrops();
    else if (this.warningTimer === null) {
      this.warningTimer = setTimeout(() => this.warnDrops(), this.lastWarningAt + DROP_WARNING_INTERVAL_MS - now);
      this.warningTimer.unref();
    }
  }

  private warnDrops(): void {
    if (this.warningTimer !== null) clearTimeout(this.warningTimer);
    this.warningTimer = null;
    if (this.drops.records === 0) return;
    const reasons = [...this.drops.reasons].slice(0, 3).join('; ');
    this.logger.warn(
      `raw BMP archive: dropped ${this.drops.bytes} bytes in ${this.drops.records} records (${reasons}); ` +
        'route events are not affected, a replay of those connections misses them (route_broker_bmp_archive_dropped_bytes_total)',
    );
    this.drops.bytes = 0;
    this.drops.records = 0;
    this.drops.reasons.clear();
    this.lastWarningAt = Date.now();
  }
}

/**
 * One BMP connection's bytes, cut into records of whole messages. The collector calls received()
 * for every read, as it arrives, decoded() for every read's outcome, and end() when the connection
 * is gone.
 */
export class BmpArchiveStream {
  /** The router's identity once settled: the key of all the connection's records. */
  private key: string | null = null;
  /** Who the router is known as now (the key until it is settled). */
  private router: string;
  /** Sealed records waiting for the key, already counted in the archive's buffer. */
  private readonly held: ArchiveRecord[] = [];
  /** Stream offset of the next byte put into a record. */
  private nextOffset = 0;
  /** The record being filled: pieces of reads, each whole messages. */
  private pieces: Buffer[] = [];
  private pieceBytes = 0;
  private messages = 0;
  private recordOffset = 0;
  private firstReceivedAt = new Date(0);
  private linger: NodeJS.Timeout | null = null;
  /** A message that began in an earlier read. */
  private partial: Buffer[] = [];
  private partialBytes = 0;
  /** Its length from its common header; 0 while the header is incomplete. */
  private partialLength = 0;
  /** Bytes received before the current read (for the offsets in framing problems). */
  private receivedBytes = 0;
  private unframed = false;
  private closed = false;

  constructor(
    private readonly archive: BmpArchive,
    readonly connection: string,
    router: string,
    private readonly limits: { recordBytes: number; lingerMs: number; maxMessageLength: number },
  ) {
    this.router = router;
  }

  /** One read, as it arrives; its bytes are used in place (a record is copied out when sealed). */
  received(chunk: Buffer, receivedAt: Date): void {
    if (this.closed || this.unframed || chunk.length === 0) return;
    const chunkOffset = this.receivedBytes;
    this.receivedBytes += chunk.length;
    let at = 0;
    if (this.partialBytes > 0) {
      try {
        at = this.completeMessage(chunk, receivedAt);
      } catch (error) {
        if (!(error instanceof BmpDecodeError)) throw error;
        return this.keepUnframed([...this.partial, chunk], error.problem, receivedAt);
      }
      if (at === chunk.length) return;
    }
    at = this.wholeMessages(chunk, at, chunkOffset, receivedAt);
    if (at < chunk.length) this.keepPartial(chunk.subarray(at));
  }

  /**
   * The collector handled a read's outcome. Once the decoder has passed the router's first message
   * with the router identified (past the Initiation, whose sysName may name it, or the first
   * message when it was none), the identity the route events carry is settled: it keys every record
   * of the connection (those held until then included), so one connection is one key, one
   * partition, in order.
   */
  decoded(outcome: Pick<ReadOutcome, 'initiation' | 'messages'>, router: string): void {
    this.router = router;
    if (this.key === null && outcome.initiation === null && Object.keys(outcome.messages).length > 0) this.settle(router);
  }

  /**
   * The connection is gone: the record being filled is sealed, then an empty `closed` record. A
   * message cut short by the close is left out (the decoder never used it either).
   */
  end(router = this.router): void {
    if (this.closed) return;
    this.seal();
    this.closed = true;
    this.partial = [];
    this.partialBytes = 0;
    this.settle(router);
    this.submit({
      connection: this.connection,
      kind: 'closed',
      streamOffset: this.nextOffset,
      receivedAt: new Date(),
      messages: 0,
      bytes: EMPTY,
      problem: null,
    });
    this.archive.ended(this);
  }

  private settle(router: string): void {
    if (this.key !== null) return;
    this.key = router;
    if (this.held.length > 0) this.archive.enqueue(router, this.held.splice(0));
  }

  /** Completes the message begun in earlier reads; returns where the rest of the chunk begins (its length: nothing left). */
  private completeMessage(chunk: Buffer, receivedAt: Date): number {
    if (this.partialLength === 0) {
      const missingHeader = BMP_COMMON_HEADER_LENGTH - this.partialBytes;
      if (chunk.length < missingHeader) {
        this.keepPartial(chunk);
        return chunk.length;
      }
      this.partialLength = this.lengthAt(firstBytes([...this.partial, chunk], BMP_COMMON_HEADER_LENGTH), 0, this.nextOffset);
    }
    const missing = this.partialLength - this.partialBytes;
    if (chunk.length < missing) {
      this.keepPartial(chunk);
      return chunk.length;
    }
    const message = Buffer.concat([...this.partial, chunk.subarray(0, missing)], this.partialLength);
    this.partial = [];
    this.partialBytes = 0;
    this.partialLength = 0;
    if (this.pieceBytes > 0 && this.pieceBytes + message.length > this.limits.recordBytes) this.seal();
    this.append(message, 1, receivedAt);
    return missing;
  }

  /**
   * The whole messages of the chunk from `start` on, as runs of the chunk; returns where the
   * incomplete one begins (the chunk's length: none). A record is sealed before a message that
   * would take it over recordBytes, so it never holds part of one.
   */
  private wholeMessages(chunk: Buffer, start: number, chunkOffset: number, receivedAt: Date): number {
    let at = start;
    let runStart = start;
    let runMessages = 0;
    try {
      while (chunk.length - at >= BMP_COMMON_HEADER_LENGTH) {
        const length = this.lengthAt(chunk, at, chunkOffset + at);
        if (chunk.length - at < length) break;
        const filled = this.pieceBytes + (at - runStart);
        if (filled > 0 && filled + length > this.limits.recordBytes) {
          if (runMessages > 0) this.append(chunk.subarray(runStart, at), runMessages, receivedAt);
          this.seal();
          runStart = at;
          runMessages = 0;
        }
        at += length;
        runMessages++;
      }
    } catch (error) {
      if (!(error instanceof BmpDecodeError)) throw error;
      if (runMessages > 0) this.append(chunk.subarray(runStart, at), runMessages, receivedAt);
      this.keepUnframed([chunk.subarray(at)], error.problem, receivedAt);
      return chunk.length;
    }
    if (runMessages > 0) this.append(chunk.subarray(runStart, at), runMessages, receivedAt);
    return at;
  }

  /** The message's length from its common header (the decoder's own check: BMP v3, 6 bytes to maxMessageLength). */
  private lengthAt(buffer: Buffer, at: number, streamOffset: number): number {
    const reader = new ByteReader(buffer, streamOffset, at, at + BMP_COMMON_HEADER_LENGTH);
    return readCommonHeader(reader, this.limits.maxMessageLength).length;
  }

  private keepPartial(piece: Buffer): void {
    this.partial.push(piece);
    this.partialBytes += piece.length;
    // Read already by wholeMessages when the header is in this piece: it cannot fail here.
    if (this.partialLength === 0 && this.partialBytes >= BMP_COMMON_HEADER_LENGTH)
      this.partialLength = this.lengthAt(firstBytes(this.partial, BMP_COMMON_HEADER_LENGTH), 0, this.nextOffset);
  }

  /** Bytes the framing cannot cut: archived as received, for a replay to show a fixed build the same bytes; nothing after them. */
  private keepUnframed(pieces: Buffer[], problem: string, receivedAt: Date): void {
    this.seal();
    this.unframed = true;
    const bytes = Buffer.concat(pieces);
    this.partial = [];
    this.partialBytes = 0;
    this.submit({ connection: this.connection, kind: 'unframed', streamOffset: this.nextOffset, receivedAt, messages: 0, bytes, problem });
    this.nextOffset += bytes.length;
  }

  private append(piece: Buffer, messages: number, receivedAt: Date): void {
    if (this.pieceBytes === 0) {
      this.recordOffset = this.nextOffset;
      this.firstReceivedAt = receivedAt;
      this.linger = setTimeout(() => this.seal(), this.limits.lingerMs);
      this.linger.unref();
    }
    this.pieces.push(piece);
    this.pieceBytes += piece.length;
    this.messages += messages;
    this.nextOffset += piece.length;
    if (this.pieceBytes >= this.limits.recordBytes) this.seal();
  }

  private seal(): void {
    if (this.linger !== null) clearTimeout(this.linger);
    this.linger = null;
    if (this.pieceBytes === 0) return;
    // Copied out of the reads: a record holds only its own bytes, however small.
    const bytes = Buffer.concat(this.pieces, this.pieceBytes);
    const record: ArchiveRecord = {
      connection: this.connection,
      kind: 'messages',
      streamOffset: this.recordOffset,
      receivedAt: this.firstReceivedAt,
      messages: this.messages,
      bytes,
      problem: null,
    };
    this.pieces = [];
    this.pieceBytes = 0;
    this.messages = 0;
    this.submit(record);
  }

  private submit(record: ArchiveRecord): void {
    if (!this.archive.reserve(record)) return;
    if (this.key === null) this.held.push(record);
    else this.archive.enqueue(this.key, [record]);
  }
}

/** The first `count` bytes of consecutive pieces (a common header split across reads). */
function firstBytes(pieces: readonly Buffer[], count: number): Buffer {
  if (pieces[0]!.length >= count) return pieces[0]!;
  const bytes = Buffer.alloc(count);
  let filled = 0;
  for (const piece of pieces) {
    filled += piece.copy(bytes, filled, 0, Math.min(piece.length, count - filled));
    if (filled === count) break;
  }
  return bytes;
}

function sizeOf(records: readonly ArchiveRecord[]): number {
  return records.reduce((sum, record) => sum + record.bytes.length, 0);
}

/** A record as a Kafka message: the Kafka timestamp is the receive time, so a time range can be found by it too. */
export function archiveMessage(record: KeyedArchiveRecord): Message {
  const headers: IHeaders = {
    [ARCHIVE_HEADERS.connection]: record.connection,
    [ARCHIVE_HEADERS.streamOffset]: String(record.streamOffset),
    [ARCHIVE_HEADERS.receivedAt]: record.receivedAt.toISOString(),
    [ARCHIVE_HEADERS.messages]: String(record.messages),
    [ARCHIVE_HEADERS.kind]: record.kind,
  };
  if (record.problem !== null) headers[ARCHIVE_HEADERS.problem] = record.problem;
  return { key: record.router, value: record.bytes, timestamp: String(record.receivedAt.getTime()), headers };
}

/**
 * The archive's Kafka side: its topic (created when missing, with the retention configured) and
 * its own producer. Not the gateway's: that one is idempotent with one request in flight, so an
 * archive request would wait in line with, and hold up, the route events. Here ordering per key
 * comes from one request in flight; a retried request that Kafka had already appended is a
 * duplicate record, which a replay recognises by its stream offset.
 *
 * It sets itself up in the background and keeps trying while Kafka cannot be reached (the
 * collector's start never waits for the archive); records meanwhile wait in the archive's buffer
 * and what does not fit is dropped.
 */
export class KafkaArchiveSink implements ArchiveSink {
  private readonly kafka: Kafka;
  private readonly producer: Producer;
  /** Resolves once the topic exists and the producer is connected; rejects only when closed first. */
  private readonly ready: Promise<void>;
  private closing = false;
  private wake: () => void = () => undefined;

  constructor(
    private readonly config: AppConfig,
    private readonly logger: ArchiveLogger,
  ) {
    this.kafka = new Kafka({
      clientId: `${config.kafka.clientId}-bmp-archive`,
      brokers: [...config.kafka.brokers],
      ...kafkaSecurity(config.kafka),
      connectionTimeout: config.kafka.connectionTimeoutMs,
      logLevel: logLevel.WARN,
      logCreator:
        () =>
        ({ log }: LogEntry) => {
          const { message, ...extra } = log;
          this.logger.warn(`raw BMP archive, Kafka client: ${message} ${JSON.stringify(extra)}`);
        },
      retry: { retries: 8, initialRetryTime: 200, maxRetryTime: 5000 },
    });
    this.producer = this.kafka.producer({
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: memoizedDefaultPartitioner,
      // Best effort: a send Kafka does not take within a few seconds is dropped (and counted), not
      // retried while records pile up behind it.
      retry: { retries: 3, initialRetryTime: 200, maxRetryTime: 2000 },
    });
    this.ready = this.start();
    this.ready.catch(() => undefined);
  }

  async write(records: readonly KeyedArchiveRecord[]): Promise<void> {
    await this.ready;
    await this.producer.send({
      topic: BMP_ARCHIVE_TOPIC.name,
      acks: -1,
      compression: CompressionTypes.GZIP,
      messages: records.map(archiveMessage),
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    this.wake();
    await this.ready.catch(() => undefined);
    await this.producer.disconnect();
  }

  private async start(): Promise<void> {
    for (let delayMs = 1000; ; delayMs = Math.min(delayMs * 2, 60_000)) {
      try {
        await this.ensureTopic();
        await this.producer.connect();
        return;
      } catch (error) {
        if (this.closing) throw error;
        this.logger.warn(
          `raw BMP archive: Kafka is not ready for it (${(error as Error).message}); trying again in ${delayMs / 1000} s, ` +
            'records that do not fit in its buffer meanwhile are dropped',
        );
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delayMs);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      if (this.closing) throw new Error('the raw BMP archive is closed');
    }
  }

  /**
   * Created like the gateway's topics (partitions, replication, min.insync.replicas), with
   * retention.ms from RB_BMP_ARCHIVE_RETENTION_HOURS. An existing topic is left as it is: its
   * retention is the operator's (docs/bmp.md).
   */
  private async ensureTopic(): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const { name } = BMP_ARCHIVE_TOPIC;
      if ((await admin.listTopics()).includes(name)) return;
      const { topicPartitions, replicationFactor, minInsyncReplicas } = this.config.kafka;
      const hours = this.config.bmp.archive.retentionHours;
      await admin.createTopics({
        waitForLeaders: true,
        topics: [
          {
            topic: name,
            numPartitions: topicPartitions,
            replicationFactor,
            configEntries: [
              { name: 'retention.ms', value: String(hours * 3_600_000) },
              ...(minInsyncReplicas === null ? [] : [{ name: 'min.insync.replicas', value: String(minInsyncReplicas) }]),
            ],
          },
        ],
      });
      this.logger.log(`created Kafka topic ${name} for the raw BMP archive (${topicPartitions} partitions, retention ${hours} h)`);
    } finally {
      await admin.disconnect();
    }
  }
}

/** The archive on Kafka, for the collector when RB_BMP_ARCHIVE is on: ready at once, writing once Kafka is. */
export function openKafkaBmpArchive(config: AppConfig, logger: ArchiveLogger): BmpArchive {
  return new BmpArchive(new KafkaArchiveSink(config, logger), { logger, maxMessageLength: config.bmp.maxMessageBytes });
}

// --- the replay's side (scripts/bmp-replay.mjs) ----------------------------------------------

/** An archived record's place and headers, without its bytes. */
export interface ArchivedRecordMeta {
  partition: number;
  offset: bigint;
  router: string;
  connection: string;
  kind: ArchiveRecordKind;
  streamOffset: number;
  /** ms since the epoch. */
  receivedAt: number;
  messages: number;
  bytes: number;
}

/** A Kafka message of the archive topic as kafkajs gives it. */
export interface ArchivedMessage {
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  timestamp: string;
  headers?: IHeaders;
}

/** The record's headers read; null for a message that is not an archive record (no connection or offset). */
export function archivedRecordMeta(partition: number, message: ArchivedMessage): ArchivedRecordMeta | null {
  const header = (name: string): string | null => {
    const value = message.headers?.[name];
    const first = Array.isArray(value) ? value[0] : value;
    return first === undefined ? null : first.toString();
  };
  const connection = header(ARCHIVE_HEADERS.connection);
  const streamOffset = Number(header(ARCHIVE_HEADERS.streamOffset));
  if (connection === null || message.key === null || !Number.isSafeInteger(streamOffset)) return null;
  const kind = header(ARCHIVE_HEADERS.kind) ?? 'messages';
  const receivedAt = Date.parse(header(ARCHIVE_HEADERS.receivedAt) ?? '');
  return {
    partition,
    offset: BigInt(message.offset),
    router: message.key.toString(),
    connection,
    kind: kind === 'closed' || kind === 'unframed' ? kind : 'messages',
    streamOffset,
    receivedAt: Number.isNaN(receivedAt) ? Number(message.timestamp) : receivedAt,
    messages: Number(header(ARCHIVE_HEADERS.messages) ?? 0),
    bytes: message.value?.length ?? 0,
  };
}

export interface ReplaySelection {
  router?: string;
  connection?: string;
  /** ms since the epoch; absent: from the archive's start. */
  from?: number;
  /** ms since the epoch; absent: to its end. */
  to?: number;
}

/** One archived connection as a replay sees it. */
export interface ArchivedConnection {
  router: string;
  connection: string;
  partition: number;
  /** Kafka offsets of its first record kept and of its last record at or before `to`. */
  firstOffset: bigint;
  lastOffset: bigint;
  /** Its first kept record's stream offset: above 0 the connection's start is no longer in the archive (retention). */
  startsAt: number;
  firstReceivedAt: number;
  lastReceivedAt: number;
  records: number;
  messages: number;
  bytes: number;
  /** Bytes missing between its records (dropped by the collector). */
  missingBytes: number;
  /** Its close is within the replay; otherwise it was still open at `to` (or its collector died). */
  closed: boolean;
  /** The collector could not frame its last bytes (an `unframed` record): the bytes that closed it. */
  unframed: boolean;
  /** It has a record within [from, to]. */
  inRange: boolean;
  /** Stream offset after its last record, to tell duplicates and gaps. */
  nextStreamOffset: number;
}

/**
 * The archive's connections, from a scan of its records in partition order. A connection is
 * replayed when one of its records is within [from, to], from its first record on (the Initiation
 * and Peer Ups a receiving collector needs, however long before `from` they were) to its last at
 * or before `to`. A record whose stream offset is below what came before is a duplicate (a retried
 * send); one above it follows a gap (records dropped).
 */
export class ArchiveIndex {
  private readonly connections = new Map<string, ArchivedConnection>();

  constructor(private readonly selection: ReplaySelection) {}

  add(meta: ArchivedRecordMeta): void {
    const { router, connection, from, to } = this.selection;
    if ((router !== undefined && meta.router !== router) || (connection !== undefined && meta.connection !== connection)) return;
    if (to !== undefined && meta.receivedAt > to) return;
    let entry = this.connections.get(meta.connection);
    if (entry === undefined) {
      entry = {
        router: meta.router,
        connection: meta.connection,
        partition: meta.partition,
        firstOffset: meta.offset,
        lastOffset: meta.offset,
        startsAt: meta.streamOffset,
        firstReceivedAt: meta.receivedAt,
        lastReceivedAt: meta.receivedAt,
        records: 0,
        messages: 0,
        bytes: 0,
        missingBytes: 0,
        closed: false,
        unframed: false,
        inRange: false,
        nextStreamOffset: meta.streamOffset,
      };
      this.connections.set(meta.connection, entry);
    }
    if (meta.streamOffset < entry.nextStreamOffset) return;
    entry.missingBytes += meta.streamOffset - entry.nextStreamOffset;
    entry.nextStreamOffset = meta.streamOffset + meta.bytes;
    entry.lastOffset = meta.offset;
    entry.lastReceivedAt = meta.receivedAt;
    entry.records++;
    entry.messages += meta.messages;
    entry.bytes += meta.bytes;
    if (meta.kind === 'closed') entry.closed = true;
    if (meta.kind === 'unframed') entry.unframed = true;
    if (from === undefined || meta.receivedAt >= from) entry.inRange = true;
  }

  /** Every connection seen (for a listing), by the time of its first record. */
  all(): ArchivedConnection[] {
    return [...this.connections.values()].sort((a, b) => a.firstReceivedAt - b.firstReceivedAt);
  }

  /** The connections to replay, by the time of their first record. */
  selected(): ArchivedConnection[] {
    return this.all().filter((entry) => entry.inRange);
  }
}

/** The second pass of a replay: which records, in partition order, are sent (not outside the selection, not duplicates). */
export class ReplayCursor {
  private readonly connections = new Map<string, { entry: ArchivedConnection; next: number }>();

  constructor(connections: readonly ArchivedConnection[]) {
    for (const entry of connections) this.connections.set(entry.connection, { entry, next: entry.startsAt });
  }

  /** The connection the record is to be sent on, or null. */
  take(meta: ArchivedRecordMeta): ArchivedConnection | null {
    const cursor = this.connections.get(meta.connection);
    if (cursor === undefined || meta.offset < cursor.entry.firstOffset || meta.offset > cursor.entry.lastOffset) return null;
    if (meta.streamOffset < cursor.next) return null;
    cursor.next = meta.streamOffset + meta.bytes;
    return cursor.entry;
  }
}
