/**
 * One apply of a host's rendered FRR configuration (or a dry run), as recorded by FrrApplyService.
 * The row is inserted when the apply starts (result null) and completed when it ends, so an apply
 * interrupted by a crash still leaves evidence. Nothing stored here holds a password: the diff
 * and every step's command and output are redacted before they reach this entity.
 */
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { HostEntity } from '../../common/inventory/inventory.entities.js';
import type { ApplyOutcome } from './frr-applier.js';

/** A step as stored: the applier's steps, plus `connect` when the SSH connection itself failed. */
export interface StoredApplyStep {
  step: string;
  command: string;
  exitCode: number;
  /** Secrets redacted, truncated. */
  output: string;
  durationMs: number;
}

@Entity('frr_applies')
@Index('ix_frr_applies_host', ['hostId', 'id'])
@Index('ix_frr_applies_open', ['result', 'instanceId'])
export class FrrApplyEntity {
  @PrimaryGeneratedColumn({ type: 'int', unsigned: true })
  id!: number;

  @Column({ name: 'host_id', type: 'int', unsigned: true })
  hostId!: number;

  @ManyToOne(() => HostEntity, { onDelete: 'RESTRICT', onUpdate: 'RESTRICT' })
  @JoinColumn({ name: 'host_id', foreignKeyConstraintName: 'fk_frr_applies_host' })
  host?: Relation<HostEntity>;

  /**
   * The name of the API token that asked (RB_API_OPERATOR_TOKENS `name:token`, or `operator-<n>`
   * for a bare token). Records written before tokens had names hold the role, `operator`.
   */
  @Column({ name: 'requested_by', type: 'varchar', length: 64 })
  requestedBy!: string;

  /** The HTTP request id (X-Request-Id, the caller's when it gave a sane one), to find the logs. */
  @Column({ name: 'request_id', type: 'varchar', length: 128, nullable: true, default: () => 'NULL' })
  requestId: string | null = null;

  /** The route-broker instance (RB_INSTANCE_ID) that ran it: it closes the row if it died during the apply. */
  @Column({ name: 'instance_id', type: 'varchar', length: 64, nullable: true, default: () => 'NULL' })
  instanceId: string | null = null;

  @Column({ name: 'dry_run', type: 'boolean' })
  dryRun!: boolean;

  @Column({ name: 'started_at', type: 'datetime', precision: 3 })
  startedAt!: Date;

  @Column({ name: 'finished_at', type: 'datetime', precision: 3, nullable: true, default: () => 'NULL' })
  finishedAt: Date | null = null;

  /**
   * Null while the apply runs. `interrupted`: the instance stopped during it (written when that
   * instance starts again); the host may hold part of the change, its drift report says what.
   */
  @Column({ type: 'varchar', length: 16, nullable: true, default: () => 'NULL' })
  result: ApplyOutcome | 'interrupted' | null = null;

  @Column({ name: 'duration_ms', type: 'int', unsigned: true, nullable: true, default: () => 'NULL' })
  durationMs: number | null = null;

  /** frr-reload.py's "Lines To Delete / Lines To Add", passwords redacted. */
  @Column({ name: 'rendered_diff', type: 'mediumtext', nullable: true, default: () => 'NULL' })
  renderedDiff: string | null = null;

  @Column({ type: 'json' })
  steps!: StoredApplyStep[];

  /** Why it did not apply, in one line (passwords redacted); null for applied, unchanged and dry-run. */
  @Column({ type: 'text', nullable: true, default: () => 'NULL' })
  error: string | null = null;
}
