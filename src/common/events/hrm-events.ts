/**
 * HRM's contracts: what a UXR endpoint receives (HTTP POST bodies, docs/hrm.md shows examples),
 * the records of the compacted vpc.routes.v1 topic, and the control event the admin API sends
 * HRM instances when a subscription changes.
 */
import type { VpcRoute, VpcRouteChange } from './vpc-events.js';

export const SUBSCRIPTION_CHANGED = 'net.route-broker.hrm.subscription-changed.v1';
export const VPC_ROUTE = 'net.route-broker.vpc.route.v1';

/** One page of a VPC's whole table at `revision`. Page 0 means: forget what you hold for this VPC. */
export interface SnapshotPage {
  kind: 'snapshot';
  subscriptionId: number;
  vpcId: number;
  snapshotId: string;
  revision: number;
  page: number;
  lastPage: boolean;
  routes: VpcRoute[];
}

/** Every change of revisions fromRevision..toRevision, in order; follows the snapshot or the previous delta. */
export interface DeltaDelivery {
  kind: 'delta';
  subscriptionId: number;
  vpcId: number;
  fromRevision: number;
  toRevision: number;
  changes: VpcRouteChange[];
}

export type Delivery = SnapshotPage | DeltaDelivery;

export interface SubscriptionChangedData {
  subscriptionId: number;
  /** `resync`: an operator asked for fresh snapshots; `changed`: reload it (created, edited or deleted). */
  action: 'changed' | 'resync';
}

/** The event's data, checked; a string says what is wrong. */
export function checkSubscriptionChanged(type: string, data: unknown): SubscriptionChangedData | string {
  if (type !== SUBSCRIPTION_CHANGED) return `unexpected event type ${type}`;
  if (typeof data !== 'object' || data === null) return 'data must be an object';
  const { subscriptionId, action } = data as Record<string, unknown>;
  if (typeof subscriptionId !== 'number' || !Number.isSafeInteger(subscriptionId) || subscriptionId < 1)
    return 'data.subscriptionId must be a subscription id';
  if (action !== 'changed' && action !== 'resync') return 'data.action must be changed or resync';
  return { subscriptionId, action };
}

/** A vpc.routes.v1 value: the route as the table holds it now (a withdrawal is a tombstone, no value). */
export interface VpcRouteRecord {
  vpcId: number;
  revision: number;
  route: VpcRoute;
}
