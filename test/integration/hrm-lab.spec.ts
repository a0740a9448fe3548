/**
 * HRM end to end on the real lab: the PE announces and withdraws IPv4 and IPv6 prefixes to host 1,
 * whose bgpd streams BMP to the collector; BRM builds the VPC table; HRM pushes it to a test UXR
 * receiver (an HTTP server here that checks signatures). After each step the receiver must hold
 * exactly the VPC table at the table's revision, and the prefixes the host learned from the PE
 * (read with vtysh, independently of route-broker's code).
 */
import type { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/common/database/data-source-options.js';
import type { VpcRoute } from '../../src/common/events/vpc-events.js';
import { TOPICS } from '../../src/common/kafka/topics.js';
import { api, startTestApp } from './support/app.js';
import { READ_TOKEN, testConfig } from './support/environment.js';
import { configure, vtysh } from './support/lab-vtysh.js';
import { groupAtEnd } from './support/route-events.js';
import { until } from './support/until.js';
import { UxrReceiver } from './support/uxr-receiver.js';
import { storedRoutes } from './support/stored-routes.js';
import { LAB_HOST1, LAB_PE, uplinkHostAddress, uplinkRootAddress } from './support/lab.js';

const HOST_NS = LAB_HOST1;
const PE_NS = LAB_PE;
const PEER = '169.254.101.1';
const PEER_V6 = 'fd00:101::1';
const COLLECTOR_PORT = 11159;
const TARGET = 'rbhrm';
const PREFIXES_V4 = ['45.66.1.0/24', '45.66.2.0/24', '45.66.3.0/24'];
const PREFIXES_V6 = ['2a05:d066:1::/48', '2a05:d066:2::/48'];
const PREFIXES = [...PREFIXES_V4, ...PREFIXES_V6];
const SECRET = `uxr-secret-${randomUUID()}`;

describe('HRM on the real lab: FRR → BMP → Kafka → BRM → HRM → UXR', () => {
  const receiver = new UxrReceiver(SECRET);
  let app: INestApplication;
  let db: DataSource;
  let vpcId: number;

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

  /** The test's prefixes the host has from the PE, both families, as vtysh shows them. */
  async function hostHas(): Promise<string[]> {
    const has: string[] = [];
    for (const [family, peer] of [
      ['ipv4', PEER],
      ['ipv6', PEER_V6],
    ] as const) {
      const routes = JSON.parse(await vtysh(HOST_NS, `show bgp ${family} unicast json`)).routes as Record<
        string,
        { peerId?: string; nexthops: { ip: string }[] }[]
      >;
      for (const [prefix, paths] of Object.entries(routes)) {
        if (PREFIXES.includes(prefix) && paths.some((path) => path.peerId === peer || path.nexthops.some((hop) => hop.ip === peer))) {
          has.push(prefix);
        }
      }
    }
    return has.sort();
  }

  /** Waits until the host, the VPC table and the receiver agree on the test prefixes, the receiver at the table's revision. */
  async function allAgree(what: string, expected: string[]): Promise<void> {
    await until(
      what,
      async () => {
        if ((await hostHas()).join() !== [...expected].sort().join()) return undefined;
        const table = await vpcTable();
        const inTable = Object.keys(table.routes).filter((prefix) => PREFIXES.includes(prefix));
        if (inTable.sort().join() !== [...expected].sort().join()) return undefined;
        const held = receiver.table(vpcId);
        if (held.revision !== table.revision) return undefined;
        expect(held.routes).toEqual(table.routes);
        return true;
      },
      60000,
      100,
    );
  }

  beforeAll(async () => {
    await vtysh(HOST_NS, 'show bgp summary json').catch(() => {
      throw new Error('the FRR lab is not up: run scripts/lab up first');
    });
    const groups = { brm: `hrm-lab-brm-${randomUUID()}`, hrm: `hrm-lab-hrm-${randomUUID()}` };
    const admin = new Kafka({ clientId: 'hrm-lab-spec', brokers: [...testConfig().kafka.brokers], logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    await groupAtEnd(admin, groups.brm, TOPICS.routeEvents.name);
    await groupAtEnd(admin, groups.hrm, TOPICS.interconnectRouteUpdates.name);
    await admin.disconnect();
    await receiver.start();
    app = await startTestApp({
      RB_ROLES: 'frr-server,admin,brm,hrm',
      RB_BMP_PORT: String(COLLECTOR_PORT),
      RB_BMP_HOST: '0.0.0.0',
      RB_BRM_CONSUMER_GROUP: groups.brm,
      RB_HRM_CONSUMER_GROUP: groups.hrm,
      RB_DRIFT_INTERVAL_SECONDS: '0',
    });
    db = await new DataSource(dataSourceOptions(testConfig().database)).initialize();
    const http = api(app);
    const regionId = (await http.operator.post('/regions', { code: 'cn-gd' }).expect(201)).body.id;
    const hostId = (
      await http.operator
        .post('/hosts', {
          name: HOST_NS,
          regionId,
          zone: 'lab',
          managementAddress: '127.0.0.1',
          underlayAddress: uplinkHostAddress(1),
          routerId: '10.0.0.11',
          asn: 64512,
        })
        .expect(201)
    ).body.id;
    const peId = (
      await http.operator.post('/pes', { name: PE_NS, underlayAddress: uplinkRootAddress(1), asn: 65001, owner: 'acme' }).expect(201)
    ).body.id;
    vpcId = (await http.operator.post('/hosted-vpcs', { name: 'acme', regionId, owner: 'acme', cidrs: ['10.10.0.0/16'] }).expect(201)).body
      .id;
    const tunnelId = (
      await http.operator
        .post('/gre-tunnels', {
          hostId,
          peId,
          interfaceName: 't-pe',
          tunnelKey: 101,
          localInnerAddress: '169.254.101.2',
          remoteInnerAddress: PEER,
          innerPrefixLength: 30,
          localInnerAddressV6: 'fd00:101::2',
          remoteInnerAddressV6: PEER_V6,
          innerPrefixLengthV6: 126,
        })
        .expect(201)
    ).body.id;
    await http.operator.post('/bgp-sessions', { tunnelId, hostedVpcId: vpcId, peerAsn: 65001, peerAddress: PEER }).expect(201);
    await http.operator.post('/bgp-sessions', { tunnelId, hostedVpcId: vpcId, peerAsn: 65001, peerAddress: PEER_V6 }).expect(201);
    await http.operator
      .post('/subscriptions', { name: 'uxr-lab', region: 'cn-gd', callbackUrl: receiver.url, secret: SECRET, hostedVpcIds: [vpcId] })
      .expect(201);
    await configure(
      PE_NS,
      ...PREFIXES_V4.map((prefix) => `ip route ${prefix} blackhole`),
      ...PREFIXES_V6.map((prefix) => `ipv6 route ${prefix} blackhole`),
    );
    await configure(
      HOST_NS,
      'router bgp 64512',
      `bmp targets ${TARGET}`,
      `bmp connect ${uplinkRootAddress(1)} port ${COLLECTOR_PORT} min-retry 100 max-retry 1000`,
      'bmp monitor ipv4 unicast pre-policy',
      'bmp monitor ipv6 unicast pre-policy',
    );
  }, 90000);

  afterAll(async () => {
    const undo = async (namespace: string, ...lines: string[]) => configure(namespace, ...lines).catch(() => undefined);
    await undo(HOST_NS, 'router bgp 64512', `no bmp targets ${TARGET}`);
    for (const prefix of PREFIXES_V4) {
      await undo(PE_NS, 'router bgp 65001', 'address-family ipv4 unicast', `no network ${prefix}`);
      await undo(PE_NS, `no ip route ${prefix} blackhole`);
    }
    for (const prefix of PREFIXES_V6) {
      await undo(PE_NS, 'router bgp 65001', 'address-family ipv6 unicast', `no network ${prefix}`);
      await undo(PE_NS, `no ipv6 route ${prefix} blackhole`);
    }
    await db?.destroy();
    await app?.close();
    await receiver.stop();
    // Eleven vtysh calls and a shutdown that may wait up to its 10 s deadline for Kafka.
  }, 120000);

  it('receives the table as the PE announces and withdraws, equal to the VPC table at the same revision', async () => {
    const [a, b, c] = PREFIXES_V4 as [string, string, string];
    const [x, y] = PREFIXES_V6 as [string, string];
    await allAgree('the lab’s own routes through', []);
    await configure(PE_NS, 'router bgp 65001', 'address-family ipv4 unicast', ...PREFIXES_V4.map((prefix) => `network ${prefix}`));
    await configure(PE_NS, 'router bgp 65001', 'address-family ipv6 unicast', ...PREFIXES_V6.map((prefix) => `network ${prefix}`));
    await allAgree('the announcements of both families at the receiver', PREFIXES);
    await configure(PE_NS, 'router bgp 65001', 'address-family ipv4 unicast', `no network ${b}`);
    await configure(PE_NS, 'router bgp 65001', 'address-family ipv6 unicast', `no network ${x}`);
    await allAgree('the withdrawals at the receiver', [a, c, y]);
    await configure(PE_NS, 'router bgp 65001', 'address-family ipv4 unicast', `network ${b}`, `no network ${a}`);
    await configure(PE_NS, 'router bgp 65001', 'address-family ipv6 unicast', `network ${x}`);
    await allAgree('the re-announcements and another withdrawal at the receiver', [b, c, x, y]);
    // The IPv6 routes reach UXR with the session's IPv6 next hop.
    const held = receiver.table(vpcId).routes;
    expect(held[x]?.activeNextHops.map((hop) => hop.nextHop)).toEqual([PEER_V6]);

    const applied = receiver.applied.get(vpcId)!;
    expect(new Set(applied).size).toBe(applied.length);
    expect(receiver.refused).toEqual([]);
    expect(receiver.conflicts).toBe(0);
  });

  it('tells UXR each change’s cause and its time, and measures the change’s age at every hop', async () => {
    const [a] = PREFIXES_V4 as [string];
    const announcedAt = Date.now();
    await configure(PE_NS, 'router bgp 65001', 'address-family ipv4 unicast', `network ${a}`);
    const arrival = await until(
      `${a} at the receiver`,
      () =>
        Promise.resolve(
          receiver.arrivals.find(({ change, arrivedAt }) => change.prefix === a && change.action === 'add' && arrivedAt >= announcedAt),
        ),
      30000,
      50,
    );
    // The cause is the PE's announcement as the collector read it from the host's BMP stream:
    // after vtysh was started on the PE, before UXR had it.
    expect(arrival.change.cause).toEqual({ event: 'announce', sessionId: expect.any(Number), at: expect.any(Number) });
    expect(arrival.change.cause!.at).toBeGreaterThanOrEqual(announcedAt);
    expect(arrival.change.cause!.at).toBeLessThanOrEqual(arrival.arrivedAt);

    const metrics = await api(app).anonymous.get('/metrics').set('Authorization', `Bearer ${READ_TOKEN}`).expect(200);
    // Every hop observed the change (and the others of this run): a missing observation leaves a hop at 0.
    const counts: Record<string, number> = Object.fromEntries(
      [...metrics.text.matchAll(/^route_broker_route_change_age_seconds_count\{[^}]*hop="([a-z_]+)"[^}]*\} (\d+)$/gm)].map((match) => [
        match[1],
        Number(match[2]),
      ]),
    );
    expect(Object.keys(counts).sort()).toEqual(['committed', 'delivered', 'notified', 'on_kafka']);
    for (const [hop, count] of Object.entries(counts)) expect([hop, count > 0]).toEqual([hop, true]);
  });
});
