/**
 * The one place that talks kafkajs. Everything else publishes CloudEvents and receives parsed
 * batches, so the client library could be replaced without touching the roles.
 *
 * Consumers use kafkajs directly rather than @nestjs/microservices' Kafka transport: the roles
 * apply a whole batch in one database transaction and commit offsets only after it, which the
 * transport's one-message-per-handler model cannot express (and its pipes retry bad messages
 * forever instead of dead-lettering them).
 */
import { promisify } from 'node:util';
import { gzip, unzip } from 'node:zlib';
import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import kafkajs, {
  CompressionTypes,
  Kafka,
  Partitioners,
  type PartitionMetadata,
  logLevel,
  type Admin,
  type Consumer,
  type ICustomPartitioner,
  type LogEntry,
  type Message,
  type Producer,
} from 'kafkajs';
import type { AppConfig } from '../config/config.js';
import { createCloudEvent, parseCloudEvent, type CloudEvent } from './cloud-event.js';
import { OffsetCommits } from './offset-commits.js';
import { OffsetTracker } from './offset-tracker.js';
import { DEAD_LETTER_EVENT_TYPE, TOPICS, type DeadLetter, type TopicSpec } from './topics.js';

export interface OutgoingEvent<T = unknown> {
  key: string;
  /** null: a tombstone (compacted topics drop the key). */
  event: CloudEvent<T> | null;
}

/**
 * An event its producer serialised itself (the BMP collector writes a full table's JSON without
 * building the envelope objects): `value` is the CloudEvent as UTF-8 JSON, `id` and `type` its
 * `id` and `type`, for the headers.
 */
export interface SerializedEvent {
  key: string;
  value: Buffer;
  id: string;
  type: string;
}

export interface IncomingEvent {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  event: CloudEvent<unknown>;
}

export interface ConsumerOptions {
  groupId: string;
  topics: readonly string[];
  /** Start a new group at the earliest offset so nothing published before it is missed. */
  fromBeginning?: boolean;
  /**
   * Start a new group at the topics' ends as they are when this is called (fromBeginning false
   * alone starts wherever the ends are when the group first joins, seconds later: what is
   * published in between would be missed).
   */
  fromNow?: boolean;
  /**
   * Applies a batch of valid events of one partition (consecutive, at most about HANDLED_BYTES of
   * messages). Offsets are committed only after it resolves (in the background, while the next
   * batch is applied: see OffsetCommits); if it throws, nothing is committed and the batch is
   * delivered again. Never called again before the previous call settled; the next batch is
   * parsed and validated meanwhile.
   */
  handleBatch(events: IncomingEvent[]): Promise<void>;
  /** Optional extra checks on a parsed event; a returned problem sends it to the dead-letter topic. */
  validate?(event: IncomingEvent): string | null;
  /** Log and skip bad messages instead of dead-lettering them (another group of ours dead-letters the same ones). */
  skipInvalid?: boolean;
}

export interface FanOutConsumerOptions {
  groupId: string;
  topics: readonly string[];
  fromBeginning?: boolean;
  validate?(event: IncomingEvent): string | null;
  /**
   * Takes one valid event, in partition order, and may go on working on it after returning: it
   * calls `finished` once nothing depends on the message any more. Offsets are committed up to
   * the lowest unfinished message, so a restart redelivers exactly what was not finished.
   */
  take(event: IncomingEvent, finished: () => void): Promise<void>;
  /** The partitions this instance owns, after every rebalance. */
  onAssignment?(assignment: Record<string, number[]>): void;
}

/** How often a fan-out consumer commits what its messages' subscribers have finished. */
const FAN_OUT_COMMIT_INTERVAL_MS = 1000;

/** Under the broker's default message.max.bytes (1 MiB) with room for batch headers. */
export const MAX_REQUEST_BYTES = 768 * 1024;
/** Record framing and the three headers, generously. */
const MESSAGE_OVERHEAD_BYTES = 160;

/** The CloudEvents Kafka binding's headers for a structured-mode event. */
const cloudEventHeaders = (id: string, type: string) => ({ ce_id: id, ce_type: type, 'content-type': 'application/cloudevents+json' });

/**
 * Every record batch is sent gzip-compressed. A full table is about a gigabyte of route events
 * from the collector and half a gigabyte of interconnect notifications from BRM, JSON that repeats
 * its sessions, attributes and field names; compressed, Kafka stores and moves a fraction of it
 * (docs/benchmarks.md, Kafka compression). Kafka clients decompress on their own; gzip is the codec every
 * client has built in (kafkajs needs plug-ins for the others). The broker keeps the producer's
 * compression (the topics' `compression.type` is `producer`, the default).
 */
const COMPRESSION = CompressionTypes.GZIP;
/**
 * kafkajs compresses at zlib's default level (6). On notifications and route events level 3 is
 * about three times as fast and within a few percent of its size (22 against 24 times smaller on
 * a notification of 500 changes): what BRM and the collector spend on compression is CPU the
 * table and the decoder need. Registered through kafkajs' codec table, as codec plug-ins are.
 */
const GZIP_LEVEL = 3;
const gzipAsync = promisify(gzip);
const unzipAsync = promisify(unzip);
// kafkajs' CommonJS exports hide this table from named ESM imports: reach it through the module.
kafkajs.CompressionCodecs[CompressionTypes.GZIP] = () => ({
  compress: (encoder: { buffer: Buffer }) => gzipAsync(encoder.buffer, { level: GZIP_LEVEL }),
  decompress: (buffer: Buffer) => unzipAsync(buffer),
});

/**
 * A consumer hands a partition's fetch to its handler in parts of about this many bytes of
 * (uncompressed) messages, each part committed after its handler. kafkajs limits a fetch by
 * compressed bytes (1 MiB a partition by default), so a gzip fetch holds several times more events
 * than the same limit did uncompressed; a handler that applies its part in one transaction (BRM)
 * would otherwise hold that many times the routes in memory, beyond what its relay keeps at hand.
 */
export const HANDLED_BYTES = 1024 * 1024;
/** While a part is being applied, the next one is parsed in slices of this many messages (about a millisecond). */
const MESSAGES_PER_YIELD = 32;

/** What one message counts against MAX_REQUEST_BYTES. */
export function messageBytes(keyBytes: number, valueBytes: number): number {
  return keyBytes + valueBytes + MESSAGE_OVERHEAD_BYTES;
}

/**
 * The Java client's partitioner (kafkajs' DefaultPartitioner), remembering each string key's
 * partition: the default one hashes every message's key again (murmur2 on 64-bit longs in
 * JavaScript), while a producer like the BMP collector sends thousands of messages per key.
 * Same partitions: a key is hashed once per topic and partition count.
 */
export const memoizedDefaultPartitioner: ICustomPartitioner = () => {
  const partition = Partitioners.DefaultPartitioner();
  const byTopic = new Map<string, { partitions: number; byKey: Map<string, number> }>();
  return (args) => {
    const { topic, partitionMetadata, message } = args;
    if (typeof message.key !== 'string' || (message.partition !== null && message.partition !== undefined)) return partition(args);
    let cache = byTopic.get(topic);
    if (cache?.partitions !== partitionMetadata.length)
      byTopic.set(topic, (cache = { partitions: partitionMetadata.length, byKey: new Map() }));
    let chosen = cache.byKey.get(message.key);
    if (chosen === undefined) {
      // Bounded: a key seen again after a clear is just hashed again.
      if (cache.byKey.size >= 100_000) cache.byKey.clear();
      chosen = partition(args);
      cache.byKey.set(message.key, chosen);
    }
    return chosen;
  };
};

export class KafkaUnavailableError extends Error {}

@Injectable()
export class KafkaGateway implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(KafkaGateway.name);
  private readonly kafka: Kafka;
  private readonly admin: Admin;
  private readonly producer: Producer;
  private readonly consumers: Consumer[] = [];
  /** Final commits of the consumers, run before they disconnect. */
  private readonly beforeDisconnect: (() => Promise<void>)[] = [];
  private stopping = false;
  /**
   * Set when the producer is about to disconnect: later sends are refused at once. A send given
   * to kafkajs after (or while) its producer disconnects makes it refresh metadata over a fresh
   * connection that nothing closes, and the process never exits.
   */
  private producerClosed = false;
  /** Sends under way, which the shutdown lets finish before the producer disconnects. */
  private readonly sending = new Set<Promise<unknown>>();

  constructor(private readonly config: AppConfig['kafka'] & { instanceId: string }) {
    this.kafka = new Kafka({
      clientId: config.clientId,
      brokers: [...config.brokers],
      connectionTimeout: config.connectionTimeoutMs,
      logLevel: logLevel.WARN,
      logCreator: () => (entry: LogEntry) => this.logKafka(entry),
      retry: { retries: 8, initialRetryTime: 200, maxRetryTime: 5000 },
    });
    this.admin = this.kafka.admin();
    // Idempotent and acks=all: a retried send never duplicates or reorders a session's events.
    // The Java client's partitioner, so other teams' producers put a key on the same partition.
    this.producer = this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: memoizedDefaultPartitioner,
    });
  }

  async onModuleInit(): Promise<void> {
    await this.admin.connect();
    await this.ensureTopics(Object.values(TOPICS));
    await this.producer.connect();
  }

  async ensureTopics(specs: readonly TopicSpec[]): Promise<void> {
    const existing = new Set(await this.admin.listTopics());
    const missing = specs.filter((spec) => !existing.has(spec.name));
    if (missing.length === 0) return;
    await this.admin.createTopics({
      waitForLeaders: true,
      topics: missing.map((spec) => ({
        topic: spec.name,
        numPartitions: this.config.topicPartitions,
        replicationFactor: this.config.replicationFactor,
        configEntries: spec.compacted ? [{ name: 'cleanup.policy', value: 'compact' }] : [],
      })),
    });
    this.logger.log(`created Kafka topics: ${missing.map((spec) => spec.name).join(', ')}`);
  }

  /** Publishes CloudEvents (null: a tombstone) in order; see sendInRequests. */
  async publish(topic: string, events: readonly OutgoingEvent[]): Promise<void> {
    await this.sendInRequests(
      topic,
      events.map(({ key, event }) =>
        event === null ? { key, value: null } : { key, value: JSON.stringify(event), headers: cloudEventHeaders(event.id, event.type) },
      ),
    );
  }

  /**
   * publish() for events serialised by their producer. A caller that keeps each call under
   * MAX_REQUEST_BYTES (counted with messageBytes) gets exactly one request, so a failed call can be
   * retried without sending part of it twice.
   */
  async publishSerialized(topic: string, events: readonly SerializedEvent[]): Promise<void> {
    await this.sendInRequests(
      topic,
      events.map(({ key, value, id, type }) => ({ key, value, headers: cloudEventHeaders(id, type) })),
    );
  }

  /**
   * Sends in order, in as few requests as fit under MAX_REQUEST_BYTES: one record batch per
   * partition must stay under the broker's message.max.bytes (1 MiB by default), or the broker
   * refuses it with MESSAGE_TOO_LARGE and a retry can never succeed.
   */
  private async sendInRequests(topic: string, messages: Message[]): Promise<void> {
    let start = 0;
    let bytes = 0;
    for (let index = 0; index < messages.length; index++) {
      const message = messages[index]!;
      const { key } = message;
      // Encoded once here: kafkajs would measure a string value twice more and then encode it.
      if (typeof message.value === 'string') message.value = Buffer.from(message.value);
      const size = messageBytes(key === null || key === undefined ? 0 : Buffer.byteLength(key), message.value?.length ?? 0);
      if (index > start && bytes + size > MAX_REQUEST_BYTES) {
        await this.send(topic, messages.slice(start, index));
        start = index;
        bytes = 0;
      }
      bytes += size;
    }
    if (start < messages.length) await this.send(topic, messages.slice(start));
  }

  private async send(topic: string, messages: Message[]): Promise<void> {
    if (this.producerClosed) throw new KafkaUnavailableError('not sent: the Kafka producer is closed (route-broker is stopping)');
    const sent = this.producer.send({ topic, acks: -1, compression: COMPRESSION, messages });
    this.sending.add(sent);
    try {
      await sent;
    } finally {
      this.sending.delete(sent);
    }
  }

  /** Sends one message to the dead-letter topic with the reason; never throws past the caller's retry. */
  async deadLetter(letter: DeadLetter): Promise<void> {
    await this.publish(TOPICS.deadLetter.name, [
      {
        key: letter.key ?? `${letter.topic}|${letter.partition}|${letter.offset}`,
        event: createCloudEvent({
          type: DEAD_LETTER_EVENT_TYPE,
          source: `route-broker/${this.config.instanceId}/${letter.consumerGroup}`,
          subject: `${letter.topic}/${letter.partition}/${letter.offset}`,
          data: letter,
        }),
      },
    ]);
  }

  /** For /health: answers within the timeout or throws. */
  async ping(timeoutMs = 2000): Promise<{ brokers: number; controller: number | null }> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new KafkaUnavailableError(`Kafka did not answer within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      const cluster = await Promise.race([this.admin.describeCluster(), timeout]);
      return { brokers: cluster.brokers.length, controller: cluster.controller };
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Commits a new group's offsets at the topics' ends as they are now (what `fromNow` does), apart
   * from starting its consumer: a caller can fix the point first and let the group join (seconds:
   * the broker's initial rebalance delay) while it does other work.
   */
  async setGroupAtTopicEnds(groupId: string, topics: readonly string[]): Promise<void> {
    for (const topic of topics) {
      const ends = await this.admin.fetchTopicOffsets(topic);
      await this.admin.setOffsets({ groupId, topic, partitions: ends.map(({ partition, high }) => ({ partition, offset: high })) });
    }
  }

  async startConsumer(options: ConsumerOptions): Promise<Consumer> {
    if (this.stopping) throw new KafkaUnavailableError(`consumer ${options.groupId} not started: route-broker is stopping`);
    const consumer = this.kafka.consumer({ groupId: options.groupId, allowAutoTopicCreation: false });
    // Registered before it connects: a shutdown meanwhile (a consumer started in the background)
    // disconnects it too, instead of leaving it joining a group after everything else stopped.
    this.consumers.push(consumer);
    if (options.fromNow) await this.setGroupAtTopicEnds(options.groupId, options.topics);
    await consumer.connect();
    await consumer.subscribe({ topics: [...options.topics], fromBeginning: options.fromBeginning ?? true });
    const commits = new OffsetCommits(
      (offsets) => consumer.commitOffsets(offsets),
      (error, offsets) =>
        this.logger.warn(
          `commit of ${options.groupId} at ${offsets.map((at) => `${at.topic}/${at.partition}@${at.offset}`).join(', ')} failed (${error.message}); a later batch's commit carries it`,
        ),
    );
    this.beforeDisconnect.push(() => commits.settled());
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: async (payload) => {
        const { batch } = payload;
        let valid: IncomingEvent[] = [];
        let lastOffset: string | null = null;
        let bytes = 0;
        // The part handed over last, still being applied while the next one is parsed: the handler
        // mostly waits for its database, and parsing meanwhile keeps both busy. Parts are still
        // handled one at a time and in order; a part's failure stops the rest of the fetch.
        let handling = null as Promise<void> | null;
        let parsedSinceYield = 0;
        const handOver = async (events: IncomingEvent[], last: string): Promise<void> => {
          if (events.length > 0) await options.handleBatch(events);
          // Commit only what was applied (or dead-lettered): a crash before the commit lands replays
          // it. The commit travels while the next part is applied; a stopping consumer waits for it.
          const committed = commits.request({ topic: batch.topic, partition: batch.partition, offset: (BigInt(last) + 1n).toString() });
          if (this.stopping || !payload.isRunning()) await committed;
          payload.resolveOffset(last);
          await payload.heartbeat();
        };
        const startHandOver = async (): Promise<void> => {
          if (lastOffset === null) return;
          const events = valid;
          const last = lastOffset;
          valid = [];
          lastOffset = null;
          bytes = 0;
          if (handling) await handling;
          const part = handOver(events, last);
          handling = part;
          // Once applied, nothing is in flight: parse the rest without turns of the event loop. A
          // failure stays in `handling`, awaited before the next part or at the end (and caught
          // here so that it is not first an unhandled rejection).
          part.then(
            () => {
              if (handling === part) handling = null;
            },
            () => undefined,
          );
        };
        for (const message of batch.messages) {
          if (!payload.isRunning() || payload.isStale()) break;
          const key = message.key === null ? null : message.key.toString('utf8');
          const parsed = parseCloudEvent(message.value);
          let problem = parsed.ok ? null : parsed.problems.join('; ');
          const incoming: IncomingEvent | null = parsed.ok
            ? { topic: batch.topic, partition: batch.partition, offset: message.offset, key, event: parsed.event }
            : null;
          if (incoming && options.validate) problem = options.validate(incoming);
          if (problem === null && incoming) {
            valid.push(incoming);
          } else if (options.skipInvalid) {
            this.logger.warn(`skipping ${batch.topic}/${batch.partition}@${message.offset}: ${problem}`);
          } else {
            this.logger.warn(`dead-lettering ${batch.topic}/${batch.partition}@${message.offset}: ${problem}`);
            await this.deadLetter({
              reason: problem ?? 'invalid event',
              topic: batch.topic,
              partition: batch.partition,
              offset: message.offset,
              key,
              value: message.value === null ? null : message.value.toString('utf8'),
              consumerGroup: options.groupId,
            });
          }
          lastOffset = message.offset;
          bytes += message.value?.length ?? 0;
          if (bytes >= HANDLED_BYTES) {
            await startHandOver();
          } else if (handling && ++parsedSinceYield >= MESSAGES_PER_YIELD) {
            // Let the part being applied take its database answers as they come.
            parsedSinceYield = 0;
            await new Promise((resolve) => setImmediate(resolve));
          }
        }
        await startHandOver();
        if (handling) await handling;
      },
    });
    // A shutdown while this one was connecting or joining disconnected it before it ran: stop it
    // again now that it runs, or it would go on after everything else stopped.
    if (this.stopping) {
      await consumer.disconnect();
      throw new KafkaUnavailableError(`consumer ${options.groupId} stopped: route-broker is stopping`);
    }
    return consumer;
  }

  /**
   * A consumer whose messages finish out of order (HRM: one message, many subscribers). Each
   * message is handed over once; offsets are committed every second up to the lowest unfinished
   * message of each partition (see OffsetTracker).
   */
  async startFanOutConsumer(options: FanOutConsumerOptions): Promise<Consumer> {
    const consumer = this.kafka.consumer({ groupId: options.groupId, allowAutoTopicCreation: false });
    const trackers = new Map<string, { topic: string; partition: number; tracker: OffsetTracker }>();
    const trackerOf = (topic: string, partition: number): OffsetTracker => {
      const id = `${topic}|${partition}`;
      let entry = trackers.get(id);
      if (!entry) trackers.set(id, (entry = { topic, partition, tracker: new OffsetTracker() }));
      return entry.tracker;
    };
    const commit = async (): Promise<void> => {
      const offsets: { topic: string; partition: number; offset: string }[] = [];
      for (const { topic, partition, tracker } of trackers.values()) {
        const offset = tracker.committable();
        if (offset !== null) offsets.push({ topic, partition, offset });
      }
      if (offsets.length === 0) return;
      await consumer.commitOffsets(offsets);
      for (const { topic, partition, offset } of offsets) trackerOf(topic, partition).committedAt(offset);
    };
    let committing = false;
    const timer = setInterval(() => {
      if (committing) return;
      committing = true;
      commit()
        .catch((error: Error) => this.logger.debug(`commit of ${options.groupId} failed (retried): ${error.message}`))
        .finally(() => (committing = false));
    }, FAN_OUT_COMMIT_INTERVAL_MS);
    timer.unref();
    this.beforeDisconnect.push(async () => {
      clearInterval(timer);
      await commit().catch((error: Error) => this.logger.warn(`final commit of ${options.groupId} failed: ${error.message}`));
    });
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      // A partition that came back after a rebalance is read again from its committed offset.
      const assignment = payload.memberAssignment;
      for (const [id, entry] of trackers) {
        if (!(assignment[entry.topic] ?? []).includes(entry.partition)) trackers.delete(id);
      }
      options.onAssignment?.(assignment);
    });
    await consumer.connect();
    await consumer.subscribe({ topics: [...options.topics], fromBeginning: options.fromBeginning ?? true });
    this.consumers.push(consumer);
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: async (payload) => {
        const { batch } = payload;
        const tracker = trackerOf(batch.topic, batch.partition);
        for (const message of batch.messages) {
          if (!payload.isRunning() || payload.isStale()) break;
          const key = message.key === null ? null : message.key.toString('utf8');
          const parsed = parseCloudEvent(message.value);
          const incoming: IncomingEvent | null = parsed.ok
            ? { topic: batch.topic, partition: batch.partition, offset: message.offset, key, event: parsed.event }
            : null;
          const problem = !parsed.ok ? parsed.problems.join('; ') : (options.validate?.(incoming!) ?? null);
          if (problem === null && incoming) {
            await options.take(incoming, tracker.take(message.offset));
          } else {
            this.logger.warn(`dead-lettering ${batch.topic}/${batch.partition}@${message.offset}: ${problem}`);
            await this.deadLetter({
              reason: problem ?? 'invalid event',
              topic: batch.topic,
              partition: batch.partition,
              offset: message.offset,
              key,
              value: message.value === null ? null : message.value.toString('utf8'),
              consumerGroup: options.groupId,
            });
            tracker.take(message.offset)();
          }
          payload.resolveOffset(message.offset);
          await payload.heartbeat();
        }
      },
    });
    return consumer;
  }

  /** The partition the producer puts `key` on (the Java client's murmur2), for a topic of `partitions` partitions. */
  static partitionOf(key: string, partitions: number): number {
    const partitionMetadata: PartitionMetadata[] = Array.from({ length: partitions }, (_, partitionId) => ({
      partitionId,
      leader: 0,
      replicas: [0],
      isr: [0],
      partitionErrorCode: 0,
    }));
    return Partitioners.DefaultPartitioner()({ topic: '', partitionMetadata, message: { key, value: null } });
  }

  /** How many partitions the topic has (from the cluster's metadata). */
  async partitionCount(topic: string): Promise<number> {
    const metadata = await this.admin.fetchTopicMetadata({ topics: [topic] });
    return metadata.topics[0]?.partitions.length ?? 0;
  }

  /** Shutting down: no consumer starts any more. */
  get closed(): boolean {
    return this.stopping;
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await Promise.allSettled(this.beforeDisconnect.map((finalCommit) => finalCommit()));
    // stop() lets the running batch finish (and commit) before leaving the group.
    await Promise.allSettled(this.consumers.map((consumer) => consumer.disconnect()));
    this.producerClosed = true;
    await Promise.allSettled([...this.sending]);
    await Promise.allSettled([this.producer.disconnect(), this.admin.disconnect()]);
  }

  private logKafka({ level, log }: LogEntry): void {
    const { message, ...extra } = log;
    // Retries are bounded on purpose (a send must fail, not hang, while Kafka is down; callers
    // retry). We use idempotence for ordering without duplicates, not transactions, so kafkajs'
    // warning about exactly-once semantics does not apply.
    if (message.startsWith('Limiting retries for the idempotent producer')) return;
    const text = `${message} ${JSON.stringify(extra)}`;
    if (level === logLevel.ERROR || level === logLevel.NOTHING) this.logger.error(text);
    else if (level === logLevel.WARN) this.logger.warn(text);
    else this.logger.debug(text);
  }
}
