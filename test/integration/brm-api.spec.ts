/**
 * The route-table admin endpoints (/hosted-vpcs/:id/routes, rejected-routes, route-changes,
 * route-diff, session-counters) against the real Kafka and MariaDB: route-stream events published on
 * bgp.route-events.v1 go through BRM into the tables, and every answer is checked against what the
 * events imply: filters, prefix order, the table as of a revision, diffs, counters, 400s and 404s.
 */
import type { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { Kafka, logLevel, Partitioners, type Admin, type Producer } from 'kafkajs';
import { DataSource } from 'typeorm';
import { checkChangeLog, tableAsOf } from '../../src/brm/core/revision.js';
import type { RouteChange, RouteEntry } from '../../src/brm/core/route-table.js';
import { dataSourceOptions } from '../../src/common/database/data-source-options.js';
import type { SessionRef } from '../../src/common/events/bgp-events.js';
import { api, startTestApp } from './support/app.js';
import { READ_TOKEN, testConfig } from './support/environment.js';
import { groupAtTopicEnd, peSessionRef, routeEvents, type RouteStreamMessage } from './support/route-events.js';
import { until } from './support/until.js';
import { storedRoutes } from './support/stored-routes.js';
import { createCloudEvent } from '../../src/common/kafka/cloud-event.js';
import { TOPICS } from '../../src/common/kafka/topics.js';
import { INVENTORY_CHANGED, type InventoryChangedData } from '../../src/common/events/inventory-events.js';

const ROUTER = `brm-api-host-${process.pid}`;
/** An ISO 8601 time as the API gives it (`2026-12-07T05:30:00.123Z`). */
const ISO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const PEER_A = '169.254.210.1';
const PEER_B = '169.254.211.1';
/** Configured, never heard from. */
const PEER_C = '169.254.212.1';
const V6 = '2a0e:1000::/32';
const A_PATH = [65001, 65010];
const B_PATH = [65001];

type Family = 'ipv4-unicast' | 'ipv6-unicast';

interface RoutesBody {
  vpcId: number;
  revision: number;
  total: number;
  routes: RouteEntry[];
}
interface RejectedBody {
  vpcId: number;
  revision: number;
  total: number;
  rejected: {
    prefix: string;
    family: Family;
    sessionId: number;
    pathId: number | null;
    reason: string;
    detail: string;
    attributes: Record<string, unknown>;
    revision: number | null;
    rejectedAt: string | null;
  }[];
}
interface ChangesBody {
  vpcId: number;
  revision: number;
  fromRevision: number;
  toRevision: number;
  changes: (RouteChange & { recordedAt: string | null })[];
  nextFromRevision: number | null;
}
interface DiffBody {
  vpcId: number;
  revision: number;
  from: number;
  to: number;
  summary: { add: number; update: number; remove: number };
  diff: { prefix: string; family: Family; action: 'add' | 'update' | 'remove'; before: RouteEntry | null; after: RouteEntry | null }[];
}
interface CountersBody {
  vpcId: number;
  revision: number;
  sessions: {
    sessionId: number;
    tunnelId: number;
    peerAddress: string;
    peerAsn: number;
    phase: string;
    lastUpDownAt: string | null;
    gracefulRestartNegotiated: boolean | null;
    overLimit: boolean;
    maxPrefix: number | null;
    prefixes: number;
    paths: number;
    stalePaths: number;
    activeRoutes: number;
    rejected: { total: number; byReason: Record<string, number> };
  }[];
}

describe('BRM route-table admin API with the real Kafka and MariaDB', () => {
  const group = `brm-api-spec-${randomUUID()}`;
  const kafka = new Kafka({ clientId: 'brm-api-spec', brokers: [...testConfig().kafka.brokers], logLevel: logLevel.NOTHING });
  let app: INestApplication;
  let admin: Admin;
  let producer: Producer;
  let db: DataSource;
  let http: ReturnType<typeof api>;
  let hostId: number;
  let vpcId: number;
  const sessionIds: Record<string, number> = {};
  const tunnelIds: Record<string, number> = {};
  /** Revisions after each step, and the table the API gave then. */
  let r1 = 0;
  let r2 = 0;
  let r3 = 0;
  let atR1: RoutesBody;
  let atR2: RoutesBody;

  const ref = (peer: string): SessionRef => peSessionRef(ROUTER, hostId, peer);
  /** The attributes BRM keeps of a path (RouteAttributes). */
  const kept = (peer: string, asPath: number[]) => ({ origin: 'igp', asPath, nextHop: peer, med: null, localPref: null });
  const events = routeEvents(ref);
  const { withdraw, endOfRib, down } = events;
  const up = (peer: string) => events.up(peer, ['ipv4-unicast', 'ipv6-unicast']);
  const announce = (peer: string, prefixes: string[], asPath: number[], family: Family = 'ipv4-unicast') =>
    events.announce(peer, prefixes, asPath, family);
  const publish = (...messages: RouteStreamMessage[]) => events.publish(producer, 'brm-api-spec', ...messages);

  async function get<T>(path: string, status = 200): Promise<T> {
    const response = await http.reader.get(path);
    if (response.status !== status) throw new Error(`GET ${path}: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body as T;
  }
  const routes = (query = '') => get<RoutesBody>(`/hosted-vpcs/${vpcId}/routes${query}`);
  const rejected = (query = '') => get<RejectedBody>(`/hosted-vpcs/${vpcId}/rejected-routes${query}`);
  const changes = (query = '') => get<ChangesBody>(`/hosted-vpcs/${vpcId}/route-changes${query}`);
  const diff = (query: string) => get<DiffBody>(`/hosted-vpcs/${vpcId}/route-diff${query}`);
  const counters = () => get<CountersBody>(`/hosted-vpcs/${vpcId}/session-counters`);
  const prefixes = (body: { routes: RouteEntry[] }) => body.routes.map((route) => route.prefix);
  const counterOf = async (peer: string) => (await counters()).sessions.find((session) => session.sessionId === sessionIds[peer])!;

  /** What BRM stored, read directly: the reference for the current table. */
  async function storedEntries(): Promise<Map<string, RouteEntry>> {
    return new Map([...(await storedRoutes(db, vpcId))].map(([prefix, route]) => [prefix, route.entry]));
  }

  /**
   * This VPC's session gauges as GET /metrics shows them, by peer: route_broker_brm_session_up and
   * route_broker_brm_session_over_max_prefix (no entry: no series).
   */
  async function sessionGauges(): Promise<Record<string, { up?: number; overMaxPrefix?: number }>> {
    const text = (await http.anonymous.get('/metrics').set('Authorization', `Bearer ${READ_TOKEN}`).expect(200)).text;
    const peerOf = new Map(Object.entries(sessionIds).map(([peer, id]) => [String(id), peer]));
    const gauges: Record<string, { up?: number; overMaxPrefix?: number }> = {};
    for (const [, name, labels, value] of text.matchAll(/^route_broker_brm_session_(up|over_max_prefix)\{([^}]*)\} (\S+)$/gm)) {
      const label = Object.fromEntries([...labels!.matchAll(/(\w+)="([^"]*)"/g)].map(([, key, labelValue]) => [key, labelValue]));
      if (label.hosted_vpc_id !== String(vpcId)) continue;
      const peer = peerOf.get(label.session_id) ?? `session ${label.session_id}`;
      gauges[peer] = { ...gauges[peer], [name === 'up' ? 'up' : 'overMaxPrefix']: Number(value) };
    }
    return gauges;
  }

  /** Waits (set after BRM's commit, which the API may show first) until the session gauges are `expected`, else fails showing them. */
  async function sessionGaugesBecome(expected: Record<string, { up: number; overMaxPrefix: number }>): Promise<void> {
    const deadline = Date.now() + 15000;
    let seen = await sessionGauges();
    while (!isDeepStrictEqual(seen, expected) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      seen = await sessionGauges();
    }
    expect(seen).toEqual(expected);
  }

  async function revisionReached(revision: number): Promise<void> {
    await until(`revision ${revision}`, async () => ((await routes()).revision >= revision ? true : undefined), 30000, 100);
  }

  beforeAll(async () => {
    admin = kafka.admin();
    await admin.connect();
    producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    await groupAtTopicEnd(admin, group);
    app = await startTestApp({ RB_ROLES: 'admin,brm', RB_BRM_CONSUMER_GROUP: group });
    db = await new DataSource(dataSourceOptions(testConfig().database)).initialize();
    http = api(app);

    const regionId = (await http.operator.post('/regions', { code: 'cn-sh' }).expect(201)).body.id;
    hostId = (
      await http.operator
        .post('/hosts', {
          name: ROUTER,
          regionId,
          zone: 'a',
          managementAddress: '127.0.0.1',
          underlayAddress: '192.0.2.21',
          routerId: '192.0.2.21',
          asn: 64512,
        })
        .expect(201)
    ).body.id;
    const peId = (
      await http.operator.post('/pes', { name: 'pe-api', underlayAddress: '198.51.100.21', asn: 65001, owner: 'acme' }).expect(201)
    ).body.id;
    vpcId = (await http.operator.post('/hosted-vpcs', { name: 'vpc-api', regionId, owner: 'acme', cidrs: ['10.20.0.0/16'] }).expect(201))
      .body.id;
    const maxPrefix: Record<string, number> = { [PEER_A]: 10, [PEER_B]: 2, [PEER_C]: 50 };
    for (const [index, peer] of [PEER_A, PEER_B, PEER_C].entries()) {
      tunnelIds[peer] = (
        await http.operator
          .post('/gre-tunnels', {
            hostId,
            peId,
            interfaceName: `gre-api${index}`,
            tunnelKey: 300 + index,
            localInnerAddress: peer.replace(/\.1$/, '.2'),
            remoteInnerAddress: peer,
            innerPrefixLength: 30,
          })
          .expect(201)
      ).body.id;
      sessionIds[peer] = (
        await http.operator
          .post('/bgp-sessions', {
            tunnelId: tunnelIds[peer],
            hostedVpcId: vpcId,
            peerAsn: 65001,
            peerAddress: peer,
            maxPrefix: maxPrefix[peer],
          })
          .expect(201)
      ).body.id;
    }
    // BRM loaded the inventory at start-up; it reloads on an unknown session at most once a second.
    await new Promise((resolve) => setTimeout(resolve, 1100));
  }, 90000);

  afterAll(async () => {
    await producer?.disconnect();
    await admin?.disconnect();
    await db?.destroy();
    await app?.close();
  });

  it('answers for a VPC BRM has not seen yet: revision 0, nothing in it, sessions unknown', async () => {
    expect(await routes()).toEqual({ vpcId, revision: 0, total: 0, routes: [] });
    expect(await rejected()).toEqual({ vpcId, revision: 0, total: 0, rejected: [] });
    expect(await changes()).toEqual({ vpcId, revision: 0, fromRevision: 1, toRevision: 0, changes: [], nextFromRevision: null });
    expect((await diff('?from=0&to=0')).diff).toEqual([]);
    const { sessions } = await counters();
    expect(sessions.map((session) => [session.peerAddress, session.phase, session.prefixes])).toEqual([
      [PEER_A, 'unknown', 0],
      [PEER_B, 'unknown', 0],
      [PEER_C, 'unknown', 0],
    ]);
    // No session state known: no session gauge either.
    expect(await sessionGauges()).toEqual({});
  });

  it('lists the table in prefix order with its filters, and the rejected announcements with their reasons', async () => {
    await publish(
      up(PEER_A),
      announce(PEER_A, ['45.64.10.0/24', '45.64.1.0/24', '45.64.2.0/24', '45.64.3.0/24', '45.64.5.0/24', '45.64.0.0/16'], A_PATH),
      announce(PEER_A, [V6], A_PATH, 'ipv6-unicast'),
      announce(PEER_A, ['10.20.1.0/24', '45.65.0.0/25', '198.18.0.0/15'], A_PATH),
      endOfRib(PEER_A),
      endOfRib(PEER_A, 'ipv6-unicast'),
    );
    // 7 accepted, 3 rejected: one revision each.
    await revisionReached(10);
    atR1 = await routes();
    r1 = atR1.revision;
    expect(r1).toBe(10);
    // A is up; B and C were never heard from: no series.
    await sessionGaugesBecome({ [PEER_A]: { up: 1, overMaxPrefix: 0 } });

    // Family, then address (numerically: .10 after .5), then length.
    const all = ['45.64.0.0/16', '45.64.1.0/24', '45.64.2.0/24', '45.64.3.0/24', '45.64.5.0/24', '45.64.10.0/24', V6];
    expect(prefixes(atR1)).toEqual(all);
    expect(atR1.total).toBe(7);
    const stored = await storedEntries();
    expect(atR1.routes).toEqual(all.map((prefix) => stored.get(prefix)));
    for (const route of atR1.routes) {
      expect(route.activeNextHops).toEqual([{ sessionId: sessionIds[PEER_A], tunnelId: tunnelIds[PEER_A], nextHop: PEER_A }]);
      expect(route.paths).toEqual([
        expect.objectContaining({ sessionId: sessionIds[PEER_A], state: 'active', stale: false, asPath: A_PATH }),
      ]);
    }
    expect(atR1.routes[6]!.family).toBe('ipv6-unicast');

    // Paging keeps the order; total counts every match.
    const page = await routes('?limit=2&offset=1');
    expect([page.total, prefixes(page)]).toEqual([7, ['45.64.1.0/24', '45.64.2.0/24']]);
    expect(prefixes(await routes('?offset=6'))).toEqual([V6]);

    // prefix: exact, or covering (everything inside it, itself included).
    expect(prefixes(await routes('?prefix=45.64.1.0/24'))).toEqual(['45.64.1.0/24']);
    expect(prefixes(await routes('?prefix=45.64.0.0/20'))).toEqual([
      '45.64.1.0/24',
      '45.64.2.0/24',
      '45.64.3.0/24',
      '45.64.5.0/24',
      '45.64.10.0/24',
    ]);
    expect(prefixes(await routes('?prefix=45.0.0.0/8'))).toEqual(all.slice(0, 6));
    expect(prefixes(await routes(`?prefix=${encodeURIComponent('2a0e::/16')}`))).toEqual([V6]);
    expect((await routes('?prefix=45.64.1.0/25')).total).toBe(0);
    expect(prefixes(await routes('?state=active'))).toEqual(all);
    expect((await routes('?state=stale')).total).toBe(0);
    expect(prefixes(await routes(`?sessionId=${sessionIds[PEER_A]}`))).toEqual(all);
    expect((await routes(`?sessionId=${sessionIds[PEER_B]}`)).total).toBe(0);

    // Rejected, in prefix order (10.20 < 45.65 < 198.18 numerically), each with the change that logged it.
    const refused = await rejected();
    expect(refused.total).toBe(3);
    expect(refused.rejected.map((row) => [row.prefix, row.reason, row.sessionId, row.pathId])).toEqual([
      ['10.20.1.0/24', 'overlaps-vpc-cidr', sessionIds[PEER_A], null],
      ['45.65.0.0/25', 'prefix-length', sessionIds[PEER_A], null],
      ['198.18.0.0/15', 'bogon', sessionIds[PEER_A], null],
    ]);
    for (const row of refused.rejected) {
      expect(row.family).toBe('ipv4-unicast');
      expect(row.detail).toEqual(expect.any(String));
      expect(row.detail.length).toBeGreaterThan(0);
      expect(row.attributes).toEqual(kept(PEER_A, A_PATH));
      expect(Number.isNaN(Date.parse(row.rejectedAt!))).toBe(false);
    }
    expect(refused.rejected.map((row) => row.revision)).toEqual([8, 9, 10]);
    expect(refused.rejected[0]!.detail).toContain('10.20.0.0/16');
    expect((await rejected('?reason=bogon')).rejected.map((row) => row.prefix)).toEqual(['198.18.0.0/15']);
    expect((await rejected(`?sessionId=${sessionIds[PEER_B]}`)).total).toBe(0);
    expect((await rejected('?prefix=45.0.0.0/8')).rejected.map((row) => row.prefix)).toEqual(['45.65.0.0/25']);
    expect((await rejected('?limit=1&offset=1')).rejected.map((row) => row.prefix)).toEqual(['45.65.0.0/25']);
  });

  it('counts per session and diffs two revisions after a second session takes over and a route is withdrawn', async () => {
    await publish(up(PEER_B), announce(PEER_B, ['45.64.1.0/24', '45.64.2.0/24', '45.64.4.0/24'], B_PATH), endOfRib(PEER_B));
    await publish(withdraw(PEER_A, ['45.64.5.0/24']));
    // Two updates (B's shorter path wins), one max-prefix rejection (B may hold 2), one removal.
    await revisionReached(r1 + 4);
    atR2 = await routes();
    r2 = atR2.revision;
    expect(r2).toBe(r1 + 4);

    expect(prefixes(atR2)).toEqual(['45.64.0.0/16', '45.64.1.0/24', '45.64.2.0/24', '45.64.3.0/24', '45.64.10.0/24', V6]);
    const taken = atR2.routes.find((route) => route.prefix === '45.64.1.0/24')!;
    expect(taken.activeNextHops.map((hop) => hop.sessionId)).toEqual([sessionIds[PEER_B]]);
    expect(taken.paths.map((path) => [path.sessionId, path.state])).toEqual([
      [sessionIds[PEER_B], 'active'],
      [sessionIds[PEER_A], 'standby'],
    ]);
    expect(prefixes(await routes(`?sessionId=${sessionIds[PEER_B]}`))).toEqual(['45.64.1.0/24', '45.64.2.0/24']);
    expect(prefixes(await routes(`?sessionId=${sessionIds[PEER_A]}&prefix=45.64.0.0/22`))).toEqual([
      '45.64.1.0/24',
      '45.64.2.0/24',
      '45.64.3.0/24',
    ]);
    expect((await routes('?state=active')).total).toBe(6);

    const maxPrefix = await rejected('?reason=max-prefix');
    expect(maxPrefix.rejected).toEqual([
      expect.objectContaining({
        prefix: '45.64.4.0/24',
        sessionId: sessionIds[PEER_B],
        reason: 'max-prefix',
        attributes: kept(PEER_B, B_PATH),
      }),
    ]);
    expect((await rejected()).rejected.map((row) => row.prefix)).toEqual(['10.20.1.0/24', '45.64.4.0/24', '45.65.0.0/25', '198.18.0.0/15']);

    // B over its limit of 2 (it refused 45.64.4.0/24), up like A.
    await sessionGaugesBecome({ [PEER_A]: { up: 1, overMaxPrefix: 0 }, [PEER_B]: { up: 1, overMaxPrefix: 1 } });

    const { sessions, revision } = await counters();
    expect(revision).toBe(r2);
    expect(sessions).toEqual([
      {
        sessionId: sessionIds[PEER_A],
        tunnelId: tunnelIds[PEER_A],
        peerAddress: PEER_A,
        peerAsn: 65001,
        phase: 'established',
        lastUpDownAt: expect.stringMatching(ISO_TIME),
        gracefulRestartNegotiated: true,
        overLimit: false,
        maxPrefix: 10,
        prefixes: 6,
        paths: 6,
        stalePaths: 0,
        // 45.64.0.0/16, 45.64.3.0/24, 45.64.10.0/24 and the IPv6 route; B carries .1 and .2.
        activeRoutes: 4,
        rejected: { total: 3, byReason: { bogon: 1, 'overlaps-vpc-cidr': 1, 'prefix-length': 1 } },
      },
      {
        sessionId: sessionIds[PEER_B],
        tunnelId: tunnelIds[PEER_B],
        peerAddress: PEER_B,
        peerAsn: 65001,
        phase: 'established',
        lastUpDownAt: expect.stringMatching(ISO_TIME),
        gracefulRestartNegotiated: true,
        overLimit: true,
        maxPrefix: 2,
        prefixes: 2,
        paths: 2,
        stalePaths: 0,
        activeRoutes: 2,
        rejected: { total: 1, byReason: { 'max-prefix': 1 } },
      },
      {
        sessionId: sessionIds[PEER_C],
        tunnelId: tunnelIds[PEER_C],
        peerAddress: PEER_C,
        peerAsn: 65001,
        phase: 'unknown',
        lastUpDownAt: null,
        gracefulRestartNegotiated: null,
        overLimit: false,
        maxPrefix: 50,
        prefixes: 0,
        paths: 0,
        stalePaths: 0,
        activeRoutes: 0,
        rejected: { total: 0, byReason: {} },
      },
    ]);

    // The session-ups were sent during this test: their time is recent, not made up.
    for (const session of sessions.slice(0, 2)) {
      expect(Date.now() - Date.parse(session.lastUpDownAt!)).toBeLessThan(10 * 60_000);
    }

    const forward = await diff(`?from=${r1}&to=${r2}`);
    expect(forward).toMatchObject({ vpcId, revision: r2, from: r1, to: r2, summary: { add: 0, update: 2, remove: 1 } });
    const before = new Map(atR1.routes.map((route) => [route.prefix, route]));
    const after = new Map(atR2.routes.map((route) => [route.prefix, route]));
    expect(forward.diff).toEqual([
      {
        prefix: '45.64.1.0/24',
        family: 'ipv4-unicast',
        action: 'update',
        before: before.get('45.64.1.0/24'),
        after: after.get('45.64.1.0/24'),
      },
      {
        prefix: '45.64.2.0/24',
        family: 'ipv4-unicast',
        action: 'update',
        before: before.get('45.64.2.0/24'),
        after: after.get('45.64.2.0/24'),
      },
      { prefix: '45.64.5.0/24', family: 'ipv4-unicast', action: 'remove', before: before.get('45.64.5.0/24'), after: null },
    ]);
    const backward = await diff(`?from=${r2}&to=${r1}`);
    expect(backward.summary).toEqual({ add: 1, update: 2, remove: 0 });
    expect(backward.diff.map((item) => [item.prefix, item.action])).toEqual([
      ['45.64.1.0/24', 'update'],
      ['45.64.2.0/24', 'update'],
      ['45.64.5.0/24', 'add'],
    ]);
    expect((await diff(`?from=${r2}&to=${r2}`)).diff).toEqual([]);
  });

  it('shows graceful restart: stale routes, the session restarting, its rejections forgotten', async () => {
    await publish(down(PEER_A));
    await until('session A restarting', async () => ((await counterOf(PEER_A)).phase === 'restarting' ? true : undefined), 30000, 100);
    const now = await routes();
    r3 = now.revision;
    expect(r3).toBeGreaterThan(r2);

    // A's only-path routes forward on stale paths; .1 and .2 still have B's fresh one.
    expect(prefixes(await routes('?state=stale'))).toEqual(['45.64.0.0/16', '45.64.3.0/24', '45.64.10.0/24', V6]);
    expect(prefixes(await routes('?state=active'))).toEqual(['45.64.1.0/24', '45.64.2.0/24']);
    expect((await routes('?state=standby')).total).toBe(0);
    const stored = await storedEntries();
    expect(now.routes).toEqual(prefixes(now).map((prefix) => stored.get(prefix)));
    const staleOne = now.routes.find((route) => route.prefix === '45.64.3.0/24')!;
    expect(staleOne.paths).toEqual([expect.objectContaining({ sessionId: sessionIds[PEER_A], state: 'active', stale: true })]);

    // A session going down forgets what its peer had rejected (it will announce everything again).
    expect((await rejected()).rejected.map((row) => [row.prefix, row.reason])).toEqual([['45.64.4.0/24', 'max-prefix']]);

    const a = await counterOf(PEER_A);
    expect(a).toMatchObject({ phase: 'restarting', overLimit: false, prefixes: 6, paths: 6, stalePaths: 6, activeRoutes: 4 });
    expect(a.rejected).toEqual({ total: 0, byReason: {} });
    expect(await counterOf(PEER_B)).toMatchObject({ phase: 'established', overLimit: true, prefixes: 2, activeRoutes: 2 });
    // Restarting is down for the gauge (its routes forward on stale paths meanwhile).
    await sessionGaugesBecome({ [PEER_A]: { up: 0, overMaxPrefix: 0 }, [PEER_B]: { up: 1, overMaxPrefix: 1 } });
  });

  it('rebuilds the table as of any revision from the change log, with the same filters', async () => {
    expect(await routes(`?revision=${r1}`)).toEqual(atR1);
    expect(await routes(`?revision=${r2}`)).toEqual(atR2);
    expect(await routes('?revision=0')).toEqual({ vpcId, revision: 0, total: 0, routes: [] });
    expect(await routes(`?revision=${r3}`)).toEqual(await routes());

    const onlyB = await routes(`?revision=${r2}&sessionId=${sessionIds[PEER_B]}`);
    expect([onlyB.revision, prefixes(onlyB)]).toEqual([r2, ['45.64.1.0/24', '45.64.2.0/24']]);
    expect(prefixes(await routes(`?revision=${r1}&state=active&prefix=45.64.0.0/21`))).toEqual([
      '45.64.1.0/24',
      '45.64.2.0/24',
      '45.64.3.0/24',
      '45.64.5.0/24',
    ]);
    expect((await routes(`?revision=${r1}&state=stale`)).total).toBe(0);
    const paged = await routes(`?revision=${r1}&limit=3&offset=3`);
    expect([paged.total, prefixes(paged)]).toEqual([7, ['45.64.3.0/24', '45.64.5.0/24', '45.64.10.0/24']]);
    // Revision 3: the first three announcements of the first event, in the order announced.
    expect(prefixes(await routes('?revision=3'))).toEqual(['45.64.1.0/24', '45.64.2.0/24', '45.64.10.0/24']);

    // Everything from the empty table is the whole current table.
    const everything = await diff(`?from=0&to=${r3}`);
    expect(everything.summary).toEqual({ add: 6, update: 0, remove: 0 });
    expect(everything.diff.map((item) => item.after)).toEqual((await routes()).routes);
  });

  it('pages through the change log in ascending order and filters it by revision range and prefix', async () => {
    const whole = await changes('?limit=1000');
    expect(whole).toMatchObject({ vpcId, revision: r3, fromRevision: 1, toRevision: r3, nextFromRevision: null });
    expect(whole.changes.map((change) => change.revision)).toEqual(Array.from({ length: r3 }, (_, index) => index + 1));
    expect(checkChangeLog(whole.changes)).toEqual([]);
    expect(tableAsOf(whole.changes, r3)).toEqual((await routes()).routes);
    for (const change of whole.changes) {
      expect(change.vpcId).toBe(vpcId);
      expect(Number.isNaN(Date.parse(change.recordedAt!))).toBe(false);
    }
    expect(whole.changes.slice(0, 10).map((change) => change.action)).toEqual([
      ...Array<string>(7).fill('add'),
      'reject',
      'reject',
      'reject',
    ]);
    expect(whole.changes[7]).toMatchObject({
      prefix: '10.20.1.0/24',
      cause: { event: 'announce', sessionId: sessionIds[PEER_A] },
      rejection: { sessionId: sessionIds[PEER_A], pathId: null, reason: 'overlaps-vpc-cidr' },
      before: null,
      after: null,
    });

    // Pages of 4, continued at nextFromRevision, give the whole log.
    const paged: number[] = [];
    let next: number | null = 1;
    while (next !== null) {
      const page: ChangesBody = await changes(`?fromRevision=${next}&limit=4`);
      expect(page.changes.length).toBeLessThanOrEqual(4);
      paged.push(...page.changes.map((change) => change.revision));
      next = page.nextFromRevision;
    }
    expect(paged).toEqual(whole.changes.map((change) => change.revision));

    const step2 = await changes(`?fromRevision=${r1 + 1}&toRevision=${r2}`);
    expect(step2.changes.map((change) => [change.prefix, change.action]).sort()).toEqual([
      ['45.64.1.0/24', 'update'],
      ['45.64.2.0/24', 'update'],
      ['45.64.4.0/24', 'reject'],
      ['45.64.5.0/24', 'remove'],
    ]);
    expect((await changes('?prefix=45.64.5.0/24')).changes.map((change) => change.action)).toEqual(['add', 'remove']);
    const history = (await changes('?prefix=45.64.1.0/24')).changes;
    expect(history.map((change) => [change.action, change.cause.event])).toEqual([
      ['add', 'announce'],
      ['update', 'announce'],
      ['update', 'session-down'],
    ]);
    expect(history[1]!.after!.activeNextHops.map((hop) => hop.sessionId)).toEqual([sessionIds[PEER_B]]);
    // Covering: the changes of prefixes inside 45.64.0.0/22 (not 45.64.0.0/16, not .4, not .10), in revision order.
    const covered = await changes('?prefix=45.64.0.0/22&limit=2');
    expect(covered.changes.map((change) => change.prefix)).toEqual(['45.64.1.0/24', '45.64.2.0/24']);
    expect(covered.nextFromRevision).toBe(covered.changes[1]!.revision + 1);
    expect((await changes(`?prefix=${encodeURIComponent(V6)}`)).changes.map((change) => change.action)).toEqual(['add', 'update']);
    expect((await changes(`?fromRevision=${r3 + 1}`)).changes).toEqual([]);
  });

  it('refuses bad query values with a 400 naming the field, and unknown VPCs with a 404', async () => {
    const problem = async (path: string, field: string) => {
      const response = await http.reader.get(path).expect(400);
      const fields = (response.body as { fields: { field: string; problem: string }[] }).fields.map((item) => item.field);
      expect([path, fields]).toEqual([path, expect.arrayContaining([field])]);
      return (response.body as { message: string[] }).message.join('; ');
    };
    const base = `/hosted-vpcs/${vpcId}`;
    expect(await problem(`${base}/routes?revision=${r3 + 1}`, 'revision')).toContain(`beyond the current revision ${r3}`);
    await problem(`${base}/routes?revision=-1`, 'revision');
    await problem(`${base}/routes?revision=abc`, 'revision');
    await problem(`${base}/routes?state=gone`, 'state');
    expect(await problem(`${base}/routes?prefix=45.64.1.1/24`, 'prefix')).toContain('host bits');
    await problem(`${base}/routes?prefix=not-a-prefix`, 'prefix');
    await problem(`${base}/routes?sessionId=x`, 'sessionId');
    await problem(`${base}/routes?limit=0`, 'limit');
    await problem(`${base}/routes?limit=1001`, 'limit');
    await problem(`${base}/routes?offset=-1`, 'offset');
    await problem(`${base}/routes?colour=blue`, 'colour');
    await problem(`${base}/rejected-routes?reason=rude`, 'reason');
    await problem(`${base}/rejected-routes?sessionId=0`, 'sessionId');
    await problem(`${base}/rejected-routes?prefix=300.1.0.0/16`, 'prefix');
    await problem(`${base}/route-changes?toRevision=${r3 + 1}`, 'toRevision');
    await problem(`${base}/route-changes?fromRevision=5&toRevision=4`, 'fromRevision');
    await problem(`${base}/route-changes?fromRevision=0`, 'fromRevision');
    await problem(`${base}/route-changes?limit=5000`, 'limit');
    await problem(`${base}/route-changes?prefix=45.64.0.0/33`, 'prefix');
    await problem(`${base}/route-diff?from=1`, 'to');
    await problem(`${base}/route-diff?to=1`, 'from');
    await problem(`${base}/route-diff?from=0&to=${r3 + 1}`, 'to');
    await problem(`${base}/route-diff?from=${r3 + 5}&to=0`, 'from');
    await http.reader.get('/hosted-vpcs/abc/routes').expect(400);

    for (const path of ['routes', 'routes?revision=0', 'rejected-routes', 'route-changes', 'route-diff?from=0&to=0', 'session-counters']) {
      const response = await http.reader.get(`/hosted-vpcs/999999/${path}`).expect(404);
      expect((response.body as { message: string }).message).toBe('hosted VPC 999999 does not exist');
    }
    await http.anonymous.get(`/api/v1${base}/routes`).expect(401);
    await http.operator.get(`${base}/session-counters`).expect(200);
  });

  // Last: it changes the table the tests above read as of r3.
  it('sets the session gauges as a session comes back and max-prefix clears, and removes a deleted session', async () => {
    await publish(up(PEER_A), withdraw(PEER_B, ['45.64.2.0/24']));
    await until('session A recovering', async () => ((await counterOf(PEER_A)).phase === 'recovering' ? true : undefined), 30000, 100);
    await until('B under its limit', async () => ((await counterOf(PEER_B)).overLimit ? undefined : true), 30000, 100);
    await sessionGaugesBecome({ [PEER_A]: { up: 1, overMaxPrefix: 0 }, [PEER_B]: { up: 1, overMaxPrefix: 0 } });

    await http.operator.delete(`/bgp-sessions/${sessionIds[PEER_B]}`).expect(204);
    await sessionGaugesBecome({ [PEER_A]: { up: 1, overMaxPrefix: 0 } });
  });
  it("applies an inventory change its event announces even when the change's update time hides it (begun first, committed last)", async () => {
    const prefix = '45.64.9.0/24';
    await publish(announce(PEER_A, [prefix], A_PATH));
    await until(`${prefix} in the table`, async () => (prefixes(await routes()).includes(prefix) ? true : undefined), 30000, 100);
    // The VPC's CIDRs change and its update time stays: what a transaction that took its time
    // before a later one's and committed after it leaves BRM's cheap look (counts, newest time).
    await db.query('UPDATE hosted_vpcs SET cidrs = ?, updated_at = updated_at WHERE id = ?', [
      JSON.stringify(['10.20.0.0/16', prefix]),
      vpcId,
    ]);
    const event = createCloudEvent<InventoryChangedData>({
      type: INVENTORY_CHANGED,
      source: 'route-broker/brm-api-spec/admin',
      subject: `hosted-vpc/${vpcId}`,
      data: { resource: 'hosted-vpc', id: vpcId, action: 'updated' },
    });
    await producer.send({ topic: TOPICS.inventory.name, messages: [{ key: `hosted-vpc/${vpcId}`, value: JSON.stringify(event) }] });
    const refused = await until(
      `${prefix} refused as inside the VPC's CIDRs`,
      async () => (await rejected()).rejected.find((entry) => entry.prefix === prefix && entry.reason === 'overlaps-vpc-cidr'),
      30000,
      100,
    );
    expect(refused.sessionId).toBe(sessionIds[PEER_A]);
    expect(prefixes(await routes())).not.toContain(prefix);
  });
});
