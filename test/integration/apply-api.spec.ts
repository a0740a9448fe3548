/**
 * Applying a host's FRR configuration through the API (POST /api/v1/hosts/:id/apply), end to end:
 * HTTP → inventory in MariaDB → rendering → SSH through the real lab sshd (127.0.0.1:2222, keys in
 * .cache/sshd) → frr-reload on a real FRR 8.4 bgpd → the apply record in MariaDB.
 *
 * The test builds its own two routers in its own network namespaces (never the shared lab):
 *
 *   applyapi-host (AS 64512)  aa-pe1 ── aa-host1  applyapi-pe (AS 65201)
 *   169.254.211.2/30                              169.254.211.1/30
 *                             aa-pe2 ── aa-host2
 *   169.254.211.6/30                              169.254.211.5/30
 *
 * The veths stand in for GRE tunnels: GRE cannot be created here, so the inventory's tunnel
 * interface names are the veths' names inside the host namespace and their addresses the tunnels'
 * inner /30s. The GRE setup script is never run; only the FRR config is applied.
 *
 * Known blocker (FRR 8.4): frr-reload's second pass re-issues every added line, and FRR 8.4
 * refuses a repeated `neighbor X graceful-restart` ("% The Graceful Restart command used is not
 * valid at this moment", exit 1), so an apply that adds a session with graceful restart (every
 * session: the API requires gracefulRestartSeconds >= 1) is rolled back until the template stops
 * writing that per-neighbor line when the neighbor inherits the router-wide `bgp graceful-restart`.
 * The "applied" cases below pass with that template change.
 *
 * The host's bgpd starts with no `router bgp` at all; everything in it comes from the API. It is
 * reached over SSH as a route-broker host would be: the host's vtyshCommand / frrReloadCommand
 * address its pathspace (`-N applyapi-host`). The PE is configured statically for both sessions.
 * Needs root, `scripts/sshd up` and FRR installed (scripts/test does both).
 */
import type { INestApplication } from '@nestjs/common';
import { execFile } from 'node:child_process';
import { chown, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sameEntries } from '../../src/frr-server/apply/frr-config-text.js';
import { FRR_BIN, routerVtysh, sh, startRouter, teardownRouters } from './support/frr-routers.js';
import { api, startTestApp } from './support/app.js';
import { READ_TOKEN } from './support/environment.js';
import { SSHD } from './support/lab.js';

const run = promisify(execFile);

const SSHD_PORT = SSHD.port;
const SSHD_DIR = SSHD.dir;

const NS_HOST = 'applyapi-host';
const NS_PE = 'applyapi-pe';
const OWN_NAMESPACES = [NS_HOST, NS_PE];
const HOST_ASN = 64512;
const PE_ASN = 65201;
const PEER_1 = '169.254.211.1';
const PEER_2 = '169.254.211.5';
const SECRET = 'Ap1$ecret#77'; // FRR 8.4 takes one word as the password

/** The PE side, configured for both sessions from the start (the host gets them through the API). */
const PE_CONFIG = `frr defaults traditional
hostname ${NS_PE}
!
router bgp ${PE_ASN}
 bgp router-id 10.21.0.254
 no bgp ebgp-requires-policy
 no bgp default ipv4-unicast
 neighbor 169.254.211.2 remote-as ${HOST_ASN}
 neighbor 169.254.211.2 password ${SECRET}
 neighbor 169.254.211.2 timers 3 9
 neighbor 169.254.211.2 timers connect 2
 neighbor 169.254.211.6 remote-as ${HOST_ASN}
 neighbor 169.254.211.6 timers 3 9
 neighbor 169.254.211.6 timers connect 2
 !
 address-family ipv4 unicast
  network 10.99.0.0/24
  neighbor 169.254.211.2 activate
  neighbor 169.254.211.6 activate
 exit-address-family
exit
!
`;

const vtysh = routerVtysh;

const runningBgpd = (): Promise<string> => vtysh(NS_HOST, 'show running-config bgpd no-header');

interface PeerSummary {
  state: string;
  peerUptimeEstablishedEpoch: number;
}

async function hostPeers(): Promise<Record<string, PeerSummary>> {
  try {
    const summary = JSON.parse(await vtysh(NS_HOST, 'show bgp summary json')) as { ipv4Unicast?: { peers?: Record<string, PeerSummary> } };
    return summary.ipv4Unicast?.peers ?? {};
  } catch {
    return {};
  }
}

const teardown = (labDir: string | undefined): Promise<void> => teardownRouters(OWN_NAMESPACES, labDir);

async function buildLab(labDir: string): Promise<void> {
  for (const ns of OWN_NAMESPACES) await sh(`ip netns add ${ns} && ip -n ${ns} link set lo up`);
  await sh(
    [
      `ip link add aa-pe1 netns ${NS_HOST} type veth peer name aa-host1 netns ${NS_PE}`,
      `ip link add aa-pe2 netns ${NS_HOST} type veth peer name aa-host2 netns ${NS_PE}`,
      `ip -n ${NS_HOST} addr add 169.254.211.2/30 dev aa-pe1`,
      `ip -n ${NS_HOST} addr add 169.254.211.6/30 dev aa-pe2`,
      `ip -n ${NS_PE} addr add ${PEER_1}/30 dev aa-host1`,
      `ip -n ${NS_PE} addr add ${PEER_2}/30 dev aa-host2`,
      `ip -n ${NS_HOST} link set aa-pe1 up`,
      `ip -n ${NS_HOST} link set aa-pe2 up`,
      `ip -n ${NS_PE} link set aa-host1 up`,
      `ip -n ${NS_PE} link set aa-host2 up`,
    ].join(' && '),
  );
  await startRouter(labDir, NS_HOST, `frr defaults traditional\nhostname ${NS_HOST}\n!\n`);
  await startRouter(labDir, NS_PE, PE_CONFIG);
}

interface ApplyRecord {
  id: number;
  hostId: number;
  requestedBy: string;
  requestId: string | null;
  dryRun: boolean;
  startedAt: string;
  finishedAt: string | null;
  result: string | null;
  durationMs: number | null;
  renderedDiff: string | null;
  steps: { step: string; command: string; exitCode: number; output: string; durationMs: number }[];
  error: string | null;
}

describe('apply API on a real FRR host', () => {
  let app: INestApplication;
  let http: ReturnType<typeof api>;
  let labDir: string | undefined;
  let hostId: number;
  let peId: number;
  let vpcId: number;
  let session2Id: number;
  const applyIds: number[] = [];

  const apply = async (dryRun: boolean, id = hostId): Promise<ApplyRecord> => {
    const response = await http.operator.post(`/hosts/${id}/apply`, { dryRun }).set('X-Request-Id', `applyapi-${Date.now()}`).expect(200);
    const record = response.body as ApplyRecord;
    applyIds.push(record.id);
    return record;
  };

  beforeAll(async () => {
    await teardown(undefined); // leftovers of an interrupted run
    labDir = await mkdtemp(join(tmpdir(), 'applyapi-'));
    await chown(labDir, 0, 0);
    await sh(`chmod 755 ${labDir}`);
    try {
      await buildLab(labDir);
      app = await startTestApp({
        RB_SSH_PRIVATE_KEY_FILE: join(SSHD_DIR, 'id_ed25519'),
        RB_APPLY_STAGING_DIR: join(labDir, 'staging'),
        RB_APPLY_ESTABLISH_TIMEOUT_MS: '15000',
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

  it('builds the inventory of the host through the API; no apply without a pinned host key (409)', async () => {
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
          vtyshCommand: `vtysh -N ${NS_HOST}`,
          // Its tunnel is a veth the test makes: route-broker only checks it.
          tunnelProvisioning: 'external',
          frrReloadCommand: `${FRR_BIN}/frr-reload.py -N ${NS_HOST}`,
          underlayAddress: '192.0.2.21',
          routerId: '10.21.0.1',
          asn: HOST_ASN,
        })
        .expect(201)
    ).body.id as number;
    peId = (await http.operator.post('/pes', { name: NS_PE, underlayAddress: '198.51.100.21', asn: PE_ASN, owner: 'acme' }).expect(201))
      .body.id as number;
    vpcId = (
      await http.operator.post('/hosted-vpcs', { name: 'applyapi-vpc', regionId, owner: 'acme', cidrs: ['10.21.0.0/16'] }).expect(201)
    ).body.id as number;
    const tunnelId = (
      await http.operator
        .post('/gre-tunnels', {
          hostId,
          peId,
          interfaceName: 'aa-pe1', // the veth inside the host namespace (no GRE here)
          tunnelKey: 2101,
          localInnerAddress: '169.254.211.2',
          remoteInnerAddress: PEER_1,
          innerPrefixLength: 30,
        })
        .expect(201)
    ).body.id as number;
    await http.operator
      .post('/bgp-sessions', {
        tunnelId,
        hostedVpcId: vpcId,
        localAsn: HOST_ASN,
        peerAsn: PE_ASN,
        peerAddress: PEER_1,
        md5Password: SECRET,
        keepaliveSeconds: 3,
        holdTimeSeconds: 9,
      })
      .expect(201);

    const refused = await http.operator.post(`/hosts/${hostId}/apply`, { dryRun: true }).expect(409);
    expect(refused.body.message).toContain('pin the host key first');

    const hostKey = (await readFile(join(SSHD_DIR, 'ssh_host_ed25519_key.pub'), 'utf8')).trim();
    await http.operator.patch(`/hosts/${hostId}`, { sshHostKey: hostKey }).expect(200);
    expect((await http.reader.get(`/hosts/${hostId}/applies`).expect(200)).body).toEqual([]);
  });

  it('validates the request: dryRun required, unknown fields 400, operator token, unknown host 404', async () => {
    await http.operator.post(`/hosts/${hostId}/apply`, {}).expect(400);
    await http.operator.post(`/hosts/${hostId}/apply`, { dryRun: 'yes' }).expect(400);
    const unknown = await http.operator.post(`/hosts/${hostId}/apply`, { dryRun: true, force: true }).expect(400);
    expect(JSON.stringify(unknown.body)).toContain('force');
    await http.reader.post(`/hosts/${hostId}/apply`, { dryRun: true }).expect(403);
    await http.operator.post('/hosts/999999/apply', { dryRun: true }).expect(404);
    await http.reader.get('/applies/999999').expect(404);
    expect((await http.reader.get(`/hosts/${hostId}/applies`).expect(200)).body).toEqual([]);
  });

  it('a dry run shows the diff and changes nothing on the router', async () => {
    const before = await runningBgpd();
    expect(before).not.toContain('router bgp');
    const record = await apply(true);
    expect(record).toMatchObject({ hostId, dryRun: true, result: 'dry-run', requestedBy: 'operator-1', error: null });
    expect(record.requestId).toMatch(/^applyapi-\d+$/);
    expect(record.finishedAt).not.toBeNull();
    expect(record.renderedDiff).toContain(`router bgp ${HOST_ASN}`);
    expect(record.renderedDiff).toContain(`neighbor ${PEER_1} password <redacted>`);
    expect(record.steps.map((step) => step.step)).not.toContain('reload');
    expect(await runningBgpd()).toBe(before);
  }, 60000);

  it('applies: the session reaches Established on the real bgpd; applying again changes nothing', async () => {
    const record = await apply(false);
    // On failure jest prints the whole record, steps and their output included.
    expect(record).toMatchObject({ result: 'applied', error: null });
    expect(record.steps.map((step) => step.step)).toEqual(
      expect.arrayContaining(['reload', 'verify-config', 'verify-sessions', 'persist']),
    );
    expect((await hostPeers())[PEER_1]?.state).toBe('Established');
    expect(await runningBgpd()).toContain(`neighbor ${PEER_1} remote-as ${PE_ASN}`);

    const again = await apply(false);
    expect(again.result).toBe('unchanged');
    expect(again.steps.map((step) => step.step)).not.toContain('reload');
  }, 60000);

  it('adding a second session does not reset the first one', async () => {
    const before = (await hostPeers())[PEER_1];
    expect(before?.state).toBe('Established');
    const tunnel2 = (
      await http.operator
        .post('/gre-tunnels', {
          hostId,
          peId,
          interfaceName: 'aa-pe2',
          tunnelKey: 2102,
          localInnerAddress: '169.254.211.6',
          remoteInnerAddress: PEER_2,
          innerPrefixLength: 30,
        })
        .expect(201)
    ).body.id as number;
    session2Id = (
      await http.operator
        .post('/bgp-sessions', {
          tunnelId: tunnel2,
          hostedVpcId: vpcId,
          localAsn: HOST_ASN,
          peerAsn: PE_ASN,
          peerAddress: PEER_2,
          keepaliveSeconds: 3,
          holdTimeSeconds: 9,
        })
        .expect(201)
    ).body.id as number;

    const record = await apply(false);
    expect(record).toMatchObject({ result: 'applied', error: null });
    expect(record.renderedDiff).toContain(`neighbor ${PEER_2} remote-as ${PE_ASN}`);
    expect(record.renderedDiff).not.toContain(`no neighbor ${PEER_1}`);

    const peers = await hostPeers();
    expect(peers[PEER_2]?.state).toBe('Established');
    expect(peers[PEER_1]?.state).toBe('Established');
    expect(Math.abs((peers[PEER_1]?.peerUptimeEstablishedEpoch ?? 0) - (before?.peerUptimeEstablishedEpoch ?? 0))).toBeLessThanOrEqual(2);
  }, 60000);

  it('a change whose session cannot come up is rolled back; the running config is unchanged', async () => {
    const running = await runningBgpd();
    const session1Before = (await hostPeers())[PEER_1];
    await http.operator.patch(`/bgp-sessions/${session2Id}`, { peerAsn: 65299 }).expect(200);

    const record = await apply(false);
    expect(record.result).toBe('rolled-back');
    expect(record.error).toContain(PEER_2);
    const steps = record.steps.map((step) => step.step);
    expect(steps).toEqual(expect.arrayContaining(['reload', 'verify-sessions', 'rollback-reload', 'rollback-verify']));
    expect(record.steps.find((step) => step.step === 'rollback-verify')?.exitCode).toBe(0);

    const now = await runningBgpd();
    expect(sameEntries(now, running)).toBe(true);
    expect(now).not.toContain('65299');
    // The untouched session stayed up through the apply and the rollback.
    const session1After = (await hostPeers())[PEER_1];
    expect(session1After?.state).toBe('Established');
    expect(
      Math.abs((session1After?.peerUptimeEstablishedEpoch ?? 0) - (session1Before?.peerUptimeEstablishedEpoch ?? 0)),
    ).toBeLessThanOrEqual(2);
    await http.operator.patch(`/bgp-sessions/${session2Id}`, { peerAsn: PE_ASN }).expect(200);
  }, 60000);

  it('refuses a host whose pinned key is not the one it presents: result failed, nothing sent', async () => {
    const keyDir = await mkdtemp(join(tmpdir(), 'applyapi-key-'));
    try {
      await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'other', '-f', join(keyDir, 'other')]);
      const otherKey = (await readFile(join(keyDir, 'other.pub'), 'utf8')).trim();
      const host = await http.operator.get(`/hosts/${hostId}`).expect(200);
      const impostor = (
        await http.operator
          .post('/hosts', {
            name: 'applyapi-wrongkey',
            regionId: host.body.regionId,
            zone: 'cn-gd-a',
            managementAddress: '127.0.0.1',
            sshPort: SSHD_PORT,
            sshUser: 'root',
            sshHostKey: otherKey,
            vtyshCommand: `vtysh -N ${NS_HOST}`,
            // Its tunnel is a veth the test makes: route-broker only checks it.
            tunnelProvisioning: 'external',
            frrReloadCommand: `${FRR_BIN}/frr-reload.py -N ${NS_HOST}`,
            underlayAddress: '192.0.2.22',
            routerId: '10.21.0.2',
            asn: HOST_ASN,
          })
          .expect(201)
      ).body.id as number;
      const running = await runningBgpd();
      const record = await apply(false, impostor);
      expect(record.result).toBe('failed');
      expect(record.error).toContain('does not match the pinned key');
      expect(record.steps).toHaveLength(1);
      expect(record.steps[0]).toMatchObject({ step: 'connect', exitCode: -1 });
      expect(await runningBgpd()).toBe(running);
    } finally {
      await rm(keyDir, { recursive: true, force: true });
    }
  }, 30000);

  it('lists the applies newest first, with no password anywhere', async () => {
    const list = (await http.reader.get(`/hosts/${hostId}/applies`).expect(200)).body as ApplyRecord[];
    expect(list.map((record) => record.result)).toEqual(['rolled-back', 'applied', 'unchanged', 'applied', 'dry-run']);
    expect(list.map((record) => record.id)).toEqual([...list.map((record) => record.id)].sort((a, b) => b - a));
    const paged = (await http.reader.get(`/hosts/${hostId}/applies?limit=2&offset=1`).expect(200)).body as ApplyRecord[];
    expect(paged.map((record) => record.id)).toEqual(list.slice(1, 3).map((record) => record.id));
    await http.reader.get(`/hosts/${hostId}/applies?limit=0`).expect(400);

    const first = list[0];
    const one = (await http.reader.get(`/applies/${first?.id ?? 0}`).expect(200)).body as ApplyRecord;
    expect(one).toEqual(first);
    expect(one.steps.length).toBeGreaterThan(5);

    for (const id of applyIds) {
      const text = JSON.stringify((await http.reader.get(`/applies/${id}`).expect(200)).body);
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain('Ap1$');
    }
    expect(JSON.stringify(list)).toContain('password <redacted>');

    const metrics = await http.anonymous.get('/metrics').set('Authorization', `Bearer ${READ_TOKEN}`).expect(200);
    expect(metrics.text).toMatch(/route_broker_frr_apply_total\{result="applied"[^}]*\} 2/);
    expect(metrics.text).toMatch(/route_broker_frr_rollbacks_total\{[^}]*\} 1/);
    expect(metrics.text).toContain('route_broker_frr_apply_duration_seconds_bucket');
  });
});
