import { DataSource } from 'typeorm';
import { dataSourceOptions, MIGRATIONS } from '../../src/common/database/data-source-options.js';
import { resetDatabase, testConfig } from './support/environment.js';

const INVENTORY_TABLES = [
  'bgp_sessions',
  'frr_applies',
  'gre_tunnels',
  'hosted_vpcs',
  'hosts',
  'host_drift_reports',
  'hrm_deliveries',
  'hrm_subscriptions',
  'interconnect_instances',
  'interconnect_instance_vpcs',
  'kafka_applied_offsets',
  'outbox',
  'pes',
  'regions',
  'vpc_rejected_routes',
  'vpc_routes',
  'vpc_route_changes',
  'vpc_route_paths',
  'vpc_route_sessions',
  'vpc_route_tables',
];

describe('migrations on the real MariaDB', () => {
  let dataSource: DataSource;

  beforeAll(async () => {
    await resetDatabase();
    dataSource = await new DataSource(dataSourceOptions(testConfig().database)).initialize();
  });
  afterAll(async () => dataSource.destroy());

  const tables = async (): Promise<string[]> =>
    (
      await dataSource.query<{ name: string }[]>(
        "SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME <> 'typeorm_migrations' ORDER BY 1",
      )
    ).map((row) => row.name);

  it('runs up, down and up again', async () => {
    expect(await dataSource.showMigrations()).toBe(true);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    expect(applied.map((migration) => migration.name)).toEqual(MIGRATIONS.map((migration) => migration.name));
    expect(await tables()).toEqual(INVENTORY_TABLES);
    expect(await dataSource.showMigrations()).toBe(false);

    for (let i = 0; i < MIGRATIONS.length; i++) await dataSource.undoLastMigration({ transaction: 'each' });
    expect(await tables()).toEqual([]);

    await dataSource.runMigrations({ transaction: 'each' });
    expect(await tables()).toEqual(INVENTORY_TABLES);
  });

  it('keeps the schema the entities describe (no drift between migrations and mappings)', async () => {
    const pending = await dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((query) => query.query)).toEqual([]);
  });
});
