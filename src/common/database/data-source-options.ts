import mysql from 'mysql2';
import type { DataSourceOptions } from 'typeorm';
import type { AppConfig, TlsSettings } from '../config/config.js';
import { INVENTORY_ENTITIES } from '../inventory/inventory.entities.js';
import { Inventory1795500000000 } from './migrations/1795500000000-inventory.js';
import { HostSshSettings1795600000000 } from './migrations/1795600000000-host-ssh-settings.js';
import { FrrApplies1795700000000 } from './migrations/1795700000000-frr-applies.js';
import { HostDrift1795800000000 } from './migrations/1795800000000-host-drift.js';
import { VpcRouteTables1795900000000 } from './migrations/1795900000000-vpc-route-tables.js';
import { HrmSubscriptions1796000000000 } from './migrations/1796000000000-hrm-subscriptions.js';
import { FrrApplyInstance1796100000000 } from './migrations/1796100000000-frr-apply-instance.js';
import { InterconnectInstances1796200000000 } from './migrations/1796200000000-interconnect-instances.js';
import { CompactRouteRows1796300000000 } from './migrations/1796300000000-compact-route-rows.js';
import { DualStackSessions1796400000000 } from './migrations/1796400000000-dual-stack-sessions.js';
import { HostTunnelProvisioning1796500000000 } from './migrations/1796500000000-host-tunnel-provisioning.js';
import { VpcTableConfigSignature1796600000000 } from './migrations/1796600000000-vpc-table-config-signature.js';
import { AppliedOffsetsTopicId1796700000000 } from './migrations/1796700000000-applied-offsets-topic-id.js';
import { BmpCollectorLiveness1796800000000 } from './migrations/1796800000000-bmp-collector-liveness.js';
import { AuditRecords1796900000000 } from './migrations/1796900000000-audit-records.js';
import { SessionUpDownTime1797000000000 } from './migrations/1797000000000-session-up-down-time.js';

/**
 * The driver's own formatting, except that a statement without parameters is sent as it is: the
 * driver would otherwise scan all of it for `?` (route tables write multi-row INSERTs of about
 * 100 KB whose values are already literals, see sql-literal.ts; the scan cost BRM a second per
 * 100,000 routes).
 */
function formatQuery(this: { config: { timezone?: string } }, sql: string, values: unknown): string {
  if (values === undefined || values === null || (Array.isArray(values) && values.length === 0)) return sql;
  return mysql.format(sql, values as Parameters<typeof mysql.format>[1], false, this.config.timezone);
}

/** Migrations are listed explicitly (no globs) so the same list works from src/ under jest and from dist/. */
export const MIGRATIONS = [
  Inventory1795500000000,
  HostSshSettings1795600000000,
  FrrApplies1795700000000,
  HostDrift1795800000000,
  VpcRouteTables1795900000000,
  HrmSubscriptions1796000000000,
  FrrApplyInstance1796100000000,
  InterconnectInstances1796200000000,
  CompactRouteRows1796300000000,
  DualStackSessions1796400000000,
  HostTunnelProvisioning1796500000000,
  VpcTableConfigSignature1796600000000,
  AppliedOffsetsTopicId1796700000000,
  BmpCollectorLiveness1796800000000,
  AuditRecords1796900000000,
  SessionUpDownTime1797000000000,
];

/**
 * mysql2's TLS options. Verification checks the chain and, for a host given by name, that the
 * certificate names it (mysql2 checks the name only when asked: verifyIdentity).
 */
export function databaseTls(tls: TlsSettings) {
  return {
    ...(tls.ca !== null && { ca: tls.ca }),
    ...(tls.cert !== null && { cert: tls.cert }),
    ...(tls.key !== null && { key: tls.key }),
    rejectUnauthorized: tls.verifyServer,
    verifyIdentity: tls.verifyServer,
  };
}

export function dataSourceOptions(database: AppConfig['database']): DataSourceOptions {
  return {
    type: 'mysql',
    host: database.host,
    port: database.port,
    username: database.user,
    password: database.password,
    database: database.name,
    // common's entities; a feature registers its own in its module (forFeature), and
    // DatabaseModule loads them (autoLoadEntities). A bare DataSource built from these options
    // (migrate.ts, tests) knows only these.
    entities: [...INVENTORY_ENTITIES],
    migrations: MIGRATIONS,
    migrationsTableName: 'typeorm_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    poolSize: database.poolSize,
    charset: 'utf8mb4_bin',
    timezone: 'Z',
    // Fail fast: a health check or a request must not hang on an unreachable server.
    connectTimeout: 5000,
    extra: { enableKeepAlive: true, queryFormat: formatQuery },
    ...(database.tls && { ssl: databaseTls(database.tls) }),
  };
}
