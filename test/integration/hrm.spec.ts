/**
 * HRM against the real Kafka and MariaDB: route-stream events (as the collector publishes them)
 * go through BRM into the VPC table and out on interconnect.route-updates.v1, and HRM pushes
 * them to a test UXR endpoint (a real HTTP server that checks signatures). The receiver's table
 * must equal the VPC table at the same revision, through failures, hangs, outages and a receiver
 * that lost its state. (From the lab's real FRR, see hrm-lab.spec.ts.)
 */
import type { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Kafka, logLevel, Partitioners, type Admin, type Consumer, type Producer } from 'kafkajs';
import { DataSource } from 'typeorm';
import type { SessionRef } from '../../src/common/events/bgp-events.js';
import type { VpcRoute } from '../../src/common/events/vpc-events.js';
import { dataSourceOptions } from '../../src/common/database/data-source-options.js';
import { TOPICS } from '../../src/common/kafka/topics.js';
import { checkSignature, signatureHeader } from '../../src/hrm/core/signature.js';
import { api, startTestApp } from './support/app.js';
import { READ_TOKEN, testConfig } from './support/environment.js';
import { groupAtEnd, peSessionRef, routeEvents, type RouteStreamMessage } from './support/route-events.js';
import { RouteStreamClient } from './support/sse-client.js';
import { until } from './support/until.js';
import { UxrReceiver } from './support/uxr-receiver.js';
import { createVpcInventory } from './support/vpc-inventory.js';
import { storedRoutes } from './support/stored-routes.js';

const ROUTER = `hrm-host-${process.pid}`;
const PEER_A = '169.254.210.1';
const PEER_B = '169.254.211.1';
const SECRET = `uxr-secret-${randomUUID()}`;

describe('HRM with the real Kafka, MariaDB and an HTTP UXR receiver', () => {
  const groups = { brm: `hrm-spec-brm-${randomUUID()}`, hrm: `hrm-spec-hrm-${randomUUID()}` };
  const kafka = new Kafka({ clientId: 'hrm-spec', brokers: [...testConfig().kafka.brokers], logLevel: logLevel.NOTHING });
  const receiver = new UxrReceiver(SECRET);
  let app: INestApplication;
  let http: ReturnType<typeof api>;
  let admin: Admin;
  let producer: Producer;
  let db: DataSource;
  let hostId: number;
  let vpcId: number;
  let regionId: number;
  let subscriptionId: number;
  let compactedFrom: { partition: number; offset: string }[] = [];
  let baseUrl: string;

  const ref = (peer: string): SessionRef => peSessionRef(ROUTER, hostId, peer);
  const { up, announce, withdraw, endOfRib, publish: send } = routeEvents(ref);
  const publish = (...events: RouteStreamMessage[]) => send(producer, 'hrm-spec', ...events);

  /** The VPC table as BRM stored it, and its revision, read in one transaction. */
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

  /** Waits until the receiver holds exactly the VPC table at the table's current revision. */
  async function receiverInStep(what: string, minimumRevision: number, timeoutMs = 30000): Promise<number> {
    return until(
      what,
      async () => {
        const table = await vpcTable();
        if (table.revision < minimumRevision) return undefined;
        const held = receiver.table(vpcId);
        if (held.revision !== table.revision) return undefined;
        expect(held.routes).toEqual(table.routes);
        return table.revision;
      },
      timeoutMs,
      100,
    );
  }

  async function delivery() {
    const view = (await http.reader.get(`/subscriptions/${subscriptionId}`).expect(200)).body;
    return view.deliveries[0] as { state: string; ackedRevision: number | null; consecutiveFailures: number; lastError: string | null };
  }

  beforeAll(async () => {
    admin = kafka.admin();
    await admin.connect();
    producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    // Earlier suites reuse VPC ids (each starts from an empty database): start after their messages.
    await groupAtEnd(admin, groups.brm, TOPICS.routeEvents.name);
    await groupAtEnd(admin, groups.hrm, TOPICS.interconnectRouteUpdates.name);
    compactedFrom = (await admin.listTopics()).includes(TOPICS.vpcRoutes.name)
      ? (await admin.fetchTopicOffsets(TOPICS.vpcRoutes.name)).map(({ partition, high }) => ({ partition, offset: high }))
      : [];
    await receiver.start();
    app = await startTestApp({
      RB_ROLES: 'admin,brm,hrm',
      RB_BRM_CONSUMER_GROUP: groups.brm,
      RB_HRM_CONSUMER_GROUP: groups.hrm,
      RB_HRM_SNAPSHOT_PAGE_SIZE: '3',
      RB_HRM_REQUEST_TIMEOUT_MS: '1000',
      RB_HRM_RETRY_BASE_MS: '50',
      RB_HRM_RETRY_MAX_MS: '400',
    });
    await app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${((app.getHttpServer() as Server).address() as AddressInfo).port}/api/v1`;
    http = api(app);
    db = await new DataSource(dataSourceOptions(testConfig().database)).initialize();
    ({ hostId, vpcId, regionId } = await createVpcInventory(http, { hostName: ROUTER, peers: [PEER_A, PEER_B] }));
  }, 90000);

  afterAll(async () => {
    await producer?.disconnect();
    await admin?.disconnect();
    await db?.destroy();
    await app?.close();
    await receiver.stop();
  });

  it('refuses a region interconnect is not offered in, naming it, and other bad subscriptions', async () => {
    const body = { name: 'uxr-1', region: 'hk', callbackUrl: receiver.url, secret: SECRET, hostedVpcIds: [vpcId] };
    const region = await http.operator.post('/subscriptions', { ...body, region: 'eu-west-1' }).expect(400);
    expect(region.body.fields).toEqual([
      { field: 'region', problem: '"eu-west-1" is not a region interconnect is offered in (supported: cn-gd, hk, jpn-tky)' },
    ]);
    const url = await http.operator.post('/subscriptions', { ...body, callbackUrl: 'ftp://uxr.example.net/' }).expect(400);
    expect(url.body.fields[0].field).toBe('callbackUrl');
    const vpc = await http.operator.post('/subscriptions', { ...body, hostedVpcIds: [vpcId, 999999] }).expect(400);
    expect(vpc.body.fields).toEqual([{ field: 'hostedVpcIds[1]', problem: 'hosted VPC 999999 does not exist' }]);
    const secret = await http.operator.post('/subscriptions', { ...body, secret: 'short' }).expect(400);
    expect(secret.body.fields[0].field).toBe('secret');
    await http.reader.post('/subscriptions', body).expect(403);
    expect((await http.reader.get('/subscriptions').expect(200)).body).toEqual([]);
  });

  it('sends a snapshot of the table (in pages) and then the deltas: the receiver equals the table', async () => {
    await publish(
      up(PEER_A),
      announce(PEER_A, ['45.64.1.0/24', '45.64.2.0/24', '45.64.3.0/24', '45.64.4.0/24', '45.64.5.0/24', '10.10.1.0/24'], [65001]),
      endOfRib(PEER_A),
    );
    await until('the first routes in the table', async () => ((await vpcTable()).revision >= 6 ? true : undefined));

    const created = await http.operator
      .post('/subscriptions', { name: 'uxr-1', region: 'hk', callbackUrl: receiver.url, secret: SECRET, hostedVpcIds: [vpcId] })
      .expect(201);
    subscriptionId = created.body.id;
    expect(created.body).not.toHaveProperty('secret');
    expect(created.body.deliveries).toEqual([expect.objectContaining({ hostedVpcId: vpcId, state: 'snapshot', ackedRevision: null })]);

    const atSnapshot = await receiverInStep('the snapshot delivered', 6);
    const pages = receiver.requests.filter((request) => request.delivery.kind === 'snapshot');
    expect(pages.map((request) => request.delivery.kind === 'snapshot' && [request.delivery.page, request.delivery.lastPage])).toEqual([
      [0, false],
      [1, true],
    ]);
    expect(Object.keys(receiver.table(vpcId).routes)).toHaveLength(5);

    await publish(announce(PEER_A, ['45.64.6.0/24'], [65001]), withdraw(PEER_A, ['45.64.1.0/24']), up(PEER_B));
    await publish(announce(PEER_B, ['45.64.2.0/24'], [65001, 65002]), announce(PEER_B, ['45.64.7.0/24'], [65001]));
    const after = await receiverInStep('the deltas delivered', atSnapshot + 3);
    expect(receiver.table(vpcId).routes['45.64.2.0/24']!.paths).toHaveLength(2);
    expect(receiver.applied.get(vpcId)).toEqual(Array.from({ length: after - atSnapshot }, (_, index) => atSnapshot + 1 + index));
    expect(await delivery()).toMatchObject({ state: 'streaming', ackedRevision: after, consecutiveFailures: 0 });
    expect(receiver.refused).toEqual([]);
  });

  it('signs every request: a changed body, another secret or an old timestamp is detectable', () => {
    expect(receiver.requests.length).toBeGreaterThan(0);
    expect(receiver.requests.every((request) => request.signatureOk)).toBe(true);
    const { body } = receiver.requests.at(-1)!;
    const header = signatureHeader(SECRET, Date.now(), body);
    expect(checkSignature(SECRET, header, body, Date.now(), 300_000).ok).toBe(true);
    expect(checkSignature(SECRET, header, body.replace('45.64', '45.65'), Date.now(), 300_000)).toEqual({
      ok: false,
      problem: 'signature does not match',
    });
    expect(checkSignature(`${SECRET}x`, header, body, Date.now(), 300_000).ok).toBe(false);
    expect(checkSignature(SECRET, header, body, Date.now() + 600_000, 300_000).ok).toBe(false);
    // Each request carries an idempotency key naming what it is.
    expect(receiver.requests.at(-1)!.idempotencyKey).toMatch(new RegExp(`^${subscriptionId}/${vpcId}/delta/\\d+-\\d+$`));
  });

  it('retries a receiver that answers 500, then one that hangs, and catches up with nothing applied twice', async () => {
    const before = (await vpcTable()).revision;
    receiver.mode = 'fail';
    await publish(announce(PEER_A, ['45.64.8.0/24'], [65001]));
    await until('failures recorded', async () => ((await delivery()).consecutiveFailures >= 2 ? true : undefined));
    expect((await delivery()).lastError).toContain('HTTP 500');

    receiver.mode = 'hang';
    await publish(withdraw(PEER_A, ['45.64.3.0/24']));
    await until('a timeout recorded', async () => ((await delivery()).lastError?.includes('no answer within 1000 ms') ? true : undefined));

    receiver.mode = 'ok';
    const after = await receiverInStep('caught up after the failures', before + 2);
    expect(await delivery()).toMatchObject({ state: 'streaming', ackedRevision: after, consecutiveFailures: 0, lastError: null });
    const applied = receiver.applied.get(vpcId)!;
    expect(new Set(applied).size).toBe(applied.length);
  });

  it('catches up after the receiver was down while routes changed', async () => {
    const before = (await vpcTable()).revision;
    const port = receiver.port;
    await receiver.stop();
    await publish(announce(PEER_A, ['45.64.9.0/24', '45.64.10.0/24'], [65001]), withdraw(PEER_B, ['45.64.7.0/24']));
    await until('the changes in the table', async () => ((await vpcTable()).revision >= before + 3 ? true : undefined));
    await until('refused connections recorded', async () => ((await delivery()).consecutiveFailures >= 1 ? true : undefined));
    await receiver.start(port);
    await receiverInStep('caught up after the outage', before + 3);
    const applied = receiver.applied.get(vpcId)!;
    expect(new Set(applied).size).toBe(applied.length);
    expect(applied).toEqual([...applied].sort((a, b) => a - b));
  });

  it('resynchronises with a snapshot a receiver that lost its state (it answers 409)', async () => {
    const snapshotsBefore = receiver.requests.filter((request) => request.delivery.kind === 'snapshot').length;
    receiver.forget(vpcId);
    const before = (await vpcTable()).revision;
    await publish(announce(PEER_A, ['45.64.11.0/24'], [65001]));
    await receiverInStep('the receiver resynchronised', before + 1);
    expect(receiver.requests.filter((request) => request.delivery.kind === 'snapshot').length).toBeGreaterThan(snapshotsBefore);
    const view = (await http.reader.get(`/subscriptions/${subscriptionId}`).expect(200)).body;
    expect(view.deliveries[0].snapshots).toBeGreaterThanOrEqual(2);
  });

  it('sends a fresh snapshot when an operator asks', async () => {
    const snapshotsBefore = receiver.requests.filter((request) => request.delivery.kind === 'snapshot').length;
    await http.operator.post(`/subscriptions/${subscriptionId}/resync`, {}).expect(202);
    await until('a new snapshot', () =>
      receiver.requests.filter((request) => request.delivery.kind === 'snapshot').length > snapshotsBefore ? true : undefined,
    );
    await receiverInStep('in step after the operator’s snapshot', 0);
  });

  it('keeps the compacted topic vpc.routes.v1 equal to the table (latest value per key, tombstones for withdrawals)', async () => {
    const table = await vpcTable();
    const latest = new Map<string, VpcRoute | null>();
    const ends = await admin.fetchTopicOffsets(TOPICS.vpcRoutes.name);
    const remaining = new Map(
      ends
        .map(({ partition, high }) => {
          const from = compactedFrom.find((start) => start.partition === partition)?.offset ?? '0';
          return [partition, { from: BigInt(from), high: BigInt(high) }] as const;
        })
        .filter(([, range]) => range.high > range.from),
    );
    const reader: Consumer = kafka.consumer({ groupId: `hrm-spec-compacted-${randomUUID()}` });
    await reader.connect();
    await reader.subscribe({ topic: TOPICS.vpcRoutes.name, fromBeginning: true });
    const done = new Promise<void>((resolve) => {
      if (remaining.size === 0) resolve();
      void reader.run({
        eachMessage: ({ partition, message }) => {
          const range = remaining.get(partition);
          if (!range || BigInt(message.offset) < range.from) return Promise.resolve();
          const key = message.key!.toString();
          if (key.startsWith(`${vpcId}|`)) {
            latest.set(key.slice(key.indexOf('|') + 1), message.value === null ? null : JSON.parse(message.value.toString()).data.route);
          }
          if (BigInt(message.offset) + 1n >= range.high) remaining.delete(partition);
          if (remaining.size === 0) resolve();
          return Promise.resolve();
        },
      });
    });
    try {
      await done;
    } finally {
      await reader.disconnect();
    }
    const live = Object.fromEntries([...latest.entries()].filter(([, route]) => route !== null).sort());
    expect(live).toEqual(table.routes);
    expect([...latest.values()].some((route) => route === null)).toBe(true);
  });

  it('streams the table as Server-Sent Events and resumes from Last-Event-ID with only what was missed', async () => {
    const client = new RouteStreamClient(`${baseUrl}/hosted-vpcs/${vpcId}/route-stream`, READ_TOKEN);
    await client.connect();
    expect(client.status).toBe(200);
    let table = await vpcTable();
    await until('the stream’s snapshot', () => (client.revision === table.revision ? true : undefined));
    expect(client.table()).toEqual(table.routes);
    expect(client.events.filter((event) => event.event === 'snapshot').length).toBeGreaterThan(1); // pages of 3
    expect(client.lastEventId).toBe(String(table.revision));

    await publish(announce(PEER_A, ['45.64.13.0/24'], [65001]));
    await until('a live delta', async () => {
      table = await vpcTable();
      return client.revision === table.revision && table.revision > Number(client.events.at(-2)?.id ?? 0) ? true : undefined;
    });
    expect(client.table()).toEqual(table.routes);

    client.disconnect();
    const held = client.revision!;
    await publish(withdraw(PEER_A, ['45.64.13.0/24']), announce(PEER_A, ['45.64.14.0/24'], [65001]));
    await until('the changes in the table', async () => ((await vpcTable()).revision >= held + 2 ? true : undefined));
    const seen = client.events.length;
    await client.connect();
    table = await vpcTable();
    await until('the stream resumed', () => (client.revision === table.revision ? true : undefined));
    const resumed = client.events.slice(seen);
    expect(resumed.map((event) => event.event)).not.toContain('snapshot');
    expect(resumed[0]!.data).toMatchObject({ kind: 'delta', fromRevision: held + 1 });
    expect(client.table()).toEqual(table.routes);
    client.disconnect();

    // A revision this instance cannot replay gets a fresh snapshot.
    const old = new RouteStreamClient(`${baseUrl}/hosted-vpcs/${vpcId}/route-stream`, READ_TOKEN);
    await old.connect('1');
    await until('a snapshot for an old revision', () => (old.revision === table.revision ? true : undefined));
    expect(old.events[0]!.event).toBe('snapshot');
    expect(old.table()).toEqual(table.routes);
    old.disconnect();
  });

  it('answers a bad Last-Event-ID with 400 and an unknown VPC with 404', async () => {
    const bad = new RouteStreamClient(`${baseUrl}/hosted-vpcs/${vpcId}/route-stream`, READ_TOKEN);
    await bad.connect('yesterday');
    await until('the answer', () => (bad.body.includes('Last-Event-ID') ? true : undefined));
    expect(bad.status).toBe(400);
    bad.disconnect();
    const unknown = new RouteStreamClient(`${baseUrl}/hosted-vpcs/999999/route-stream`, READ_TOKEN);
    await unknown.connect();
    expect(unknown.status).toBe(404);
    unknown.disconnect();
  });

  it('follows an interconnect instance: VPCs that join get a snapshot, VPCs that leave stop', async () => {
    const follower = new UxrReceiver(SECRET);
    await follower.start();
    try {
      const otherOwner = (
        await http.operator.post('/hosted-vpcs', { name: 'other', regionId, owner: 'globex', cidrs: ['10.30.0.0/16'] }).expect(201)
      ).body.id as number;
      const refused = await http.operator
        .post('/interconnect-instances', { name: 'acme-global', owner: 'acme', hostedVpcIds: [vpcId, otherOwner] })
        .expect(400);
      expect(refused.body.fields).toEqual([
        { field: 'hostedVpcIds[1]', problem: `hosted VPC ${otherOwner} belongs to globex, not to acme` },
      ]);

      const instance = (
        await http.operator.post('/interconnect-instances', { name: 'acme-global', owner: 'acme', hostedVpcIds: [vpcId] }).expect(201)
      ).body as { id: number };
      const both = { name: 'uxr-both', region: 'jpn-tky', callbackUrl: follower.url, secret: SECRET };
      const either = await http.operator
        .post('/subscriptions', { ...both, hostedVpcIds: [vpcId], interconnectInstanceId: instance.id })
        .expect(400);
      expect((either.body.fields as { field: string }[]).map((field) => field.field)).toEqual(['hostedVpcIds', 'interconnectInstanceId']);
      const subscription = (
        await http.operator.post('/subscriptions', { ...both, name: 'uxr-instance', interconnectInstanceId: instance.id }).expect(201)
      ).body as { id: number; interconnectInstanceId: number; hostedVpcIds: number[] };
      expect(subscription).toMatchObject({ interconnectInstanceId: instance.id, hostedVpcIds: [vpcId] });
      const table = await vpcTable();
      await until('the instance’s VPC delivered', () => (follower.table(vpcId).revision === table.revision ? true : undefined));
      expect(follower.table(vpcId).routes).toEqual(table.routes);

      // A second VPC of the same owner joins: its (empty) table arrives; then the first leaves.
      const joining = (
        await http.operator.post('/hosted-vpcs', { name: 'acme-2', regionId, owner: 'acme', cidrs: ['10.20.0.0/16'] }).expect(201)
      ).body.id as number;
      await http.operator.patch(`/interconnect-instances/${instance.id}`, { hostedVpcIds: [vpcId, joining] }).expect(200);
      await until('the joining VPC’s snapshot', () => (follower.table(joining).revision === 0 ? true : undefined));
      expect((await http.reader.get(`/subscriptions/${subscription.id}`).expect(200)).body.hostedVpcIds).toEqual([vpcId, joining]);
      await http.operator
        .patch(`/subscriptions/${subscription.id}`, { hostedVpcIds: [vpcId] })
        .expect(400)
        .expect(({ body }) => expect(body.message[0]).toContain(`follows interconnect instance ${instance.id}`));

      await http.operator.patch(`/interconnect-instances/${instance.id}`, { hostedVpcIds: [joining] }).expect(200);
      await until('the left VPC dropped', async () => {
        const view = (await http.reader.get(`/subscriptions/${subscription.id}`).expect(200)).body as { hostedVpcIds: number[] };
        return view.hostedVpcIds.join() === String(joining) ? true : undefined;
      });
      const before = follower.requests.length;
      await publish(announce(PEER_A, ['45.64.15.0/24'], [65001]));
      await receiverInStep('the first subscription still served', 0);
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(follower.requests.slice(before).filter((request) => request.delivery.vpcId === vpcId)).toEqual([]);

      await http.operator.delete(`/interconnect-instances/${instance.id}`).expect(409);
      await http.operator.delete(`/subscriptions/${subscription.id}`).expect(204);
      await http.operator.delete(`/interconnect-instances/${instance.id}`).expect(204);
    } finally {
      await follower.stop();
    }
  });

  it('does not poll MariaDB while nothing changes', async () => {
    const selects = async () => {
      const rows: { Value: string }[] = await db.query("SHOW GLOBAL STATUS LIKE 'Com_select'");
      return Number(rows[0]!.Value);
    };
    // Let the previous test's last events (subscription deleted, relayed, reloaded) settle first.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const start = await selects();
    await new Promise((resolve) => setTimeout(resolve, 6000));
    // Our own SHOW STATUS is not a SELECT; with every role idle, nobody else should read (the
    // collector's heartbeat and BRM's check for lost collectors are one UPDATE each, no SELECT).
    expect((await selects()) - start).toBe(0);
  });

  it('stops delivering when the subscription is deleted', async () => {
    await http.operator.delete(`/subscriptions/${subscriptionId}`).expect(204);
    await http.reader.get(`/subscriptions/${subscriptionId}`).expect(404);
    const count = receiver.requests.length;
    await publish(announce(PEER_A, ['45.64.12.0/24'], [65001]));
    const revision = (await vpcTable()).revision;
    await until('the change in the table', async () => ((await vpcTable()).revision > revision ? true : undefined));
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(receiver.requests.length).toBe(count);
  });
});
