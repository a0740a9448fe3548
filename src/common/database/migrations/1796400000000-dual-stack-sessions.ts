import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Dual-stack inventory and per-session import policy:
 * - a GRE tunnel has an IPv4 inner pair, an IPv6 inner pair (/126 or /127, RFC 5952 text), or
 *   both: the IPv4 columns become nullable and the IPv6 ones are added, with the same
 *   one-local-address-per-host key;
 * - a BGP session says which address families it carries (`address_families`, never empty:
 *   existing sessions carry the family of their peer address) and may have an import policy
 *   (`import_policy`, JSON; NULL is the platform's defaults alone).
 *
 * Frozen: plain SQL only, nothing imported from live code.
 */
export class DualStackSessions1796400000000 implements MigrationInterface {
  name = 'DualStackSessions1796400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE gre_tunnels
      MODIFY COLUMN local_inner_address VARCHAR(15) NULL DEFAULT NULL,
      MODIFY COLUMN remote_inner_address VARCHAR(15) NULL DEFAULT NULL,
      MODIFY COLUMN inner_prefix_length TINYINT UNSIGNED NULL DEFAULT NULL,
      ADD COLUMN local_inner_address_v6 VARCHAR(39) NULL DEFAULT NULL AFTER inner_prefix_length,
      ADD COLUMN remote_inner_address_v6 VARCHAR(39) NULL DEFAULT NULL AFTER local_inner_address_v6,
      ADD COLUMN inner_prefix_length_v6 TINYINT UNSIGNED NULL DEFAULT NULL AFTER remote_inner_address_v6,
      ADD UNIQUE KEY uq_gre_tunnels_host_local_inner_v6 (host_id, local_inner_address_v6)`);
    // Nullable first so existing rows can be given their family, then NOT NULL without a default:
    // every writer must say what a session carries.
    await queryRunner.query(`ALTER TABLE bgp_sessions
      ADD COLUMN address_families SET('ipv4-unicast','ipv6-unicast') NULL DEFAULT NULL AFTER peer_address,
      ADD COLUMN import_policy JSON NULL DEFAULT NULL AFTER address_families`);
    await queryRunner.query("UPDATE bgp_sessions SET address_families = IF(LOCATE(':', peer_address) > 0, 'ipv6-unicast', 'ipv4-unicast')");
    await queryRunner.query(`ALTER TABLE bgp_sessions
      MODIFY COLUMN address_families SET('ipv4-unicast','ipv6-unicast') NOT NULL`);
  }

  /**
   * Refuses, before changing anything (MariaDB commits each ALTER at once), while rows exist that
   * the previous schema cannot hold or that would silently change meaning there: tunnels without
   * an IPv4 pair, sessions peering over IPv6 or carrying ipv6-unicast (the previous code only
   * knows IPv4 sessions to the tunnel's IPv4 peer), and import policies (dropping one would let
   * a session import what its operator restricted, and it would not come back with `up`).
   */
  async down(queryRunner: QueryRunner): Promise<void> {
    const count = async (sql: string): Promise<{ count: number; ids: string }> => {
      const [row] = (await queryRunner.query(sql)) as { count: number | string; ids: string | null }[];
      return { count: Number(row?.count ?? 0), ids: row?.ids ?? '' };
    };
    const idList = (sql: string) => count(`SELECT COUNT(*) AS count, GROUP_CONCAT(id ORDER BY id SEPARATOR ', ') AS ids FROM ${sql}`);
    const problems: string[] = [];
    const noun = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

    const v6Only = await idList(
      'gre_tunnels WHERE local_inner_address IS NULL OR remote_inner_address IS NULL OR inner_prefix_length IS NULL',
    );
    if (v6Only.count > 0) {
      problems.push(
        `${noun(v6Only.count, 'tunnel has', 'tunnels have')} no IPv4 inner pair (gre_tunnels ${v6Only.ids}): give them one or delete them`,
      );
    }
    const v6Peers = await idList("bgp_sessions WHERE LOCATE(':', peer_address) > 0");
    if (v6Peers.count > 0) {
      problems.push(`${noun(v6Peers.count, 'session peers', 'sessions peer')} over IPv6 (bgp_sessions ${v6Peers.ids}): delete them`);
    }
    const v6Carriers = await idList("bgp_sessions WHERE FIND_IN_SET('ipv6-unicast', address_families) > 0");
    if (v6Carriers.count > 0) {
      problems.push(
        `${noun(v6Carriers.count, 'session carries', 'sessions carry')} ipv6-unicast (bgp_sessions ${v6Carriers.ids}): set their addressFamilies to ["ipv4-unicast"] or delete them`,
      );
    }
    const policies = await idList('bgp_sessions WHERE import_policy IS NOT NULL');
    if (policies.count > 0) {
      problems.push(
        `${noun(policies.count, 'session has', 'sessions have')} an import policy (bgp_sessions ${policies.ids}): clear them (importPolicy: null) first`,
      );
    }
    if (problems.length > 0) throw new Error(`cannot migrate down: ${problems.join('; ')}`);

    await queryRunner.query('ALTER TABLE bgp_sessions DROP COLUMN import_policy, DROP COLUMN address_families');
    await queryRunner.query(`ALTER TABLE gre_tunnels
      DROP KEY uq_gre_tunnels_host_local_inner_v6,
      DROP COLUMN inner_prefix_length_v6,
      DROP COLUMN remote_inner_address_v6,
      DROP COLUMN local_inner_address_v6,
      MODIFY COLUMN local_inner_address VARCHAR(15) NOT NULL,
      MODIFY COLUMN remote_inner_address VARCHAR(15) NOT NULL,
      MODIFY COLUMN inner_prefix_length TINYINT UNSIGNED NOT NULL`);
  }
}
