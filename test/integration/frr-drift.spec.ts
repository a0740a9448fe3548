/**
 * Drift of a real FRR host through the API (GET /hosts/:id/drift, POST /hosts/:id/drift-check,
 * GET /hosts/:id/drift-history), end to end: inventory in MariaDB → rendering → SSH through the
 * real lab sshd (127.0.0.1:2222, keys in .cache/sshd) → vtysh and `ip -j link` on a real FRR 8.4
 * host → the drift history in MariaDB; and the periodic round of the frr-server role.
 *
 * The test builds its own two routers in its own network namespaces (never the shared lab):
 *
 *   drift-host (AS 64512)  dt-pe1 ── dt-host1  drift-pe (AS 65401)
 *   169.254.221.2/30                           169.254.221.1/30
 *
 * The veth stands in for the GRE tunnel (no GRE module here): the inventory's tunnel interface is
 * the veth inside the host namespace, set to the inventory's MTU (1476) as the GRE script would.
 * The host's vtyshCommand is `ip netns exec drift-host vtysh -N drift-host`, so `ip -j link`
 * (run under the same wrapper) sees the host namespace's links. The host gets its config through
 * the API (apply); the drift is then made behind route-broker's back with vtysh and ip.
 * Needs root, `scripts/sshd up` and FRR installed (scripts/test does both).
 */
import type { INestApplication } from '@nestjs/common';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chown, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createApp } from '../../src/bootstrap.js';
import { api, startTestApp } from './support/app.js';
import { READ_TOKEN, testConfig } from './support/environment.js';
import { until } from './support/until.js';
import { freePort } from './support/ports.js';
import { SSHD } from './support/lab.js';

const run = promisify(execFile);

const SSHD_PORT = SSHD.port;
const SSHD_DIR = SSHD.dir;
const FRR_BIN = process.env.RB_FRR_BIN ?? '/usr/lib/frr';

const NS_HOST = 'drift-host';
const NS_PE = 'drift-pe';
const OWN_NAMESPACES = [NS_HOST, NS_PE];
const HOST_ASN = 64512;
const PE_ASN = 65401;
const PEER = '169.254.221.1';
const TUNNEL = 'dt-pe1';
const SECRET = 'Dr1ft$ecret#9'; // FRR 8.4 takes one word as the password

const PE_CONFIG = `frr defaults traditional
hostname ${NS_PE}
!
router bgp ${PE_ASN}
 bgp router-id 10.22.0.254
 no bgp ebgp-requires-policy
 no bgp default ipv4-unicast
 neighbor 169.254.221.2 remote-as ${HOST_ASN}
 neighbor 169.254.221.2 password ${SECRET}
 neighbor 169.254.221.2 timers 3 9
 neighbor 169.254.221.2 timers connect 2
 !
 address-family ipv4 unicast
  neighbor 169.254.221.2 activate
 exit-address-family
exit
!
`;

const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

async function sh(command: string): Promise<string> {
  const { stdout } = await run('/bin/sh', ['-c', command]);
  return stdout;
}

/** vtysh of one of our routers, locally: the change behind route-broker's back. */
async function vtysh(ns: string, ...commands: string[]): Promise<string> {
  const { stdout } = await run('ip', ['netns', 'exec', ns, 'vtysh', '-N', ns, ...commands.flatMap((command) => ['-c', command])]);
  return stdout;
}

async function peerState(): Promise<string | undefined> {
  try {
    const summary = JSON.parse(await vtysh(NS_HOST, 'show bgp summary json')) as {
      ipv4Unicast?: { peers?: Record<string, { state: string }> };
    };
    return summary.ipv4Unicast?.peers?.[PEER]?.state;
  } catch {
    return undefined;
  }
}

/** Stops our daemons and removes our namespaces and files; never throws (also clears leftovers). */
async function teardown(labDir: string | undefined): Promise<void> {
  for (const ns of OWN_NAMESPACES) {
    for (const daemon of ['bgpd', 'zebra']) {
      try {
        const pid = Number((await readFile(`/var/run/frr/${ns}/${daemon}.pid`, 'utf8')).trim());
        if (pid > 1) process.kill(pid, 'SIGTERM');
      } catch {
        // not running
      }
    }
  }
  await sleep(500);
  for (const ns of OWN_NAMESPACES) {
    if (existsSync(`/var/run/netns/${ns}`)) {
      // Anything still inside our own namespaces is ours (a daemon that ignored SIGTERM).
      await sh(`for pid in $(ip netns pids ${ns}); do kill -9 "$pid"; done; ip netns del ${ns}`).catch(() => undefined);
    }
    await rm(`/var/run/frr/${ns}`, { recursive: true, force: true });
    await rm(`/etc/frr/${ns}`, { recursive: true, force: true });
  }
  if (labDir) await rm(labDir, { recursive: true, force: true });
}

/** zebra + bgpd with pathspace -N <ns>, in a UTS namespace named after the router (FRR prints it as hostname). */
async function startRouter(labDir: string, ns: string, bgpdConfig: string): Promise<void> {
  const dir = join(labDir, ns);
  await mkdir(dir, { recursive: true });
  await mkdir(`/var/run/frr/${ns}`, { recursive: true });
  await mkdir(`/etc/frr/${ns}`, { recursive: true });
  await writeFile(`/etc/frr/${ns}/vtysh.conf`, `no service integrated-vtysh-config\nhostname ${ns}\n`);
  await writeFile(join(dir, 'zebra.conf'), `frr defaults traditional\nhostname ${ns}\n!\n`);
  await writeFile(join(dir, 'bgpd.conf'), bgpdConfig);
  await sh(`chown -R frr:frr ${dir} /var/run/frr/${ns} /etc/frr/${ns}`);
  for (const daemon of ['zebra', 'bgpd']) {
    const args = [
      `${FRR_BIN}/${daemon}`,
      '-d',
      '-N',
      ns,
      '-u',
      'frr',
      '-g',
      'frr',
      '-P',
      '0',
      '-f',
      join(dir, `${daemon}.conf`),
      '-i',
      `/var/run/frr/${ns}/${daemon}.pid`,
      '--log',
      `file:${join(dir, `${daemon}.log`)}`,
      '--log-level',
      'info',
    ];
    await run('ip', ['netns', 'exec', ns, 'unshare', '--uts', 'sh', '-c', `hostname ${ns} && exec "$@"`, 'sh', ...args]);
    for (let i = 0; i < 100 && !existsSync(`/var/run/frr/${ns}/${daemon}.vty`); i += 1) await sleep(100);
  }
}

async function buildLab(labDir: string): Promise<void> {
  for (const ns of OWN_NAMESPACES) await sh(`ip netns add ${ns} && ip -n ${ns} link set lo up`);
  await sh(
    [
      `ip link add ${TUNNEL} netns ${NS_HOST} type veth peer name dt-host1 netns ${NS_PE}`,
      `ip -n ${NS_HOST} link set ${TUNNEL} mtu 1476`,
      `ip -n ${NS_PE} link set dt-host1 mtu 1476`,
      `ip -n ${NS_HOST} addr add 169.254.221.2/30 dev ${TUNNEL}`,
      `ip -n ${NS_PE} addr add ${PEER}/30 dev dt-host1`,
      `ip -n ${NS_HOST} link set ${TUNNEL} up`,
      `ip -n ${NS_PE} link set dt-host1 up`,
    ].join(' && '),
  );
  await startRouter(labDir, NS_HOST, `frr defaults traditional\nhostname ${NS_HOST}\n!\n`);
  await startRouter(labDir, NS_PE, PE_CONFIG);
}

interface DriftReport {
  drifted: boolean;
  config: { missing: string[]; extra: string[] };
  sessions: { peerAddress: string; interfaceName: string; state: string }[];
  tunnels: Record<string, unknown>[];
}

interface DriftView {
  hostId: number;
  hostName: string;
  status: string;
  checkedAt: string | null;
  since: string | null;
  fingerprint: string | null;
  report: DriftReport | null;
  error: string | null;
  reportId: number | null;
  recorded?: boolean;
}

interface HistoryRow {
  id: number;
  hostId: number;
  checkedAt: string;
  lastCheckedAt: string;
  drifted: boolean;
  fingerprint: string;
  report: DriftReport | null;
  error: string | null;
}

const IN_SYNC: DriftReport = { drifted: false, config: { missing: [], extra: [] }, sessions: [], tunnels: [] };
const DESCRIPTION = 'acme drift';

describe('drift of a real FRR host', () => {
  let app: INestApplication;
  let http: ReturnType<typeof api>;
  let labDir: string | undefined;
  let hostId: number;
  let impostorId: number;
  const texts: string[] = [];

  const check = async (id = hostId): Promise<DriftView> => {
    const body = (await http.operator.post(`/hosts/${id}/drift-check`, {}).expect(200)).body as DriftView;
    texts.push(JSON.stringify(body));
    return body;
  };
  const history = async (id = hostId): Promise<HistoryRow[]> => {
    const body = (await http.reader.get(`/hosts/${id}/drift-history`).expect(200)).body as HistoryRow[];
    texts.push(JSON.stringify(body));
    return body;
  };
  const latest = async (id = hostId): Promise<DriftView> => (await http.reader.get(`/hosts/${id}/drift`).expect(200)).body as DriftView;

  beforeAll(async () => {
    await teardown(undefined); // leftovers of an interrupted run
    labDir = await mkdtemp(join(tmpdir(), 'drift-'));
    await chown(labDir, 0, 0);
    await sh(`chmod 755 ${labDir}`);
    try {
      await buildLab(labDir);
      app = await startTestApp({
        RB_SSH_PRIVATE_KEY_FILE: join(SSHD_DIR, 'id_ed25519'),
        RB_APPLY_STAGING_DIR: join(labDir, 'staging'),
        RB_APPLY_ESTABLISH_TIMEOUT_MS: '20000',
        RB_SSH_CONNECT_TIMEOUT_MS: '5000',
        RB_SSH_COMMAND_TIMEOUT_MS: '30000',
      });
      http = api(app);
    } catch (error) {
      await teardown(labDir);
      labDir = undefined;
      throw error;
    }
  }, 60000);

  afterAll(async () => {
    await app?.close();
    await teardown(labDir);
  }, 30000);

  it('builds the host through the API; nothing checked yet; refuses without a pinned key (409), validates the request', async () => {
    const regionId = (await http.operator.post('/regions', { code: 'cn-gd' }).expect(201)).body.id as number;
    hostId = (
      await http.operator
        .post('/hosts', {
          name: NS_HOST, // what FRR prints as hostname
          regionId,
          zone: 'cn-gd-a',
          managementAddress: '127.0.0.1',
          sshPort: SSHD_PORT,
          sshUser: 'root',
          vtyshCommand: `ip netns exec ${NS_HOST} vtysh -N ${NS_HOST}`,
          // Its tunnel is a veth the test makes: route-broker only checks it.
          tunnelProvisioning: 'external',
          frrReloadCommand: `${FRR_BIN}/frr-reload.py -N ${NS_HOST}`,
          underlayAddress: '192.0.2.22',
          routerId: '10.22.0.1',
          asn: HOST_ASN,
        })
        .expect(201)
    ).body.id as number;
    const peId = (
      await http.operator.post('/pes', { name: NS_PE, underlayAddress: '198.51.100.22', asn: PE_ASN, owner: 'acme' }).expect(201)
    ).body.id as number;
    const vpcId = (
      await http.operator.post('/hosted-vpcs', { name: 'drift-vpc', regionId, owner: 'acme', cidrs: ['10.22.0.0/16'] }).expect(201)
    ).body.id as number;
    const tunnelId = (
      await http.operator
        .post('/gre-tunnels', {
          hostId,
          peId,
          interfaceName: TUNNEL,
          tunnelKey: 2201,
          localInnerAddress: '169.254.221.2',
          remoteInnerAddress: PEER,
          innerPrefixLength: 30,
          mtu: 1476,
        })
        .expect(201)
    ).body.id as number;
    await http.operator
      .post('/bgp-sessions', {
        tunnelId,
        hostedVpcId: vpcId,
        localAsn: HOST_ASN,
        peerAsn: PE_ASN,
        peerAddress: PEER,
        md5Password: SECRET,
        keepaliveSeconds: 3,
        holdTimeSeconds: 9,
        description: DESCRIPTION,
      })
      .expect(201);

    expect(await latest()).toEqual({
      hostId,
      hostName: NS_HOST,
      status: 'never-checked',
      checkedAt: null,
      since: null,
      fingerprint: null,
      report: null,
      error: null,
      reportId: null,
    });
    const refused = await http.operator.post(`/hosts/${hostId}/drift-check`, {}).expect(409);
    expect(refused.body.message).toContain('pin the host key first');

    await http.reader.post(`/hosts/${hostId}/drift-check`, {}).expect(403);
    await http.operator.post('/hosts/999999/drift-check', {}).expect(404);
    await http.reader.get('/hosts/999999/drift').expect(404);
    await http.reader.get('/hosts/999999/drift-history').expect(404);
    await http.reader.get('/hosts/abc/drift').expect(400);
    await http.operator.post('/hosts/abc/drift-check', {}).expect(400);
    await http.reader.get(`/hosts/${hostId}/drift-history?limit=0`).expect(400);
    await http.reader.get(`/hosts/${hostId}/drift-history?sort=up`).expect(400);
    await http.anonymous.get(`/api/v1/hosts/${hostId}/drift`).expect(401);
    expect(await history()).toEqual([]);

    const hostKey = (await readFile(join(SSHD_DIR, 'ssh_host_ed25519_key.pub'), 'utf8')).trim();
    await http.operator.patch(`/hosts/${hostId}`, { sshHostKey: hostKey }).expect(200);
  });

  it('after an apply the host is in sync; checking again writes no new row, only the time of the latest check moves', async () => {
    const applied = await http.operator.post(`/hosts/${hostId}/apply`, { dryRun: false }).expect(200);
    expect(applied.body).toMatchObject({ result: 'applied', error: null });
    expect(await peerState()).toBe('Established');

    const first = await check();
    expect(first).toMatchObject({ hostId, hostName: NS_HOST, status: 'in-sync', report: IN_SYNC, error: null, recorded: true });
    expect(first.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(first.since).toBe(first.checkedAt);
    const rows = await history();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      id: first.reportId,
      hostId,
      drifted: false,
      fingerprint: first.fingerprint,
      report: IN_SYNC,
      error: null,
    });

    await sleep(20);
    const second = await check();
    expect(second).toMatchObject({ status: 'in-sync', recorded: false, reportId: first.reportId, since: first.since });
    expect(Date.parse(second.checkedAt ?? '')).toBeGreaterThan(Date.parse(first.checkedAt ?? ''));
    expect(await history()).toHaveLength(1);
    expect(await latest()).toMatchObject({ status: 'in-sync', reportId: first.reportId, checkedAt: second.checkedAt, since: first.since });
  }, 60000);

  it('a description changed behind route-broker’s back is reported exactly, once', async () => {
    await vtysh(NS_HOST, 'configure terminal', `router bgp ${HOST_ASN}`, `neighbor ${PEER} description changed by hand`);

    const drifted = await check();
    expect(drifted).toMatchObject({ status: 'drifted', recorded: true, error: null });
    expect(drifted.report).toEqual({
      drifted: true,
      config: {
        missing: [`router bgp ${HOST_ASN} › neighbor ${PEER} description ${DESCRIPTION}`],
        extra: [`router bgp ${HOST_ASN} › neighbor ${PEER} description changed by hand`],
      },
      sessions: [],
      tunnels: [],
    });
    const rows = await history();
    expect(rows.map((row) => row.drifted)).toEqual([true, false]);
    expect(rows[0]).toMatchObject({ id: drifted.reportId, report: drifted.report, fingerprint: drifted.fingerprint });

    const again = await check();
    expect(again).toMatchObject({ status: 'drifted', recorded: false, reportId: drifted.reportId, fingerprint: drifted.fingerprint });
    expect(await history()).toHaveLength(2);

    const metrics = await http.anonymous.get('/metrics').set('Authorization', `Bearer ${READ_TOKEN}`).expect(200);
    expect(metrics.text).toMatch(/^route_broker_drifted_hosts\{[^}]*\} 1$/m);
    expect(metrics.text).toMatch(/route_broker_drift_check_duration_seconds_count\{[^}]*result="drifted"[^}]*\} 2/);
  }, 60000);

  it('a session shut down and a tunnel MTU changed by hand show up as session and tunnel drift', async () => {
    await vtysh(NS_HOST, 'configure terminal', `router bgp ${HOST_ASN}`, `neighbor ${PEER} shutdown`);
    await sh(`ip -n ${NS_HOST} link set ${TUNNEL} mtu 1400`);

    const drifted = await check();
    expect(drifted).toMatchObject({ status: 'drifted', recorded: true });
    expect(drifted.report).toEqual({
      drifted: true,
      config: {
        missing: [`router bgp ${HOST_ASN} › neighbor ${PEER} description ${DESCRIPTION}`],
        extra: [
          `router bgp ${HOST_ASN} › neighbor ${PEER} description changed by hand`,
          `router bgp ${HOST_ASN} › neighbor ${PEER} shutdown`,
        ],
      },
      sessions: [{ peerAddress: PEER, interfaceName: TUNNEL, state: 'Idle (Admin)' }],
      tunnels: [{ interfaceName: TUNNEL, problem: 'mtu', expectedMtu: 1476, observedMtu: 1400 }],
    });
    expect(await history()).toHaveLength(3);
  }, 60000);

  it('putting it right (the MTU by hand, the config by an apply) brings the host back in sync, recorded once', async () => {
    await sh(`ip -n ${NS_HOST} link set ${TUNNEL} mtu 1476`);
    const applied = await http.operator.post(`/hosts/${hostId}/apply`, { dryRun: false }).expect(200);
    expect(applied.body).toMatchObject({ result: 'applied', error: null });
    await until('the session to come back', async () => ((await peerState()) === 'Established' ? true : undefined), 30000, 250);

    const back = await check();
    expect(back).toMatchObject({ status: 'in-sync', recorded: true, report: IN_SYNC });
    const rows = await history();
    expect(rows.map((row) => (row.drifted ? 'drifted' : 'in-sync'))).toEqual(['in-sync', 'drifted', 'drifted', 'in-sync']);
    // Same state as the first row: same fingerprint, but a new row (the history shows the change).
    expect(rows[0]?.fingerprint).toBe(rows[3]?.fingerprint);
    expect(rows.map((row) => row.id)).toEqual([...rows.map((row) => row.id)].sort((a, b) => b - a));
    const paged = (await http.reader.get(`/hosts/${hostId}/drift-history?limit=2&offset=1`).expect(200)).body as HistoryRow[];
    expect(paged.map((row) => row.id)).toEqual(rows.slice(1, 3).map((row) => row.id));
    expect(await check()).toMatchObject({ recorded: false });

    const metrics = await http.anonymous.get('/metrics').set('Authorization', `Bearer ${READ_TOKEN}`).expect(200);
    expect(metrics.text).toMatch(/^route_broker_drifted_hosts\{[^}]*\} 0$/m);
  }, 60000);

  it('a host whose key does not match, or that cannot be reached, is a failed check, recorded once per distinct failure', async () => {
    const keyDir = await mkdtemp(join(tmpdir(), 'drift-key-'));
    try {
      await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'other', '-f', join(keyDir, 'other')]);
      const otherKey = (await readFile(join(keyDir, 'other.pub'), 'utf8')).trim();
      const host = await http.operator.get(`/hosts/${hostId}`).expect(200);
      impostorId = (
        await http.operator
          .post('/hosts', {
            name: 'drift-wrongkey',
            regionId: host.body.regionId,
            zone: 'cn-gd-a',
            managementAddress: '127.0.0.1',
            sshPort: SSHD_PORT,
            sshUser: 'root',
            sshHostKey: otherKey,
            vtyshCommand: `ip netns exec ${NS_HOST} vtysh -N ${NS_HOST}`,
            // Its tunnel is a veth the test makes: route-broker only checks it.
            tunnelProvisioning: 'external',
            underlayAddress: '192.0.2.23',
            routerId: '10.22.0.2',
            asn: HOST_ASN,
          })
          .expect(201)
      ).body.id as number;
    } finally {
      await rm(keyDir, { recursive: true, force: true });
    }
    const failed = await check(impostorId);
    expect(failed).toMatchObject({ status: 'check-failed', recorded: true, report: null });
    expect(failed.error).toMatch(/^host-key: host key of 127\.0\.0\.1:\d+ does not match the pinned key/);
    expect(await check(impostorId)).toMatchObject({ status: 'check-failed', recorded: false, reportId: failed.reportId });
    expect(await history(impostorId)).toEqual([
      expect.objectContaining({ id: failed.reportId, drifted: false, report: null, error: failed.error }),
    ]);
    expect(await latest(impostorId)).toMatchObject({ status: 'check-failed', error: failed.error });

    const hostKey = (await readFile(join(SSHD_DIR, 'ssh_host_ed25519_key.pub'), 'utf8')).trim();
    const host = await http.operator.get(`/hosts/${hostId}`).expect(200);
    const unreachableId = (
      await http.operator
        .post('/hosts', {
          name: 'drift-unreachable',
          regionId: host.body.regionId,
          zone: 'cn-gd-a',
          managementAddress: '127.0.0.1',
          sshPort: 1, // nothing listens
          sshUser: 'root',
          sshHostKey: hostKey,
          underlayAddress: '192.0.2.24',
          routerId: '10.22.0.3',
          asn: HOST_ASN,
        })
        .expect(201)
    ).body.id as number;
    const unreachable = await check(unreachableId);
    expect(unreachable).toMatchObject({ status: 'check-failed', recorded: true, report: null });
    expect(unreachable.error).toMatch(/^connect: ssh connection to 127\.0\.0\.1:1 failed/);

    const metrics = await http.anonymous.get('/metrics').set('Authorization', `Bearer ${READ_TOKEN}`).expect(200);
    expect(metrics.text).toMatch(/route_broker_drift_check_failures_total\{[^}]*reason="host-key"[^}]*\} 2/);
    expect(metrics.text).toMatch(/route_broker_drift_check_failures_total\{[^}]*reason="connect"[^}]*\} 1/);
    expect(metrics.text).toMatch(/^route_broker_drifted_hosts\{[^}]*\} 0$/m);
  }, 30000);

  it('the frr-server role checks every host with a pinned key each interval, recording only changes', async () => {
    const frrServer = await createApp(
      testConfig({
        RB_ROLES: 'frr-server',
        RB_BMP_HOST: '127.0.0.1',
        RB_BMP_PORT: String(await freePort()),
        RB_SSH_PRIVATE_KEY_FILE: join(SSHD_DIR, 'id_ed25519'),
        RB_DRIFT_INTERVAL_SECONDS: '1',
        RB_DRIFT_MAX_CONCURRENT_HOSTS: '2',
        RB_DRIFT_HOST_TIMEOUT_MS: '20000',
      }),
    );
    await frrServer.init();
    try {
      const before = { host: (await history()).length, impostor: (await history(impostorId)).length };
      const lastChecked = (await latest()).checkedAt ?? '';
      await until('a round to check the host', async () => ((await latest()).checkedAt !== lastChecked ? true : undefined), 15000, 250);

      await vtysh(NS_HOST, 'configure terminal', `router bgp ${HOST_ASN}`, `neighbor ${PEER} description changed by hand`);
      const drifted = await until('a round to find the drift', async () => {
        const view = await latest();
        return view.status === 'drifted' ? view : undefined;
      });
      expect(drifted.report?.config.extra).toEqual([`router bgp ${HOST_ASN} › neighbor ${PEER} description changed by hand`]);

      await vtysh(NS_HOST, 'configure terminal', `router bgp ${HOST_ASN}`, `neighbor ${PEER} description ${DESCRIPTION}`);
      await until('a round to find it in sync again', async () => ((await latest()).status === 'in-sync' ? true : undefined));
      // Let a few more rounds pass: nothing changes, so nothing more is written.
      const impostorChecked = (await latest(impostorId)).checkedAt ?? '';
      await until('another round', async () => ((await latest(impostorId)).checkedAt !== impostorChecked ? true : undefined), 15000, 250);
      expect((await history()).length).toBe(before.host + 2);
      expect((await history(impostorId)).length).toBe(before.impostor);
    } finally {
      await frrServer.close();
    }
  }, 90000);

  it('never shows the MD5 password, in any response', () => {
    expect(texts.length).toBeGreaterThan(10);
    for (const text of texts) expect(text).not.toContain(SECRET);
  });

  it('the history goes with its host', async () => {
    await http.operator.delete(`/hosts/${impostorId}`).expect(204);
    await http.reader.get(`/hosts/${impostorId}/drift-history`).expect(404);
  });
});
