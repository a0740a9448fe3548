/**
 * BRM end to end on the real lab: the PE announces prefixes to host 1, whose bgpd
 * streams BMP to the collector; the collector publishes to the real Kafka; BRM builds the VPC
 * table in the real MariaDB. The expected table is computed here, independently of BRM's code,
 * from what `vtysh ... json` on the host shows and the policy the test sets (the VPC's CIDR, the
 * documentation ranges being bogons).
 */
import type { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/common/database/data-source-options.js';
import type { VpcRoute } from '../../src/common/events/vpc-events.js';
import { TOPICS } from '../../src/common/kafka/topics.js';
import { groupAtTopicEnd } from './support/consumer-groups.js';
import { api, startTestApp } from './support/app.js';
import { testConfig } from './support/environment.js';
import { createLabInventory } from './support/lab-inventory.js';
import { configure, vtysh } from './support/lab-vtysh.js';
import { until } from './support/until.js';
import { loggedRevisions, storedRoutes } from './support/stored-routes.js';
import { LAB_HOST1, LAB_PE, uplinkRootAddress } from './support/lab.js';

const HOST_NS = LAB_HOST1;
const PE_NS = LAB_PE;
const PEER = '169.254.101.1';
const COLLECTOR_PORT = 11129;
const TARGET = 'rbbrm';
const VPC_CIDR = '10.10.0.0/16';
/** Announced by this test: two acceptable, one inside the VPC (refused); the lab's own are documentation prefixes (bogons). */
const ACCEPTED = ['45.64.10.0/24', '45.64.11.0/24'];
const INSIDE_VPC = '10.10.5.0/24';

describe('BRM on the real lab: FRR → BMP → Kafka → VPC table', () => {
  let app: INestApplication;
  let db: DataSource;
  let vpcId: number;

  async function table(): Promise<Record<string, { state: string; entry: VpcRoute }>> {
    return Object.fromEntries(await storedRoutes(db, vpcId));
  }

  /** What the VPC table should hold: the host's IPv4 routes from the PE, minus what the policy refuses. */
  async function expected(): Promise<Record<string, { asPath: number[]; med: number | null }>> {
    const routes = JSON.parse(await vtysh(HOST_NS, 'show bgp ipv4 unicast json')).routes as Record<
      string,
      { path: string; metric?: number; nexthops: { ip: string }[]; peerId?: string }[]
    >;
    const wanted: Record<string, { asPath: number[]; med: number | null }> = {};
    for (const [prefix, paths] of Object.entries(routes)) {
      const fromPe = paths.find((path) => path.peerId === PEER || path.nexthops.some((hop) => hop.ip === PEER));
      if (!fromPe) continue;
      const [a, b] = prefix.split('.').map(Number) as [number, number];
      const inVpc = a === 10 && b === 10;
      const documentation = ['192.0.2.', '198.51.100.', '203.0.113.'].some((start) => prefix.startsWith(start));
      if (inVpc || documentation) continue;
      wanted[prefix] = { asPath: fromPe.path.split(' ').filter(Boolean).map(Number), med: fromPe.metric ?? null };
    }
    return wanted;
  }

  beforeAll(async () => {
    await vtysh(HOST_NS, 'show bgp summary json').catch(() => {
      throw new Error('the FRR lab is not up: run scripts/lab up first');
    });
    // A new consumer group starting at the topic's end: earlier suites' lab events are not this test's.
    const group = await groupAtTopicEnd('brm-lab-spec', TOPICS.routeEvents.name);
    app = await startTestApp({
      RB_ROLES: 'frr-server,admin,brm',
      RB_BMP_PORT: String(COLLECTOR_PORT),
      RB_BMP_HOST: '0.0.0.0',
      RB_BRM_CONSUMER_GROUP: group,
    });
    db = await new DataSource(dataSourceOptions(testConfig().database)).initialize();
    ({ vpcId } = await createLabInventory(api(app), { vpcCidrs: [VPC_CIDR] }));

    await configure(
      PE_NS,
      ...[...ACCEPTED, INSIDE_VPC].map((prefix) => `ip route ${prefix} blackhole`),
      'route-map RB-BRM permit 10',
      'set metric 70',
      'set as-path prepend 65001 65001',
      'exit',
      'router bgp 65001',
      'address-family ipv4 unicast',
      `network ${ACCEPTED[0]} route-map RB-BRM`,
      `network ${ACCEPTED[1]}`,
      `network ${INSIDE_VPC}`,
    );
    await configure(
      HOST_NS,
      'router bgp 64512',
      `bmp targets ${TARGET}`,
      `bmp connect ${uplinkRootAddress(1)} port ${COLLECTOR_PORT} min-retry 100 max-retry 1000`,
      'bmp monitor ipv4 unicast pre-policy',
    );
  }, 90000);

  afterAll(async () => {
    // One command per call: vtysh stops at the first failing command, and some of these are
    // already gone (the withdrawn prefix) — every other suite expects the lab as scripts/lab made it.
    const undo = async (namespace: string, ...lines: string[]) => configure(namespace, ...lines).catch(() => undefined);
    await undo(HOST_NS, 'router bgp 64512', `no bmp targets ${TARGET}`);
    await undo(HOST_NS, 'router bgp 64512', `no neighbor ${PEER} shutdown`);
    for (const prefix of [...ACCEPTED, INSIDE_VPC]) {
      await undo(PE_NS, 'router bgp 65001', 'address-family ipv4 unicast', `no network ${prefix}`);
      await undo(PE_NS, `no ip route ${prefix} blackhole`);
    }
    await undo(PE_NS, 'no route-map RB-BRM');
    await db?.destroy();
    await app?.close();
  });

  it("holds exactly the host's routes that pass the policy, with their attributes, and the refused one with its reason", async () => {
    const want = await until('the host to learn the test prefixes', async () => {
      const routes = await expected();
      return ACCEPTED.every((prefix) => prefix in routes) ? routes : undefined;
    });
    const got = await until('the VPC table to match the host', async () => {
      const current = await table();
      return Object.keys(current).sort().join() === Object.keys(want).sort().join() ? current : undefined;
    });
    for (const [prefix, { asPath, med }] of Object.entries(want)) {
      const route = got[prefix]!;
      expect(route.state).toBe('active');
      expect(route.entry.activeNextHops).toEqual([expect.objectContaining({ nextHop: PEER })]);
      expect(route.entry.paths[0]).toMatchObject({ asPath, med, state: 'active', stale: false });
    }
    expect(got[ACCEPTED[0]!]!.entry.paths[0]).toMatchObject({ asPath: [65001, 65001, 65001], med: 70 });
    const rejected: { prefix: string; reason: string }[] = await db.query(
      'SELECT prefix, reason FROM vpc_rejected_routes WHERE hosted_vpc_id = ? ORDER BY prefix',
      [vpcId],
    );
    expect(rejected).toEqual(
      expect.arrayContaining([
        { prefix: INSIDE_VPC, reason: 'overlaps-vpc-cidr' },
        { prefix: '198.51.100.0/24', reason: 'bogon' },
        { prefix: '203.0.113.0/24', reason: 'bogon' },
      ]),
    );
  });

  it('removes a withdrawn prefix', async () => {
    await configure(PE_NS, 'router bgp 65001', 'address-family ipv4 unicast', `no network ${ACCEPTED[1]}`);
    await until('the withdrawal in the VPC table', async () => (ACCEPTED[1]! in (await table()) ? undefined : true));
    expect(Object.keys(await table())).toEqual([ACCEPTED[0]]);
    expect(Object.keys(await expected())).toEqual([ACCEPTED[0]]);
  });

  it("keeps a shut-down session's routes stale (FRR 8.4 reports it without a NOTIFICATION) and fresh again when it returns", async () => {
    // FRR 8.4's BMP Peer Down for `neighbor … shutdown` is reason 2 (local, no NOTIFICATION), and
    // both sides advertise the graceful-restart capability: BRM keeps the routes, stale, for the
    // session's restart time (docs/brm.md).
    await configure(HOST_NS, 'router bgp 64512', `neighbor ${PEER} shutdown`);
    const stale = await until('the route stale', async () => {
      const route = (await table())[ACCEPTED[0]!];
      return route?.state === 'stale' ? route : undefined;
    });
    expect(stale.entry.paths[0]).toMatchObject({ stale: true, state: 'active' });
    const phase: { phase: string }[] = await db.query('SELECT phase FROM vpc_route_sessions WHERE hosted_vpc_id = ?', [vpcId]);
    expect(phase.map((row) => row.phase)).toEqual(['restarting']);

    await configure(HOST_NS, 'router bgp 64512', `no neighbor ${PEER} shutdown`);
    const back = await until(
      'the route fresh again',
      async () => {
        const route = (await table())[ACCEPTED[0]!];
        return route?.state === 'active' ? route : undefined;
      },
      60000,
    );
    expect(back.entry.paths[0]).toMatchObject({ stale: false, asPath: [65001, 65001, 65001] });
    expect(Object.keys(await table())).toEqual([ACCEPTED[0]]);

    // Every revision is in the change log once, without gaps.
    const log = await loggedRevisions(db, vpcId);
    const stored: { revision: string }[] = await db.query('SELECT revision FROM vpc_route_tables WHERE hosted_vpc_id = ?', [vpcId]);
    expect(log).toEqual(Array.from({ length: Number(stored[0]!.revision) }, (_, index) => index + 1));
  });
});
