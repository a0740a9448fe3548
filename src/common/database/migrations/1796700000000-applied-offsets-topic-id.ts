import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The Kafka topic ID (KIP-516, base64url text) that BRM's applied offsets belong to. A topic
 * deleted and created again, or a Kafka cluster replaced, starts its offsets at 0 under the same
 * name: without the ID, BRM took every new event for one it had already applied and skipped it.
 * NULL (offsets recorded before this column): the ID is adopted at the next batch.
 *
 * Frozen: plain SQL only, nothing imported from live code.
 */
export class AppliedOffsetsTopicId1796700000000 implements MigrationInterface {
  name = 'AppliedOffsetsTopicId1796700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE kafka_applied_offsets ADD COLUMN topic_id CHAR(22) CHARACTER SET ascii COLLATE ascii_bin NULL DEFAULT NULL AFTER partition_no',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE kafka_applied_offsets DROP COLUMN topic_id');
  }
}
