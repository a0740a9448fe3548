/**
 * The drift history of a host: one row per change of what a drift check found (drift.ts), not per
 * check. A check that finds the same as the host's latest row (same fingerprint) only moves that
 * row's last_checked_at. A failed check is a row too (report null, error set), written again only
 * when it fails differently. Rows go with their host (ON DELETE CASCADE): without it every checked
 * host could no longer be deleted. Nothing stored here holds a password (drift.ts redacts them).
 */
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { HostEntity } from '../../common/inventory/inventory.entities.js';
import type { DriftReport } from './drift.js';

@Entity('host_drift_reports')
@Index('ix_host_drift_reports_host', ['hostId', 'id'])
export class HostDriftReportEntity {
  @PrimaryGeneratedColumn({ type: 'int', unsigned: true })
  id!: number;

  @Column({ name: 'host_id', type: 'int', unsigned: true })
  hostId!: number;

  @ManyToOne(() => HostEntity, { onDelete: 'CASCADE', onUpdate: 'RESTRICT' })
  @JoinColumn({ name: 'host_id', foreignKeyConstraintName: 'fk_host_drift_reports_host' })
  host?: Relation<HostEntity>;

  /** The check that first found this state (when the row was written). */
  @Column({ name: 'checked_at', type: 'datetime', precision: 3 })
  checkedAt!: Date;

  /** The latest check that found the same state. */
  @Column({ name: 'last_checked_at', type: 'datetime', precision: 3 })
  lastCheckedAt!: Date;

  /** False for a failed check too: nothing is known then (see error). */
  @Column({ type: 'boolean' })
  drifted!: boolean;

  /** driftFingerprint(report) or failureFingerprint(error): sha256, hex. */
  @Column({ type: 'char', length: 64 })
  fingerprint!: string;

  /** Null when the check failed. */
  @Column({ type: 'json', nullable: true, default: () => 'NULL' })
  report: DriftReport | null = null;

  /** Why the check failed, in one line (passwords redacted); null when it ran. */
  @Column({ type: 'text', nullable: true, default: () => 'NULL' })
  error: string | null = null;
}
