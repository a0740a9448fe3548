import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `vpc_route_sessions.last_up_down_ms`: when the session last went up or down, the BMP event's
 * time in milliseconds since the epoch (as `vpc_rejected_routes.rejected_at_ms`), so the API and
 * the console can say since when a session is in its state. Null until BRM sees the session go up
 * or down after this migration.
 *
 * Frozen: plain SQL only, nothing imported from live code.
 */
export class SessionUpDownTime1797000000000 implements MigrationInterface {
  name = 'SessionUpDownTime1797000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE vpc_route_sessions ADD COLUMN last_up_down_ms BIGINT NULL DEFAULT NULL');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE vpc_route_sessions DROP COLUMN last_up_down_ms');
  }
}
