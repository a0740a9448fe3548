/**
 * Configuration is read once from the environment and validated before anything starts.
 * A wrong or missing value stops the process with a message naming the variable; every
 * variable and its default is listed in docs/configuration.md.
 */
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { availableParallelism } from 'node:os';
import { duplicateTokenProblems, parseTokenEntries, type NamedToken } from '../http/api-tokens.js';
import { parsePrefix } from '../inventory/addressing.js';

export const ROLES = ['frr-server', 'brm', 'hrm', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/**
 * TLS towards a server (a Kafka broker, the database): PEM text read from the configured files at
 * start-up. `ca` null trusts the system's CAs; `cert` and `key` (both or neither) are the client's
 * own certificate for servers that ask for one (mutual TLS).
 */
export interface TlsSettings {
  ca: string | null;
  cert: string | null;
  key: string | null;
  /** Refuse a server whose certificate does not chain to `ca` or does not name the host connected to. */
  verifyServer: boolean;
}

export const KAFKA_SASL_MECHANISMS = ['scram-sha-512', 'scram-sha-256', 'plain'] as const;
export type KafkaSaslMechanism = (typeof KAFKA_SASL_MECHANISMS)[number];

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';
const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'];

export interface AppConfig {
  roles: ReadonlySet<Role>;
  instanceId: string;
  logLevel: LogLevel;
  http: { host: string; port: number; shutdownTimeoutMs: number };
  /** Every API token with its name (who the audit trail says acted) and role; names and tokens unique. */
  auth: { tokens: readonly NamedToken[] };
  /** Audit records older than this many days are deleted (admin role, hourly); 0: kept for ever. */
  audit: { retentionDays: number };
  database: {
    host: string;
    port: number;
    user: string;
    password: string;
    name: string;
    migrationsRun: boolean;
    poolSize: number;
    /** null: plaintext. */
    tls: TlsSettings | null;
  };
  kafka: {
    brokers: readonly string[];
    clientId: string;
    topicPartitions: number;
    replicationFactor: number;
    /**
     * min.insync.replicas of the topics route-broker creates (with acks=all, how many replicas must
     * have a write before it is acknowledged); null: the brokers' default.
     */
    minInsyncReplicas: number | null;
    connectionTimeoutMs: number;
    /** null: plaintext. */
    tls: TlsSettings | null;
    /** null: no authentication. The password is a secret (never logged). */
    sasl: { mechanism: KafkaSaslMechanism; username: string; password: string } | null;
  };
  interconnectRegions: readonly string[];
  bmp: {
    host: string;
    port: number;
    maxMessageBytes: number;
    publishRetryMaxMs: number;
    connectAddress: string | null;
    /** Worker threads that decode the routers' streams. */
    readWorkers: number;
    /** How often the collector tells the database it is alive (BRM watches it: `brm.collectorLostAfterSeconds`). */
    heartbeatSeconds: number;
    /**
     * The raw BMP archive (docs/bmp.md): each router's bytes as received, on their own topic, so
     * that a stretch of production can be replayed into another build. Best effort: never at the
     * route events' expense. `retentionHours` is applied when the collector creates the topic.
     */
    archive: { enabled: boolean; retentionHours: number };
  };
  apply: {
    /** The private key route-broker logs in to hosts with; checked when an apply is requested, not at start-up. */
    sshPrivateKeyFile: string | null;
    maxConcurrentHosts: number;
    establishTimeoutMs: number;
    sshConnectTimeoutMs: number;
    sshCommandTimeoutMs: number;
    /** Remote directory (on each host) for the staged config files. */
    stagingDir: string;
  };
  drift: {
    /** Seconds between two drift rounds over every host with a pinned key; 0: no periodic round. */
    intervalSeconds: number;
    maxConcurrentHosts: number;
    /** One host's whole check (connect and every command); past it the check fails as a timeout. */
    hostTimeoutMs: number;
  };
  brm: {
    /** Kafka consumer group of every BRM instance (they share the partitions). */
    consumerGroup: string;
    /** Equal best paths installed at once (ECMP across tunnels); 1 = a single active next hop. */
    ecmpWidth: number;
    /**
     * A collector run silent for longer is lost: BRM says the sessions it reported down for it
     * (kept stale under graceful restart, then withdrawn). Several heartbeats long, so that a slow
     * database does not make a live collector look dead.
     */
    collectorLostAfterSeconds: number;
  };
  /**
   * The platform's import policy: what every session's policy (bgp_sessions.import_policy) starts
   * from, enforced alike on the hosts (rendered prefix-lists) and in BRM.
   */
  policy: {
    /** Platform ranges no customer may announce into a VPC (CIDRs), besides the bogons. */
    reservedRanges: readonly string[];
    /** Prefix lengths a session accepts unless its own policy says otherwise. */
    prefixLength: { ipv4: { min: number; max: number }; ipv6: { min: number; max: number } };
  };
  hrm: {
    /** Kafka consumer group of every HRM instance (they share the VPCs by partition). */
    consumerGroup: string;
    /** Changes a subscriber may have waiting before it is resynchronised with a snapshot instead. */
    maxQueuedChanges: number;
    /** Changes per delta request (queued deltas are merged up to this). */
    maxChangesPerRequest: number;
    /** Routes per snapshot page. */
    snapshotPageSize: number;
    /** Snapshots read at once (each holds one database connection while its pages are delivered). */
    maxConcurrentSnapshots: number;
    /** One delivery request; past it the request counts as failed and is retried. */
    requestTimeoutMs: number;
    retryBaseMs: number;
    retryMaxMs: number;
    /** Whole snapshot (every page); past it the snapshot is abandoned and started again later. */
    snapshotTimeoutMs: number;
    /** Recent changes kept per streamed VPC, so an SSE client that reconnects gets only what it missed. */
    sseReplayChanges: number;
  };
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

/** Collects every problem instead of stopping at the first, so one start-up shows them all. */
class EnvReader {
  readonly problems: string[] = [];
  constructor(private readonly env: Env) {}

  raw(name: string): string | undefined {
    const value = this.env[name];
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  }

  string(name: string, fallback: string | undefined, pattern?: RegExp, expected?: string): string {
    const value = this.raw(name) ?? fallback;
    if (value === undefined) {
      this.problems.push(`${name} is required (${expected ?? 'a non-empty string'})`);
      return '';
    }
    if (pattern && !pattern.test(value)) {
      this.problems.push(`${name}=${JSON.stringify(value)} is invalid: expected ${expected ?? pattern.source}`);
    }
    return value;
  }

  /** A secret's value is never echoed back in an error message. */
  secret(name: string, fallback: string): string {
    return this.env[name] ?? fallback;
  }

  integer(name: string, fallback: number, min: number, max: number): number {
    const text = this.raw(name);
    if (text === undefined) return fallback;
    const value = Number(text);
    if (!/^-?\d+$/.test(text) || !Number.isSafeInteger(value) || value < min || value > max) {
      this.problems.push(`${name}=${JSON.stringify(text)} is invalid: expected an integer from ${min} to ${max}`);
      return fallback;
    }
    return value;
  }

  /** `MIN-MAX`, two prefix lengths 1..bits with MIN <= MAX. */
  lengthRange(name: string, fallback: string, bits: number): { min: number; max: number } {
    const text = this.raw(name) ?? fallback;
    const match = /^(\d{1,3})-(\d{1,3})$/.exec(text);
    const [min, max] = match ? [Number(match[1]), Number(match[2])] : [0, 0];
    if (!match || min < 1 || max > bits || min > max) {
      this.problems.push(`${name}=${JSON.stringify(text)} is invalid: expected MIN-MAX with 1 <= MIN <= MAX <= ${bits}`);
      const [fallbackMin, fallbackMax] = fallback.split('-').map(Number);
      return { min: fallbackMin!, max: fallbackMax! };
    }
    return { min, max };
  }

  boolean(name: string, fallback: boolean): boolean {
    const text = this.raw(name);
    if (text === undefined) return fallback;
    if (text === 'true' || text === '1') return true;
    if (text === 'false' || text === '0') return false;
    this.problems.push(`${name}=${JSON.stringify(text)} is invalid: expected true or false`);
    return fallback;
  }

  /**
   * The text of the file a variable names, read now so that a wrong path stops the start instead of
   * the first connection; null when the variable is not set. Only PEM files are read this way.
   */
  pemFile(name: string): string | null {
    const path = this.raw(name);
    if (path === undefined) return null;
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      this.problems.push(`${name}=${JSON.stringify(path)} cannot be read (${reason}): expected a readable PEM file`);
      return null;
    }
    if (!text.includes('-----BEGIN ')) {
      this.problems.push(`${name}=${JSON.stringify(path)} is invalid: expected a PEM file (no -----BEGIN line)`);
      return null;
    }
    return text;
  }

  /**
   * `<PREFIX>` (true/false) and its files `<PREFIX>_CA_FILE`, `_CERT_FILE`, `_KEY_FILE`, and
   * `<PREFIX>_VERIFY`. Files given while TLS is off are a problem: the connection would silently
   * stay plaintext.
   */
  tls(prefix: string): TlsSettings | null {
    const enabled = this.boolean(prefix, false);
    const fileNames = ['CA', 'CERT', 'KEY'].map((part) => `${prefix}_${part}_FILE`);
    if (!enabled) {
      const given = [...fileNames, `${prefix}_VERIFY`].filter((name) => this.raw(name) !== undefined);
      if (given.length > 0) this.problems.push(`${given.join(', ')} set but ${prefix} is not true: the connection would be plaintext`);
      return null;
    }
    const [ca, cert, key] = fileNames.map((name) => this.pemFile(name)) as [string | null, string | null, string | null];
    if ((this.raw(`${prefix}_CERT_FILE`) === undefined) !== (this.raw(`${prefix}_KEY_FILE`) === undefined)) {
      this.problems.push(`${prefix}_CERT_FILE and ${prefix}_KEY_FILE go together: expected both (mutual TLS) or neither`);
    }
    return { ca, cert, key, verifyServer: this.boolean(`${prefix}_VERIFY`, true) };
  }

  list(name: string, fallback: string): string[] {
    return (this.raw(name) ?? fallback)
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== '');
  }
}

const HOST_PORT = /^[A-Za-z0-9.-]+:\d{1,5}$|^\[[0-9A-Fa-f:.]+\]:\d{1,5}$/;
const REGION = /^[a-z][a-z0-9-]{1,31}$/;

export function loadConfig(env: Env = process.env): AppConfig {
  const read = new EnvReader(env);

  const roleNames = read.list('RB_ROLES', ROLES.join(','));
  const roles = new Set<Role>();
  for (const name of roleNames) {
    if ((ROLES as readonly string[]).includes(name)) roles.add(name as Role);
    else read.problems.push(`RB_ROLES contains ${JSON.stringify(name)}: expected a comma-separated subset of ${ROLES.join(', ')}`);
  }
  if (roleNames.length === 0) read.problems.push(`RB_ROLES is empty: expected a comma-separated subset of ${ROLES.join(', ')}`);

  const logLevel = read.string('RB_LOG_LEVEL', 'info', new RegExp(`^(${LOG_LEVELS.join('|')})$`), LOG_LEVELS.join(' | '));

  const httpHost = read.string('RB_HTTP_HOST', '0.0.0.0');
  if (isIP(httpHost) === 0 && httpHost !== 'localhost') {
    read.problems.push(`RB_HTTP_HOST=${JSON.stringify(httpHost)} is invalid: expected an IP address to listen on`);
  }

  const tokenLists = (
    [
      ['RB_API_OPERATOR_TOKENS', 'operator'],
      ['RB_API_READ_TOKENS', 'read'],
    ] as const
  ).map(([variable, role]) => {
    const parsed = parseTokenEntries(variable, role, read.list(variable, ''));
    read.problems.push(...parsed.problems);
    return parsed.tokens.map((token, index) => ({ ...token, variable, position: index + 1 }));
  });
  const apiTokens = tokenLists.flat();
  read.problems.push(...duplicateTokenProblems(apiTokens));
  if (roles.has('admin') && apiTokens.length === 0) {
    read.problems.push(
      'RB_API_OPERATOR_TOKENS (or RB_API_READ_TOKENS) is required when the admin role runs: the API has no anonymous access',
    );
  }

  const brokers = read.list('RB_KAFKA_BROKERS', '127.0.0.1:9092');
  brokers.forEach((broker) => {
    if (!HOST_PORT.test(broker)) read.problems.push(`RB_KAFKA_BROKERS contains ${JSON.stringify(broker)}: expected host:port`);
  });
  if (brokers.length === 0) read.problems.push('RB_KAFKA_BROKERS is empty: expected a comma-separated list of host:port');

  const problemsBefore = read.problems.length;
  const replicationFactor = read.integer('RB_KAFKA_REPLICATION_FACTOR', 1, 1, 10);
  // More than the replicas there are would refuse every acks=all write (NOT_ENOUGH_REPLICAS). Against
  // an invalid replication factor (already reported), only the range of a replication factor is checked.
  const insyncLimit = read.problems.length === problemsBefore ? replicationFactor : 10;
  const minInsyncText = read.raw('RB_KAFKA_MIN_INSYNC_REPLICAS');
  let minInsyncReplicas: number | null = null;
  if (minInsyncText !== undefined) {
    const value = Number(minInsyncText);
    if (/^\d+$/.test(minInsyncText) && value >= 1 && value <= insyncLimit) minInsyncReplicas = value;
    else
      read.problems.push(
        `RB_KAFKA_MIN_INSYNC_REPLICAS=${JSON.stringify(minInsyncText)} is invalid: expected an integer from 1 to RB_KAFKA_REPLICATION_FACTOR (${replicationFactor})`,
      );
  }

  const kafkaTls = read.tls('RB_KAFKA_SSL');
  const saslMechanism = read.raw('RB_KAFKA_SASL_MECHANISM')?.toLowerCase();
  let kafkaSasl: AppConfig['kafka']['sasl'] = null;
  if (saslMechanism === undefined) {
    const given = ['RB_KAFKA_SASL_USERNAME', 'RB_KAFKA_SASL_PASSWORD'].filter((name) => read.raw(name) !== undefined);
    if (given.length > 0) read.problems.push(`${given.join(', ')} set but RB_KAFKA_SASL_MECHANISM is not: nothing would authenticate`);
  } else if (!(KAFKA_SASL_MECHANISMS as readonly string[]).includes(saslMechanism)) {
    read.problems.push(
      `RB_KAFKA_SASL_MECHANISM=${JSON.stringify(saslMechanism)} is invalid: expected ${KAFKA_SASL_MECHANISMS.join(' | ')}`,
    );
  } else {
    kafkaSasl = {
      mechanism: saslMechanism as KafkaSaslMechanism,
      username: read.string('RB_KAFKA_SASL_USERNAME', undefined, undefined, 'the SASL user name'),
      password: read.secret('RB_KAFKA_SASL_PASSWORD', ''),
    };
    if (kafkaSasl.password === '') read.problems.push('RB_KAFKA_SASL_PASSWORD is required when RB_KAFKA_SASL_MECHANISM is set');
  }

  const interconnectRegions = read.list('RB_INTERCONNECT_REGIONS', 'cn-gd,hk,jpn-tky');
  interconnectRegions.forEach((region) => {
    if (!REGION.test(region)) {
      read.problems.push(`RB_INTERCONNECT_REGIONS contains ${JSON.stringify(region)}: expected a region code like cn-gd`);
    }
  });

  const bmpHost = read.string('RB_BMP_HOST', '0.0.0.0');
  if (isIP(bmpHost) === 0) read.problems.push(`RB_BMP_HOST=${JSON.stringify(bmpHost)} is invalid: expected an IP address to listen on`);

  // Where hosts' bgpd reach the collector (a VIP in production); no BMP block is rendered without it.
  const bmpConnectAddress = env.RB_BMP_CONNECT_ADDRESS?.trim() || undefined;
  if (bmpConnectAddress !== undefined && isIP(bmpConnectAddress) === 0) {
    read.problems.push(`RB_BMP_CONNECT_ADDRESS=${JSON.stringify(bmpConnectAddress)} is invalid: expected the IP address hosts connect to`);
  }

  // Only a path: the file is read when an apply is requested, so a process that never applies needs no key.
  const sshPrivateKeyFile = env.RB_SSH_PRIVATE_KEY_FILE?.trim() || null;
  const stagingDir = read.string(
    'RB_APPLY_STAGING_DIR',
    '/var/lib/route-broker/staging',
    /^\/[A-Za-z0-9_./-]*$/,
    'an absolute path of [A-Za-z0-9_./-]',
  );

  const reservedRanges = read.list('RB_POLICY_RESERVED_RANGES', '');
  reservedRanges.forEach((range) => {
    const parsed = parsePrefix(range);
    if (typeof parsed === 'string') read.problems.push(`RB_POLICY_RESERVED_RANGES contains ${JSON.stringify(range)}: ${parsed}`);
  });

  const config: AppConfig = {
    roles,
    instanceId: read.string('RB_INSTANCE_ID', defaultInstanceId(env), /^[A-Za-z0-9._-]{1,64}$/, '1-64 characters of [A-Za-z0-9._-]'),
    logLevel: logLevel as LogLevel,
    http: {
      host: httpHost,
      port: read.integer('RB_HTTP_PORT', 8080, 1, 65535),
      shutdownTimeoutMs: read.integer('RB_SHUTDOWN_TIMEOUT_MS', 25000, 100, 600000),
    },
    auth: { tokens: apiTokens.map(({ name, role, token }) => ({ name, role, token })) },
    audit: { retentionDays: read.integer('RB_AUDIT_RETENTION_DAYS', 400, 0, 36500) },
    database: {
      host: read.string('RB_DB_HOST', '127.0.0.1'),
      port: read.integer('RB_DB_PORT', 3306, 1, 65535),
      user: read.string('RB_DB_USER', 'route_broker'),
      password: read.secret('RB_DB_PASSWORD', ''),
      name: read.string('RB_DB_NAME', 'route_broker', /^[A-Za-z0-9_]{1,64}$/, '1-64 characters of [A-Za-z0-9_]'),
      migrationsRun: read.boolean('RB_DB_MIGRATIONS_RUN', true),
      poolSize: read.integer('RB_DB_POOL_SIZE', 10, 1, 500),
      tls: read.tls('RB_DB_SSL'),
    },
    kafka: {
      brokers,
      clientId: read.string('RB_KAFKA_CLIENT_ID', 'route-broker', /^[A-Za-z0-9._-]{1,64}$/, '1-64 characters of [A-Za-z0-9._-]'),
      topicPartitions: read.integer('RB_KAFKA_TOPIC_PARTITIONS', 12, 1, 10000),
      replicationFactor,
      minInsyncReplicas,
      connectionTimeoutMs: read.integer('RB_KAFKA_CONNECTION_TIMEOUT_MS', 3000, 100, 120000),
      tls: kafkaTls,
      sasl: kafkaSasl,
    },
    interconnectRegions,
    bmp: {
      host: bmpHost,
      port: read.integer('RB_BMP_PORT', 11019, 1, 65535),
      maxMessageBytes: read.integer('RB_BMP_MAX_MESSAGE_BYTES', 1048576, 4096, 16777216),
      publishRetryMaxMs: read.integer('RB_BMP_PUBLISH_RETRY_MAX_MS', 10000, 100, 600000),
      connectAddress: bmpConnectAddress ?? null,
      // The main thread owns the sockets and the Kafka client; decoding gets the other cores.
      readWorkers: read.integer('RB_BMP_READ_WORKERS', Math.max(1, availableParallelism() - 1), 1, 64),
      heartbeatSeconds: read.integer('RB_BMP_HEARTBEAT_SECONDS', 5, 1, 60),
      archive: {
        enabled: read.boolean('RB_BMP_ARCHIVE', false),
        retentionHours: read.integer('RB_BMP_ARCHIVE_RETENTION_HOURS', 72, 1, 8760),
      },
    },
    apply: {
      sshPrivateKeyFile,
      maxConcurrentHosts: read.integer('RB_APPLY_MAX_CONCURRENT_HOSTS', 8, 1, 1000),
      establishTimeoutMs: read.integer('RB_APPLY_ESTABLISH_TIMEOUT_MS', 60000, 1000, 600000),
      sshConnectTimeoutMs: read.integer('RB_SSH_CONNECT_TIMEOUT_MS', 10000, 100, 600000),
      sshCommandTimeoutMs: read.integer('RB_SSH_COMMAND_TIMEOUT_MS', 60000, 1000, 3600000),
      stagingDir,
    },
    drift: {
      intervalSeconds: read.integer('RB_DRIFT_INTERVAL_SECONDS', 300, 0, 86400),
      maxConcurrentHosts: read.integer('RB_DRIFT_MAX_CONCURRENT_HOSTS', 8, 1, 1000),
      hostTimeoutMs: read.integer('RB_DRIFT_HOST_TIMEOUT_MS', 60000, 1000, 600000),
    },
    brm: {
      consumerGroup: read.string(
        'RB_BRM_CONSUMER_GROUP',
        'route-broker-brm',
        /^[A-Za-z0-9._-]{1,128}$/,
        '1-128 characters of [A-Za-z0-9._-]',
      ),
      ecmpWidth: read.integer('RB_BRM_ECMP_WIDTH', 1, 1, 64),
      collectorLostAfterSeconds: read.integer('RB_BRM_COLLECTOR_LOST_AFTER_SECONDS', 30, 2, 3600),
    },
    policy: {
      reservedRanges,
      prefixLength: {
        ipv4: read.lengthRange('RB_POLICY_IPV4_PREFIX_LENGTH', '8-24', 32),
        ipv6: read.lengthRange('RB_POLICY_IPV6_PREFIX_LENGTH', '16-48', 128),
      },
    },
    hrm: {
      consumerGroup: read.string(
        'RB_HRM_CONSUMER_GROUP',
        'route-broker-hrm',
        /^[A-Za-z0-9._-]{1,128}$/,
        '1-128 characters of [A-Za-z0-9._-]',
      ),
      maxQueuedChanges: read.integer('RB_HRM_MAX_QUEUED_CHANGES', 100000, 100, 10000000),
      maxChangesPerRequest: read.integer('RB_HRM_MAX_CHANGES_PER_REQUEST', 2000, 1, 100000),
      snapshotPageSize: read.integer('RB_HRM_SNAPSHOT_PAGE_SIZE', 5000, 1, 100000),
      maxConcurrentSnapshots: read.integer('RB_HRM_MAX_CONCURRENT_SNAPSHOTS', 4, 1, 100),
      requestTimeoutMs: read.integer('RB_HRM_REQUEST_TIMEOUT_MS', 10000, 100, 600000),
      retryBaseMs: read.integer('RB_HRM_RETRY_BASE_MS', 250, 10, 600000),
      retryMaxMs: read.integer('RB_HRM_RETRY_MAX_MS', 30000, 10, 3600000),
      snapshotTimeoutMs: read.integer('RB_HRM_SNAPSHOT_TIMEOUT_MS', 300000, 1000, 86400000),
      sseReplayChanges: read.integer('RB_HRM_SSE_REPLAY_CHANGES', 10000, 0, 10000000),
    },
  };

  if (read.problems.length > 0) throw new ConfigError(read.problems);
  return config;
}

function defaultInstanceId(env: Env): string {
  return (env.HOSTNAME ?? 'route-broker').replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 64) || 'route-broker';
}
