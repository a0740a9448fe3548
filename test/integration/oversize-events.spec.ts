/**
 * Events Kafka refuses for their size, against the real broker (Kafka 4.4 from scripts/kafka):
 * topics of our own with a small `max.message.bytes`, so that ordinary events are "oversize".
 *
 * What the broker really does, measured here and relied on by the gateway: a record batch over the
 * topic's max.message.bytes (compressed: the limit applies to the gzip batch) is refused at once
 * with MESSAGE_TOO_LARGE, which kafkajs does not retry; in a request to several partitions the
 * other partitions' batches are appended all the same; a request over socket.request.max.bytes is
 * not answered (the connection is closed). Every path here must end in seconds: split, or
 * dead-lettered with the reason, and the next messages published.
 */
import { createServer, connect, type AddressInfo, type Socket } from 'node:net';
import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Admin, type Consumer, type KafkaMessage } from 'kafkajs';
import { DataSource } from 'typeorm';
import {
  COMPACT_ROUTE_BATCH,
  ROUTE_ANNOUNCED,
  SESSION_UP,
  unbatched,
  type RouteAnnouncedData,
} from '../../src/common/events/bgp-events.js';
import {
  MAX_PREFIX_EXCEEDED,
  ROUTE_TABLE_CHANGED,
  type RouteTableChangedData,
  type VpcRouteChange,
} from '../../src/common/events/vpc-events.js';
import { createCloudEvent, parseCloudEvent, type CloudEvent } from '../../src/common/kafka/cloud-event.js';
import { KafkaGateway, type PublishOptions, type SerializedEvent } from '../../src/common/kafka/kafka.gateway.js';
import { TOPICS, type DeadLetter } from '../../src/common/kafka/topics.js';
import { metricsRegistry } from '../../src/common/metrics.js';
import { dataSourceOptions } from '../../src/common/database/data-source-options.js';
import { OutboxRelay } from '../../src/common/outbox/outbox-relay.js';
import { RouteTableNotifications } from '../../src/brm/route-table-notifications.service.js';
import { checkRouteTableChanged } from '../../src/hrm/core/route-table-changed-schema.js';
import { SubscriberQueue } from '../../src/hrm/core/subscriber-queue.js';
import { BmpCollectorService } from '../../src/frr-server/collector/bmp-collector.service.js';
import { encodeBmpMessage } from '../../src/frr-server/bmp/bmp-encode.js';
import type { RouteMonitoringMessage } from '../../src/frr-server/bmp/bmp-types.js';
import * as samples from '../fixtures/bmp/sample-messages.js';
import { resetDatabase, testConfig } from './support/environment.js';
import { until } from './support/until.js';
import { follow, type TakeMessage } from './support/consumer-groups.js';

const config = testConfig();
const raw = new Kafka({ clientId: 'oversize-spec', brokers: [...config.kafka.brokers], logLevel: logLevel.NOTHING });
const run = randomUUID().slice(0, 8);
const topicName = (name: string) => `test.oversize-spec.${run}.${name}`;
/** Small enough that a notification of a few dozen changes, or one UPDATE full of communities, is over it. */
const LIMIT = 20000;

let admin: Admin;
let gateway: KafkaGateway;
/** The test database (RB_TEST_DB_NAME), migrated: the outbox, and the inventory the collector looks routers up in. */
let dataSource: DataSource;
const consumers: Consumer[] = [];

async function createTopic(name: string, maxMessageBytes: number, partitions = 3): Promise<void> {
  await admin.createTopics({
    waitForLeaders: true,
    topics: [
      {
        topic: name,
        numPartitions: partitions,
        replicationFactor: 1,
        configEntries: [{ name: 'max.message.bytes', value: String(maxMessageBytes) }],
      },
    ],
  });
}

/** Every message of the topics from their start (or from their ends as they are now), as they arrive. */
async function collect(topics: string[], fromNow = false): Promise<{ topic: string; partition: number; message: KafkaMessage }[]> {
  const received: { topic: string; partition: number; message: KafkaMessage }[] = [];
  const take: TakeMessage = (topic, partition, message) => void received.push({ topic, partition, message });
  consumers.push(await follow(raw, `oversize-spec-${randomUUID()}`, topics, take, fromNow ? { endsNow: admin } : 'start'));
  return received;
}

const eventOf = <T>(message: KafkaMessage): CloudEvent<T> => {
  const parsed = parseCloudEvent(message.value);
  if (!parsed.ok) throw new Error(parsed.problems.join('; '));
  return parsed.event as CloudEvent<T>;
};

/** Dead letters of this run, by the topic they stand for. */
let deadLetterMessages: { topic: string; partition: number; message: KafkaMessage }[];
const deadLettersFor = (topic: string) =>
  deadLetterMessages
    .map(({ message }) => ({ bytes: message.value!.length, event: eventOf<DeadLetter>(message) }))
    .filter(({ event }) => event.data.topic === topic);

async function oversizeCount(topic: string, outcome: string): Promise<number> {
  const metric = await metricsRegistry.getSingleMetric('route_broker_kafka_oversize_messages_total')!.get();
  return metric.values.find((value) => value.labels.topic === topic && value.labels.outcome === outcome)?.value ?? 0;
}

async function deadLetterCount(topic: string, kind: string): Promise<number> {
  const metric = await metricsRegistry.getSingleMetric('route_broker_kafka_dead_letters_total')!.get();
  return metric.values.find((value) => value.labels.topic === topic && value.labels.kind === kind)?.value ?? 0;
}

/** A key the producer puts on `partition` of a 3-partition topic. */
function keyOn(partition: number, prefix: string): string {
  for (let index = 0; ; index++) if (KafkaGateway.partitionOf(`${prefix}-${index}`, 3) === partition) return `${prefix}-${index}`;
}

const serialized = (key: string, value: Buffer | string, type = 'net.route-broker.test.v1'): SerializedEvent => {
  const id = randomUUID();
  const text = typeof value === 'string' ? value : value.toString('base64');
  return { key, id, type, value: Buffer.from(JSON.stringify(createCloudEvent({ id, type, source: 'oversize-spec', data: { text } }))) };
};
const textOf = (message: KafkaMessage) => eventOf<{ text: string }>(message).data.text;

beforeAll(async () => {
  admin = raw.admin();
  await admin.connect();
  gateway = new KafkaGateway({ ...config.kafka, instanceId: 'oversize-spec' });
  await gateway.onModuleInit();
  deadLetterMessages = await collect([TOPICS.deadLetter.name], true);
  await resetDatabase();
  dataSource = await new DataSource(dataSourceOptions(config.database)).initialize();
  await dataSource.runMigrations();
}, 120000);

afterAll(async () => {
  await Promise.allSettled(consumers.map((consumer) => consumer.disconnect()));
  await gateway?.onApplicationShutdown();
  const mine = (await admin.listTopics()).filter((topic) => topic.startsWith(`test.oversize-spec.${run}.`));
  if (mine.length > 0) await admin.deleteTopics({ topics: mine }).catch(() => undefined);
  await admin?.disconnect();
  await dataSource?.destroy();
}, 60000);

describe('the Kafka gateway and a message the broker refuses for its size', () => {
  it('dead-letters a message the broker refuses (MESSAGE_TOO_LARGE) with the reason and goes on; a large message that compresses under the limit passes', async () => {
    const topic = topicName('gateway');
    await createTopic(topic, LIMIT);
    const key = 'one-key';
    const incompressible = serialized(key, randomBytes(40000));
    // 300 kB of JSON that gzip makes a few kB: the limit is on the compressed batch.
    const compressible = serialized(key, 'route '.repeat(50000));
    const started = Date.now();
    const progress = { done: 0 };
    await gateway.publishSerialized(topic, [serialized(key, 'before'), incompressible, compressible, serialized(key, 'after')], {
      producer: 'oversize-spec',
      progress,
    });
    expect(Date.now() - started).toBeLessThan(10000);
    expect(progress.done).toBe(4);

    const received = await collect([topic]);
    await until('3 messages', () => (received.length >= 3 ? true : undefined), 20000);
    expect(received.map(({ message }) => textOf(message).slice(0, 12))).toEqual(['before', 'route route ', 'after']);

    const [letter] = await until('the dead letter', () => {
      const letters = deadLettersFor(topic);
      return letters.length > 0 ? letters : undefined;
    });
    expect(letter!.event.subject).toBe(`${topic}/refused/${incompressible.id}`);
    expect(letter!.event.data).toMatchObject({
      reason: expect.stringMatching(/^MESSAGE_TOO_LARGE: .*max\.message\.bytes \(20000 bytes\)/),
      topic,
      partition: null,
      offset: null,
      key,
      value: null,
      consumerGroup: null,
      refused: {
        producer: 'oversize-spec',
        error: 'MESSAGE_TOO_LARGE',
        eventId: incompressible.id,
        eventType: 'net.route-broker.test.v1',
        valueBytes: incompressible.value.length,
        limitBytes: LIMIT,
      },
    });
    expect(letter!.event.data.refused!.valueHead.length).toBeLessThan(1100);
    expect(letter!.bytes).toBeLessThan(4000);
    expect(await oversizeCount(topic, 'dead-lettered')).toBe(1);
    expect(await deadLetterCount(topic, 'oversize')).toBe(1);
  }, 60000);

  it('after the limit is lowered under it: the request to several partitions is refused for one, the others are not duplicated and their partitions keep working', async () => {
    const topic = topicName('lowered');
    await createTopic(topic, 1_000_000);
    const [small, big] = [keyOn(0, 'small'), keyOn(1, 'big')];
    await gateway.publishSerialized(topic, [serialized(small, 'first')]);
    // The gateway has read 1,000,000 and plans one request for what follows; the broker now says 20,000.
    await admin.alterConfigs({
      validateOnly: false,
      resources: [{ type: 2, name: topic, configEntries: [{ name: 'max.message.bytes', value: String(LIMIT) }] }],
    });
    await until('the lowered limit', async () => {
      const described = await admin.describeConfigs({
        includeSynonyms: false,
        resources: [{ type: 2, name: topic, configNames: ['max.message.bytes'] }],
      });
      return described.resources[0]!.configEntries[0]!.configValue === String(LIMIT) ? true : undefined;
    });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const refused = serialized(big, randomBytes(40000));
    const started = Date.now();
    await gateway.publishSerialized(topic, [serialized(small, 'a'), refused, serialized(small, 'b')]);
    // A batch to the same partition right after: with the producer's sequence numbers out of step
    // it would be refused (OUT_OF_ORDER_SEQUENCE_NUMBER) forever.
    await gateway.publishSerialized(topic, [serialized(small, 'c'), serialized(big, 'd')]);
    expect(Date.now() - started).toBeLessThan(10000);

    const received = await collect([topic]);
    await until('5 messages', () => (received.length >= 5 ? true : undefined), 20000);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const byPartition = (partition: number) =>
      received.filter((entry) => entry.partition === partition).map(({ message }) => textOf(message));
    expect(byPartition(0)).toEqual(['first', 'a', 'b', 'c']);
    expect(byPartition(1)).toEqual(['d']);
    await until('the dead letter', () => (deadLettersFor(topic).length === 1 ? true : undefined));
    expect(deadLettersFor(topic)[0]!.event.data.refused).toMatchObject({ eventId: refused.id, limitBytes: LIMIT });
  }, 60000);

  it('splits with the caller’s `split`, part by part, in order, until each part fits', async () => {
    const topic = topicName('split');
    await createTopic(topic, LIMIT);
    // Five parts of 12 kB random text: together far over the limit, each under it.
    const parts = Array.from({ length: 5 }, () => randomBytes(9000).toString('base64'));
    const whole = serialized('k', parts.join('|'));
    const split: PublishOptions['split'] = (refused) => {
      const pieces = eventOf<{ text: string }>({ value: refused.value } as KafkaMessage).data.text.split('|');
      if (pieces.length < 2) return null;
      const half = Math.ceil(pieces.length / 2);
      return [pieces.slice(0, half), pieces.slice(half)].map((piece) => serialized('k', piece.join('|')));
    };
    await gateway.publishSerialized(topic, [whole, serialized('k', 'next')], { split });
    const received = await collect([topic]);
    await until('the message after', () => (received.some(({ message }) => textOf(message) === 'next') ? true : undefined), 20000);
    const texts = received.map(({ message }) => textOf(message));
    // Halved until each part fits: 5 → 3 + 2 → (2 + 1) + 2.
    expect(texts).toEqual([parts.slice(0, 2).join('|'), parts[2], parts.slice(3).join('|'), 'next']);
    expect(await oversizeCount(topic, 'split')).toBe(2);
    expect(deadLettersFor(topic)).toEqual([]);
    expect(await deadLetterCount(topic, 'oversize')).toBe(0);
  }, 60000);

  it('does not send a request over the broker’s socket.request.max.bytes (it would close the connection, retried as an outage): refused at once', async () => {
    const topic = topicName('request');
    await createTopic(topic, 200 * 1024 * 1024, 1);
    const huge = { key: 'huge', id: randomUUID(), type: 'net.route-broker.test.v1', value: randomBytes(105 * 1024 * 1024) };
    const started = Date.now();
    await gateway.publishSerialized(topic, [huge, serialized('huge', 'after')]);
    expect(Date.now() - started).toBeLessThan(20000);
    const received = await collect([topic]);
    await until('the message after', () => (received.length >= 1 ? true : undefined), 20000);
    expect(received.map(({ message }) => textOf(message))).toEqual(['after']);
    const [letter] = await until('the dead letter', () => {
      const letters = deadLettersFor(topic);
      return letters.length > 0 ? letters : undefined;
    });
    expect(letter!.event.data.reason).toMatch(
      /^REQUEST_TOO_LARGE: not sent: .* over the broker's socket\.request\.max\.bytes \(104857600 bytes/,
    );
  }, 60000);

  it('sends a dead letter too large for the dead-letter topic without the original value, never retried', async () => {
    const topic = topicName('consumed');
    const value = randomBytes(1_200_000).toString('base64');
    const started = Date.now();
    await gateway.deadLetter(
      {
        reason: 'value is not JSON',
        topic,
        partition: 2,
        offset: '17',
        key: 'k',
        value,
        consumerGroup: 'oversize-spec',
      },
      'unparsable',
    );
    expect(Date.now() - started).toBeLessThan(10000);
    const [letter] = await until('the dead letter', () => {
      const letters = deadLettersFor(topic);
      return letters.length > 0 ? letters : undefined;
    });
    expect(letter!.event.subject).toBe(`${topic}/2/17`);
    expect(letter!.event.data).toMatchObject({
      reason: 'value is not JSON',
      value: null,
      valueOmitted: {
        bytes: value.length,
        head: `${value.slice(0, 1024)}…`,
        note: `left out: the dead letter was too large for the dead-letter topic; the original is at ${topic}/2/17`,
      },
    });
    expect(await oversizeCount(TOPICS.deadLetter.name, 'truncated')).toBeGreaterThanOrEqual(1);
    // Counted under the original topic and the kind given, truncated or not.
    expect(await deadLetterCount(topic, 'unparsable')).toBe(1);
  }, 60000);
});

describe('the outbox relay and an oversize outbox message', () => {
  let relay: OutboxRelay;

  afterAll(async () => {
    await relay?.onApplicationShutdown();
  });

  const change = (revision: number, detailBytes: number): VpcRouteChange => ({
    revision,
    prefix: `10.${revision >> 8}.${revision & 255}.0/24`,
    family: 'ipv4-unicast',
    action: 'reject',
    route: null,
    // Random text, which gzip cannot shrink much: the notification's size is what it looks like.
    rejection: { sessionId: 5, reason: 'not-allowed', detail: randomBytes(detailBytes).toString('hex') },
  });
  const notification = (vpcId: number, from: number, to: number, detailBytes: number) =>
    createCloudEvent<RouteTableChangedData>({
      type: ROUTE_TABLE_CHANGED,
      source: 'oversize-spec',
      subject: `vpc/${vpcId}`,
      data: {
        vpcId,
        fromRevision: from,
        toRevision: to,
        changes: Array.from({ length: to - from + 1 }, (_, index) => change(from + index, detailBytes)),
      },
    });
  const alert = (sessionId: number, prefixBytes: number) =>
    createCloudEvent({
      type: MAX_PREFIX_EXCEEDED,
      source: 'oversize-spec',
      subject: `session/${sessionId}`,
      data: { vpcId: 1, sessionId, limit: 10, count: 11, prefix: randomBytes(prefixBytes).toString('hex'), at: new Date().toISOString() },
    });

  it('splits a notification, dead-letters what cannot be split with the reason and goes on with the next rows; consumers see the gap', async () => {
    const updates = topicName('route-updates');
    const alerts = topicName('alerts');
    await createTopic(updates, LIMIT);
    await createTopic(alerts, LIMIT);
    const rows: { topic: string; key: string; event: CloudEvent }[] = [
      // 40 changes of about 1.2 kB random text each: ~50 kB, split in parts that fit.
      { topic: updates, key: '1', event: notification(1, 1, 40, 600) },
      // One change of 50 kB: cannot be split.
      { topic: updates, key: '2', event: notification(2, 1, 1, 25000) },
      { topic: updates, key: '2', event: notification(2, 2, 3, 10) },
      { topic: updates, key: '3', event: notification(3, 1, 2, 10) },
      { topic: alerts, key: '8', event: alert(8, 25000) },
      { topic: alerts, key: '9', event: alert(9, 10) },
      { topic: updates, key: '1', event: notification(1, 41, 41, 10) },
    ];
    for (const row of rows) {
      await dataSource.query('INSERT INTO outbox (topic, message_key, event) VALUES (?, ?, ?)', [
        row.topic,
        row.key,
        JSON.stringify(row.event),
      ]);
    }
    const received = await collect([updates, alerts]);
    relay = new OutboxRelay(dataSource, gateway, [new RouteTableNotifications()]);
    const started = Date.now();
    relay.kick();
    await until(
      'every outbox row published',
      async () => {
        const [pending] = await dataSource.query<{ n: string }[]>('SELECT COUNT(*) AS n FROM outbox WHERE published_at IS NULL');
        return Number(pending!.n) === 0 ? true : undefined;
      },
      30000,
    );
    const elapsed = Date.now() - started;
    expect(elapsed).toBeLessThan(20000);

    // VPC 1: parts of the first notification (ids derived from its id), then the next one; every revision once, in order.
    await until('VPC 1 up to revision 41', () =>
      received.some(({ message }) => message.key?.toString() === '1' && eventOf<RouteTableChangedData>(message).data.toRevision === 41)
        ? true
        : undefined,
    );
    await until('the alert after the refused one', () => (received.some(({ topic }) => topic === alerts) ? true : undefined));
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const notifications = (vpc: string) =>
      received
        .filter(({ topic, message }) => topic === updates && message.key?.toString() === vpc)
        .map(({ message }) => eventOf<RouteTableChangedData>(message));
    const vpc1 = notifications('1');
    for (const event of vpc1) expect(typeof checkRouteTableChanged(event.type, event.data)).toBe('object');
    expect(vpc1.flatMap((event) => event.data.changes.map((entry) => entry.revision))).toEqual(
      Array.from({ length: 41 }, (_, index) => index + 1),
    );
    expect(vpc1.length).toBeGreaterThanOrEqual(3);
    for (const event of vpc1.slice(0, -1))
      expect(event.id).toBe(`${rows[0]!.event.id}#${event.data.fromRevision}-${event.data.toRevision}`);
    expect(vpc1.at(-1)!.id).toBe(rows[6]!.event.id);

    // VPC 2: revision 1 is missing, and HRM's subscriber queue (streaming at revision 0) notices and resynchronises.
    const vpc2 = notifications('2');
    expect(vpc2.map((event) => [event.data.fromRevision, event.data.toRevision])).toEqual([[2, 3]]);
    const queue = new SubscriberQueue(1000, { state: 'streaming', ackedRevision: 0 });
    expect(queue.offer(vpc2[0]!.data, () => undefined)).toEqual({ outcome: 'resync', reason: 'revisions 1..1 never arrived' });
    expect(notifications('3').map((event) => event.data.toRevision)).toEqual([2]);
    expect(received.filter(({ topic }) => topic === alerts).map(({ message }) => message.key?.toString())).toEqual(['9']);

    // The two that could not be split, each dead-lettered once, naming what they were; the dead letters are small.
    const letters = await until('two dead letters', () => {
      const found = [...deadLettersFor(updates), ...deadLettersFor(alerts)];
      return found.length >= 2 ? found : undefined;
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect([...deadLettersFor(updates), ...deadLettersFor(alerts)]).toHaveLength(2);
    const byId = new Map(letters.map((letter) => [letter.event.data.refused!.eventId, letter]));
    for (const row of [rows[1]!, rows[4]!]) {
      const letter = byId.get(row.event.id)!;
      expect(letter.event.data).toMatchObject({
        reason: expect.stringMatching(/^MESSAGE_TOO_LARGE: /),
        topic: row.topic,
        key: row.key,
        value: null,
        refused: { producer: 'brm outbox relay', error: 'MESSAGE_TOO_LARGE', eventType: row.event.type, limitBytes: LIMIT },
      });
      expect(letter.event.data.refused!.valueBytes).toBeGreaterThan(50000);
      expect(letter.event.data.refused!.valueHead).toContain(`"id":"${row.event.id}"`);
      expect(letter.bytes).toBeLessThan(4000);
    }
    expect(await oversizeCount(updates, 'split')).toBeGreaterThanOrEqual(1);
    expect(await oversizeCount(updates, 'dead-lettered')).toBe(1);
    expect(await oversizeCount(alerts, 'dead-lettered')).toBe(1);
  }, 90000);
});

describe('the BMP collector and an oversize event', () => {
  /**
   * The collector's route and session topics, redirected to topics of this run (with limits of
   * their own: the shared topics' limits stay as they are). Everything else is the real gateway.
   */
  class RedirectingGateway extends KafkaGateway {
    constructor(private readonly redirects: Map<string, string>) {
      super({ ...config.kafka, instanceId: 'oversize-spec-collector' });
    }
    override publishSerialized(topic: string, events: readonly SerializedEvent[], options?: PublishOptions): Promise<void> {
      return super.publishSerialized(this.redirects.get(topic) ?? topic, events, options);
    }
    override requestBudget(topic: string): number {
      return super.requestBudget(this.redirects.get(topic) ?? topic);
    }
  }

  let collector: BmpCollectorService;
  let collectorGateway: RedirectingGateway;
  let router: Socket;

  afterAll(async () => {
    router?.destroy();
    await collector?.onApplicationShutdown();
    await collectorGateway?.onApplicationShutdown();
  }, 60000);

  /** An UPDATE of one prefix whose attributes differ with `index` (so a batch of them does not compress to nothing). */
  function announce(index: number, largeCommunities: string[] = []): Buffer {
    const message: RouteMonitoringMessage = {
      ...samples.routeMonitoringIpv4,
      update: {
        ...samples.routeMonitoringIpv4.update,
        withdrawnRoutes: [],
        attributes: [
          { kind: 'origin', origin: 'igp', code: 1, flags: 0x40 },
          { kind: 'asPath', segments: [{ kind: 'sequence', asns: [65001, 4200000000 + index] }], code: 2, flags: 0x50 },
          { kind: 'nextHop', nextHop: '169.254.101.1', code: 3, flags: 0x40 },
          { kind: 'multiExitDisc', med: index, code: 4, flags: 0x80 },
          ...(largeCommunities.length > 0
            ? [{ kind: 'largeCommunities' as const, communities: largeCommunities, code: 32, flags: 0xc0 }]
            : []),
        ],
        routes: [{ prefix: `10.${index >> 8}.${index & 255}.0/24` }],
      },
    };
    return encodeBmpMessage(message);
  }

  it('splits a route batch over the limit and dead-letters an UPDATE that cannot be split; the router’s stream goes on, in order, each route once', async () => {
    // 3,000 bytes: a batch of 300 routes with attributes of their own is about 4 kB compressed, an
    // UPDATE of 320 random large communities (3.8 kB of BGP, under 4,096) about 6 kB.
    const limit = 3000;
    const routes = topicName('bgp-routes');
    const sessions = topicName('bgp-sessions');
    await createTopic(routes, limit);
    await createTopic(sessions, LIMIT);
    collectorGateway = new RedirectingGateway(
      new Map([
        [TOPICS.routeEvents.name, routes],
        [TOPICS.sessionEvents.name, sessions],
      ]),
    );
    await collectorGateway.onModuleInit();
    const port = await freePort();
    const collectorConfig = testConfig({
      RB_BMP_PORT: String(port),
      RB_BMP_HOST: '127.0.0.1',
      RB_BMP_READ_WORKERS: '1',
      RB_BMP_PUBLISH_RETRY_MAX_MS: '1000',
    });
    // The inventory holds no host: the router is known by its sysName.
    collector = new BmpCollectorService(collectorConfig, collectorGateway, dataSource);
    await collector.onApplicationBootstrap();
    const received = await collect([routes]);

    const sysName = `oversize-${run}`;
    router = connect(port, '127.0.0.1');
    await new Promise<void>((resolve) => router.once('connect', () => resolve()));
    const started = Date.now();
    router.write(encodeBmpMessage({ kind: 'initiation', information: [{ type: 2, value: Buffer.from(sysName), text: sysName }] }));
    router.write(encodeBmpMessage(samples.peerUp));
    await new Promise((resolve) => setTimeout(resolve, 300));
    router.write(Buffer.concat(Array.from({ length: 300 }, (_, index) => announce(index))));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const large = Array.from({ length: 320 }, () => `${randomInt(2 ** 32 - 1)}:${randomInt(2 ** 32 - 1)}:${randomInt(2 ** 32 - 1)}`);
    router.write(announce(1000, large));
    await new Promise((resolve) => setTimeout(resolve, 300));
    router.write(Buffer.concat(Array.from({ length: 20 }, (_, index) => announce(2000 + index))));

    const expected = [...Array.from({ length: 300 }, (_, index) => index), ...Array.from({ length: 20 }, (_, index) => 2000 + index)].map(
      (index) => `10.${index >> 8}.${index & 255}.0/24`,
    );
    const prefixes = () =>
      received.flatMap(({ message }) =>
        unbatched(eventOf(message))
          .filter((event) => event.type === ROUTE_ANNOUNCED)
          .flatMap((event) => (event.data as RouteAnnouncedData).prefixes.map(({ prefix }) => prefix)),
      );
    await until('the routes after the refused one', () => (prefixes().length >= expected.length ? true : undefined), 30000);
    expect(Date.now() - started).toBeLessThan(20000);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(prefixes()).toEqual(expected);
    const types = received.map(({ message }) => eventOf(message).type);
    expect(types[0]).toBe(SESSION_UP);
    // The batch of 300 went as several smaller batches.
    expect(types.filter((type) => type === COMPACT_ROUTE_BATCH).length).toBeGreaterThanOrEqual(3);
    for (const { message } of received) expect(message.value!.length).toBeLessThan(40000);
    expect(await oversizeCount(routes, 'split')).toBeGreaterThanOrEqual(1);

    const [letter] = await until('the dead letter', () => {
      const letters = deadLettersFor(routes);
      return letters.length > 0 ? letters : undefined;
    });
    expect(letter!.event.data).toMatchObject({
      reason: expect.stringMatching(/^MESSAGE_TOO_LARGE: .*\(3000 bytes\)/),
      key: `${sysName}|169.254.101.1|65001`,
      refused: {
        producer: expect.stringContaining(`router ${sysName}`),
        eventType: ROUTE_ANNOUNCED,
        limitBytes: limit,
      },
    });
    expect(letter!.event.data.refused!.valueHead).toContain('"prefix":"10.3.232.0/24"');
    expect(await oversizeCount(routes, 'dead-lettered')).toBe(1);
  }, 90000);
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
