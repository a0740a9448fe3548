/**
 * The user's whole path, on real parts: the admin API (inventory with a dual-stack tunnel, an IPv4
 * and an IPv6 session, each with its import policy) → rendered FRR configuration → apply over SSH
 * (the real sshd) to a host whose bgpd starts with no BGP configuration at all → BGP with a real PE →
 * BMP from the host to route-broker's collector → Kafka → BRM → the VPC table in MariaDB.
 *
 * The test builds its own routers in its own namespaces (never the shared lab):
 *
 *   orch-host (AS 64521)  o-pe ──── o-host  orch-pe (AS 65221)
 *   169.254.221.2/30, fd00:221::2/126       169.254.221.1/30, fd00:221::1/126
 *   uplink 10.255.221.2/30 ── orch-up 10.255.221.1/30 (root namespace: the BMP collector)
 *
 * The veth o-pe stands in for the GRE tunnel (no GRE module here). The PE (the customer's router)
 * is configured by hand and announces prefixes inside and outside the sessions' policies; what the
 * VPC table must hold is computed here from the policy the test sets, not from route-broker's code.
 * Needs root, FRR (with frr-pythontools), `scripts/sshd up`, Kafka and MariaDB (scripts/test).
 */
import type { INestApplication } from '@nestjs/common';
import { chown, mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TOPICS } from '../../src/common/kafka/topics.js';
import { groupAtTopicEnd } from './support/consumer-groups.js';
import { api, restartTestApp, startTestApp } from './support/app.js';
import { FRR_BIN, routerVtysh, sh, startRouter, teardownRouters } from './support/frr-routers.js';
import { until } from './support/until.js';
import { SSHD } from './support/lab.js';

const SSHD_PORT = SSHD.port;
const SSHD_DIR = SSHD.dir;

const NS_HOST = 'orch-host';
const NS_PE = 'orch-pe';
const NAMESPACES = [NS_HOST, NS_PE];
const HOST_ASN = 64521;
const PE_ASN = 65221;
const PEER_V4 = '169.254.221.1';
const PEER_V6 = 'fd00:221::1';
const COLLECTOR_ADDRESS = '10.255.221.1';
const COLLECTOR_PORT = 11221;
const VPC_CIDRS = ['10.221.0.0/16', 'fd21:221::/48'];

/** What the PE announces, and what the policies below make of each (reason null: accepted). */
const ANNOUNCED: Record<string, { family: 4 | 6; reason: string | null }> = {
  '45.64.10.0/24': { family: 4, reason: null },
  '45.64.12.0/23': { family: 4, reason: null },
  '45.64.11.0/25': { family: 4, reason: 'prefix-length' }, // longer than the session's le 24
  '46.1.0.0/24': { family: 4, reason: 'not-allowed' },
  '10.221.1.0/24': { family: 4, reason: 'overlaps-vpc-cidr' },
  '192.0.2.0/24': { family: 4, reason: 'bogon' },
  '2a05:d000:10::/48': { family: 6, reason: null },
  '2a06:1::/48': { family: 6, reason: 'not-allowed' },
  'fd21:221::/48': { family: 6, reason: 'overlaps-vpc-cidr' },
  '2001:db8:5::/48': { family: 6, reason: 'bogon' },
};
const ACCEPTED = Object.keys(ANNOUNCED).filter((prefix) => ANNOUNCED[prefix]!.reason === null);
const LOCAL_PREF_V4 = 150;

const PE_CONFIG = `frr defaults traditional
hostname ${NS_PE}
!
router bgp ${PE_ASN}
 bgp router-id 10.221.0.254
 no bgp ebgp-requires-policy
 no bgp default ipv4-unicast
 no bgp network import-check
 neighbor 169.254.221.2 remote-as ${HOST_ASN}
 neighbor 169.254.221.2 timers 3 9
 neighbor 169.254.221.2 timers connect 2
 neighbor 169.254.221.2 advertisement-interval 0
 neighbor fd00:221::2 remote-as ${HOST_ASN}
 neighbor fd00:221::2 timers 3 9
 neighbor fd00:221::2 timers connect 2
 neighbor fd00:221::2 advertisement-interval 0
 !
 address-family ipv4 unicast
${Object.keys(ANNOUNCED)
  .filter((prefix) => ANNOUNCED[prefix]!.family === 4)
  .map((prefix) => `  network ${prefix}\n`)
  .join('')}  neighbor 169.254.221.2 activate
 exit-address-family
 !
 address-family ipv6 unicast
${Object.keys(ANNOUNCED)
  .filter((prefix) => ANNOUNCED[prefix]!.family === 6)
  .map((prefix) => `  network ${prefix}\n`)
  .join('')}  neighbor fd00:221::2 activate
 exit-address-family
exit
!
`;

interface ApiRoute {
  prefix: string;
  paths: { sessionId: number; nextHop: string; asPath: number[]; med: number | null; localPref: number | null; state: string }[];
}

interface HostRoute {
  valid?: boolean;
  bestpath?: boolean;
  path: string;
  metric?: number;
  locPrf?: number;
  peerId?: string;
  nexthops: { ip: string; scope?: string }[];
}

/** The host's accepted routes from the PE, both families, as `show bgp … json` prints them. */
async function hostRoutes(): Promise<Record<string, HostRoute>> {
  const routes: Record<string, HostRoute> = {};
  for (const family of ['ipv4', 'ipv6']) {
    const table = JSON.parse(await routerVtysh(NS_HOST, `show bgp ${family} unicast json`)) as { routes?: Record<string, HostRoute[]> };
    for (const [prefix, paths] of Object.entries(table.routes ?? {})) {
      const fromPe = paths.find((path) => path.peerId === PEER_V4 || path.peerId === PEER_V6);
      if (fromPe) routes[prefix] = fromPe;
    }
  }
  return routes;
}

async function established(): Promise<boolean> {
  const summary = JSON.parse(await routerVtysh(NS_HOST, 'show bgp summary json').catch(() => '{}')) as Record<
    string,
    { peers?: Record<string, { state: string }> } | undefined
  >;
  return summary.ipv4Unicast?.peers?.[PEER_V4]?.state === 'Established' && summary.ipv6Unicast?.peers?.[PEER_V6]?.state === 'Established';
}

interface ListedRejection {
  prefix: string;
  reason: string;
  sessionId: number;
}

describe('orchestration end to end: API → rendered config → apply → BGP → BMP → VPC table, IPv4 and IPv6', () => {
  let app: INestApplication;
  let http: ReturnType<typeof api>;
  let labDir: string | undefined;
  let overrides: Record<string, string>;
  let hostId: number;
  let vpcId: number;
  let otherVpcId: number;
  const sessionIds: Record<string, number> = {};

  const expectedRejections = (): ListedRejection[] =>
    Object.entries(ANNOUNCED)
      .filter(([, { reason }]) => reason !== null)
      .map(([prefix, { reason, family }]) => ({ prefix, reason: reason!, sessionId: sessionIds[family === 4 ? PEER_V4 : PEER_V6]! }))
      .sort((a, b) => (a.prefix < b.prefix ? -1 : 1));
  const listedRejections = async (): Promise<ListedRejection[]> => {
    const body = (await http.reader.get(`/hosted-vpcs/${vpcId}/rejected-routes?limit=1000`).expect(200)).body as {
      rejected: ListedRejection[];
    };
    return body.rejected
      .map(({ prefix, reason, sessionId }) => ({ prefix, reason, sessionId }))
      .sort((a, b) => (a.prefix < b.prefix ? -1 : 1));
  };

  beforeAll(async () => {
    await teardownRouters(NAMESPACES, undefined); // leftovers of an interrupted run
    await sh('ip link del orch-up 2>/dev/null || true');
    labDir = await mkdtemp(join(tmpdir(), 'orchestrate-'));
    await chown(labDir, 0, 0);
    await sh(`chmod 755 ${labDir}`);
    for (const ns of NAMESPACES) await sh(`ip netns add ${ns} && ip -n ${ns} link set lo up`);
    await sh(
      [
        `ip netns exec ${NS_HOST} sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0`,
        `ip netns exec ${NS_PE} sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0`,
        `ip link add o-pe netns ${NS_HOST} type veth peer name o-host netns ${NS_PE}`,
        `ip -n ${NS_PE} addr add ${PEER_V4}/30 dev o-host`,
        `ip -n ${NS_PE} addr add ${PEER_V6}/126 dev o-host nodad`,
        `ip -n ${NS_PE} link set o-host up`,
        // The host's end is set up as the GRE script would (the lab's tunnels are `external`).
        `ip -n ${NS_HOST} addr add 169.254.221.2/30 dev o-pe`,
        `ip -n ${NS_HOST} addr add fd00:221::2/126 dev o-pe nodad`,
        `ip -n ${NS_HOST} link set o-pe up`,
        `ip link add orch-up type veth peer name uplink netns ${NS_HOST}`,
        `ip addr add ${COLLECTOR_ADDRESS}/30 dev orch-up`,
        'ip link set orch-up up',
        `ip -n ${NS_HOST} addr add 10.255.221.2/30 dev uplink`,
        `ip -n ${NS_HOST} link set uplink up`,
      ].join(' && '),
    );
    // The host's bgpd has no BGP configuration: everything in it will come from route-broker.
    await startRouter(labDir, NS_HOST, `frr defaults traditional\nhostname ${NS_HOST}\n!\n`, ['bmp']);
    await startRouter(labDir, NS_PE, PE_CONFIG);

    // BRM starts at the end of the route topic: earlier suites' events are not this test's.
    const group = await groupAtTopicEnd('orchestrate-spec', TOPICS.routeEvents.name);

    overrides = {
      RB_ROLES: 'frr-server,admin,brm',
      RB_BMP_HOST: COLLECTOR_ADDRESS,
      RB_BMP_PORT: String(COLLECTOR_PORT),
      RB_BMP_CONNECT_ADDRESS: COLLECTOR_ADDRESS,
      RB_BRM_CONSUMER_GROUP: group,
      RB_SSH_PRIVATE_KEY_FILE: join(SSHD_DIR, 'id_ed25519'),
      RB_APPLY_STAGING_DIR: join(labDir, 'staging'),
      RB_APPLY_ESTABLISH_TIMEOUT_MS: '30000',
      RB_DRIFT_INTERVAL_SECONDS: '0',
    };
    app = await startTestApp(overrides);
    http = api(app);
  }, 90000);

  afterAll(async () => {
    await app?.close();
    if (process.env.KEEP) return;
    await teardownRouters(NAMESPACES, labDir);
    await sh('ip link del orch-up 2>/dev/null || true');
  }, 30000);

  it('creates a dual-stack tunnel with an IPv4 and an IPv6 session, each with its policy, through the API', async () => {
    const regionId = (await http.operator.post('/regions', { code: 'cn-gd' }).expect(201)).body.id as number;
    hostId = (
      await http.operator
        .post('/hosts', {
          name: NS_HOST,
          regionId,
          zone: 'cn-gd-a',
          managementAddress: '127.0.0.1',
          sshPort: SSHD_PORT,
          sshUser: 'root',
          sshHostKey: (await readFile(join(SSHD_DIR, 'ssh_host_ed25519_key.pub'), 'utf8')).trim(),
          // Under `ip netns exec`: drift's `ip -j link` then sees the namespace's interfaces.
          vtyshCommand: `ip netns exec ${NS_HOST} vtysh -N ${NS_HOST}`,
          // Its tunnel is a veth the test makes: route-broker only checks it.
          tunnelProvisioning: 'external',
          frrReloadCommand: `${FRR_BIN}/frr-reload.py -N ${NS_HOST}`,
          underlayAddress: '10.255.221.2',
          routerId: '10.221.0.1',
          asn: HOST_ASN,
        })
        .expect(201)
    ).body.id as number;
    const peId = (
      await http.operator.post('/pes', { name: NS_PE, underlayAddress: '198.51.100.221', asn: PE_ASN, owner: 'acme' }).expect(201)
    ).body.id as number;
    vpcId = (await http.operator.post('/hosted-vpcs', { name: 'orch-vpc', regionId, owner: 'acme', cidrs: VPC_CIDRS }).expect(201)).body
      .id as number;
    const tunnel = (
      await http.operator
        .post('/gre-tunnels', {
          hostId,
          peId,
          interfaceName: 'o-pe',
          tunnelKey: 2210,
          localInnerAddress: '169.254.221.2',
          remoteInnerAddress: PEER_V4,
          innerPrefixLength: 30,
          localInnerAddressV6: 'FD00:221::2', // stored as FRR prints it
          remoteInnerAddressV6: PEER_V6,
          innerPrefixLengthV6: 126,
          mtu: 1500, // the veth's
        })
        .expect(201)
    ).body as { id: number; localInnerAddressV6: string };
    expect(tunnel.localInnerAddressV6).toBe('fd00:221::2');
    const common = { tunnelId: tunnel.id, hostedVpcId: vpcId, peerAsn: PE_ASN, keepaliveSeconds: 3, holdTimeSeconds: 9 };
    sessionIds[PEER_V4] = (
      await http.operator
        .post('/bgp-sessions', {
          ...common,
          peerAddress: PEER_V4,
          importPolicy: { allowedPrefixes: [{ prefix: '45.64.0.0/16', le: 24 }], localPref: LOCAL_PREF_V4 },
        })
        .expect(201)
    ).body.id as number;
    const v6 = await http.operator
      .post('/bgp-sessions', { ...common, peerAddress: PEER_V6, importPolicy: { allowedPrefixes: [{ prefix: '2a05:d000::/32', le: 48 }] } })
      .expect(201);
    sessionIds[PEER_V6] = v6.body.id as number;
    expect(v6.body).toMatchObject({ addressFamilies: ['ipv6-unicast'] });
  });

  it('renders both sessions with the policy as prefix-lists and route-maps, and a BMP target', async () => {
    const { frrConf } = (await http.reader.get(`/hosts/${hostId}/rendered-config`).expect(200)).body as { frrConf: string };
    expect(frrConf).toContain(` neighbor ${PEER_V6} remote-as ${PE_ASN}\n`);
    expect(frrConf).toContain(`  neighbor ${PEER_V6} soft-reconfiguration inbound\n`);
    expect(frrConf).toContain('ip prefix-list RB-o-pe-169_254_221_1-V4-IN seq 5 permit 45.64.0.0/16 le 24\n');
    expect(frrConf).toContain('ipv6 prefix-list RB-o-pe-fd00_221__1-V6-IN seq 5 permit 2a05:d000::/32 le 48\n');
    expect(frrConf).toContain(`route-map RB-o-pe-169_254_221_1-V4-IN deny 20\n match ip address prefix-list RB-VPC-${vpcId}-V4\n`);
    expect(frrConf).toContain(` match ip address prefix-list RB-o-pe-169_254_221_1-V4-IN\n set local-preference ${LOCAL_PREF_V4}\n`);
    expect(frrConf).toContain(`bmp connect ${COLLECTOR_ADDRESS} port ${COLLECTOR_PORT} `);
  });

  it('applies it to the bare host over SSH; both sessions reach Established', async () => {
    const record = (await http.operator.post(`/hosts/${hostId}/apply`, { dryRun: false }).expect(200)).body as {
      result: string;
      error: string | null;
    };
    expect(record).toMatchObject({ result: 'applied', error: null });
    await until('both sessions Established on the host', async () => ((await established()) ? true : undefined), 30000, 250);
  }, 90000);

  it('fills the VPC table with exactly the allowed announcements of both families, as the host holds them', async () => {
    const want = ACCEPTED.slice().sort();
    const host = await until('the host to accept the allowed prefixes', async () => {
      const routes = await hostRoutes();
      return want.every((prefix) => prefix in routes) ? routes : undefined;
    });
    // The host's own filter (rendered from the policy) holds exactly the accepted set.
    expect(Object.keys(host).sort()).toEqual(want);

    const table = await until('the VPC table to hold the accepted prefixes', async () => {
      const body = (await http.reader.get(`/hosted-vpcs/${vpcId}/routes?limit=1000`).expect(200)).body as { routes: ApiRoute[] };
      return body.routes
        .map((route) => route.prefix)
        .sort()
        .join() === want.join()
        ? body.routes
        : undefined;
    });
    for (const route of table) {
      const onHost = host[route.prefix]!;
      const v4 = !route.prefix.includes(':');
      const nextHop = onHost.nexthops.find((hop) => hop.scope !== 'link-local') ?? onHost.nexthops[0]!;
      expect(route.paths).toEqual([
        expect.objectContaining({
          sessionId: sessionIds[v4 ? PEER_V4 : PEER_V6],
          nextHop: nextHop.ip,
          asPath: onHost.path.split(' ').filter(Boolean).map(Number),
          med: onHost.metric ?? null,
          state: 'active',
        }),
      ]);
      // The override is on the host (route-map) and in the table alike.
      expect(route.paths[0]!.localPref).toBe(v4 ? LOCAL_PREF_V4 : null);
      expect(onHost.locPrf ?? null).toBe(v4 ? LOCAL_PREF_V4 : null);
    }

    // Whatever is listed as refused is listed with its reason (all of it: see the next test).
    for (const row of await listedRejections()) expect(row).toEqual(expectedRejections().find((want) => want.prefix === row.prefix));
  }, 90000);

  it('lists every refused announcement with its reason once the host streams its Adj-RIB-In again', async () => {
    // FRR 8.4 sends an announcement its inbound route-map refuses as a pre-policy *withdrawal* when
    // it arrives, but with its attributes in the table dump at the start of a BMP session
    // (docs/bmp.md). A restart of route-broker is such a start.
    await app.close();
    app = await restartTestApp(overrides);
    http = api(app);
    await until('every refused announcement listed', async () =>
      JSON.stringify(await listedRejections()) === JSON.stringify(expectedRejections()) ? true : undefined,
    ).catch(() => undefined);
    expect(await listedRejections()).toEqual(expectedRejections());
    // The table did not change on the way.
    const body = (await http.reader.get(`/hosted-vpcs/${vpcId}/routes?limit=1000`).expect(200)).body as { routes: ApiRoute[] };
    expect(body.routes.map((route) => route.prefix).sort()).toEqual(ACCEPTED.slice().sort());
  }, 90000);

  it('applies again with nothing to change, and the host is in sync', async () => {
    const record = (await http.operator.post(`/hosts/${hostId}/apply`, { dryRun: false }).expect(200)).body as { result: string };
    expect(record.result).toBe('unchanged');
    const drift = (await http.operator.post(`/hosts/${hostId}/drift-check`, {}).expect(200)).body as { status: string };
    expect(JSON.stringify(drift)).toContain('"status":"in-sync"');
  }, 60000);

  it('what-if: shows the config lines and the table changes a policy PATCH would make, and stores nothing', async () => {
    const session = `/bgp-sessions/${sessionIds[PEER_V4]}`;
    const stored = (await http.reader.get(session).expect(200)).body as { importPolicy: unknown; updatedAt: string };
    const answer = (
      await http.operator
        .post(`${session}/what-if`, { importPolicy: { allowedPrefixes: [{ prefix: '45.64.10.0/24' }, { prefix: '46.1.0.0/24' }] } })
        .expect(200)
    ).body as {
      dryRun: boolean;
      hosts: { hostId: number; add: string[]; remove: string[] }[];
      vpcs: { vpcId: number; leave: { prefix: string; reason: string }[]; enter: { prefix: string; refusedAs: string }[] }[];
    };
    expect(answer.dryRun).toBe(true);
    expect(answer.hosts).toEqual([
      {
        hostId,
        add: expect.arrayContaining([
          'ip prefix-list RB-o-pe-169_254_221_1-V4-IN seq 5 permit 45.64.10.0/24',
          'ip prefix-list RB-o-pe-169_254_221_1-V4-IN seq 10 permit 46.1.0.0/24',
        ]),
        remove: expect.arrayContaining([
          'ip prefix-list RB-o-pe-169_254_221_1-V4-IN seq 5 permit 45.64.0.0/16 le 24',
          `route-map RB-o-pe-169_254_221_1-V4-IN permit 30 › set local-preference ${LOCAL_PREF_V4}`,
        ]),
      },
    ]);
    expect(answer.vpcs).toEqual([
      expect.objectContaining({
        vpcId,
        leave: [{ prefix: '45.64.12.0/23', reason: 'not-allowed', detail: expect.any(String) }],
        enter: [{ prefix: '46.1.0.0/24', refusedAs: 'not-allowed' }],
      }),
    ]);
    // Nothing stored, nothing announced to BRM.
    expect((await http.reader.get(session).expect(200)).body).toMatchObject(stored);
    // The same checks as the PATCH: a bad entry is a 400 naming the field; an unknown session a 404.
    const bad = await http.operator.post(`${session}/what-if`, { importPolicy: { allowedPrefixes: [{ prefix: '46.1.0.0/24', ge: 8 }] } });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('allowedPrefixes');
    await http.operator.post('/bgp-sessions/9999/what-if', {}).expect(404);
    await http.reader.post(`${session}/what-if`, {}).expect(403);
  });

  it('a policy change re-evaluates the table at once, shows the host drifted, and an apply makes host and table agree', async () => {
    // 46.1.0.0/24 was refused as not-allowed: allow it.
    await http.operator
      .patch(`/bgp-sessions/${sessionIds[PEER_V4]}`, {
        importPolicy: { allowedPrefixes: [{ prefix: '45.64.0.0/16', le: 24 }, { prefix: '46.1.0.0/24' }], localPref: LOCAL_PREF_V4 },
      })
      .expect(200);
    const want = [...ACCEPTED, '46.1.0.0/24'].sort();
    await until('the VPC table to take the newly allowed prefix, without a new announcement', async () => {
      const body = (await http.reader.get(`/hosted-vpcs/${vpcId}/routes?limit=1000`).expect(200)).body as { routes: ApiRoute[] };
      return body.routes
        .map((route) => route.prefix)
        .sort()
        .join() === want.join()
        ? true
        : undefined;
    });
    const rejected = (await http.reader.get(`/hosted-vpcs/${vpcId}/rejected-routes?limit=1000`).expect(200)).body as {
      rejected: { prefix: string }[];
    };
    expect(rejected.rejected.map((row) => row.prefix)).not.toContain('46.1.0.0/24');
    // The host still filters with the applied policy until the change is applied there.
    expect(Object.keys(await hostRoutes())).not.toContain('46.1.0.0/24');
    expect((await http.operator.post(`/hosts/${hostId}/drift-check`, {}).expect(200)).body).toMatchObject({ status: 'drifted' });

    const record = (await http.operator.post(`/hosts/${hostId}/apply`, { dryRun: false }).expect(200)).body as { result: string };
    expect(record.result).toBe('applied');
    await until('the host to accept the newly allowed prefix', async () => ('46.1.0.0/24' in (await hostRoutes()) ? true : undefined));
    expect(Object.keys(await hostRoutes()).sort()).toEqual(want);
    expect((await http.operator.post(`/hosts/${hostId}/drift-check`, {}).expect(200)).body).toMatchObject({ status: 'in-sync' });
  }, 90000);

  it('deleting the IPv6 session withdraws its routes from the table at once; the next apply removes the neighbor', async () => {
    await http.operator.delete(`/bgp-sessions/${sessionIds[PEER_V6]}`).expect(204);
    const routes = await until(
      'the IPv6 routes to leave the VPC table',
      async () => {
        const body = (await http.reader.get(`/hosted-vpcs/${vpcId}/routes?limit=1000`).expect(200)).body as { routes: ApiRoute[] };
        return body.routes.some((route) => route.prefix.includes(':')) ? undefined : body.routes;
      },
      10000,
    );
    expect(routes.map((route) => route.prefix).sort()).toEqual(
      [...ACCEPTED.filter((prefix) => !prefix.includes(':')), '46.1.0.0/24'].sort(),
    );
    const changes = (await http.reader.get(`/hosted-vpcs/${vpcId}/route-changes?prefix=2a05:d000::/32`).expect(200)).body as {
      changes: { action: string; cause?: { event: string } }[];
    };
    expect(changes.changes.at(-1)).toMatchObject({ action: 'remove', cause: { event: 'deconfigured', sessionId: sessionIds[PEER_V6] } });

    const record = (await http.operator.post(`/hosts/${hostId}/apply`, { dryRun: false }).expect(200)).body as { result: string };
    expect(record.result).toBe('applied');
    expect(await routerVtysh(NS_HOST, 'show running-config')).not.toContain(`neighbor ${PEER_V6}`);
  }, 90000);

  it('moving the IPv4 session to another VPC moves its routes at once, without a new announcement; the apply makes the host follow', async () => {
    const regionId = ((await http.reader.get(`/hosted-vpcs/${vpcId}`).expect(200)).body as { regionId: number }).regionId;
    otherVpcId = (
      await http.operator.post('/hosted-vpcs', { name: 'orch-vpc-2', regionId, owner: 'acme', cidrs: ['10.222.0.0/16'] }).expect(201)
    ).body.id as number;
    const routesOf = async (id: number): Promise<string[]> =>
      ((await http.reader.get(`/hosted-vpcs/${id}/routes?limit=1000`).expect(200)).body as { routes: ApiRoute[] }).routes
        .map((route) => route.prefix)
        .sort();
    const moving = (await routesOf(vpcId)).slice();
    expect(moving).toEqual([...ACCEPTED.filter((prefix) => !prefix.includes(':')), '46.1.0.0/24'].sort());

    const refusedOf = async (id: number): Promise<{ prefix: string; reason: string }[]> =>
      (
        (await http.reader.get(`/hosted-vpcs/${id}/rejected-routes?limit=1000`).expect(200)).body as {
          rejected: { prefix: string; reason: string; sessionId: number }[];
        }
      ).rejected
        .filter((row) => row.sessionId === sessionIds[PEER_V4])
        .map(({ prefix, reason }) => ({ prefix, reason }))
        .sort((a, b) => (a.prefix < b.prefix ? -1 : 1));
    // The host's refusals reach BRM with a BMP table dump (FRR 8.4, docs/bmp.md): restart for one,
    // so that there are refusals to carry over.
    await app.close();
    app = await restartTestApp(overrides);
    http = api(app);
    await until('the host’s refusals listed again', async () =>
      (await refusedOf(vpcId)).some((row) => row.reason === 'overlaps-vpc-cidr') ? true : undefined,
    );
    // The dump over (the table's revision still for 2 s): from here on the host announces nothing,
    // so whatever enters the other VPC below is carried over by BRM.
    let lastRevision = -1;
    await until(
      'the BMP dump to end',
      async () => {
        const revision = ((await http.reader.get(`/hosted-vpcs/${vpcId}/routes?limit=1`).expect(200)).body as { revision: number })
          .revision;
        const settled = revision === lastRevision;
        lastRevision = revision;
        return settled ? true : undefined;
      },
      30000,
      2000,
    );
    const refusedBefore = await refusedOf(vpcId);
    // What-if first: everything leaves the old VPC, and the new one judges what the session announced.
    const whatIf = (await http.operator.post(`/bgp-sessions/${sessionIds[PEER_V4]}/what-if`, { hostedVpcId: otherVpcId }).expect(200))
      .body as {
      vpcs: {
        vpcId: number;
        sessionLeaves: boolean;
        sessionJoins: boolean;
        leave: { prefix: string; reason: string }[];
        enter: { prefix: string; refusedAs: string | null }[];
        refusedOtherwise: { prefix: string; reason: string }[];
      }[];
    };
    expect(whatIf.vpcs.map((impact) => [impact.vpcId, impact.sessionLeaves, impact.sessionJoins])).toEqual([
      [vpcId, true, false],
      [otherVpcId, false, true],
    ]);
    expect(whatIf.vpcs[0]!.leave.map((row) => [row.prefix, row.reason]).sort()).toEqual(moving.map((prefix) => [prefix, 'deconfigured']));
    expect(whatIf.vpcs[1]!.enter.map((row) => row.prefix).sort()).toEqual(moving);
    // The refusals stay refused in the new VPC: the session's policy allows none of them.
    expect(whatIf.vpcs[1]!.refusedOtherwise.map((row) => row.prefix).sort()).toEqual(refusedBefore.map((row) => row.prefix).sort());

    await http.operator.patch(`/bgp-sessions/${sessionIds[PEER_V4]}`, { hostedVpcId: otherVpcId }).expect(200);
    await until(
      'the routes to move to the other VPC',
      async () => ((await routesOf(otherVpcId)).join() === moving.join() ? true : undefined),
      10000,
    );
    expect(await routesOf(vpcId)).toEqual([]);
    const left = (await http.reader.get(`/hosted-vpcs/${vpcId}/route-changes?prefix=45.64.10.0/24`).expect(200)).body as {
      changes: { action: string; cause?: { event: string; sessionId: number | null } }[];
    };
    expect(left.changes.at(-1)).toMatchObject({ action: 'remove', cause: { event: 'deconfigured', sessionId: sessionIds[PEER_V4] } });
    const entered = (await http.reader.get(`/hosted-vpcs/${otherVpcId}/routes?limit=1000`).expect(200)).body as { routes: ApiRoute[] };
    for (const route of entered.routes) {
      expect(route.paths).toEqual([expect.objectContaining({ sessionId: sessionIds[PEER_V4], state: 'active', localPref: LOCAL_PREF_V4 })]);
    }
    // The refusals moved too, judged by the new VPC: what the old one refused for its own CIDR the session's policy refuses here.
    expect((await refusedOf(otherVpcId)).map((row) => row.prefix)).toEqual(refusedBefore.map((row) => row.prefix));
    for (const row of await refusedOf(otherVpcId)) {
      const before = refusedBefore.find((old) => old.prefix === row.prefix)!;
      expect(row.reason).toBe(before.reason === 'overlaps-vpc-cidr' ? 'not-allowed' : before.reason);
    }
    expect(await refusedOf(vpcId)).toEqual([]);

    // The host's filter names the VPC: drifted until applied, then in sync and holding the same routes.
    expect((await http.operator.post(`/hosts/${hostId}/drift-check`, {}).expect(200)).body).toMatchObject({ status: 'drifted' });
    expect((await http.operator.post(`/hosts/${hostId}/apply`, { dryRun: false }).expect(200)).body).toMatchObject({ result: 'applied' });
    expect((await http.operator.post(`/hosts/${hostId}/drift-check`, {}).expect(200)).body).toMatchObject({ status: 'in-sync' });
    expect(Object.keys(await hostRoutes()).sort()).toEqual(moving);
    expect(await routesOf(otherVpcId)).toEqual(moving);
  }, 90000);

  it('a change made while no BRM runs (a move back and a narrower policy) is applied to the tables at BRM’s start, with no BMP at all', async () => {
    const routesOf = async (id: number): Promise<string[]> =>
      ((await http.reader.get(`/hosted-vpcs/${id}/routes?limit=1000`).expect(200)).body as { routes: ApiRoute[] }).routes
        .map((route) => route.prefix)
        .sort();
    const moved = await routesOf(otherVpcId);
    expect(moved).toContain('46.1.0.0/24');

    // route-broker without BRM (and without the collector): the API changes the inventory, nothing judges the tables.
    await app.close();
    app = await restartTestApp({ ...overrides, RB_ROLES: 'admin' });
    http = api(app);
    await http.operator
      .patch(`/bgp-sessions/${sessionIds[PEER_V4]}`, {
        hostedVpcId: vpcId,
        importPolicy: { allowedPrefixes: [{ prefix: '45.64.0.0/16', le: 24 }], localPref: LOCAL_PREF_V4 },
      })
      .expect(200);
    expect(await routesOf(otherVpcId)).toEqual(moved);
    await app.close();

    // BRM starts, still without the collector: no announcement arrives, the tables follow the inventory.
    app = await restartTestApp({ ...overrides, RB_ROLES: 'admin,brm' });
    http = api(app);
    const want = moved.filter((prefix) => prefix !== '46.1.0.0/24');
    await until('the routes to move back under the narrower policy', async () =>
      (await routesOf(vpcId)).join() === want.join() ? true : undefined,
    );
    expect(await routesOf(otherVpcId)).toEqual([]);
    // 46.1.0.0/24 came along and was refused by the narrower policy. (The refusal itself is then
    // dropped by the session-down the collector sent when it stopped, which BRM reads after this:
    // a session that is down has no refused announcements.)
    const judged = (await http.reader.get(`/hosted-vpcs/${vpcId}/route-changes?prefix=46.1.0.0/24`).expect(200)).body as {
      changes: { action: string; rejection: { reason: string; sessionId: number } | null }[];
    };
    expect(judged.changes.at(-1)).toMatchObject({ action: 'reject', rejection: { reason: 'not-allowed', sessionId: sessionIds[PEER_V4] } });
    const left = (await http.reader.get(`/hosted-vpcs/${otherVpcId}/route-changes?prefix=46.1.0.0/24`).expect(200)).body as {
      changes: { action: string; cause?: { event: string } }[];
    };
    expect(left.changes.at(-1)).toMatchObject({ action: 'remove', cause: { event: 'deconfigured' } });

    // Back to the whole system for the end of the suite.
    await app.close();
    app = await restartTestApp(overrides);
    http = api(app);
  }, 120000);
});
