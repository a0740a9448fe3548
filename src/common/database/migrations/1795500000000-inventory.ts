import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The inventory: regions, hypervisor hosts, PEs, GRE tunnels, hosted VPCs and BGP sessions. */
export class Inventory1795500000000 implements MigrationInterface {
  name = 'Inventory1795500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const table = 'ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin';
    const timestamps = `created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
      updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3)`;

    await queryRunner.query(`CREATE TABLE regions (
      id INT UNSIGNED NOT NULL AUTO_INCREMENT,
      code VARCHAR(32) NOT NULL,
      description VARCHAR(255) NOT NULL DEFAULT '',
      ${timestamps},
      PRIMARY KEY (id),
      UNIQUE KEY uq_regions_code (code)
    ) ${table}`);

    await queryRunner.query(`CREATE TABLE hosts (
      id INT UNSIGNED NOT NULL AUTO_INCREMENT,
      name VARCHAR(64) NOT NULL,
      region_id INT UNSIGNED NOT NULL,
      zone VARCHAR(64) NOT NULL,
      management_address VARCHAR(45) NOT NULL,
      ssh_port SMALLINT UNSIGNED NOT NULL DEFAULT 22,
      underlay_address VARCHAR(45) NOT NULL,
      router_id VARCHAR(15) NOT NULL,
      asn INT UNSIGNED NOT NULL,
      ${timestamps},
      PRIMARY KEY (id),
      UNIQUE KEY uq_hosts_name (name),
      KEY ix_hosts_region (region_id),
      CONSTRAINT fk_hosts_region FOREIGN KEY (region_id) REFERENCES regions (id) ON DELETE RESTRICT ON UPDATE RESTRICT
    ) ${table}`);

    await queryRunner.query(`CREATE TABLE pes (
      id INT UNSIGNED NOT NULL AUTO_INCREMENT,
      name VARCHAR(64) NOT NULL,
      underlay_address VARCHAR(45) NOT NULL,
      asn INT UNSIGNED NOT NULL,
      owner VARCHAR(128) NOT NULL,
      description VARCHAR(255) NOT NULL DEFAULT '',
      ${timestamps},
      PRIMARY KEY (id),
      UNIQUE KEY uq_pes_name (name)
    ) ${table}`);

    await queryRunner.query(`CREATE TABLE hosted_vpcs (
      id INT UNSIGNED NOT NULL AUTO_INCREMENT,
      name VARCHAR(64) NOT NULL,
      region_id INT UNSIGNED NOT NULL,
      owner VARCHAR(128) NOT NULL,
      cidrs JSON NOT NULL,
      ${timestamps},
      PRIMARY KEY (id),
      UNIQUE KEY uq_hosted_vpcs_name (name),
      KEY ix_hosted_vpcs_region (region_id),
      CONSTRAINT fk_hosted_vpcs_region FOREIGN KEY (region_id) REFERENCES regions (id) ON DELETE RESTRICT ON UPDATE RESTRICT
    ) ${table}`);

    await queryRunner.query(`CREATE TABLE gre_tunnels (
      id INT UNSIGNED NOT NULL AUTO_INCREMENT,
      host_id INT UNSIGNED NOT NULL,
      pe_id INT UNSIGNED NOT NULL,
      interface_name VARCHAR(15) NOT NULL,
      tunnel_key INT UNSIGNED NOT NULL,
      local_inner_address VARCHAR(15) NOT NULL,
      remote_inner_address VARCHAR(15) NOT NULL,
      inner_prefix_length TINYINT UNSIGNED NOT NULL,
      mtu SMALLINT UNSIGNED NOT NULL DEFAULT 1476,
      ttl TINYINT UNSIGNED NOT NULL DEFAULT 255,
      ${timestamps},
      PRIMARY KEY (id),
      UNIQUE KEY uq_gre_tunnels_host_key (host_id, tunnel_key),
      UNIQUE KEY uq_gre_tunnels_host_interface (host_id, interface_name),
      UNIQUE KEY uq_gre_tunnels_host_local_inner (host_id, local_inner_address),
      KEY ix_gre_tunnels_pe (pe_id),
      CONSTRAINT fk_gre_tunnels_host FOREIGN KEY (host_id) REFERENCES hosts (id) ON DELETE RESTRICT ON UPDATE RESTRICT,
      CONSTRAINT fk_gre_tunnels_pe FOREIGN KEY (pe_id) REFERENCES pes (id) ON DELETE RESTRICT ON UPDATE RESTRICT
    ) ${table}`);

    await queryRunner.query(`CREATE TABLE bgp_sessions (
      id INT UNSIGNED NOT NULL AUTO_INCREMENT,
      tunnel_id INT UNSIGNED NOT NULL,
      hosted_vpc_id INT UNSIGNED NOT NULL,
      local_asn INT UNSIGNED NOT NULL,
      peer_asn INT UNSIGNED NOT NULL,
      peer_address VARCHAR(45) NOT NULL,
      md5_password VARCHAR(80) NULL,
      keepalive_seconds SMALLINT UNSIGNED NOT NULL DEFAULT 30,
      hold_time_seconds SMALLINT UNSIGNED NOT NULL DEFAULT 90,
      max_prefix INT UNSIGNED NOT NULL DEFAULT 1000,
      graceful_restart_seconds SMALLINT UNSIGNED NOT NULL DEFAULT 120,
      description VARCHAR(80) NOT NULL DEFAULT '',
      ${timestamps},
      PRIMARY KEY (id),
      UNIQUE KEY uq_bgp_sessions_tunnel_peer (tunnel_id, peer_address),
      KEY ix_bgp_sessions_vpc (hosted_vpc_id),
      CONSTRAINT fk_bgp_sessions_tunnel FOREIGN KEY (tunnel_id) REFERENCES gre_tunnels (id) ON DELETE RESTRICT ON UPDATE RESTRICT,
      CONSTRAINT fk_bgp_sessions_vpc FOREIGN KEY (hosted_vpc_id) REFERENCES hosted_vpcs (id) ON DELETE RESTRICT ON UPDATE RESTRICT
    ) ${table}`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['bgp_sessions', 'gre_tunnels', 'hosted_vpcs', 'pes', 'hosts', 'regions']) {
      await queryRunner.query(`DROP TABLE ${table}`);
    }
  }
}
