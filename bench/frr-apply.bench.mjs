/**
 * Issue #4, part 2: adding one BGP session to a host that already runs 200, in a lab of real FRR
 * 8.4 daemons, two ways, in the same run:
 *
 *  (a) incremental: route-broker's own applier (applyFrrConfig from dist/, over the lab sshd on
 *      127.0.0.1:2222, with the settings and options FrrApplyService uses: per-daemon bgpd config,
 *      frr-reload.py --test then --reload, verification of every rendered neighbor, write memory);
 *  (b) baseline: write the same 201-session config into bgpd's config file and restart bgpd.
 *
 * For each: when the new session is Established and its routes are in the host's kernel, how many
 * of the 200 existing sessions were reset (established-transition counters and established epoch,
 * on both ends), how many prefixes were learned again, and how many kernel routes were deleted
 * (`ip monitor route` during the measurement). Each is repeated --runs times, interleaved, and the
 * median is printed.
 *
 *   npm run build && node bench/frr-apply.bench.mjs [--runs 3] [--sessions 200] [--prefixes 4]
 *       [--local] [--no-gr] [--clean] [--keep]
 *
 *   --runs N       repetitions of each method (default 3)
 *   --sessions N   sessions the host runs before the apply (default 200; the bench adds one)
 *   --prefixes N   prefixes the PE announces on each session (default 4)
 *   --local        the same applyFrrConfig, but its commands run here with `sh -c` instead of
 *                  over SSH (when the lab sshd is not up, or to leave SSH's cost out)
 *   --no-gr        sessions without graceful restart (the inventory default is 120 s, i.e. on);
 *                  with FRR 8.4 the incremental apply then fails (see docs/benchmarks.md)
 *   --clean        first remove what a crashed run left behind (namespaces, daemons, files)
 *   --keep         leave the bench lab running at the end (remove it with --clean)
 *
 * The bench lab (its own, never the shared rb-* lab): namespaces rbb-pe (AS 65001) and rbb-host
 * (AS 64512), N+1 veth pairs between them standing in for the GRE tunnels (host end gre-pe<i>,
 * 169.254.x.y/30 each), zebra and bgpd in each with FRR's pathspace -N <ns> as scripts/lab starts
 * them (sockets in /var/run/frr/<ns>/, vtysh.conf in /etc/frr/<ns>/, configs and logs in a
 * /tmp/rbb-bench-* directory). The host's bgpd config is rendered by renderHostConfig; the PE's is
 * written here (timers connect 2, advertisement-interval 0, coalesce-time 1000, one outbound
 * route-map per session so each session carries its own prefixes). Everything is torn down at the end, also on failure or
 * Ctrl-C; a run refuses to start while the namespaces exist (use --clean).
 *
 * Needs root, FRR 8.4 with frr-pythontools (frr-reload.py), `npm run build`, and for the SSH mode
 * `scripts/sshd up` (keys in .cache/sshd). Imports the BUILT code (dist/).
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { applyFrrConfig } from '../dist/frr-server/apply/frr-applier.js';
import { connectToHost } from '../dist/frr-server/apply/host-ssh.js';
import { renderHostConfig } from '../dist/frr-server/config/render-frr-config.js';

const execFileAsync = promisify(execFile);

// --- options -------------------------------------------------------------------------------------

const argv = process.argv.slice(2);
const flag = (name) => argv.includes(name);
const option = (name, fallback) => {
  const at = argv.indexOf(name);
  if (at < 0) return fallback;
  const value = Number(argv[at + 1]);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} needs a positive integer`);
  return value;
};
const known = new Set(['--runs', '--sessions', '--prefixes', '--local', '--no-gr', '--clean', '--keep']);
for (const [i, arg] of argv.entries()) {
  if (arg.startsWith('--') && !known.has(arg)) throw new Error(`unknown option ${arg}`);
  if (!arg.startsWith('--') && !['--runs', '--sessions', '--prefixes'].includes(argv[i - 1])) throw new Error(`unexpected ${arg}`);
}
const RUNS = option('--runs', 3);
const SESSIONS = option('--sessions', 200);
const PREFIXES = option('--prefixes', 4);
const LOCAL = flag('--local');
const GR = !flag('--no-gr');
const CLEAN = flag('--clean');
const KEEP = flag('--keep');
if (SESSIONS + 1 > 16000) throw new Error('--sessions: at most 15999 (the /30s come from 169.254.0.0/16)');

const PE = 'rbb-pe';
const HOST = 'rbb-host';
const NAMESPACES = [PE, HOST];
const PE_ASN = 65001;
const HOST_ASN = 64512;
const FRR_BIN = process.env.RB_FRR_BIN ?? '/usr/lib/frr';
const FRR_RELOAD = join(FRR_BIN, 'frr-reload.py');
const KEEPALIVE = 3;
const HOLD = 9;
const SSHD_DIR = resolve(process.env.RB_SSHD_DIR ?? '.cache/sshd');
const SETTLE_MS = 3000; // quiet time before each measurement, so established epochs differ
const TIMEOUT_MS = 180_000;

// --- small helpers -------------------------------------------------------------------------------

const sleep = (ms) => new Promise((done) => setTimeout(done, ms));
const now = () => performance.now();
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const seconds = (ms) => (ms / 1000).toFixed(2);
const log = (message) => console.log(`[${new Date().toISOString().slice(11, 23)}] ${message}`);

async function run(command, args, input) {
  if (input === undefined) {
    const { stdout } = await execFileAsync(command, args, { maxBuffer: 256 * 1024 * 1024 });
    return stdout;
  }
  return new Promise((done, fail) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', fail);
    child.on('close', (code) => (code === 0 ? done(stdout) : fail(new Error(`${command} ${args.join(' ')}: exit ${code}\n${stderr}`))));
    child.stdin.end(input);
  });
}
const sh = (script) => run('/bin/sh', ['-c', script]);
const vtysh = (ns, command) => run('vtysh', ['-N', ns, '-c', command]);

/** Tunnel i (1-based): a /30 out of 169.254.0.0/16, PE at .1, host at .2 (as the lab's tunnels). */
function tunnel(i) {
  const base = i * 4;
  const net = `169.254.${Math.floor(base / 256)}.`;
  return { host: `${net}${(base % 256) + 2}`, pe: `${net}${(base % 256) + 1}`, hostIf: `gre-pe${i}`, peIf: `h${i}` };
}
/** The prefixes the PE announces on session i: consecutive /24s out of 10.0.0.0/8. */
function prefixesOf(i) {
  return Array.from({ length: PREFIXES }, (_, j) => {
    const n = (i - 1) * PREFIXES + j;
    return `10.${Math.floor(n / 256) % 256}.${n % 256}.0/24`;
  });
}

// --- configs -------------------------------------------------------------------------------------

/** The host's desired state with sessions 1..n, one per tunnel, as the inventory would give it. */
function desiredState(n) {
  const tunnels = [];
  for (let i = 1; i <= n; i++) {
    const t = tunnel(i);
    tunnels.push({
      interfaceName: t.hostIf,
      tunnelKey: 1000 + i,
      localUnderlay: '192.0.2.10',
      remoteUnderlay: `198.18.${Math.floor(i / 250)}.${(i % 250) + 1}`,
      mtu: 1476,
      ttl: 255,
      ipv4: { localAddress: t.host, remoteAddress: t.pe, prefixLength: 30 },
      ipv6: null,
      sessions: [
        {
          peerAddress: t.pe,
          localAsn: HOST_ASN,
          peerAsn: PE_ASN,
          description: `bench vpc ${i}`,
          md5Password: null,
          keepaliveSeconds: KEEPALIVE,
          holdTimeSeconds: HOLD,
          bfd: false,
          gracefulRestart: GR,
          ipv4Unicast: {
            importPrefixes: prefixesOf(i).map((prefix) => ({ prefix })),
            exportPrefixes: [{ prefix: `100.${64 + Math.floor(i / 256)}.${i % 256}.0/24` }],
            maxPrefix: 1000,
          },
          ipv6Unicast: null,
        },
      ],
    });
  }
  return {
    host: { name: HOST, routerId: '10.0.0.11', asn: HOST_ASN },
    // desiredStateFromInventory: the largest gracefulRestartSeconds (inventory default 120).
    gracefulRestart: GR ? { restartTimeSeconds: 120 } : null,
    // A collector address nobody listens on inside the namespace: bgpd keeps retrying, as a host
    // does while its collector is away; the target makes the renderer add soft-reconfiguration.
    bmp: { name: 'collector', address: '127.0.0.1', port: 11019, minRetryMs: 1000, maxRetryMs: 30000 },
    tunnels,
  };
}

/** The PE (the customer's router, not rendered by route-broker): all N+1 sessions from the start. */
function peConfig(n) {
  const lines = [
    'frr defaults traditional',
    `hostname ${PE}`,
    '!',
    `router bgp ${PE_ASN}`,
    ' bgp router-id 10.0.0.1',
    ' no bgp ebgp-requires-policy',
    ' no bgp network import-check',
    ' no bgp default ipv4-unicast',
    ' bgp log-neighbor-changes',
    ` timers bgp ${KEEPALIVE} ${HOLD}`,
    // The PE stands in for N+1 customers' PEs with a session or two each. FRR stretches its
    // update-group coalesce time with the peer count (1 s + 50 ms per peer, at most 10 s), which
    // would hold every UPDATE of this one PE back 10 s; pin it to what a small PE uses.
    ' coalesce-time 1000',
  ];
  if (GR) lines.push(' bgp graceful-restart');
  for (let i = 1; i <= n; i++) {
    const { host } = tunnel(i);
    lines.push(
      ` neighbor ${host} remote-as ${HOST_ASN}`,
      ` neighbor ${host} advertisement-interval 0`,
      ` neighbor ${host} timers connect 2`,
    );
  }
  lines.push(' !', ' address-family ipv4 unicast');
  for (let i = 1; i <= n; i++) for (const prefix of prefixesOf(i)) lines.push(`  network ${prefix}`);
  for (let i = 1; i <= n; i++) {
    const { host } = tunnel(i);
    lines.push(`  neighbor ${host} activate`, `  neighbor ${host} route-map PE-OUT-${i} out`);
  }
  lines.push(' exit-address-family', 'exit', '!');
  for (let i = 1; i <= n; i++) {
    prefixesOf(i).forEach((prefix, j) => lines.push(`ip prefix-list PE-OUT-${i} seq ${(j + 1) * 5} permit ${prefix}`));
    lines.push(`route-map PE-OUT-${i} permit 10`, ` match ip address prefix-list PE-OUT-${i}`, 'exit', '!');
  }
  return `${lines.join('\n')}\n`;
}

// --- the lab -------------------------------------------------------------------------------------

let workDir = null;
const children = new Set();

const runDir = (ns) => `/var/run/frr/${ns}`;
const netnsExists = (ns) => existsSync(`/var/run/netns/${ns}`);

async function pidOf(ns, daemon) {
  try {
    const pid = Number((await readFile(`${runDir(ns)}/${daemon}.pid`, 'utf8')).trim());
    return pid > 1 ? pid : null;
  } catch {
    return null;
  }
}
const alive = (pid) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Stops the bench's daemons and removes its namespaces and files; never throws. */
async function teardown() {
  for (const child of children) child.kill('SIGKILL');
  const pids = [];
  for (const ns of NAMESPACES) {
    for (const daemon of ['bgpd', 'zebra']) {
      const pid = await pidOf(ns, daemon);
      if (pid && alive(pid)) {
        process.kill(pid, 'SIGTERM');
        pids.push(pid);
      }
    }
  }
  for (let i = 0; i < 50 && pids.some(alive); i++) await sleep(100);
  for (const ns of NAMESPACES) {
    if (netnsExists(ns)) {
      // Whatever still runs inside the bench's own namespaces is the bench's.
      await sh(`for pid in $(ip netns pids ${ns}); do kill -9 "$pid"; done; ip netns del ${ns}`).catch(() => undefined);
    }
    await rm(runDir(ns), { recursive: true, force: true });
    await rm(`/etc/frr/${ns}`, { recursive: true, force: true });
  }
  const stale = (await readdir('/tmp').catch(() => [])).filter((name) => name.startsWith('rbb-bench-'));
  for (const name of stale) await rm(join('/tmp', name), { recursive: true, force: true });
  workDir = null;
}

async function startDaemon(ns, daemon, extra = []) {
  const dir = join(workDir, ns);
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
    `${runDir(ns)}/${daemon}.pid`,
    '--log',
    `file:${join(dir, `${daemon}.log`)}`,
    '--log-level',
    'info',
    ...extra,
  ]);
  for (let i = 0; i < 100; i++) {
    if (existsSync(`${runDir(ns)}/${daemon}.vty`) && (await pidOf(ns, daemon))) return;
    await sleep(100);
  }
  throw new Error(`${daemon} in ${ns}: no vty socket after 10 s (see ${dir}/${daemon}.log)`);
}

async function buildLab(hostConfig) {
  workDir = await mkdtemp('/tmp/rbb-bench-');
  await chmod(workDir, 0o755);
  for (const ns of NAMESPACES) {
    await sh(`ip netns add ${ns} && ip -n ${ns} link set lo up`);
    await run('ip', ['netns', 'exec', ns, 'sysctl', '-qw', 'net.ipv4.ip_forward=1', 'net.ipv6.conf.all.accept_dad=0']);
  }
  const pairs = [];
  const hostSide = [];
  const peSide = [];
  for (let i = 1; i <= SESSIONS + 1; i++) {
    const t = tunnel(i);
    pairs.push(`link add ${t.hostIf} netns ${HOST} type veth peer name ${t.peIf} netns ${PE}`);
    hostSide.push(`addr add ${t.host}/30 dev ${t.hostIf}`, `link set ${t.hostIf} up`);
    peSide.push(`addr add ${t.pe}/30 dev ${t.peIf}`, `link set ${t.peIf} up`);
  }
  await run('ip', ['-batch', '-'], `${pairs.join('\n')}\n`);
  await run('ip', ['-n', HOST, '-batch', '-'], `${hostSide.join('\n')}\n`);
  await run('ip', ['-n', PE, '-batch', '-'], `${peSide.join('\n')}\n`);

  for (const ns of NAMESPACES) {
    const dir = join(workDir, ns);
    await mkdir(dir, { recursive: true });
    await mkdir(runDir(ns), { recursive: true });
    await mkdir(`/etc/frr/${ns}`, { recursive: true });
    // Per-daemon configs and vtysh's own hostname, as in scripts/lab (see its comments).
    await writeFile(`/etc/frr/${ns}/vtysh.conf`, `no service integrated-vtysh-config\nhostname ${ns}\n`);
    await writeFile(join(dir, 'zebra.conf'), `frr defaults traditional\nhostname ${ns}\n!\n`);
  }
  await writeFile(join(workDir, PE, 'bgpd.conf'), peConfig(SESSIONS + 1));
  await writeFile(join(workDir, HOST, 'bgpd.conf'), hostConfig);
  await mkdir(join(workDir, 'staging'), { mode: 0o700 });
  await sh(`chown -R frr:frr ${workDir}/${PE} ${workDir}/${HOST} ${runDir(PE)} ${runDir(HOST)} /etc/frr/${PE} /etc/frr/${HOST}`);

  for (const ns of NAMESPACES) await startDaemon(ns, 'zebra');
  await startDaemon(PE, 'bgpd');
  await startDaemon(HOST, 'bgpd', ['-M', 'bmp']);
}

// --- observing -----------------------------------------------------------------------------------

/** `show bgp summary json`, IPv4 unicast peers; {} while bgpd does not answer. */
async function peers(ns) {
  try {
    return JSON.parse(await vtysh(ns, 'show bgp summary json')).ipv4Unicast?.peers ?? {};
  } catch {
    return {};
  }
}

async function kernelBgpRoutes() {
  const out = await run('ip', ['-n', HOST, '-4', 'route', 'show', 'proto', 'bgp']);
  return out.split('\n').filter(Boolean).length;
}

/** Per old session, on both ends: established epoch and established/dropped counters. */
async function snapshot(n) {
  const [host, pe] = await Promise.all([peers(HOST), peers(PE)]);
  const sessions = [];
  for (let i = 1; i <= n; i++) {
    const t = tunnel(i);
    const h = host[t.pe];
    const p = pe[t.host];
    sessions.push({
      i,
      host: h && { state: h.state, epoch: h.peerUptimeEstablishedEpoch, up: h.connectionsEstablished, pfx: h.pfxRcd },
      pe: p && { state: p.state, epoch: p.peerUptimeEstablishedEpoch, up: p.connectionsEstablished },
    });
  }
  return sessions;
}

/** UPDATEs received per peer on the host (show bgp neighbors json: messageStats). */
async function updatesReceived() {
  const neighbors = JSON.parse(await vtysh(HOST, 'show bgp neighbors json'));
  return Object.fromEntries(Object.entries(neighbors).map(([peer, info]) => [peer, info.messageStats?.updatesRecv ?? 0]));
}

/**
 * The old sessions that went down since `before`, on either end: not Established now, another
 * established-transition count (connectionsEstablished), or established at another time. bgpd
 * computes the epoch from whole seconds of uptime, so two reads of an untouched session can
 * differ by one: only a larger difference counts.
 */
function resets(before, after) {
  const moved = (a, b) => Math.abs(a - b) > 1;
  return after.filter((s, k) => {
    const b = before[k];
    return (
      s.host?.state !== 'Established' ||
      s.pe?.state !== 'Established' ||
      s.host.up !== b.host.up ||
      s.pe.up !== b.pe.up ||
      moved(s.host.epoch, b.host.epoch) ||
      moved(s.pe.epoch, b.pe.epoch)
    );
  });
}

/** Kernel route changes in the host while it runs: `ip monitor route`, counted. */
function monitorRoutes() {
  const child = spawn('ip', ['-n', HOST, '-4', 'monitor', 'route'], { stdio: ['ignore', 'pipe', 'ignore'] });
  children.add(child);
  const counts = { added: 0, deleted: 0 };
  let rest = '';
  child.stdout.on('data', (chunk) => {
    const lines = (rest + chunk).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) {
      if (!line.includes('proto bgp')) continue;
      if (line.startsWith('Deleted ')) counts.deleted++;
      else counts.added++;
    }
  });
  return {
    counts,
    stop: async () => {
      await sleep(200); // let the last netlink messages through
      child.kill('SIGTERM');
      children.delete(child);
    },
  };
}

/** Waits until every session 1..n is Established on the host with all its prefixes, and the kernel has them. */
async function waitConverged(n, since, label) {
  const times = { established: null, prefixes: null, kernel: null };
  const deadline = Date.now() + TIMEOUT_MS;
  for (;;) {
    const host = await peers(HOST);
    const t = now();
    let established = 0;
    let complete = 0;
    for (let i = 1; i <= n; i++) {
      const p = host[tunnel(i).pe];
      if (p?.state === 'Established') established++;
      if (p?.state === 'Established' && p.pfxRcd === PREFIXES) complete++;
    }
    if (times.established === null && established === n) times.established = t - since;
    if (times.prefixes === null && complete === n) times.prefixes = t - since;
    if (times.prefixes !== null && times.kernel === null && (await kernelBgpRoutes()) === n * PREFIXES) times.kernel = now() - since;
    if (times.kernel !== null) return times;
    if (Date.now() > deadline) {
      throw new Error(
        `${label}: not converged after ${TIMEOUT_MS / 1000} s: ${established}/${n} Established, ${complete}/${n} with ${PREFIXES} prefixes, ` +
          `${await kernelBgpRoutes()} kernel routes (logs in ${workDir})`,
      );
    }
    await sleep(100);
  }
}

/** bgpd's memory (kB) from /proc: current and peak resident set. */
async function memoryOf(ns, daemon) {
  const pid = await pidOf(ns, daemon);
  if (!pid) return null;
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const field = (name) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssKb: field('VmRSS'), hwmKb: field('VmHWM') };
}

// --- the applier, as FrrApplyService calls it ----------------------------------------------------

/** A RemoteShell that runs the commands here (--local): sh -c, same exit and output handling. */
const localShell = {
  async exec(command, options = {}) {
    return new Promise((done) => {
      const child = spawn('/bin/sh', ['-c', command], { stdio: ['pipe', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk) => (stdout += chunk));
      child.stderr.on('data', (chunk) => (stderr += chunk));
      child.on('close', (code) => done({ stdout, stderr, exitCode: code ?? -1 }));
      child.stdin.end(options.stdin ?? '');
    });
  },
  async writeFile(path, content, mode = 0o600) {
    await writeFile(path, content, { mode });
  },
};

async function connect() {
  if (LOCAL) return { shell: localShell, close: () => undefined, how: 'local shell (--local)' };
  const [privateKey, knownHosts] = await Promise.all([
    readFile(join(SSHD_DIR, 'id_ed25519')),
    readFile(join(SSHD_DIR, 'known_hosts'), 'utf8'),
  ]);
  const target = {
    address: process.env.RB_SSHD_HOST ?? '127.0.0.1',
    port: Number(process.env.RB_SSHD_PORT ?? '2222'),
    username: 'root',
    privateKey,
    pinnedHostKey: knownHosts.trim(),
    connectTimeoutMs: 10000,
    commandTimeoutMs: 60000, // RB_SSH_COMMAND_TIMEOUT_MS default
  };
  const ssh = await connectToHost(target);
  return { shell: ssh, close: () => ssh.close(), how: `ssh root@${target.address}:${target.port} (the lab sshd)` };
}

/** FrrApplyService.renderedNeighbors: every `neighbor X remote-as` of the rendered config. */
const renderedNeighbors = (frrConf) => [...frrConf.matchAll(/^ neighbor (\S+) remote-as /gm)].map((match) => match[1]);

function apply(shell, frrConf, verify = true) {
  const settings = {
    vtysh: `vtysh -N ${HOST}`,
    reloadCommand: `${FRR_RELOAD} -N ${HOST}`,
    daemon: 'bgpd',
    stagingDir: join(workDir, 'staging'),
  };
  return applyFrrConfig(shell, settings, frrConf, {
    dryRun: false,
    verifySessions: verify ? renderedNeighbors(frrConf).map((peer) => ({ peer })) : [],
    establishTimeoutMs: 60000, // RB_APPLY_ESTABLISH_TIMEOUT_MS default
    commandTimeoutMs: 60000,
    persist: true,
  });
}

function stepTimes(result) {
  const sums = {};
  for (const step of result.steps) sums[step.step] = (sums[step.step] ?? 0) + step.durationMs;
  return sums;
}

function describeFailure(result) {
  const failed = result.steps.filter((step) => step.exitCode !== 0);
  return `${result.result}: ${result.reason ?? ''}\n${failed.map((s) => `  ${s.step}: ${s.command}\n${s.output}`).join('\n')}`;
}

// --- the two methods -----------------------------------------------------------------------------

const NEW = SESSIONS + 1;
const newPeer = tunnel(NEW).pe;

/** (a) one more session through the applier; the host runs SESSIONS sessions before. */
async function incremental(shell, config201) {
  const before = await snapshot(SESSIONS);
  const updatesBefore = await updatesReceived();
  const monitor = monitorRoutes();
  const t0 = now();
  // bgpd's own view of the new session, polled here while the applier runs.
  const seen = { established: null, kernel: null };
  let applying = true;
  let applied = true;
  const watcher = (async () => {
    while (applying || (applied && seen.kernel === null)) {
      if (seen.established === null) {
        const state = await vtysh(HOST, `show bgp neighbors ${newPeer} json`)
          .then((out) => JSON.parse(out)[newPeer]?.bgpState)
          .catch(() => undefined);
        if (state === 'Established') seen.established = now() - t0;
      } else if (seen.kernel === null && (await kernelBgpRoutes()) === NEW * PREFIXES) {
        seen.kernel = now() - t0;
      }
      if (now() - t0 > TIMEOUT_MS) break;
      await sleep(100);
    }
  })();
  const result = await apply(shell, config201);
  const applierMs = now() - t0;
  applied = result.result === 'applied';
  applying = false;
  await watcher;
  await monitor.stop();
  if (result.result !== 'applied') throw new Error(`incremental apply: ${describeFailure(result)}`);
  if (seen.established === null || seen.kernel === null)
    throw new Error(`incremental apply: new session or its routes not seen (logs in ${workDir})`);
  const after = await snapshot(SESSIONS);
  const updatesAfter = await updatesReceived();
  const reset = resets(before, after);
  const oldWithUpdates = after.filter((s) => updatesAfter[tunnel(s.i).pe] !== updatesBefore[tunnel(s.i).pe]);
  const relearned = after.filter((s) => reset.includes(s) || oldWithUpdates.includes(s)).reduce((sum, s) => sum + (s.host?.pfx ?? 0), 0);
  // When frr-reload --reload returned, counted from the start (the steps run one after the other).
  const upToReload = result.steps.slice(0, result.steps.findIndex((step) => step.step === 'reload') + 1);
  const reloaded = upToReload.reduce((sum, step) => sum + step.durationMs, 0);
  return {
    established: seen.established,
    reloaded,
    afterReload: seen.established - reloaded,
    kernel: seen.kernel,
    applierMs,
    steps: stepTimes(result),
    reset: reset.length,
    relearned,
    newPrefixes: PREFIXES,
    kernelDeleted: monitor.counts.deleted,
    kernelAdded: monitor.counts.added,
  };
}

/**
 * Back to SESSIONS sessions between measurements (not timed): the applier removes the extra
 * neighbor (without its per-neighbor verification, which only costs time here); checks that no
 * other session was reset.
 */
async function removeNew(shell, config200) {
  const before = await snapshot(SESSIONS);
  const result = await apply(shell, config200, false);
  if (result.result !== 'applied') throw new Error(`removing the extra session: ${describeFailure(result)}`);
  const reset = resets(before, await snapshot(SESSIONS));
  if (reset.length > 0) log(`note: removing session ${NEW} reset ${reset.length} other session(s)`);
  return reset.length;
}

/** bgpd logs a CPU HOG warning for a task over 5 s; the CPU ms of each config file read it logged. */
async function configReadHogs() {
  const text = await readFile(join(workDir, HOST, 'bgpd.log'), 'utf8');
  return [...text.matchAll(/CPU HOG: task frr_config_read_in \S+ ran for \d+ms \(cpu time (\d+)ms\)/g)].map((m) => Number(m[1]));
}

/** (b) write the 201-session config into bgpd.conf and restart bgpd; the host runs SESSIONS before. */
async function restart(config201) {
  const file = join(workDir, HOST, 'bgpd.conf');
  await writeFile(file, config201);
  await run('chown', ['frr:frr', file]);
  const before = await snapshot(SESSIONS);
  const hogsBefore = await configReadHogs();
  const monitor = monitorRoutes();
  const t0 = now();
  const pid = await pidOf(HOST, 'bgpd');
  process.kill(pid, 'SIGTERM');
  for (let i = 0; alive(pid); i++) {
    if (i > 300) throw new Error('bgpd did not stop within 30 s');
    await sleep(20);
  }
  const stopped = now() - t0;
  await startDaemon(HOST, 'bgpd', ['-M', 'bmp']);
  const started = now() - t0;
  const times = await waitConverged(NEW, t0, 'bgpd restart');
  await monitor.stop();
  const hogs = await configReadHogs();
  const configRead = hogs.length > hogsBefore.length ? hogs[hogs.length - 1] : null;
  const after = await snapshot(SESSIONS);
  const reset = resets(before, after);
  return {
    established: times.established,
    prefixes: times.prefixes,
    kernel: times.kernel,
    stopped,
    started,
    configRead,
    reset: reset.length,
    // A new bgpd starts with an empty RIB: every prefix of every session is learned again.
    relearned: after.reduce((sum, s) => sum + (s.host?.pfx ?? 0), 0),
    newPrefixes: PREFIXES,
    kernelDeleted: monitor.counts.deleted,
    kernelAdded: monitor.counts.added,
  };
}

// --- main ----------------------------------------------------------------------------------------

async function main() {
  if (process.getuid?.() !== 0) throw new Error('needs root (network namespaces, FRR daemons)');
  if (!existsSync(FRR_RELOAD)) throw new Error(`${FRR_RELOAD} missing: install Debian's frr-pythontools`);
  const leftovers = NAMESPACES.filter((ns) => netnsExists(ns) || existsSync(runDir(ns)));
  if (leftovers.length > 0) {
    if (!CLEAN) throw new Error(`${leftovers.join(', ')} exist (a crashed or --keep run?): run again with --clean to remove them first`);
    log(`--clean: removing ${leftovers.join(', ')}`);
  }
  if (CLEAN) await teardown();

  const state200 = desiredState(SESSIONS);
  const state201 = desiredState(NEW);
  const config200 = renderHostConfig(state200).frrConf;
  const config201 = renderHostConfig(state201).frrConf;
  console.log(
    `FRR apply bench: ${SESSIONS} sessions + 1, ${PREFIXES} prefixes each, ${RUNS} runs of each method; ` +
      `graceful restart ${GR ? 'on (120 s)' : 'off'}; timers ${KEEPALIVE}/${HOLD}; ${(config201.length / 1024).toFixed(0)} KB rendered config`,
  );

  let connection = null;
  try {
    let t = now();
    await buildLab(config200);
    log(`lab built (${SESSIONS + 1} veth pairs, 4 daemons) in ${seconds(now() - t)} s; waiting for ${SESSIONS} sessions`);
    t = now();
    const first = await waitConverged(SESSIONS, t, 'initial bring-up');
    log(
      `initial bring-up: ${SESSIONS} Established after ${seconds(first.established)} s, all prefixes ${seconds(first.prefixes)} s, kernel ${seconds(first.kernel)} s`,
    );
    const memory200 = await memoryOf(HOST, 'bgpd');

    connection = await connect();
    log(`applier over ${connection.how}`);
    // The rendered config is what runs: the applier must find nothing to do (else every apply would churn).
    const same = await apply(connection.shell, config200);
    if (same.result !== 'unchanged')
      throw new Error(`re-applying the running config was not 'unchanged': ${describeFailure(same)}\n${same.diff ?? ''}`);
    log(`re-applying the running ${SESSIONS}-session config: unchanged in ${seconds(same.durationMs)} s`);

    // frr-reload.py's own cost for the 201-session file (its --test, as the applier's diff step).
    const staged = join(workDir, 'reload-test.conf');
    await writeFile(staged, config201);
    const timeOut = await sh(
      `/usr/bin/time -f 'TIME %e %M' ${FRR_RELOAD} -N ${HOST} --daemon bgpd --test ${staged} 2>&1 >/dev/null | tail -1`,
    );
    const [, reloadSeconds, reloadKb] = /TIME (\S+) (\d+)/.exec(timeOut) ?? [];

    const inc = [];
    const rst = [];
    let removalResets = 0;
    for (let r = 1; r <= RUNS; r++) {
      await sleep(SETTLE_MS);
      const a = await incremental(connection.shell, config201);
      inc.push(a);
      log(
        `run ${r} incremental: Established ${seconds(a.established)} s (${seconds(a.afterReload)} s after frr-reload returned), kernel routes ${seconds(a.kernel)} s, applier done ${seconds(a.applierMs)} s ` +
          `(reload ${seconds(a.steps.reload)} s, verify ${seconds(a.steps['verify-sessions'] ?? 0)} s, write ${seconds(a.steps.persist ?? 0)} s); ` +
          `${a.reset} reset, ${a.relearned} re-learned, ${a.kernelDeleted} kernel routes deleted`,
      );
      if (r === 1) inc.memory = await memoryOf(HOST, 'bgpd');
      removalResets += await removeNew(connection.shell, config200);
      await waitConverged(SESSIONS, now(), 'after removing the extra session');

      await sleep(SETTLE_MS);
      const b = await restart(config201);
      rst.push(b);
      log(
        `run ${r} restart:     all ${NEW} Established ${seconds(b.established)} s, all prefixes ${seconds(b.prefixes)} s, kernel routes ${seconds(b.kernel)} s ` +
          `(bgpd stopped ${seconds(b.stopped)} s, started ${seconds(b.started)} s, config read ${b.configRead === null ? '< 5 s' : `${seconds(b.configRead)} s CPU`}); ${b.reset} reset, ${b.relearned} re-learned, ` +
          `${b.kernelDeleted} kernel routes deleted / ${b.kernelAdded} added`,
      );
      removalResets += await removeNew(connection.shell, config200);
      await waitConverged(SESSIONS, now(), 'after removing the extra session');
    }
    const memoryAfter = await memoryOf(HOST, 'bgpd');

    const range = (rows, key) =>
      `${seconds(median(rows.map((row) => row[key])))} s (${seconds(Math.min(...rows.map((row) => row[key])))}–${seconds(Math.max(...rows.map((row) => row[key])))})`;
    const med = (rows, key) => median(rows.map((row) => row[key]));
    console.log(`\nmedians of ${RUNS} runs (min–max), ${SESSIONS} existing sessions, ${PREFIXES} prefixes each:`);
    console.log(
      `| method | new session Established | its routes in the kernel | all ${NEW} Established + routes | old sessions reset | prefixes re-learned (old sessions) | kernel routes deleted |`,
    );
    console.log('| --- | --- | --- | --- | --- | --- | --- |');
    console.log(
      `| incremental (applier, frr-reload) | ${range(inc, 'established')} | ${range(inc, 'kernel')} | ${range(inc, 'kernel')} | ${med(inc, 'reset')} of ${SESSIONS} | ${med(inc, 'relearned')} | ${med(inc, 'kernelDeleted')} |`,
    );
    console.log(
      `| baseline: bgpd restart | ${range(rst, 'established')}, all ${NEW} | ${range(rst, 'kernel')}, all ${NEW} | ${range(rst, 'kernel')} | ${med(rst, 'reset')} of ${SESSIONS} | ${med(rst, 'relearned')} | ${med(rst, 'kernelDeleted')} |`,
    );
    console.log(`\napplier (as FrrApplyService runs it: verifies the sessions the diff touches, write memory), median step times:`);
    const stepNames = [...new Set(inc.flatMap((row) => Object.keys(row.steps)))];
    console.log(
      `  total ${range(inc, 'applierMs')}; ${stepNames.map((name) => `${name} ${seconds(median(inc.map((row) => row.steps[name] ?? 0)))} s`).join(', ')}`,
    );
    console.log(
      `  the new session was Established ${range(inc, 'afterReload')} after frr-reload --reload returned (at ${range(inc, 'reloaded')})`,
    );
    const reads = rst.map((row) => row.configRead).filter((ms) => ms !== null);
    console.log(
      `restart: bgpd stop ${range(rst, 'stopped')}, stop + start ${range(rst, 'started')}, all Established ${range(rst, 'established')}, all prefixes ${range(rst, 'prefixes')}; ` +
        `bgpd's config read (its CPU HOG warning): ${reads.length ? `${seconds(median(reads))} s CPU (median of ${reads.length})` : 'under 5 s'}`,
    );
    console.log(`removing the extra session again (applier, ${2 * RUNS} times): ${removalResets} other sessions reset in all`);
    console.log(`frr-reload.py --test of the ${NEW}-session file: ${reloadSeconds} s, peak RSS ${(Number(reloadKb) / 1024).toFixed(0)} MB`);
    const mb = (kb) => `${(kb / 1024).toFixed(0)} MB`;
    console.log(
      `host bgpd memory: ${mb(memory200.rssKb)} RSS with ${SESSIONS} sessions after bring-up; ${mb(inc.memory.rssKb)} RSS after the first incremental apply; ` +
        `${mb(memoryAfter.rssKb)} RSS (peak ${mb(memoryAfter.hwmKb)}) at the end (a bgpd restarted by the last baseline run)`,
    );
    console.log(`bench process peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
  } finally {
    connection?.close();
    if (KEEP) log(`--keep: lab left running (${NAMESPACES.join(', ')}, files in ${workDir}); remove it with --clean`);
    else {
      await teardown();
      log('torn down');
    }
  }
}

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    console.error(`\n${signal}: tearing down`);
    void teardown().finally(() => process.exit(130));
  });
}

main().catch((error) => {
  if (stopping) return; // interrupted: the signal handler tears down and exits
  console.error(error instanceof Error ? error.stack : error);
  process.exitCode = 1;
});
