import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Which route-broker instance ran an apply, so that instance can close the rows it left open when
 * it died in the middle of one (result `interrupted`) instead of leaving them "running" forever.
 */
export class FrrApplyInstance1796100000000 implements MigrationInterface {
  name = 'FrrApplyInstance1796100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE frr_applies ADD COLUMN instance_id VARCHAR(64) NULL DEFAULT NULL AFTER request_id');
    await queryRunner.query('CREATE INDEX ix_frr_applies_open ON frr_applies (result, instance_id)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX ix_frr_applies_open ON frr_applies');
    await queryRunner.query('ALTER TABLE frr_applies DROP COLUMN instance_id');
  }
}
