// Shared by the benchmarks: a bench database with one VPC, one host and one session,
// and a full table of route events for that session published on bgp.route-events.v1 (as the
// collector would: gzip-compressed record batches), /24s from 11.0.0.0 with random AS paths.
import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { CompressionTypes } from 'kafkajs';
import mysql from 'mysql2/promise';

export const ROUTER = 'bench-host';
export const PEER = '169.254.250.1';
const TOPIC = 'bgp.route-events.v1';

/**
 * `node dist/main.js` (of the current directory: a second worktree runs its own build) on the bench
 * database `database` as the route_broker user, listening on 127.0.0.1, warnings and errors on
 * stderr; `env` adds the run's RB_* settings (roles, port, groups, tokens).
 */
export function startRouteBroker(database, env, nodeOptions = []) {
  return spawn(process.execPath, [...nodeOptions, 'dist/main.js'], {
    env: {
      PATH: process.env.PATH,
      RB_HTTP_HOST: '127.0.0.1',
      RB_DB_USER: 'route_broker',
      RB_DB_PASSWORD: 'route_broker',
      RB_DB_NAME: database,
      RB_LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

/** Drops and creates `database` and grants it to the route_broker user (root without password, as scripts/mysql leaves it). */
export async function freshDatabase(database) {
  const root = await mysql.createConnection({ host: '127.0.0.1', user: 'root', multipleStatements: true });
  await root.query(`DROP DATABASE IF EXISTS ${database}; CREATE DATABASE ${database} CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
    GRANT ALL ON ${database}.* TO 'route_broker'@'127.0.0.1'; GRANT ALL ON ${database}.* TO 'route_broker'@'localhost';`);
  await root.end();
}

/** The inventory rows (after the migrations ran): VPC 1 (10/8), host 1, session 1 to PEER with room for `routes`. */
export async function insertInventory(db, routes) {
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
    `INSERT INTO bgp_sessions (id, tunnel_id, hosted_vpc_id, local_asn, peer_asn, peer_address, address_families, max_prefix)
     VALUES (1, 1, 1, 64512, 65001, '${PEER}', 'ipv4-unicast', ${routes + 1000})`,
  );
}

/** Puts `group` at the current end of `topic`, so it does not replay earlier runs. */
export async function groupAtEnd(admin, group, topic) {
  if (!(await admin.listTopics()).includes(topic)) return;
  const ends = await topicEnds(admin, topic);
  await admin.setOffsets({ groupId: group, topic, partitions: ends.map(({ partition, high }) => ({ partition, offset: high })) });
}

/** A broker that has just started may not have elected the topic's leaders yet: retry those errors for a while. */
async function topicEnds(admin, topic) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await admin.fetchTopicOffsets(topic);
    } catch (error) {
      if (!error.retriable || attempt === 30) throw error;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}

const SESSION = {
  router: ROUTER,
  hostId: 1,
  peerAddress: PEER,
  peerAs: 65001,
  peerBgpId: '10.0.0.1',
  peerDistinguisher: '0000000000000000',
};
const SESSION_KEY = `${ROUTER}|${PEER}|65001`;
const envelope = (type, data) =>
  JSON.stringify({
    specversion: '1.0',
    id: randomUUID(),
    source: 'route-broker-bench',
    type,
    time: new Date().toISOString(),
    datacontenttype: 'application/json',
    data,
  });

/** The session closed by the PE with a Cease (administrative shutdown): no graceful restart, every route withdrawn. */
export async function publishSessionDown(producer) {
  const value = envelope('net.route-broker.bgp.session-down.v1', {
    session: SESSION,
    reason: 'remote-notification',
    notification: { code: 6, subcode: 2 },
    receivedAt: new Date().toISOString(),
  });
  await producer.send({ topic: TOPIC, acks: -1, messages: [{ key: SESSION_KEY, value }] });
}

/** Session up, then `routes` announcements in events of `perEvent` prefixes. */
export async function publishFullTable(producer, routes, perEvent) {
  const session = SESSION;
  const key = SESSION_KEY;
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
  let next = 0x0b000000; // 11.0.0.0: outside the VPC's 10/8 and the bogons; /24s, like most of the table
  for (let done = 0; done < routes;) {
    const prefixes = [];
    for (let i = 0; i < perEvent && done < routes; i++, done++) {
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
        postPolicy: false,
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
      await producer.send({ topic: TOPIC, acks: -1, compression: CompressionTypes.GZIP, messages });
      messages = [];
    }
  }
  if (messages.length > 0) await producer.send({ topic: TOPIC, acks: -1, compression: CompressionTypes.GZIP, messages });
}

const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

/** Peak RSS (VmHWM) and CPU time (user + system, all threads: GC helpers included) of a running process. */
export function processStats(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return {
    peakRssMb: Number(/VmHWM:\s+(\d+)/.exec(status)[1]) / 1024,
    cpuSeconds: (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS,
  };
}

/** Peak resident memory of a process so far (VmHWM), in MB. */
export async function peakRssMb(pid) {
  return processStats(pid).peakRssMb;
}

/**
 * Samples route-broker's heap in use (prom-client's nodejs_heap_size_used_bytes on /metrics) every
 * 500 ms until `stop()`, which returns the peak and the heap in use just after the last full
 * collection seen (a drop of more than a fifth between two samples): about the live data. It also
 * times /metrics and /health (issue #23: < 1 s each) from a worker thread, so that the bench's own
 * work does not count; `benchLoopDelayMs` is the bench thread's longest event-loop delay meanwhile,
 * which a probe on that thread would have added.
 */
export function sampleHeap(port, readToken) {
  const probe = new Worker(new URL('./answer-probe.mjs', import.meta.url), { workerData: { port, readToken } });
  const benchLoop = monitorEventLoopDelay({ resolution: 20 });
  benchLoop.enable();
  const report = new Promise((resolve, reject) => {
    probe.once('message', resolve);
    probe.once('error', reject);
  });
  return async () => {
    probe.postMessage('stop');
    const { heapMb: samples, answerMs } = await report;
    benchLoop.disable();
    await probe.terminate();
    let afterCollection = null;
    for (let i = 1; i < samples.length; i++) if (samples[i] < samples[i - 1] * 0.8) afterCollection = samples[i];
    const worst = (values) => Math.round(Math.max(0, ...values));
    return {
      peakMb: Math.max(0, ...samples),
      afterLastCollectionMb: afterCollection,
      slowestMetricsMs: worst(answerMs.metrics),
      slowestHealthMs: worst(answerMs.health),
      benchLoopDelayMs: Math.round(benchLoop.max / 1e6),
    };
  };
}

/**
 * Whether route-broker on `port` has started: /health/ready, or /health on builds from before
 * /health/ready existed (a --baseline run of an older checkout).
 */
export async function isReady(port) {
  const ready = await fetch(`http://127.0.0.1:${port}/health/ready`).catch(() => null);
  if (ready?.status !== 404) return ready?.ok ?? false;
  return fetch(`http://127.0.0.1:${port}/health`).then(
    (r) => r.ok,
    () => false,
  );
}

/** Waits until route-broker on `port` has started (isReady). */
export async function waitHealthy(child, port) {
  for (let i = 0; i < 240; i++) {
    if (child.exitCode !== null) throw new Error(`route-broker exited with ${child.exitCode}`);
    if (await isReady(port)) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error('route-broker did not become healthy');
}
