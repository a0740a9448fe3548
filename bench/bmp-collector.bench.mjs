// BMP collector throughput: a full-table BMP stream replayed over TCP into the real collector
// (node dist/main.js, role frr-server) publishing to the real Kafka, against what is measured in
// the same run: reading the same bytes from a socket and discarding them (the ceiling), decoding
// them in-process without Kafka, optionally another build of the collector (--baseline) and
// pmacct's BMP daemon writing the same stream to the same Kafka (--pmacct).
//
//   npm run build && node bench/bmp-collector.bench.mjs [--ipv4 1000000] [--ipv6 200000] [--per-update 20]
//       [--rounds 1] [--baseline DIR] [--pmacct] [--pmacct-queue N] [--cpu-prof DIR] [--only this|baseline|pmacct|none]
//       [--stream-file FILE]
//
//   --only X         run one contender (or none: only the raw read and the in-process rows)
//   --stream-file F  where the generated stream is written and replayed from (default
//                    .cache/bench/bmp-stream.bin)
//   --rounds N       run every contender N times, interleaved (the order rotates each round)
//   --baseline DIR   also run DIR/dist/main.js (another checkout's build, e.g. the previous
//                    commit: git archive HEAD | tar -x -C DIR, symlink node_modules, npx tsc -p
//                    tsconfig.build.json) on the same stream, interleaved with this build
//   --pmacct         also run pmacct's pmbmpd (Debian package `pmacct`, 1.7.7 in Debian 12, built
//                    with librdkafka and Jansson): JSON msglog to the topic bench.pmacct-bmp.v1,
//                    keyed by router, librdkafka's defaults (acks=all). Skipped with a message when
//                    pmbmpd is not installed (install it with: apt-get install -y pmacct).
//   --pmacct-queue N librdkafka's queue.buffering.max.messages for pmbmpd (default: librdkafka's
//                    own, 100000); pmbmpd drops messages when that queue is full
//   --cpu-prof DIR   run this build's collector under node --cpu-prof, profiles written to DIR
//   --node-args="A B" extra node flags for this build's collector only (e.g. a GC setting, with
//                    --baseline . to compare the same build without them)
//
// Needs Kafka (scripts/kafka up) and MariaDB (scripts/mysql up; the collector gets a fresh, empty
// database route_broker_bench_bmp, where it finds no inventory for the router). pmacct is not needed by the
// tests, so scripts/deps does not install it. The stream is generated with the project's encoder
// (dist/frr-server/bmp/bmp-encode.js), deterministically (seeded PRNG).
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kafka, Partitioners, logLevel } from 'kafkajs';
import { encodeBmpMessage } from '../dist/frr-server/bmp/bmp-encode.js';
import { BmpStreamDecoder } from '../dist/frr-server/bmp/bmp-stream-decoder.js';
import { eventsOf } from '../dist/frr-server/collector/bmp-events.js';
import { BmpEventSerializer } from '../dist/frr-server/collector/bmp-event-serializer.js';
import { unbatched } from '../dist/common/events/bgp-events.js';
import { freshDatabase, isReady, processStats } from './support/route-table-events.mjs';

// --name value, --name=value (for values that start with --), or a bare --flag (true).
const args = {};
for (let i = 2; i < process.argv.length; i++) {
  const [, name, value] = /^--([^=]+)(?:=(.*))?$/s.exec(process.argv[i]) ?? [null, process.argv[i], undefined];
  if (value !== undefined) {
    args[name] = value;
    continue;
  }
  const next = process.argv[i + 1];
  if (next !== undefined && !next.startsWith('--')) args[name] = process.argv[++i];
  else args[name] = true;
}
const IPV4 = Number(args.ipv4 ?? 1_000_000);
const IPV6 = Number(args.ipv6 ?? 200_000);
const PER_UPDATE = Number(args['per-update'] ?? 20);
const ROUNDS = Number(args.rounds ?? 1);
const THIS_BUILD = resolve(fileURLToPath(new URL('..', import.meta.url)));
const BASELINE = typeof args.baseline === 'string' ? resolve(args.baseline) : null;
const STREAM_FILE = resolve(
  typeof args['stream-file'] === 'string' ? args['stream-file'] : join(THIS_BUILD, '.cache/bench/bmp-stream.bin'),
);
// Extra node flags for this build's collector only (e.g. a GC setting, against the baseline without it).
const THIS_NODE_ARGS = typeof args['node-args'] === 'string' ? args['node-args'].split(' ').filter(Boolean) : [];
const CPU_PROF = typeof args['cpu-prof'] === 'string' ? resolve(args['cpu-prof']) : null;
const BMP_PORT = 11219;
const HTTP_PORT = 18219;
const PMACCT_PORT = 11319;
const PMACCT_TOPIC = 'bench.pmacct-bmp.v1';
const ROUTE_TOPIC = 'bgp.route-events.v1';
const ROUTE_ANNOUNCED = 'net.route-broker.bgp.route-announced.v1';
/** How long the route topic's ends must stand still, after the stream is written, to end a collector run. */
const SETTLE_MS = 3000;
const ROUTER = 'bench-router';
const TOKEN = 'bench-token-0123456789abcdef';
const BROKERS = ['127.0.0.1:9092'];
const DB = 'route_broker_bench_bmp';

// --- a full table -------------------------------------------------------------------------
// Prefix lengths of the public IPv4 table, roughly (general knowledge of the DFZ in the 2020s:
// about 60% /24, then /22, /23, /21, /20, /19, /16, a tail of shorter ones); IPv6 mostly /48.
const V4_LENGTHS = [
  [24, 0.6],
  [22, 0.1],
  [23, 0.09],
  [21, 0.05],
  [20, 0.05],
  [19, 0.03],
  [16, 0.03],
  [18, 0.02],
  [17, 0.015],
  [15, 0.01],
  [14, 0.005],
];
const V6_LENGTHS = [
  [48, 0.6],
  [32, 0.12],
  [44, 0.08],
  [40, 0.07],
  [36, 0.04],
  [46, 0.04],
  [29, 0.03],
  [47, 0.02],
];
let seed = 42;
const random = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
const pick = (table) => {
  let r = random();
  for (const [value, weight] of table) if ((r -= weight) <= 0) return value;
  return table[0][0];
};
const asPath = () => {
  const length = 2 + Math.floor(random() * 5); // 2..6, mean ~4
  const path = [65001];
  for (let i = 1; i < length; i++) path.push(1000 + Math.floor(random() * 400000));
  if (random() < 0.1) path.push(path[path.length - 1], path[path.length - 1]); // prepends
  return path;
};
const peer = (ipv6) => ({
  peerType: 0,
  flags: { ipv6, postPolicy: false, legacyAsPath: false, adjRibOut: false, locRibFiltered: false },
  peerDistinguisher: '0000000000000000',
  peerAddress: ipv6 ? 'fd00:101::1' : '169.254.101.1',
  peerAs: 65001,
  peerBgpId: '10.0.0.1',
  timestampSeconds: 1795580000,
  timestampMicroseconds: 0,
});
const open = (asn, bgpId) => ({
  version: 4,
  myAs: asn > 0xffff ? 23456 : asn,
  asn,
  holdTimeSeconds: 9,
  bgpId,
  capabilities: [
    { kind: 'multiprotocol', afi: 1, safi: 1 },
    { kind: 'multiprotocol', afi: 2, safi: 1 },
    { kind: 'fourOctetAs', asn },
  ],
  otherParameters: [],
});

function generate() {
  const frames = [];
  frames.push(
    encodeBmpMessage({ kind: 'initiation', information: [{ type: 2, value: Buffer.from('bench-router'), text: 'bench-router' }] }),
  );
  for (const ipv6 of [false, true]) {
    frames.push(
      encodeBmpMessage({
        kind: 'peerUp',
        peer: peer(ipv6),
        localAddress: ipv6 ? 'fd00:101::2' : '169.254.101.2',
        localPort: 40000,
        remotePort: 179,
        sentOpen: open(64512, '10.0.0.11'),
        receivedOpen: open(65001, '10.0.0.1'),
        information: [],
      }),
    );
  }
  let v4 = 0x01000000;
  let updates = 0;
  for (let done = 0; done < IPV4;) {
    const routes = [];
    for (let i = 0; i < PER_UPDATE && done < IPV4; i++, done++) {
      const length = pick(V4_LENGTHS);
      const size = 2 ** (32 - length);
      v4 = Math.ceil(v4 / size) * size;
      routes.push({ prefix: `${v4 >>> 24}.${(v4 >>> 16) & 255}.${(v4 >>> 8) & 255}.${v4 & 255}/${length}` });
      v4 += size;
    }
    const path = asPath();
    const attributes = [
      { kind: 'origin', origin: 'igp', code: 1, flags: 0x40 },
      { kind: 'asPath', segments: [{ kind: 'sequence', asns: path }], code: 2, flags: 0x50 },
      { kind: 'nextHop', nextHop: '169.254.101.1', code: 3, flags: 0x40 },
    ];
    if (random() < 0.3)
      attributes.push({ kind: 'communities', communities: [`65001:${Math.floor(random() * 1000)}`], code: 8, flags: 0xc0 });
    frames.push(
      encodeBmpMessage({
        kind: 'routeMonitoring',
        peer: peer(false),
        contextAssumed: false,
        update: { withdrawnRoutes: [], attributes, routes, asPath: [{ kind: 'sequence', asns: path }], endOfRib: null },
      }),
    );
    updates++;
  }
  let v6 = 0x2a000000n << 96n;
  for (let done = 0; done < IPV6;) {
    const routes = [];
    for (let i = 0; i < PER_UPDATE && done < IPV6; i++, done++) {
      const length = pick(V6_LENGTHS);
      const size = 1n << BigInt(128 - length);
      v6 = ((v6 + size - 1n) / size) * size;
      const groups = Array.from({ length: 8 }, (_, g) => ((v6 >> BigInt(112 - g * 16)) & 0xffffn).toString(16));
      routes.push({ prefix: `${new URL(`http://[${groups.join(':')}]/`).hostname.slice(1, -1)}/${length}` });
      v6 += size;
    }
    const path = asPath();
    const attributes = [
      { kind: 'origin', origin: 'igp', code: 1, flags: 0x40 },
      { kind: 'asPath', segments: [{ kind: 'sequence', asns: path }], code: 2, flags: 0x50 },
      { kind: 'mpReachNlri', afi: 2, safi: 1, nextHops: ['fd00:101::1', 'fe80::1'], routes, code: 14, flags: 0x80 },
    ];
    frames.push(
      encodeBmpMessage({
        kind: 'routeMonitoring',
        peer: peer(true),
        contextAssumed: false,
        update: { withdrawnRoutes: [], attributes, routes: [], asPath: [{ kind: 'sequence', asns: path }], endOfRib: null },
      }),
    );
    updates++;
  }
  return { stream: Buffer.concat(frames), updates };
}

// --- measurements -------------------------------------------------------------------------
const kafka = new Kafka({ clientId: 'bmp-bench', brokers: BROKERS, logLevel: logLevel.NOTHING });
const admin = kafka.admin();
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const since = (started) => Number(process.hrtime.bigint() - started) / 1e9;

async function rawSocketCeiling(stream) {
  let received = 0;
  const server = createServer((socket) => socket.on('data', (chunk) => (received += chunk.length)));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const started = process.hrtime.bigint();
  const socket = connect(server.address().port, '127.0.0.1');
  await new Promise((resolve) => socket.once('connect', resolve));
  socket.end(stream);
  while (received < stream.length) await sleep(1);
  const seconds = since(started);
  socket.destroy();
  server.close();
  return seconds;
}

function decodeOnly(stream) {
  const decoder = new BmpStreamDecoder();
  const started = process.hrtime.bigint();
  let prefixes = 0;
  for (let offset = 0; offset < stream.length; offset += 65536) {
    for (const message of decoder.push(stream.subarray(offset, offset + 65536))) {
      if (message.kind !== 'routeMonitoring') continue;
      prefixes += message.update.routes.length;
      for (const attribute of message.update.attributes) if (attribute.kind === 'mpReachNlri') prefixes += attribute.routes.length;
    }
  }
  return { seconds: since(started), prefixes };
}

/**
 * The collector's own work without sockets or Kafka: decode, build the events and serialise them
 * into Kafka messages, 64 KiB at a time as if each were one TCP read (the collector batches what
 * one read holds). What is left of a collector run's time beyond this is Kafka's.
 */
function decodeAndSerialize(stream) {
  const decoder = new BmpStreamDecoder();
  const serializer = new BmpEventSerializer('route-broker/bench/frr-server');
  const identity = { router: ROUTER, hostId: null, connection: 'bench.run/1' };
  const started = process.hrtime.bigint();
  let bytes = 0;
  for (let offset = 0; offset < stream.length; offset += 65536) {
    const receivedAt = new Date();
    const events = [];
    for (const message of decoder.push(stream.subarray(offset, offset + 65536)))
      for (const event of eventsOf(message, identity, receivedAt, 64512)) events.push(event);
    for (const message of serializer.serialize(events)) bytes += message.value.length;
  }
  return { seconds: since(started), bytes };
}

/** High watermark per partition of `topic`, only `partitions` when given. */
async function endOffsets(topic, partitions = null) {
  const offsets = await admin.fetchTopicOffsets(topic);
  return new Map(
    offsets
      .filter(({ partition }) => partitions === null || partitions.includes(partition))
      .map(({ partition, high }) => [partition, Number(high)]),
  );
}
const total = (offsets) => [...offsets.values()].reduce((sum, offset) => sum + offset, 0);

/**
 * Writes the stream as fast as the receiver's TCP window allows (backpressure through 'drain').
 * `written` resolves true when every byte is handed to the kernel, false when the receiver took
 * nothing for `stallMs`.
 */
function replay(port, stream, stallMs = 30000) {
  const socket = connect(port, '127.0.0.1');
  socket.on('error', () => {});
  const written = (async () => {
    await new Promise((resolve) => socket.once('connect', resolve));
    for (let offset = 0; offset < stream.length; offset += 65536) {
      if (socket.write(stream.subarray(offset, offset + 65536))) continue;
      let timer;
      const drained = await Promise.race([
        new Promise((resolve) => socket.once('drain', () => resolve(true))),
        new Promise((resolve) => (timer = setTimeout(() => resolve(false), stallMs))),
      ]);
      clearTimeout(timer);
      if (!drained) return false;
    }
    return true;
  })();
  return { socket, written };
}

async function stop(child, exited, timeoutMs = 15000) {
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  await exited;
  clearTimeout(timer);
}

/**
 * The messages with one of `keys` between `from` and `to` (per-partition offsets) of `topic`: how
 * many, and how many prefixes their route-announced events carry (a route batch counted as its events).
 */
async function countKeyed(topic, from, to, keys) {
  const consumer = kafka.consumer({ groupId: `bmp-bench-verify-${process.pid}-${Date.now()}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const wanted = new Set(keys);
  const done = new Set();
  let count = 0;
  let prefixes = 0;
  let foreign = 0;
  for (const [partition, end] of to) if (end <= from.get(partition)) done.add(partition);
  const finished = new Promise((resolve) => {
    if (done.size === to.size) resolve();
    consumer.run({
      eachBatch: async ({ batch }) => {
        const end = to.get(batch.partition);
        if (end === undefined || done.has(batch.partition)) return;
        for (const message of batch.messages) {
          const offset = Number(message.offset);
          if (offset < from.get(batch.partition)) continue;
          if (offset >= end) break;
          if (wanted.has(message.key?.toString())) {
            count++;
            const event = JSON.parse(message.value.toString('utf8'));
            for (const { type, data } of unbatched(event)) if (type === ROUTE_ANNOUNCED) prefixes += data.prefixes.length;
          } else foreign++;
          if (offset === end - 1) done.add(batch.partition);
        }
        if (done.size === to.size) resolve();
      },
    });
  });
  for (const [partition, offset] of from) consumer.seek({ topic, partition, offset: String(offset) });
  await Promise.race([finished, sleep(120000)]);
  await consumer.disconnect();
  return { count, prefixes, foreign, complete: done.size === to.size };
}

/** One run of a route-broker build's collector: from the first byte written until the last of its messages is on Kafka (every prefix checked). */
async function collectorRun(label, root, stream, routes, cpuProf) {
  const nodeArgs = [...(cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${cpuProf}`] : []), ...(root === THIS_BUILD ? THIS_NODE_ARGS : [])];
  const child = spawn(process.execPath, [...nodeArgs, join(root, 'dist/main.js')], {
    cwd: root,
    env: {
      PATH: process.env.PATH,
      RB_ROLES: 'frr-server',
      RB_HTTP_PORT: String(HTTP_PORT),
      RB_HTTP_HOST: '127.0.0.1',
      RB_BMP_PORT: String(BMP_PORT),
      RB_BMP_HOST: '127.0.0.1',
      RB_API_READ_TOKENS: TOKEN,
      RB_DB_USER: 'route_broker',
      RB_DB_PASSWORD: 'route_broker',
      RB_DB_NAME: DB,
      RB_LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    let healthy = false;
    for (let i = 0; i < 240 && !healthy; i++) {
      healthy = await isReady(HTTP_PORT);
      if (!healthy) await sleep(250);
    }
    if (!healthy) throw new Error(`${label}: the collector did not become healthy in 60 s`);
    // Every event of the two sessions is keyed by session: only their partitions are watched.
    const keys = [`${ROUTER}|169.254.101.1|65001`, `${ROUTER}|fd00:101::1|65001`];
    const partitionCount = (await admin.fetchTopicOffsets(ROUTE_TOPIC)).length;
    const partitions = [...new Set(keys.map((key) => partitionOf(key, partitionCount)))];
    const before = await endOffsets(ROUTE_TOPIC, partitions);
    const cpuBefore = processStats(child.pid).cpuSeconds;
    const started = process.hrtime.bigint();
    const { socket, written } = replay(BMP_PORT, stream);
    if (!(await written)) throw new Error(`${label}: the collector stopped reading the stream`);
    // The collector may batch UPDATEs into fewer messages, so the run ends when the stream is
    // written and the partitions' ends have not moved for SETTLE_MS; it took until their last move.
    // The messages are then read back: every prefix must be there.
    let after = before;
    let seconds = 0;
    let movedAt = process.hrtime.bigint();
    while (since(movedAt) * 1000 < SETTLE_MS || total(after) === total(before)) {
      await sleep(20);
      const now = await endOffsets(ROUTE_TOPIC, partitions);
      if (total(now) !== total(after)) {
        after = now;
        movedAt = process.hrtime.bigint();
        seconds = since(started);
      }
      if (since(started) > 600) throw new Error(`${label}: nothing reached Kafka in 10 minutes`);
    }
    const stats = processStats(child.pid);
    socket.destroy();
    const check = await countKeyed(ROUTE_TOPIC, before, after, keys);
    const note = [
      check.complete && check.prefixes === routes ? '' : `INVALID: ${check.prefixes} of ${routes} prefixes on Kafka`,
      `${check.count.toLocaleString()} messages`,
      check.foreign > 0 ? `${check.foreign} other messages on its partitions` : '',
    ]
      .filter(Boolean)
      .join('; ');
    return { label, seconds, peakRssMb: stats.peakRssMb, cpuSeconds: stats.cpuSeconds - cpuBefore, note };
  } finally {
    await stop(child, exited);
  }
}

function partitionOf(key, partitions) {
  const partitionMetadata = Array.from({ length: partitions }, (_, partitionId) => ({ partitionId, leader: 0 }));
  return Partitioners.DefaultPartitioner()({ topic: ROUTE_TOPIC, partitionMetadata, message: { key } });
}

function pmacctInstalled() {
  return spawnSync('pmbmpd', ['-V'], { encoding: 'utf8' }).status === 0;
}

/**
 * One run of pmacct's pmbmpd: JSON msglog to its own topic, one message per prefix (plus
 * log_init, the Initiation and the two Peer Ups), keyed by router so one router's messages stay
 * in order as the collector's sessions do. Ends when every route is on Kafka, or when nothing
 * more arrives for 20 s (pmbmpd drops what its librdkafka queue cannot take).
 */
async function pmacctRun(stream, routes) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-pmbmpd-'));
  const config = [
    'daemonize: false',
    'bmp_daemon_ip: 127.0.0.1',
    `bmp_daemon_port: ${PMACCT_PORT}`,
    'bmp_daemon_max_peers: 10',
    'bmp_daemon_msglog_output: json',
    `bmp_daemon_msglog_kafka_broker_host: ${BROKERS[0].split(':')[0]}`,
    `bmp_daemon_msglog_kafka_broker_port: ${BROKERS[0].split(':')[1]}`,
    `bmp_daemon_msglog_kafka_topic: ${PMACCT_TOPIC}`,
    'bmp_daemon_msglog_kafka_partition_key: $bmp_router',
  ];
  if (args['pmacct-queue']) {
    writeFileSync(join(dir, 'librdkafka.csv'), `global, queue.buffering.max.messages, ${Number(args['pmacct-queue'])}\n`);
    config.push(`bmp_daemon_msglog_kafka_config_file: ${join(dir, 'librdkafka.csv')}`);
  }
  writeFileSync(join(dir, 'pmbmpd.conf'), `${config.join('\n')}\n`);
  const logFile = join(dir, 'pmbmpd.log');
  const log = () => readFileSync(logFile, 'utf8');
  const logFd = openSync(logFile, 'w');
  const child = spawn('pmbmpd', ['-f', join(dir, 'pmbmpd.conf')], { stdio: ['ignore', logFd, logFd] });
  closeSync(logFd);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    for (let i = 0; i < 100 && !log().includes('waiting for BMP data'); i++) await sleep(100);
    if (!log().includes('waiting for BMP data')) throw new Error(`pmbmpd did not start:\n${log()}`);
    const expected = routes + 4;
    const before = await endOffsets(PMACCT_TOPIC);
    const cpuBefore = processStats(child.pid).cpuSeconds;
    const started = process.hrtime.bigint();
    const { socket, written } = replay(PMACCT_PORT, stream);
    let allWritten = null;
    void written.then((complete) => (allWritten = complete));
    let delivered = 0;
    let lastProgress = process.hrtime.bigint();
    let seconds = 0;
    // Stops once every message is there, or when nothing new arrived for 20 s after the stream was written (or stalled).
    while (delivered < expected && (allWritten === null || since(lastProgress) < 20)) {
      await sleep(20);
      const now = total(await endOffsets(PMACCT_TOPIC)) - total(before);
      if (now > delivered) {
        delivered = now;
        lastProgress = process.hrtime.bigint();
        seconds = since(started);
      }
    }
    const stats = processStats(child.pid);
    socket.destroy();
    const errors = [
      ...new Set(
        log()
          .split('\n')
          .filter((line) => line.includes('ERROR')),
      ),
    ];
    const routesDelivered = Math.max(0, delivered - 4);
    const note = [
      routesDelivered < routes
        ? `LOST ${(routes - routesDelivered).toLocaleString()} routes (${routesDelivered.toLocaleString()} on Kafka${allWritten ? '' : ', pmbmpd stopped reading'}; log: ${logFile})`
        : '',
      ...errors.slice(0, 3),
    ]
      .filter(Boolean)
      .join('; ');
    return {
      label: 'pmacct pmbmpd → Kafka',
      seconds,
      routesDelivered,
      peakRssMb: stats.peakRssMb,
      cpuSeconds: stats.cpuSeconds - cpuBefore,
      note,
    };
  } finally {
    await stop(child, exited);
  }
}

const generatedAt = process.hrtime.bigint();
const generated = generate();
// The generator writes the stream to a file and every contender is replayed the file's bytes.
mkdirSync(dirname(STREAM_FILE), { recursive: true });
writeFileSync(STREAM_FILE, generated.stream);
const stream = readFileSync(STREAM_FILE);
const { updates } = generated;
const routes = IPV4 + IPV6;
console.log(
  `stream: ${routes.toLocaleString()} routes (${IPV4} IPv4, ${IPV6} IPv6) in ${updates} UPDATEs of up to ${PER_UPDATE} prefixes, ${(stream.length / 1e6).toFixed(1)} MB, generated in ${since(generatedAt).toFixed(1)} s, written to ${STREAM_FILE}`,
);
const decodedCheck = decodeOnly(stream);
if (decodedCheck.prefixes !== routes) throw new Error(`decoder saw ${decodedCheck.prefixes} prefixes, expected ${routes}`);

await freshDatabase(DB);
await admin.connect();
// On a Kafka that route-broker never ran against, the topic is not there yet (the collector makes
// it when it starts, but the bench reads its ends before that); made as KafkaGateway would by default.
if (!(await admin.listTopics()).includes(ROUTE_TOPIC))
  await admin.createTopics({ topics: [{ topic: ROUTE_TOPIC, numPartitions: 12 }], waitForLeaders: true });
const contenders = [
  { id: 'this', label: 'collector → Kafka (this build)', run: () => collectorRun('this build', THIS_BUILD, stream, routes, CPU_PROF) },
];
if (BASELINE)
  contenders.push({
    id: 'baseline',
    label: `collector → Kafka (baseline ${BASELINE})`,
    run: () => collectorRun('baseline', BASELINE, stream, routes, null),
  });
if (args.pmacct) {
  if (pmacctInstalled()) {
    if (!(await admin.listTopics()).includes(PMACCT_TOPIC)) {
      const partitions = (await admin.fetchTopicOffsets(ROUTE_TOPIC)).length;
      await admin.createTopics({ topics: [{ topic: PMACCT_TOPIC, numPartitions: partitions }], waitForLeaders: true });
    }
    contenders.push({ id: 'pmacct', label: 'pmacct pmbmpd → Kafka', run: () => pmacctRun(stream, routes) });
  } else {
    console.log(
      'pmacct skipped: pmbmpd is not installed (Debian: apt-get install -y pmacct; it is not in scripts/deps, the tests do not need it)',
    );
  }
}

// --only this|baseline|pmacct keeps one contender (to look at it alone).
if (typeof args.only === 'string') contenders.splice(0, contenders.length, ...contenders.filter((contender) => contender.id === args.only));
const rows = [];
const rate = (seconds, count = routes) => Math.round(count / seconds);
for (let round = 1; round <= ROUNDS; round++) {
  const raw = await rawSocketCeiling(stream);
  rows.push({ round, what: 'raw TCP read, discard (ceiling)', seconds: raw, 'routes/s': rate(raw) });
  const decoded = decodeOnly(stream);
  rows.push({ round, what: 'decode only, in-process (no Kafka)', seconds: decoded.seconds, 'routes/s': rate(decoded.seconds) });
  const serialized = decodeAndSerialize(stream);
  rows.push({
    round,
    what: 'decode + events + serialise, in-process (no Kafka)',
    seconds: serialized.seconds,
    'routes/s': rate(serialized.seconds),
    note: `${(serialized.bytes / 1e6).toFixed(1)} MB of messages`,
  });
  // Rotate the order each round, so no contender always runs first (or right after another's load).
  for (let i = 0; i < contenders.length; i++) {
    const contender = contenders[(i + round - 1) % contenders.length];
    const result = await contender.run();
    const row = {
      round,
      what: contender.label,
      seconds: result.seconds,
      'routes/s': rate(result.seconds, result.routesDelivered ?? routes),
      'peak RSS MB': Math.round(result.peakRssMb),
      'CPU s': Number(result.cpuSeconds.toFixed(1)),
      note: result.note,
    };
    rows.push(row);
    console.log(JSON.stringify(row));
    await sleep(2000);
  }
}
await admin.disconnect();

const format = (row) => ({ ...row, seconds: row.seconds.toFixed(2), 'routes/s': row['routes/s'].toLocaleString() });
console.table(rows.map(format));
if (ROUNDS > 1) {
  const median = (values) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)];
  const summary = [...new Set(rows.map((row) => row.what))].map((what) => {
    const mine = rows.filter((row) => row.what === what);
    const rates = mine.map((row) => row['routes/s']);
    return {
      what,
      'median routes/s': median(rates).toLocaleString(),
      'min-max': `${Math.min(...rates).toLocaleString()}-${Math.max(...rates).toLocaleString()}`,
      'max peak RSS MB': mine[0]['peak RSS MB'] === undefined ? '' : Math.max(...mine.map((row) => row['peak RSS MB'])),
      'median CPU s': mine[0]['CPU s'] === undefined ? '' : median(mine.map((row) => row['CPU s'])),
    };
  });
  console.log(`medians of ${ROUNDS} interleaved rounds (lower median for even counts):`);
  console.table(summary);
}
