// HRM fan-out: --subscribers UXR endpoints (HTTP servers in this process, each checking every
// signature) subscribed to one VPC while a full table of --routes loads through the real BRM (its
// own process) from the real Kafka into the real MariaDB. HRM runs as a process of its own so its
// memory is measured alone. Reports how long BRM took, how long until every subscriber held the
// whole table, the delivery throughput (changes × subscribers per second) and HRM's peak memory.
// Then the PE closes the session (a Cease: no graceful restart), and it reports how long the
// withdrawal of every route took to reach BRM's table, the notifications topic, the first
// subscriber and all of them.
//
//   npm run build && node bench/hrm-fanout.bench.mjs [--routes 200000] [--subscribers 100] [--per-event 20] [--hrm-heap-mb N]
//
// --hrm-heap-mb caps HRM's V8 heap (--max-old-space-size): peak RSS mostly shows how lazily V8
// collects; whether HRM finishes under a cap shows what it really needs.
//
// Needs Kafka (scripts/kafka up) and MariaDB (scripts/mysql up; root without password on 127.0.0.1).
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import mysql from 'mysql2/promise';
import {
  freshDatabase,
  groupAtEnd,
  insertInventory,
  peakRssMb,
  publishFullTable,
  publishSessionDown,
  sampleHeap,
  startRouteBroker,
  waitHealthy,
} from './support/route-table-events.mjs';
import { decodeStoredEntry } from '../dist/brm/core/stored-route.js';

const args = Object.fromEntries(
  process.argv
    .slice(2)
    .map((arg, i, all) => (arg.startsWith('--') ? [arg.slice(2), all[i + 1]] : null))
    .filter(Boolean),
);
const ROUTES = Number(args.routes ?? 200_000);
const SUBSCRIBERS = Number(args.subscribers ?? 100);
const PER_EVENT = Number(args['per-event'] ?? 20);
const HRM_HEAP_MB = args['hrm-heap-mb'] ? Number(args['hrm-heap-mb']) : null;
const DB = 'route_broker_bench_fanout';
const PORTS = { brm: 18341, hrm: 18342, receiver: 18343 };
const TOKEN = 'bench-operator-token-0123456789';
const SECRET = `bench-secret-${randomUUID()}`;
const groups = { brm: `hrm-fanout-brm-${randomUUID()}`, hrm: `hrm-fanout-hrm-${randomUUID()}` };

await freshDatabase(DB);
const kafka = new Kafka({ clientId: 'hrm-fanout-bench', brokers: ['127.0.0.1:9092'], logLevel: logLevel.NOTHING });
const admin = kafka.admin();
await admin.connect();
await groupAtEnd(admin, groups.brm, 'bgp.route-events.v1');
await groupAtEnd(admin, groups.hrm, 'interconnect.route-updates.v1');
await admin.disconnect();

const start = (roles, port, nodeOptions = []) =>
  startRouteBroker(
    DB,
    {
      RB_ROLES: roles,
      RB_HTTP_PORT: String(port),
      RB_API_OPERATOR_TOKENS: TOKEN,
      RB_BRM_CONSUMER_GROUP: groups.brm,
      RB_HRM_CONSUMER_GROUP: groups.hrm,
      RB_INSTANCE_ID: `fanout-${roles.replace(/,/g, '-')}`,
    },
    nodeOptions,
  );

// The subscribers: one server, a path per subscriber; each keeps its revision (and the first its whole table).
const receivers = Array.from({ length: SUBSCRIBERS }, () => ({ revision: null, changes: 0, requests: 0, badSignatures: 0 }));
const firstTable = new Map();
/** Receiver 0's deltas after the full table: when each arrived (performance.now()) and how many changes it had. */
const lossDeltas = [];
let bytes = 0;
const server = createServer((request, response) => {
  const index = Number(request.url.split('/').at(-1));
  const chunks = [];
  request.on('data', (chunk) => chunks.push(chunk));
  request.on('end', () => {
    const receiver = receivers[index];
    const raw = Buffer.concat(chunks);
    bytes += raw.length;
    const body = raw.toString('utf8');
    const [t, v1] = String(request.headers['x-route-broker-signature'] ?? '')
      .split(',')
      .map((part) => part.split('=')[1]);
    const expected = createHmac('sha256', SECRET).update(`${t}.${body}`).digest();
    if (!v1 || v1.length !== 64 || !timingSafeEqual(expected, Buffer.from(v1, 'hex'))) receiver.badSignatures++;
    receiver.requests++;
    const delivery = JSON.parse(body);
    if (delivery.kind === 'snapshot') {
      if (delivery.lastPage) receiver.revision = delivery.revision;
      if (index === 0) for (const route of delivery.routes) firstTable.set(route.prefix, route);
    } else {
      if (receiver.revision === null || delivery.fromRevision > receiver.revision + 1) {
        response.writeHead(409).end();
        return;
      }
      for (const change of delivery.changes) {
        if (change.revision <= receiver.revision) continue;
        receiver.changes++;
        if (index === 0) {
          if (change.action === 'remove') firstTable.delete(change.prefix);
          else if (change.route) firstTable.set(change.prefix, change.route);
        }
      }
      receiver.revision = Math.max(receiver.revision, delivery.toRevision);
      if (index === 0 && delivery.toRevision > ROUTES) lossDeltas.push({ at: performance.now(), changes: delivery.changes.length });
    }
    response.writeHead(204).end();
  });
});
server.keepAliveTimeout = 60_000;
await new Promise((resolve) => server.listen(PORTS.receiver, '127.0.0.1', resolve));

const hrm = start('admin,hrm', PORTS.hrm, HRM_HEAP_MB === null ? [] : [`--max-old-space-size=${HRM_HEAP_MB}`]);
let brm;
try {
  await waitHealthy(hrm, PORTS.hrm);
  const db = await mysql.createConnection({ host: '127.0.0.1', user: 'route_broker', password: 'route_broker', database: DB });
  await insertInventory(db, ROUTES);
  for (let i = 0; i < SUBSCRIBERS; i++) {
    const response = await fetch(`http://127.0.0.1:${PORTS.hrm}/api/v1/subscriptions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        name: `uxr-${i}`,
        region: ['cn-gd', 'hk', 'jpn-tky'][i % 3],
        callbackUrl: `http://127.0.0.1:${PORTS.receiver}/uxr/${i}`,
        secret: SECRET,
        hostedVpcIds: [1],
      }),
    });
    if (response.status !== 201) throw new Error(`subscription ${i}: ${response.status} ${await response.text()}`);
  }
  while (receivers.some((receiver) => receiver.revision !== 0)) await new Promise((resolve) => setTimeout(resolve, 50));
  const idleRss = await peakRssMb(hrm.pid);

  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  await publishFullTable(producer, ROUTES, PER_EVENT);

  const startedAt = performance.now();
  // HRM's /metrics and /health timed all through the load and the catch-up.
  const stopSampling = sampleHeap(PORTS.hrm, TOKEN);
  brm = start('brm', PORTS.brm);
  let brmSeconds = null;
  for (;;) {
    // A process killed by a signal (the OOM killer, V8's heap-limit abort) has signalCode, not exitCode.
    for (const [name, child] of [
      ['BRM', brm],
      ['HRM', hrm],
    ])
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${name} exited (${child.exitCode ?? child.signalCode})`);
    if (brmSeconds === null) {
      const [[table]] = await db.query('SELECT revision FROM vpc_route_tables WHERE hosted_vpc_id = 1');
      if (table && Number(table.revision) >= ROUTES) brmSeconds = (performance.now() - startedAt) / 1000;
    }
    if (receivers.every((receiver) => receiver.revision === ROUTES)) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const allSeconds = (performance.now() - startedAt) / 1000;
  const answers = await stopSampling();
  const hrmPeak = await peakRssMb(hrm.pid);

  const [rows] = await db.query('SELECT prefix, family, paths FROM vpc_routes WHERE hosted_vpc_id = 1');
  const exact =
    rows.length === firstTable.size &&
    rows.every(
      (row) => JSON.stringify(firstTable.get(row.prefix)) === JSON.stringify(decodeStoredEntry(row.prefix, row.family, row.paths)),
    );
  const delivered = receivers.reduce((sum, receiver) => sum + receiver.changes, 0);
  const requests = receivers.reduce((sum, receiver) => sum + receiver.requests, 0);
  const loadBytes = bytes;

  // The session lost: every route withdrawn, one revision each, timed from the event's publish.
  // The notifications are read too, to tell BRM and its relay from HRM's delivery.
  const withdrawn = 2 * ROUTES;
  const notified = { first: null, last: null };
  const notifications = kafka.consumer({ groupId: `hrm-fanout-notifications-${randomUUID()}`, maxWaitTimeInMs: 50 });
  await notifications.connect();
  await notifications.subscribe({ topics: ['interconnect.route-updates.v1'], fromBeginning: false });
  await notifications.run({
    eachMessage: async ({ message }) => {
      const toRevision = JSON.parse(message.value.toString()).data?.toRevision ?? 0;
      if (notified.first === null && toRevision > ROUTES) notified.first = performance.now();
      if (notified.last === null && toRevision >= withdrawn) notified.last = performance.now();
    },
  });
  // fromBeginning false: the group starts at the topic's end once it has joined (the broker's initial rebalance delay).
  await new Promise((resolve) => setTimeout(resolve, 4000));
  const lossStartedAt = performance.now();
  await publishSessionDown(producer);
  await producer.disconnect();
  let lossBrmSeconds = null;
  for (;;) {
    if (brm.exitCode !== null || hrm.exitCode !== null) throw new Error('a role exited during the session loss');
    if (lossBrmSeconds === null) {
      const [[table]] = await db.query('SELECT revision FROM vpc_route_tables WHERE hosted_vpc_id = 1');
      if (Number(table.revision) >= withdrawn) lossBrmSeconds = (performance.now() - lossStartedAt) / 1000;
    }
    if (receivers.every((receiver) => receiver.revision === withdrawn)) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const since = (at) => (at === null ? '—' : ((at - lossStartedAt) / 1000).toFixed(2));
  const lossAllSeconds = (performance.now() - lossStartedAt) / 1000;
  const lossLastAt = lossDeltas.length > 0 ? lossDeltas.at(-1).at : null;
  const emptied = firstTable.size === 0;
  await notifications.disconnect();
  await db.end();
  const bad = receivers.reduce((sum, receiver) => sum + receiver.badSignatures, 0);
  console.log(
    `${ROUTES.toLocaleString()} routes, ${SUBSCRIBERS} subscribers on one VPC; receiver 0's table equals MySQL: ${exact}; bad signatures: ${bad}`,
  );
  console.table([
    { what: 'BRM: every route in the VPC table (from process start)', seconds: brmSeconds?.toFixed(1) ?? '—' },
    {
      what: `HRM: every subscriber holds the whole table`,
      seconds: allSeconds.toFixed(1),
      'changes delivered/s (all subscribers)': Math.round(delivered / allSeconds).toLocaleString(),
      requests: requests.toLocaleString(),
      'MB sent': (loadBytes / 1e6).toFixed(0),
    },
    { what: 'HRM peak RSS (MB): before the load / at the end', seconds: `${idleRss.toFixed(0)} / ${hrmPeak.toFixed(0)}` },
  ]);
  console.log(
    `session loss (Cease, ${ROUTES.toLocaleString()} routes withdrawn), seconds after the event was published: ` +
      `BRM's table ${lossBrmSeconds?.toFixed(2)}; notifications on Kafka first ${since(notified.first)}, last ${since(notified.last)}; ` +
      `subscriber 0's deltas first ${since(lossDeltas[0]?.at ?? null)}, last ${since(lossLastAt)} (${lossDeltas.length} requests); ` +
      `all ${SUBSCRIBERS} subscribers ${lossAllSeconds.toFixed(2)} (target < 3 s to UXR: ${lossLastAt !== null && (lossLastAt - lossStartedAt) / 1000 < 3 ? 'met' : 'NOT met'}); ` +
      `subscriber 0's table empty: ${emptied}`,
  );
  console.log(
    `HRM's slowest answers during the load and catch-up: /metrics ${answers.slowestMetricsMs} ms, /health ${answers.slowestHealthMs} ms (< 1000 ms each): ${answers.slowestMetricsMs < 1000 && answers.slowestHealthMs < 1000 ? 'met' : 'NOT met'}` +
      ` (timed from a worker thread; the bench thread's own longest event-loop delay meanwhile: ${answers.benchLoopDelayMs} ms)`,
  );
} finally {
  brm?.kill('SIGTERM');
  hrm.kill('SIGTERM');
  await Promise.all(
    [brm, hrm].filter(Boolean).map((child) => (child.exitCode === null ? new Promise((resolve) => child.once('exit', resolve)) : null)),
  );
  server.close();
}
