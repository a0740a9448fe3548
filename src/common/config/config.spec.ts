import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from './config.js';

const minimal = { RB_API_OPERATOR_TOKENS: 'operator-token-0123456789' };

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('runs every role with documented defaults when only a token is given', () => {
    const config = loadConfig(minimal);
    expect([...config.roles].sort()).toEqual(['admin', 'brm', 'frr-server', 'hrm']);
    expect(config.http.port).toBe(8080);
    expect(config.kafka.brokers).toEqual(['127.0.0.1:9092']);
    expect(config.database).toMatchObject({ host: '127.0.0.1', port: 3306, name: 'route_broker', migrationsRun: true });
    expect(config.interconnectRegions).toEqual(['cn-gd', 'hk', 'jpn-tky']);
    expect(config.policy).toEqual({ reservedRanges: [], prefixLength: { ipv4: { min: 8, max: 24 }, ipv6: { min: 16, max: 48 } } });
  });

  it('keeps audit records 400 days unless RB_AUDIT_RETENTION_DAYS says otherwise (0: for ever)', () => {
    expect(loadConfig(minimal).audit).toEqual({ retentionDays: 400 });
    expect(loadConfig({ ...minimal, RB_AUDIT_RETENTION_DAYS: '0' }).audit).toEqual({ retentionDays: 0 });
    expect(problemsOf({ ...minimal, RB_AUDIT_RETENTION_DAYS: '-1' }).join('\n')).toContain('RB_AUDIT_RETENTION_DAYS');
  });

  it('reads the platform import policy', () => {
    const { policy } = loadConfig({
      ...minimal,
      RB_POLICY_IPV4_PREFIX_LENGTH: '16-28',
      RB_POLICY_IPV6_PREFIX_LENGTH: '32-64',
      RB_POLICY_RESERVED_RANGES: '100.64.0.0/10,fd99::/16',
    });
    expect(policy).toEqual({
      reservedRanges: ['100.64.0.0/10', 'fd99::/16'],
      prefixLength: { ipv4: { min: 16, max: 28 }, ipv6: { min: 32, max: 64 } },
    });
  });

  it('chooses roles from RB_ROLES', () => {
    expect([...loadConfig({ RB_ROLES: 'brm, hrm' }).roles]).toEqual(['brm', 'hrm']);
  });

  it.each([
    [{ RB_ROLES: 'brm,router' }, 'RB_ROLES contains "router"'],
    [{ RB_HTTP_PORT: '70000' }, 'RB_HTTP_PORT="70000" is invalid: expected an integer from 1 to 65535'],
    [{ RB_HTTP_PORT: '80a' }, 'RB_HTTP_PORT="80a" is invalid'],
    [{ RB_KAFKA_BROKERS: 'kafka-without-port' }, 'RB_KAFKA_BROKERS contains "kafka-without-port": expected host:port'],
    [{ RB_DB_MIGRATIONS_RUN: 'yes' }, 'RB_DB_MIGRATIONS_RUN="yes" is invalid: expected true or false'],
    [{ RB_API_OPERATOR_TOKENS: 'short' }, 'RB_API_OPERATOR_TOKENS entry #1 is invalid'],
    [{ RB_API_OPERATOR_TOKENS: '' }, 'RB_API_OPERATOR_TOKENS (or RB_API_READ_TOKENS) is required when the admin role runs'],
    [{ RB_LOG_LEVEL: 'loud' }, 'RB_LOG_LEVEL="loud" is invalid'],
    [{ RB_INTERCONNECT_REGIONS: 'cn-gd,Tokyo!' }, 'RB_INTERCONNECT_REGIONS contains "Tokyo!"'],
    [
      { RB_POLICY_IPV4_PREFIX_LENGTH: '24-8' },
      'RB_POLICY_IPV4_PREFIX_LENGTH="24-8" is invalid: expected MIN-MAX with 1 <= MIN <= MAX <= 32',
    ],
    [{ RB_POLICY_IPV6_PREFIX_LENGTH: '0-48' }, 'RB_POLICY_IPV6_PREFIX_LENGTH="0-48" is invalid'],
    [{ RB_POLICY_RESERVED_RANGES: '10.0.0.1/8' }, 'RB_POLICY_RESERVED_RANGES contains "10.0.0.1/8"'],
  ])('names the variable and what is expected: %j', (override, expected) => {
    const problems = problemsOf({ ...minimal, ...override });
    expect(problems.some((problem) => problem.startsWith(expected))).toBe(true);
  });

  describe('API tokens', () => {
    it('names bare tokens <role>-<n> so lists written before names keep working', () => {
      const { auth } = loadConfig({
        RB_API_OPERATOR_TOKENS: 'operator-token-0123456789',
        RB_API_READ_TOKENS: 'r1-token-0123456789,r2-token-0123456789',
      });
      expect(auth.tokens).toEqual([
        { name: 'operator-1', role: 'operator', token: 'operator-token-0123456789' },
        { name: 'read-1', role: 'read', token: 'r1-token-0123456789' },
        { name: 'read-2', role: 'read', token: 'r2-token-0123456789' },
      ]);
    });

    it('reads name:token entries', () => {
      const { auth } = loadConfig({
        RB_API_OPERATOR_TOKENS: 'alice:operator-token-0123456789, ci:ci-token-0123456789abc',
        RB_API_READ_TOKENS: 'grafana:read-token-0123456789',
      });
      expect(auth.tokens.map(({ name, role }) => `${role}/${name}`)).toEqual(['operator/alice', 'operator/ci', 'read/grafana']);
    });

    it.each([
      [
        { RB_API_OPERATOR_TOKENS: 'alice:operator-token-0123456789', RB_API_READ_TOKENS: 'alice:read-token-0123456789' },
        'RB_API_READ_TOKENS entry #1 is named "alice" like RB_API_OPERATOR_TOKENS entry #1',
      ],
      [
        { RB_API_OPERATOR_TOKENS: 'read-1:operator-token-0123456789', RB_API_READ_TOKENS: 'read-token-0123456789' },
        'RB_API_READ_TOKENS entry #1 is named "read-1"',
      ],
      [
        { RB_API_OPERATOR_TOKENS: 'a:operator-token-0123456789,b:operator-token-0123456789' },
        'RB_API_OPERATOR_TOKENS entry #2 is the same token as RB_API_OPERATOR_TOKENS entry #1',
      ],
      [{ RB_API_OPERATOR_TOKENS: 'Alice:operator-token-0123456789' }, 'RB_API_OPERATOR_TOKENS entry #1 has an invalid name:'],
    ])('refuses %j, naming the variable', (env, expected) => {
      const problems = problemsOf(env);
      expect(problems.some((problem) => problem.startsWith(expected))).toBe(true);
      expect(problems.join('\n')).not.toContain('operator-token-0123456789');
    });
  });

  describe('Kafka topics on a cluster', () => {
    it("leaves min.insync.replicas to the brokers' default unless set", () => {
      expect(loadConfig(minimal).kafka).toMatchObject({ replicationFactor: 1, minInsyncReplicas: null });
      expect(loadConfig({ ...minimal, RB_KAFKA_MIN_INSYNC_REPLICAS: ' ' }).kafka.minInsyncReplicas).toBeNull();
    });

    it.each([
      ['3', '2', 2],
      ['3', '3', 3],
      ['3', '1', 1],
      ['1', '1', 1],
    ])('takes RB_KAFKA_MIN_INSYNC_REPLICAS from 1 to the replication factor (RF %s, min.insync %s)', (rf, minInsync, expected) => {
      const { kafka } = loadConfig({ ...minimal, RB_KAFKA_REPLICATION_FACTOR: rf, RB_KAFKA_MIN_INSYNC_REPLICAS: minInsync });
      expect(kafka).toMatchObject({ replicationFactor: Number(rf), minInsyncReplicas: expected });
    });

    it.each([
      [
        { RB_KAFKA_MIN_INSYNC_REPLICAS: '2' },
        'RB_KAFKA_MIN_INSYNC_REPLICAS="2" is invalid: expected an integer from 1 to RB_KAFKA_REPLICATION_FACTOR (1)',
      ],
      [
        { RB_KAFKA_REPLICATION_FACTOR: '3', RB_KAFKA_MIN_INSYNC_REPLICAS: '4' },
        'RB_KAFKA_MIN_INSYNC_REPLICAS="4" is invalid: expected an integer from 1 to RB_KAFKA_REPLICATION_FACTOR (3)',
      ],
      [{ RB_KAFKA_REPLICATION_FACTOR: '3', RB_KAFKA_MIN_INSYNC_REPLICAS: '0' }, 'RB_KAFKA_MIN_INSYNC_REPLICAS="0" is invalid'],
      [{ RB_KAFKA_REPLICATION_FACTOR: '3', RB_KAFKA_MIN_INSYNC_REPLICAS: '-1' }, 'RB_KAFKA_MIN_INSYNC_REPLICAS="-1" is invalid'],
      [{ RB_KAFKA_REPLICATION_FACTOR: '3', RB_KAFKA_MIN_INSYNC_REPLICAS: '2.5' }, 'RB_KAFKA_MIN_INSYNC_REPLICAS="2.5" is invalid'],
      [{ RB_KAFKA_REPLICATION_FACTOR: '3', RB_KAFKA_MIN_INSYNC_REPLICAS: 'two' }, 'RB_KAFKA_MIN_INSYNC_REPLICAS="two" is invalid'],
    ])('refuses a min.insync.replicas no write could meet: %j', (override, expected) => {
      const problems = problemsOf({ ...minimal, ...override });
      expect(problems).toEqual([expect.stringContaining(expected)]);
    });

    it('reports an invalid replication factor on its own, not again as a min.insync.replicas problem', () => {
      expect(problemsOf({ ...minimal, RB_KAFKA_REPLICATION_FACTOR: '11', RB_KAFKA_MIN_INSYNC_REPLICAS: '3' })).toEqual([
        'RB_KAFKA_REPLICATION_FACTOR="11" is invalid: expected an integer from 1 to 10',
      ]);
    });
  });

  it('reports every problem at once', () => {
    expect(problemsOf({ ...minimal, RB_HTTP_PORT: '0', RB_DB_PORT: 'x' })).toHaveLength(2);
  });

  it('never echoes a secret back', () => {
    const problems = problemsOf({ RB_API_OPERATOR_TOKENS: 'bad token with spaces' });
    expect(problems.join('\n')).not.toContain('bad token');
  });

  describe('transport security', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rb-config-spec-'));
    const pem = (name: string, label: string) => {
      const path = join(dir, name);
      writeFileSync(path, `-----BEGIN ${label}-----\n${name}\n-----END ${label}-----\n`);
      return path;
    };
    const ca = pem('ca.pem', 'CERTIFICATE');
    const cert = pem('client.pem', 'CERTIFICATE');
    const key = pem('client.key', 'PRIVATE KEY');
    const notPem = join(dir, 'notes.txt');
    writeFileSync(notPem, 'not a certificate');
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('stays plaintext and unauthenticated by default', () => {
      const config = loadConfig(minimal);
      expect(config.kafka.tls).toBeNull();
      expect(config.kafka.sasl).toBeNull();
      expect(config.database.tls).toBeNull();
    });

    it('reads the CA, certificate and key files at start-up and verifies the server by default', () => {
      const config = loadConfig({
        ...minimal,
        RB_KAFKA_SSL: 'true',
        RB_KAFKA_SSL_CA_FILE: ca,
        RB_KAFKA_SSL_CERT_FILE: cert,
        RB_KAFKA_SSL_KEY_FILE: key,
        RB_DB_SSL: '1',
        RB_DB_SSL_CA_FILE: ca,
      });
      expect(config.kafka.tls).toEqual({
        ca: expect.stringContaining('ca.pem'),
        cert: expect.stringContaining('client.pem'),
        key: expect.stringContaining('client.key'),
        verifyServer: true,
      });
      expect(config.database.tls).toEqual({ ca: expect.stringContaining('ca.pem'), cert: null, key: null, verifyServer: true });
    });

    it('trusts the system CAs when no CA file is given, and verifies only when told so', () => {
      const config = loadConfig({ ...minimal, RB_KAFKA_SSL: 'true', RB_DB_SSL: 'true', RB_DB_SSL_VERIFY: 'false' });
      expect(config.kafka.tls).toEqual({ ca: null, cert: null, key: null, verifyServer: true });
      expect(config.database.tls?.verifyServer).toBe(false);
    });

    it('reads the SASL mechanism and credentials', () => {
      const { kafka } = loadConfig({
        ...minimal,
        RB_KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512',
        RB_KAFKA_SASL_USERNAME: 'route-broker',
        RB_KAFKA_SASL_PASSWORD: 'p4ss word',
      });
      expect(kafka.sasl).toEqual({ mechanism: 'scram-sha-512', username: 'route-broker', password: 'p4ss word' });
    });

    it.each([
      [
        { RB_KAFKA_SSL: 'true', RB_KAFKA_SSL_CA_FILE: join(dir, 'missing.pem') },
        `RB_KAFKA_SSL_CA_FILE="${join(dir, 'missing.pem')}" cannot be read (ENOENT)`,
      ],
      [{ RB_DB_SSL: 'true', RB_DB_SSL_CA_FILE: dir }, `RB_DB_SSL_CA_FILE="${dir}" cannot be read (EISDIR)`],
      [{ RB_DB_SSL: 'true', RB_DB_SSL_CA_FILE: notPem }, `RB_DB_SSL_CA_FILE="${notPem}" is invalid: expected a PEM file`],
      [{ RB_KAFKA_SSL: 'true', RB_KAFKA_SSL_CERT_FILE: cert }, 'RB_KAFKA_SSL_CERT_FILE and RB_KAFKA_SSL_KEY_FILE go together'],
      [{ RB_KAFKA_SSL_CA_FILE: ca }, 'RB_KAFKA_SSL_CA_FILE set but RB_KAFKA_SSL is not true'],
      [{ RB_DB_SSL: 'false', RB_DB_SSL_VERIFY: 'false' }, 'RB_DB_SSL_VERIFY set but RB_DB_SSL is not true'],
      [{ RB_DB_SSL: 'on' }, 'RB_DB_SSL="on" is invalid: expected true or false'],
      [
        { RB_KAFKA_SASL_MECHANISM: 'gssapi' },
        'RB_KAFKA_SASL_MECHANISM="gssapi" is invalid: expected scram-sha-512 | scram-sha-256 | plain',
      ],
      [{ RB_KAFKA_SASL_MECHANISM: 'plain', RB_KAFKA_SASL_PASSWORD: 'x' }, 'RB_KAFKA_SASL_USERNAME is required'],
      [{ RB_KAFKA_SASL_MECHANISM: 'plain', RB_KAFKA_SASL_USERNAME: 'rb' }, 'RB_KAFKA_SASL_PASSWORD is required'],
      [{ RB_KAFKA_SASL_USERNAME: 'rb' }, 'RB_KAFKA_SASL_USERNAME set but RB_KAFKA_SASL_MECHANISM is not'],
    ])('names the variable and the file: %j', (override, expected) => {
      const problems = problemsOf({ ...minimal, ...override });
      expect(problems).toEqual(expect.arrayContaining([expect.stringContaining(expected)]));
    });

    it('never echoes the SASL password back', () => {
      const problems = problemsOf({ ...minimal, RB_KAFKA_SASL_USERNAME: 'rb', RB_KAFKA_SASL_PASSWORD: 'hunter2-secret' });
      expect(problems).toHaveLength(1);
      expect(problems.join('\n')).not.toContain('hunter2');
    });
  });
});
