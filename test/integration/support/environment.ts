/**
 * What the integration tests run against: the real MariaDB and Kafka that `scripts/test`
 * starts (scripts/mysql, scripts/kafka), the tests' own (scripts/test-env). Nothing here is mocked.
 */
import { DataSource } from 'typeorm';
import { loadConfig, type AppConfig } from '../../../src/common/config/config.js';
import { dataSourceOptions } from '../../../src/common/database/data-source-options.js';

export const READ_TOKEN = 'test-read-token-0123456789';
export const OPERATOR_TOKEN = 'test-operator-token-0123456789';

/** A setting of the tests' own services (scripts/test-env, put in process.env by jest's setup). */
function service(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: jest loads it from scripts/test-env (test/integration/support/test-env.ts)`);
  return value;
}

export function testEnv(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    RB_DB_HOST: process.env.RB_DB_HOST ?? '127.0.0.1',
    RB_DB_PORT: service('RB_DB_PORT'),
    RB_DB_USER: process.env.RB_DB_USER ?? 'route_broker',
    RB_DB_PASSWORD: process.env.RB_DB_PASSWORD ?? 'route_broker',
    RB_DB_NAME: process.env.RB_TEST_DB_NAME ?? 'route_broker_test',
    RB_KAFKA_BROKERS: service('RB_KAFKA_BROKERS'),
    RB_BMP_PORT: service('RB_BMP_PORT'),
    RB_API_READ_TOKENS: READ_TOKEN,
    RB_API_OPERATOR_TOKENS: OPERATOR_TOKEN,
    RB_LOG_LEVEL: 'warn',
    RB_KAFKA_TOPIC_PARTITIONS: '3',
    ...overrides,
  };
}

export function testConfig(overrides: Record<string, string> = {}): AppConfig {
  return loadConfig(testEnv(overrides));
}

/** Drops every table of the test database so each suite starts from the migrations alone. */
export async function resetDatabase(): Promise<void> {
  const dataSource = await new DataSource(dataSourceOptions(testConfig().database)).initialize();
  try {
    const tables: { name: string }[] = await dataSource.query(
      'SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()',
    );
    await dataSource.query('SET FOREIGN_KEY_CHECKS = 0');
    for (const { name } of tables) await dataSource.query(`DROP TABLE \`${name}\``);
    await dataSource.query('SET FOREIGN_KEY_CHECKS = 1');
  } finally {
    await dataSource.destroy();
  }
}
