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

  it('reports every problem at once', () => {
    expect(problemsOf({ ...minimal, RB_HTTP_PORT: '0', RB_DB_PORT: 'x' })).toHaveLength(2);
  });

  it('never echoes a secret back', () => {
    const problems = problemsOf({ RB_API_OPERATOR_TOKENS: 'bad token with spaces' });
    expect(problems.join('\n')).not.toContain('bad token');
  });
});
