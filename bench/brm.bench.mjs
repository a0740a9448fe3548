// BRM throughput: a full IPv4 table of route events for one VPC, already on the real Kafka, consumed
// by the real BRM (node dist/main.js, role brm) into the real MariaDB, with the change log and the
// outbox relayed to interconnect.route-updates.v1. In the same run, the ceiling: a plain multi-row
// INSERT of the same number of route rows into the same MariaDB.
//
//   npm run build && node bench/brm.bench.mjs [--routes 1000000] [--per-event 20]
//
// Needs Kafka (scripts/kafka up) and MariaDB (scripts/mysql up; root without password on
// 127.0.0.1, as scripts/mysql leaves it, to create the route_broker_bench database).
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import mysql from 'mysql2/promise';

const args = Object.fromEntries(
  process.argv
    .slice(2)
    .map((arg, i, all) => (arg.startsWith('--') ? [arg.slice(2), all[i + 1]] : null))
    .filter(Boolean),
);
const ROUTES = Number(args.routes ?? 1_000_000);
const PER_EVENT = Number(args['per-event'] ?? 20);
const DB = 'route_broker_bench';
const HTTP_PORT = 18319;
const TOPIC = 'bgp.route-events.v1';
const GROUP = `brm-bench-${randomUUID()}`;
const ROUTER = 'bench-host';
const PEER = '169.254.250.1';

const root = await mysql.createConnection({ host: '127.0.0.1', user: 'root', multipleStatements: true });
await root.query(`DROP DATABASE IF EXISTS ${DB}; CREATE DATABASE ${DB};
  GRANT ALL ON ${DB}.* TO 'route_broker'@'127.0.0.1'; GRANT ALL ON ${DB}.* TO 'route_broker'@'localhost';`);
await root.end();

const env = {
  PATH: process.env.PATH,
  RB_ROLES: 'brm',
  RB_HTTP_PORT: String(HTTP_PORT),
  RB_HTTP_HOST: '127.0.0.1',
  RB_DB_USER: 'route_broker',
  RB_DB_PASSWORD: 'route_broker',
  RB_DB_NAME: DB,
  RB_BRM_CONSUMER_GROUP: GROUP,
  RB_LOG_LEVEL: 'warn',
};

async function waitHealthy(child) {
  for (let i = 0; i < 240; i++) {
    if (child.exitCode !== null) throw new Error(`route-broker exited with ${child.exitCode}`);
    const ok = await fetch(`http://127.0.0.1:${HTTP_PORT}/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error('route-broker did not become healthy');
}

const start = (extra = {}) =>
  spawn(process.execPath, ['dist/main.js'], { env: { ...env, ...extra }, stdio: ['ignore', 'ignore', 'inherit'] });

// 1. Schema (migrations run at start-up) and the inventory: one VPC, one host, one session.
{
  const child = start({ RB_ROLES: 'admin', RB_API_OPERATOR_TOKENS: 'bench-operator-token-0123456789' });
  try {
    await waitHealthy(child);
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  }
}
const db = await mysql.createConnection({ host: '127.0.0.1', user: 'route_broker', password: 'route_broker', database: DB });
await db.query("INSERT INTO regions (id, code) VALUES (1, 'cn-gd')");
await db.query(
  `INSERT INTO hosts (id, name, region_id, zone, management_address, underlay_address, router_id, asn)
   VALUES (1, '${ROUTER}', 1, 'a', '127.0.0.1', '192.0.2.11', '192.0.2.11', 64512)`,
);
await db.query("INSERT INTO pes (id, name, underlay_address, asn, owner) VALUES (1, 'pe', '198.51.100.1', 65001, 'acme')");
await db.query(`INSERT INTO hosted_vpcs (id, name, region_id, owner, cidrs) VALUES (1, 'vpc', 1, 'acme', '["10.0.0.0/8"]')`);
await db.query(
  `INSERT INTO gre_tunnels (id, host_id, pe_id, interface_name, tunnel_key, local_inner_address, remote_inner_address, inner_prefix_length)
   VALUES (1, 1, 1, 'gre-bench', 1, '169.254.250.2', '${PEER}', 30)`,
);
await db.query(
  `INSERT INTO bgp_sessions (id, tunnel_id, hosted_vpc_id, local_asn, peer_asn, peer_address, max_prefix)
   VALUES (1, 1, 1, 64512, 65001, '${PEER}', ${ROUTES + 1000})`,
);

// 2. The events, on Kafka before BRM starts (the group begins at the current end of the topic).
const kafka = new Kafka({ clientId: 'brm-bench', brokers: ['127.0.0.1:9092'], logLevel: logLevel.NOTHING });
const admin = kafka.admin();
await admin.connect();
const topics = await admin.listTopics();
if (topics.includes(TOPIC)) {
  const ends = await admin.fetchTopicOffsets(TOPIC);
  await admin.setOffsets({ groupId: GROUP, topic: TOPIC, partitions: ends.map(({ partition, high }) => ({ partition, offset: high })) });
}
const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, idempotent: true, maxInFlightRequests: 1 });
await producer.connect();
const session = {
  router: ROUTER,
  hostId: 1,
  peerAddress: PEER,
  peerAs: 65001,
  peerBgpId: '10.0.0.1',
  peerDistinguisher: '0000000000000000',
};
const key = `${ROUTER}|${PEER}|65001`;
const envelope = (type, data) =>
  JSON.stringify({
    specversion: '1.0',
    id: randomUUID(),
    source: 'brm-bench',
    type,
    time: new Date().toISOString(),
    datacontenttype: 'application/json',
    data,
  });
let seed = 7;
const random = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
const receivedAt = new Date().toISOString();
let messages = [
  {
    key,
    value: envelope('net.route-broker.bgp.session-up.v1', {
      session,
      localAddress: '169.254.250.2',
      localPort: 179,
      remotePort: 40000,
      localAs: 64512,
      holdTimeSeconds: 9,
      capabilities: ['4-octet-as', 'graceful-restart'],
      families: ['ipv4-unicast'],
      receivedAt,
    }),
  },
];
const publishedAt = process.hrtime.bigint();
let next = 0x0b000000; // 11.0.0.0: outside the VPC's 10/8 and the bogons; /24s, like most of the table
for (let done = 0; done < ROUTES;) {
  const prefixes = [];
  for (let i = 0; i < PER_EVENT && done < ROUTES; i++, done++) {
    prefixes.push({ prefix: `${next >>> 24}.${(next >>> 16) & 255}.${(next >>> 8) & 255}.0/24`, pathId: null });
    next += 256;
    if (((next >>> 24) & 255) === 100 || ((next >>> 24) & 255) === 127) next += 0x01000000; // skip CGNAT-adjacent and loopback space
  }
  const asPath = [65001, 1000 + Math.floor(random() * 60000), 1000 + Math.floor(random() * 60000)];
  messages.push({
    key,
    value: envelope('net.route-broker.bgp.route-announced.v1', {
      session,
      family: 'ipv4-unicast',
      postPolicy: true,
      adjRibOut: false,
      prefixes,
      attributes: {
        origin: 'igp',
        asPath,
        nextHop: PEER,
        nextHopLinkLocal: null,
        med: null,
        localPref: null,
        atomicAggregate: false,
        aggregator: null,
        communities: [],
        extendedCommunities: [],
        largeCommunities: [],
      },
      receivedAt,
      routerTimestamp: null,
    }),
  });
  if (messages.length >= 500) {
    await producer.send({ topic: TOPIC, acks: -1, messages });
    messages = [];
  }
}
if (messages.length > 0) await producer.send({ topic: TOPIC, acks: -1, messages });
await producer.disconnect();
const publishSeconds = Number(process.hrtime.bigint() - publishedAt) / 1e9;
console.log(
  `published ${ROUTES.toLocaleString()} routes in ${Math.ceil(ROUTES / PER_EVENT)} events of ${PER_EVENT} prefixes in ${publishSeconds.toFixed(1)} s`,
);

// 3. BRM: from process start (start-up of ~2 s included) until every route is in the table and every change is on Kafka.
const startedAt = process.hrtime.bigint();
const brm = start();
let brmSeconds;
let relayedSeconds;
let peakRssMb;
try {
  await waitHealthy(brm);
  for (;;) {
    const [[table]] = await db.query('SELECT revision FROM vpc_route_tables WHERE hosted_vpc_id = 1');
    if (table && Number(table.revision) >= ROUTES) break;
    if (brm.exitCode !== null) throw new Error(`route-broker exited with ${brm.exitCode}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  brmSeconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
  for (;;) {
    const [[pending]] = await db.query('SELECT COUNT(*) AS n FROM outbox WHERE published_at IS NULL');
    if (Number(pending.n) === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  relayedSeconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
  peakRssMb = Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${brm.pid}/status`, 'utf8'))[1]) / 1024;
  const [[count]] = await db.query("SELECT COUNT(*) AS n FROM vpc_routes WHERE hosted_vpc_id = 1 AND state = 'active'");
  if (Number(count.n) !== ROUTES) throw new Error(`table holds ${count.n} active routes, expected ${ROUTES}`);
} finally {
  brm.kill('SIGTERM');
  await new Promise((resolve) => brm.once('exit', resolve));
  await admin.disconnect();
}

// 4. Ceiling: the same number of rows, shaped like vpc_routes, in 1,000-row INSERTs on one connection.
await db.query('CREATE TABLE ceiling LIKE vpc_routes');
await db.query('ALTER TABLE ceiling DROP FOREIGN KEY fk_vpc_routes_vpc').catch(() => undefined);
const [[sample]] = await db.query('SELECT entry FROM vpc_routes LIMIT 1');
const entryText = typeof sample.entry === 'string' ? sample.entry : JSON.stringify(sample.entry);
const ceilingStarted = process.hrtime.bigint();
await db.query('START TRANSACTION');
for (let offset = 0; offset < ROUTES; offset += 1000) {
  const rows = [];
  for (let i = offset; i < Math.min(ROUTES, offset + 1000); i++) rows.push([1, `r${i}`, 'ipv4-unicast', 'active', i + 1, entryText]);
  await db.query('INSERT INTO ceiling (hosted_vpc_id, prefix, family, state, revision, entry) VALUES ?', [rows]);
}
await db.query('COMMIT');
const ceilingSeconds = Number(process.hrtime.bigint() - ceilingStarted) / 1e9;
await db.end();

const rate = (seconds) => Math.round(ROUTES / seconds).toLocaleString();
console.table([
  { what: 'plain multi-row INSERT of the route rows (ceiling)', seconds: ceilingSeconds.toFixed(1), 'routes/s': rate(ceilingSeconds) },
  {
    what: 'BRM: Kafka → VPC table committed (revision = routes)',
    seconds: brmSeconds.toFixed(1),
    'routes/s': rate(brmSeconds),
    'peak RSS MB': peakRssMb.toFixed(0),
  },
  { what: 'BRM: … and every change relayed to Kafka', seconds: relayedSeconds.toFixed(1), 'routes/s': rate(relayedSeconds) },
]);
