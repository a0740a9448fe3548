/**
 * The fault matrix (issue #23): route-broker as separate processes per role — two collectors, two
 * BRM, two HRM and an admin — on the lab's real FRR while the PE's table changes, and one fault per
 * row: each role killed with SIGKILL (and started again), a Kafka broker stopped and started, MariaDB
 * restarted, the BGP session flapped, the UXR receiver failing for a while. After each row, once
 * things settle, for both hosted VPCs:
 *   - the VPC table equals the host's RIB (the routes its bgpd learned from the PE), all active;
 *   - the interconnect notifications are contiguous by revision, a repeat only with a CloudEvent id
 *     already seen;
 *   - the UXR receiver holds the VPC table, at its revision.
 * and the time from the fault to all of that.
 *
 * The table: the PE's kernel routes (`ip route add blackhole`, thousands in milliseconds), which its
 * bgpd redistributes; each row replaces a slice of them as the fault begins. This file is the short
 * version `npm test` runs; `bench/fault-matrix.bench.mjs` runs it with a full-size table and the full
 * rows (RB_FAULT_MATRIX_* below) and prints the table it writes to RB_FAULT_MATRIX_REPORT.
 * With RB_FAULT_MATRIX_KAFKA_CLUSTER=1 the Kafka row stops one broker of the three-broker cluster
 * (scripts/kafka); otherwise it stops the single broker.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/common/database/data-source-options.js';
import { TOPICS } from '../../src/common/kafka/topics.js';
import { groupAtTopicEnd } from './support/consumer-groups.js';
import { OPERATOR_TOKEN, resetDatabase, testConfig, testEnv } from './support/environment.js';
import { configure, vtysh } from './support/lab-vtysh.js';
import { startKafka, startMariaDb, stopKafka, stopMariaDb } from './support/outages.js';
import { storedRoutes } from './support/stored-routes.js';
import { until } from './support/until.js';
import { UxrReceiver } from './support/uxr-receiver.js';
import { LAB_HOST1, LAB_HOST2, LAB_PE, uplinkHostAddress, uplinkRootAddress } from './support/lab.js';

const run = promisify(execFile);
const MAIN = 'dist/main.js';
const ROUTES = Number(process.env.RB_FAULT_MATRIX_ROUTES ?? 2000);
const FLAPS = Number(process.env.RB_FAULT_MATRIX_FLAPS ?? 3);
const CUT_SECONDS = Number(process.env.RB_FAULT_MATRIX_CUT_SECONDS ?? 5);
const SETTLE_TIMEOUT_MS = Number(process.env.RB_FAULT_MATRIX_SETTLE_SECONDS ?? 180) * 1000;
const REPORT = process.env.RB_FAULT_MATRIX_REPORT ?? '.cache/fault-matrix.txt';
const KAFKA_CLUSTER = process.env.RB_FAULT_MATRIX_KAFKA_CLUSTER === '1';
const LOGS = '.cache/fault-matrix';
const PE = LAB_PE;
const SECRET = `fault-matrix-${randomUUID()}`;
/** Each row replaces this many of the PE's routes as its fault begins. */
const CHURN = Math.max(50, Math.round(ROUTES / 20));

/** The lab's two hosts, each in its own hosted VPC, each streaming BMP to its own collector. */
const HOSTS = [
  {
    ns: LAB_HOST1,
    asn: 64512,
    routerId: '10.0.0.11',
    underlay: uplinkHostAddress(1),
    collectorAddress: uplinkRootAddress(1),
    peer: '169.254.101.1',
    local: '169.254.101.2',
    key: 101,
    cidr: '10.10.0.0/16',
    collector: 'collector-1',
  },
  {
    ns: LAB_HOST2,
    asn: 64513,
    routerId: '10.0.0.12',
    underlay: uplinkHostAddress(2),
    collectorAddress: uplinkRootAddress(2),
    peer: '169.254.102.1',
    local: '169.254.102.2',
    key: 102,
    cidr: '10.20.0.0/16',
    collector: 'collector-2',
  },
] as const;

/** The i-th prefix of the PE's table: 46.0.0.0/24 upwards, one /24 each. */
const prefixOf = (index: number): string => `${46 + (index >> 16)}.${(index >> 8) & 255}.${index & 255}.0/24`;

interface RoleProcess {
  name: string;
  roles: string;
  env: Record<string, string>;
  child: ChildProcess;
  exited: Promise<unknown>;
}

interface Row {
  row: string;
  seconds: number;
  tableEqualsRib: boolean;
  contiguous: boolean;
  duplicates: number;
  uxrEqualsTable: boolean;
  detail: string;
}

describe('the fault matrix: separate role processes on the real lab, one fault at a time', () => {
  const processes = new Map<string, RoleProcess>();
  const receiver = new UxrReceiver(SECRET);
  const rows: Row[] = [];
  /** Per VPC, the notifications seen: CloudEvent id and revisions, in arrival order. */
  const notifications = new Map<number, { id: string; from: number; to: number }[]>();
  const vpcIds: number[] = [];
  let db: DataSource;
  let watcher: Consumer;
  let groups: { brm: string; hrm: string };
  /** The PE's table is the prefixes [low, high). */
  let low = 0;
  let high = 0;
  /** When the PE's table was loaded: the first row's time counts from it. */
  let loadBegan = 0;

  function start(name: string, roles: string, env: Record<string, string>): RoleProcess {
    mkdirSync(LOGS, { recursive: true });
    const child = spawn(process.execPath, [MAIN], {
      env: {
        PATH: process.env.PATH ?? '',
        ...testEnv({
          RB_ROLES: roles,
          RB_INSTANCE_ID: `faults-${name}`,
          RB_HTTP_HOST: '127.0.0.1',
          RB_DRIFT_INTERVAL_SECONDS: '0',
          RB_BRM_CONSUMER_GROUP: groups.brm,
          RB_HRM_CONSUMER_GROUP: groups.hrm,
          RB_HRM_RETRY_MAX_MS: '2000',
          RB_BMP_HEARTBEAT_SECONDS: '1',
          RB_BRM_COLLECTOR_LOST_AFTER_SECONDS: '10',
          // The bench's cluster settings (bench/fault-matrix.bench.mjs --cluster).
          ...Object.fromEntries(
            ['RB_KAFKA_REPLICATION_FACTOR', 'RB_KAFKA_MIN_INSYNC_REPLICAS'].flatMap((name) =>
              process.env[name] ? [[name, process.env[name]]] : [],
            ),
          ),
          ...env,
        }),
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child.stderr?.pipe(createWriteStream(`${LOGS}/${name}.log`, { flags: 'a' }));
    const started: RoleProcess = { name, roles, env, child, exited: new Promise((resolve) => child.once('exit', resolve)) };
    processes.set(name, started);
    return started;
  }

  async function healthy(port: number): Promise<void> {
    await until(`route-broker on port ${port} ready`, async () => {
      const response = await fetch(`http://127.0.0.1:${port}/health/ready`).catch(() => null);
      return response?.ok ? true : undefined;
    });
  }

  async function kill9(name: string): Promise<void> {
    const victim = processes.get(name)!;
    victim.child.kill('SIGKILL');
    await victim.exited;
    start(name, victim.roles, victim.env);
    await healthy(Number(victim.env.RB_HTTP_PORT));
  }

  async function api<T>(method: string, path: string, body?: object): Promise<T> {
    const response = await fetch(`http://127.0.0.1:18420/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${OPERATOR_TOKEN}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  }

  /** Changes the PE's table: withdraws `remove` prefixes from the low end, announces `add` at the high end. */
  async function churn(remove: number, add: number): Promise<void> {
    const lines: string[] = [];
    for (let index = low; index < Math.min(high, low + remove); index++) lines.push(`route del blackhole ${prefixOf(index)}`);
    for (let index = high; index < high + add; index++) lines.push(`route add blackhole ${prefixOf(index)}`);
    low = Math.min(high, low + remove);
    high += add;
    for (let at = 0; at < lines.length; at += 10000) {
      const batch = execFile('ip', ['-n', PE, '-batch', '-']);
      batch.stdin!.end(`${lines.slice(at, at + 10000).join('\n')}\n`);
      await new Promise<void>((resolve, reject) =>
        batch.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`ip -batch exited ${code}`)))),
      );
    }
  }

  /** The prefixes the host's bgpd learned from the PE (all of them, best or not). */
  async function ribOf(host: (typeof HOSTS)[number]): Promise<Set<string>> {
    // A full table's JSON is far beyond lab-vtysh's buffer.
    const { stdout } = await run('vtysh', ['-N', host.ns, '-c', 'show bgp ipv4 unicast json'], { maxBuffer: 1024 * 1024 * 1024 });
    const routes = JSON.parse(stdout).routes as Record<string, { peerId?: string }[]>;
    return new Set(Object.entries(routes).flatMap(([prefix, paths]) => (paths.some((path) => path.peerId === host.peer) ? [prefix] : [])));
  }

  /** Whether everything agrees now, and if not, the first thing that does not. */
  async function agreement(): Promise<Omit<Row, 'row' | 'seconds'> & { settled: boolean }> {
    let tableEqualsRib = true;
    let uxrEqualsTable = true;
    let contiguous = true;
    let duplicates = 0;
    const problems: string[] = [];
    for (const [index, host] of HOSTS.entries()) {
      const vpcId = vpcIds[index]!;
      const rib = await ribOf(host);
      const stored = await storedRoutes(db, vpcId);
      const fromPe = [...stored].filter(([, route]) => route.entry.paths.some((path) => path.nextHop === host.peer));
      // What the policy refuses (the lab's own TEST-NET prefixes are bogons) is in the RIB and not in the table.
      const refusedRows: { prefix: string }[] = await db.query('SELECT DISTINCT prefix FROM vpc_rejected_routes WHERE hosted_vpc_id = ?', [
        vpcId,
      ]);
      const refused = new Set(refusedRows.map((refusedRow) => refusedRow.prefix));
      const missing = [...rib].filter((prefix) => !refused.has(prefix) && stored.get(prefix)?.state !== 'active');
      const extra = fromPe.filter(([prefix]) => !rib.has(prefix));
      const staleRefusals = [...refused].filter((prefix) => !rib.has(prefix) || stored.get(prefix)?.state === 'active');
      if (missing.length + extra.length + staleRefusals.length > 0) {
        tableEqualsRib = false;
        problems.push(
          `VPC ${vpcId}: ${missing.length} of the RIB's ${rib.size} neither active in the table nor refused (${missing.slice(0, 2).join(', ')}), ${extra.length} in the table and not in the RIB, ${staleRefusals.length} refused and not in the RIB or active`,
        );
      }
      const tableRows: { revision: number | string }[] = await db.query('SELECT revision FROM vpc_route_tables WHERE hosted_vpc_id = ?', [
        vpcId,
      ]);
      const revision = Number(tableRows[0]?.revision ?? 0);
      const held = receiver.table(vpcId);
      const heldPrefixes = Object.keys(held.routes);
      if (held.revision !== Number(revision)) {
        uxrEqualsTable = false;
        problems.push(`VPC ${vpcId}: UXR at revision ${held.revision}, the table at ${revision}`);
      } else if (
        heldPrefixes.length !== stored.size ||
        [...stored].some(
          ([prefix, route]) => JSON.stringify(held.routes[prefix]?.activeNextHops) !== JSON.stringify(route.entry.activeNextHops),
        )
      ) {
        uxrEqualsTable = false;
        problems.push(`VPC ${vpcId}: UXR holds ${heldPrefixes.length} routes, the table ${stored.size}, or their next hops differ`);
      }
      const seen = new Set<string>();
      let last = 0;
      for (const message of notifications.get(vpcId) ?? []) {
        if (seen.has(message.id)) {
          duplicates++;
          continue;
        }
        seen.add(message.id);
        if (message.from !== last + 1) {
          contiguous = false;
          problems.push(`VPC ${vpcId}: notification ${message.id} holds ${message.from}..${message.to} after ${last}`);
          break;
        }
        last = message.to;
      }
      if (contiguous && last !== Number(revision)) problems.push(`VPC ${vpcId}: notifications up to ${last}, the table at ${revision}`);
    }
    const settled = problems.length === 0;
    return { settled, tableEqualsRib, contiguous, duplicates, uxrEqualsTable, detail: problems.join('; ') };
  }

  /** Runs one row: the fault begins with a change of the PE's table; then waits until all agree. */
  async function row(name: string, fault: () => Promise<void>, began = Date.now()): Promise<Row> {
    await churn(CHURN, CHURN);
    await fault();
    let state = await agreement();
    while (!state.settled && Date.now() - began < SETTLE_TIMEOUT_MS) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      state = await agreement();
    }
    const result: Row = { row: name, seconds: (Date.now() - began) / 1000, ...state };
    rows.push(result);
    writeReport();
    return result;
  }

  function writeReport(): void {
    const header = `Fault matrix: ${ROUTES} routes per host, churn ${CHURN} per row, ${FLAPS} flaps, UXR cut ${CUT_SECONDS} s, Kafka ${KAFKA_CLUSTER ? 'three-broker cluster' : 'single broker'}`;
    const lines = [
      header,
      '',
      '| row | settled after | VPC = RIB | notifications contiguous (repeats) | UXR = VPC | detail |',
      '| --- | ---: | :-: | :-: | :-: | --- |',
      ...rows.map(
        (result) =>
          `| ${result.row} | ${result.seconds.toFixed(1)} s | ${result.tableEqualsRib ? 'yes' : 'NO'} | ${result.contiguous ? 'yes' : 'NO'} (${result.duplicates}) | ${result.uxrEqualsTable ? 'yes' : 'NO'} | ${result.detail || '-'} |`,
      ),
    ];
    mkdirSync('.cache', { recursive: true });
    writeFileSync(REPORT, `${lines.join('\n')}\n`);
  }

  /** What a row left wrong, named: empty when everything agreed. */
  function problemsOf(result: Row): string[] {
    return result.detail === '' && result.tableEqualsRib && result.contiguous && result.uxrEqualsTable
      ? []
      : [`${result.row}: ${result.detail}`];
  }

  beforeAll(async () => {
    writeReport();
    await vtysh(HOSTS[0].ns, 'show bgp summary json').catch(() => {
      throw new Error('the FRR lab is not up: run scripts/lab up first');
    });
    await cleanLab();
    await resetDatabase();
    const config = testConfig();
    db = await new DataSource(dataSourceOptions(config.database)).initialize();
    groups = {
      brm: await groupAtTopicEnd('faults-brm', TOPICS.routeEvents.name),
      hrm: await groupAtTopicEnd('faults-hrm', TOPICS.interconnectRouteUpdates.name),
    };
    await receiver.start();

    start('admin', 'admin', { RB_HTTP_PORT: '18420' });
    await healthy(18420);
    // After the admin process is ready: it has created the topics (a fresh Kafka has none).
    // What the interconnect service would see: every notification, from now on.
    const watchGroup = await groupAtTopicEnd('faults-watch', TOPICS.interconnectRouteUpdates.name);
    watcher = new Kafka({ clientId: 'fault-matrix', brokers: [...config.kafka.brokers], logLevel: logLevel.NOTHING }).consumer({
      groupId: watchGroup,
      maxWaitTimeInMs: 500,
    });
    await watcher.connect();
    await watcher.subscribe({ topics: [TOPICS.interconnectRouteUpdates.name] });
    await watcher.run({
      eachMessage: async ({ message }) => {
        const event = JSON.parse(message.value!.toString('utf8')) as {
          id: string;
          data: { vpcId: number; fromRevision: number; toRevision: number };
        };
        const list = notifications.get(event.data.vpcId) ?? [];
        notifications.set(event.data.vpcId, list);
        list.push({ id: event.id, from: event.data.fromRevision, to: event.data.toRevision });
        await Promise.resolve();
      },
    });
    const region = await api<{ id: number }>('POST', '/regions', { code: 'cn-gd' });
    const pe = await api<{ id: number }>('POST', '/pes', { name: PE, underlayAddress: uplinkRootAddress(1), asn: 65001, owner: 'acme' });
    for (const [index, host] of HOSTS.entries()) {
      const created = await api<{ id: number }>('POST', '/hosts', {
        name: host.ns,
        regionId: region.id,
        zone: 'lab',
        managementAddress: '127.0.0.1',
        underlayAddress: host.underlay,
        routerId: host.routerId,
        asn: host.asn,
      });
      const vpc = await api<{ id: number }>('POST', '/hosted-vpcs', {
        name: `faults-${index + 1}`,
        regionId: region.id,
        owner: 'acme',
        cidrs: [host.cidr],
      });
      const tunnel = await api<{ id: number }>('POST', '/gre-tunnels', {
        hostId: created.id,
        peId: pe.id,
        interfaceName: 't-pe',
        tunnelKey: host.key,
        localInnerAddress: host.local,
        remoteInnerAddress: host.peer,
        innerPrefixLength: 30,
      });
      // Room for the whole table and what each row adds before the withdrawals are seen.
      await api('POST', '/bgp-sessions', {
        tunnelId: tunnel.id,
        hostedVpcId: vpc.id,
        peerAsn: 65001,
        peerAddress: host.peer,
        maxPrefix: 2 * ROUTES + 1000,
      });
      vpcIds.push(vpc.id);
    }
    await api('POST', '/subscriptions', {
      name: 'uxr-faults',
      region: 'cn-gd',
      callbackUrl: receiver.url,
      secret: SECRET,
      hostedVpcIds: vpcIds,
    });

    start('collector-1', 'frr-server', { RB_HTTP_PORT: '18421', RB_BMP_PORT: '11321', RB_BMP_HOST: '0.0.0.0' });
    start('collector-2', 'frr-server', { RB_HTTP_PORT: '18422', RB_BMP_PORT: '11322', RB_BMP_HOST: '0.0.0.0' });
    start('brm-1', 'brm', { RB_HTTP_PORT: '18423' });
    start('brm-2', 'brm', { RB_HTTP_PORT: '18424' });
    start('hrm-1', 'hrm', { RB_HTTP_PORT: '18425' });
    start('hrm-2', 'hrm', { RB_HTTP_PORT: '18426' });
    for (const port of [18421, 18422, 18423, 18424, 18425, 18426]) await healthy(port);

    loadBegan = Date.now();
    await churn(0, ROUTES);
    await configure(PE, 'router bgp 65001', 'address-family ipv4 unicast', 'redistribute kernel');
    for (const [index, host] of HOSTS.entries()) {
      await configure(
        host.ns,
        `router bgp ${host.asn}`,
        'bmp targets rbfaults',
        `bmp connect ${host.collectorAddress} port ${11321 + index} min-retry 100 max-retry 1000`,
        'bmp monitor ipv4 unicast pre-policy',
      );
    }
  }, 180000);

  afterAll(async () => {
    writeReport();
    for (const running of processes.values()) running.child.kill('SIGTERM');
    await Promise.race([
      Promise.all([...processes.values()].map((running) => running.exited)),
      new Promise((resolve) => setTimeout(resolve, 15000)),
    ]);
    for (const running of processes.values()) running.child.kill('SIGKILL');
    await watcher?.disconnect();
    await receiver.stop();
    await db?.destroy();
    await cleanLab();
  }, 60000);

  /** Leaves the lab as scripts/lab made it: no BMP target of ours, no kernel routes, no redistribution. */
  async function cleanLab(): Promise<void> {
    for (const host of HOSTS) await configure(host.ns, `router bgp ${host.asn}`, 'no bmp targets rbfaults').catch(() => undefined);
    await configure(PE, 'router bgp 65001', 'address-family ipv4 unicast', 'no redistribute kernel').catch(() => undefined);
    // `ip route add` routes are proto boot; the lab's own are static, kernel or bgp.
    await run('ip', ['-n', PE, 'route', 'flush', 'proto', 'boot']).catch(() => undefined);
  }

  it(
    'takes the whole table: both VPC tables equal their host’s RIB, UXR has them',
    async () => {
      expect(problemsOf(await row(`initial table (${ROUTES} routes), from the PE's load`, () => Promise.resolve(), loadBegan))).toEqual([]);
    },
    SETTLE_TIMEOUT_MS + 60000,
  );

  it.each(['collector-1', 'brm-1', 'hrm-1'])(
    'kill -9 %s, started again',
    async (name) => {
      expect(problemsOf(await row(`kill -9 ${name}`, () => kill9(name)))).toEqual([]);
    },
    SETTLE_TIMEOUT_MS + 60000,
  );

  it(
    'a Kafka broker stopped and started',
    async () => {
      const result = await row(KAFKA_CLUSTER ? 'one Kafka broker of three stopped, started' : 'Kafka stopped and started', async () => {
        if (KAFKA_CLUSTER) {
          await run('scripts/kafka', ['stop-broker', '2'], { timeout: 60000 });
          await new Promise((resolve) => setTimeout(resolve, 5000));
          await run('scripts/kafka', ['start-broker', '2'], { timeout: 150000 });
        } else {
          await stopKafka();
          await new Promise((resolve) => setTimeout(resolve, 5000));
          await startKafka();
        }
      });
      expect(problemsOf(result)).toEqual([]);
    },
    SETTLE_TIMEOUT_MS + 240000,
  );

  it(
    'MariaDB restarted',
    async () => {
      const result = await row('MariaDB restarted', async () => {
        await stopMariaDb();
        await new Promise((resolve) => setTimeout(resolve, 3000));
        await startMariaDb();
        await db.destroy().catch(() => undefined);
        const config = testConfig();
        db = await new DataSource(dataSourceOptions(config.database)).initialize();
      });
      expect(problemsOf(result)).toEqual([]);
    },
    SETTLE_TIMEOUT_MS + 120000,
  );

  it(
    `the BGP session flapped ${FLAPS} times`,
    async () => {
      const result = await row(`BGP session flapped ${FLAPS} times`, async () => {
        for (let flap = 0; flap < FLAPS; flap++) {
          await vtysh(PE, `clear bgp ipv4 unicast ${HOSTS[0].local}`);
          await until(
            `the session back after flap ${flap + 1}`,
            async () => {
              const summary = JSON.parse(await vtysh(PE, 'show bgp ipv4 unicast summary json')) as {
                peers: Record<string, { state: string }>;
              };
              return summary.peers[HOSTS[0].local]?.state === 'Established' ? true : undefined;
            },
            60000,
            200,
          );
        }
      });
      expect(problemsOf(result)).toEqual([]);
    },
    SETTLE_TIMEOUT_MS + FLAPS * 60000,
  );

  it(
    `the UXR receiver failing for ${CUT_SECONDS} s`,
    async () => {
      const result = await row(`UXR receiver failing for ${CUT_SECONDS} s`, async () => {
        receiver.mode = 'fail';
        await new Promise((resolve) => setTimeout(resolve, CUT_SECONDS * 1000));
        receiver.mode = 'ok';
      });
      expect(problemsOf(result)).toEqual([]);
    },
    SETTLE_TIMEOUT_MS + CUT_SECONDS * 1000 + 60000,
  );
});
