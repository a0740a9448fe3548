/**
 * A host whose tunnels route-broker makes (tunnelProvisioning `managed`), end to end: the API →
 * rendered GRE setup and FRR config → apply over SSH (the real sshd) → the tunnel set up before FRR
 * → both BGP sessions Established over it → drift, in and out of sync → a failing setup that leaves
 * FRR alone → the same host switched to `external`.
 *
 * This kernel has no GRE module, so `ip tunnel` on the host is a stub (first on PATH through the
 * host's own vtysh wrapper): `add` makes a veth with the tunnel's name whose other end joins a
 * bridge in the PE's namespace that holds the PE's inner addresses; `change` only logs. Everything
 * else the script runs (`ip link set … mtu … up`, `ip addr replace/del`) is the real ip, so the MTU,
 * the addresses and the idempotence are real. What the stub cannot show is a GRE device's
 * parameters (local, remote, key, ttl) in `ip -d -j addr show`: drift compares them only on a
 * device of kind gre, which src/frr-server/drift/drift.spec.ts covers with iproute2's JSON shape.
 *
 *   mgd-host (AS 64531)  m-pe ── p-m-pe ⊂ br-gre  mgd-pe (AS 65231)
 *   169.254.231.2/30, fd00:231::2/126             169.254.231.1/30, fd00:231::1/126 (on br-gre)
 *
 * Needs root, FRR (with frr-pythontools), `scripts/sshd up`, Kafka and MariaDB (scripts/test).
 */
import type { INestApplication } from '@nestjs/common';
import { chmod, chown, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { api, startTestApp } from './support/app.js';
import { FRR_BIN, routerVtysh, sh, startRouter, teardownRouters } from './support/frr-routers.js';
import { until } from './support/until.js';
import { SSHD } from './support/lab.js';

const SSHD_PORT = SSHD.port;
const SSHD_DIR = SSHD.dir;

const NS_HOST = 'mgd-host';
const NS_PE = 'mgd-pe';
const NAMESPACES = [NS_HOST, NS_PE];
const TUNNEL = 'm-pe';
const HOST_ASN = 64531;
const PE_ASN = 65231;
const PEER_V4 = '169.254.231.1';
const PEER_V6 = 'fd00:231::1';
const HOST_UNDERLAY = '192.0.2.231';
const PE_UNDERLAY = '198.51.100.231';

const PE_CONFIG = `frr defaults traditional
hostname ${NS_PE}
!
router bgp ${PE_ASN}
 bgp router-id 10.231.0.254
 no bgp ebgp-requires-policy
 no bgp default ipv4-unicast
 no bgp network import-check
 neighbor 169.254.231.2 remote-as ${HOST_ASN}
 neighbor 169.254.231.2 timers 3 9
 neighbor 169.254.231.2 timers connect 2
 neighbor fd00:231::2 remote-as ${HOST_ASN}
 neighbor fd00:231::2 timers 3 9
 neighbor fd00:231::2 timers connect 2
 !
 address-family ipv4 unicast
  network 45.64.31.0/24
  neighbor 169.254.231.2 activate
 exit-address-family
 !
 address-family ipv6 unicast
  network 2a05:d000:31::/48
  neighbor fd00:231::2 activate
 exit-address-family
exit
!
`;

interface ApplyStep {
  step: string;
  command: string;
  exitCode: number;
  output: string;
}
interface ApplyRecord {
  result: string;
  error: string | null;
  steps: ApplyStep[];
}
interface DriftView {
  status: string;
  report: { drifted: boolean; tunnels: Record<string, unknown>[]; sessions: { peerAddress: string; state: string }[] } | null;
}

describe('managed tunnels: an apply sets up the GRE tunnels before FRR, drift checks them', () => {
  let app: INestApplication;
  let http: ReturnType<typeof api>;
  let labDir: string | undefined;
  let hostId: number;
  let tunnelId: number;
  let stubLog: string;
  let failMarker: string;

  const apply = async (dryRun = false): Promise<ApplyRecord> =>
    (await http.operator.post(`/hosts/${hostId}/apply`, { dryRun }).expect(200)).body as ApplyRecord;
  const driftCheck = async (): Promise<DriftView> =>
    (await http.operator.post(`/hosts/${hostId}/drift-check`, {}).expect(200)).body as DriftView;
  const stepNames = (record: ApplyRecord): string[] => record.steps.map((step) => step.step);
  const step = (record: ApplyRecord, name: string): ApplyStep | undefined => record.steps.find((candidate) => candidate.step === name);
  const tunnelCalls = async (): Promise<string[]> => (await readFile(stubLog, 'utf8').catch(() => '')).split('\n').filter(Boolean);
  const link = async (): Promise<{ mtu: number; addresses: string[] } | null> => {
    const output = await sh(`ip -n ${NS_HOST} -j addr show dev ${TUNNEL} 2>/dev/null || true`);
    if (output.trim() === '') return null;
    const [device] = JSON.parse(output) as { mtu: number; addr_info: { local: string; prefixlen: number; scope: string }[] }[];
    return {
      mtu: device!.mtu,
      addresses: device!.addr_info
        .filter((address) => address.scope === 'global')
        .map((address) => `${address.local}/${address.prefixlen}`)
        .sort(),
    };
  };
  const sessionStates = async (): Promise<Record<string, string>> => {
    const summary = JSON.parse(await routerVtysh(NS_HOST, 'show bgp summary json').catch(() => '{}')) as Record<
      string,
      { peers?: Record<string, { state: string }> } | undefined
    >;
    return {
      [PEER_V4]: summary.ipv4Unicast?.peers?.[PEER_V4]?.state ?? 'absent',
      [PEER_V6]: summary.ipv6Unicast?.peers?.[PEER_V6]?.state ?? 'absent',
    };
  };

  beforeAll(async () => {
    await teardownRouters(NAMESPACES, undefined); // leftovers of an interrupted run
    labDir = await mkdtemp(join(tmpdir(), 'managed-tunnels-'));
    await chown(labDir, 0, 0);
    await sh(`chmod 755 ${labDir}`);
    stubLog = join(labDir, 'ip-tunnel.log');
    failMarker = join(labDir, 'fail-ip-tunnel');

    // The `ip tunnel` stub and the wrapper that puts it first on PATH (see the file comment).
    const bin = join(labDir, 'bin');
    await mkdir(bin);
    const realIp = (await sh('command -v ip')).trim();
    await writeFile(
      join(bin, 'ip'),
      [
        '#!/bin/sh',
        'if [ "$1" = tunnel ]; then',
        `  echo "ip $*" >>${stubLog}`,
        `  [ -e ${failMarker} ] && { echo "ip tunnel: refused by the test" >&2; exit 1; }`,
        '  if [ "$2" = add ]; then',
        `    ${realIp} link add "$3" type veth peer name "p-$3" netns ${NS_PE} &&`,
        `      ${realIp} -n ${NS_PE} link set "p-$3" master br-gre up`,
        '    exit $?',
        '  fi',
        '  exit 0',
        'fi',
        `exec ${realIp} "$@"`,
        '',
      ].join('\n'),
    );
    await writeFile(join(bin, 'with-ip-stub'), `#!/bin/sh\nPATH=${bin}:$PATH exec "$@"\n`);
    await chmod(join(bin, 'ip'), 0o755);
    await chmod(join(bin, 'with-ip-stub'), 0o755);

    for (const ns of NAMESPACES) {
      await sh(
        `ip netns add ${ns} && ip -n ${ns} link set lo up && ` +
          `ip netns exec ${ns} sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0`,
      );
    }
    // The PE's end of the tunnel: a bridge the stub's veth joins. The host's end does not exist yet.
    await sh(
      [
        `ip -n ${NS_PE} link add br-gre type bridge`,
        `ip -n ${NS_PE} addr add ${PEER_V4}/30 dev br-gre`,
        `ip -n ${NS_PE} addr add ${PEER_V6}/126 dev br-gre nodad`,
        `ip -n ${NS_PE} link set br-gre up`,
      ].join(' && '),
    );
    await startRouter(labDir, NS_HOST, `frr defaults traditional\nhostname ${NS_HOST}\n!\n`);
    await startRouter(labDir, NS_PE, PE_CONFIG);

    app = await startTestApp({
      RB_ROLES: 'admin',
      RB_SSH_PRIVATE_KEY_FILE: join(SSHD_DIR, 'id_ed25519'),
      RB_APPLY_STAGING_DIR: join(labDir, 'staging'),
      RB_APPLY_ESTABLISH_TIMEOUT_MS: '30000',
      RB_DRIFT_INTERVAL_SECONDS: '0',
    });
    http = api(app);
  }, 90000);

  afterAll(async () => {
    await app?.close();
    if (process.env.KEEP) return;
    await teardownRouters(NAMESPACES, labDir);
  }, 30000);

  it('creates a host (managed by default) with a dual-stack tunnel and two sessions; before any apply, drift finds the tunnel missing', async () => {
    const regionId = (await http.operator.post('/regions', { code: 'cn-gd' }).expect(201)).body.id as number;
    const host = await http.operator
      .post('/hosts', {
        name: NS_HOST,
        regionId,
        zone: 'cn-gd-a',
        managementAddress: '127.0.0.1',
        sshPort: SSHD_PORT,
        sshUser: 'root',
        sshHostKey: (await readFile(join(SSHD_DIR, 'ssh_host_ed25519_key.pub'), 'utf8')).trim(),
        // The wrapper before vtysh is the wrapper of every host command, the GRE script included.
        vtyshCommand: `ip netns exec ${NS_HOST} ${labDir}/bin/with-ip-stub vtysh -N ${NS_HOST}`,
        frrReloadCommand: `${FRR_BIN}/frr-reload.py -N ${NS_HOST}`,
        underlayAddress: HOST_UNDERLAY,
        routerId: '10.231.0.1',
        asn: HOST_ASN,
      })
      .expect(201);
    expect(host.body.tunnelProvisioning).toBe('managed');
    hostId = host.body.id as number;
    await http.operator
      .patch(`/hosts/${hostId}`, { tunnelProvisioning: 'by-hand' })
      .expect(400)
      .expect((response) => expect(JSON.stringify(response.body)).toContain('tunnelProvisioning must be one of managed, external'));

    const peId = (await http.operator.post('/pes', { name: NS_PE, underlayAddress: PE_UNDERLAY, asn: PE_ASN, owner: 'acme' }).expect(201))
      .body.id as number;
    const vpcId = (
      await http.operator
        .post('/hosted-vpcs', { name: 'mgd-vpc', regionId, owner: 'acme', cidrs: ['10.231.0.0/16', 'fd31:231::/48'] })
        .expect(201)
    ).body.id as number;
    tunnelId = (
      await http.operator
        .post('/gre-tunnels', {
          hostId,
          peId,
          interfaceName: TUNNEL,
          tunnelKey: 2310,
          localInnerAddress: '169.254.231.2',
          remoteInnerAddress: PEER_V4,
          innerPrefixLength: 30,
          localInnerAddressV6: 'fd00:231::2',
          remoteInnerAddressV6: PEER_V6,
          innerPrefixLengthV6: 126,
          mtu: 1476,
        })
        .expect(201)
    ).body.id as number;
    const common = { tunnelId, hostedVpcId: vpcId, peerAsn: PE_ASN, keepaliveSeconds: 3, holdTimeSeconds: 9 };
    await http.operator.post('/bgp-sessions', { ...common, peerAddress: PEER_V4 }).expect(201);
    await http.operator.post('/bgp-sessions', { ...common, peerAddress: PEER_V6 }).expect(201);

    const rendered = (await http.reader.get(`/hosts/${hostId}/rendered-config`).expect(200)).body as {
      tunnelProvisioning: string;
      tunnels: unknown[];
    };
    expect(rendered.tunnelProvisioning).toBe('managed');
    expect(rendered.tunnels).toEqual([
      {
        interfaceName: TUNNEL,
        localUnderlay: HOST_UNDERLAY,
        remoteUnderlay: PE_UNDERLAY,
        key: 2310,
        ttl: 255,
        mtu: 1476,
        ipv4: '169.254.231.2/30',
        ipv6: 'fd00:231::2/126',
      },
    ]);

    const drift = await driftCheck();
    expect(drift.report?.tunnels).toEqual([{ interfaceName: TUNNEL, problem: 'missing' }]);
    expect(drift.report?.sessions.map((session) => session.state)).toEqual(['absent', 'absent']);
  }, 30000);

  it('a dry run says what it would do to the tunnel and changes nothing', async () => {
    const record = await apply(true);
    expect(record.result).toBe('dry-run');
    expect(step(record, 'read-tunnels')?.output).toContain(`${TUNNEL}: missing`);
    expect(stepNames(record)).not.toContain('tunnel-setup');
    expect(await tunnelCalls()).toEqual([]);
    expect(await link()).toBeNull();
  }, 60000);

  it('the apply sets the tunnel up before FRR; both sessions reach Established over it', async () => {
    const record = await apply();
    expect(record).toMatchObject({ result: 'applied', error: null });
    const names = stepNames(record);
    expect(names.indexOf('read-tunnels')).toBeLessThan(names.indexOf('tunnel-setup'));
    expect(names.indexOf('tunnel-setup')).toBeLessThan(names.indexOf('verify-tunnels'));
    expect(names.indexOf('verify-tunnels')).toBeLessThan(names.indexOf('reload'));
    expect(step(record, 'tunnel-setup')).toMatchObject({ exitCode: 0 });
    expect(step(record, 'verify-tunnels')).toMatchObject({ exitCode: 0, output: 'all 1 tunnel(s) as rendered' });
    expect(await tunnelCalls()).toEqual([`ip tunnel add ${TUNNEL} mode gre local ${HOST_UNDERLAY} remote ${PE_UNDERLAY} key 2310 ttl 255`]);
    expect(await link()).toEqual({ mtu: 1476, addresses: ['169.254.231.2/30', 'fd00:231::2/126'] });

    await until(
      'both sessions Established over the new tunnel',
      async () => {
        const states = await sessionStates();
        return Object.values(states).every((state) => state === 'Established') ? states : undefined;
      },
      30000,
      250,
    );
    // The PE's announcements arrive over it, in both families.
    const routes = await until('the PE’s prefixes on the host', async () => {
      const v4 = JSON.parse(await routerVtysh(NS_HOST, 'show bgp ipv4 unicast json')) as { routes?: Record<string, unknown> };
      const v6 = JSON.parse(await routerVtysh(NS_HOST, 'show bgp ipv6 unicast json')) as { routes?: Record<string, unknown> };
      const prefixes = [...Object.keys(v4.routes ?? {}), ...Object.keys(v6.routes ?? {})].sort();
      return prefixes.length === 2 ? prefixes : undefined;
    });
    expect(routes).toEqual(['2a05:d000:31::/48', '45.64.31.0/24']);

    expect(await driftCheck()).toMatchObject({ status: 'in-sync', report: { drifted: false, tunnels: [], sessions: [] } });
  }, 90000);

  it('a second apply finds the tunnel as rendered and runs nothing', async () => {
    const record = await apply();
    expect(record.result).toBe('unchanged');
    expect(step(record, 'read-tunnels')?.output).toBe('all 1 tunnel(s) as rendered');
    expect(stepNames(record)).not.toContain('tunnel-setup');
    expect(await tunnelCalls()).toHaveLength(1);
  }, 60000);

  it('a tunnel changed behind route-broker’s back shows as drift; the next apply puts it back (FRR untouched)', async () => {
    await sh(`ip -n ${NS_HOST} link set ${TUNNEL} mtu 1400 && ip -n ${NS_HOST} addr add 169.254.239.2/30 dev ${TUNNEL}`);
    const drift = await driftCheck();
    expect(drift.status).toBe('drifted');
    expect(drift.report?.tunnels).toEqual([
      { interfaceName: TUNNEL, problem: 'mtu', expectedMtu: 1476, observedMtu: 1400 },
      {
        interfaceName: TUNNEL,
        problem: 'address',
        family: 'ipv4',
        expected: '169.254.231.2/30',
        observed: ['169.254.231.2/30', '169.254.239.2/30'],
      },
    ]);

    const record = await apply();
    expect(record).toMatchObject({ result: 'applied', error: null });
    expect(stepNames(record)).toContain('tunnel-setup');
    expect(stepNames(record)).not.toContain('reload');
    expect((await tunnelCalls()).at(-1)).toBe(
      `ip tunnel change ${TUNNEL} mode gre local ${HOST_UNDERLAY} remote ${PE_UNDERLAY} key 2310 ttl 255`,
    );
    expect(await link()).toEqual({ mtu: 1476, addresses: ['169.254.231.2/30', 'fd00:231::2/126'] });
    expect(await driftCheck()).toMatchObject({ status: 'in-sync' });
  }, 60000);

  it('an MTU change through the API: drift shows it, the apply makes it; a failing GRE setup leaves FRR as it was', async () => {
    await http.operator.patch(`/gre-tunnels/${tunnelId}`, { mtu: 1450 }).expect(200);
    expect((await driftCheck()).report?.tunnels).toEqual([{ interfaceName: TUNNEL, problem: 'mtu', expectedMtu: 1450, observedMtu: 1476 }]);

    // The script fails (the stub refuses `ip tunnel`): the apply stops before FRR.
    await writeFile(failMarker, '');
    const sessionsBefore = await routerVtysh(NS_HOST, 'show running-config bgpd no-header');
    const failed = await apply();
    expect(failed.result).toBe('failed');
    expect(failed.error).toMatch(/^the GRE setup script failed \(exit 1\); FRR was not changed$/);
    expect(step(failed, 'tunnel-setup')).toMatchObject({ exitCode: 1 });
    expect(step(failed, 'tunnel-setup')?.output).toContain('refused by the test');
    expect(stepNames(failed)).not.toContain('reload');
    expect(await routerVtysh(NS_HOST, 'show running-config bgpd no-header')).toBe(sessionsBefore);
    expect((await link())?.mtu).toBe(1476);

    await rm(failMarker);
    expect(await apply()).toMatchObject({ result: 'applied', error: null });
    expect((await link())?.mtu).toBe(1450);
    expect(await driftCheck()).toMatchObject({ status: 'in-sync' });
  }, 90000);

  it('an external host: the apply leaves its tunnels alone, drift still checks them', async () => {
    await http.operator.patch(`/hosts/${hostId}`, { tunnelProvisioning: 'external' }).expect(200);
    await sh(`ip -n ${NS_HOST} link set ${TUNNEL} mtu 1476`);
    const calls = (await tunnelCalls()).length;

    const record = await apply();
    expect(record.result).toBe('unchanged');
    expect(stepNames(record)).not.toContain('read-tunnels');
    expect(await tunnelCalls()).toHaveLength(calls);
    expect((await link())?.mtu).toBe(1476);
    expect((await driftCheck()).report?.tunnels).toEqual([{ interfaceName: TUNNEL, problem: 'mtu', expectedMtu: 1450, observedMtu: 1476 }]);
  }, 60000);
});
