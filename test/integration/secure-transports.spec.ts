/**
 * Encrypted, authenticated transports (issue #23) against the real servers `scripts/test` starts:
 * Kafka's SASL_SSL listener (scripts/kafka: TLS with a test CA, SCRAM-SHA-512 user) and MariaDB
 * with TLS and a user that requires it (scripts/mysql). route-broker is configured only through
 * its RB_* variables, as in production; what the servers accept proves what was really used: the
 * secure listener refuses plaintext and unauthenticated clients, the REQUIRE SSL user refuses a
 * connection without TLS.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../../src/common/config/config.js';
import { dataSourceOptions } from '../../src/common/database/data-source-options.js';
import { createCloudEvent } from '../../src/common/kafka/cloud-event.js';
import { KafkaGateway, type IncomingEvent } from '../../src/common/kafka/kafka.gateway.js';
import { fetchTopicIdentities } from '../../src/common/kafka/topic-identity.js';
import { TOPICS } from '../../src/common/kafka/topics.js';
import { testConfig } from './support/environment.js';
import { until } from './support/until.js';

/** Where scripts/kafka keeps its state (the test CA under tls/), and its SASL_SSL listener and user. */
const KAFKA_HOME = process.env.RB_KAFKA_HOME!; // scripts/test-env
const KAFKA_CA_FILE = join(KAFKA_HOME, 'tls', 'ca.pem');
const SECURE_BROKER = `127.0.0.1:${process.env.RB_KAFKA_SECURE_PORT ?? Number(process.env.RB_KAFKA_PORT) + 2}`;
const SCRAM_USER = process.env.RB_KAFKA_SCRAM_USER ?? 'route-broker';
const SCRAM_PASSWORD = process.env.RB_KAFKA_SCRAM_PASSWORD ?? 'route-broker-lab';
/** scripts/mysql's user that the server accepts over TLS only. */
const TLS_ONLY_USER = { RB_DB_USER: 'route_broker_tls', RB_DB_PASSWORD: 'route_broker_tls' };

/** The variables an operator sets for a cluster with SASL_SSL and SCRAM-SHA-512. */
function secureKafkaEnv(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    RB_KAFKA_BROKERS: SECURE_BROKER,
    RB_KAFKA_SSL: 'true',
    RB_KAFKA_SSL_CA_FILE: KAFKA_CA_FILE,
    RB_KAFKA_SASL_MECHANISM: 'scram-sha-512',
    RB_KAFKA_SASL_USERNAME: SCRAM_USER,
    RB_KAFKA_SASL_PASSWORD: SCRAM_PASSWORD,
    ...overrides,
  };
}

const gateways: KafkaGateway[] = [];
function gatewayFor(config: AppConfig): KafkaGateway {
  const gateway = new KafkaGateway({ ...config.kafka, instanceId: 'secure-transports-spec' });
  gateways.push(gateway);
  return gateway;
}

/** How a start-up that must fail fails: its error and how long it took. */
async function failureOf(attempt: Promise<unknown>): Promise<{ message: string; ms: number }> {
  const started = Date.now();
  try {
    await attempt;
  } catch (error) {
    const { message, originalError } = error as Error & { originalError?: Error };
    // kafkajs' "retries exceeded" error carries the cause in originalError.
    return { message: originalError ? `${message}: ${originalError.message}` : message, ms: Date.now() - started };
  }
  throw new Error('expected a failure, but it succeeded');
}

/** A CA of its own, which signed neither server's certificate. */
let otherCaDir: string;
let otherCaFile: string;

beforeAll(() => {
  if (!existsSync(KAFKA_CA_FILE)) {
    throw new Error(
      `no ${KAFKA_CA_FILE}: the local Kafka has no SASL_SSL listener (one started by an older scripts/kafka): scripts/kafka down && scripts/kafka up`,
    );
  }
  otherCaDir = mkdtempSync(join(tmpdir(), 'rb-other-ca-'));
  otherCaFile = join(otherCaDir, 'ca.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=not the route-broker test CA',
      '-keyout',
      join(otherCaDir, 'ca.key'),
      '-out',
      otherCaFile,
    ],
    { stdio: 'ignore' },
  );
});

afterAll(async () => {
  await Promise.all(gateways.map((gateway) => gateway.onApplicationShutdown().catch(() => undefined)));
  rmSync(otherCaDir, { recursive: true, force: true });
});

describe('Kafka over SASL_SSL with SCRAM-SHA-512', () => {
  const topic = `test.secure-transports.${randomUUID().slice(0, 8)}.v1`;
  const spec = { name: topic, key: 'test', eventTypes: ['net.route-broker.test.v1'], compacted: false };

  it('is a listener that refuses a client without TLS, or without SASL', async () => {
    const admin = new Kafka({
      clientId: 'secure-transports-plaintext',
      brokers: [SECURE_BROKER],
      logLevel: logLevel.NOTHING,
      connectionTimeout: 2000,
      requestTimeout: 3000,
      retry: { retries: 0 },
    }).admin();
    await expect(admin.connect().then(() => admin.listTopics())).rejects.toThrow();
    await admin.disconnect();
    // TLS without SASL: the broker closes the connection at the first request.
    const withoutSasl = { ...testConfig(secureKafkaEnv()).kafka, sasl: null };
    await expect(fetchTopicIdentities(withoutSasl, [TOPICS.routeEvents.name])).rejects.toThrow(/no broker answered/);
  });

  it('sends and consumes CloudEvents, and learns the topic ID, with TLS verified and SCRAM credentials', async () => {
    const gateway = gatewayFor(testConfig(secureKafkaEnv()));
    await gateway.onModuleInit();
    await gateway.ensureTopics([spec]);

    const received: IncomingEvent[] = [];
    await gateway.startConsumer({
      groupId: `secure-transports-${randomUUID()}`,
      topics: [topic],
      fromBeginning: true,
      handleBatch: (events) => {
        received.push(...events);
        return Promise.resolve();
      },
    });
    const events = Array.from({ length: 5 }, (_, index) =>
      createCloudEvent({ type: 'net.route-broker.test.v1', source: 'secure-transports-spec', data: { index } }),
    );
    await gateway.publish(
      topic,
      events.map((event) => ({ key: 'session-a', event })),
    );
    await until('the events back from the SASL_SSL listener', () => (received.length >= events.length ? true : undefined), 30000);
    expect(received.map((incoming) => incoming.event.id)).toEqual(events.map((event) => event.id));

    // The topic-ID request goes over its own connection: it authenticates too, or gets no answer.
    const topicId = await gateway.topicId(topic);
    expect(topicId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const [identity] = await fetchTopicIdentities(testConfig(secureKafkaEnv()).kafka, [topic]);
    expect(identity).toEqual({ topic, id: topicId, errorCode: 0 });
    // The plaintext listener (RB_KAFKA_BROKERS) is the same broker: the same ID, and plaintext still works.
    expect(await fetchTopicIdentities(testConfig().kafka, [topic])).toEqual([{ topic, id: topicId, errorCode: 0 }]);
  }, 90000);

  it('refuses a wrong password at once, with the reason', async () => {
    const config = testConfig(secureKafkaEnv({ RB_KAFKA_SASL_PASSWORD: 'not-the-password' }));
    const start = await failureOf(gatewayFor(config).onModuleInit());
    expect(start.message).toMatch(/SASL SCRAM SHA512 authentication failed/i);
    expect(start.ms).toBeLessThan(10000);

    const identities = await failureOf(fetchTopicIdentities(config.kafka, [topic]));
    expect(identities.message).toMatch(/authentication failed/i);
  }, 30000);

  it('refuses a broker whose certificate the configured CA did not sign', async () => {
    const config = testConfig(secureKafkaEnv({ RB_KAFKA_SSL_CA_FILE: otherCaFile }));
    // kafkajs retries connection errors (about 20 s with the gateway's retry settings) before it gives up.
    const start = await failureOf(gatewayFor(config).onModuleInit());
    expect(start.message).toMatch(/certificate/i);

    const identities = await failureOf(fetchTopicIdentities(config.kafka, [topic]));
    expect(identities.message).toMatch(/certificate/i);
  }, 60000);
});

describe('MySQL over TLS', () => {
  /** The CA the local server's certificate comes from, as the server itself says (scripts/mysql set it). */
  let serverCaFile: string;
  const opened: DataSource[] = [];

  async function open(overrides: Record<string, string>): Promise<DataSource> {
    const dataSource = new DataSource(dataSourceOptions(testConfig(overrides).database));
    await dataSource.initialize();
    opened.push(dataSource);
    return dataSource;
  }

  async function cipherOf(dataSource: DataSource): Promise<string> {
    const [row] = await dataSource.query<{ Value: string }[]>("SHOW STATUS LIKE 'Ssl_cipher'");
    return row?.Value ?? '';
  }

  beforeAll(async () => {
    const plain = await open({});
    const [row] = await plain.query<{ haveSsl: string; ca: string | null }[]>('SELECT @@have_ssl AS haveSsl, @@ssl_ca AS ca');
    if (row?.haveSsl !== 'YES' || !row.ca) throw new Error('TLS is off on the test MariaDB: run scripts/mysql up');
    serverCaFile = row.ca;
  });

  afterAll(async () => {
    await Promise.all(opened.map((dataSource) => dataSource.destroy()));
  });

  it('stays plaintext unless RB_DB_SSL is set', async () => {
    expect(await cipherOf(await open({}))).toBe('');
  });

  it('encrypts the data source connections with RB_DB_SSL, verifying the server against the CA', async () => {
    const dataSource = await open({ RB_DB_SSL: 'true', RB_DB_SSL_CA_FILE: serverCaFile });
    expect(await cipherOf(dataSource)).not.toBe('');
  });

  it('lets a REQUIRE SSL user in over TLS only', async () => {
    const refused = await failureOf(open(TLS_ONLY_USER));
    expect(refused.message).toMatch(/Access denied for user 'route_broker_tls'/);
    const dataSource = await open({ ...TLS_ONLY_USER, RB_DB_SSL: 'true', RB_DB_SSL_CA_FILE: serverCaFile });
    expect(await cipherOf(dataSource)).not.toBe('');
  });

  it('refuses a server whose certificate the configured CA did not sign', async () => {
    const refused = await failureOf(open({ RB_DB_SSL: 'true', RB_DB_SSL_CA_FILE: otherCaFile }));
    expect(refused.message).toMatch(/certificate/i);
  });
});
