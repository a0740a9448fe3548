/**
 * The collector while Kafka is down: it keeps reading nothing more than it can hold (the router's
 * socket stays paused), retries, and once Kafka is back every route it read arrives exactly once.
 * This suite stops and starts the real Kafka (scripts/kafka), so it must not run in parallel
 * with other suites (scripts/test runs jest with --runInBand).
 */
import type { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { Kafka, logLevel } from 'kafkajs';
import { unbatched, type RouteAnnouncedData } from '../../src/common/events/bgp-events.js';
import { REDUMP_REQUESTED, type RedumpRequestedData } from '../../src/common/events/collector-events.js';
import { createCloudEvent, parseCloudEvent } from '../../src/common/kafka/cloud-event.js';
import { TOPICS } from '../../src/common/kafka/topics.js';
import { encodeBmpMessage } from '../../src/frr-server/bmp/bmp-encode.js';
import type { RouteMonitoringMessage } from '../../src/frr-server/bmp/bmp-types.js';
import * as samples from '../fixtures/bmp/sample-messages.js';
import { startTestApp } from './support/app.js';
import { testConfig } from './support/environment.js';
import { startKafka, stopKafka } from './support/outages.js';
import { groupAtEnd } from './support/route-events.js';
import { until } from './support/until.js';

const PORT = 11129;
const ROUTER = `outage-${randomUUID().slice(0, 8)}`;

function announce(index: number): Buffer {
  const message: RouteMonitoringMessage = {
    ...samples.routeMonitoringIpv4,
    update: { ...samples.routeMonitoringIpv4.update, withdrawnRoutes: [], routes: [{ prefix: `10.${index >> 8}.${index & 255}.0/24` }] },
  };
  return encodeBmpMessage(message);
}

describe('BMP collector during a Kafka outage', () => {
  let app: INestApplication;
  let router: Socket;

  beforeAll(async () => {
    app = await startTestApp({
      RB_ROLES: 'frr-server',
      RB_BMP_PORT: String(PORT),
      RB_BMP_HOST: '127.0.0.1',
      RB_BMP_PUBLISH_RETRY_MAX_MS: '1000',
    });
    router = connect(PORT, '127.0.0.1');
    await new Promise<void>((resolve) => router.once('connect', () => resolve()));
  });

  afterAll(async () => {
    router?.destroy();
    await startKafka().catch(() => undefined);
    await app?.close();
  }, 180000);

  it('publishes every route read before, during and after the outage, none twice', async () => {
    // The reader starts where the topic ends now: what earlier runs left there is not read through.
    const kafka = new Kafka({ clientId: 'outage-spec', brokers: [...testConfig().kafka.brokers], logLevel: logLevel.NOTHING });
    const groupId = `outage-spec-${randomUUID()}`;
    const admin = kafka.admin();
    await admin.connect();
    await groupAtEnd(admin, groupId, TOPICS.routeEvents.name);
    await admin.disconnect();
    const sysName = { type: 2, value: Buffer.from(ROUTER), text: ROUTER };
    router.write(encodeBmpMessage({ kind: 'initiation', information: [sysName] }));
    router.write(encodeBmpMessage(samples.peerUp));
    for (let index = 0; index < 100; index++) router.write(announce(index));
    await new Promise((resolve) => setTimeout(resolve, 1500));

    await stopKafka();
    for (let index = 100; index < 300; index++) router.write(announce(index));
    await new Promise((resolve) => setTimeout(resolve, 5000));
    await startKafka();
    for (let index = 300; index < 400; index++) router.write(announce(index));

    const consumer = kafka.consumer({ groupId });
    const seen = new Map<string, number>();
    await consumer.connect();
    await consumer.subscribe({ topic: TOPICS.routeEvents.name, fromBeginning: true });
    await consumer.run({
      eachMessage: ({ message }) => {
        const parsed = parseCloudEvent(message.value);
        for (const event of parsed.ok ? unbatched(parsed.event) : []) {
          if (event.type !== 'net.route-broker.bgp.route-announced.v1') continue;
          const data = event.data as RouteAnnouncedData;
          if (data.session.router === ROUTER) for (const { prefix } of data.prefixes) seen.set(prefix, (seen.get(prefix) ?? 0) + 1);
        }
        return Promise.resolve();
      },
    });
    try {
      await until('all 400 routes', () => (seen.size >= 400 ? true : undefined), 120000);
      await new Promise((resolve) => setTimeout(resolve, 2000));
      expect(seen.size).toBe(400);
      expect([...seen.values()].filter((count) => count !== 1)).toEqual([]);
    } finally {
      await consumer.disconnect();
    }
  }, 300000);

  // Its consumer of dump requests crashed while Kafka was down (the gateway restarts it): it must
  // be back and following, or a lost partition would never be refilled.
  it('after the outage, still follows requests for a fresh dump', async () => {
    const closed = new Promise<void>((resolve) => router.once('close', () => resolve()));
    const kafka = new Kafka({ clientId: 'outage-spec', brokers: [...testConfig().kafka.brokers], logLevel: logLevel.NOTHING });
    const producer = kafka.producer();
    await producer.connect();
    let answered = false;
    void closed.then(() => (answered = true));
    try {
      // Sent until answered: a request sent before the restarted consumer joined is behind its start.
      await until(
        'the collector closes the BMP connection',
        async () => {
          const event = createCloudEvent<RedumpRequestedData>({
            type: REDUMP_REQUESTED,
            source: 'outage-spec',
            data: { topic: TOPICS.routeEvents.name, partition: 0, reason: 'beyond-end', detail: 'sent by bmp-kafka-outage.spec' },
          });
          await producer.send({ topic: TOPICS.collectorControl.name, messages: [{ key: 'outage-spec', value: JSON.stringify(event) }] });
          await new Promise((resolve) => setTimeout(resolve, 2000));
          return answered ? true : undefined;
        },
        120000,
      );
    } finally {
      await producer.disconnect();
    }
    expect(answered).toBe(true);
  }, 180000);
});
