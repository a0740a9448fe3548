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
import { Counter, Gauge } from 'prom-client';
import kafkajs, {
  CompressionTypes,
  type ConfigResourceTypes,
  Kafka,
  Partitioners,
  type PartitionMetadata,
  logLevel,
  type Admin,
  type Consumer,
  type ConsumerRunConfig,
  type ICustomPartitioner,
  type KafkaMessage,
  type LogEntry,
  type Message,
  type Producer,
} from 'kafkajs';
import type { AppConfig } from '../config/config.js';
import { createCloudEvent, parseCloudEvent, type CloudEvent } from './cloud-event.js';
import { consumerGroupLabel, consumerLag, type DeadLetterKind } from './consumer-metrics.js';
import { OffsetCommits } from './offset-commits.js';
import { OffsetTracker } from './offset-tracker.js';
import { RenewableProducer } from './producer-renewal.js';
import { kafkaSecurity } from './kafka-security.js';
import { fetchTopicIdentities, UNKNOWN_TOPIC_OR_PARTITION } from './topic-identity.js';
import { DEAD_LETTER_EVENT_TYPE, TOPICS, topicCreation, type DeadLetter, type TopicSpec } from './topics.js';
import { metricsRegistry } from '../metrics.js';
import { settledWithin } from '../runtime/settled-within.js';
import {
  BATCH_MARGIN_BYTES,
  DEAD_LETTER_HEAD_BYTES,
  refusalText,
  refusedDeadLetter,
  requestBudget,
  SharedExclusiveLock,
  shrunkDeadLetter,
  tooLargeReasonOf,
  type RefusedMessage,
  type TooLargeReason,
} from './oversize.js';

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

/** An event that passed its consumer's check, with the typed value the check made of it. */
export interface CheckedEvent<T> extends IncomingEvent {
  checked: T;
}

/**
 * A consumer's check of a parsed event: the typed value its handler gets, or a string, the problem
 * that sends the message to the dead-letter topic instead. Without one, handlers get the CloudEvent.
 */
export type EventCheck<T> = (event: IncomingEvent) => T | string;

export interface ConsumerOptions<T = CloudEvent<unknown>> {
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
  handleBatch(events: CheckedEvent<T>[]): Promise<void>;
  check?: EventCheck<T>;
  /** Log and skip bad messages instead of dead-lettering them (another group of ours dead-letters the same ones). */
  skipInvalid?: boolean;
  /** The partitions this consumer holds, after every rebalance (kafkajs' GROUP_JOIN). */
  onAssignment?(assignment: Record<string, number[]>): void;
}

export interface FanOutConsumerOptions<T = CloudEvent<unknown>> {
  groupId: string;
  topics: readonly string[];
  fromBeginning?: boolean;
  check?: EventCheck<T>;
  /**
   * Takes one valid event, in partition order, and may go on working on it after returning: it
   * calls `finished` once nothing depends on the message any more. Offsets are committed up to
   * the lowest unfinished message, so a restart redelivers exactly what was not finished.
   */
  take(event: CheckedEvent<T>, finished: () => void): Promise<void>;
  /** The partitions this instance owns, after every rebalance. */
  onAssignment?(assignment: Record<string, number[]>): void;
}

/** How often a fan-out consumer commits what its messages' subscribers have finished. */
const FAN_OUT_COMMIT_INTERVAL_MS = 1000;
/** Before a crashed consumer starts again, unless the crash says how long (kafkajs' initialRetryTime). */
const CONSUMER_RESTART_DELAY_MS = 200;
/** After a crash kafkajs calls non-retriable: slower, so a lasting cause (no authorization) logs once in a while. */
const CONSUMER_FATAL_RESTART_DELAY_MS = 5000;
/**
 * How long a shutdown waits for consumers to finish their batch, leave their groups and for sends
 * under way; then it closes the connections regardless and says what it left. Below the process's
 * RB_SHUTDOWN_TIMEOUT_MS (25 s by default) together with the roles' waits for consumers still
 * starting (START_WAIT_AT_SHUTDOWN_MS each), so the producer still closes before the exit.
 */
const SHUTDOWN_WAIT_MS = 10000;

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

/** Options of publish() and publishSerialized() for messages Kafka refuses for their size (docs/events.md, "Oversize events"). */
export interface PublishOptions {
  /**
   * Called for a message Kafka refuses for its size, alone in its request (so nothing of it is on
   * Kafka): the events to send in its place, in order, saying the same in smaller parts, each
   * smaller than the refused one; or null when it cannot be split: it is then dead-lettered (with
   * the reason, sizes and the limit, not its value) and the rest goes on. Never retried as it was.
   * A part refused again comes back here. Without `split`, every such message is dead-lettered.
   */
  split?(refused: RefusedMessage): SerializedEvent[] | null;
  /** Who publishes (e.g. `brm outbox relay`), for the dead letter and the log. */
  producer?: string;
  /**
   * Advanced as requests are acknowledged by how many of the given messages are done (on Kafka,
   * split into parts that are, or dead-lettered), in order: a caller that retries after a failure
   * resumes at `done` instead of sending the first ones again.
   */
  progress?: { done: number };
}

interface TopicLimits {
  /** max.message.bytes (the broker's message.max.bytes unless the topic sets its own); null: unknown. */
  maxMessageBytes: number | null;
  partitions: number | null;
  /** Read again after this (ms since the epoch). */
  until: number;
}

/** kafkajs' texts of MESSAGE_TOO_LARGE and RECORD_LIST_TOO_LARGE, which it logs as errors before throwing them. */
const SIZE_REFUSAL_LOG = /larger than the max message size the server will accept|message batch larger than the configured segment size/;
/** Topics' limits are read again this often (and at once after a refusal, as one may have been lowered). */
const LIMITS_TTL_MS = 10 * 60_000;
/** What could not be read is tried again after this long. */
const LIMITS_RETRY_MS = 30_000;
const LIMITS_READ_TIMEOUT_MS = 5_000;
/** Kafka's default socket.request.max.bytes: a larger request makes the broker close the connection. */
const DEFAULT_SOCKET_REQUEST_MAX_BYTES = 100 * 1024 * 1024;
// kafkajs' ConfigResourceTypes (its enum is a type here: the CommonJS module hides the value from ESM).
const TOPIC_RESOURCE = 2 as ConfigResourceTypes;
const BROKER_RESOURCE = 4 as ConfigResourceTypes;

const producerRenewals = new Counter({
  name: 'route_broker_kafka_producer_renewals_total',
  help: 'Times the Kafka producer was replaced because the brokers refused its sequence numbers (OUT_OF_ORDER_SEQUENCE_NUMBER, INVALID_PRODUCER_EPOCH, UNKNOWN_PRODUCER_ID), as after a partition leader died mid-send',
  registers: [metricsRegistry],
});

const oversizeMessages = new Counter({
  name: 'route_broker_kafka_oversize_messages_total',
  help: 'Messages Kafka refused for their size (never retried as they were), by topic and what became of them: split (sent as smaller events), dead-lettered, truncated (a dead letter sent without the original value), dropped (a dead letter too large even so; logged)',
  labelNames: ['topic', 'outcome'] as const,
  registers: [metricsRegistry],
});

const deadLettered = new Counter({
  name: 'route_broker_kafka_dead_letters_total',
  help: 'Messages sent to route-broker.dead-letter.v1 instead of being handled or published, by original topic and kind: unparsable (a consumer got no CloudEvent), invalid (a CloudEvent that fails the consumer checks), oversize (its producer could not publish it: Kafka refuses its size and it cannot be split); counted once the dead letter is sent (a redelivered batch can count one twice)',
  labelNames: ['topic', 'kind'] as const,
  registers: [metricsRegistry],
});

const consumerLagMessages = new Gauge({
  name: 'route_broker_kafka_consumer_lag',
  help: 'Messages of a partition this consumer has not handled yet, up to the partition high watermark as of the last fetch, by consumer group (per-instance groups by their common name), topic and partition; set when a batch arrives and as its parts are handled, removed when the partition is assigned elsewhere',
  labelNames: ['group', 'topic', 'partition'] as const,
  registers: [metricsRegistry],
});

/** The lag series of one consumer: set per batch, removed when their partition goes to another member. */
class LagSeries {
  private readonly partitions = new Map<string, { topic: string; partition: number }>();

  constructor(private readonly group: string) {}

  set(topic: string, partition: number, lag: number): void {
    consumerLagMessages.set({ group: this.group, topic, partition: String(partition) }, lag);
    this.partitions.set(`${topic}|${partition}`, { topic, partition });
  }

  /** After a rebalance: the partitions no longer assigned lose their series. */
  assigned(assignment: Record<string, number[]>): void {
    for (const [id, { topic, partition }] of this.partitions) {
      if (!(assignment[topic] ?? []).includes(partition)) this.remove(id, topic, partition);
    }
  }

  clear(): void {
    for (const [id, { topic, partition }] of this.partitions) this.remove(id, topic, partition);
  }

  private remove(id: string, topic: string, partition: number): void {
    consumerLagMessages.remove({ group: this.group, topic, partition: String(partition) });
    this.partitions.delete(id);
  }
}

const serializedMessage = ({ key, value, id, type }: SerializedEvent): Message => ({ key, value, headers: cloudEventHeaders(id, type) });

/** How the log names a refused message. */
const refusedName = ({ topic, key, id, type, value }: RefusedMessage) =>
  `${topic} key ${key ?? '(none)'} event ${id ?? '(no id)'} (${type ?? 'no type'}, ${value.length} bytes)`;

/** A producer's dead letter's subject (a consumer's is `<topic>/<partition>/<offset>`). */
/** The event with what its consumer's check made of it, or the problem that dead-letters it. */
function checkedOf<T>(incoming: IncomingEvent, check: EventCheck<T> | undefined): CheckedEvent<T> | string {
  const checked = check ? check(incoming) : (incoming.event as T);
  return typeof checked === 'string' ? checked : { ...incoming, checked };
}

/** kafkajs wraps errors in errors; whether to retry is the innermost one's to say. */
const originalCause = (error: Error & { cause?: unknown }): Error & { retriable?: unknown } =>
  error.cause instanceof Error ? originalCause(error.cause) : error;

const refusedSubject = (topic: string, id: string | null, key: string | null) => `${topic}/refused/${id ?? key ?? 'unknown'}`;

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new KafkaUnavailableError(`Kafka did not answer within ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
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
  /** Idempotent; replaced when the brokers no longer take its sequence numbers (producer-renewal.ts). */
  private readonly producer: RenewableProducer<Producer>;
  private readonly consumers: Consumer[] = [];
  /** Final commits of the consumers, run before they disconnect. */
  private readonly beforeDisconnect: (() => Promise<void>)[] = [];
  private stopping = false;
  private signalStop: () => void = () => undefined;
  /** Resolves when the shutdown begins (a restart waiting for its delay gives up). */
  private readonly stopRequested = new Promise<void>((resolve) => (this.signalStop = resolve));
  /** Consumers' runs and restarts under way: each joins its group, which kafkajs cannot stop. */
  private readonly starting = new Set<Promise<void>>();
  /**
   * Set when the producer is about to disconnect: later sends are refused at once. A send given
   * to kafkajs after (or while) its producer disconnects makes it refresh metadata over a fresh
   * connection that nothing closes, and the process never exits.
   */
  private producerClosed = false;
  /** Sends under way, which the shutdown lets finish before the producer disconnects. */
  private readonly sending = new Set<Promise<unknown>>();
  /** Topic IDs learnt so far (topicId()). */
  private readonly topicIds = new Map<string, string>();
  /** Each consumer's lag series, removed at shutdown. */
  private readonly lagSeries: LagSeries[] = [];

  constructor(private readonly config: AppConfig['kafka'] & { instanceId: string }) {
    this.kafka = new Kafka({
      clientId: config.clientId,
      brokers: [...config.brokers],
      ...kafkaSecurity(config),
      connectionTimeout: config.connectionTimeoutMs,
      logLevel: logLevel.WARN,
      logCreator: () => (entry: LogEntry) => this.logKafka(entry),
      retry: { retries: 8, initialRetryTime: 200, maxRetryTime: 5000 },
    });
    this.admin = this.kafka.admin();
    // Idempotent and acks=all: a retried send never duplicates or reorders a session's events.
    // The Java client's partitioner, so other teams' producers put a key on the same partition.
    const createProducer = (): Producer =>
      this.kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: false,
        createPartitioner: memoizedDefaultPartitioner,
      });
    this.producer = new RenewableProducer(createProducer, {
      renewing: (loss, error) =>
        this.logger.error(
          `Kafka refused a send with ${loss} (${(error as Error).message}): it no longer knows this producer's sequence numbers; ` +
            'replacing the producer (a new producer id); the send is retried on it, and what Kafka had appended of it may be there twice (same CloudEvent ids)',
        ),
      renewed: () => {
        producerRenewals.inc();
        this.logger.warn('Kafka producer replaced: sends go on with a new producer id');
      },
      renewalFailed: (error) =>
        this.logger.error(`could not connect a new Kafka producer: ${(error as Error).message}; the next refused send tries again`),
    });
  }

  async onModuleInit(): Promise<void> {
    await this.admin.connect();
    await this.ensureTopics(Object.values(TOPICS));
    await this.producer.connect();
  }

  /**
   * Creates the topics that do not exist yet, with RB_KAFKA_TOPIC_PARTITIONS partitions, RB_KAFKA_REPLICATION_FACTOR
   * replicas and, when RB_KAFKA_MIN_INSYNC_REPLICAS is set, that min.insync.replicas (else the brokers'
   * default applies). Existing topics are left as they are; one with fewer replicas than configured is
   * logged, as it loses writes or stops taking them when a broker dies.
   */
  async ensureTopics(specs: readonly TopicSpec[]): Promise<void> {
    const existing = new Set(await this.admin.listTopics());
    const missing = specs.filter((spec) => !existing.has(spec.name));
    await this.warnUnderReplicated(specs.filter((spec) => existing.has(spec.name)).map((spec) => spec.name));
    if (missing.length === 0) return;
    const { topicPartitions, replicationFactor, minInsyncReplicas } = this.config;
    await this.admin.createTopics({ waitForLeaders: true, topics: missing.map((spec) => topicCreation(spec, this.config)) });
    this.logger.log(
      `created Kafka topics: ${missing.map((spec) => spec.name).join(', ')} (${topicPartitions} partitions, ` +
        `replication factor ${replicationFactor}, min.insync.replicas ${minInsyncReplicas ?? "the brokers' default"})`,
    );
  }

  /** Logs existing topics with fewer replicas than RB_KAFKA_REPLICATION_FACTOR; never fails the start. */
  private async warnUnderReplicated(topics: readonly string[]): Promise<void> {
    if (topics.length === 0 || this.config.replicationFactor === 1) return;
    try {
      const { topics: described } = await this.admin.fetchTopicMetadata({ topics: [...topics] });
      for (const { name, partitions } of described) {
        const replicas = Math.min(...partitions.map((partition) => partition.replicas.length));
        if (replicas < this.config.replicationFactor)
          this.logger.warn(
            `Kafka topic ${name} exists with ${replicas} replicas per partition, fewer than RB_KAFKA_REPLICATION_FACTOR ` +
              `(${this.config.replicationFactor}); it is left as it is (kafka-reassign-partitions can add replicas)`,
          );
      }
    } catch (error) {
      this.logger.warn(`cannot read the replication of the existing Kafka topics: ${(error as Error).message}`);
    }
  }

  /** Topics' limits as last read (limitsOf); a promise while being read. */
  private readonly topicLimits = new Map<string, Promise<TopicLimits>>();
  /** The broker's socket.request.max.bytes (the smallest of the brokers'), as last read. */
  private requestLimit: Promise<{ bytes: number; until: number }> | null = null;
  /** Per topic: sends to one partition share it, a send to several holds it alone (see SharedExclusiveLock). */
  private readonly sendLocks = new Map<string, SharedExclusiveLock>();

  /** Publishes CloudEvents (null: a tombstone) in order; see sendInRequests, and PublishOptions for oversize ones. */
  async publish(topic: string, events: readonly OutgoingEvent[], options: PublishOptions = {}): Promise<void> {
    await this.underWay(() =>
      this.sendInRequests(
        topic,
        events.map(({ key, event }) =>
          event === null ? { key, value: null } : { key, value: JSON.stringify(event), headers: cloudEventHeaders(event.id, event.type) },
        ),
        options,
      ),
    );
  }

  /**
   * publish() for events serialised by their producer. A caller that keeps each call under
   * requestBudget(topic) (counted with messageBytes) gets exactly one request, so a failed call can
   * be retried without sending part of it twice (or use `options.progress`).
   */
  async publishSerialized(topic: string, events: readonly SerializedEvent[], options: PublishOptions = {}): Promise<void> {
    await this.underWay(() => this.sendInRequests(topic, events.map(serializedMessage), options));
  }

  /**
   * A publish, which the shutdown lets finish before the producer disconnects (its first request
   * and what handling a refusal for size takes; a later request is refused, see sendInRequests).
   * One begun after the producer closed is refused at once: a send given to kafkajs after (or while)
   * its producer disconnects makes it refresh metadata over a fresh connection that nothing
   * closes, and the process never exits.
   */
  private async underWay(publishing: () => Promise<void>): Promise<void> {
    if (this.producerClosed) throw new KafkaUnavailableError('not sent: the Kafka producer is closed (route-broker is stopping)');
    const sent = publishing();
    this.sending.add(sent);
    try {
      await sent;
    } finally {
      this.sending.delete(sent);
    }
  }

  /**
   * How many bytes of messages (counted with messageBytes) one request may carry on the topic:
   * MAX_REQUEST_BYTES, or less when the topic's max.message.bytes is lower (as last read; the
   * default until the gateway has sent to the topic once).
   */
  requestBudget(topic: string): number {
    return requestBudget(this.knownLimits.get(topic)?.maxMessageBytes ?? null, MAX_REQUEST_BYTES);
  }

  /** The last limits read per topic, for the synchronous requestBudget(). */
  private readonly knownLimits = new Map<string, TopicLimits>();

  /**
   * Sends in order, in as few requests as fit under requestBudget(topic): one record batch per
   * partition must stay under the topic's max.message.bytes (1 MiB by default), or the broker
   * refuses it with MESSAGE_TOO_LARGE and a retry can never succeed. Only a message over the
   * budget on its own goes in a request alone and can be refused: it is then split or
   * dead-lettered (PublishOptions), never retried as it was.
   */
  private async sendInRequests(topic: string, messages: Message[], options: PublishOptions, parts = false): Promise<void> {
    const budget = requestBudget((await this.limitsOf(topic)).maxMessageBytes, MAX_REQUEST_BYTES);
    let start = 0;
    let bytes = 0;
    const sendUpTo = async (end: number): Promise<void> => {
      // Stopping: the request under way finishes (with the parts of a refused message), later ones are refused.
      if (start > 0 && !parts && this.producerClosed) {
        throw new KafkaUnavailableError('not sent: the Kafka producer is closed (route-broker is stopping)');
      }
      await this.sendRequest(topic, messages.slice(start, end), options);
      if (options.progress) options.progress.done += end - start;
      start = end;
      bytes = 0;
    };
    for (let index = 0; index < messages.length; index++) {
      const message = messages[index]!;
      const { key } = message;
      // Encoded once here: kafkajs would measure a string value twice more and then encode it.
      if (typeof message.value === 'string') message.value = Buffer.from(message.value);
      const size = messageBytes(key === null || key === undefined ? 0 : Buffer.byteLength(key), message.value?.length ?? 0);
      if (index > start && bytes + size > budget) await sendUpTo(index);
      bytes += size;
    }
    if (start < messages.length) await sendUpTo(messages.length);
  }

  /** One planned request; what the broker refuses for its size is split or dead-lettered, in order. */
  private async sendRequest(topic: string, request: Message[], options: PublishOptions): Promise<void> {
    if (request.length === 1) {
      const unsendable = await this.overRequestLimit(topic, request[0]!);
      if (unsendable) return this.refused(unsendable, options);
    }
    for (const { messages, reason } of await this.sendLocked(topic, request)) await this.sendRefused(topic, messages, reason, options);
  }

  /**
   * Sends one request under the topic's lock. Returns, per partition whose batch the broker refused
   * for its size, that batch's messages (none of them is on Kafka); [] when all went.
   */
  private async sendLocked(topic: string, request: Message[]): Promise<{ messages: Message[]; reason: TooLargeReason }[]> {
    const several = await this.spansPartitions(topic, request);
    return this.lockOf(topic).run(several, async () => {
      try {
        await this.send(topic, request);
        return [];
      } catch (error) {
        const reason = tooLargeReasonOf(error);
        if (reason === null) throw error;
        if (!several) return [{ messages: request, reason }];
        // The broker appended the other partitions' batches and refused one, and kafkajs rolled
        // back every partition's sequence: send each partition's batch again exactly as it was (the
        // broker answers those it has as duplicates, without appending them twice) to learn which
        // one it refuses. Still under the lock, so no other send takes those sequence numbers.
        const groups = await this.partitionGroups(topic, request);
        if (groups === null) throw error;
        const refused: { messages: Message[]; reason: TooLargeReason }[] = [];
        for (const group of groups) {
          try {
            await this.send(topic, group);
          } catch (groupError) {
            const groupReason = tooLargeReasonOf(groupError);
            if (groupReason === null) throw groupError;
            refused.push({ messages: group, reason: groupReason });
          }
        }
        return refused;
      }
    });
  }

  /** Messages of one partition whose batch the broker refused (none is on Kafka): halved until each refused one is alone. */
  private async sendRefused(topic: string, messages: Message[], reason: TooLargeReason, options: PublishOptions): Promise<void> {
    if (messages.length === 1) return this.refused(await this.refusedMessage(topic, messages[0]!, reason), options);
    const half = Math.ceil(messages.length / 2);
    for (const part of [messages.slice(0, half), messages.slice(half)]) {
      for (const again of await this.sendLocked(topic, part)) await this.sendRefused(topic, again.messages, again.reason, options);
    }
  }

  /** A message refused alone: sent as the smaller events `split` makes of it, else dead-lettered (a dead letter: cut down). */
  private async refused(refused: RefusedMessage, options: PublishOptions): Promise<void> {
    const { topic } = refused;
    const deadLetters = topic === TOPICS.deadLetter.name;
    let parts: SerializedEvent[] | null = null;
    try {
      parts = options.split?.(refused) ?? null;
    } catch (error) {
      this.logger.error(`cannot split ${refusedName(refused)}: ${(error as Error).message}`);
    }
    // Each part strictly smaller than what was refused, so splitting ends.
    if (parts !== null && parts.length > 0 && parts.every((part) => part.value.length < refused.value.length)) {
      oversizeMessages.inc({ topic, outcome: deadLetters ? 'truncated' : 'split' });
      this.logger.warn(
        `${refusedName(refused)}: ${refusalText(refused)}; ${deadLetters ? 'sending the dead letter without the original value' : `sending it as ${parts.length} smaller events`}`,
      );
      await this.sendInRequests(topic, parts.map(serializedMessage), { ...options, progress: undefined }, true);
      return;
    }
    if (deadLetters) {
      oversizeMessages.inc({ topic, outcome: 'dropped' });
      this.logger.error(`dropping ${refusedName(refused)}: ${refusalText(refused)}, even without the original value`);
      return;
    }
    const producer = options.producer ?? `route-broker/${this.config.instanceId}`;
    const subject = refusedSubject(topic, refused.id, refused.key);
    this.logger.error(
      `dead-lettering ${refusedName(refused)}, published by ${producer}: ${refusalText(refused)}, and it cannot be split; ` +
        `it is left out (never retried) and the dead letter is on ${TOPICS.deadLetter.name}, subject ${subject}`,
    );
    await this.sendDeadLetter(refusedDeadLetter(refused, producer), 'oversize');
    oversizeMessages.inc({ topic, outcome: 'dead-lettered' });
  }

  /** What the refusal says about the message; the topic's limit read again (it may have been lowered). */
  private async refusedMessage(topic: string, message: Message, reason: TooLargeReason): Promise<RefusedMessage> {
    const header = (name: string) => {
      const value = message.headers?.[name];
      return value === undefined ? null : String(value);
    };
    return {
      topic,
      key: message.key === null || message.key === undefined ? null : String(message.key),
      id: header('ce_id'),
      type: header('ce_type'),
      value: Buffer.isBuffer(message.value) ? message.value : Buffer.from(message.value ?? ''),
      reason,
      limitBytes: (await this.limitsOf(topic, true)).maxMessageBytes,
    };
  }

  /**
   * A message alone in its request whose request would be over the broker's socket.request.max.bytes
   * even compressed: the broker would close the connection rather than answer, which looks like
   * an outage and is retried as one. Refused here instead.
   */
  private async overRequestLimit(topic: string, message: Message): Promise<RefusedMessage | null> {
    const value = message.value as Buffer | null;
    if (value === null || value.length + BATCH_MARGIN_BYTES <= MAX_REQUEST_BYTES) return null;
    const requestLimitBytes = (await this.brokerRequestLimit()).bytes;
    if (value.length + BATCH_MARGIN_BYTES <= requestLimitBytes) return null;
    const compressedBytes = ((await gzipAsync(value, { level: GZIP_LEVEL })) as Buffer).length;
    if (compressedBytes + BATCH_MARGIN_BYTES <= requestLimitBytes) return null;
    return { ...(await this.refusedMessage(topic, message, 'REQUEST_TOO_LARGE')), requestLimitBytes, compressedBytes };
  }

  /**
   * The topic's max.message.bytes and partition count as Kafka reports them (read again every
   * LIMITS_TTL_MS, and at once with `refresh`); null for what cannot be read (no permission to
   * describe configs, Kafka unreachable): then requests are planned under MAX_REQUEST_BYTES and a
   * refusal is still recognised.
   */
  private async limitsOf(topic: string, refresh = false): Promise<TopicLimits> {
    const known = this.topicLimits.get(topic);
    if (known && !refresh) {
      const limits = await known;
      if (limits.until > Date.now()) return limits;
    }
    const reading = this.readLimits(topic);
    this.topicLimits.set(topic, reading);
    const limits = await reading;
    this.knownLimits.set(topic, limits);
    return limits;
  }

  private async readLimits(topic: string): Promise<TopicLimits> {
    const [maxMessageBytes, partitions] = await Promise.all([
      withTimeout(this.readConfig(TOPIC_RESOURCE, topic, 'max.message.bytes'), LIMITS_READ_TIMEOUT_MS).catch(() => null),
      withTimeout(this.partitionCount(topic), LIMITS_READ_TIMEOUT_MS).catch(() => null),
    ]);
    if (maxMessageBytes === null)
      this.logger.warn(`cannot read topic ${topic}'s max.message.bytes: requests are planned under ${MAX_REQUEST_BYTES} bytes`);
    const ttl = maxMessageBytes === null || !partitions ? LIMITS_RETRY_MS : LIMITS_TTL_MS;
    return { maxMessageBytes, partitions: partitions || null, until: Date.now() + ttl };
  }

  /** The smallest socket.request.max.bytes of the brokers (Kafka's default, 100 MiB, when it cannot be read). */
  private async brokerRequestLimit(): Promise<{ bytes: number; until: number }> {
    const known = this.requestLimit ? await this.requestLimit : null;
    if (known && known.until > Date.now()) return known;
    this.requestLimit = (async () => {
      try {
        const { brokers } = await withTimeout(this.admin.describeCluster(), LIMITS_READ_TIMEOUT_MS);
        const limits = await Promise.all(
          brokers.map(({ nodeId }) =>
            withTimeout(this.readConfig(BROKER_RESOURCE, String(nodeId), 'socket.request.max.bytes'), LIMITS_READ_TIMEOUT_MS),
          ),
        );
        const known = limits.filter((limit): limit is number => limit !== null);
        if (known.length > 0) return { bytes: Math.min(...known), until: Date.now() + LIMITS_TTL_MS };
      } catch {
        // The default below, read again shortly.
      }
      return { bytes: DEFAULT_SOCKET_REQUEST_MAX_BYTES, until: Date.now() + LIMITS_RETRY_MS };
    })();
    return this.requestLimit;
  }

  private async readConfig(type: ConfigResourceTypes, name: string, configName: string): Promise<number | null> {
    const described = await this.admin.describeConfigs({ includeSynonyms: false, resources: [{ type, name, configNames: [configName] }] });
    const resource = described.resources[0];
    const value =
      resource?.errorCode === 0 ? resource.configEntries.find((entry) => entry.configName === configName)?.configValue : undefined;
    const bytes = value === undefined ? Number.NaN : Number(value);
    return Number.isSafeInteger(bytes) && bytes > 0 ? bytes : null;
  }

  /**
   * Whether the request goes to more than one partition (the producer's partitioner, the Java
   * client's murmur2); true when that cannot be known. Stops at the second partition it finds.
   */
  private async spansPartitions(topic: string, request: Message[]): Promise<boolean> {
    const firstKey = request[0]?.key;
    if (typeof firstKey !== 'string') return request.length > 1;
    if (request.every((message) => message.key === firstKey)) return false;
    const count = (await this.limitsOf(topic)).partitions;
    if (!count) return true;
    const first = KafkaGateway.partitionOf(firstKey, count);
    const seen = new Set<string>([firstKey]);
    for (const { key } of request) {
      if (typeof key !== 'string') return true;
      if (seen.has(key)) continue;
      seen.add(key);
      if (KafkaGateway.partitionOf(key, count) !== first) return true;
    }
    return false;
  }

  /**
   * The request's messages by partition, in order, each partition's in the request's order (the
   * partition count read from Kafka now); null when that cannot be known.
   */
  private async partitionGroups(topic: string, request: Message[]): Promise<Message[][] | null> {
    if (!request.every((message) => typeof message.key === 'string')) return null;
    const count = await this.partitionCount(topic).catch(() => 0);
    if (count === 0) return null;
    const byKey = new Map<string, number>();
    const groups = new Map<number, Message[]>();
    for (const message of request) {
      const key = message.key as string;
      let partition = byKey.get(key);
      if (partition === undefined) byKey.set(key, (partition = KafkaGateway.partitionOf(key, count)));
      const group = groups.get(partition);
      if (group) group.push(message);
      else groups.set(partition, [message]);
    }
    return [...groups.values()];
  }

  private lockOf(topic: string): SharedExclusiveLock {
    let lock = this.sendLocks.get(topic);
    if (!lock) this.sendLocks.set(topic, (lock = new SharedExclusiveLock()));
    return lock;
  }

  /** One request to kafkajs; only ever under a publish that underWay() tracks. */
  private async send(topic: string, messages: Message[]): Promise<void> {
    await this.producer.send((producer) => producer.send({ topic, acks: -1, compression: COMPRESSION, messages }));
  }

  /**
   * Sends one message to the dead-letter topic with the reason. One Kafka refuses for its size is
   * sent again without the original value (and then without its excerpts), else dropped with an
   * error logged: a dead letter is never retried forever.
   */
  async deadLetter(letter: DeadLetter, kind: DeadLetterKind): Promise<void> {
    await this.underWay(() => this.sendDeadLetter(letter, kind));
  }

  private async sendDeadLetter(letter: DeadLetter, kind: DeadLetterKind): Promise<void> {
    const key = letter.key ?? `${letter.topic}|${letter.partition}|${letter.offset}`;
    const eventOf = (data: DeadLetter) =>
      createCloudEvent({
        type: DEAD_LETTER_EVENT_TYPE,
        source: `route-broker/${this.config.instanceId}/${letter.consumerGroup ?? 'producer'}`,
        subject:
          letter.partition === null || letter.offset === null
            ? refusedSubject(letter.topic, letter.refused?.eventId ?? null, letter.key)
            : `${letter.topic}/${letter.partition}/${letter.offset}`,
        data,
      });
    const first = eventOf(letter);
    let current = letter;
    const message: Message = { key, value: JSON.stringify(first), headers: cloudEventHeaders(first.id, first.type) };
    await this.sendInRequests(TOPICS.deadLetter.name, [message], {
      producer: 'dead letters',
      split: () => {
        const smaller = shrunkDeadLetter(current, DEAD_LETTER_HEAD_BYTES);
        if (smaller === null) return null;
        current = smaller;
        const event = { ...first, data: smaller };
        return [{ key, value: Buffer.from(JSON.stringify(event)), id: event.id, type: event.type }];
      },
    });
    // Sent (or, too large even cut down, dropped and counted as such in route_broker_kafka_oversize_messages_total).
    deadLettered.inc({ topic: letter.topic, kind });
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
      const ends = await this.topicOffsets(topic);
      await this.admin.setOffsets({ groupId, topic, partitions: ends.map(({ partition, high }) => ({ partition, offset: high })) });
    }
  }

  /**
   * A consumer whose retriable crashes (a coordinator still loading, a broker gone) restart it, as
   * kafkajs would, but under the gateway's eye: kafkajs restarts on its own timer, also when the
   * crash comes after disconnect() began (a join in progress cannot be stopped and fails once the
   * connections close), so a consumer could go on joining after everything else stopped. Here each
   * run and restart is tracked, none begins once route-broker is stopping, and the shutdown lets
   * those under way end before it disconnects. `run` is called once; restarts reuse its config.
   */
  private newConsumer(groupId: string): { consumer: Consumer; run: (config: ConsumerRunConfig) => Promise<void> } {
    let runConfig: ConsumerRunConfig | null = null;
    // A start that ends after the shutdown gave up waiting for it (a slow group join) stops the
    // consumer itself: otherwise it would go on consuming, unseen, after everything else stopped.
    const runAgain = (): Promise<void> =>
      this.trackStart(
        (async () => {
          await consumer.run(runConfig!);
          if (this.stopping) await consumer.disconnect().catch(() => undefined);
        })(),
      );
    const consumer = this.kafka.consumer({
      groupId,
      allowAutoTopicCreation: false,
      // A fetch on an idle topic waits this long for data, and stopping the consumer waits for the
      // fetch: kafkajs' 5 s made every shutdown up to 5 s slower. Data still comes back at once.
      maxWaitTimeInMs: 1000,
      // retries: 5 is kafkajs' own default for consumers, which passing `retry` replaces.
      retry: {
        retries: 5,
        // kafkajs never restarts on its own: the CRASH listener below restarts every crash.
        restartOnFailure: () => Promise.resolve(false),
      },
    });
    // Every crash, also one kafkajs calls non-retriable: its own bugs surface as those (a
    // TypeError during a join while the group coordinator was loading), and a consumer left
    // crashed would stop following its topic with nothing but one log line.
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (this.stopping || !runConfig) return;
      const retriable = payload.error.name === 'KafkaJSNumberOfRetriesExceeded' || originalCause(payload.error).retriable === true;
      this.restartLater(groupId, payload.error, runAgain, retriable ? CONSUMER_RESTART_DELAY_MS : CONSUMER_FATAL_RESTART_DELAY_MS);
    });
    return {
      consumer,
      run: (config) => {
        runConfig = config;
        return runAgain();
      },
    };
  }

  private restartLater(groupId: string, error: Error, runAgain: () => Promise<void>, defaultDelayMs: number): void {
    // kafkajs' own choice of delay: the crash's retry time, else the initial retry time.
    const delayMs = (error as Error & { retryTime?: number }).retryTime || defaultDelayMs;
    const message = `consumer ${groupId} crashed (${error.name}: ${error.message}): restarting in ${delayMs} ms`;
    if (defaultDelayMs === CONSUMER_RESTART_DELAY_MS) this.logger.warn(message);
    else this.logger.error(message);
    void this.trackStart(
      (async () => {
        await Promise.race([new Promise((resolve) => setTimeout(resolve, delayMs).unref()), this.stopRequested]);
        if (!this.stopping) await runAgain();
      })(),
    );
  }

  private trackStart(start: Promise<void>): Promise<void> {
    this.starting.add(start);
    const forget = (): void => void this.starting.delete(start);
    start.then(forget, forget);
    return start;
  }

  async startConsumer<T = CloudEvent<unknown>>(options: ConsumerOptions<T>): Promise<Consumer> {
    if (this.stopping) throw new KafkaUnavailableError(`consumer ${options.groupId} not started: route-broker is stopping`);
    const { consumer, run } = this.newConsumer(options.groupId);
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
    const lag = new LagSeries(consumerGroupLabel(options.groupId, this.config.instanceId));
    this.lagSeries.push(lag);
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      lag.assigned(payload.memberAssignment);
      options.onAssignment?.(payload.memberAssignment);
    });
    await run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: async (payload) => {
        const { batch } = payload;
        let valid: CheckedEvent<T>[] = [];
        let lastOffset: string | null = null;
        let bytes = 0;
        // The part handed over last, still being applied while the next one is parsed: the handler
        // mostly waits for its database, and parsing meanwhile keeps both busy. Parts are still
        // handled one at a time and in order; a part's failure stops the rest of the fetch.
        let handling = null as Promise<void> | null;
        let parsedSinceYield = 0;
        // Per batch and per part handed over, never per message.
        lag.set(batch.topic, batch.partition, consumerLag(batch.highWatermark, batch.firstOffset() ?? batch.highWatermark));
        const handOver = async (events: CheckedEvent<T>[], last: string): Promise<void> => {
          if (events.length > 0) await options.handleBatch(events);
          lag.set(batch.topic, batch.partition, consumerLag(batch.highWatermark, BigInt(last) + 1n));
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
          const checked = parsed.ok
            ? checkedOf({ topic: batch.topic, partition: batch.partition, offset: message.offset, key, event: parsed.event }, options.check)
            : parsed.problems.join('; ');
          if (typeof checked !== 'string') {
            valid.push(checked);
          } else if (options.skipInvalid) {
            this.logger.warn(`skipping ${batch.topic}/${batch.partition}@${message.offset}: ${checked}`);
          } else {
            this.logger.warn(`dead-lettering ${batch.topic}/${batch.partition}@${message.offset}: ${checked}`);
            await this.deadLetterConsumed(options.groupId, batch, message, key, checked, parsed.ok);
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
  async startFanOutConsumer<T = CloudEvent<unknown>>(options: FanOutConsumerOptions<T>): Promise<Consumer> {
    const { consumer, run } = this.newConsumer(options.groupId);
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
    const lag = new LagSeries(consumerGroupLabel(options.groupId, this.config.instanceId));
    this.lagSeries.push(lag);
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      // A partition that came back after a rebalance is read again from its committed offset.
      const assignment = payload.memberAssignment;
      lag.assigned(assignment);
      for (const [id, entry] of trackers) {
        if (!(assignment[entry.topic] ?? []).includes(entry.partition)) trackers.delete(id);
      }
      options.onAssignment?.(assignment);
    });
    await consumer.connect();
    await consumer.subscribe({ topics: [...options.topics], fromBeginning: options.fromBeginning ?? true });
    this.consumers.push(consumer);
    await run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: async (payload) => {
        const { batch } = payload;
        const tracker = trackerOf(batch.topic, batch.partition);
        // Per batch, never per message: when it arrives and once taken.
        lag.set(batch.topic, batch.partition, consumerLag(batch.highWatermark, batch.firstOffset() ?? batch.highWatermark));
        let taken: string | null = null;
        for (const message of batch.messages) {
          if (!payload.isRunning() || payload.isStale()) break;
          const key = message.key === null ? null : message.key.toString('utf8');
          const parsed = parseCloudEvent(message.value);
          const checked = parsed.ok
            ? checkedOf({ topic: batch.topic, partition: batch.partition, offset: message.offset, key, event: parsed.event }, options.check)
            : parsed.problems.join('; ');
          if (typeof checked !== 'string') {
            await options.take(checked, tracker.take(message.offset));
          } else {
            this.logger.warn(`dead-lettering ${batch.topic}/${batch.partition}@${message.offset}: ${checked}`);
            await this.deadLetterConsumed(options.groupId, batch, message, key, checked, parsed.ok);
            tracker.take(message.offset)();
          }
          payload.resolveOffset(message.offset);
          taken = message.offset;
          await payload.heartbeat();
        }
        if (taken !== null) lag.set(batch.topic, batch.partition, consumerLag(batch.highWatermark, BigInt(taken) + 1n));
      },
    });
    return consumer;
  }

  /** A message a consumer cannot handle (not a CloudEvent, or failing its checks), dead-lettered with the reason. */
  private async deadLetterConsumed(
    consumerGroup: string,
    batch: { topic: string; partition: number },
    message: KafkaMessage,
    key: string | null,
    problem: string | null,
    parsed: boolean,
  ): Promise<void> {
    await this.deadLetter(
      {
        reason: problem ?? 'invalid event',
        topic: batch.topic,
        partition: batch.partition,
        offset: message.offset,
        key,
        value: message.value === null ? null : message.value.toString('utf8'),
        consumerGroup,
      },
      parsed ? 'invalid' : 'unparsable',
    );
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

  /**
   * The topic's ID (KIP-516), remembered once known; `refresh` asks Kafka again. Null when Kafka
   * cannot say (a broker older than 3.1, or unreachable): logged, never thrown, as callers go on
   * with the checks that need no ID.
   */
  async topicId(topic: string, refresh = false): Promise<string | null> {
    if (!refresh && this.topicIds.has(topic)) return this.topicIds.get(topic)!;
    try {
      const [identity] = await fetchTopicIdentities(this.config, [topic]);
      if (identity?.id) {
        this.topicIds.set(topic, identity.id);
        return identity.id;
      }
      this.logger.warn(
        `Kafka gave no ID for topic ${topic} (error code ${identity?.errorCode ?? UNKNOWN_TOPIC_OR_PARTITION}): its offsets cannot be tied to it now`,
      );
    } catch (error) {
      this.logger.warn(`cannot learn topic ${topic}'s ID (${(error as Error).message}): its offsets cannot be tied to it now`);
    }
    this.topicIds.delete(topic);
    return null;
  }

  /** The partition's log start offset (low) and high watermark (high). */
  async partitionBounds(topic: string, partition: number): Promise<{ low: bigint; high: bigint }> {
    const offsets = await this.topicOffsets(topic);
    const bounds = offsets.find((entry) => entry.partition === partition);
    if (!bounds) throw new Error(`topic ${topic} has no partition ${partition}`);
    return { low: BigInt(bounds.low), high: BigInt(bounds.high) };
  }

  /**
   * The topic's offsets per partition. kafkajs' admin retries this read only for an unknown topic,
   * and keeps its metadata (for up to five minutes) when a leader moved: NOT_LEADER_FOR_PARTITION
   * during an election or just after a broker restart failed route-broker's start. A retriable
   * error is retried, a few times over about ten seconds, by a short-lived admin client of its own,
   * which reads the metadata afresh (kafkajs' admin cannot be told to).
   */
  private async topicOffsets(topic: string): Promise<Awaited<ReturnType<Admin['fetchTopicOffsets']>>> {
    let failure: unknown;
    try {
      return await this.admin.fetchTopicOffsets(topic);
    } catch (error) {
      failure = error;
    }
    for (let attempt = 1, delayMs = 250; ; attempt++, delayMs = Math.min(delayMs * 2, 3000)) {
      if ((failure as { retriable?: unknown }).retriable !== true || attempt > 5) throw failure;
      this.logger.warn(
        `reading the offsets of ${topic} failed (${(failure as Error).message}); retrying in ${delayMs} ms with fresh metadata`,
      );
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      const fresh = this.kafka.admin();
      try {
        await fresh.connect();
        return await fresh.fetchTopicOffsets(topic);
      } catch (error) {
        failure = error;
      } finally {
        await fresh.disconnect().catch(() => undefined);
      }
    }
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
    this.signalStop();
    // A stuck step (a batch handler that never returns, a kafkajs join that never settles) must not
    // keep the process from exiting: past the deadline, the rest runs regardless.
    const deadline = Date.now() + SHUTDOWN_WAIT_MS;
    const step = async (what: string, work: Promise<unknown>): Promise<void> => {
      if (!(await settledWithin(work, Math.max(0, deadline - Date.now()))))
        this.logger.error(`shutdown: gave up waiting for ${what} after ${SHUTDOWN_WAIT_MS} ms; closing anyway`);
    };
    await step('the final offset commits', Promise.allSettled(this.beforeDisconnect.map((finalCommit) => finalCommit())));
    // stop() lets the running batch finish (and commit) before leaving the group.
    await step('the consumers to stop', Promise.allSettled(this.consumers.map((consumer) => consumer.disconnect())));
    // A join under way goes on after the disconnect (it reconnects) and ends in a crash or a
    // running consumer: wait for it, then stop what it started.
    await step(
      'consumers still joining their groups',
      (async () => {
        while (this.starting.size > 0 && Date.now() < deadline) await Promise.allSettled([...this.starting]);
      })(),
    );
    await step('the consumers to stop', Promise.allSettled(this.consumers.map((consumer) => consumer.disconnect())));
    this.producerClosed = true;
    await step('sends under way', Promise.allSettled([...this.sending]));
    // Closing is bounded on its own: kafkajs gives up on a dead broker's connection within seconds.
    await Promise.allSettled([this.producer.close(), this.admin.disconnect()]);
    for (const lag of this.lagSeries) lag.clear();
  }

  private logKafka({ level, log }: LogEntry): void {
    const { message, ...extra } = log;
    // Retries are bounded on purpose (a send must fail, not hang, while Kafka is down; callers
    // retry). We use idempotence for ordering without duplicates, not transactions, so kafkajs'
    // warning about exactly-once semantics does not apply.
    if (message.startsWith('Limiting retries for the idempotent producer')) return;
    const text = `${message} ${JSON.stringify(extra)}`;
    // A size refusal is the send path's to report: it splits or dead-letters the message and says so.
    if (SIZE_REFUSAL_LOG.test(text)) return this.logger.debug(text);
    if (level === logLevel.ERROR || level === logLevel.NOTHING) this.logger.error(text);
    else if (level === logLevel.WARN) this.logger.warn(text);
    else this.logger.debug(text);
  }
}
