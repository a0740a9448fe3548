import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Interconnect instances (issue #6): a customer's set of hosted VPCs joined through the global
 * interconnect service. A UXR subscription can follow one instead of a fixed VPC list: its
 * deliveries (hrm_deliveries) then follow the instance's membership.
 */
export class InterconnectInstances1796200000000 implements MigrationInterface {
  name = 'InterconnectInstances1796200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const table = 'ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin';
    await queryRunner.query(`CREATE TABLE interconnect_instances (
      id INT UNSIGNED NOT NULL AUTO_INCREMENT,
      name VARCHAR(64) NOT NULL,
      owner VARCHAR(128) NOT NULL,
      created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
      updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
      PRIMARY KEY (id),
      UNIQUE KEY uq_interconnect_instances_name (name)
    ) ${table}`);
    await queryRunner.query(`CREATE TABLE interconnect_instance_vpcs (
      interconnect_instance_id INT UNSIGNED NOT NULL,
      hosted_vpc_id INT UNSIGNED NOT NULL,
      PRIMARY KEY (interconnect_instance_id, hosted_vpc_id),
      KEY ix_interconnect_instance_vpcs_vpc (hosted_vpc_id),
      CONSTRAINT fk_interconnect_instance_vpcs_instance FOREIGN KEY (interconnect_instance_id) REFERENCES interconnect_instances (id)
        ON DELETE CASCADE ON UPDATE RESTRICT,
      CONSTRAINT fk_interconnect_instance_vpcs_vpc FOREIGN KEY (hosted_vpc_id) REFERENCES hosted_vpcs (id) ON DELETE RESTRICT ON UPDATE RESTRICT
    ) ${table}`);
    await queryRunner.query(`ALTER TABLE hrm_subscriptions
      ADD COLUMN interconnect_instance_id INT UNSIGNED NULL DEFAULT NULL AFTER secret,
      ADD CONSTRAINT fk_hrm_subscriptions_instance FOREIGN KEY (interconnect_instance_id) REFERENCES interconnect_instances (id)
        ON DELETE RESTRICT ON UPDATE RESTRICT`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE hrm_subscriptions DROP FOREIGN KEY fk_hrm_subscriptions_instance');
    await queryRunner.query('ALTER TABLE hrm_subscriptions DROP COLUMN interconnect_instance_id');
    await queryRunner.query('DROP TABLE interconnect_instance_vpcs');
    await queryRunner.query('DROP TABLE interconnect_instances');
  }
}
