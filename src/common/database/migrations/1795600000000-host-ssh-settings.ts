import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * How route-broker reaches a host's FRR: the SSH user, the host key it pins (no key, no
 * connection), and the commands that run vtysh and frr-reload there (for example inside a
 * network namespace). Per host, so no host layout is baked into code.
 */
export class HostSshSettings1795600000000 implements MigrationInterface {
  name = 'HostSshSettings1795600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE hosts
      ADD COLUMN ssh_user VARCHAR(32) NOT NULL DEFAULT 'route-broker' AFTER ssh_port,
      ADD COLUMN ssh_host_key VARCHAR(1024) NULL DEFAULT NULL AFTER ssh_user,
      ADD COLUMN vtysh_command VARCHAR(255) NOT NULL DEFAULT 'vtysh' AFTER ssh_host_key,
      ADD COLUMN frr_reload_command VARCHAR(255) NOT NULL DEFAULT '/usr/lib/frr/frr-reload.py' AFTER vtysh_command`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE hosts
      DROP COLUMN frr_reload_command, DROP COLUMN vtysh_command, DROP COLUMN ssh_host_key, DROP COLUMN ssh_user`);
  }
}
