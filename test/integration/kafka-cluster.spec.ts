/**
 * route-broker on a real three-broker Kafka cluster (`scripts/kafka up --cluster`: KRaft, each node
 * broker and controller; the tests' cluster on RB_KAFKA_CLUSTER_PORT, 26092, and the next two hundreds). The application creates its topics with
 * replication factor 3 and min.insync.replicas 2 (RB_KAFKA_REPLICATION_FACTOR, RB_KAFKA_MIN_INSYNC_REPLICAS);
 * then, while route events flow through route-broker's own producer (idempotent, acks=all) to BRM,
 * the broker leading their partition is killed with SIGKILL (`scripts/kafka stop-broker N --kill`)
 * right after its two followers hung for a few seconds (`pause-broker`, SIGSTOP: a GC pause, a
 * stalled disk), so that it dies holding writes no follower has: with acks=all none of them was
 * acknowledged, and the producer sends them again to the new leader; with acks=1 they would be
 * acknowledged and lost. Writes and BRM must go on with the two others, the broker comes back and
 * catches up, and in the end the route-events partition holds every event exactly once in order,
 * the VPC table is exactly what the events say, its change log has every revision once, and BRM
 * has applied and committed everything.
 *
 * Node N of `scripts/kafka` is Kafka node.id N. This suite deletes route-broker's topics on that cluster
 * first, so that the application creates them; it kills and restarts one of its brokers, so it must
 * not run in parallel with another user of the cluster. The single broker is not touched.
 */
import type { INestApplication } from '@nestjs/common';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { Kafka, logLevel, type Admin, type ConfigResourceTypes, type Consumer, type ITopicMetadata } from 'kafkajs';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/common/database/data-source-options.js';
import { sessionKey, type SessionRef } from '../../src/common/events/bgp-events.js';
import type { RouteTableChangedData } from '../../src/common/events/vpc-events.js';
import { createCloudEvent, parseCloudEvent } from '../../src/common/kafka/cloud-event.js';
import { KafkaGateway, type OutgoingEvent } from '../../src/common/kafka/kafka.gateway.js';
import { TOPICS } from '../../src/common/kafka/topics.js';
import { metricsRegistry } from '../../src/common/metrics.js';
import { api, startTestApp } from './support/app.js';
import { testConfig } from './support/environment.js';
import { peSessionRef, routeEvents, type RouteStreamMessage } from './support/route-events.js';
import { loggedRevisions, outboxDrained, storedRoutes } from './support/stored-routes.js';
import { until } from './support/until.js';
import { createVpcInventory } from './support/vpc-inventory.js';
import { portAnswers } from './support/ports.js';
import { follow } from './support/consumer-groups.js';

const run = promisify(execFile);
// kafkajs' ConfigResourceTypes.TOPIC and ConfigSource.TOPIC_CONFIG (its enums are types only under ESM).
const TOPIC_RESOURCE = 2 as ConfigResourceTypes;
const TOPIC_CONFIG_SOURCE = 1;

// scripts/kafka up --cluster: node n listens on RB_KAFKA_CLUSTER_PORT + 100 (n - 1) (scripts/test-env).
const CLUSTER_PORT = Number(process.env.RB_KAFKA_CLUSTER_PORT);
const CLUSTER_BROKERS = [0, 100, 200].map((offset) => `127.0.0.1:${CLUSTER_PORT + offset}`).join(',');
const CLUSTER = {
  RB_KAFKA_BROKERS: CLUSTER_BROKERS,
  RB_KAFKA_REPLICATION_FACTOR: '3',
  RB_KAFKA_MIN_INSYNC_REPLICAS: '2',
};
const ROUTER = `cluster-host-${process.pid}`;
const PEER = '169.254.230.1';
const TOPIC = TOPICS.routeEvents.name;
/** Prefixes each round announces; the round two later withdraws the first half of them. */
const PER_ROUND = 10;
/** Rounds published before the kill, while the broker is down (after the failover), and after it is back. */
const ROUNDS_BEFORE = 40;
const ROUNDS_WHILE_DOWN = 40;
const ROUNDS_AFTER = 40;
/** How long the leader's followers hang before it is killed. */
const FOLLOWERS_HANG_MS = 3000;
/** A bound on the whole stream (the loop pauses briefly between rounds). */
const MAX_ROUNDS = 20000;

/** The n-th /24 of the stream: 11.0.0.0/24, 11.0.1.0/24, ... (11/8 is neither a bogon nor the VPC's). */
const prefixAt = (n: number): string => `${11 + (n >> 16)}.${(n >> 8) & 255}.${n & 255}.0/24`;
const announcedIn = (round: number): string[] => Array.from({ length: PER_ROUND }, (_, j) => prefixAt(round * PER_ROUND + j));
const withdrawnIn = (round: number): string[] => (round >= 2 ? announcedIn(round - 2).slice(0, PER_ROUND / 2) : []);

/** What `rounds` rounds leave in the table, and how many changes (revisions) they make. */
function expectedAfter(rounds: number): { prefixes: string[]; revisions: number } {
  const table = new Set<string>();
  let revisions = 0;
  for (let round = 0; round < rounds; round++) {
    for (const prefix of announcedIn(round)) table.add(prefix);
    for (const prefix of withdrawnIn(round)) table.delete(prefix);
    revisions += announcedIn(round).length + withdrawnIn(round).length;
  }
  return { prefixes: [...table].sort(), revisions };
}

/** How often the gateway replaced its producer (docs/deployment.md: a send whose outcome the producer never learnt). */
async function renewals(): Promise<number> {
  const metric = await metricsRegistry.getSingleMetric('route_broker_kafka_producer_renewals_total')?.get();
  return metric?.values[0]?.value ?? 0;
}

describe('route-broker on a three-broker Kafka cluster', () => {
  const group = `kafka-cluster-spec-${randomUUID()}`;
  const kafka = new Kafka({ clientId: 'kafka-cluster-spec', brokers: CLUSTER_BROKERS.split(','), logLevel: logLevel.NOTHING });
  let admin: Admin;
  let app: INestApplication | undefined;
  let gateway: KafkaGateway;
  let db: DataSource;
  let vpcId: number;
  let hostId: number;
  let reader: Consumer | undefined;
  /** Interconnect notifications of the VPC, by CloudEvent id, and how many arrived in all. */
  const notifications = new Map<string, RouteTableChangedData>();
  let notificationMessages = 0;
  /** A broker this suite stopped and has not started again (started in afterAll if the test failed). */
  let stoppedBroker: number | null = null;
  /** Brokers this suite paused and has not resumed (resumed in afterAll if the test failed). */
  const pausedBrokers = new Set<number>();
  /** Broker addresses by Kafka node id. */
  const addressOf = new Map<number, string>();

  const ref = (peer: string): SessionRef => peSessionRef(ROUTER, hostId, peer);
  const events = routeEvents(ref);
  /** The helpers' events as route-broker's gateway publishes them (the collector's producer). */
  const outgoing = (...messages: RouteStreamMessage[]): OutgoingEvent[] =>
    messages.map(({ type, peer, data }) => ({
      key: sessionKey(ref(peer)),
      event: createCloudEvent({ type, source: 'route-broker/kafka-cluster-spec/frr-server', data }),
    }));

  async function revision(): Promise<number> {
    const rows: { revision: string }[] = await db.query('SELECT revision FROM vpc_route_tables WHERE hosted_vpc_id = ?', [vpcId]);
    return rows.length === 0 ? 0 : Number(rows[0]!.revision);
  }

  async function hasRoute(prefix: string): Promise<boolean> {
    const rows: unknown[] = await db.query('SELECT 1 FROM vpc_routes WHERE hosted_vpc_id = ? AND prefix = ?', [vpcId, prefix]);
    return rows.length > 0;
  }

  async function metadataOf(topic: string): Promise<ITopicMetadata> {
    const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
    return topics[0]!;
  }

  /** The topic's metadata, or undefined while Kafka cannot give it (a partition without a leader during an election). */
  const metadataNow = (topic: string): Promise<ITopicMetadata | undefined> => metadataOf(topic).catch(() => undefined);

  beforeAll(async () => {
    admin = kafka.admin();
    await admin.connect();
    const { brokers } = await admin.describeCluster().catch((error: Error) => {
      throw new Error(`no Kafka cluster answers on ${CLUSTER_BROKERS} (${error.message}): run scripts/kafka up --cluster first`);
    });
    // A guard too: the topics deleted below must be the cluster's, never the single broker's.
    const nodeIds = brokers.map((broker) => broker.nodeId).sort();
    if (nodeIds.join() !== '1,2,3')
      throw new Error(`${CLUSTER_BROKERS} is not the three-node cluster of scripts/kafka up --cluster (brokers ${nodeIds.join(', ')})`);
    for (const { nodeId, host, port } of brokers) addressOf.set(nodeId, `${host}:${port}`);

    // route-broker's topics are created by the application below, as it does on a new cluster.
    const ours: string[] = Object.values(TOPICS).map((topic) => topic.name);
    const present = (await admin.listTopics()).filter((topic) => ours.includes(topic));
    if (present.length > 0) {
      await admin.deleteTopics({ topics: present, timeout: 30000 });
      await until(
        "route-broker's topics deleted on the cluster",
        async () => ((await admin.listTopics()).some((topic) => ours.includes(topic)) ? undefined : true),
        30000,
        250,
      );
    }

    app = await startTestApp({ ...CLUSTER, RB_ROLES: 'admin,brm', RB_BRM_CONSUMER_GROUP: group });
    gateway = app.get(KafkaGateway);
    db = await new DataSource(dataSourceOptions(testConfig().database)).initialize();
    ({ vpcId, hostId } = await createVpcInventory(api(app), { hostName: ROUTER, peers: [PEER], maxPrefix: 1_000_000 }));

    reader = await follow(kafka, `${group}-reader`, [TOPICS.interconnectRouteUpdates.name], (_topic, _partition, message) => {
      const parsed = parseCloudEvent(message.value);
      if (parsed.ok && (parsed.event.data as RouteTableChangedData).vpcId === vpcId) {
        notificationMessages++;
        notifications.set(parsed.event.id, parsed.event.data as RouteTableChangedData);
      }
    });
  }, 120000);

  afterAll(async () => {
    for (const broker of pausedBrokers) await run('scripts/kafka', ['resume-broker', String(broker)]).catch(() => undefined);
    if (stoppedBroker !== null)
      await run('scripts/kafka', ['start-broker', String(stoppedBroker)], { timeout: 150000 }).catch(() => undefined);
    await reader?.disconnect();
    await app?.close();
    await db?.destroy();
    await admin?.disconnect();
  }, 180000);

  it('creates its topics with replication factor 3 and min.insync.replicas 2', async () => {
    const specs = Object.values(TOPICS);
    const { topics } = await admin.fetchTopicMetadata({ topics: specs.map((spec) => spec.name) });
    expect(topics.map((topic) => topic.name).sort()).toEqual(specs.map((spec) => spec.name).sort());
    for (const topic of topics) {
      expect({ topic: topic.name, partitions: topic.partitions.length }).toEqual({ topic: topic.name, partitions: 3 });
      for (const partition of topic.partitions) {
        expect({ topic: topic.name, partition: partition.partitionId, replicas: [...partition.replicas].sort() }).toEqual({
          topic: topic.name,
          partition: partition.partitionId,
          replicas: [1, 2, 3],
        });
      }
    }

    // Set on each topic at creation (a topic override), not inherited from the brokers' own setting.
    const described = await admin.describeConfigs({
      includeSynonyms: false,
      resources: specs.map((spec) => ({ type: TOPIC_RESOURCE, name: spec.name, configNames: ['min.insync.replicas', 'cleanup.policy'] })),
    });
    for (const spec of specs) {
      const entries = described.resources.find((resource) => resource.resourceName === spec.name)!.configEntries;
      const entry = (name: string) => entries.find((configEntry) => configEntry.configName === name);
      const minInsync = entry('min.insync.replicas');
      expect({ topic: spec.name, value: minInsync?.configValue, source: minInsync?.configSource }).toEqual({
        topic: spec.name,
        value: '2',
        source: TOPIC_CONFIG_SOURCE,
      });
      expect({ topic: spec.name, cleanup: entry('cleanup.policy')?.configValue }).toEqual({
        topic: spec.name,
        cleanup: spec.compacted ? 'compact' : 'delete',
      });
    }
  });

  it('loses and repeats nothing when the leader of the route events dies ahead of its followers and comes back', async () => {
    const key = sessionKey(ref(PEER));
    const partition = KafkaGateway.partitionOf(key, 3);

    // The collector's part: the session, then rounds of announcements and withdrawals through
    // route-broker's producer, as fast as they go; a failed publish is retried from where it failed.
    const publishedIds: string[] = [];
    const failures: string[] = [];
    let rounds = 0;
    let stop = false;
    /** Set when the test failed: a publish gives up instead of retrying forever. */
    let abandoned = false;
    const publish = async (messages: OutgoingEvent[]): Promise<void> => {
      let rest = messages;
      for (;;) {
        const progress = { done: 0 };
        try {
          await gateway.publish(TOPIC, rest, { progress });
          publishedIds.push(...rest.map((message) => message.event!.id));
          return;
        } catch (error) {
          publishedIds.push(...rest.slice(0, progress.done).map((message) => message.event!.id));
          rest = rest.slice(progress.done);
          if (abandoned) throw error;
          failures.push(`${new Date().toISOString()} ${(error as Error).message}`);
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
      }
    };
    await publish(outgoing(events.up(PEER), events.endOfRib(PEER)));
    const loop = (async () => {
      while (!stop && rounds < MAX_ROUNDS) {
        const round = rounds;
        const messages = [events.announce(PEER, announcedIn(round), [65001, 65100])];
        if (withdrawnIn(round).length > 0) messages.push(events.withdraw(PEER, withdrawnIn(round)));
        await publish(outgoing(...messages));
        rounds = round + 1;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();

    try {
      await until('the first rounds published', () => (rounds >= ROUNDS_BEFORE ? true : undefined), 60000);
      await until('BRM applying them', async () => ((await revision()) > 0 ? true : undefined), 60000);

      // The followers of the session's partition hang while events flow; then its leader is killed
      // (what it appended meanwhile, only it has) and the followers go on.
      const before = (await metadataOf(TOPIC)).partitions.find((entry) => entry.partitionId === partition)!;
      const leader = before.leader;
      expect([...before.isr].sort()).toEqual([1, 2, 3]);
      const followers = before.replicas.filter((replica) => replica !== leader);
      for (const follower of followers) {
        pausedBrokers.add(follower);
        await run('scripts/kafka', ['pause-broker', String(follower)]);
      }
      await new Promise((resolve) => setTimeout(resolve, FOLLOWERS_HANG_MS));
      const roundsAtKill = rounds;
      stoppedBroker = leader;
      await run('scripts/kafka', ['stop-broker', String(leader), '--kill'], { timeout: 60000 });
      for (const follower of followers) {
        await run('scripts/kafka', ['resume-broker', String(follower)]);
        pausedBrokers.delete(follower);
      }
      expect(await portAnswers(addressOf.get(leader)!)).toBe(false);

      // Without it: another in-sync replica leads, writes go on (RF 3, two in sync >= min.insync.replicas 2)...
      await until(
        `another leader for ${TOPIC}/${partition}, broker ${leader} out of its ISR`,
        async () => {
          const now = (await metadataNow(TOPIC))?.partitions.find((entry) => entry.partitionId === partition);
          return now && now.leader !== leader && now.leader >= 0 && !now.isr.includes(leader) && now.isr.length === 2 ? true : undefined;
        },
        60000,
        250,
      );
      await until(
        `${ROUNDS_WHILE_DOWN} rounds published while broker ${leader} is down`,
        () => (rounds >= roundsAtKill + ROUNDS_WHILE_DOWN ? true : undefined),
        90000,
      );
      // ...and BRM applies them (its group's coordinator may have been on the dead broker).
      const whileDown = announcedIn(roundsAtKill + ROUNDS_WHILE_DOWN - 1)[PER_ROUND - 1]!;
      await until(
        `BRM to apply ${whileDown}, published while broker ${leader} is down`,
        () => hasRoute(whileDown).then((has) => has || undefined),
        90000,
      );
      expect(await portAnswers(addressOf.get(leader)!)).toBe(false);

      // Back: it catches up and rejoins the ISR of every partition it holds.
      await run('scripts/kafka', ['start-broker', String(leader)], { timeout: 150000 });
      stoppedBroker = null;
      const roundsAtRestart = rounds;
      await until('more rounds after the restart', () => (rounds >= roundsAtRestart + ROUNDS_AFTER ? true : undefined), 60000);
      stop = true;
      await loop;
      for (const topic of [TOPIC, TOPICS.interconnectRouteUpdates.name]) {
        await until(
          `broker ${leader} back in the ISR of every partition of ${topic}`,
          async () => ((await metadataNow(topic))?.partitions.every((entry) => entry.isr.length === 3) ? true : undefined),
          120000,
          500,
        );
      }
    } catch (error) {
      abandoned = true;
      throw error;
    } finally {
      stop = true;
      await loop.catch(() => undefined);
    }

    // Kafka holds every event published, once, in order: nothing lost, nothing repeated.
    const ends = await admin.fetchTopicOffsets(TOPIC);
    const end = ends.find((entry) => entry.partition === partition)!.high;
    const onKafka: string[] = [];
    const readBack = kafka.consumer({ groupId: `${group}-read-back` });
    await readBack.connect();
    try {
      await readBack.subscribe({ topics: [TOPIC], fromBeginning: true });
      let last = -1n;
      await readBack.run({
        eachMessage: ({ partition: from, message }) => {
          if (from !== partition) return Promise.resolve();
          last = BigInt(message.offset);
          const parsed = parseCloudEvent(message.value);
          if (message.key?.toString() === key && parsed.ok) onKafka.push(parsed.event.id);
          return Promise.resolve();
        },
      });
      await until('the partition read back', () => (last + 1n >= BigInt(end) ? true : undefined), 60000);
    } finally {
      await readBack.disconnect();
    }
    const stored = new Set(onKafka);
    const lost = publishedIds.filter((id) => !stored.has(id));
    expect({ published: publishedIds.length, lost: lost.length, repeated: onKafka.length - stored.size }).toEqual({
      published: publishedIds.length,
      lost: 0,
      repeated: 0,
    });
    expect(onKafka).toEqual(publishedIds);

    // BRM caught up: it applied (and committed) the partition to its end, and relayed what it changed.
    await until(
      "BRM's group committed up to the end of the partition",
      async () => {
        const [committed] = await admin.fetchOffsets({ groupId: group, topics: [TOPIC] });
        return committed?.partitions.find((entry) => entry.partition === partition)?.offset === end ? true : undefined;
      },
      180000,
      250,
    );
    const applied: { next_offset: string }[] = await db.query(
      'SELECT next_offset FROM kafka_applied_offsets WHERE consumer_group = ? AND topic = ? AND partition_no = ?',
      [group, TOPIC, partition],
    );
    expect(applied.map((row) => String(row.next_offset))).toEqual([end]);
    await outboxDrained(db);

    // The VPC table is exactly what the events say; its log has every revision once.
    const expected = expectedAfter(rounds);
    const table = await storedRoutes(db, vpcId);
    expect(await revision()).toBe(expected.revisions);
    expect([...table.keys()].sort()).toEqual(expected.prefixes);
    expect(new Set([...table.values()].map((route) => route.state))).toEqual(new Set(['active']));
    const log = await loggedRevisions(db, vpcId);
    expect(log.length).toBe(expected.revisions);
    expect(log.every((logged, index) => logged === index + 1)).toBe(true);

    // Each revision notified once on interconnect.route-updates.v1 (after dropping duplicates by id, as consumers do).
    await until(
      'every notification read back',
      () => ([...notifications.values()].some((message) => message.toRevision === expected.revisions) ? true : undefined),
      90000,
    );
    const notified = [...notifications.values()]
      .flatMap((message) => message.changes.map((change) => change.revision))
      .sort((a, b) => a - b);
    expect(notified.length).toBe(expected.revisions);
    expect(notified.every((value, index) => value === index + 1)).toBe(true);

    console.log(
      `kafka-cluster: ${rounds} rounds, ${publishedIds.length} route events, ${expected.revisions} revisions; ` +
        `${failures.length} publish attempts failed during the failover${failures.length > 0 ? ` (first: ${failures[0]})` : ''}; ` +
        `${notificationMessages - notifications.size} duplicate notifications dropped; ` +
        `producer replaced ${await renewals()} times (refused sequence numbers)`,
    );
  }, 420000);
});
