import { DataSource } from 'typeorm';
import { dataSourceOptions, MIGRATIONS } from '../../src/common/database/data-source-options.js';
import { INVENTORY_ENTITIES } from '../../src/common/inventory/inventory.entities.js';
import { FRR_CONFIG_ENTITIES } from '../../src/frr-server/frr-config.module.js';
import { resetDatabase, testConfig } from './support/environment.js';
import fc from 'fast-check';
import { decodeChangeSegment } from '../../src/brm/core/change-segment.js';
import type { RouteChange, RouteEntry } from '../../src/brm/core/route-table.js';
import { decodeStoredPathRows } from '../../src/brm/core/stored-route.js';
import { sqlRows } from '../../src/common/database/sql-literal.js';

const INVENTORY_TABLES = [
  'audit_records',
  'bgp_sessions',
  'bmp_collectors',
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
  'vpc_route_change_segments',
  'vpc_route_sessions',
  'vpc_route_tables',
];

/** JSON columns come back as text from MariaDB, already parsed from MySQL. */
const jsonOf = (value: unknown): unknown => (typeof value === 'string' ? JSON.parse(value) : value);

describe('migrations on the real MariaDB', () => {
  let dataSource: DataSource;

  beforeAll(async () => {
    await resetDatabase();
    // Every entity, the features' included (the application loads them from their modules), so
    // the drift check below covers every mapped table.
    const entities = [...INVENTORY_ENTITIES, ...FRR_CONFIG_ENTITIES];
    dataSource = await new DataSource({ ...dataSourceOptions(testConfig().database), entities }).initialize();
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

  /** Undoes the newest migrations down to and including `name` (the database must be fully migrated). */
  async function undoThrough(name: string): Promise<void> {
    const index = MIGRATIONS.findIndex((migration) => migration.name === name);
    expect(index).toBeGreaterThanOrEqual(0);
    for (let i = MIGRATIONS.length - 1; i >= index; i--) await dataSource.undoLastMigration({ transaction: 'each' });
  }

  it('converts route rows, their paths and the change log to the compact forms and back (CompactRouteRows1796300000000)', async () => {
    await undoThrough('CompactRouteRows1796300000000');
    await dataSource.query("INSERT INTO regions (id, code) VALUES (1, 'cn-gd')");
    await dataSource.query(`INSERT INTO hosted_vpcs (id, name, region_id, owner, cidrs) VALUES (1, 'vpc', 1, 'acme', '["10.0.0.0/8"]')`);

    // Session 1 overrides LOCAL_PREF to 300 where the PE sent 120; session 2 sent none.
    const first: RouteEntry['paths'][number] = {
      sessionId: 1,
      pathId: null,
      tunnelId: 11,
      nextHop: '169.254.1.1',
      origin: 'igp',
      asPath: [65001, [7, 8]],
      asPathLength: 2,
      neighborAs: 65001,
      med: 5,
      localPref: 300,
      stale: false,
      state: 'active',
    };
    const second: RouteEntry['paths'][number] = {
      sessionId: 2,
      pathId: 4,
      tunnelId: 12,
      nextHop: '169.254.2.1',
      origin: 'egp',
      asPath: [65002],
      asPathLength: 1,
      neighborAs: 65002,
      med: null,
      localPref: null,
      stale: true,
      state: 'stale',
    };
    const prefix = '11.0.0.0/24';
    const family = 'ipv4-unicast' as const;
    const entry: RouteEntry = {
      prefix,
      family,
      activeNextHops: [{ tunnelId: 11, nextHop: '169.254.1.1', sessionId: 1 }],
      paths: [first, second],
    };
    const alone: RouteEntry = { ...entry, paths: [first] };
    const received = {
      1: { origin: 'igp', asPath: [65001, [7, 8]], nextHop: '169.254.1.1', med: 5, localPref: 120 },
      2: { origin: 'egp', asPath: [65002], nextHop: '169.254.2.1', med: null, localPref: null },
    };
    const log: RouteChange[] = [
      {
        vpcId: 1,
        revision: 1,
        prefix,
        family,
        action: 'add',
        before: null,
        after: alone,
        cause: { event: 'announce', sessionId: 1, at: 1000 },
        rejection: null,
      },
      {
        vpcId: 1,
        revision: 2,
        prefix,
        family,
        action: 'update',
        before: alone,
        after: entry,
        cause: { event: 'session-down', sessionId: 2, at: 2000 },
        rejection: null,
      },
      {
        vpcId: 1,
        revision: 3,
        prefix: '0.0.0.0/0',
        family,
        action: 'reject',
        before: null,
        after: null,
        cause: { event: 'announce', sessionId: 2, at: 3000 },
        rejection: { sessionId: 2, pathId: null, reason: 'default-route', detail: 'no default route' },
      },
    ];
    await dataSource.query(
      "INSERT INTO vpc_routes (hosted_vpc_id, prefix, family, state, revision, entry) VALUES (1, ?, ?, 'active', 2, ?)",
      [prefix, family, JSON.stringify(entry)],
    );
    for (const [sessionId, pathId] of [
      [1, -1],
      [2, 4],
    ] as const) {
      await dataSource.query(
        'INSERT INTO vpc_route_paths (hosted_vpc_id, prefix, session_id, path_id, family, attributes) VALUES (1, ?, ?, ?, ?, ?)',
        [prefix, sessionId, pathId, family, JSON.stringify(received[sessionId])],
      );
    }
    for (const change of log) {
      await dataSource.query(
        `INSERT INTO vpc_route_changes (hosted_vpc_id, revision, prefix, family, action, before_entry, after_entry, cause, rejection)
         VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          change.revision,
          change.prefix,
          change.family,
          change.action,
          change.before && JSON.stringify(change.before),
          change.after && JSON.stringify(change.after),
          JSON.stringify(change.cause),
          change.rejection && JSON.stringify(change.rejection),
        ],
      );
    }
    await dataSource.query(
      `INSERT INTO vpc_rejected_routes (hosted_vpc_id, prefix, session_id, path_id, family, reason, detail, attributes)
       VALUES (1, '0.0.0.0/0', 2, -1, 'ipv4-unicast', 'default-route', 'no default route', ?)`,
      [JSON.stringify(received[2])],
    );

    await dataSource.runMigrations({ transaction: 'each' });
    const [route] = await dataSource.query<{ paths: unknown }[]>('SELECT paths FROM vpc_routes');
    expect(jsonOf(route!.paths)).toEqual([
      [1, null, 11, '169.254.1.1', 'igp', [65001, [7, 8]], 5, 300, 'active', 0, 120],
      [2, 4, 12, '169.254.2.1', 'egp', [65002], null, null, 'stale', 1],
    ]);
    expect(decodeStoredPathRows(prefix, family, route!.paths).map((row) => row.attributes)).toEqual([received[1], received[2]]);
    const segments = await dataSource.query<{ first_revision: string; last_revision: string; changes: Buffer }[]>(
      'SELECT first_revision, last_revision, changes FROM vpc_route_change_segments',
    );
    expect(segments.map((row) => [Number(row.first_revision), Number(row.last_revision)])).toEqual([[1, 3]]);
    expect(decodeChangeSegment(1, segments[0]!.changes)).toEqual(log);
    const [rejected] = await dataSource.query<{ revision: string; rejected_at_ms: string }[]>(
      'SELECT revision, rejected_at_ms FROM vpc_rejected_routes',
    );
    expect([Number(rejected!.revision), Number(rejected!.rejected_at_ms)]).toEqual([3, 3000]);

    await undoThrough('CompactRouteRows1796300000000');
    const [restored] = await dataSource.query<{ entry: unknown }[]>('SELECT entry FROM vpc_routes');
    expect(jsonOf(restored!.entry)).toEqual(entry);
    const paths = await dataSource.query<{ session_id: number; path_id: string; attributes: unknown }[]>(
      'SELECT session_id, path_id, attributes FROM vpc_route_paths ORDER BY session_id',
    );
    expect(paths.map((row) => [row.session_id, Number(row.path_id), jsonOf(row.attributes)])).toEqual([
      [1, -1, received[1]],
      [2, 4, received[2]],
    ]);
    const changes = await dataSource.query<
      { revision: string; before_entry: unknown; after_entry: unknown; cause: unknown; rejection: unknown }[]
    >('SELECT revision, before_entry, after_entry, cause, rejection FROM vpc_route_changes ORDER BY revision');
    expect(
      changes.map((row) => [
        Number(row.revision),
        jsonOf(row.before_entry),
        jsonOf(row.after_entry),
        jsonOf(row.cause),
        jsonOf(row.rejection),
      ]),
    ).toEqual(log.map((change) => [change.revision, change.before, change.after, change.cause, change.rejection]));
    await dataSource.runMigrations({ transaction: 'each' });
  });

  it("gives existing sessions their peer's family, and goes down only when the old schema can hold every row (DualStackSessions1796400000000)", async () => {
    const nullable = async (table: string, column: string): Promise<string | undefined> =>
      (
        await dataSource.query<{ nullable: string }[]>(
          'SELECT IS_NULLABLE AS nullable FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND COLUMN_NAME = ?',
          [table, column],
        )
      )[0]?.nullable;
    const sessions = async () =>
      (
        await dataSource.query<{ id: number; address_families: string; import_policy: unknown }[]>(
          'SELECT id, address_families, import_policy FROM bgp_sessions ORDER BY id',
        )
      ).map((row) => [row.id, row.address_families, jsonOf(row.import_policy)]);

    await undoThrough('DualStackSessions1796400000000');
    expect(await nullable('bgp_sessions', 'address_families')).toBeUndefined();
    // Rows as the previous schema held them (region 1 and hosted VPC 1 are the test above's); the
    // previous API only let sessions peer with the tunnel's IPv4 address, but the column took any.
    await dataSource.query(
      "INSERT INTO hosts (id, name, region_id, zone, management_address, underlay_address, router_id, asn) VALUES (1, 'hv', 1, 'a', '127.0.0.1', '192.0.2.1', '192.0.2.1', 64512)",
    );
    await dataSource.query("INSERT INTO pes (id, name, underlay_address, asn, owner) VALUES (1, 'pe', '198.51.100.1', 65001, 'acme')");
    await dataSource.query(
      `INSERT INTO gre_tunnels (id, host_id, pe_id, interface_name, tunnel_key, local_inner_address, remote_inner_address, inner_prefix_length)
       VALUES (1, 1, 1, 'gre-a', 1, '169.254.1.2', '169.254.1.1', 30)`,
    );
    await dataSource.query(
      `INSERT INTO bgp_sessions (id, tunnel_id, hosted_vpc_id, local_asn, peer_asn, peer_address)
       VALUES (1, 1, 1, 64512, 65001, '169.254.1.1'), (2, 1, 1, 64512, 65001, 'fd00:1::1')`,
    );

    await dataSource.runMigrations({ transaction: 'each' });
    expect(await sessions()).toEqual([
      [1, 'ipv4-unicast', null],
      [2, 'ipv6-unicast', null],
    ]);
    expect(await nullable('bgp_sessions', 'address_families')).toBe('NO');
    expect(await nullable('gre_tunnels', 'local_inner_address')).toBe('YES');

    // The later migrations first: the undo below is the dual-stack migration's own.
    await undoThrough('HostTunnelProvisioning1796500000000');
    // An IPv6-only tunnel: the previous schema has nowhere to put it.
    await dataSource.query(
      `INSERT INTO gre_tunnels (id, host_id, pe_id, interface_name, tunnel_key, local_inner_address_v6, remote_inner_address_v6, inner_prefix_length_v6)
       VALUES (2, 1, 1, 'gre-b', 2, 'fd00:2::2', 'fd00:2::1', 126)`,
    );
    const refusal = dataSource.undoLastMigration({ transaction: 'each' });
    await expect(refusal).rejects.toThrow(/^cannot migrate down: 1 tunnel has no IPv4 inner pair \(gre_tunnels 2\)/);
    await expect(refusal).rejects.toThrow('1 session peers over IPv6 (bgp_sessions 2)');
    await expect(refusal).rejects.toThrow('1 session carries ipv6-unicast (bgp_sessions 2)');
    // Still applied, nothing changed.
    expect(await dataSource.query("SELECT name FROM typeorm_migrations WHERE name = 'DualStackSessions1796400000000'")).toHaveLength(1);
    expect(await nullable('gre_tunnels', 'local_inner_address_v6')).toBe('YES');

    await dataSource.query('DELETE FROM bgp_sessions WHERE id = 2');
    await dataSource.query('DELETE FROM gre_tunnels WHERE id = 2');
    await dataSource.query(`UPDATE bgp_sessions SET import_policy = '{"allowDefaultRoute":true}' WHERE id = 1`);
    await expect(dataSource.undoLastMigration({ transaction: 'each' })).rejects.toThrow(
      'cannot migrate down: 1 session has an import policy (bgp_sessions 1)',
    );
    await dataSource.query('UPDATE bgp_sessions SET import_policy = NULL WHERE id = 1');

    await dataSource.undoLastMigration({ transaction: 'each' });
    expect(await nullable('gre_tunnels', 'local_inner_address')).toBe('NO');
    expect(await nullable('gre_tunnels', 'local_inner_address_v6')).toBeUndefined();
    expect(await nullable('bgp_sessions', 'import_policy')).toBeUndefined();
    await dataSource.runMigrations({ transaction: 'each' });
    expect(await sessions()).toEqual([[1, 'ipv4-unicast', null]]);
  });

  it('marks the hosts that exist as external, new ones managed by default (HostTunnelProvisioning1796500000000)', async () => {
    const provisioning = async () =>
      (await dataSource.query<{ id: number; tunnel_provisioning: string }[]>('SELECT id, tunnel_provisioning FROM hosts ORDER BY id')).map(
        (row) => [row.id, row.tunnel_provisioning],
      );
    await undoThrough('HostTunnelProvisioning1796500000000');
    // Host 1 is the test above's: it existed before the column did.
    expect(await dataSource.query('SELECT id FROM hosts')).toEqual([{ id: 1 }]);
    await dataSource.runMigrations({ transaction: 'each' });
    await dataSource.query(
      "INSERT INTO hosts (id, name, region_id, zone, management_address, underlay_address, router_id, asn) VALUES (2, 'hv-new', 1, 'a', '127.0.0.1', '192.0.2.2', '192.0.2.2', 64512)",
    );
    expect(await provisioning()).toEqual([
      [1, 'external'],
      [2, 'managed'],
    ]);
    await expect(dataSource.query("UPDATE hosts SET tunnel_provisioning = 'by-hand' WHERE id = 2")).rejects.toThrow();
  });

  it('gives SQL literals that MariaDB reads back as the same text, for any string, in either backslash mode', async () => {
    const samples = fc.sample(fc.string({ unit: 'binary', maxLength: 40 }), 300);
    samples.push("'; DROP TABLE literal_check; --", "\\'", '\0\x1a', '?', '"?"', '\\');
    const runner = dataSource.createQueryRunner();
    try {
      await runner.query(
        'CREATE TEMPORARY TABLE literal_check (id INT NOT NULL PRIMARY KEY, text LONGTEXT NOT NULL) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin',
      );
      for (const mode of ["REPLACE(@@sql_mode, 'NO_BACKSLASH_ESCAPES', '')", "CONCAT(@@sql_mode, ',NO_BACKSLASH_ESCAPES')"]) {
        await runner.query(`SET SESSION sql_mode = ${mode}`);
        await runner.query('DELETE FROM literal_check');
        await runner.query(`INSERT INTO literal_check (id, text) VALUES ${sqlRows(samples.map((text, id) => [id, text]))}`);
        const rows: { text: string }[] = await runner.query('SELECT id, text FROM literal_check ORDER BY id');
        expect(rows.map((row) => row.text)).toEqual(samples);
      }
    } finally {
      await runner.release();
    }
  });
});
