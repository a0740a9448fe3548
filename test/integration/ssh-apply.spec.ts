/**
 * Applying FRR configuration over SSH (src/frr-server/apply), against the real lab sshd
 * (127.0.0.1:2222, keys in .cache/sshd) and real FRR 8.4 daemons.
 *
 * Read-only checks use the shared lab's host 1 (scripts/lab). Everything that changes FRR configuration runs
 * on a lab of this test's own, built in beforeAll and torn down in afterAll:
 *
 *   sshapply-a (AS 65101) ──sa-b / sa-a── sshapply-b (AS 65102)
 *   169.254.201.1/30, fd00:201::1/126        169.254.201.2/30, fd00:201::2/126
 *
 * Both run zebra + bgpd with pathspace -N <ns>, as scripts/lab starts its daemons. At the start
 * only the IPv4 session is configured on A (B is configured for both); the tests add the IPv6 one
 * through the applier. Needs root, `scripts/sshd up` and FRR installed (scripts/test does both).
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chown, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { applyFrrConfig, type ApplyOptions, type ApplyResult, type FrrHostSettings } from '../../src/frr-server/apply/frr-applier.js';
import { sameEntries } from '../../src/frr-server/apply/frr-config-text.js';
import {
  CommandTimeoutError,
  HostKeyMismatchError,
  REMOTE_TIMEOUT_GRACE_MS,
  connectToHost,
  type HostSsh,
  type SshTarget,
} from '../../src/frr-server/apply/host-ssh.js';
import { shellQuote } from '../../src/frr-server/apply/shell-quote.js';
import { LAB_HOST1, SSHD } from './support/lab.js';

const run = promisify(execFile);

const SSHD_HOST = SSHD.host;
const SSHD_PORT = SSHD.port;
const SSHD_DIR = SSHD.dir;
const SHARED_HOST = LAB_HOST1;
const FRR_BIN = process.env.RB_FRR_BIN ?? '/usr/lib/frr';

const NS_A = 'sshapply-a';
const NS_B = 'sshapply-b';
const OWN_NAMESPACES = [NS_A, NS_B];
const SECRET = 'Sup3r$ecret#42'; // FRR 8.4 takes one word as the password

/** A's config when the test lab comes up: one IPv4 session to B. */
const BASE_A = `frr defaults traditional
hostname ${NS_A}
!
router bgp 65101
 bgp router-id 10.1.0.1
 no bgp ebgp-requires-policy
 no bgp default ipv4-unicast
 timers bgp 3 9
 neighbor 169.254.201.2 remote-as 65102
 neighbor 169.254.201.2 timers connect 2
 !
 address-family ipv4 unicast
  neighbor 169.254.201.2 activate
 exit-address-family
exit
!
`;

/** BASE_A plus the IPv6 session to B, as a renderer would write it (no exits, other indentation). */
const WITH_V6 = `! rendered for ${NS_A}
frr defaults traditional
hostname ${NS_A}
router bgp 65101
  bgp router-id 10.1.0.1
  no bgp ebgp-requires-policy
  no bgp default ipv4-unicast
  timers bgp 3 9
  neighbor 169.254.201.2 remote-as 65102
  neighbor 169.254.201.2 timers connect 2
  neighbor fd00:201::2 remote-as 65102
  neighbor fd00:201::2 timers connect 2
  address-family ipv4 unicast
    neighbor 169.254.201.2 activate
  exit-address-family
  address-family ipv6 unicast
    neighbor fd00:201::2 activate
  exit-address-family
`;

/** FRR's parser refuses it (a misspelt keyword). */
const BAD_SYNTAX = WITH_V6.replace(
  '  neighbor fd00:201::2 timers connect 2\n',
  '  neighbor fd00:201::2 timers connect 2\n  neighbor fd00:201::2 remote-ass 65102\n',
);

/** Valid, but the new session can never come up: nobody answers at 169.254.201.6 (no route to it). */
const NEVER_UP = WITH_V6.replace(
  '  address-family ipv4 unicast\n',
  `  neighbor 169.254.201.6 remote-as 65102\n  neighbor 169.254.201.6 password ${SECRET}\n  neighbor 169.254.201.6 timers connect 2\n  address-family ipv4 unicast\n    neighbor 169.254.201.6 activate\n`,
);

const B_CONFIG = `frr defaults traditional
hostname ${NS_B}
!
router bgp 65102
 bgp router-id 10.1.0.2
 no bgp ebgp-requires-policy
 no bgp default ipv4-unicast
 timers bgp 3 9
 neighbor 169.254.201.1 remote-as 65101
 neighbor 169.254.201.1 timers connect 2
 neighbor fd00:201::1 remote-as 65101
 neighbor fd00:201::1 timers connect 2
 !
 address-family ipv4 unicast
  neighbor 169.254.201.1 activate
 exit-address-family
 !
 address-family ipv6 unicast
  neighbor fd00:201::1 activate
 exit-address-family
exit
!
`;

const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

async function sh(command: string): Promise<string> {
  const { stdout } = await run('/bin/sh', ['-c', command]);
  return stdout;
}

/** vtysh of one of our routers, locally (not through the code under test). */
async function vtysh(ns: string, command: string): Promise<string> {
  const { stdout } = await run('ip', ['netns', 'exec', ns, 'vtysh', '-N', ns, '-c', command]);
  return stdout;
}

const runningBgpd = (ns: string): Promise<string> => vtysh(ns, 'show running-config bgpd no-header');

interface PeerSummary {
  state: string;
  peerUptimeMsec: number;
  peerUptimeEstablishedEpoch: number;
}

async function peers(ns: string, afi: 'ipv4Unicast' | 'ipv6Unicast'): Promise<Record<string, PeerSummary>> {
  try {
    const summary = JSON.parse(await vtysh(ns, 'show bgp summary json')) as Record<string, { peers?: Record<string, PeerSummary> }>;
    return summary[afi]?.peers ?? {};
  } catch {
    return {};
  }
}

async function waitEstablished(ns: string, afi: 'ipv4Unicast' | 'ipv6Unicast', peer: string, timeoutMs: number): Promise<PeerSummary> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = (await peers(ns, afi))[peer];
    if (found?.state === 'Established') return found;
    if (Date.now() > deadline) throw new Error(`${ns} ${afi} ${peer} not Established after ${timeoutMs} ms (${found?.state ?? 'missing'})`);
    await sleep(250);
  }
}

/** Stops our daemons and removes our namespaces and files; never throws (also clears leftovers). */
async function teardown(labDir: string | undefined): Promise<void> {
  for (const ns of OWN_NAMESPACES) {
    for (const daemon of ['bgpd', 'zebra']) {
      const pidFile = `/var/run/frr/${ns}/${daemon}.pid`;
      try {
        const pid = Number((await readFile(pidFile, 'utf8')).trim());
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

async function startRouter(labDir: string, ns: string, bgpdConfig: string): Promise<void> {
  const dir = join(labDir, ns);
  await mkdir(dir, { recursive: true });
  await mkdir(`/var/run/frr/${ns}`, { recursive: true });
  await mkdir(`/etc/frr/${ns}`, { recursive: true });
  // Per-daemon configs, as in the shared lab; vtysh's own hostname set to the daemons' one, or
  // `show running-config` would print the machine's name as a second hostname line (see README).
  await writeFile(`/etc/frr/${ns}/vtysh.conf`, `no service integrated-vtysh-config\nhostname ${ns}\n`);
  await writeFile(join(dir, 'zebra.conf'), `frr defaults traditional\nhostname ${ns}\n!\n`);
  await writeFile(join(dir, 'bgpd.conf'), bgpdConfig);
  await sh(`chown -R frr:frr ${shellQuote(dir)} /var/run/frr/${ns} /etc/frr/${ns}`);
  for (const daemon of ['zebra', 'bgpd']) {
    await run('ip', [
      'netns',
      'exec',
      ns,
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
    ]);
    for (let i = 0; i < 100 && !existsSync(`/var/run/frr/${ns}/${daemon}.vty`); i += 1) await sleep(100);
  }
}

async function buildLab(labDir: string): Promise<void> {
  for (const ns of OWN_NAMESPACES) {
    await sh(
      `ip netns add ${ns} && ip -n ${ns} link set lo up && ` +
        `ip netns exec ${ns} sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0`,
    );
  }
  await sh(
    [
      `ip link add sa-b netns ${NS_A} type veth peer name sa-a netns ${NS_B}`,
      `ip -n ${NS_A} addr add 169.254.201.1/30 dev sa-b`,
      `ip -n ${NS_A} addr add fd00:201::1/126 dev sa-b nodad`,
      `ip -n ${NS_A} link set sa-b up`,
      `ip -n ${NS_B} addr add 169.254.201.2/30 dev sa-a`,
      `ip -n ${NS_B} addr add fd00:201::2/126 dev sa-a nodad`,
      `ip -n ${NS_B} link set sa-a up`,
    ].join(' && '),
  );
  await startRouter(labDir, NS_A, BASE_A);
  await startRouter(labDir, NS_B, B_CONFIG);
}

function sshTarget(overrides: Partial<SshTarget> = {}): Promise<SshTarget> {
  return Promise.all([readFile(join(SSHD_DIR, 'id_ed25519')), readFile(join(SSHD_DIR, 'known_hosts'), 'utf8')]).then(
    ([privateKey, knownHosts]) => ({
      address: SSHD_HOST,
      port: SSHD_PORT,
      username: 'root',
      privateKey,
      pinnedHostKey: knownHosts.trim(),
      connectTimeoutMs: 5000,
      commandTimeoutMs: 30000,
      ...overrides,
    }),
  );
}

/** Everything a step record shows, to look for secrets in. */
const everything = (result: ApplyResult): string => JSON.stringify(result);

describe('apply FRR configuration over SSH', () => {
  let labDir: string | undefined;
  let ssh: HostSsh | undefined;
  let stagingDir = '';
  let hostA: FrrHostSettings;
  const options = (extra: Partial<ApplyOptions> = {}): ApplyOptions => ({
    establishTimeoutMs: 20000,
    dryRun: false,
    verifySessions: [{ peer: '169.254.201.2' }, { peer: 'fd00:201::2' }],
    ...extra,
  });
  const session = (): HostSsh => {
    if (!ssh) throw new Error('no ssh session');
    return ssh;
  };

  beforeAll(async () => {
    await teardown(undefined); // leftovers of an interrupted run
    labDir = await mkdtemp(join(tmpdir(), 'sshapply-'));
    await chown(labDir, 0, 0);
    await sh(`chmod 755 ${shellQuote(labDir)}`);
    stagingDir = join(labDir, 'staging dir'); // a space, to exercise the quoting
    hostA = {
      vtysh: `ip netns exec ${NS_A} vtysh -N ${NS_A}`,
      reloadCommand: `${FRR_BIN}/frr-reload.py -N ${NS_A}`,
      daemon: 'bgpd',
      stagingDir,
    };
    try {
      await buildLab(labDir);
      await waitEstablished(NS_A, 'ipv4Unicast', '169.254.201.2', 30000);
      ssh = await connectToHost(await sshTarget());
    } catch (error) {
      await teardown(labDir);
      labDir = undefined;
      throw error;
    }
  }, 60000);

  afterAll(async () => {
    ssh?.close();
    await teardown(labDir);
  }, 30000);

  describe('the SSH adapter', () => {
    it('runs vtysh on the shared lab (read-only)', async () => {
      const result = await session().exec(`vtysh -N ${shellQuote(SHARED_HOST)} -c ${shellQuote('show bgp summary json')}`);
      expect(result.exitCode).toBe(0);
      const summary = JSON.parse(result.stdout) as { ipv4Unicast?: { as: number; peers: Record<string, { state: string }> } };
      expect(summary.ipv4Unicast?.as).toBe(64512);
      expect(summary.ipv4Unicast?.peers['169.254.101.1']?.state).toBe('Established');
    });

    it('returns stderr and the exit status, and feeds stdin', async () => {
      const result = await session().exec('cat; echo oops >&2; exit 3', { stdin: "it's $(not) run" });
      expect(result).toEqual({ stdout: "it's $(not) run", stderr: 'oops\n', exitCode: 3 });
    });

    it('kills a command that runs past its time limit and says which', async () => {
      const marker = `sleep 31.${process.pid}`;
      await expect(session().exec(marker, { timeoutMs: 500 })).rejects.toThrow(CommandTimeoutError);
      await expect(session().exec(marker, { timeoutMs: 300 })).rejects.toThrow(`command timed out after 300 ms and was killed: ${marker}`);
      // The host's `timeout` wrapper kills it within REMOTE_TIMEOUT_GRACE_MS + 1 s of the client giving up.
      await sleep(REMOTE_TIMEOUT_GRACE_MS + 1500);
      // The remote process is gone (pgrep exits 1 when nothing matches), and the connection still works.
      const left = await session().exec(`pgrep -f ${shellQuote(`^${marker}$`)}`);
      expect(left.exitCode).toBe(1);
    });

    it('writes a file atomically with its mode, whatever its name and content', async () => {
      const path = join(stagingDir, "odd 'name' $x.conf");
      await session().exec(`mkdir -p ${shellQuote(stagingDir)}`);
      const content = 'line 1\n\'quoted\' "double" $(nope) `nope`\n';
      await session().writeFile(path, content, 0o640);
      expect(await readFile(path, 'utf8')).toBe(content);
      expect((await stat(path)).mode & 0o777).toBe(0o640);
      await session().writeFile(path, 'replaced\n', 0o600);
      expect(await readFile(path, 'utf8')).toBe('replaced\n');
      // No temporary file is left behind.
      expect((await sh(`ls -A ${shellQuote(stagingDir)}`)).trim().split('\n')).toEqual(["odd 'name' $x.conf"]);
      await rm(path);
    });

    it('refuses a host whose key is not the pinned one, naming both fingerprints', async () => {
      const dir = await mkdtemp(join(tmpdir(), 'sshapply-key-'));
      try {
        await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'other', '-f', join(dir, 'other')]);
        const otherKey = (await readFile(join(dir, 'other.pub'), 'utf8')).trim();
        const fingerprint = async (file: string): Promise<string> => (await run('ssh-keygen', ['-lf', file])).stdout.split(' ')[1] ?? '';
        const presented = await fingerprint(join(SSHD_DIR, 'known_hosts'));
        const expected = await fingerprint(join(dir, 'other.pub'));

        const refused = await connectToHost(await sshTarget({ pinnedHostKey: otherKey })).then(
          (connection) => {
            connection.close();
            return null;
          },
          (error: unknown) => error,
        );
        expect(refused).toBeInstanceOf(HostKeyMismatchError);
        expect(refused).toMatchObject({ presentedFingerprint: presented, expectedFingerprint: expected });
        expect((refused as Error).message).toContain(`presented ${presented}, expected ${expected}`);

        // Nothing pinned: refused too.
        await expect(connectToHost(await sshTarget({ pinnedHostKey: '' }))).rejects.toThrow(/no key is pinned/);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  });

  describe('applyFrrConfig on our own router', () => {
    it('adds a session incrementally: it comes up, the existing one is not reset', async () => {
      const before = (await peers(NS_A, 'ipv4Unicast'))['169.254.201.2'];
      expect(before?.state).toBe('Established');
      const checkedAt = Date.now();

      const result = await applyFrrConfig(session(), hostA, WITH_V6, options({ persist: true }));

      expect(result).toMatchObject({ result: 'applied', rolledBack: false });
      expect(result.steps.map((step) => step.step)).toEqual([
        'read-running-config',
        'upload',
        'upload',
        'validate',
        'diff',
        'reload',
        'verify-config',
        'verify-sessions',
        'persist',
        'cleanup',
      ]);
      expect(result.steps.every((step) => step.exitCode === 0)).toBe(true);
      expect(result.diff).toContain('neighbor fd00:201::2 remote-as 65102');
      expect((await peers(NS_A, 'ipv6Unicast'))['fd00:201::2']?.state).toBe('Established');

      // The IPv4 session kept running through the reload: its uptime went on growing.
      await sleep(1000);
      const after = (await peers(NS_A, 'ipv4Unicast'))['169.254.201.2'];
      const elapsed = Date.now() - checkedAt;
      expect(after?.state).toBe('Established');
      expect(after?.peerUptimeMsec).toBeGreaterThanOrEqual((before?.peerUptimeMsec ?? 0) + elapsed - 2000);
      expect(Math.abs((after?.peerUptimeEstablishedEpoch ?? 0) - (before?.peerUptimeEstablishedEpoch ?? 0))).toBeLessThanOrEqual(2);

      // persist: write memory saved it into bgpd's own config file; staging files are cleaned up.
      expect(await readFile(join(labDir ?? '', NS_A, 'bgpd.conf'), 'utf8')).toContain('neighbor fd00:201::2 remote-as 65102');
      expect((await sh(`ls -A ${shellQuote(stagingDir)}`)).trim()).toBe('');
    }, 60000);

    it('re-applying the same config changes nothing', async () => {
      const result = await applyFrrConfig(session(), hostA, WITH_V6, options());
      expect(result.result).toBe('unchanged');
      expect(result.steps.map((step) => step.step)).not.toContain('reload');
    }, 30000);

    it('a dry run shows the diff and changes nothing', async () => {
      const running = await runningBgpd(NS_A);
      const result = await applyFrrConfig(session(), hostA, BASE_A, options({ dryRun: true }));
      expect(result.result).toBe('dry-run');
      expect(result.diff).toMatch(/Lines To Delete[\s\S]*no neighbor fd00:201::2/);
      expect(result.steps.map((step) => step.step)).not.toContain('reload');
      expect(await runningBgpd(NS_A)).toBe(running);
    }, 30000);

    it('a config FRR refuses is rejected and the running config is untouched', async () => {
      const running = await runningBgpd(NS_A);
      const result = await applyFrrConfig(session(), hostA, BAD_SYNTAX, options());
      expect(result).toMatchObject({ result: 'rejected', rolledBack: false });
      const validate = result.steps.find((step) => step.step === 'validate');
      expect(validate?.exitCode).not.toBe(0);
      expect(validate?.output).toContain('remote-ass');
      expect(result.steps.map((step) => step.step)).not.toContain('reload');
      expect(await runningBgpd(NS_A)).toBe(running);
    }, 30000);

    it('a config whose session never comes up is rolled back, secrets redacted', async () => {
      const running = await runningBgpd(NS_A);
      const v4Before = (await peers(NS_A, 'ipv4Unicast'))['169.254.201.2'];

      const result = await applyFrrConfig(
        session(),
        hostA,
        NEVER_UP,
        options({
          establishTimeoutMs: 6000,
          verifySessions: [{ peer: '169.254.201.2' }, { peer: 'fd00:201::2' }, { peer: '169.254.201.6' }],
        }),
      );

      expect(result).toMatchObject({ result: 'rolled-back', rolledBack: true });
      expect(result.reason).toMatch(/169\.254\.201\.6/);
      const steps = result.steps.map((step) => step.step);
      expect(steps).toEqual(expect.arrayContaining(['reload', 'verify-sessions', 'rollback-upload', 'rollback-reload', 'rollback-verify']));
      expect(result.steps.find((step) => step.step === 'verify-sessions')?.exitCode).toBe(1);
      expect(result.steps.find((step) => step.step === 'rollback-verify')?.exitCode).toBe(0);

      // The previous config runs again, and the untouched sessions stayed up all along.
      expect(sameEntries(await runningBgpd(NS_A), running)).toBe(true);
      expect(await runningBgpd(NS_A)).not.toContain('169.254.201.6');
      const v4After = (await peers(NS_A, 'ipv4Unicast'))['169.254.201.2'];
      expect(Math.abs((v4After?.peerUptimeEstablishedEpoch ?? 0) - (v4Before?.peerUptimeEstablishedEpoch ?? 0))).toBeLessThanOrEqual(2);

      // The password reached FRR (diff) but no record shows it.
      expect(result.diff).toContain('neighbor 169.254.201.6 password <redacted>');
      expect(everything(result)).not.toContain('Sup3r');
    }, 60000);
  });
});
