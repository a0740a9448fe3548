// HRM end-to-end latency on the real lab: the PE (rb-pe, advertisement interval 0) announces or
// withdraws a prefix; rb-host1's bgpd learns it and streams BMP to the collector; BRM puts it in the
// VPC table; HRM pushes it to a UXR receiver (an HTTP server here that checks signatures). Measured:
// from just before `vtysh` is started on the PE until the receiver has the change, for every change.
// In the same run, the old design as the baseline: a poller that reads the VPC's routes through the
// API every --pull-ms (the periodic pull HRM replaces), timed on the same changes.
//
// Split per stage: each change UXR gets says when the collector read its BMP message (`cause.at`),
// so every change splits into FRR's part (vtysh start → BMP read by the collector: vtysh, the PE's
// and the host's bgpd, the BMP stream) and route-broker's own (BMP read → UXR has it). Inside
// route-broker, the age of each change at each hop (route_broker_route_change_age_seconds: on
// Kafka, BRM committed, notification on Kafka, UXR delivered) comes from /metrics, read before
// and after the changes; its percentiles are bucket bounds, interpolated. /metrics is also timed.
//
//   npm run build && scripts/lab up && node bench/hrm-latency.bench.mjs [--changes 200] [--pull-ms 5000] [--split]
//
// --split runs the roles as three processes (collector + API, BRM, HRM) instead of one.
//
// Needs Kafka (scripts/kafka up), MariaDB (scripts/mysql up; root without password on 127.0.0.1
// to create the route_broker_bench_hrm database) and the lab (scripts/lab up).
import { execFile } from 'node:child_process';
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import { promisify } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import mysql from 'mysql2/promise';
import { isReady, startRouteBroker } from './support/route-table-events.mjs';

const args = Object.fromEntries(
  process.argv
    .slice(2)
    .map((arg, i, all) => (arg.startsWith('--') ? [arg.slice(2), all[i + 1]] : null))
    .filter(Boolean),
);
const CHANGES = Number(args.changes ?? 200);
const PULL_MS = Number(args['pull-ms'] ?? 5000);
const DB = 'route_broker_bench_hrm';
const HTTP_PORT = 18329;
const BMP_PORT = 11149;
const RECEIVER_PORT = 18330;
const TOKEN = 'bench-operator-token-0123456789';
const SECRET = `bench-secret-${randomUUID()}`;
const HOST_NS = 'rb-host1';
const PE_NS = 'rb-pe';
const PEER = '169.254.101.1';
const TARGET = 'rbhrmbench';
const API = `http://127.0.0.1:${HTTP_PORT}/api/v1`;
const run = promisify(execFile);

const vtysh = (namespace, ...commands) =>
  run('vtysh', ['-N', namespace, ...commands.flatMap((command) => ['-c', command])], { maxBuffer: 16 * 1024 * 1024 });
const configure = (namespace, ...lines) => vtysh(namespace, 'configure terminal', ...lines, 'end');

await vtysh(HOST_NS, 'show bgp summary json').catch(() => {
  console.error('the FRR lab is not up: run scripts/lab up first');
  process.exit(2);
});

const root = await mysql.createConnection({ host: '127.0.0.1', user: 'root', multipleStatements: true });
await root.query(`DROP DATABASE IF EXISTS ${DB}; CREATE DATABASE ${DB} CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
  GRANT ALL ON ${DB}.* TO 'route_broker'@'127.0.0.1'; GRANT ALL ON ${DB}.* TO 'route_broker'@'localhost';`);
await root.end();

// Consumer groups at the current ends: this run does not replay what earlier runs published.
const groups = { brm: `hrm-latency-brm-${randomUUID()}`, hrm: `hrm-latency-hrm-${randomUUID()}` };
{
  const admin = new Kafka({ clientId: 'hrm-latency-bench', brokers: ['127.0.0.1:9092'], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  const topics = await admin.listTopics();
  for (const [group, topic] of [
    [groups.brm, 'bgp.route-events.v1'],
    [groups.hrm, 'interconnect.route-updates.v1'],
  ]) {
    if (!topics.includes(topic)) continue;
    const ends = await admin.fetchTopicOffsets(topic);
    await admin.setOffsets({ groupId: group, topic, partitions: ends.map(({ partition, high }) => ({ partition, offset: high })) });
  }
  await admin.disconnect();
}

// One process with every role (the default), or with --split the roles as a deployment would
// run them: the collector and the API, BRM, HRM, each a process of its own. The first process
// creates the schema; the others start once it is ready (their migrations then find nothing to do).
const SPLIT = process.argv.includes('--split');
const processes = SPLIT
  ? [
      { roles: 'frr-server,admin', port: HTTP_PORT },
      { roles: 'brm', port: HTTP_PORT + 2 },
      { roles: 'hrm', port: HTTP_PORT + 3 },
    ]
  : [{ roles: 'frr-server,admin,brm,hrm', port: HTTP_PORT }];
const startProcess = ({ roles, port }) =>
  startRouteBroker(DB, {
    RB_ROLES: roles,
    RB_HTTP_PORT: String(port),
    RB_BMP_PORT: String(BMP_PORT),
    RB_BMP_HOST: '0.0.0.0',
    RB_API_OPERATOR_TOKENS: TOKEN,
    RB_BRM_CONSUMER_GROUP: groups.brm,
    RB_HRM_CONSUMER_GROUP: groups.hrm,
    RB_DRIFT_INTERVAL_SECONDS: '0',
    RB_INSTANCE_ID: `hrm-latency-${port}`,
  });
const children = [];
async function startAll() {
  for (const [index, spec] of processes.entries()) {
    const child = startProcess(spec);
    children.push(child);
    // The first alone (it migrates the empty database), then the others together.
    if (index === 0 || index === processes.length - 1) {
      for (const [i, started] of children.entries()) {
        for (let attempt = 0; ; attempt++) {
          if (started.exitCode !== null) throw new Error(`route-broker (${processes[i].roles}) exited with ${started.exitCode}`);
          if (await isReady(processes[i].port)) break;
          if (attempt > 240) throw new Error(`route-broker (${processes[i].roles}) did not become healthy`);
          await new Promise((resolve) => setTimeout(resolve, 250));
        }
      }
    }
  }
}
const call = async (method, path, body) => {
  const response = await fetch(`${API}${path}`, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return response.json();
};

// The receiver: when did each change (prefix, add/remove) arrive by push?
const pushed = new Map();
let badSignatures = 0;
const receiver = createServer((request, response) => {
  const chunks = [];
  request.on('data', (chunk) => chunks.push(chunk));
  request.on('end', () => {
    const at = Date.now();
    const body = Buffer.concat(chunks).toString('utf8');
    const [t, v1] = String(request.headers['x-route-broker-signature'] ?? '')
      .split(',')
      .map((part) => part.split('=')[1]);
    const expected = createHmac('sha256', SECRET).update(`${t}.${body}`).digest();
    if (!v1 || v1.length !== 64 || !timingSafeEqual(expected, Buffer.from(v1, 'hex'))) badSignatures++;
    const delivery = JSON.parse(body);
    if (delivery.kind === 'delta') {
      for (const change of delivery.changes) {
        const key = `${change.prefix}|${change.action === 'remove' ? 'remove' : 'add'}`;
        if (!pushed.has(key)) pushed.set(key, { at, causedAt: change.cause?.at ?? null });
      }
    }
    response.writeHead(204).end();
  });
});
await new Promise((resolve) => receiver.listen(RECEIVER_PORT, '127.0.0.1', resolve));

/** Per hop: cumulative bucket counts of route_broker_route_change_age_seconds, by upper bound (s). */
async function hopHistograms(scrapeMs = []) {
  const hops = new Map();
  // Summed over the processes: each hop is observed by the process that does it.
  for (const { port } of processes) {
    const started = performance.now();
    const response = await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    const text = await response.text();
    scrapeMs.push(performance.now() - started);
    for (const match of text.matchAll(/^route_broker_route_change_age_seconds_bucket\{([^}]*)\} (\d+)$/gm)) {
      const hop = /hop="([a-z_]+)"/.exec(match[1])?.[1];
      const le = /le="([^"]+)"/.exec(match[1])?.[1];
      if (!hop || !le) continue;
      if (!hops.has(hop)) hops.set(hop, new Map());
      const bound = le === '+Inf' ? Infinity : Number(le);
      hops.get(hop).set(bound, (hops.get(hop).get(bound) ?? 0) + Number(match[2]));
    }
  }
  return hops;
}

/** p50/p99 of what a histogram gained between two reads, interpolated inside the bucket. */
function histogramStats(before = new Map(), after = new Map()) {
  const bounds = [...after.keys()].sort((a, b) => a - b);
  const counts = bounds.map((bound) => after.get(bound) - (before.get(bound) ?? 0));
  const total = counts.at(-1) ?? 0;
  if (total === 0) return 'no observation';
  const quantile = (q) => {
    const rank = q * total;
    for (let i = 0; i < bounds.length; i++) {
      if (counts[i] >= rank) {
        const lower = i === 0 ? 0 : bounds[i - 1];
        if (bounds[i] === Infinity) return `> ${(lower * 1000).toFixed(0)} ms`;
        const below = i === 0 ? 0 : counts[i - 1];
        const inside = counts[i] - below;
        return `${((lower + ((bounds[i] - lower) * (rank - below)) / Math.max(1, inside)) * 1000).toFixed(1)} ms`;
      }
    }
    return '?';
  };
  return `p50 ${quantile(0.5)}, p99 ${quantile(0.99)} (n=${total})`;
}

const prefixes = Array.from({ length: Math.ceil(CHANGES / 2) }, (_, i) => `45.65.${i}.0/24`);
let poller;
try {
  await startAll();
  const region = await call('POST', '/regions', { code: 'cn-gd' });
  const host = await call('POST', '/hosts', {
    name: HOST_NS,
    regionId: region.id,
    zone: 'lab',
    managementAddress: '127.0.0.1',
    underlayAddress: '10.255.1.2',
    routerId: '10.0.0.11',
    asn: 64512,
  });
  const pe = await call('POST', '/pes', { name: PE_NS, underlayAddress: '10.255.1.1', asn: 65001, owner: 'acme' });
  const vpc = await call('POST', '/hosted-vpcs', { name: 'acme', regionId: region.id, owner: 'acme', cidrs: ['10.10.0.0/16'] });
  const tunnel = await call('POST', '/gre-tunnels', {
    hostId: host.id,
    peId: pe.id,
    interfaceName: 't-pe',
    tunnelKey: 101,
    localInnerAddress: '169.254.101.2',
    remoteInnerAddress: PEER,
    innerPrefixLength: 30,
  });
  await call('POST', '/bgp-sessions', { tunnelId: tunnel.id, hostedVpcId: vpc.id, peerAsn: 65001, peerAddress: PEER });
  await call('POST', '/subscriptions', {
    name: 'uxr-bench',
    region: 'hk',
    callbackUrl: `http://127.0.0.1:${RECEIVER_PORT}/uxr`,
    secret: SECRET,
    hostedVpcIds: [vpc.id],
  });
  // Blackhole routes for the prefixes first (FRR announces a `network` only when it is in the RIB).
  await configure(PE_NS, ...prefixes.map((prefix) => `ip route ${prefix} blackhole`));
  await configure(
    HOST_NS,
    'router bgp 64512',
    `bmp targets ${TARGET}`,
    `bmp connect 10.255.1.1 port ${BMP_PORT} min-retry 100 max-retry 1000`,
    'bmp monitor ipv4 unicast pre-policy',
  );
  // Settled: the lab's own routes have gone through once (the session's initial dump).
  for (let i = 0; ; i++) {
    const view = await call('GET', `/hosted-vpcs/${vpc.id}/routes?limit=1`);
    if (view.revision > 0) break;
    if (i > 600) throw new Error('no route arrived from the lab within 60 s');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await new Promise((resolve) => setTimeout(resolve, 2000));

  // The old design: read the table every PULL_MS and note when each change first shows.
  const pulled = new Map();
  const present = new Set();
  const pull = async () => {
    const view = await call('GET', `/hosted-vpcs/${vpc.id}/routes?prefix=45.65.0.0/16&limit=1000`);
    const at = Date.now();
    const now = new Set(view.routes.map((route) => route.prefix));
    for (const prefix of now) if (!present.has(prefix) && !pulled.has(`${prefix}|add`)) pulled.set(`${prefix}|add`, at);
    for (const prefix of present) if (!now.has(prefix) && !pulled.has(`${prefix}|remove`)) pulled.set(`${prefix}|remove`, at);
    present.clear();
    for (const prefix of now) present.add(prefix);
  };
  let pulling = Promise.resolve();
  poller = setInterval(() => (pulling = pulling.then(pull).catch((error) => console.error(`pull: ${error.message}`))), PULL_MS);

  const metricsBefore = await hopHistograms();
  const metricsMs = [];
  let scraping = true;
  const scraper = (async () => {
    while (scraping) {
      await hopHistograms(metricsMs);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  })();
  const changes = [];
  const vtyshMs = [];
  const change = async (prefix, action) => {
    const key = `${prefix}|${action}`;
    const started = Date.now();
    await configure(PE_NS, 'router bgp 65001', 'address-family ipv4 unicast', `${action === 'add' ? '' : 'no '}network ${prefix}`);
    vtyshMs.push(Date.now() - started);
    changes.push({ key, started });
    for (let waited = 0; !pushed.has(key); waited += 5) {
      if (waited > 30000) throw new Error(`${key} was not pushed within 30 s`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  };
  // Announce each prefix, then withdraw each: one change at a time, the next once the receiver has it.
  for (const prefix of prefixes) await change(prefix, 'add');
  for (const prefix of prefixes) await change(prefix, 'remove');
  scraping = false;
  await scraper;
  const metricsAfter = await hopHistograms();
  // Let the poller see the last changes.
  await new Promise((resolve) => setTimeout(resolve, PULL_MS + 1000));
  await pulling;

  const stats = (values) => {
    // A short run can end between two polls: the poller then saw nothing.
    if (values.length === 0) return 'none seen (n=0)';
    const sorted = [...values].sort((a, b) => a - b);
    const at = (q) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
    return `p50 ${at(0.5).toFixed(0)} ms, p90 ${at(0.9).toFixed(0)} ms, p99 ${at(0.99).toFixed(0)} ms, max ${sorted.at(-1).toFixed(0)} ms (n=${sorted.length})`;
  };
  const pushLatency = changes.map(({ key, started }) => pushed.get(key).at - started);
  const pullLatency = changes.filter(({ key }) => pulled.has(key)).map(({ key, started }) => pulled.get(key) - started);
  const withCause = changes.filter(({ key }) => pushed.get(key).causedAt !== null);
  const frrShare = withCause.map(({ key, started }) => pushed.get(key).causedAt - started);
  const ownShare = withCause.map(({ key }) => pushed.get(key).at - pushed.get(key).causedAt);
  console.log(`route-broker as ${processes.map(({ roles }) => `[${roles}]`).join(' ')}`);
  console.log(`changes: ${changes.length} (${prefixes.length} announcements, then as many withdrawals), bad signatures: ${badSignatures}`);
  console.log(`vtysh on the PE (included in both):  ${stats(vtyshMs)}`);
  console.log(`push (HRM, this design):             ${stats(pushLatency)}`);
  console.log(
    `pull every ${PULL_MS} ms (old design):   ${stats(pullLatency)}${pullLatency.length < changes.length ? ` — ${changes.length - pullLatency.length} changes never seen by the poller` : ''}`,
  );
  console.log(`push, split at the collector's BMP read (${withCause.length} changes with their cause):`);
  console.log(`  FRR (vtysh → BMP read):           ${stats(frrShare)}`);
  console.log(`  route-broker (BMP read → UXR):    ${stats(ownShare)}`);
  console.log(`route-broker's hops, age since the BMP read (from /metrics, per unit of work):`);
  for (const hop of ['on_kafka', 'committed', 'notified', 'delivered']) {
    console.log(`  ${hop.padEnd(10)} ${histogramStats(metricsBefore.get(hop), metricsAfter.get(hop))}`);
  }
  console.log(`GET /metrics during the run:        ${stats(metricsMs)}`);
} finally {
  clearInterval(poller);
  const undo = (namespace, ...lines) => configure(namespace, ...lines).catch(() => undefined);
  await undo(HOST_NS, 'router bgp 64512', `no bmp targets ${TARGET}`);
  for (const prefix of prefixes) {
    await undo(PE_NS, 'router bgp 65001', 'address-family ipv4 unicast', `no network ${prefix}`);
  }
  await undo(PE_NS, ...prefixes.map((prefix) => `no ip route ${prefix} blackhole`));
  for (const child of children) {
    if (child.exitCode !== null) continue;
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  }
  receiver.close();
}
