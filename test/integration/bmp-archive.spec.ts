/**
 * The raw BMP archive end to end, on the real Kafka and MariaDB: a collector with RB_BMP_ARCHIVE on
 * receives a real FRR 8.4 BMP capture over TCP, and the archive topic then holds exactly those bytes,
 * whole messages per record, under the router's name; scripts/bmp-replay, given a range that starts
 * in the middle of the connection, replays it from the connection's first byte into a second
 * collector on a fresh database, which then publishes the same route and session events as the
 * first; and a collector whose archive cannot keep up drops archive records, never route events.
 *
 * The capture's prefixes are documentation prefixes, which BRM refuses as bogons, and two BRMs on the
 * one route-events topic would read each other's events: the collectors' own events are compared,
 * the state BRM builds its tables from.
 */
import type { INestApplication } from '@nestjs/common';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel, type Consumer, type KafkaMessage } from 'kafkajs';
import mysql from 'mysql2/promise';
import { DataSource } from 'typeorm';
import { ROUTE_ANNOUNCED, unbatched, type RouteAnnouncedData } from '../../src/common/events/bgp-events.js';
import { dataSourceOptions } from '../../src/common/database/data-source-options.js';
import { parseCloudEvent } from '../../src/common/kafka/cloud-event.js';
import { KafkaGateway } from '../../src/common/kafka/kafka.gateway.js';
import { BMP_ARCHIVE_TOPIC, TOPICS } from '../../src/common/kafka/topics.js';
import { createApp } from '../../src/bootstrap.js';
import { BmpStreamDecoder } from '../../src/frr-server/bmp/bmp-stream-decoder.js';
import { encodeBmpMessage } from '../../src/frr-server/bmp/bmp-encode.js';
import type { RouteMonitoringMessage } from '../../src/frr-server/bmp/bmp-types.js';
import { ARCHIVE_HEADERS, BmpArchive, bmpArchiveDroppedBytes, type ArchiveSink } from '../../src/frr-server/collector/bmp-archive.js';
import { BmpCollectorService } from '../../src/frr-server/collector/bmp-collector.service.js';
import * as samples from '../fixtures/bmp/sample-messages.js';
import { startTestApp } from './support/app.js';
import { testConfig } from './support/environment.js';
import { follow as followTopics, type TakeMessage } from './support/consumer-groups.js';
import { until } from './support/until.js';
import { freePort } from './support/ports.js';

const REPO = new URL('../../', import.meta.url).pathname;
/** A real FRR 8.4.4 BMP stream (test/fixtures/bmp/record-frr.sh): 55 messages, sysName bmprec-host. */
const CAPTURE = readFileSync(new URL('../fixtures/bmp/frr-8.4-basic.bin', import.meta.url));
const SYS_NAME = 'bmprec-host';
const run = randomUUID().slice(0, 8);
/** The two collectors' instance ids: each one's events carry it in their source, each one's connections in `<run>/<n>`. */
const ORIGINAL = `archive-a-${run}`;
const REPLAYED = `archive-b-${run}`;
const config = testConfig();
const brokers = config.kafka.brokers.join(',');
/** The replay target's own database, derived from the test database's name, made by the admin user (as scripts/mysql does). */
const REPLAY_DB = `${config.database.name}_replay`.slice(0, 64);

interface SeenEvent {
  topic: string;
  key: string | null;
  source: string;
  type: string;
  data: unknown;
}

interface ArchivedRecord {
  partition: number;
  message: KafkaMessage;
}

/** An empty database `name` the app user may use (created by the admin user if need be, like scripts/mysql). */
async function freshDatabase(name: string): Promise<void> {
  const { host, port, user } = config.database;
  const admin = await mysql.createConnection({
    host,
    port,
    user: process.env.RB_DB_ADMIN_USER ?? 'root',
    password: process.env.RB_DB_ADMIN_PASSWORD,
  });
  try {
    await admin.query(`CREATE DATABASE IF NOT EXISTS \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
    for (const from of ['localhost', '127.0.0.1']) await admin.query(`GRANT ALL PRIVILEGES ON \`${name}\`.* TO ?@?`, [user, from]);
  } finally {
    await admin.end();
  }
  const dataSource = await new DataSource(dataSourceOptions({ ...config.database, name })).initialize();
  try {
    const tables: { name: string }[] = await dataSource.query(
      'SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()',
    );
    await dataSource.query('SET FOREIGN_KEY_CHECKS = 0');
    for (const table of tables) await dataSource.query(`DROP TABLE \`${table.name}\``);
    await dataSource.query('SET FOREIGN_KEY_CHECKS = 1');
  } finally {
    await dataSource.destroy();
  }
}

/** scripts/bmp-replay with `args`: its output as it comes, and its exit. */
function bmpReplay(args: string[]): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn(join(REPO, 'scripts/bmp-replay'), ['--brokers', brokers, ...args], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

const header = (message: KafkaMessage, name: string) => message.headers?.[name]?.toString() ?? '';

/** An event's data without what differs between two collectors reading the same bytes: read times and the connection. */
function sameAcrossCollectors(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sameAcrossCollectors);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([name]) => name !== 'connection' && !name.endsWith('At'))
      .map(([name, field]) => [name, sameAcrossCollectors(field)]),
  );
}

/** A collector's events, per topic and key (the order Kafka keeps), comparable with another's. */
function eventsByKey(events: readonly SeenEvent[], instance: string): Record<string, unknown[]> {
  const byKey: Record<string, unknown[]> = {};
  for (const event of events) {
    if (event.source !== `route-broker/${instance}/frr-server`) continue;
    (byKey[`${event.topic} ${event.key}`] ??= []).push({ type: event.type, data: sameAcrossCollectors(event.data) });
  }
  return byKey;
}

const countOf = (byKey: Record<string, unknown[]>) => Object.values(byKey).reduce((sum, events) => sum + events.length, 0);

describe('the raw BMP archive and its replay', () => {
  const kafka = new Kafka({ clientId: 'bmp-archive-spec', brokers: [...config.kafka.brokers], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  const consumers: Consumer[] = [];
  const events: SeenEvent[] = [];
  const archived: ArchivedRecord[] = [];
  const started = Date.now();
  let original: INestApplication | undefined;
  let replayed: INestApplication | undefined;
  let router: Socket | undefined;
  const replays: ChildProcess[] = [];

  /** Reads `topics` from their ends as they are now (from the start when a topic does not exist yet). */
  async function follow(topics: string[], take: TakeMessage): Promise<void> {
    consumers.push(await followTopics(kafka, `bmp-archive-spec-${randomUUID()}`, topics, take, { endsNow: admin }));
  }

  /** The original collector's archive records of this suite's connection from `SYS_NAME`. */
  const originalRecords = () =>
    archived.filter(
      ({ message }) => message.key?.toString() === SYS_NAME && header(message, ARCHIVE_HEADERS.connection).startsWith(`${ORIGINAL}.`),
    );

  beforeAll(async () => {
    await admin.connect();
    const originalPort = await freePort();
    // The original collector first: it creates the archive topic, whose end is then where this suite's records begin.
    // Its connection's records are told from others' by its instance id.
    original = await startTestApp({
      RB_ROLES: 'frr-server',
      RB_INSTANCE_ID: ORIGINAL,
      RB_BMP_HOST: '127.0.0.1',
      RB_BMP_PORT: String(originalPort),
      RB_BMP_ARCHIVE: 'true',
    });
    await follow([TOPICS.routeEvents.name, TOPICS.sessionEvents.name], (topic, _partition, message) => {
      const parsed = parseCloudEvent(message.value);
      if (!parsed.ok || !parsed.event.source.includes('/archive-')) return;
      for (const { type, data } of unbatched(parsed.event))
        events.push({ topic, key: message.key?.toString() ?? null, source: parsed.event.source, type, data });
    });
    // The collector creates the archive topic in the background.
    await until('the archive topic', async () => ((await admin.listTopics()).includes(BMP_ARCHIVE_TOPIC.name) ? true : undefined));
    await follow([BMP_ARCHIVE_TOPIC.name], (_topic, partition, message) => void archived.push({ partition, message }));
    router = connect(originalPort, '127.0.0.1');
    await new Promise<void>((resolve) => router!.once('connect', () => resolve()));
  }, 120000);

  afterAll(async () => {
    for (const child of replays) child.kill('SIGKILL');
    router?.destroy();
    await Promise.allSettled(consumers.map((consumer) => consumer.disconnect()));
    await admin.disconnect();
    await replayed?.close();
    await original?.close();
  }, 60000);

  it('holds exactly the bytes the router sent, whole BMP messages per record, under the router’s name', async () => {
    // As a router's TCP delivers it: reads that end inside messages, and pauses longer than a record waits.
    for (let start = 0; start < CAPTURE.length; start += 1000) {
      router!.write(CAPTURE.subarray(start, start + 1000));
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    await until('the whole capture in the archive', () =>
      originalRecords().reduce((sum, { message }) => sum + (message.value?.length ?? 0), 0) >= CAPTURE.length ? true : undefined,
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    const records = originalRecords();
    expect(Buffer.concat(records.map(({ message }) => message.value!))).toEqual(CAPTURE);
    expect(records.length).toBeGreaterThan(3);
    expect(new Set(records.map(({ partition }) => partition)).size).toBe(1);
    expect(new Set(records.map(({ message }) => header(message, ARCHIVE_HEADERS.connection))).size).toBe(1);
    let offset = 0;
    let messages = 0;
    for (const { message } of records) {
      expect(header(message, ARCHIVE_HEADERS.streamOffset)).toBe(String(offset));
      expect(header(message, ARCHIVE_HEADERS.kind)).toBe('messages');
      const receivedAt = Date.parse(header(message, ARCHIVE_HEADERS.receivedAt));
      expect(receivedAt).toBeGreaterThanOrEqual(started);
      expect(receivedAt).toBeLessThanOrEqual(Date.now());
      expect(message.timestamp).toBe(String(receivedAt));
      // Whole messages: each record decodes alone into as many messages as it says.
      const decoder = new BmpStreamDecoder();
      expect(decoder.push(message.value!)).toHaveLength(Number(header(message, ARCHIVE_HEADERS.messages)));
      expect(() => decoder.end()).not.toThrow();
      offset += message.value!.length;
      messages += Number(header(message, ARCHIVE_HEADERS.messages));
    }
    expect(messages).toBe(55);
  }, 60000);

  it('writes one archived connection to a file that is the capture', async () => {
    const connection = header(originalRecords()[0]!.message, ARCHIVE_HEADERS.connection);
    const file = join(tmpdir(), `bmp-archive-spec-${run}.bin`);
    try {
      const replay = bmpReplay(['--connection', connection, '--from', new Date(started).toISOString(), '--out', file]);
      replays.push(replay.child);
      expect(await replay.exited).toBe(0);
      expect(readFileSync(file)).toEqual(CAPTURE);
    } finally {
      rmSync(file, { force: true });
    }
  }, 60000);

  it('replayed from the middle of the connection into another collector, rebuilds the same state: the same route and session events', async () => {
    const expected = await until('the original collector’s events to settle', async () => {
      const before = countOf(eventsByKey(events, ORIGINAL));
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const now = eventsByKey(events, ORIGINAL);
      return before > 0 && countOf(now) === before ? now : undefined;
    });
    expect(Object.keys(expected)).toEqual(expect.arrayContaining([`${TOPICS.sessionEvents.name} ${SYS_NAME}|fd00:201::1|4200000001`]));

    await freshDatabase(REPLAY_DB);
    const replayPort = await freePort();
    replayed = await createApp(
      testConfig({
        RB_ROLES: 'frr-server',
        RB_DB_NAME: REPLAY_DB,
        RB_INSTANCE_ID: REPLAYED,
        RB_BMP_HOST: '127.0.0.1',
        RB_BMP_PORT: String(replayPort),
      }),
    );
    await replayed.init();
    // From the last record's time: the replay must begin at the connection's first record all the same.
    const records = originalRecords();
    const from = header(records[records.length - 1]!.message, ARCHIVE_HEADERS.receivedAt);
    expect(Date.parse(from)).toBeGreaterThan(Date.parse(header(records[0]!.message, ARCHIVE_HEADERS.receivedAt)));
    const replay = bmpReplay(['--router', SYS_NAME, '--from', from, '--to-collector', `127.0.0.1:${replayPort}`]);
    replays.push(replay.child);
    await until(
      'the replay to hold its connection open',
      () => (/holding 1 connection\(s\) open/.test(replay.output()) ? true : undefined),
      60000,
    );
    expect(replay.output()).toContain(`: ${CAPTURE.length} bytes sent`);

    const got = await until(
      'the replayed collector’s events',
      () => {
        const byKey = eventsByKey(events, REPLAYED);
        return countOf(byKey) >= countOf(expected) ? byKey : undefined;
      },
      30000,
    );
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(eventsByKey(events, REPLAYED)).toEqual(got);
    expect(got).toEqual(expected);

    replay.child.kill('SIGTERM');
    expect(await replay.exited).toBe(0);
    expect(replay.output()).toMatch(/bmp-replay: closed/);
  }, 120000);

  it('drops archive records when Kafka cannot take them, and still publishes every route event', async () => {
    const sysName = `archive-full-${run}`;
    const routes = 2000;
    const seen = new Map<string, number>();
    await follow([TOPICS.routeEvents.name], (_topic, _partition, message) => {
      const parsed = parseCloudEvent(message.value);
      for (const event of parsed.ok ? unbatched(parsed.event) : []) {
        const data = event.data as RouteAnnouncedData;
        if (event.type === ROUTE_ANNOUNCED && data.session.router === sysName)
          for (const { prefix } of data.prefixes) seen.set(prefix, (seen.get(prefix) ?? 0) + 1);
      }
    });
    // An archive whose Kafka never answers, with room for a few records.
    const stalled: ArchiveSink = { write: () => new Promise<void>(() => undefined), close: () => Promise.resolve() };
    const archive = new BmpArchive(stalled, {
      logger: { log: () => undefined, warn: () => undefined },
      maxMessageLength: 1 << 20,
      bufferBytes: 32 * 1024,
      recordBytes: 4096,
    });
    const droppedBefore = (await bmpArchiveDroppedBytes.get()).values.find((value) => value.labels.reason === 'buffer-full')?.value ?? 0;
    const collectorConfig = testConfig({
      RB_INSTANCE_ID: `archive-c-${run}`,
      RB_BMP_HOST: '127.0.0.1',
      RB_BMP_PORT: String(await freePort()),
    });
    const gateway = new KafkaGateway({ ...collectorConfig.kafka, instanceId: collectorConfig.instanceId });
    await gateway.onModuleInit();
    const dataSource = await new DataSource(dataSourceOptions(collectorConfig.database)).initialize();
    const collector = new BmpCollectorService(collectorConfig, gateway, dataSource, archive);
    await collector.onApplicationBootstrap();
    const speaker = connect(collector.port, '127.0.0.1');
    try {
      await new Promise<void>((resolve) => speaker.once('connect', () => resolve()));
      speaker.write(encodeBmpMessage({ kind: 'initiation', information: [{ type: 2, value: Buffer.from(sysName), text: sysName }] }));
      speaker.write(encodeBmpMessage(samples.peerUp));
      for (let index = 0; index < routes; index++) {
        const message: RouteMonitoringMessage = {
          ...samples.routeMonitoringIpv4,
          update: {
            ...samples.routeMonitoringIpv4.update,
            withdrawnRoutes: [],
            routes: [{ prefix: `10.${index >> 8}.${index & 255}.0/24` }],
          },
        };
        speaker.write(encodeBmpMessage(message));
      }
      await until('every route on Kafka', () => (seen.size >= routes ? true : undefined), 30000);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(seen.size).toBe(routes);
      expect([...seen.values()].every((count) => count === 1)).toBe(true);
      const dropped =
        ((await bmpArchiveDroppedBytes.get()).values.find((value) => value.labels.reason === 'buffer-full')?.value ?? 0) - droppedBefore;
      expect(dropped).toBeGreaterThan(0);
      expect(archive.bufferedBytes).toBeLessThanOrEqual(32 * 1024);
    } finally {
      speaker.destroy();
      // Its Kafka never answers: no need to give it the shutdown's 5 s.
      await archive.stop(100);
      await collector.onApplicationShutdown();
      await gateway.onApplicationShutdown();
      await dataSource.destroy();
    }
  }, 90000);
});
