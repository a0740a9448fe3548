import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The history of FRR configuration applies (and dry runs), one row per request: inserted when the
 * apply starts with a NULL result, completed when it ends. Passwords never reach this table.
 */
export class FrrApplies1795700000000 implements MigrationInterface {
  name = 'FrrApplies1795700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE frr_applies (
      id INT UNSIGNED NOT NULL AUTO_INCREMENT,
      host_id INT UNSIGNED NOT NULL,
      requested_by VARCHAR(64) NOT NULL,
      request_id VARCHAR(128) NULL DEFAULT NULL,
      dry_run BOOLEAN NOT NULL,
      started_at DATETIME(3) NOT NULL,
      finished_at DATETIME(3) NULL DEFAULT NULL,
      result VARCHAR(16) NULL DEFAULT NULL,
      duration_ms INT UNSIGNED NULL DEFAULT NULL,
      rendered_diff MEDIUMTEXT NULL DEFAULT NULL,
      steps JSON NOT NULL,
      error TEXT NULL DEFAULT NULL,
      PRIMARY KEY (id),
      KEY ix_frr_applies_host (host_id, id),
      CONSTRAINT fk_frr_applies_host FOREIGN KEY (host_id) REFERENCES hosts (id) ON DELETE RESTRICT ON UPDATE RESTRICT
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE frr_applies');
  }
}
