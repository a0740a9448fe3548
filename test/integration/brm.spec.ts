/**
 * BRM against the real Kafka and MariaDB: route-stream events published on bgp.route-events.v1
 * (as the collector would) become the VPC route table, the change log and the interconnect
 * notifications; bad events are dead-lettered; a redelivered batch is not applied twice.
 * (The whole path from the lab's FRR through the collector is in brm-lab.spec.ts.)
 */
import type { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, Partitioners, type Admin, type Consumer, type Producer } from 'kafkajs';
import { DataSource } from 'typeorm';
import { sessionKey, type SessionRef } from '../../src/common/events/bgp-events.js';
import type { RouteTableChangedData, VpcRoute } from '../../src/common/events/vpc-events.js';
import { dataSourceOptions } from '../../src/common/database/data-source-options.js';
import { parseCloudEvent } from '../../src/common/kafka/cloud-event.js';
import { metricsRegistry } from '../../src/common/metrics.js';
import { KafkaGateway } from '../../src/common/kafka/kafka.gateway.js';
import { TOPICS } from '../../src/common/kafka/topics.js';
import { createApp } from '../../src/bootstrap.js';
import { api, startTestApp } from './support/app.js';
import { testConfig } from './support/environment.js';
import { groupAtEnd, groupAtTopicEnd, peSessionRef, routeEvents, type RouteStreamMessage } from './support/route-events.js';
import { until } from './support/until.js';
import { loggedRevisions, storedRoutes } from './support/stored-routes.js';

const ROUTER = `brm-host-${process.pid}`;
const PEER_A = '169.254.200.1';
const PEER_B = '169.254.201.1';

describe('BRM with the real Kafka and MariaDB', () => {
  const group = `brm-spec-${randomUUID()}`;
  const kafka = new Kafka({ clientId: 'brm-spec', brokers: [...testConfig().kafka.brokers], logLevel: logLevel.NOTHING });
  let app: INestApplication;
  let admin: Admin;
  let producer: Producer;
  let consumer: Consumer;
  let db: DataSource;
  let hostId: number;
  let vpcId: number;
  const sessionIds: Record<string, number> = {};
  const notifications: RouteTableChangedData[] = [];
  const deadLetters: { reason: string; key: string | null }[] = [];

  const ref = (peer: string): SessionRef => peSessionRef(ROUTER, hostId, peer);
  const { up, announce, withdraw, endOfRib, down, batch, compactBatch, publish: send } = routeEvents(ref);
  const publish = (...events: RouteStreamMessage[]) => send(producer, 'brm-spec', ...events);

  async function revision(): Promise<number> {
    const rows: { revision: string }[] = await db.query('SELECT revision FROM vpc_route_tables WHERE hosted_vpc_id = ?', [vpcId]);
    return rows.length === 0 ? 0 : Number(rows[0]!.revision);
  }

  async function routes(): Promise<Record<string, { state: string; entry: VpcRoute }>> {
    return Object.fromEntries(await storedRoutes(db, vpcId));
  }

  /** Waits until what BRM stored passes `check`. */
  async function settled(what: string, check: () => Promise<boolean>): Promise<void> {
    await until(what, async () => ((await check()) ? true : undefined), 30000, 100);
  }

  let startOffsets: { partition: number; offset: string }[] = [];

  /** A metric's value for the series with these labels (0: no such series yet). */
  async function metricValue(name: string, labels: Record<string, string>): Promise<number> {
    const values = (await metricsRegistry.getSingleMetric(name)?.get())?.values ?? [];
    const wanted = Object.entries(labels);
    return values.find((value) => wanted.every(([key, text]) => String(value.labels[key]) === text))?.value ?? 0;
  }

  beforeAll(async () => {
    admin = kafka.admin();
    await admin.connect();
    producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    startOffsets = await groupAtTopicEnd(admin, group);
    app = await startTestApp({ RB_ROLES: 'admin,brm', RB_BRM_CONSUMER_GROUP: group });
    db = await new DataSource(dataSourceOptions(testConfig().database)).initialize();

    const since = Date.now();
    // What this run publishes comes after the topics' current ends; on a dev machine they may hold
    // gigabytes from benchmarks, which reading from the beginning would have to get through first.
    for (const topic of [TOPICS.interconnectRouteUpdates.name, TOPICS.deadLetter.name]) await groupAtEnd(admin, `${group}-reader`, topic);
    consumer = kafka.consumer({ groupId: `${group}-reader` });
    await consumer.connect();
    await consumer.subscribe({ topics: [TOPICS.interconnectRouteUpdates.name, TOPICS.deadLetter.name], fromBeginning: true });
    await consumer.run({
      eachMessage: ({ topic, message }) => {
        const parsed = parseCloudEvent(message.value);
        if (!parsed.ok || Date.parse(parsed.event.time) < since) return Promise.resolve();
        if (topic === TOPICS.deadLetter.name)
          deadLetters.push({ ...(parsed.event.data as { reason: string }), key: message.key?.toString() ?? null });
        else if ((parsed.event.data as RouteTableChangedData).vpcId === vpcId)
          notifications.push(parsed.event.data as RouteTableChangedData);
        return Promise.resolve();
      },
    });

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
    const peId = (await http.operator.post('/pes', { name: 'pe', underlayAddress: '198.51.100.1', asn: 65001, owner: 'acme' }).expect(201))
      .body.id;
    vpcId = (await http.operator.post('/hosted-vpcs', { name: 'vpc', regionId, owner: 'acme', cidrs: ['10.10.0.0/16'] }).expect(201)).body
      .id;
    for (const [index, peer] of [PEER_A, PEER_B].entries()) {
      const tunnelId = (
        await http.operator
          .post('/gre-tunnels', {
            hostId,
            peId,
            interfaceName: `gre-t${index}`,
            tunnelKey: 100 + index,
            localInnerAddress: peer.replace(/\.1$/, '.2'),
            remoteInnerAddress: peer,
            innerPrefixLength: 30,
          })
          .expect(201)
      ).body.id;
      sessionIds[peer] = (
        await http.operator
          .post('/bgp-sessions', { tunnelId, hostedVpcId: vpcId, peerAsn: 65001, peerAddress: peer, maxPrefix: 5 })
          .expect(201)
      ).body.id;
    }
  }, 90000);

  afterAll(async () => {
    await consumer?.disconnect();
    await producer?.disconnect();
    await admin?.disconnect();
    await db?.destroy();
    await app?.close();
  });

  it('puts accepted routes in the table and keeps rejected ones with the reason', async () => {
    await publish(
      up(PEER_A),
      announce(PEER_A, ['45.64.1.0/24', '10.10.1.0/24', '192.168.0.0/16', '198.18.0.0/15', '100.70.0.0/25'], [65001, 4200000001]),
      endOfRib(PEER_A),
    );
    await settled('the first announcements applied', async () => (await revision()) >= 5);
    const table = await routes();
    expect(Object.keys(table).sort()).toEqual(['192.168.0.0/16', '45.64.1.0/24']);
    expect(table['45.64.1.0/24']!.state).toBe('active');
    expect(table['45.64.1.0/24']!.entry.activeNextHops).toEqual([
      expect.objectContaining({ sessionId: sessionIds[PEER_A], nextHop: PEER_A }),
    ]);
    const rejected: { prefix: string; reason: string }[] = await db.query(
      'SELECT prefix, reason FROM vpc_rejected_routes WHERE hosted_vpc_id = ? ORDER BY prefix',
      [vpcId],
    );
    expect(rejected).toEqual([
      { prefix: '10.10.1.0/24', reason: 'overlaps-vpc-cidr' },
      { prefix: '100.70.0.0/25', reason: 'prefix-length' },
      { prefix: '198.18.0.0/15', reason: 'bogon' },
    ]);
  });

  it('prefers the shorter AS path from the second session, and falls back when it withdraws', async () => {
    await publish(up(PEER_B), announce(PEER_B, ['45.64.1.0/24'], [65001]), endOfRib(PEER_B));
    await settled(
      'the second session preferred',
      async () => (await routes())['45.64.1.0/24']?.entry.activeNextHops[0]?.nextHop === PEER_B,
    );
    const entry = (await routes())['45.64.1.0/24']!.entry;
    expect(entry.paths.map((path) => [path.nextHop, path.state])).toEqual([
      [PEER_B, 'active'],
      [PEER_A, 'standby'],
    ]);

    await publish(withdraw(PEER_B, ['45.64.1.0/24']));
    await settled('back to the first session', async () => (await routes())['45.64.1.0/24']?.entry.activeNextHops[0]?.nextHop === PEER_A);
    expect((await routes())['45.64.1.0/24']!.entry.paths).toHaveLength(1);
  });

  it('keeps routes stale across a session flap and sweeps what End-of-RIB did not re-announce', async () => {
    await publish(down(PEER_A));
    await settled('routes stale after the session went down', async () =>
      Object.values(await routes()).every((route) => route.state === 'stale'),
    );
    expect(Object.keys(await routes()).sort()).toEqual(['192.168.0.0/16', '45.64.1.0/24']);

    await publish(up(PEER_A), announce(PEER_A, ['45.64.1.0/24'], [65001, 4200000001]), endOfRib(PEER_A));
    await settled('the swept route removed', async () => {
      const table = await routes();
      return Object.keys(table).length === 1 && table['45.64.1.0/24']?.state === 'active';
    });
  });

  it('dead-letters an event that breaks the contract, with the field, and goes on', async () => {
    const invalid = { topic: TOPICS.routeEvents.name, kind: 'invalid' };
    const lettersBefore = await metricValue('route_broker_kafka_dead_letters_total', invalid);
    const before = await revision();
    const broken = announce(PEER_A, ['45.64.1.0/24'], [65001]);
    (broken.data as Record<string, unknown>).prefixes = 'not-a-list';
    await publish(broken, announce(PEER_A, ['45.64.2.0/24'], [65001]));
    await settled('the valid event after the broken one applied', async () => '45.64.2.0/24' in (await routes()));
    expect(await revision()).toBe(before + 1);
    const letter = await until('the dead letter', () => deadLetters.find((item) => item.reason.includes('data.prefixes')));
    expect(letter.reason).toBe('data.prefixes must be an array');
    expect(letter.key).toBe(sessionKey(ref(PEER_A)));
    // Counted once sent, by the original topic and a bounded kind (the reason is in the letter).
    await until('the dead letter counted', async () =>
      (await metricValue('route_broker_kafka_dead_letters_total', invalid)) > lettersBefore ? true : undefined,
    );
    expect(await metricValue('route_broker_kafka_dead_letters_total', invalid)).toBe(lettersBefore + 1);
  });

  it('applies a route batch as its events in order, and dead-letters a batch with a broken event, naming it', async () => {
    const before = await revision();
    await publish(
      batch(
        PEER_A,
        announce(PEER_A, ['45.64.3.0/24'], [65001]),
        announce(PEER_A, ['45.64.4.0/24'], [65001]),
        withdraw(PEER_A, ['45.64.3.0/24']),
      ),
    );
    await settled('the batch applied', async () => (await revision()) >= before + 3);
    const table = await routes();
    expect('45.64.4.0/24' in table && !('45.64.3.0/24' in table)).toBe(true);
    expect(await revision()).toBe(before + 3);

    const broken = announce(PEER_A, ['45.64.5.0/24'], [65001]);
    (broken.data as Record<string, unknown>).prefixes = 'not-a-list';
    await publish(batch(PEER_A, announce(PEER_A, ['45.64.6.0/24'], [65001]), broken), announce(PEER_A, ['45.64.7.0/24'], [65001]));
    await settled('the valid event after the broken batch applied', async () => '45.64.7.0/24' in (await routes()));
    // Nothing of the broken batch: not even its valid first event.
    expect('45.64.6.0/24' in (await routes())).toBe(false);
    expect(await revision()).toBe(before + 4);
    const letter = await until('the dead letter', () => deadLetters.find((item) => item.reason.includes('data.events[1]')));
    expect(letter.reason).toBe('data.events[1].data.prefixes must be an array');
  });

  it('applies a compact route batch (v2) as the routes it stands for, and dead-letters one whose tuple points outside its tables', async () => {
    // Room under the session's max-prefix of 5 first (45.64.2.0/24 stays: the restart test below needs it).
    const mine = (route: { entry: VpcRoute }) => route.entry.paths.some((path) => path.sessionId === sessionIds[PEER_A]);
    const held = Object.entries(await routes())
      .filter(([prefix, route]) => mine(route) && prefix !== '45.64.2.0/24')
      .map(([prefix]) => prefix);
    if (held.length > 0) await publish(withdraw(PEER_A, held));
    await settled('room for three more routes', async () => Object.values(await routes()).filter(mine).length <= 2);
    const before = await revision();
    await publish(
      compactBatch(
        PEER_A,
        announce(PEER_A, ['45.64.8.0/24', '45.64.9.0/24'], [65001, 64700]),
        announce(PEER_A, ['45.64.10.0/24'], [65001]),
        withdraw(PEER_A, ['45.64.8.0/24']),
      ),
    );
    await settled('the compact batch applied', async () => (await revision()) >= before + 4);
    const table = await routes();
    expect(['45.64.8.0/24', '45.64.9.0/24', '45.64.10.0/24'].map((prefix) => prefix in table)).toEqual([false, true, true]);
    expect(table['45.64.9.0/24']!.entry.paths[0]!.asPath).toEqual([65001, 64700]);
    expect(await revision()).toBe(before + 4);

    const broken = compactBatch(PEER_A, announce(PEER_A, ['45.64.11.0/24'], [65001]), announce(PEER_A, ['45.64.12.0/24'], [65002]));
    const events = (broken.data as { events: unknown[][] }).events;
    events[1]![5] = 9;
    await publish(broken, announce(PEER_A, ['45.64.13.0/24'], [65001]));
    await settled('the valid event after the broken compact batch applied', async () => '45.64.13.0/24' in (await routes()));
    expect('45.64.11.0/24' in (await routes())).toBe(false);
    expect(await revision()).toBe(before + 5);
    const letter = await until('the dead letter', () => deadLetters.find((item) => item.reason.includes('data.events[1][5]')));
    expect(letter.reason).toBe('data.events[1][5] must be an index into data.attributes');
  });

  it('notifies every revision exactly once, in order, and the notifications rebuild the table', async () => {
    const last = await revision();
    await until('notifications up to the last revision', () =>
      notifications.some((message) => message.toRevision === last) ? true : undefined,
    );
    const byId = [...notifications].sort((a, b) => a.fromRevision - b.fromRevision);
    const revisions = byId.flatMap((message) => message.changes.map((change) => change.revision));
    expect(revisions).toEqual(Array.from({ length: last }, (_, index) => index + 1));

    const rebuilt = new Map<string, VpcRoute>();
    for (const change of byId.flatMap((message) => message.changes)) {
      if (change.action === 'reject') continue;
      if (change.route) rebuilt.set(change.prefix, change.route);
      else rebuilt.delete(change.prefix);
    }
    const table = await routes();
    expect(Object.fromEntries(rebuilt)).toEqual(Object.fromEntries(Object.entries(table).map(([prefix, route]) => [prefix, route.entry])));

    const log = await loggedRevisions(db, vpcId);
    expect(log).toEqual(revisions);

    // The relay took changes from the batches that committed them (not only from the change log).
    const bySource = Object.fromEntries(
      (await metricsRegistry.getSingleMetric('route_broker_outbox_notified_changes_total')!.get()).values.map(({ labels, value }) => [
        labels.source,
        value,
      ]),
    );
    expect(bySource.committed).toBeGreaterThan(0);
    expect((bySource.committed ?? 0) + (bySource['change-log'] ?? 0)).toBeGreaterThanOrEqual(last);
    // One VPC in this file: the changes counted (after their commits) are its revisions, once each.
    const counted = (await metricsRegistry.getSingleMetric('route_broker_brm_route_changes_total')!.get()).values;
    expect(counted.reduce((sum, { value }) => sum + value, 0)).toBe(last);

    // BRM's consumer lag: a series for the partition this file's sessions use, at 0 once everything is applied.
    const lag = {
      group,
      topic: TOPICS.routeEvents.name,
      partition: String(KafkaGateway.partitionOf(sessionKey(ref(PEER_A)), startOffsets.length)),
    };
    const lagSeries = async () =>
      (await metricsRegistry.getSingleMetric('route_broker_kafka_consumer_lag')!.get()).values.filter(
        (value) => value.labels.group === group && value.labels.topic === lag.topic && value.labels.partition === lag.partition,
      );
    await until('no lag left', async () => ((await lagSeries()).some((value) => value.value === 0) ? true : undefined));
    expect((await lagSeries()).map((value) => value.value)).toEqual([0]);
  });

  it('after a restart that redelivers applied events, applies none of them twice', async () => {
    const before = await revision();
    const outboxBefore: { n: string }[] = await db.query('SELECT COUNT(*) AS n FROM outbox');
    await app.close();
    // As if the process died after the database commits and before the Kafka commits: rewind the
    // group to where this suite started, so every event it published is delivered again.
    await admin.setOffsets({ groupId: group, topic: TOPICS.routeEvents.name, partitions: startOffsets });
    app = await createApp(testConfig({ RB_ROLES: 'brm', RB_BRM_CONSUMER_GROUP: group }));
    await app.init();
    // A new event after the replayed ones shows the replay was consumed.
    await publish(announce(PEER_B, ['45.64.2.0/24'], [65001]));
    await settled('the new event applied', async () => (await routes())['45.64.2.0/24']?.entry.paths.length === 2);
    expect(await revision()).toBe(before + 1);
    const outboxAfter: { n: string }[] = await db.query('SELECT COUNT(*) AS n FROM outbox');
    expect(Number(outboxAfter[0]!.n)).toBe(Number(outboxBefore[0]!.n) + 1);
  });
});
