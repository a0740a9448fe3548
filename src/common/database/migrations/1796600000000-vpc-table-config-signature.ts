import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The configuration a VPC table was last judged under (`config_signature`, a SHA-256 hex digest of
 * the VPC's CIDRs and its sessions' settings and policies, computed by BRM). A BRM that starts
 * judges again every table whose signature differs from the inventory's: a configuration changed
 * while no BRM ran takes effect at start-up, not at the VPC's next change. NULL (tables from
 * before this column): judged once.
 *
 * Frozen: plain SQL only, nothing imported from live code.
 */
export class VpcTableConfigSignature1796600000000 implements MigrationInterface {
  name = 'VpcTableConfigSignature1796600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE vpc_route_tables ADD COLUMN config_signature CHAR(64) NULL DEFAULT NULL AFTER revision');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE vpc_route_tables DROP COLUMN config_signature');
  }
}
