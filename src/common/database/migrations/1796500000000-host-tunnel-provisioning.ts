import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Who makes a host's GRE tunnels: `managed` — route-broker's apply runs the rendered GRE setup
 * before FRR; `external` — something else does (a host agent, the lab's veth pairs) and
 * route-broker only checks them. New hosts default to `managed`. Hosts that exist already are
 * marked `external`: before this migration route-broker never touched their tunnels, and an
 * upgrade must not start doing so behind their operators' backs.
 *
 * Frozen: plain SQL only, nothing imported from live code.
 */
export class HostTunnelProvisioning1796500000000 implements MigrationInterface {
  name = 'HostTunnelProvisioning1796500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE hosts
      ADD COLUMN tunnel_provisioning ENUM('managed','external') NOT NULL DEFAULT 'external' AFTER frr_reload_command`);
    await queryRunner.query(`ALTER TABLE hosts
      MODIFY COLUMN tunnel_provisioning ENUM('managed','external') NOT NULL DEFAULT 'managed'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE hosts DROP COLUMN tunnel_provisioning');
  }
}
