import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit trail (docs/security.md "Who did what"): one row per write through the API, inserted
 * in the write's own transaction. `actor` is the API token's name, `actor_role` its role;
 * `before_state` / `after_state` hold the object as JSON with secrets redacted. Newest first is by
 * `id`; each filter of GET /api/v1/audit has an index ending in `id` for that order.
 *
 * Frozen: plain SQL only, nothing imported from live code.
 */
export class AuditRecords1796900000000 implements MigrationInterface {
  name = 'AuditRecords1796900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE audit_records (
      id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
      recorded_at DATETIME(3) NOT NULL,
      actor VARCHAR(64) NOT NULL,
      actor_role VARCHAR(16) NOT NULL,
      request_id VARCHAR(128) NULL DEFAULT NULL,
      action VARCHAR(64) NOT NULL,
      entity_type VARCHAR(64) NOT NULL,
      entity_id VARCHAR(64) NULL DEFAULT NULL,
      before_state JSON NULL DEFAULT NULL,
      after_state JSON NULL DEFAULT NULL,
      PRIMARY KEY (id),
      KEY ix_audit_records_recorded_at (recorded_at),
      KEY ix_audit_records_actor (actor, id),
      KEY ix_audit_records_action (action, id),
      KEY ix_audit_records_entity (entity_type, entity_id, id),
      KEY ix_audit_records_request (request_id)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE audit_records');
  }
}
