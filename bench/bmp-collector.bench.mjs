// BMP collector throughput: a full-table BMP stream replayed over TCP into the real collector
// (node dist/main.js, role frr-server) publishing to the real Kafka, against two ceilings measured
// in the same run: reading the same bytes from a socket and discarding them, and decoding them
// in-process without Kafka.
//
//   npm run build && node bench/bmp-collector.bench.mjs [--ipv4 1000000] [--ipv6 200000] [--per-update 20]
//
// Needs Kafka (scripts/kafka up) and MariaDB (scripts/mysql up). The stream is generated with the
// project's encoder (dist/frr-server/bmp/bmp-encode.js), deterministically (seeded PRNG).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { Kafka, logLevel } from 'kafkajs';
import { encodeBmpMessage } from '../dist/frr-server/bmp/bmp-encode.js';
import { BmpStreamDecoder } from '../dist/frr-server/bmp/bmp-stream-decoder.js';

const args = Object.fromEntries(
  process.argv
    .slice(2)
    .map((arg, i, all) => (arg.startsWith('--') ? [arg.slice(2), all[i + 1]] : null))
    .filter(Boolean),
);
const IPV4 = Number(args.ipv4 ?? 1_000_000);
const IPV6 = Number(args.ipv6 ?? 200_000);
const PER_UPDATE = Number(args['per-update'] ?? 20);
const BMP_PORT = 11219;
const HTTP_PORT = 18219;
const TOKEN = 'bench-token-0123456789abcdef';

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
async function rawSocketCeiling(stream) {
  let received = 0;
  const server = createServer((socket) => socket.on('data', (chunk) => (received += chunk.length)));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const started = process.hrtime.bigint();
  const socket = connect(server.address().port, '127.0.0.1');
  await new Promise((resolve) => socket.once('connect', resolve));
  socket.end(stream);
  while (received < stream.length) await new Promise((resolve) => setTimeout(resolve, 1));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
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
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, prefixes };
}

async function topicEndOffset(admin) {
  const offsets = await admin.fetchTopicOffsets('bgp.route-events.v1');
  return offsets.reduce((sum, partition) => sum + Number(partition.high), 0);
}

async function collector(stream, updates) {
  const kafka = new Kafka({ clientId: 'bmp-bench', brokers: ['127.0.0.1:9092'], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const child = spawn(process.execPath, ['dist/main.js'], {
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
      RB_DB_NAME: 'route_broker_test',
      RB_LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    for (let i = 0; i < 240; i++) {
      if (
        await fetch(`http://127.0.0.1:${HTTP_PORT}/health`).then(
          (r) => r.ok,
          () => false,
        )
      )
        break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const before = await topicEndOffset(admin);
    const started = process.hrtime.bigint();
    const socket = connect(BMP_PORT, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    // Writes as fast as the collector's TCP window allows (backpressure through 'drain').
    for (let offset = 0; offset < stream.length; offset += 65536) {
      if (!socket.write(stream.subarray(offset, offset + 65536))) await new Promise((resolve) => socket.once('drain', resolve));
    }
    // Peer Up events go to the session topic; every Route Monitoring message is one route event.
    while ((await topicEndOffset(admin)) - before < updates) await new Promise((resolve) => setTimeout(resolve, 20));
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
    const peakRssMb = Number(/VmHWM:\s+(\d+)/.exec(status)[1]) / 1024;
    socket.destroy();
    return { seconds, peakRssMb };
  } finally {
    child.kill('SIGTERM');
    await admin.disconnect();
  }
}

const generatedAt = process.hrtime.bigint();
const { stream, updates } = generate();
const generateSeconds = Number(process.hrtime.bigint() - generatedAt) / 1e9;
const routes = IPV4 + IPV6;
console.log(
  `stream: ${routes.toLocaleString()} routes (${IPV4} IPv4, ${IPV6} IPv6) in ${updates} UPDATEs of up to ${PER_UPDATE} prefixes, ${(stream.length / 1e6).toFixed(1)} MB, generated in ${generateSeconds.toFixed(1)} s`,
);
const raw = await rawSocketCeiling(stream);
const decoded = decodeOnly(stream);
if (decoded.prefixes !== routes) throw new Error(`decoder saw ${decoded.prefixes} prefixes, expected ${routes}`);
const into = await collector(stream, updates);
const rate = (seconds) => Math.round(routes / seconds).toLocaleString();
console.table([
  { what: 'raw TCP read, discard (ceiling)', seconds: raw.toFixed(2), 'routes/s': rate(raw) },
  { what: 'decode only, in-process (no Kafka)', seconds: decoded.seconds.toFixed(2), 'routes/s': rate(decoded.seconds) },
  {
    what: 'collector → Kafka (acks=all), end to end',
    seconds: into.seconds.toFixed(2),
    'routes/s': rate(into.seconds),
    'peak RSS MB': into.peakRssMb.toFixed(0),
  },
]);
