/**
 * HRM crash safety with real processes (`node dist/main.js`, role hrm), the real Kafka and MariaDB
 * and a slow HTTP UXR receiver: HRM is killed with SIGKILL in the middle of delivering 24,000
 * changes, then two instances in the same consumer group finish it. The receiver must end with
 * exactly the VPC table, every revision applied once and in order, without a resync (the
 * acknowledged revision and the Kafka offsets were enough to resume). Then MariaDB itself is
 * stopped and started again under BRM and HRM in the middle of 12,000 more changes: the table,
 * its change log and the receiver must again end exact. BRM and the admin API run in this test
 * process. Needs `npm run build` first (scripts/test does it); stops the machine's MariaDB, so it
 * must not run in parallel with other suites.
 */
import type { INestApplication } from '@nestjs/common';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { Kafka, logLevel, Partitioners, type Producer } from 'kafkajs';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/common/database/data-source-options.js';
import type { SessionRef } from '../../src/common/events/bgp-events.js';
import type { VpcRoute } from '../../src/common/events/vpc-events.js';
import { TOPICS } from '../../src/common/kafka/topics.js';
import { api, startTestApp } from './support/app.js';
import { testConfig, testEnv } from './support/environment.js';
import { groupAtEnd, peSessionRef, routeEvents, type RouteStreamMessage } from './support/route-events.js';
import { startMariaDb, stopMariaDb } from './support/outages.js';
import { until } from './support/until.js';
import { UxrReceiver } from './support/uxr-receiver.js';
import { createVpcInventory } from './support/vpc-inventory.js';
import { loggedRevisions, storedRoutes } from './support/stored-routes.js';

const MAIN = 'dist/main.js';
const ROUTER = `hrm-crash-host-${process.pid}`;
const PEER = '169.254.230.1';
const ANNOUNCED = 20_000;
const WITHDRAWN = 4_000;
const PER_EVENT = 20;
const SECRET = `uxr-secret-${randomUUID()}`;

function startHrm(group: string, name: string, port: number): { child: ChildProcess; exited: Promise<unknown> } {
  const child = spawn(process.execPath, [MAIN], {
    env: {
      PATH: process.env.PATH ?? '',
      ...testEnv({
        RB_ROLES: 'hrm',
        RB_HRM_CONSUMER_GROUP: group,
        RB_HRM_MAX_CHANGES_PER_REQUEST: '200',
        RB_HRM_RETRY_BASE_MS: '50',
        RB_HRM_RETRY_MAX_MS: '500',
        RB_INSTANCE_ID: `hrm-crash-${process.pid}-${name}`,
        RB_HTTP_PORT: String(port),
        RB_HTTP_HOST: '127.0.0.1',
        RB_LOG_LEVEL: 'warn',
      }),
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return { child, exited: new Promise((resolve) => child.once('exit', resolve)) };
}

describe('HRM crash safety with real processes', () => {
  const groups = { brm: `hrm-crash-brm-${randomUUID()}`, hrm: `hrm-crash-hrm-${randomUUID()}` };
  const kafka = new Kafka({ clientId: 'hrm-crash-spec', brokers: [...testConfig().kafka.brokers], logLevel: logLevel.NOTHING });
  const receiver = new UxrReceiver(SECRET);
  const running: { child: ChildProcess; exited: Promise<unknown> }[] = [];
  let app: INestApplication;
  let producer: Producer;
  let db: DataSource;
  let hostId: number;
  let vpcId: number;

  const ref = (peer: string): SessionRef => peSessionRef(ROUTER, hostId, peer);
  const events = routeEvents(ref);

  async function vpcTable(): Promise<{ revision: number; routes: Record<string, VpcRoute> }> {
    return db.transaction('REPEATABLE READ', async (manager) => {
      const revisions: { revision: string }[] = await manager.query('SELECT revision FROM vpc_route_tables WHERE hosted_vpc_id = ?', [
        vpcId,
      ]);
      return {
        revision: revisions.length === 0 ? 0 : Number(revisions[0]!.revision),
        routes: Object.fromEntries(
          [...(await storedRoutes(manager, vpcId))].map(([prefix, route]): [string, VpcRoute] => [prefix, route.entry]),
        ),
      };
    });
  }

  beforeAll(async () => {
    if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run npm run build first`);
    const admin = kafka.admin();
    await admin.connect();
    await groupAtEnd(admin, groups.brm, TOPICS.routeEvents.name);
    await groupAtEnd(admin, groups.hrm, TOPICS.interconnectRouteUpdates.name);
    await admin.disconnect();
    producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    await receiver.start();
    app = await startTestApp({ RB_ROLES: 'admin,brm', RB_BRM_CONSUMER_GROUP: groups.brm });
    db = await new DataSource(dataSourceOptions(testConfig().database)).initialize();
    const http = api(app);
    ({ hostId, vpcId } = await createVpcInventory(http, { hostName: ROUTER, peers: [PEER], maxPrefix: 100_000 }));
    await http.operator
      .post('/subscriptions', { name: 'uxr-crash', region: 'jpn-tky', callbackUrl: receiver.url, secret: SECRET, hostedVpcIds: [vpcId] })
      .expect(201);
  }, 120000);

  afterAll(async () => {
    await startMariaDb().catch(() => undefined);
    for (const { child } of running) child.kill('SIGKILL');
    await Promise.all(running.map(({ exited }) => exited));
    await producer?.disconnect();
    await db?.destroy();
    await app?.close();
    await receiver.stop();
  });

  it('ends exact, each revision applied once, after a SIGKILL mid-delivery and two instances finishing it', async () => {
    const first = startHrm(groups.hrm, 'a', 18411);
    running.push(first);
    await until('the empty snapshot delivered', () => (receiver.table(vpcId).revision === 0 ? true : undefined), 60000);

    const prefixes = Array.from({ length: ANNOUNCED }, (_, i) => `21.${Math.floor(i / 256)}.${i % 256}.0/24`);
    const stream: RouteStreamMessage[] = [events.up(PEER)];
    for (let start = 0; start < prefixes.length; start += PER_EVENT) {
      stream.push(events.announce(PEER, prefixes.slice(start, start + PER_EVENT), [65001, 65100]));
    }
    stream.push(events.endOfRib(PEER));
    for (let start = 0; start < WITHDRAWN; start += PER_EVENT) stream.push(events.withdraw(PEER, prefixes.slice(start, start + PER_EVENT)));
    const total = ANNOUNCED + WITHDRAWN;
    // A slow receiver (and BRM still applying) so the kill lands in the middle of the deliveries.
    receiver.delayMs = 15;
    for (let start = 0; start < stream.length; start += 500) {
      await events.publish(producer, 'hrm-crash-spec', ...stream.slice(start, start + 500));
    }

    await until(
      'the receiver a quarter of the way',
      () => ((receiver.table(vpcId).revision ?? 0) >= total / 4 ? true : undefined),
      120000,
      10,
    );
    first.child.kill('SIGKILL');
    await first.exited;
    const atKill = receiver.table(vpcId).revision!;
    expect(atKill).toBeLessThan(total);

    receiver.delayMs = 0;
    running.push(startHrm(groups.hrm, 'b', 18412), startHrm(groups.hrm, 'c', 18413));
    await until('BRM done', async () => ((await vpcTable()).revision >= total ? true : undefined), 180000, 200);
    await until('the receiver caught up', () => (receiver.table(vpcId).revision === total ? true : undefined), 180000, 200);

    const table = await vpcTable();
    expect(table.revision).toBe(total);
    expect(receiver.table(vpcId).routes).toEqual(table.routes);
    expect(Object.keys(table.routes)).toHaveLength(ANNOUNCED - WITHDRAWN);
    // Every revision once and in order, and no resync was needed to get there.
    expect(receiver.applied.get(vpcId)).toEqual(Array.from({ length: total }, (_, index) => index + 1));
    expect(receiver.conflicts).toBe(0);
    expect(receiver.requests.filter((request) => request.delivery.kind === 'snapshot')).toHaveLength(1);
    expect(receiver.refused).toEqual([]);
  }, 400000);

  it('ends exact when MariaDB is stopped and started again under BRM and HRM', async () => {
    const before = (await vpcTable()).revision;
    const added = Array.from({ length: 12_000 }, (_, i) => `22.${Math.floor(i / 256)}.${i % 256}.0/24`);
    const stream: RouteStreamMessage[] = [];
    for (let start = 0; start < added.length; start += PER_EVENT) {
      stream.push(events.announce(PEER, added.slice(start, start + PER_EVENT), [65001, 65100]));
    }
    receiver.delayMs = 5;
    for (let start = 0; start < stream.length; start += 500) {
      await events.publish(producer, 'hrm-crash-spec', ...stream.slice(start, start + 500));
    }
    await until('BRM mid-way', async () => ((await vpcTable()).revision >= before + 1000 ? true : undefined), 90000, 10);
    await stopMariaDb();
    const duringOutage = receiver.table(vpcId).revision!;
    await new Promise((resolve) => setTimeout(resolve, 3000));
    await startMariaDb();
    receiver.delayMs = 0;

    const total = before + added.length;
    await until('BRM done after the restart', async () => ((await vpcTable()).revision >= total ? true : undefined), 180000, 200);
    await until('the receiver caught up', () => (receiver.table(vpcId).revision === total ? true : undefined), 180000, 200);
    expect(duringOutage).toBeLessThan(total);
    const table = await vpcTable();
    expect(table.revision).toBe(total);
    expect(Object.keys(table.routes)).toHaveLength(ANNOUNCED - WITHDRAWN + added.length);
    expect(receiver.table(vpcId).routes).toEqual(table.routes);
    const log = await loggedRevisions(db, vpcId);
    expect(log).toEqual(Array.from({ length: total }, (_, index) => index + 1));
    expect(receiver.applied.get(vpcId)).toEqual(Array.from({ length: total }, (_, index) => index + 1));
    expect(receiver.conflicts).toBe(0);
  }, 400000);
});
