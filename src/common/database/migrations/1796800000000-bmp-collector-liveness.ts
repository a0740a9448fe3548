import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Collector liveness (docs/bmp.md "A collector that dies"):
 * - `bmp_collectors`: one row per collector run (a process start), its heartbeat, and when BRM
 *   found it lost (it stopped answering for longer than allowed) and which check did;
 * - `vpc_route_sessions.bmp_connection` / `bmp_session`: the BMP connection of the session's last
 *   session-up and the session as it was named there, so that BRM can say the session down on
 *   behalf of a collector that died, and ignore a late down from a connection the session left.
 *
 * Frozen: plain SQL only, nothing imported from live code.
 */
export class BmpCollectorLiveness1796800000000 implements MigrationInterface {
  name = 'BmpCollectorLiveness1796800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE bmp_collectors (
      run_id VARCHAR(100) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
      instance_id VARCHAR(64) NOT NULL,
      started_at DATETIME(3) NOT NULL,
      last_seen_at DATETIME(3) NOT NULL,
      lost_at DATETIME(3) NULL DEFAULT NULL,
      -- Which check declared it lost (the BRM instance and a random part): the rows it marked.
      lost_by VARCHAR(100) NULL DEFAULT NULL,
      PRIMARY KEY (run_id),
      KEY ix_bmp_collectors_lost_by (lost_by),
      KEY ix_bmp_collectors_watch (lost_at, last_seen_at)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`);
    await queryRunner.query(
      `ALTER TABLE vpc_route_sessions
         ADD COLUMN bmp_connection VARCHAR(120) CHARACTER SET ascii COLLATE ascii_bin NULL DEFAULT NULL,
         ADD COLUMN bmp_session JSON NULL DEFAULT NULL,
         ADD KEY ix_vpc_route_sessions_connection (bmp_connection)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE vpc_route_sessions DROP KEY ix_vpc_route_sessions_connection, DROP COLUMN bmp_connection, DROP COLUMN bmp_session',
    );
    await queryRunner.query('DROP TABLE bmp_collectors');
  }
}
