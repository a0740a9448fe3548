/**
 * Kafka topic IDs (KIP-516): a topic's name can be reused after it is deleted, or point to another
 * cluster after a migration, while its ID is given once, at creation. Offsets mean something only
 * within one topic ID, so offsets that route-broker keeps outside Kafka (BRM's applied offsets)
 * are stored with it.
 *
 * kafkajs asks for metadata at version 6, which has no topic IDs (they came with version 10). This
 * module encodes and decodes Metadata version 12 itself (Kafka 3.1 and later) and sends it over a
 * kafkajs connection, authenticated by kafkajs' own broker handshake, so TLS and SASL work as for every
 * other request. The codec is pure and
 * unit-tested; the transport is tested against the real broker (test/integration/kafka-replaced.spec.ts).
 */
import { createRequire } from 'node:module';
import type { AppConfig } from '../config/config.js';
import { kafkaSecurity } from './kafka-security.js';

/** Kafka's API key of Metadata, and the version asked for (the first flexible one without cluster authorized operations). */
const METADATA_API_KEY = 3;
const METADATA_VERSION = 12;

/** What a topic answered: its ID (Kafka's base64url text, as kafka-topics.sh prints it), or why not. */
export type TopicIdentity = { topic: string; id: string; errorCode: 0 } | { topic: string; id: null; errorCode: number };

/** UNKNOWN_TOPIC_OR_PARTITION: the topic does not exist (any more). */
export const UNKNOWN_TOPIC_OR_PARTITION = 3;

/**
 * The request body as kafkajs frames it: kafkajs writes request header v1, and flexible versions
 * need header v2 (v1 followed by tagged fields), so the body starts with the header's empty
 * tagged-field count.
 */
export function encodeMetadataRequest(topics: readonly string[]): Buffer {
  const parts: Buffer[] = [uvarint(0), uvarint(topics.length + 1)];
  for (const topic of topics) {
    const name = Buffer.from(topic, 'utf8');
    // topic_id (zero: asking by name), name, tagged fields
    parts.push(Buffer.alloc(16), uvarint(name.length + 1), name, uvarint(0));
  }
  // allow_auto_topic_creation, include_topic_authorized_operations, tagged fields
  parts.push(Buffer.from([0, 0]), uvarint(0));
  return Buffer.concat(parts);
}

/** The topics of a Metadata v12 response (the bytes after the correlation id). */
export function decodeMetadataResponse(payload: Buffer): TopicIdentity[] {
  const reader = new FlexibleReader(payload);
  reader.skipTaggedFields(); // response header v1
  reader.int32(); // throttle_time_ms
  reader.array(() => {
    reader.int32(); // node_id
    reader.compactString(); // host
    reader.int32(); // port
    reader.compactString(); // rack
    reader.skipTaggedFields();
  });
  reader.compactString(); // cluster_id
  reader.int32(); // controller_id
  const topics =
    reader.array((): TopicIdentity => {
      const errorCode = reader.int16();
      const topic = reader.compactString() ?? '';
      const id = reader.uuid();
      reader.bytes(1); // is_internal
      reader.array(() => {
        reader.bytes(2 + 4 + 4 + 4); // error_code, partition_index, leader_id, leader_epoch
        for (let list = 0; list < 3; list++) reader.array(() => reader.int32()); // replicas, ISR, offline
        reader.skipTaggedFields();
      });
      reader.int32(); // topic_authorized_operations
      reader.skipTaggedFields();
      return errorCode === 0 && id !== null
        ? { topic, id, errorCode: 0 }
        : { topic, id: null, errorCode: errorCode || UNKNOWN_TOPIC_OR_PARTITION };
    }) ?? [];
  reader.skipTaggedFields();
  return topics;
}

function uvarint(value: number): Buffer {
  const bytes: number[] = [];
  let rest = value >>> 0;
  while (rest >= 0x80) {
    bytes.push((rest & 0x7f) | 0x80);
    rest >>>= 7;
  }
  bytes.push(rest);
  return Buffer.from(bytes);
}

/** The few types of Kafka's flexible-version encoding that the Metadata response uses. */
class FlexibleReader {
  private offset = 0;

  constructor(private readonly buffer: Buffer) {}

  int16(): number {
    const value = this.buffer.readInt16BE(this.take(2));
    return value;
  }

  int32(): number {
    return this.buffer.readInt32BE(this.take(4));
  }

  bytes(length: number): Buffer {
    const start = this.take(length);
    return this.buffer.subarray(start, start + length);
  }

  uvarint(): number {
    let value = 0;
    for (let shift = 0; shift <= 28; shift += 7) {
      const byte = this.buffer[this.take(1)]!;
      value += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) return value;
    }
    throw new RangeError('Metadata response: a varint longer than 5 bytes');
  }

  compactString(): string | null {
    const length = this.uvarint();
    return length === 0 ? null : this.bytes(length - 1).toString('utf8');
  }

  /** A UUID as Kafka writes it in text (base64url, no padding); the zero UUID is "no ID". */
  uuid(): string | null {
    const bytes = this.bytes(16);
    return bytes.every((byte) => byte === 0) ? null : bytes.toString('base64url');
  }

  array<T>(item: () => T): T[] | null {
    const length = this.uvarint();
    if (length === 0) return null;
    const items: T[] = [];
    for (let index = 0; index < length - 1; index++) items.push(item());
    return items;
  }

  skipTaggedFields(): void {
    const count = this.uvarint();
    for (let field = 0; field < count; field++) {
      this.uvarint(); // tag
      this.bytes(this.uvarint());
    }
  }

  private take(length: number): number {
    const start = this.offset;
    if (start + length > this.buffer.length) throw new RangeError(`Metadata response: truncated at byte ${start} (wanted ${length} more)`);
    this.offset += length;
    return start;
  }
}

/** The part of kafkajs' (internal, CommonJS) connection that this module uses. */
interface KafkaConnection {
  send(protocol: {
    request: { apiKey: number; apiVersion: number; apiName: string; encode(): Promise<unknown> };
    response: { decode(payload: Buffer): Promise<unknown>; parse(decoded: unknown): Promise<unknown> };
  }): Promise<unknown>;
}

// kafkajs has no public way to send a request it does not know; its connection class does the
// framing and TLS, and its broker class the API version and SASL handshakes (a bare connection
// would send the request unauthenticated, which a secured listener answers by closing it).
// Internal modules of the version pinned in package-lock.json; the integration tests
// (test/integration/kafka-replaced.spec.ts, secure-transports.spec.ts) fail if they change.
const require = createRequire(import.meta.url);
const ConnectionPool = require('kafkajs/src/network/connectionPool') as new (options: object) => {
  getConnection(): Promise<KafkaConnection>;
};
const Broker = require('kafkajs/src/broker') as new (options: {
  connectionPool: unknown;
  logger: unknown;
  allowAutoTopicCreation: boolean;
}) => {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
};
const Encoder = require('kafkajs/src/protocol/encoder') as new () => { writeBuffer(buffer: Buffer): unknown };
const loggers = require('kafkajs/src/loggers') as {
  createLogger: (options: { level: number; logCreator: () => () => void }) => unknown;
  LEVELS: { NOTHING: number };
};
const socketFactory = (require('kafkajs/src/network/socketFactory') as () => unknown)();

/** The gateway's Kafka settings (TLS and SASL included): the same cluster, reached the same way. */
export type TopicIdentityOptions = Pick<AppConfig['kafka'], 'brokers' | 'clientId' | 'connectionTimeoutMs' | 'tls' | 'sasl'>;

/** Asks the first broker that answers for the topics' IDs. */
export async function fetchTopicIdentities(options: TopicIdentityOptions, topics: readonly string[]): Promise<TopicIdentity[]> {
  const failures: string[] = [];
  for (const broker of options.brokers) {
    const separator = broker.lastIndexOf(':');
    const { ssl, sasl } = kafkaSecurity(options);
    // Failures reach the caller as errors; kafkajs' own log lines would only repeat them.
    const logger = loggers.createLogger({ level: loggers.LEVELS.NOTHING, logCreator: () => () => undefined });
    const connectionPool = new ConnectionPool({
      host: broker.slice(0, separator),
      port: Number(broker.slice(separator + 1)),
      clientId: options.clientId,
      connectionTimeout: options.connectionTimeoutMs,
      requestTimeout: Math.max(options.connectionTimeoutMs, 5000),
      ssl: ssl ?? null,
      sasl: sasl ?? null,
      socketFactory,
      logger,
    });
    const session = new Broker({ connectionPool, logger, allowAutoTopicCreation: false });
    try {
      await session.connect();
      const connection = await connectionPool.getConnection();
      return (await connection.send({
        request: {
          apiKey: METADATA_API_KEY,
          apiVersion: METADATA_VERSION,
          apiName: 'Metadata',
          encode: () => {
            const encoder = new Encoder();
            encoder.writeBuffer(encodeMetadataRequest(topics));
            return Promise.resolve(encoder);
          },
        },
        response: { decode: (payload) => Promise.resolve(decodeMetadataResponse(payload)), parse: (decoded) => Promise.resolve(decoded) },
      })) as TopicIdentity[];
    } catch (error) {
      failures.push(`${broker}: ${(error as Error).message}`);
    } finally {
      await session.disconnect().catch(() => undefined);
    }
  }
  throw new Error(`no broker answered the topic ID request (${failures.join('; ')})`);
}
