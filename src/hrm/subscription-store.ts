/**
 * MySQL side of HRM (migration 1796000000000): the subscriptions and the delivery state of each
 * subscription and VPC. Nothing here is read on a timer: subscriptions are loaded when partitions
 * are assigned or a subscription changes. A snapshot's table is read through BRM's read model
 * (VpcRoutesService.readSnapshot), not here.
 */
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface SubscriptionTarget {
  subscriptionId: number;
  vpcId: number;
  region: string;
  callbackUrl: string;
  secret: string;
  state: 'snapshot' | 'streaming';
  ackedRevision: number | null;
  resyncReason: string | null;
}

interface TargetRow {
  subscription_id: number;
  hosted_vpc_id: number;
  region: string;
  callback_url: string;
  secret: string;
  state: string;
  acked_revision: string | number | null;
  resync_reason: string | null;
}

const TARGET_COLUMNS = `d.subscription_id, d.hosted_vpc_id, s.region, s.callback_url, s.secret, d.state, d.acked_revision, d.resync_reason`;

function toTarget(row: TargetRow): SubscriptionTarget {
  return {
    subscriptionId: Number(row.subscription_id),
    vpcId: Number(row.hosted_vpc_id),
    region: row.region,
    callbackUrl: row.callback_url,
    secret: row.secret,
    state: row.state === 'streaming' && row.acked_revision !== null ? 'streaming' : 'snapshot',
    ackedRevision: row.acked_revision === null ? null : Number(row.acked_revision),
    resyncReason: row.resync_reason,
  };
}

@Injectable()
export class SubscriptionStore {
  constructor(private readonly dataSource: DataSource) {}

  async allTargets(): Promise<SubscriptionTarget[]> {
    const rows: TargetRow[] = await this.dataSource.query(
      `SELECT ${TARGET_COLUMNS} FROM hrm_deliveries d JOIN hrm_subscriptions s ON s.id = d.subscription_id`,
    );
    return rows.map(toTarget);
  }

  async targetsOf(subscriptionId: number): Promise<SubscriptionTarget[]> {
    const rows: TargetRow[] = await this.dataSource.query(
      `SELECT ${TARGET_COLUMNS} FROM hrm_deliveries d JOIN hrm_subscriptions s ON s.id = d.subscription_id WHERE d.subscription_id = ?`,
      [subscriptionId],
    );
    return rows.map(toTarget);
  }

  async vpcExists(vpcId: number): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query('SELECT id FROM hosted_vpcs WHERE id = ?', [vpcId]);
    return rows.length > 0;
  }

  /** Never moves the acknowledged revision backwards (two instances may briefly both deliver after a rebalance). */
  async recordDelivered(subscriptionId: number, vpcId: number, revision: number, snapshot: boolean): Promise<void> {
    await this.dataSource.query(
      `UPDATE hrm_deliveries SET state = 'streaming', resync_reason = NULL, consecutive_failures = 0, last_error = NULL,
         last_delivered_at = NOW(3), snapshots = snapshots + ?,
         acked_revision = ${snapshot ? '?' : 'GREATEST(COALESCE(acked_revision, 0), ?)'}
       WHERE subscription_id = ? AND hosted_vpc_id = ?`,
      [snapshot ? 1 : 0, revision, subscriptionId, vpcId],
    );
  }

  /** Written before the queued deltas are dropped, so a crash cannot resume streaming past a hole. */
  async recordResync(subscriptionId: number, vpcId: number, reason: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE hrm_deliveries SET state = 'snapshot', resync_reason = ? WHERE subscription_id = ? AND hosted_vpc_id = ?`,
      [reason.slice(0, 255), subscriptionId, vpcId],
    );
  }

  async recordFailure(subscriptionId: number, vpcId: number, failures: number, error: string): Promise<void> {
    await this.dataSource.query(
      'UPDATE hrm_deliveries SET consecutive_failures = ?, last_error = ? WHERE subscription_id = ? AND hosted_vpc_id = ?',
      [failures, error.slice(0, 512), subscriptionId, vpcId],
    );
  }
}
