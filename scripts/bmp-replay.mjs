#!/usr/bin/env node
// The raw BMP archive's reader (docs/bmp.md, "The raw BMP archive and replay"): lists the archived
// BMP connections, replays a time range of them into a collector as the routers sent them, or
// writes one connection's bytes to a file. Run it through scripts/bmp-replay, which checks the build
// (the archive's headers and the selection rules come from dist/frr-server/collector/bmp-archive.js).
//
//   scripts/bmp-replay [--brokers H:P,...] [--router R] [--connection C] [--from ISO] [--to ISO]
//                      [--list | --to-collector HOST:PORT [--close] | --out FILE]
//
//   --brokers H:P     Kafka (default RB_KAFKA_BROKERS, else 127.0.0.1:9092); RB_KAFKA_SSL*/RB_KAFKA_SASL_*
//                     as for route-broker (docs/security.md)
//   --router R        one router (the key: the route events' session.router); default all
//   --connection C    one collector connection (`<run>/<n>`, as --list shows it)
//   --from, --to      the range, by the time the collector read each record's first message (ISO 8601;
//                     default: the archive's start, now). A connection with a record in the range is
//                     replayed from its FIRST record (its Initiation and Peer Ups, however long before
//                     --from) up to its last record at or before --to.
//   --list            what the selection holds, per connection (the default)
//   --to-collector H:P one TCP connection per archived connection, its bytes in order, as the router
//                     sent them; a connection whose close is in the range is closed after its bytes, the
//                     others are held open (as they were at --to) until SIGINT/SIGTERM, or --close
//   --out FILE        the bytes of the one selected connection (a decoder fixture, like
//                     test/fixtures/bmp/frr-8.4-basic.bin)
//   --topic T         the archive topic (default route-broker.bmp-raw.v1)
//
// Exit codes: 0 done (or held connections ended by a signal); 1 failure, or nothing selected to
// replay; 2 usage (e.g. --out with several connections selected: pick one with --connection).
import { randomUUID } from 'node:crypto';
import { closeSync, openSync, writeSync } from 'node:fs';
import { connect } from 'node:net';
import { Kafka, logLevel } from 'kafkajs';
import { loadConfig } from '../dist/common/config/config.js';
import { KafkaGateway } from '../dist/common/kafka/kafka.gateway.js';
import { kafkaSecurity } from '../dist/common/kafka/kafka-security.js';
import { BMP_ARCHIVE_TOPIC } from '../dist/common/kafka/topics.js';
import { ArchiveIndex, ReplayCursor, archivedRecordMeta } from '../dist/frr-server/collector/bmp-archive.js';

const say = (message) => console.log(`bmp-replay: ${message}`);
const complain = (message) => console.error(`bmp-replay: ${message}`);
function usage(message) {
  complain(message);
  complain(
    'usage: scripts/bmp-replay [--brokers H:P] [--router R] [--connection C] [--from ISO] [--to ISO] [--list | --to-collector HOST:PORT [--close] | --out FILE]',
  );
  process.exit(2);
}

// --name value, --name=value, or a bare --flag (true).
const args = {};
for (let i = 2; i < process.argv.length; i++) {
  const [, name, value] = /^--([^=]+)(?:=(.*))?$/s.exec(process.argv[i]) ?? [];
  if (name === undefined) usage(`unexpected argument ${JSON.stringify(process.argv[i])}`);
  if (value !== undefined) args[name] = value;
  else if (process.argv[i + 1] !== undefined && !process.argv[i + 1].startsWith('--')) args[name] = process.argv[++i];
  else args[name] = true;
}
const KNOWN = ['brokers', 'router', 'connection', 'from', 'to', 'list', 'to-collector', 'close', 'out', 'topic'];
for (const name of Object.keys(args)) if (!KNOWN.includes(name)) usage(`unknown option --${name}`);
const time = (name) => {
  if (args[name] === undefined) return undefined;
  const ms = Date.parse(args[name]);
  if (typeof args[name] !== 'string' || Number.isNaN(ms)) usage(`--${name} ${JSON.stringify(args[name])} is not an ISO 8601 time`);
  return ms;
};
const selection = {
  router: typeof args.router === 'string' ? args.router : undefined,
  connection: typeof args.connection === 'string' ? args.connection : undefined,
  from: time('from'),
  to: time('to') ?? Date.now(),
};
const actions = ['list', 'to-collector', 'out'].filter((name) => args[name] !== undefined);
if (actions.length > 1) usage(`--${actions.join(' and --')} do not go together`);
const action = actions[0] ?? 'list';
let target = null;
if (action === 'to-collector') {
  const match = /^(.+):(\d{1,5})$/.exec(String(args['to-collector']));
  if (!match) usage('--to-collector expects HOST:PORT');
  target = { host: match[1].replace(/^\[(.*)\]$/, '$1'), port: Number(match[2]) };
}
if (action === 'out' && typeof args.out !== 'string') usage('--out expects a file name');
const topic = typeof args.topic === 'string' ? args.topic : BMP_ARCHIVE_TOPIC.name;

// Kafka as route-broker reaches it (brokers, TLS, SASL from the same variables).
const config = loadConfig({
  ...process.env,
  RB_ROLES: 'frr-server',
  ...(typeof args.brokers === 'string' && { RB_KAFKA_BROKERS: args.brokers }),
});
const kafka = new Kafka({
  clientId: `${config.kafka.clientId}-bmp-replay`,
  brokers: [...config.kafka.brokers],
  ...kafkaSecurity(config.kafka),
  connectionTimeout: config.kafka.connectionTimeoutMs,
  logLevel: logLevel.ERROR,
});
const admin = kafka.admin();

/**
 * Reads each partition's records in [from, to) in order (a consumer of its own group: kafkajs has no
 * manual assignment), calling onRecord(partition, message) one at a time; resolves when every
 * partition reached its `to`.
 */
async function scan(ranges, onRecord) {
  const wanted = new Map([...ranges].filter(([, range]) => range.from < range.to));
  if (wanted.size === 0) return;
  const groupId = `bmp-replay-${randomUUID()}`;
  // A long session: a collector that reads slowly keeps a write waiting (the heartbeat waits with it).
  const consumer = kafka.consumer({ groupId, sessionTimeout: 120_000, maxWaitTimeInMs: 250, allowAutoTopicCreation: false });
  const next = new Map([...wanted].map(([partition, range]) => [partition, range.from]));
  let finish;
  let fail;
  const finished = new Promise((resolve, reject) => ([finish, fail] = [resolve, reject]));
  try {
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch, heartbeat }) => {
        const range = wanted.get(batch.partition);
        if (!range) return;
        try {
          for (const message of batch.messages) {
            const offset = BigInt(message.offset);
            // After a rebalance the group starts over (nothing is committed): what was read is skipped.
            if (offset < next.get(batch.partition)) continue;
            if (offset >= range.to) break;
            await onRecord(batch.partition, message, heartbeat);
            next.set(batch.partition, offset + 1n);
          }
          if ([...wanted].every(([partition, { to }]) => next.get(partition) >= to)) finish();
        } catch (error) {
          fail(error);
        }
      },
    });
    for (const [partition, range] of wanted) consumer.seek({ topic, partition, offset: String(range.from) });
    const others = (await admin.fetchTopicOffsets(topic)).map(({ partition }) => partition).filter((partition) => !wanted.has(partition));
    if (others.length > 0) consumer.pause([{ topic, partitions: others }]);
    await finished;
  } finally {
    await consumer.disconnect();
    await admin.deleteGroups([groupId]).catch(() => undefined);
  }
}

const when = (ms) => new Date(ms).toISOString();

function describe(entry) {
  const notes = [
    entry.startsAt > 0
      ? `its first ${entry.startsAt} bytes are gone from the archive (retention): it starts without its Initiation and Peer Ups`
      : '',
    entry.missingBytes > 0 ? `${entry.missingBytes} bytes missing between its records (dropped by the collector)` : '',
    entry.unframed ? 'ends with bytes the collector could not frame (they closed the connection)' : '',
  ].filter(Boolean);
  return (
    `${entry.connection} router ${entry.router}: ${when(entry.firstReceivedAt)} .. ${when(entry.lastReceivedAt)}, ` +
    `${entry.bytes} bytes, ${entry.messages} messages in ${entry.records} records, ${entry.closed ? 'closed' : 'open at the end'}` +
    (notes.length > 0 ? ` (${notes.join('; ')})` : '')
  );
}

async function main() {
  await admin.connect();
  try {
    if (!(await admin.listTopics()).includes(topic)) throw new Error(`no topic ${topic}: is RB_BMP_ARCHIVE on in the collector?`);
    const bounds = await admin.fetchTopicOffsets(topic);
    // One router's records are all on its key's partition (the producer's partitioner, murmur2).
    const only = selection.router === undefined ? null : KafkaGateway.partitionOf(selection.router, bounds.length);
    const index = new ArchiveIndex(selection);
    await scan(
      new Map(
        bounds
          .filter(({ partition }) => only === null || partition === only)
          .map(({ partition, low, high }) => [partition, { from: BigInt(low), to: BigInt(high) }]),
      ),
      (partition, message) => {
        const meta = archivedRecordMeta(partition, message);
        if (meta) index.add(meta);
      },
    );
    const selected = index.selected();
    const range = `${selection.from === undefined ? 'the start' : when(selection.from)} .. ${when(selection.to)}`;
    if (action === 'list') {
      say(`${selected.length} connection(s) with records in ${range}${selected.length > 0 ? ':' : ''}`);
      for (const entry of selected) say(`  ${describe(entry)}`);
      return 0;
    }
    if (selected.length === 0) {
      complain(`nothing in ${topic} matches (${range})`);
      return 1;
    }
    if (action === 'out' && selected.length > 1) {
      complain(`--out writes one connection; ${selected.length} match, choose one with --connection:`);
      for (const entry of selected) complain(`  ${describe(entry)}`);
      return 2;
    }
    for (const entry of selected) say(`replaying ${describe(entry)}`);
    return await replay(selected);
  } finally {
    await admin.disconnect();
  }
}

/** The second pass: the selected connections' records, in partition order, to the collector or the file. */
async function replay(selected) {
  const ranges = new Map();
  for (const entry of selected) {
    const range = ranges.get(entry.partition) ?? { from: entry.firstOffset, to: entry.lastOffset + 1n };
    if (entry.firstOffset < range.from) range.from = entry.firstOffset;
    if (entry.lastOffset + 1n > range.to) range.to = entry.lastOffset + 1n;
    ranges.set(entry.partition, range);
  }
  const cursor = new ReplayCursor(selected);
  const sockets = new Map();
  const sent = new Map();
  const file = action === 'out' ? openSync(args.out, 'w') : null;
  try {
    await scan(ranges, async (partition, message, heartbeat) => {
      const meta = archivedRecordMeta(partition, message);
      const entry = meta && cursor.take(meta);
      if (!entry) return;
      sent.set(entry.connection, (sent.get(entry.connection) ?? 0) + meta.bytes);
      if (file !== null) {
        if (message.value?.length) writeSync(file, message.value);
        return;
      }
      let socket = sockets.get(entry.connection);
      if (socket === undefined) sockets.set(entry.connection, (socket = await connectLike(entry)));
      if (meta.kind === 'closed') return void socket.end();
      if (!message.value?.length) return;
      if (!socket.write(message.value)) {
        // The collector reads slower than Kafka gives: wait, as a router's TCP would.
        while (!(await drained(socket, 5000))) await heartbeat();
      }
    });
  } finally {
    if (file !== null) closeSync(file);
  }
  for (const entry of selected)
    say(`${entry.connection}: ${sent.get(entry.connection) ?? 0} bytes ${file !== null ? `written to ${args.out}` : 'sent'}`);
  if (file !== null) return 0;
  const held = [...sockets.values()].filter((socket) => !socket.writableEnded);
  if (held.length === 0 || args.close) {
    await Promise.all([...sockets.values()].map((socket) => closed(socket)));
    say('done');
    return 0;
  }
  await admin.disconnect();
  say(`holding ${held.length} connection(s) open, as they were at ${when(selection.to)}; SIGINT or SIGTERM closes them`);
  await new Promise((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  for (const socket of sockets.values()) socket.destroy();
  say('closed');
  return 0;
}

/** A connection to the collector, as the router's was. */
function connectLike(entry) {
  return new Promise((resolve, reject) => {
    const socket = connect(target.port, target.host);
    socket.setNoDelay(true);
    socket.once('connect', () => {
      socket.off('error', reject);
      socket.on('error', (error) => {
        complain(`${entry.connection}: the collector's connection failed: ${error.message}`);
        process.exit(1);
      });
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

function drained(socket, ms) {
  return new Promise((resolve) => {
    const timer = setTimeout(() => done(false), ms);
    const done = (value) => {
      clearTimeout(timer);
      socket.off('drain', onDrain);
      resolve(value);
    };
    const onDrain = () => done(true);
    socket.on('drain', onDrain);
  });
}

function closed(socket) {
  if (socket.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    socket.once('close', resolve);
    socket.end();
  });
}

main().then(
  (code) => process.exit(code),
  (error) => {
    complain(error.message);
    process.exit(1);
  },
);
