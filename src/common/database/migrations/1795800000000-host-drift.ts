import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The drift history of hosts: a row each time a drift check finds something other than the host's
 * latest row (a check that finds the same only moves last_checked_at). Deleted with the host.
 */
export class HostDrift1795800000000 implements MigrationInterface {
  name = 'HostDrift1795800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE host_drift_reports (
      id INT UNSIGNED NOT NULL AUTO_INCREMENT,
      host_id INT UNSIGNED NOT NULL,
      checked_at DATETIME(3) NOT NULL,
      last_checked_at DATETIME(3) NOT NULL,
      drifted BOOLEAN NOT NULL,
      fingerprint CHAR(64) NOT NULL,
      report JSON NULL DEFAULT NULL,
      error TEXT NULL DEFAULT NULL,
      PRIMARY KEY (id),
      KEY ix_host_drift_reports_host (host_id, id),
      CONSTRAINT fk_host_drift_reports_host FOREIGN KEY (host_id) REFERENCES hosts (id) ON DELETE CASCADE ON UPDATE RESTRICT
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE host_drift_reports');
  }
}
