#!/usr/bin/env node
// Smoke test of the local Kafka (scripts/kafka up) with the project's client,
// kafkajs, using exactly the features route-broker relies on:
//   - admin: createTopics / fetchTopicMetadata / fetchOffsets / deleteTopics
//   - an idempotent producer (idempotent: true, acks -1, maxInFlightRequests 1)
//   - a consumer group with autoCommit: false and manual commitOffsets,
//     and a second member of the same group resuming from the committed offset.
//
// Usage: node scripts/kafka-smoke.mjs [broker]   (default 127.0.0.1:$RB_KAFKA_PORT or :9092)
//        RB_KAFKA_SMOKE_LOG=debug node scripts/kafka-smoke.mjs   (kafkajs logs, incl. API versions)
// Exits 0 on success, 1 on any failure. Touches only topics/groups named rb-smoke-*.
import { randomUUID } from 'node:crypto';
import { Kafka, Partitioners, logLevel } from 'kafkajs';

const broker = process.argv[2] ?? `127.0.0.1:${process.env.RB_KAFKA_PORT ?? '9092'}`;
const runId = `${Date.now()}-${randomUUID().slice(0, 8)}`;
const topic = `rb-smoke-${runId}`;
const groupId = `rb-smoke-group-${runId}`;
const PARTITIONS = 2;
const FIRST_BATCH = 10;
const SECOND_BATCH = 5;
const TIMEOUT_MS = 60_000;

const kafka = new Kafka({
  clientId: 'rb-kafka-smoke',
  brokers: [broker],
  // kafkajs logs retriable errors (e.g. "coordinator is loading" while the
  // broker creates __consumer_offsets on first use) at ERROR level; real
  // failures are thrown anyway. RB_KAFKA_SMOKE_LOG=debug|info|warn|error shows them.
  logLevel: logLevel[(process.env.RB_KAFKA_SMOKE_LOG ?? 'nothing').toUpperCase()] ?? logLevel.NOTHING,
  connectionTimeout: 5000,
  requestTimeout: 15000,
  retry: { retries: 5 },
});

const step = (msg) => console.log(`kafka-smoke: ${msg}`);

function assert(cond, msg) {
  if (!cond) throw new Error(`assertion failed: ${msg}`);
}

function withTimeout(promise, what, ms = TIMEOUT_MS) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

async function produce(producer, from, count) {
  const messages = [];
  for (let i = from; i < from + count; i++) {
    messages.push({ key: `k${i % PARTITIONS}`, value: JSON.stringify({ i, runId }) });
  }
  // Several sends, so the idempotent sequence numbers advance per partition.
  for (const m of messages) {
    await producer.send({ topic, acks: -1, messages: [m] });
  }
}

/**
 * Runs one consumer of the group until `expected` messages arrived, committing
 * each one manually. Returns the values seen.
 */
async function consumeAndCommit(expected, label) {
  const consumer = kafka.consumer({
    groupId,
    sessionTimeout: 10000,
    heartbeatInterval: 1000,
    maxWaitTimeInMs: 500,
  });
  const seen = [];
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  let done;
  const finished = new Promise((resolve) => (done = resolve));
  await consumer.run({
    autoCommit: false,
    eachMessage: async ({ topic: t, partition, message }) => {
      seen.push(JSON.parse(message.value.toString()).i);
      await consumer.commitOffsets([{ topic: t, partition, offset: (BigInt(message.offset) + 1n).toString() }]);
      if (seen.length >= expected) done();
    },
  });
  try {
    await withTimeout(finished, `${label}: consuming ${expected} messages (got ${seen.length})`);
    // Give a wrongly re-delivered message a moment to show up.
    await new Promise((r) => setTimeout(r, 500));
  } finally {
    await consumer.disconnect();
  }
  return seen;
}

async function committedTotal(admin) {
  const [res] = await admin.fetchOffsets({ groupId, topics: [topic] });
  return res.partitions.reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
}

async function main() {
  const t0 = Date.now();
  step(`broker ${broker}, topic ${topic}`);
  const admin = kafka.admin();
  const producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await admin.connect();
  try {
    const created = await admin.createTopics({
      waitForLeaders: true,
      topics: [{ topic, numPartitions: PARTITIONS, replicationFactor: 1 }],
    });
    assert(created === true, 'createTopics returned true');
    const meta = await admin.fetchTopicMetadata({ topics: [topic] });
    assert(meta.topics[0].partitions.length === PARTITIONS, `topic has ${PARTITIONS} partitions`);
    step(`createTopics ok (${PARTITIONS} partitions)`);

    await producer.connect();
    await produce(producer, 0, FIRST_BATCH);
    step(`idempotent producer (acks -1, maxInFlightRequests 1) sent ${FIRST_BATCH} messages`);

    const first = await consumeAndCommit(FIRST_BATCH, 'first consumer');
    assert(first.length === FIRST_BATCH, `first consumer got ${FIRST_BATCH} (got ${first.length})`);
    assert(new Set(first).size === FIRST_BATCH, 'no duplicates in first batch');
    const committed1 = await committedTotal(admin);
    assert(committed1 === FIRST_BATCH, `committed offsets sum ${FIRST_BATCH} (got ${committed1})`);
    step(`consumer group (autoCommit: false) consumed and committed ${FIRST_BATCH}`);

    await produce(producer, FIRST_BATCH, SECOND_BATCH);
    const second = await consumeAndCommit(SECOND_BATCH, 'second consumer');
    assert(
      second.length === SECOND_BATCH && second.every((i) => i >= FIRST_BATCH),
      `second consumer resumed from the committed offsets (got ${JSON.stringify(second)})`,
    );
    const committed2 = await committedTotal(admin);
    assert(committed2 === FIRST_BATCH + SECOND_BATCH, `committed offsets sum ${FIRST_BATCH + SECOND_BATCH} (got ${committed2})`);
    step(`a new group member resumed from the committed offsets (${SECOND_BATCH} new messages)`);

    await producer.disconnect();
    await admin.deleteGroups([groupId]);
    await admin.deleteTopics({ topics: [topic] });
  } finally {
    await producer.disconnect().catch(() => {});
    await admin.disconnect().catch(() => {});
  }
  step(`OK in ${Date.now() - t0} ms`);
}

withTimeout(main(), 'whole smoke test', 3 * TIMEOUT_MS).then(
  () => process.exit(0),
  (err) => {
    console.error(`kafka-smoke: FAILED: ${err?.stack ?? err}`);
    process.exit(1);
  },
);
