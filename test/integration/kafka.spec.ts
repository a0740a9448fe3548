/**
 * The Kafka adapter against the real broker: CloudEvents arrive intact, bad messages go to the
 * dead-letter topic with the reason while the consumer moves on, and offsets are committed only
 * after the handler succeeded.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { createCloudEvent, parseCloudEvent, type CloudEvent } from '../../src/common/kafka/cloud-event.js';
import { HANDLED_BYTES, KafkaGateway, KafkaUnavailableError, type IncomingEvent } from '../../src/common/kafka/kafka.gateway.js';
import { TOPICS } from '../../src/common/kafka/topics.js';
import { testConfig } from './support/environment.js';
import { until } from './support/until.js';

const config = testConfig();
const raw = new Kafka({ clientId: 'kafka-spec', brokers: [...config.kafka.brokers], logLevel: logLevel.NOTHING });

const gateways: KafkaGateway[] = [];
/** A connected gateway, as Nest would hand it out after onModuleInit; closed after all tests. */
async function gateway(): Promise<KafkaGateway> {
  const created = new KafkaGateway({ ...config.kafka, instanceId: 'kafka-spec' });
  await created.onModuleInit();
  gateways.push(created);
  return created;
}

async function committedOffset(groupId: string, topic: string): Promise<number> {
  const admin = raw.admin();
  await admin.connect();
  try {
    const [entry] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return entry!.partitions.reduce((sum, partition) => sum + Math.max(0, Number(partition.offset)), 0);
  } finally {
    await admin.disconnect();
  }
}

/** Where scripts/kafka keeps the broker's partitions (log.dirs): `$RB_KAFKA_HOME/data`. */
const KAFKA_DATA = join(process.env.RB_KAFKA_HOME!, 'data'); // scripts/test-env

/** The record batches of a topic as the broker stored them: each batch's size and compression codec (0 none, 1 gzip). */
function storedBatches(topic: string): { bytes: number; codec: number }[] {
  const batches: { bytes: number; codec: number }[] = [];
  const partitions = readdirSync(KAFKA_DATA).filter((name) => name.startsWith(`${topic}-`));
  for (const partition of partitions) {
    for (const file of readdirSync(join(KAFKA_DATA, partition)).filter((name) => name.endsWith('.log'))) {
      const segment = readFileSync(join(KAFKA_DATA, partition, file));
      // RecordBatch v2: baseOffset int64, batchLength int32, leaderEpoch int32, magic int8, crc int32, attributes int16 …
      for (let at = 0; at + 23 <= segment.length;) {
        const bytes = 12 + segment.readInt32BE(at + 8);
        batches.push({ bytes, codec: segment.readInt16BE(at + 21) & 0x7 });
        at += bytes;
      }
    }
  }
  return batches;
}

/** Events of about 10 KB, like a notification: the same field names and attribute values over and over. */
function bulkyEvents(count: number): { key: string; event: CloudEvent }[] {
  return Array.from({ length: count }, (_, index) => ({
    key: 'vpc-7',
    event: createCloudEvent({
      type: 'net.route-broker.test.v1',
      source: 'kafka-spec',
      data: {
        revision: index,
        prefix: `11.${index >> 8}.${index & 255}.0/24`,
        paths: [{ sessionId: 5, nextHop: '169.254.101.1', asPath: [65001, 4200000001] }],
        communities: Array.from({ length: 800 }, (_, community) => `65001:${community}`),
      },
    }),
  }));
}

describe('Kafka adapter on the real broker', () => {
  const topic = `test.kafka-spec.${randomUUID().slice(0, 8)}.v1`;
  const spec = { name: topic, key: 'test', eventTypes: ['net.route-broker.test.v1'], compacted: false };
  let kafka: KafkaGateway;
  const deadLetters: { key: string | null; value: unknown }[] = [];
  let deadLetterReader: Consumer;

  beforeAll(async () => {
    kafka = await gateway();
    await kafka.ensureTopics([spec]);
    deadLetterReader = raw.consumer({ groupId: `dlq-reader-${randomUUID()}` });
    await deadLetterReader.connect();
    await deadLetterReader.subscribe({ topic: TOPICS.deadLetter.name, fromBeginning: false });
    await deadLetterReader.run({
      eachMessage: ({ message }) => {
        deadLetters.push({ key: message.key?.toString() ?? null, value: JSON.parse(message.value!.toString()) });
        return Promise.resolve();
      },
    });
    // Let the reader join before anything is dead-lettered, since it starts at the end.
    await new Promise((resolve) => setTimeout(resolve, 3000));
  }, 60000);

  afterAll(async () => {
    await deadLetterReader.disconnect();
    await Promise.all(gateways.map((created) => created.onApplicationShutdown()));
  });

  it('creates every route-broker topic, the compacted one compacted', async () => {
    const admin = raw.admin();
    await admin.connect();
    try {
      const topics = await admin.listTopics();
      for (const spec of Object.values(TOPICS)) expect(topics).toContain(spec.name);
      const described = await admin.describeConfigs({
        includeSynonyms: false,
        resources: [{ type: 2, name: TOPICS.vpcRoutes.name, configNames: ['cleanup.policy'] }],
      });
      expect(described.resources[0]!.configEntries[0]!.configValue).toBe('compact');
    } finally {
      await admin.disconnect();
    }
  });

  it('delivers CloudEvents intact and in key order, dead-letters bad ones with the reason, and commits after handling', async () => {
    const groupId = `kafka-spec-${randomUUID()}`;
    const received: IncomingEvent[] = [];
    const events = Array.from({ length: 20 }, (_, index) =>
      createCloudEvent({
        type: 'net.route-broker.test.v1',
        source: 'kafka-spec',
        subject: `n${index}`,
        data: { index, prefix: `10.${index}.0.0/16`, asPath: [65001, 4200000001] },
      }),
    );
    await kafka.publish(
      topic,
      events.slice(0, 10).map((event) => ({ key: 'session-a', event })),
    );
    const producer = raw.producer();
    await producer.connect();
    await producer.send({
      topic,
      messages: [
        { key: 'session-a', value: '{"this is":"not a cloudevent"' },
        { key: 'session-a', value: JSON.stringify({ specversion: '1.0', id: 'x' }) },
      ],
    });
    await producer.disconnect();
    await kafka.publish(
      topic,
      events.slice(10).map((event) => ({ key: 'session-a', event })),
    );

    const consumer = await gateway();
    await consumer.startConsumer({
      groupId,
      topics: [topic],
      handleBatch: (batch) => {
        received.push(...batch);
        return Promise.resolve();
      },
    });
    await until('20 events', () => (received.length >= 20 ? true : undefined));
    expect(received.map((incoming) => incoming.event)).toEqual(events);
    expect(received.every((incoming) => incoming.key === 'session-a')).toBe(true);

    const letters = await until('two dead letters', () => {
      const mine = deadLetters.filter((letter) => (letter.value as { data: { topic: string } }).data.topic === topic);
      return mine.length >= 2 ? mine : undefined;
    });
    const parsed = letters.map((letter) => parseCloudEvent(JSON.stringify(letter.value)));
    expect(parsed.every((result) => result.ok)).toBe(true);
    const reasons = letters.map((letter) => (letter.value as { data: { reason: string; value: string; consumerGroup: string } }).data);
    expect(reasons[0]).toMatchObject({
      reason: expect.stringContaining('value is not JSON'),
      value: '{"this is":"not a cloudevent"',
      consumerGroup: groupId,
    });
    expect(reasons[1]!.reason).toContain('source must be a non-empty string');

    await consumer.onApplicationShutdown();
    expect(await committedOffset(groupId, topic)).toBe(22);
  }, 90000);

  it('publishes gzip-compressed record batches, which the broker keeps compressed; a consumer hands them over in parts of at most about 1 MiB, each committed', async () => {
    expect(existsSync(KAFKA_DATA)).toBe(true);
    const compressed = `test.kafka-spec.${randomUUID().slice(0, 8)}.v1`;
    await kafka.ensureTopics([{ ...spec, name: compressed }]);
    const events = bulkyEvents(400);
    const payloadBytes = events.reduce((sum, { event }) => sum + Buffer.byteLength(JSON.stringify(event)), 0);
    await kafka.publish(compressed, events);

    const batches = await until('the published batches on the broker’s disk', () => {
      const stored = storedBatches(compressed);
      return stored.length > 0 ? stored : undefined;
    });
    expect(batches.map((batch) => batch.codec)).toEqual(batches.map(() => 1));
    const storedBytes = batches.reduce((sum, batch) => sum + batch.bytes, 0);
    expect(storedBytes).toBeLessThan(payloadBytes / 4);

    // Several megabytes uncompressed, a fraction of one fetch's 1 MiB compressed: handed over in parts.
    expect(payloadBytes).toBeGreaterThan(3 * HANDLED_BYTES);
    const groupId = `kafka-spec-${randomUUID()}`;
    const handed: IncomingEvent[][] = [];
    const consumer = await gateway();
    await consumer.startConsumer({
      groupId,
      topics: [compressed],
      handleBatch: (batch) => {
        handed.push(batch);
        return Promise.resolve();
      },
    });
    await until('400 events', () => (handed.flat().length >= 400 ? true : undefined));
    expect(handed.flat().map((incoming) => incoming.event)).toEqual(events.map(({ event }) => event));
    const largestEvent = Math.max(...events.map(({ event }) => Buffer.byteLength(JSON.stringify(event))));
    const handedBytes = handed.map((batch) => batch.reduce((sum, incoming) => sum + Buffer.byteLength(JSON.stringify(incoming.event)), 0));
    expect(handed.length).toBeGreaterThanOrEqual(3);
    for (const bytes of handedBytes) expect(bytes).toBeLessThan(HANDLED_BYTES + largestEvent);
    await consumer.onApplicationShutdown();
    expect(await committedOffset(groupId, compressed)).toBe(400);
  }, 90000);

  it('at shutdown, lets a send under way finish and refuses later ones at once, without reconnecting', async () => {
    const closing = await gateway();
    const during = createCloudEvent({ type: 'net.route-broker.test.v1', source: 'kafka-spec', data: { sent: 'during shutdown' } });
    const after = createCloudEvent({ type: 'net.route-broker.test.v1', source: 'kafka-spec', data: { sent: 'after shutdown' } });
    const sending = closing.publish(topic, [{ key: 'shutdown', event: during }]);
    const shutdown = closing.onApplicationShutdown();
    await expect(sending).resolves.toBeUndefined();
    await shutdown;
    // Not kafkajs' "The producer is disconnected", which it says after reconnecting for metadata.
    await expect(closing.publish(topic, [{ key: 'shutdown', event: after }])).rejects.toThrow(
      new KafkaUnavailableError('not sent: the Kafka producer is closed (route-broker is stopping)'),
    );
  });

  it('does not commit a batch whose handler failed: it is delivered again', async () => {
    const groupId = `kafka-spec-retry-${randomUUID()}`;
    const retryTopic = `${topic}.retry`;
    await kafka.ensureTopics([{ ...spec, name: retryTopic }]);
    const event = createCloudEvent({ type: 'net.route-broker.test.v1', source: 'kafka-spec', data: { attempt: 'any' } });
    await kafka.publish(retryTopic, [{ key: 'k', event }]);
    let attempts = 0;
    const applied: string[] = [];
    const consumer = await gateway();
    await consumer.startConsumer({
      groupId,
      topics: [retryTopic],
      handleBatch: (batch) => {
        attempts += 1;
        if (attempts === 1) return Promise.reject(new Error('database unavailable (simulated by the handler)'));
        applied.push(...batch.map((incoming) => incoming.event.id));
        return Promise.resolve();
      },
    });
    await until('the retried batch', () => (applied.length > 0 ? true : undefined), 60000);
    await consumer.onApplicationShutdown();
    expect(attempts).toBeGreaterThanOrEqual(2);
    expect(applied).toEqual([event.id]);
    expect(await committedOffset(groupId, retryTopic)).toBe(1);
  }, 90000);

  it('restarts a consumer after a crash kafkajs calls non-retriable, instead of leaving it stopped', async () => {
    const groupId = `kafka-spec-fatal-${randomUUID()}`;
    const fatalTopic = `${topic}.fatal`;
    await kafka.ensureTopics([{ ...spec, name: fatalTopic }]);
    const event = createCloudEvent({ type: 'net.route-broker.test.v1', source: 'kafka-spec', data: { attempt: 'any' } });
    await kafka.publish(fatalTopic, [{ key: 'k', event }]);
    let attempts = 0;
    const applied: string[] = [];
    const consumer = await gateway();
    await consumer.startConsumer({
      groupId,
      topics: [fatalTopic],
      handleBatch: (batch) => {
        attempts += 1;
        // What kafkajs' own TypeErrors during a join become: an error it will not retry.
        if (attempts === 1) return Promise.reject(Object.assign(new Error('a bug (simulated by the handler)'), { retriable: false }));
        applied.push(...batch.map((incoming) => incoming.event.id));
        return Promise.resolve();
      },
    });
    await until('the batch after the restart', () => (applied.length > 0 ? true : undefined), 60000);
    await consumer.onApplicationShutdown();
    expect(attempts).toBe(2);
    expect(applied).toEqual([event.id]);
    expect(await committedOffset(groupId, fatalTopic)).toBe(1);
  }, 90000);

  it('parses the next part while one is handled, yet hands parts over one at a time and in order; a failed part stops the rest until it is applied', async () => {
    const partsTopic = `test.kafka-spec.${randomUUID().slice(0, 8)}.v1`;
    await kafka.ensureTopics([{ ...spec, name: partsTopic }]);
    const events = bulkyEvents(400);
    await kafka.publish(partsTopic, events);
    const groupId = `kafka-spec-parts-${randomUUID()}`;
    const applied: { first: number; last: number }[] = [];
    let handling = 0;
    let mostAtOnce = 0;
    let attempts = 0;
    /** Offsets validated (parsed) while a part ending before them was still being handled. */
    let parsedAhead = 0;
    let handledUpTo = -1;
    const consumer = await gateway();
    await consumer.startConsumer({
      groupId,
      topics: [partsTopic],
      check: (incoming) => {
        if (handling > 0 && Number(incoming.offset) > handledUpTo) parsedAhead += 1;
        return incoming.event;
      },
      handleBatch: async (part) => {
        attempts += 1;
        handling += 1;
        mostAtOnce = Math.max(mostAtOnce, handling);
        const first = Number(part[0]!.offset);
        const last = Number(part[part.length - 1]!.offset);
        handledUpTo = last;
        try {
          // A database transaction's worth of waiting.
          await new Promise((resolve) => setTimeout(resolve, 300));
          if (attempts === 2) throw new Error('deadlock (simulated by the handler)');
          applied.push({ first, last });
        } finally {
          handling -= 1;
        }
      },
    });
    await until('400 events applied', () => (applied.at(-1)?.last === 399 ? true : undefined), 60000);
    await consumer.onApplicationShutdown();
    expect(mostAtOnce).toBe(1);
    expect(parsedAhead).toBeGreaterThan(0);
    // The second part failed once: delivered again from its first offset, nothing skipped or applied twice.
    expect(attempts).toBeGreaterThan(applied.length);
    expect(applied.length).toBeGreaterThanOrEqual(3);
    expect(applied[0]!.first).toBe(0);
    for (let index = 1; index < applied.length; index++) expect(applied[index]!.first).toBe(applied[index - 1]!.last + 1);
    expect(await committedOffset(groupId, partsTopic)).toBe(400);
  }, 90000);
});
