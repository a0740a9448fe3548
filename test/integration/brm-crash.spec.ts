/**
 * BRM crash safety with real processes (`node dist/main.js`, role brm), the real Kafka and the real
 * MariaDB: one instance is killed with SIGKILL in the middle of a stream of 35,000 route changes,
 * then two instances in the same consumer group finish it (sharing the partitions, both writing
 * the one VPC); then Kafka itself is stopped and started again under them. Each time the table must
 * end exact, the revisions 1..N without a gap or repeat, and every revision notified on
 * interconnect.route-updates.v1 exactly once after dropping duplicates by id. This suite stops
 * and starts the real Kafka (scripts/kafka): it must not run in parallel with other suites.
 * Needs `npm run build` first (scripts/test does it).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { Kafka, logLevel, Partitioners, type Consumer, type Producer } from 'kafkajs';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/common/database/data-source-options.js';
import type { SessionRef } from '../../src/common/events/bgp-events.js';
import type { RouteTableChangedData } from '../../src/common/events/vpc-events.js';
import { parseCloudEvent } from '../../src/common/kafka/cloud-event.js';
import { TOPICS } from '../../src/common/kafka/topics.js';
import { api, startTestApp } from './support/app.js';
import { testConfig, testEnv } from './support/environment.js';
import { groupAtTopicEnd, peSessionRef, routeEvents, type RouteStreamMessage } from './support/route-events.js';
import { startKafka, stopKafka } from './support/outages.js';
import { until } from './support/until.js';
import { follow } from './support/consumer-groups.js';
import { loggedRevisions, outboxDrained } from './support/stored-routes.js';

const MAIN = 'dist/main.js';
const ROUTER = `brm-crash-host-${process.pid}`;
const INSTANCE = `brm-crash-${process.pid}`;
const PEERS = ['169.254.220.1', '169.254.221.1'];
const PER_PEER = 15_000;
const WITHDRAWN_PER_PEER = 2_500;
const PER_EVENT = 20;

function startBrm(group: string, name: string, port: number): { child: ChildProcess; exited: Promise<unknown> } {
  const child = spawn(process.execPath, [MAIN], {
    env: {
      PATH: process.env.PATH ?? '',
      ...testEnv({
        RB_ROLES: 'brm',
        RB_BRM_CONSUMER_GROUP: group,
        RB_INSTANCE_ID: `${INSTANCE}-${name}`,
        RB_HTTP_PORT: String(port),
        RB_HTTP_HOST: '127.0.0.1',
        RB_LOG_LEVEL: 'warn',
      }),
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return { child, exited: new Promise((resolve) => child.once('exit', resolve)) };
}

/** The /24s a peer announces: 11.x for the first peer, 12.x for the second. */
const prefixesOf = (peerIndex: number): string[] =>
  Array.from({ length: PER_PEER }, (_, i) => `${11 + peerIndex}.${Math.floor(i / 256)}.${i % 256}.0/24`);

describe('BRM crash safety with real processes', () => {
  const group = `brm-crash-spec-${randomUUID()}`;
  const kafka = new Kafka({ clientId: 'brm-crash-spec', brokers: [...testConfig().kafka.brokers], logLevel: logLevel.NOTHING });
  let producer: Producer;
  let reader: Consumer;
  let db: DataSource;
  let hostId: number;
  let vpcId: number;
  const notifications = new Map<string, RouteTableChangedData>();
  const running: { child: ChildProcess; exited: Promise<unknown> }[] = [];

  const ref = (peer: string): SessionRef => peSessionRef(ROUTER, hostId, peer);
  const events = routeEvents(ref);

  async function revision(): Promise<number> {
    const rows: { revision: string }[] = await db.query('SELECT revision FROM vpc_route_tables WHERE hosted_vpc_id = ?', [vpcId]);
    return rows.length === 0 ? 0 : Number(rows[0]!.revision);
  }

  const expectedPrefixes = (): string[] => PEERS.flatMap((_, index) => prefixesOf(index).slice(WITHDRAWN_PER_PEER));

  /** The table holds `prefixes`, the log revisions 1..total once each, and so do the notifications. */
  async function expectExact(total: number, prefixes: string[]): Promise<void> {
    const rows: { prefix: string; state: string }[] = await db.query('SELECT prefix, state FROM vpc_routes WHERE hosted_vpc_id = ?', [
      vpcId,
    ]);
    expect(rows.map((row) => row.prefix).sort()).toEqual([...prefixes].sort());
    expect(new Set(rows.map((row) => row.state))).toEqual(new Set(['active']));

    const log = await loggedRevisions(db, vpcId);
    expect(log.length).toBe(total);
    expect(log.every((revision, index) => revision === index + 1)).toBe(true);

    // After dropping duplicates by id: every revision exactly once.
    await until(
      'every notification read back',
      () => ([...notifications.values()].some((message) => message.vpcId === vpcId && message.toRevision === total) ? true : undefined),
      90000,
    );
    const notified = [...notifications.values()]
      .filter((message) => message.vpcId === vpcId)
      .flatMap((message) => message.changes.map((change) => change.revision))
      .sort((a, b) => a - b);
    expect(notified.length).toBe(total);
    expect(notified.every((value, index) => value === index + 1)).toBe(true);
  }

  beforeAll(async () => {
    if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run npm run build first`);
    // The inventory through the API of an in-process app (it also runs the migrations on a fresh database).
    const app = await startTestApp({ RB_ROLES: 'admin' });
    try {
      const http = api(app);
      const regionId = (await http.operator.post('/regions', { code: 'cn-gd' }).expect(201)).body.id;
      hostId = (
        await http.operator
          .post('/hosts', {
            name: ROUTER,
            regionId,
            zone: 'a',
            managementAddress: '127.0.0.1',
            underlayAddress: '192.0.2.11',
            routerId: '192.0.2.11',
            asn: 64512,
          })
          .expect(201)
      ).body.id;
      const peId = (
        await http.operator.post('/pes', { name: 'pe', underlayAddress: '198.51.100.1', asn: 65001, owner: 'acme' }).expect(201)
      ).body.id;
      vpcId = (await http.operator.post('/hosted-vpcs', { name: 'vpc', regionId, owner: 'acme', cidrs: ['10.10.0.0/16'] }).expect(201)).body
        .id;
      for (const [index, peer] of PEERS.entries()) {
        const tunnelId = (
          await http.operator
            .post('/gre-tunnels', {
              hostId,
              peId,
              interfaceName: `gre-c${index}`,
              tunnelKey: 300 + index,
              localInnerAddress: peer.replace(/\.1$/, '.2'),
              remoteInnerAddress: peer,
              innerPrefixLength: 30,
            })
            .expect(201)
        ).body.id;
        await http.operator
          .post('/bgp-sessions', { tunnelId, hostedVpcId: vpcId, peerAsn: 65001, peerAddress: peer, maxPrefix: 100_000 })
          .expect(201);
      }
    } finally {
      await app.close();
    }
    db = await new DataSource(dataSourceOptions(testConfig().database)).initialize();

    const admin = kafka.admin();
    await admin.connect();
    await groupAtTopicEnd(admin, group);
    // The reader starts where the notifications end now: what earlier runs left there is not read through.
    reader = await follow(
      kafka,
      `${group}-reader`,
      [TOPICS.interconnectRouteUpdates.name],
      (_topic, _partition, message) => {
        const parsed = parseCloudEvent(message.value);
        if (parsed.ok && parsed.event.source.startsWith(`route-broker/${INSTANCE}-`)) {
          notifications.set(parsed.event.id, parsed.event.data as RouteTableChangedData);
        }
      },
      { endsNow: admin },
    );
    await admin.disconnect();
    producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
  }, 120000);

  afterAll(async () => {
    await startKafka().catch(() => undefined);
    for (const { child } of running) child.kill('SIGKILL');
    await Promise.all(running.map(({ exited }) => exited));
    await reader?.disconnect();
    await producer?.disconnect();
    await db?.destroy();
  });

  it('ends exact after a SIGKILL mid-stream and two instances finishing it', async () => {
    // Each peer: up, its announcements, End-of-RIB, then withdrawals of its first prefixes.
    for (const [index, peer] of PEERS.entries()) {
      const prefixes = prefixesOf(index);
      const stream: RouteStreamMessage[] = [events.up(peer)];
      for (let start = 0; start < prefixes.length; start += PER_EVENT) {
        stream.push(events.announce(peer, prefixes.slice(start, start + PER_EVENT), [65001, 65100 + index]));
      }
      stream.push(events.endOfRib(peer));
      for (let start = 0; start < WITHDRAWN_PER_PEER; start += PER_EVENT) {
        stream.push(events.withdraw(peer, prefixes.slice(start, start + PER_EVENT)));
      }
      for (let start = 0; start < stream.length; start += 500) {
        await events.publish(producer, 'brm-crash-spec', ...stream.slice(start, start + 500));
      }
    }
    const total = PEERS.length * (PER_PEER + WITHDRAWN_PER_PEER);

    const first = startBrm(group, 'a', 18401);
    running.push(first);
    await until('the first instance mid-way', async () => ((await revision()) >= 3000 ? true : undefined), 90000, 20);
    first.child.kill('SIGKILL');
    await first.exited;
    const atKill = await revision();
    expect(atKill).toBeLessThan(total);

    running.push(startBrm(group, 'b', 18402), startBrm(group, 'c', 18403));
    await until('every change applied', async () => ((await revision()) >= total ? true : undefined), 180000, 200);
    await outboxDrained(db);
    expect(await revision()).toBe(total);

    await expectExact(total, expectedPrefixes());
  }, 300000);

  it('ends exact when Kafka is stopped and started again under the running instances', async () => {
    const before = await revision();
    const added = Array.from({ length: 40_000 }, (_, i) => `13.${Math.floor(i / 256)}.${i % 256}.0/24`);
    const stream: RouteStreamMessage[] = [];
    for (let start = 0; start < added.length; start += PER_EVENT) {
      stream.push(events.announce(PEERS[0]!, added.slice(start, start + PER_EVENT), [65001, 65100]));
    }
    for (let start = 0; start < stream.length; start += 500) {
      await events.publish(producer, 'brm-crash-spec', ...stream.slice(start, start + 500));
    }
    const atOutage = await until(
      'the instances mid-way',
      async () => {
        const now = await revision();
        return now >= before + 1000 ? now : undefined;
      },
      90000,
      20,
    );
    // Measured as the outage begins: the instances apply what they already fetched while Kafka
    // shuts down (seconds), so a later reading may already be complete.
    await stopKafka();
    await new Promise((resolve) => setTimeout(resolve, 2000));
    await startKafka();

    const total = before + added.length;
    await until('every change applied after the restart', async () => ((await revision()) >= total ? true : undefined), 180000, 200);
    await outboxDrained(db);
    expect(atOutage).toBeLessThan(total);
    expect(await revision()).toBe(total);
    await expectExact(total, [...expectedPrefixes(), ...added]);
  }, 400000);

  it('commits a large session loss in parts, and after a SIGKILL between them withdraws what is left', async () => {
    const before = await revision();
    const held: { prefix: string }[] = await db.query(
      "SELECT prefix FROM vpc_routes WHERE hosted_vpc_id = ? AND state = 'active' AND prefix NOT LIKE '12.%'",
      [vpcId],
    );
    // More than BRM's part (10,000 prefixes): peer 0's 12,500 of the first test and 40,000 of the second.
    expect(held.length).toBe(PER_PEER - WITHDRAWN_PER_PEER + 40_000);
    const total = before + held.length;
    await events.publish(producer, 'brm-crash-spec', events.closed(PEERS[0]!));
    // Killed as soon as a part is committed: both instances, as either may hold the partition.
    const atKill = await until(
      'the first part of the loss committed',
      async () => {
        const now = await revision();
        return now > before ? now : undefined;
      },
      90000,
      10,
    );
    for (const { child } of running) child.kill('SIGKILL');
    await Promise.all(running.map(({ exited }) => exited));
    const afterKill = await revision();
    // Committed in parts: the first commit holds some of the withdrawals, and the kill came before the last.
    expect(atKill).toBeGreaterThan(before);
    expect(afterKill).toBeLessThan(total);
    const [{ active }] = await db.query<[{ active: string }]>(
      "SELECT COUNT(*) AS active FROM vpc_routes WHERE hosted_vpc_id = ? AND prefix NOT LIKE '12.%'",
      [vpcId],
    );
    // Every stored part is a consistent table: what is left is what the revision says.
    expect(Number(active)).toBe(total - afterKill);

    running.push(startBrm(group, 'd', 18404));
    await until('the loss applied in full', async () => ((await revision()) >= total ? true : undefined), 180000, 200);
    await outboxDrained(db);
    expect(await revision()).toBe(total);
    await expectExact(total, prefixesOf(1).slice(WITHDRAWN_PER_PEER));
  }, 400000);
});
