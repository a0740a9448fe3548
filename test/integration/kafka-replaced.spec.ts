/**
 * Kafka replaced under route-broker (issue #23): the route-events topic is deleted and created
 * again while BRM is stopped, with route changes on the old topic that BRM never applied. The new
 * topic counts its offsets from 0 again, below what BRM stored: before topic IDs were kept, BRM
 * took every new event for one already applied and skipped it, and the VPC table stopped following
 * FRR without a word. Now BRM sees the topic's new ID, applies the new events, and asks the
 * collectors for a fresh dump, which brings back what the lost events carried.
 *
 * Real parts: the lab's FRR (the PE announces to host 1, whose bgpd streams BMP), the collector
 * and BRM in two applications, the real Kafka (the topic really deleted) and MariaDB.
 */
import type { INestApplication } from '@nestjs/common';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/common/database/data-source-options.js';
import { fetchTopicIdentities } from '../../src/common/kafka/topic-identity.js';
import { TOPICS } from '../../src/common/kafka/topics.js';
import { groupAtTopicEnd } from './support/consumer-groups.js';
import { api, restartTestApp, startTestApp } from './support/app.js';
import { READ_TOKEN, testConfig } from './support/environment.js';
import { createLabInventory, LAB_HOST as HOST_NS, LAB_PE as PE_NS } from './support/lab-inventory.js';
import { configure, vtysh } from './support/lab-vtysh.js';
import { until } from './support/until.js';
import { storedRoutes } from './support/stored-routes.js';
import { uplinkRootAddress } from './support/lab.js';

const COLLECTOR_PORT = 11131;
const TARGET = 'rbreplaced';
const TOPIC = TOPICS.routeEvents.name;
/** A1 and A2 before; with BRM stopped A2 is withdrawn and A3 announced (lost with the old topic); A4 on the new topic. */
const [A1, A2, A3, A4] = ['45.66.1.0/24', '45.66.2.0/24', '45.66.3.0/24', '45.66.4.0/24'] as const;
const OURS = [A1, A2, A3, A4];

describe('Kafka replaced: the route-events topic recreated while BRM is stopped', () => {
  let collector: INestApplication;
  let brm: INestApplication | null = null;
  let db: DataSource;
  let admin: Admin;
  let vpcId: number;
  let group: string;
  const config = testConfig();

  /** The test's prefixes in the VPC table. */
  async function ourRoutes(): Promise<string[]> {
    return [...(await storedRoutes(db, vpcId)).keys()].filter((prefix) => OURS.includes(prefix as (typeof OURS)[number]));
  }

  /** The test's prefixes the host learnt from the PE, as FRR shows them. */
  async function hostRoutes(): Promise<string[]> {
    const routes = JSON.parse(await vtysh(HOST_NS, 'show bgp ipv4 unicast json')).routes as Record<string, unknown>;
    return Object.keys(routes)
      .filter((prefix) => OURS.includes(prefix as (typeof OURS)[number]))
      .sort();
  }

  async function messagesOnTopic(): Promise<bigint> {
    const offsets = await admin.fetchTopicOffsets(TOPIC);
    return offsets.reduce((sum, { high }) => sum + BigInt(high), 0n);
  }

  const announce = (prefix: string) =>
    configure(PE_NS, `ip route ${prefix} blackhole`, 'router bgp 65001', 'address-family ipv4 unicast', `network ${prefix}`);

  beforeAll(async () => {
    await vtysh(HOST_NS, 'show bgp summary json').catch(() => {
      throw new Error('the FRR lab is not up: run scripts/lab up first');
    });
    admin = new Kafka({ clientId: 'kafka-replaced-spec', brokers: [...config.kafka.brokers], logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    group = await groupAtTopicEnd('kafka-replaced-spec', TOPIC);
    collector = await startTestApp({ RB_ROLES: 'frr-server,admin', RB_BMP_PORT: String(COLLECTOR_PORT), RB_BMP_HOST: '0.0.0.0' });
    brm = await restartTestApp({ RB_ROLES: 'brm', RB_BRM_CONSUMER_GROUP: group });
    db = await new DataSource(dataSourceOptions(config.database)).initialize();
    ({ vpcId } = await createLabInventory(api(collector), { tunnelProvisioning: 'external' }));
    await configure(
      HOST_NS,
      'router bgp 64512',
      `bmp targets ${TARGET}`,
      `bmp connect ${uplinkRootAddress(1)} port ${COLLECTOR_PORT} min-retry 100 max-retry 1000`,
      'bmp monitor ipv4 unicast pre-policy',
    );
  }, 90000);

  afterAll(async () => {
    const undo = async (namespace: string, ...lines: string[]) => configure(namespace, ...lines).catch(() => undefined);
    await undo(HOST_NS, 'router bgp 64512', `no bmp targets ${TARGET}`);
    for (const prefix of OURS) {
      await undo(PE_NS, 'router bgp 65001', 'address-family ipv4 unicast', `no network ${prefix}`);
      await undo(PE_NS, `no ip route ${prefix} blackhole`);
    }
    await db?.destroy();
    await brm?.close();
    await collector?.close();
    await admin?.disconnect();
  });

  it('detects the new topic, applies its events, and the table follows FRR again after a fresh dump', async () => {
    await announce(A1);
    await announce(A2);
    await until('A1 and A2 in the VPC table', async () => ((await ourRoutes()).join() === [A1, A2].join() ? true : undefined), 60000);
    const before: { topic_id: string | null }[] = await db.query('SELECT topic_id FROM kafka_applied_offsets WHERE consumer_group = ?', [
      group,
    ]);
    const [oldIdentity] = await fetchTopicIdentities(config.kafka, [TOPIC]);
    expect(before.length).toBeGreaterThan(0);
    expect(before.every((row) => row.topic_id === oldIdentity!.id)).toBe(true);

    // BRM stops; the collector publishes A2's withdrawal and A3's announcement to the old topic.
    await brm!.close();
    brm = null;
    const published = await messagesOnTopic();
    // One change at a time: two changes close together can reach the collector in one read and go
    // out as one route batch, so the count of messages would not tell that both are on the topic.
    await configure(PE_NS, 'router bgp 65001', 'address-family ipv4 unicast', `no network ${A2}`);
    await until('A2’s withdrawal on the old topic', async () => ((await messagesOnTopic()) >= published + 1n ? true : undefined));
    await announce(A3);
    await until('the host to see A2 go and A3 come', async () => ((await hostRoutes()).join() === [A1, A3].join() ? true : undefined));
    await until('A3’s announcement on the old topic', async () => ((await messagesOnTopic()) >= published + 2n ? true : undefined));

    // The topic is replaced: those events are gone, and the new one counts from offset 0.
    await admin.deleteTopics({ topics: [TOPIC], timeout: 30000 });
    await until('the topic deleted', async () => ((await admin.listTopics()).includes(TOPIC) ? undefined : true), 30000, 250);
    await until(
      'the topic created again',
      async () =>
        (await admin
          .createTopics({
            waitForLeaders: true,
            topics: [{ topic: TOPIC, numPartitions: config.kafka.topicPartitions, replicationFactor: 1 }],
          })
          .catch(() => false))
          ? true
          : undefined,
      30000,
      500,
    );
    const [newIdentity] = await fetchTopicIdentities(config.kafka, [TOPIC]);
    expect(newIdentity!.id).not.toBeNull();
    expect(newIdentity!.id).not.toBe(oldIdentity!.id);
    await announce(A4);
    await until('A4 on the new topic', async () => ((await messagesOnTopic()) > 0n ? true : undefined), 60000, 250);

    // BRM again, same group and database: its stored offsets are beyond the new topic's.
    brm = await restartTestApp({ RB_ROLES: 'brm', RB_BRM_CONSUMER_GROUP: group });
    const host = await hostRoutes();
    expect(host).toEqual([A1, A3, A4]);
    await until(
      'the VPC table to equal the host again',
      async () => ((await ourRoutes()).join() === host.join() ? true : undefined),
      90000,
      250,
    );

    const after: { topic_id: string | null }[] = await db.query('SELECT topic_id FROM kafka_applied_offsets WHERE consumer_group = ?', [
      group,
    ]);
    expect(after.some((row) => row.topic_id === newIdentity!.id)).toBe(true);
    const metrics = (await request(collector.getHttpServer()).get('/metrics').set('Authorization', `Bearer ${READ_TOKEN}`).expect(200))
      .text;
    expect(metrics).toMatch(
      new RegExp(`route_broker_brm_partition_losses_total\\{topic="${TOPIC.replace(/\./g, '\\.')}",reason="new-topic-id"[^}]*\\} [1-9]`),
    );
    expect(metrics).toMatch(/route_broker_bmp_redumps_total\{[^}]*\} [1-9]/);
  }, 240000);
});
