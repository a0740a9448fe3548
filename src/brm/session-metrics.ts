/**
 * The customer BGP sessions' gauges: per hosted VPC and configured session, whether BRM has it up
 * and whether it is over its max-prefix limit, as the VPC's table holds it after each commit and
 * when it is loaded (docs/operations.md "Metrics").
 *
 * Ownership: a session's events all travel on one partition of bgp.route-events.v1 (keyed by
 * session), and only the BRM instance the consumer group gave that partition applies its ups and
 * downs. That instance alone exports the session's series; the others remove theirs. Otherwise an
 * instance that applied the session's events before a rebalance would go on exporting what it last
 * saw, and an alert would find two values. A session's partition is that of its Kafka key: the key
 * its last session-up carried (the table's reporter), else the one the collector gives it from the
 * inventory (`<host name>|<peer address>|<peer AS>`). On each new assignment the series of
 * partitions no longer assigned are removed at once, and those of the new ones are read from the
 * stored session rows (BrmService).
 *
 * A session BRM knows nothing of yet (no session-up or session-down seen) has no series; a session
 * deconfigured or moved to another VPC loses its series on the next inventory load.
 */
import { Gauge } from 'prom-client';
import { metricsRegistry } from '../common/metrics.js';
import type { GrPhase } from './core/graceful-restart.js';
import type { SessionStatus } from './core/route-table.js';

const LABELS = ['hosted_vpc_id', 'session_id'] as const;

export const sessionUp = new Gauge({
  name: 'route_broker_brm_session_up',
  help: 'Customer BGP sessions as BRM applied them, per hosted VPC and configured session: 1 up (established, or recovering after a graceful restart), 0 down (restarting under graceful restart, or down); set when BRM commits or loads the VPC table, only by the BRM instance assigned the partition of bgp.route-events.v1 that carries the session; no series before BRM saw the session up or down',
  labelNames: LABELS,
  registers: [metricsRegistry],
});

export const sessionOverMaxPrefix = new Gauge({
  name: 'route_broker_brm_session_over_max_prefix',
  help: 'Customer BGP sessions over their max-prefix limit, per hosted VPC and configured session: 1 from the max-prefix-exceeded alert (BRM refuses new prefixes) to max-prefix-cleared, else 0; set like route_broker_brm_session_up',
  labelNames: LABELS,
  registers: [metricsRegistry],
});

/** Up as the gauge says it: established, or up again with stale routes not yet re-announced. */
export function isUpPhase(phase: GrPhase): boolean {
  return phase === 'established' || phase === 'recovering';
}

/** This instance's share of bgp.route-events.v1: the topic's partition count and the partitions assigned to it. */
export interface Ownership {
  partitions: number;
  owned: ReadonlySet<number>;
}

/** One instance's series of the two gauges: which it shows, and which it must remove when they are no longer its own. */
export class SessionGauges {
  private ownership: Ownership | null = null;
  /** VPC id → session id → the session's Kafka key, for the series this instance exports. */
  private readonly shown = new Map<number, Map<number, string>>();
  /** Key → partition, for the current partition count. */
  private readonly partitionOfKey = new Map<string, number>();

  constructor(private readonly partitionOf: (key: string, partitions: number) => number) {}

  /**
   * The partitions assigned to this instance now (null: none, e.g. before the group's first
   * assignment). Series of sessions on other partitions are removed; those on newly assigned ones
   * appear when the caller shows their VPCs.
   */
  assigned(ownership: Ownership | null): void {
    if (ownership?.partitions !== this.ownership?.partitions) this.partitionOfKey.clear();
    this.ownership = ownership;
    for (const [vpcId, sessions] of this.shown) {
      for (const [sessionId, key] of sessions) if (!this.owns(key)) this.remove(vpcId, sessionId, sessions);
      if (sessions.size === 0) this.shown.delete(vpcId);
    }
  }

  /**
   * The VPC's configured sessions as its table holds them now (all of them: a session of the VPC
   * missing from `statuses` loses its series). `keyOf` gives a session's Kafka key, null if unknown.
   */
  show(vpcId: number, statuses: readonly SessionStatus[], keyOf: (status: SessionStatus) => string | null): void {
    const before = this.shown.get(vpcId);
    const now = new Map<number, string>();
    for (const status of statuses) {
      const key = keyOf(status);
      if (key === null || !this.owns(key)) continue;
      const labels = { hosted_vpc_id: String(vpcId), session_id: String(status.sessionId) };
      sessionUp.set(labels, isUpPhase(status.phase) ? 1 : 0);
      sessionOverMaxPrefix.set(labels, status.overLimit ? 1 : 0);
      now.set(status.sessionId, key);
    }
    if (before) for (const sessionId of before.keys()) if (!now.has(sessionId)) this.remove(vpcId, sessionId, before);
    if (now.size > 0) this.shown.set(vpcId, now);
    else this.shown.delete(vpcId);
  }

  /** Keeps only the series of sessions still configured for their VPC (`configured(vpcId, sessionId)`). */
  retain(configured: (vpcId: number, sessionId: number) => boolean): void {
    for (const [vpcId, sessions] of this.shown) {
      for (const sessionId of [...sessions.keys()]) if (!configured(vpcId, sessionId)) this.remove(vpcId, sessionId, sessions);
      if (sessions.size === 0) this.shown.delete(vpcId);
    }
  }

  /** Removes every series this instance shows (it stops). */
  clear(): void {
    for (const [vpcId, sessions] of this.shown) for (const sessionId of [...sessions.keys()]) this.remove(vpcId, sessionId, sessions);
    this.shown.clear();
  }

  private owns(key: string): boolean {
    if (this.ownership === null || this.ownership.partitions <= 0) return false;
    let partition = this.partitionOfKey.get(key);
    if (partition === undefined) {
      // Bounded: a key seen again after a clear is just hashed again.
      if (this.partitionOfKey.size >= 100_000) this.partitionOfKey.clear();
      partition = this.partitionOf(key, this.ownership.partitions);
      this.partitionOfKey.set(key, partition);
    }
    return this.ownership.owned.has(partition);
  }

  private remove(vpcId: number, sessionId: number, sessions: Map<number, string>): void {
    const labels = { hosted_vpc_id: String(vpcId), session_id: String(sessionId) };
    sessionUp.remove(labels);
    sessionOverMaxPrefix.remove(labels);
    sessions.delete(sessionId);
  }
}
