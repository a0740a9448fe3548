import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * BRM's hosted VPC route tables (issue #5): the current entries, the paths and rejections behind
 * them, per-session graceful-restart state, the revisioned change log, the Kafka offsets applied
 * (so a redelivered batch is not applied twice) and the transactional outbox. All of it is
 * written in one transaction per batch; see src/brm/README.md.
 *
 * ADD-PATH path ids are 0..2^32-1; -1 stands for "no path id" so the column can be part of a key.
 */
export class VpcRouteTables1795900000000 implements MigrationInterface {
  name = 'VpcRouteTables1795900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const table = 'ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin';
    const vpc = (name: string) =>
      `CONSTRAINT fk_${name}_vpc FOREIGN KEY (hosted_vpc_id) REFERENCES hosted_vpcs (id) ON DELETE RESTRICT ON UPDATE RESTRICT`;
    await queryRunner.query(`CREATE TABLE vpc_route_tables (
      hosted_vpc_id INT UNSIGNED NOT NULL,
      revision BIGINT UNSIGNED NOT NULL DEFAULT 0,
      updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
      PRIMARY KEY (hosted_vpc_id),
      ${vpc('vpc_route_tables')}
    ) ${table}`);
    await queryRunner.query(`CREATE TABLE vpc_routes (
      hosted_vpc_id INT UNSIGNED NOT NULL,
      prefix VARCHAR(64) NOT NULL,
      family VARCHAR(16) NOT NULL,
      state VARCHAR(16) NOT NULL,
      revision BIGINT UNSIGNED NOT NULL,
      entry JSON NOT NULL,
      PRIMARY KEY (hosted_vpc_id, prefix),
      KEY ix_vpc_routes_state (hosted_vpc_id, state),
      ${vpc('vpc_routes')}
    ) ${table}`);
    await queryRunner.query(`CREATE TABLE vpc_route_paths (
      hosted_vpc_id INT UNSIGNED NOT NULL,
      prefix VARCHAR(64) NOT NULL,
      session_id INT UNSIGNED NOT NULL,
      path_id BIGINT NOT NULL,
      family VARCHAR(16) NOT NULL,
      attributes JSON NOT NULL,
      PRIMARY KEY (hosted_vpc_id, prefix, session_id, path_id),
      KEY ix_vpc_route_paths_session (session_id),
      ${vpc('vpc_route_paths')}
    ) ${table}`);
    await queryRunner.query(`CREATE TABLE vpc_rejected_routes (
      hosted_vpc_id INT UNSIGNED NOT NULL,
      prefix VARCHAR(64) NOT NULL,
      session_id INT UNSIGNED NOT NULL,
      path_id BIGINT NOT NULL,
      family VARCHAR(16) NOT NULL,
      reason VARCHAR(32) NOT NULL,
      detail VARCHAR(255) NOT NULL,
      attributes JSON NOT NULL,
      PRIMARY KEY (hosted_vpc_id, prefix, session_id, path_id),
      KEY ix_vpc_rejected_routes_session (session_id),
      ${vpc('vpc_rejected_routes')}
    ) ${table}`);
    await queryRunner.query(`CREATE TABLE vpc_route_sessions (
      hosted_vpc_id INT UNSIGNED NOT NULL,
      session_id INT UNSIGNED NOT NULL,
      phase VARCHAR(16) NOT NULL,
      graceful_restart_negotiated BOOLEAN NULL DEFAULT NULL,
      over_limit BOOLEAN NOT NULL,
      stale JSON NOT NULL,
      PRIMARY KEY (hosted_vpc_id, session_id),
      ${vpc('vpc_route_sessions')}
    ) ${table}`);
    await queryRunner.query(`CREATE TABLE vpc_route_changes (
      hosted_vpc_id INT UNSIGNED NOT NULL,
      revision BIGINT UNSIGNED NOT NULL,
      prefix VARCHAR(64) NOT NULL,
      family VARCHAR(16) NOT NULL,
      action VARCHAR(16) NOT NULL,
      before_entry JSON NULL DEFAULT NULL,
      after_entry JSON NULL DEFAULT NULL,
      cause JSON NOT NULL,
      rejection JSON NULL DEFAULT NULL,
      created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
      PRIMARY KEY (hosted_vpc_id, revision),
      KEY ix_vpc_route_changes_prefix (hosted_vpc_id, prefix, revision),
      ${vpc('vpc_route_changes')}
    ) ${table}`);
    await queryRunner.query(`CREATE TABLE kafka_applied_offsets (
      consumer_group VARCHAR(128) NOT NULL,
      topic VARCHAR(249) NOT NULL,
      partition_no INT UNSIGNED NOT NULL,
      next_offset BIGINT UNSIGNED NOT NULL,
      updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
      PRIMARY KEY (consumer_group, topic, partition_no)
    ) ${table}`);
    await queryRunner.query(`CREATE TABLE outbox (
      id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
      topic VARCHAR(249) NOT NULL,
      message_key VARCHAR(255) NOT NULL,
      event JSON NOT NULL,
      created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
      published_at DATETIME(3) NULL DEFAULT NULL,
      PRIMARY KEY (id),
      KEY ix_outbox_unpublished (published_at, id)
    ) ${table}`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const name of [
      'outbox',
      'kafka_applied_offsets',
      'vpc_route_changes',
      'vpc_route_sessions',
      'vpc_rejected_routes',
      'vpc_route_paths',
      'vpc_routes',
      'vpc_route_tables',
    ])
      await queryRunner.query(`DROP TABLE ${name}`);
  }
}
