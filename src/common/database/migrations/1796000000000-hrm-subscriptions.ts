import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * HRM (issue #6): UXR endpoints subscribed to hosted VPCs, and per subscription and VPC where
 * delivery stands (state, last revision the subscriber acknowledged, failures). The secret is
 * kept in clear because HRM signs with it (HMAC); the API never returns it.
 */
export class HrmSubscriptions1796000000000 implements MigrationInterface {
  name = 'HrmSubscriptions1796000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const table = 'ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin';
    await queryRunner.query(`CREATE TABLE hrm_subscriptions (
      id INT UNSIGNED NOT NULL AUTO_INCREMENT,
      name VARCHAR(64) NOT NULL,
      region VARCHAR(32) NOT NULL,
      callback_url VARCHAR(2048) NOT NULL,
      secret VARCHAR(256) NOT NULL,
      created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
      updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
      PRIMARY KEY (id),
      UNIQUE KEY uq_hrm_subscriptions_name (name)
    ) ${table}`);
    await queryRunner.query(`CREATE TABLE hrm_deliveries (
      subscription_id INT UNSIGNED NOT NULL,
      hosted_vpc_id INT UNSIGNED NOT NULL,
      state VARCHAR(16) NOT NULL,
      acked_revision BIGINT UNSIGNED NULL DEFAULT NULL,
      resync_reason VARCHAR(255) NULL DEFAULT NULL,
      consecutive_failures INT UNSIGNED NOT NULL DEFAULT 0,
      last_error VARCHAR(512) NULL DEFAULT NULL,
      last_delivered_at DATETIME(3) NULL DEFAULT NULL,
      snapshots BIGINT UNSIGNED NOT NULL DEFAULT 0,
      updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
      PRIMARY KEY (subscription_id, hosted_vpc_id),
      KEY ix_hrm_deliveries_vpc (hosted_vpc_id),
      CONSTRAINT fk_hrm_deliveries_subscription FOREIGN KEY (subscription_id) REFERENCES hrm_subscriptions (id)
        ON DELETE CASCADE ON UPDATE RESTRICT,
      CONSTRAINT fk_hrm_deliveries_vpc FOREIGN KEY (hosted_vpc_id) REFERENCES hosted_vpcs (id) ON DELETE RESTRICT ON UPDATE RESTRICT
    ) ${table}`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE hrm_deliveries');
    await queryRunner.query('DROP TABLE hrm_subscriptions');
  }
}
