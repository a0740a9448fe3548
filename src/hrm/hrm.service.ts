/**
 * HRM: keeps UXR endpoints up to date by push. It consumes BRM's change stream
 * (interconnect.route-updates.v1, keyed by VPC) as a Kafka consumer group, so each VPC is served by
 * the one instance that owns its partition, and fans each message out to that VPC's subscribers:
 * a snapshot first (read from MySQL at one revision), then the deltas in revision order, each
 * subscriber at its own pace with its own bounded queue (src/hrm/core/subscriber-queue.ts).
 *
 * Nothing is read on a timer. Subscriptions are loaded when partitions are assigned and when the
 * admin API announces a change on route-broker.subscriptions.v1; tables only for a snapshot.
 *
 * Crash safety: a message's Kafka offset is committed only once every subscriber has it (or has
 * been marked for a snapshot in MySQL), and the acknowledged revision is stored before the
 * message is released. A restart therefore redelivers what some subscriber lacks, and each
 * subscriber drops the revisions it already has.
 *
 * It also keeps the compacted topic vpc.routes.v1 (key `<vpc>|<prefix>`, a tombstone on
 * withdrawal) with the latest table for other services; it is written before the message is fanned out.
 */
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Counter, Gauge, Histogram } from 'prom-client';
import { VpcRoutesService } from '../brm/vpc-routes.service.js';
import { APP_CONFIG } from '../common/config/config.module.js';
import type { AppConfig } from '../common/config/config.js';
import {
  checkSubscriptionChanged,
  VPC_ROUTE,
  type Delivery,
  type SubscriptionChangedData,
  type VpcRouteRecord,
} from '../common/events/hrm-events.js';
import type { RouteTableChangedData } from '../common/events/vpc-events.js';
import { createCloudEvent } from '../common/kafka/cloud-event.js';
import { KafkaGateway, type CheckedEvent, type OutgoingEvent } from '../common/kafka/kafka.gateway.js';
import { TOPICS } from '../common/kafka/topics.js';
import { metricsRegistry, observeOldestChangeAge } from '../common/metrics.js';
import { retryDelayMs } from './core/backoff.js';
import { PublishBatcher } from './core/publish-batcher.js';
import { checkRouteTableChanged } from './core/route-table-changed-schema.js';
import { SubscriberQueue } from './core/subscriber-queue.js';
import { deliver } from './delivery-client.js';
import { SnapshotSlots } from './snapshot-slots.js';
import { SubscriptionStore, type SubscriptionTarget } from './subscription-store.js';

const deliveries = new Counter({
  name: 'route_broker_hrm_deliveries_total',
  help: 'Delivery requests to UXR endpoints, by kind (snapshot page, delta) and outcome (taken, failed, resync)',
  labelNames: ['kind', 'outcome'] as const,
  registers: [metricsRegistry],
});
const deliverySeconds = new Histogram({
  name: 'route_broker_hrm_delivery_seconds',
  help: 'Time of one delivery request to a UXR endpoint, answer included',
  labelNames: ['kind'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [metricsRegistry],
});
const resyncs = new Counter({
  name: 'route_broker_hrm_resyncs_total',
  help: 'Subscribers sent back to a snapshot (a gap, too far behind, the receiver asked with 409, or an operator asked)',
  registers: [metricsRegistry],
});

/** The services of this process (one, except in tests that start several apps), for the gauges. */
const liveServices = new Set<HrmService>();
const allTargets = function* (): Generator<{ target: Target; seen: number | undefined }> {
  for (const service of liveServices) {
    for (const target of service.targets.values()) yield { target, seen: service.latestRevision.get(target.info.vpcId) };
  }
};
new Gauge({
  name: 'route_broker_hrm_queued_changes',
  help: 'Changes waiting to be delivered, over all subscribers this instance serves',
  registers: [metricsRegistry],
  collect() {
    let sum = 0;
    for (const { target } of allTargets()) sum += target.queue.pendingChanges;
    this.set(sum);
  },
});
new Gauge({
  name: 'route_broker_hrm_subscribers',
  help: 'Subscription × VPC pairs this instance serves, by state (snapshot, streaming) and whether the last delivery failed',
  labelNames: ['state', 'failing'] as const,
  registers: [metricsRegistry],
  collect() {
    this.reset();
    for (const { target } of allTargets()) this.inc({ state: target.queue.state, failing: String(target.failures > 0) });
  },
});
new Gauge({
  name: 'route_broker_hrm_lag_revisions',
  help: 'Revisions seen on the change stream but not yet delivered, per subscription and VPC',
  labelNames: ['subscription', 'vpc'] as const,
  registers: [metricsRegistry],
  collect() {
    this.reset();
    for (const { target, seen } of allTargets()) {
      if (seen === undefined) continue;
      const upTo = target.queue.queuedUpTo;
      // Each revision is one change, so what is delivered is what is queued minus what still waits.
      const delivered = upTo === null ? 0 : upTo - target.queue.pendingChanges;
      this.set({ subscription: String(target.info.subscriptionId), vpc: String(target.info.vpcId) }, Math.max(0, seen - delivered));
    }
  },
});

/** Notifications taken and not yet offered to subscribers, at most (each holds its changes). */
const MAX_TAKEN_AHEAD = 64;

/** vpc.routes.v1 for one notification: each prefix as it is now, or a tombstone; the last change per prefix. */
function latestRecords(message: RouteTableChangedData, source: string): OutgoingEvent[] {
  const latest = new Map<string, OutgoingEvent>();
  for (const change of message.changes) {
    if (change.action === 'reject') continue;
    const key = `${message.vpcId}|${change.prefix}`;
    latest.delete(key);
    latest.set(key, {
      key,
      event:
        change.route === null
          ? null
          : createCloudEvent<VpcRouteRecord>({
              type: VPC_ROUTE,
              source,
              subject: key,
              data: { vpcId: message.vpcId, revision: change.revision, route: change.route },
            }),
    });
  }
  return [...latest.values()];
}

class ResyncRequested extends Error {}
class DeliveryStopped extends Error {}

/** One subscription × one VPC: its queue and the loop that delivers it. */
class Target {
  readonly key: string;
  failures = 0;
  lastError: string | null = null;
  closed = false;
  private readonly stop = new AbortController();
  private wakeUp: (() => void) | null = null;

  constructor(
    public info: SubscriptionTarget,
    readonly queue: SubscriberQueue,
  ) {
    this.key = `${info.subscriptionId}|${info.vpcId}`;
  }

  get signal(): AbortSignal {
    return this.stop.signal;
  }

  wake(): void {
    const wakeUp = this.wakeUp;
    this.wakeUp = null;
    wakeUp?.();
  }

  /** Until woken (something queued) or closed. */
  idle(): Promise<void> {
    return new Promise((resolve) => {
      this.wakeUp = resolve;
      if (this.closed) resolve();
    });
  }

  /** A backoff pause: only closing ends it early (new deltas must not hurry a failing receiver). */
  pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.stop.signal.addEventListener('abort', done, { once: true });
    });
  }

  close(): void {
    this.closed = true;
    this.stop.abort();
    this.wake();
  }
}

@Injectable()
export class HrmService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(HrmService.name);
  private readonly source: string;
  readonly targets = new Map<string, Target>();
  private readonly byVpc = new Map<number, Set<Target>>();
  readonly latestRevision = new Map<number, number>();
  private partitions = 0;
  /** Partitions of interconnect.route-updates.v1 this instance owns; null until the first assignment. */
  private owned: Set<number> | null = null;
  /** Subscription loads run one at a time, and messages wait for the latest. */
  private loading: Promise<void> = Promise.resolve();
  private stopped = false;
  /**
   * vpc.routes.v1, in the order notifications are taken. One route per key cannot be split: a
   * record Kafka refuses for its size is dead-lettered (never retried forever) and its key keeps
   * its previous value (docs/events.md, Oversize events); an outage is retried.
   */
  private readonly latestRoutes = new PublishBatcher<OutgoingEvent>({
    send: (records) => this.kafka.publish(TOPICS.vpcRoutes.name, records, { producer: 'hrm (vpc.routes.v1)' }),
    retryDelayMs: (attempt) => retryDelayMs({ baseMs: this.config.hrm.retryBaseMs, maxMs: this.config.hrm.retryMaxMs }, attempt),
    onFailure: (error, attempt) => this.logger.warn(`publishing vpc.routes.v1 failed (${error.message}); retry ${attempt} soon`),
  });
  /** Notifications offered to subscribers one after the other, in the order taken. */
  private fanOut: Promise<void> = Promise.resolve();
  /** Notifications taken whose turn in the fan-out has not ended yet (MAX_TAKEN_AHEAD bounds it). */
  private takenAhead = 0;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly store: SubscriptionStore,
    private readonly kafka: KafkaGateway,
    private readonly snapshotSlots: SnapshotSlots,
    private readonly routes: VpcRoutesService,
  ) {
    this.source = `route-broker/${config.instanceId}/hrm`;
  }

  async onApplicationBootstrap(): Promise<void> {
    liveServices.add(this);
    this.partitions = await this.kafka.partitionCount(TOPICS.interconnectRouteUpdates.name);
    // Every instance hears every subscription change: its own group, from this moment (fixed before
    // the main consumer starts, so a change is either in MySQL when the assignment loads it or
    // on the topic after this point).
    await this.kafka.startConsumer({
      groupId: `${this.config.hrm.consumerGroup}.control.${this.config.instanceId}.${randomUUID().slice(0, 8)}`,
      topics: [TOPICS.subscriptions.name],
      fromBeginning: false,
      fromNow: true,
      check: (incoming) => checkSubscriptionChanged(incoming.event.type, incoming.event.data),
      handleBatch: async (events) => {
        for (const incoming of events) await this.subscriptionChanged(incoming.checked);
      },
    });
    await this.kafka.startFanOutConsumer({
      groupId: this.config.hrm.consumerGroup,
      topics: [TOPICS.interconnectRouteUpdates.name],
      check: (incoming) => checkRouteTableChanged(incoming.event.type, incoming.event.data),
      take: (incoming, finished) => this.take(incoming, finished),
      onAssignment: (assignment) => {
        this.owned = new Set(assignment[TOPICS.interconnectRouteUpdates.name] ?? []);
        this.serially(() => this.reconcile(null));
      },
    });
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    this.latestRoutes.stop();
    liveServices.delete(this);
    // Queues are forgotten unreleased: their messages stay uncommitted and come back after a restart.
    for (const target of this.targets.values()) target.close();
  }

  /** Which VPCs this instance serves: those whose key lands on a partition it owns. */
  private owns(vpcId: number): boolean {
    return this.owned !== null && this.owned.has(KafkaGateway.partitionOf(String(vpcId), this.partitions));
  }

  private serially(work: () => Promise<void>): void {
    this.loading = this.loading.then(work).catch((error: Error) => {
      this.logger.error(`loading subscriptions failed: ${error.message}`);
      // Try again shortly: a database outage must not leave subscribers unserved until the next rebalance.
      if (!this.stopped) setTimeout(() => this.serially(() => this.reconcile(null)), 2000).unref();
    });
  }

  private async subscriptionChanged(change: SubscriptionChangedData): Promise<void> {
    this.serially(() => this.reconcile(change.subscriptionId));
    await this.loading;
    if (change.action !== 'resync') return;
    for (const target of this.targets.values()) {
      if (target.info.subscriptionId === change.subscriptionId) await this.resync(target, 'an operator asked for a snapshot');
    }
  }

  /** Brings the running targets in line with MySQL: of one subscription, or of all (null). */
  private async reconcile(subscriptionId: number | null): Promise<void> {
    if (this.owned === null) return;
    const rows = subscriptionId === null ? await this.store.allTargets() : await this.store.targetsOf(subscriptionId);
    const wanted = new Map(rows.filter((row) => this.owns(row.vpcId)).map((row) => [`${row.subscriptionId}|${row.vpcId}`, row]));
    for (const target of [...this.targets.values()]) {
      if (subscriptionId !== null && target.info.subscriptionId !== subscriptionId) continue;
      const row = wanted.get(target.key);
      if (row) {
        target.info = { ...target.info, callbackUrl: row.callbackUrl, secret: row.secret, region: row.region };
        continue;
      }
      // Unsubscribed (release what it held) or no longer ours (keep it unreleased for the next owner).
      const stillOurs = this.owns(target.info.vpcId);
      if (stillOurs) target.queue.close();
      this.remove(target);
    }
    for (const [key, row] of wanted) {
      if (this.targets.has(key)) continue;
      const queue = new SubscriberQueue(
        this.config.hrm.maxQueuedChanges,
        row.state === 'streaming' && row.ackedRevision !== null
          ? { state: 'streaming', ackedRevision: row.ackedRevision }
          : { state: 'snapshot', reason: row.resyncReason ?? 'new subscription' },
      );
      const target = new Target(row, queue);
      this.targets.set(key, target);
      let set = this.byVpc.get(row.vpcId);
      if (!set) this.byVpc.set(row.vpcId, (set = new Set()));
      set.add(target);
      void this.run(target);
    }
  }

  private remove(target: Target): void {
    target.close();
    this.targets.delete(target.key);
    const set = this.byVpc.get(target.info.vpcId);
    set?.delete(target);
    if (set?.size === 0) this.byVpc.delete(target.info.vpcId);
  }

  /**
   * A notification, in partition order. Its vpc.routes.v1 records go to the batcher and the take
   * returns: the next notifications are read while they are on their way, and records that
   * queue up meanwhile share one request. Subscribers get it only once its records are in
   * (a subscriber never holds a revision the compacted topic does not), in the order taken.
   */
  private async take(incoming: CheckedEvent<RouteTableChangedData>, finished: () => void): Promise<void> {
    await this.loading;
    const message = incoming.checked;
    // Its outcome is handled now, not when the fan-out reaches it: a stop rejects it at once.
    const recorded = this.latestRoutes.add(latestRecords(message, this.source)).then(
      () => true,
      () => false,
    );
    const offered = this.fanOut.then(async () => {
      // Not published (the process is stopping): never finished, so redelivered after a restart.
      if (!(await recorded)) return;
      await this.offer(message, finished);
    });
    this.takenAhead++;
    this.fanOut = offered
      .catch((error: Error) => {
        // Unfinished: its offset is not committed, and the message comes back after a restart.
        this.logger.error(
          `VPC ${message.vpcId} revisions ${message.fromRevision}..${message.toRevision}: not offered to its subscribers: ${error.message}`,
        );
      })
      .finally(() => this.takenAhead--);
    // Memory stays bounded: past MAX_TAKEN_AHEAD notifications waiting for their turn (their
    // records on their way, or the offers before them slow), the consumer waits too.
    if (this.takenAhead >= MAX_TAKEN_AHEAD) await this.fanOut;
  }

  private async offer(message: RouteTableChangedData, finished: () => void): Promise<void> {
    this.latestRevision.set(message.vpcId, Math.max(this.latestRevision.get(message.vpcId) ?? 0, message.toRevision));
    const targets = [...(this.byVpc.get(message.vpcId) ?? [])];
    let waitingFor = targets.length;
    if (waitingFor === 0) return finished();
    const releaseOne = () => {
      if (--waitingFor === 0) finished();
    };
    for (const target of targets) {
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        releaseOne();
      };
      const offered = target.queue.offer(message, release);
      if (offered.outcome === 'resync') {
        await this.resync(target, offered.reason);
        release();
      }
      target.wake();
    }
  }

  /** Records the resync first, then drops the queue (see SubscriberQueue.offer). */
  private async resync(target: Target, reason: string): Promise<void> {
    await this.store.recordResync(target.info.subscriptionId, target.info.vpcId, reason);
    resyncs.inc();
    this.logger.warn(`subscription ${target.info.subscriptionId}, VPC ${target.info.vpcId}: resynchronising with a snapshot (${reason})`);
    target.queue.resync(reason);
    target.wake();
  }

  /** The delivery loop of one target: snapshot when needed, then deltas as they queue up. */
  private async run(target: Target): Promise<void> {
    while (!target.closed) {
      try {
        if (target.queue.state === 'snapshot') {
          await this.snapshot(target);
          continue;
        }
        const batch = target.queue.nextBatch(this.config.hrm.maxChangesPerRequest);
        if (!batch) {
          await target.idle();
          continue;
        }
        const { subscriptionId, vpcId } = target.info;
        const delivery: Delivery = { kind: 'delta', subscriptionId, vpcId, ...batch };
        await this.send(target, delivery, `${subscriptionId}/${vpcId}/delta/${batch.fromRevision}-${batch.toRevision}`, null);
        observeOldestChangeAge('delivered', batch.changes);
        await this.store.recordDelivered(subscriptionId, vpcId, batch.toRevision, false);
        target.queue.delivered(batch.toRevision);
      } catch (error) {
        if (error instanceof DeliveryStopped || target.closed) break;
        if (error instanceof ResyncRequested) {
          await this.resync(target, error.message).catch((failure: Error) => this.noteFailure(target, failure.message));
          continue;
        }
        await this.noteFailure(target, (error as Error).message);
      }
    }
  }

  /** Sends one request until it is taken; throws ResyncRequested on a 409, DeliveryStopped when closed or past `deadline`. */
  private async send(target: Target, delivery: Delivery, idempotencyKey: string, deadline: number | null): Promise<void> {
    for (;;) {
      if (target.closed) throw new DeliveryStopped('closed');
      const timer = deliverySeconds.startTimer({ kind: delivery.kind });
      const outcome = await deliver(target.info, delivery, idempotencyKey, this.config.hrm.requestTimeoutMs, target.signal);
      timer();
      deliveries.inc({ kind: delivery.kind, outcome: outcome.kind });
      if (outcome.kind === 'taken') {
        target.failures = 0;
        target.lastError = null;
        return;
      }
      if (outcome.kind === 'resync') throw new ResyncRequested(outcome.detail);
      if (target.closed) throw new DeliveryStopped('closed');
      await this.noteFailure(target, outcome.detail);
      if (deadline !== null && Date.now() > deadline)
        throw new Error(`snapshot not delivered within ${this.config.hrm.snapshotTimeoutMs} ms`);
    }
  }

  /** Counts a failure, records it (best effort) and waits the backoff. */
  private async noteFailure(target: Target, detail: string): Promise<void> {
    target.failures++;
    target.lastError = detail;
    if (target.failures === 1 || target.failures % 10 === 0) {
      this.logger.warn(
        `subscription ${target.info.subscriptionId}, VPC ${target.info.vpcId} (${target.info.callbackUrl}): delivery failed ${target.failures} time(s) in a row: ${detail}`,
      );
    }
    await this.store.recordFailure(target.info.subscriptionId, target.info.vpcId, target.failures, detail).catch(() => undefined);
    await target.pause(retryDelayMs({ baseMs: this.config.hrm.retryBaseMs, maxMs: this.config.hrm.retryMaxMs }, target.failures));
  }

  private async snapshot(target: Target): Promise<void> {
    await this.snapshotSlots.run(async () => {
      if (target.closed) return;
      const { subscriptionId, vpcId } = target.info;
      const snapshotId = randomUUID();
      const deadline = Date.now() + this.config.hrm.snapshotTimeoutMs;
      const revision = await this.routes.readSnapshot(vpcId, this.config.hrm.snapshotPageSize, async (page) => {
        const delivery: Delivery = {
          kind: 'snapshot',
          subscriptionId,
          vpcId,
          snapshotId,
          revision: page.revision,
          page: page.index,
          lastPage: page.last,
          routes: page.routes,
        };
        await this.send(target, delivery, `${subscriptionId}/${vpcId}/snapshot/${snapshotId}/${page.index}`, deadline);
      });
      await this.store.recordDelivered(subscriptionId, vpcId, revision, true);
      if (!target.queue.snapshotDelivered(revision)) {
        await this.store.recordResync(subscriptionId, vpcId, target.queue.resyncReason ?? 'snapshot could not be followed on');
        resyncs.inc();
      } else {
        this.logger.log(`subscription ${subscriptionId}, VPC ${vpcId}: snapshot at revision ${revision} delivered`);
      }
    });
  }
}
