/**
 * BRM's adapter: consumes bgp.route-events.v1 (routes and, copied there by the collector, session
 * up/down: one ordered stream per BGP session), applies each partition's batch to the hosted VPC
 * route tables (src/brm/core) in one MariaDB transaction together with the change log, the outbox
 * rows and the partition's applied offset (a large session loss in several: applyPart), and only
 * then lets the Kafka offsets be committed.
 *
 * Crash safety: a batch redelivered after a crash between the database commit and the Kafka
 * commit is recognised by the stored offset and skipped, so "announce, withdraw" is never applied
 * twice. Tables are cached in memory between batches; the cached copy is used only when its
 * revision equals the stored one (checked under a row lock), so two instances sharing the
 * partitions never overwrite each other's revisions.
 */
import { createHash, randomUUID } from 'node:crypto';
import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { Counter, Histogram } from 'prom-client';
import { DataSource, type EntityManager } from 'typeorm';
import { APP_CONFIG } from '../common/config/config.module.js';
import type { AppConfig } from '../common/config/config.js';
import {
  END_OF_RIB,
  ROUTE_ANNOUNCED,
  ROUTE_BATCH,
  COMPACT_ROUTE_BATCH,
  unbatched,
  ROUTE_WITHDRAWN,
  SESSION_DOWN,
  SESSION_UP,
  sessionKey,
  type SessionRef,
} from '../common/events/bgp-events.js';
import { ROUTE_TABLE_CHANGED } from '../common/events/vpc-events.js';
import { BgpSessionEntity, GreTunnelEntity, HostEntity, HostedVpcEntity } from '../common/inventory/inventory.entities.js';
import { createCloudEvent } from '../common/kafka/cloud-event.js';
import { KafkaGateway, type CheckedEvent } from '../common/kafka/kafka.gateway.js';
import { TOPICS } from '../common/kafka/topics.js';
import { REDUMP_REQUESTED, type RedumpRequestedData } from '../common/events/collector-events.js';
import { judgeContinuity, type Continuity } from './core/partition-continuity.js';
import { metricsRegistry, observeOldestChangeAge } from '../common/metrics.js';
import { retryUntilDone } from '../common/runtime/retry-until-done.js';
import { settledWithin, START_WAIT_AT_SHUTDOWN_MS } from '../common/runtime/settled-within.js';
import { fromEndOfRib, fromRouteAnnounced, fromRouteWithdrawn, fromSessionDown, fromSessionUp } from './core/events.js';
import {
  compilePlatformPolicy,
  compileSessionPolicy,
  compileVpcPolicy,
  type CompiledPlatformPolicy,
} from '../common/policy/import-policy.js';
import { checkRouteStreamEvent, type RouteStreamEvent } from './core/route-event-schema.js';
import {
  sessionConfigOf,
  VpcRouteTable,
  type RouteChange,
  type SessionStatus,
  type TableChange,
  type TableConfig,
  type TableEvent,
} from './core/route-table.js';
import { maxPrefixAlertEvent, type MaxPrefixAlert } from './core/max-prefix.js';
import { StatementPipeline } from './statement-pipeline.js';
import { OutboxRelay } from '../common/outbox/outbox-relay.js';
import { RouteTableNotifications, type StoredRouteTableChanged } from './route-table-notifications.service.js';
import { SessionGauges } from './session-metrics.js';
import {
  appliedOffset,
  loadSnapshot,
  lockRevision,
  saveConfigSignature,
  storedConfigSignatures,
  recordAppliedOffset,
  saveRouteChanges,
  saveTableState,
  storedSessionStatuses,
  vpcsWithSessionsNotEstablished,
} from './vpc-route-store.js';
import { inventoryVersion } from '../common/inventory/inventory-version.store.js';
import { enqueueOutbox, type OutboxMessage } from '../common/outbox/outbox.js';

/** Changes per interconnect message: keeps one message well under the broker's size limit. */
const CHANGES_PER_MESSAGE = 500;
/**
 * Table events applied and saved per step of a batch: MariaDB runs one step's INSERT of its
 * `vpc_routes` rows (one statement, sent before the next step starts) while the next is applied.
 * 500 to 4,000 measured alike (docs/benchmarks.md).
 */
const EVENTS_PER_STEP = 2000;
/**
 * Prefixes a large session loss withdraws per transaction (applyPart): small enough that the first
 * withdrawals reach the relay and HRM while BRM writes the next ones (docs/benchmarks.md).
 */
const PREFIXES_PER_LOSS_PART = 10_000;
/** setTimeout's ceiling; a later deadline is re-armed when this one fires. */
const MAX_TIMER_MS = 2 ** 31 - 1;

const brmEvents = new Counter({
  name: 'route_broker_brm_events_total',
  help: 'Route-stream events BRM took in, by outcome: applied, replayed (already applied before a restart), unmatched (no configured session)',
  labelNames: ['outcome'] as const,
  registers: [metricsRegistry],
});
const brmChanges = new Counter({
  name: 'route_broker_brm_route_changes_total',
  help: 'VPC route table changes committed (each one revision), by action',
  labelNames: ['action'] as const,
  registers: [metricsRegistry],
});
const brmPartitionLosses = new Counter({
  name: 'route_broker_brm_partition_losses_total',
  help: 'Route-events partitions found not to hold what BRM applied before (new topic ID, offsets beyond the end, events deleted before they were applied); each one asks the routers for a fresh dump',
  labelNames: ['topic', 'reason'] as const,
  registers: [metricsRegistry],
});
const brmBatchSeconds = new Histogram({
  name: 'route_broker_brm_batch_seconds',
  help: 'Time to apply one Kafka batch to the route tables, commit included',
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [metricsRegistry],
});

interface KnownSession {
  id: number;
  vpcId: number;
}

@Injectable()
export class BrmService implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger(BrmService.name);
  private readonly source: string;
  private readonly platformPolicy: CompiledPlatformPolicy;
  private readonly tables = new Map<number, VpcRouteTable>();
  /** `<host id>|<peer address>` → configured session */
  private sessions = new Map<string, KnownSession>();
  private tableConfigs = new Map<number, TableConfig>();
  /** VPC id → SHA-256 (hex) of what its table's behaviour depends on; stored with the table after a reconfigure. */
  private tableSignatures = new Map<number, string>();
  /** Session id → the hosted VPC it is configured for. */
  private vpcOfSession = new Map<number, number>();
  /** Session id → the Kafka key the collector gives its events (`<host name>|<peer address>|<peer AS>`), from the inventory. */
  private inventoryKeyOfSession = new Map<number, string>();
  /** The session gauges this instance exports: those of the sessions on its partitions of bgp.route-events.v1 (session-metrics.ts). */
  private readonly sessionGauges = new SessionGauges((key, partitions) => KafkaGateway.partitionOf(key, partitions));
  /** This instance's partitions of bgp.route-events.v1 as of the last rebalance (null: none yet), and the topic's partition count. */
  private assignedPartitions: number[] | null = null;
  private routePartitions: number | null = null;
  /** Bumped by each rebalance: an older refresh of the session gauges still retrying gives up. */
  private assignmentGeneration = 0;
  private loadedVersion = '';
  /** Judging again, at start-up, the tables whose configuration changed while no BRM ran. */
  private startupReconfigure: Promise<void> = Promise.resolve();
  private readonly warnedUnmatched = new Set<string>();
  /** Batches and expiry timers run one at a time: the cached tables are not shared mid-change. */
  private serial: Promise<unknown> = Promise.resolve();
  private readonly timers = new Map<number, NodeJS.Timeout>();
  private stopped = false;
  /** The inventory follower's start (followInventoryTopic), settled or not. */
  private following: Promise<void> = Promise.resolve();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly kafka: KafkaGateway,
    private readonly relay: OutboxRelay,
    private readonly notifications: RouteTableNotifications,
  ) {
    this.source = `route-broker/${config.instanceId}/brm`;
    this.platformPolicy = compilePlatformPolicy(config.policy);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.loadInventory();
    this.relay.kick();
    await this.armStoredDeadlines();
    // Queued before the consumer's first batch (exclusive runs in order), not awaited: a large
    // table takes a while and start-up must not wait for it.
    this.startupReconfigure = this.reconfigureChangedWhileStopped();
    await this.kafka.startConsumer({
      groupId: this.config.brm.consumerGroup,
      topics: [TOPICS.routeEvents.name],
      check: (incoming) => checkRouteStreamEvent(incoming.event.type, incoming.event.data),
      handleBatch: (events) => this.exclusive(() => this.applyBatch(events)),
      onAssignment: (assignment) => this.partitionsAssigned(assignment[TOPICS.routeEvents.name] ?? []),
    });
    // In the background: setting a new group's offsets takes seconds (the broker finds its
    // coordinator), and start-up must not wait for it.
    this.following = this.followInventoryTopic();
  }

  /** Before Kafka's clients close: a follower still joining its group finishes starting (kafkajs cannot stop a join). */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    // Bounded, as CollectorControlService's: a consumer start that never ends must not hold the shutdown.
    if (!(await settledWithin(this.following, START_WAIT_AT_SHUTDOWN_MS)))
      this.logger.error(
        `shutdown: the route-events consumer was still starting after ${START_WAIT_AT_SHUTDOWN_MS} ms; stopping regardless`,
      );
    await this.startupReconfigure;
  }

  /**
   * Tables whose stored configuration signature differs from the inventory's were last judged
   * under another configuration (changed while no BRM ran, or before signatures were kept): they
   * are reconfigured as on a live change, moved sessions' routes included. Retried until done.
   */
  private async reconfigureChangedWhileStopped(): Promise<void> {
    await retryUntilDone(
      () =>
        this.exclusive(async () => {
          const stored = await storedConfigSignatures(this.dataSource.manager);
          const changed = [...stored]
            .filter(([vpcId, signature]) => this.tableSignatures.has(vpcId) && signature !== this.configSignature(vpcId))
            .map(([vpcId]) => vpcId);
          if (changed.length === 0) return;
          this.logger.log(
            `${changed.length} VPC table(s) were last judged under another configuration (changed while no BRM ran): judging them again (VPC ${changed.join(', ')})`,
          );
          const started = Date.now();
          await this.reconfigure(changed);
          this.logger.log(`VPC table(s) ${changed.join(', ')} judged again in ${Date.now() - started} ms`);
        }),
      () => !this.stopped,
      (error, attempt, delayMs) =>
        this.logger.error(`cannot judge changed VPC tables again yet (${error.message}); attempt ${attempt}, retrying in ${delayMs} ms`),
    );
  }

  /**
   * Every instance hears every inventory change: its own group on route-broker.inventory.v1,
   * fixed at the topic's end, then one look at the inventory (what changed before that point), then
   * the consumer (what changes after it). Retried until it runs.
   */
  private async followInventoryTopic(): Promise<void> {
    const groupId = `${this.config.brm.consumerGroup}.inventory.${this.config.instanceId}.${randomUUID().slice(0, 8)}`;
    await retryUntilDone(
      async () => {
        await this.kafka.setGroupAtTopicEnds(groupId, [TOPICS.inventory.name]);
        await this.exclusive(() => this.followInventory());
        if (this.stopped || this.kafka.closed) return;
        await this.kafka.startConsumer({
          groupId,
          topics: [TOPICS.inventory.name],
          fromBeginning: false,
          // One look at the inventory answers every change of the batch.
          handleBatch: () => this.exclusive(() => this.followInventory()),
        });
        this.logger.log('following inventory changes (route-broker.inventory.v1)');
      },
      () => !this.stopped && !this.kafka.closed,
      (error, attempt, delayMs) =>
        this.logger.error(`cannot follow inventory changes yet (${error.message}); attempt ${attempt}, retrying in ${delayMs} ms`),
    );
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.sessionGauges.clear();
  }

  // --- session gauges ---------------------------------------------------------------------

  /**
   * A rebalance gave this instance these partitions of bgp.route-events.v1: the series of sessions
   * on other partitions go at once (when the partition count is known), and the sessions on these
   * are shown from their stored rows (retried until it works, unless another rebalance came since).
   */
  private partitionsAssigned(partitions: readonly number[]): void {
    this.assignedPartitions = [...partitions];
    if (this.routePartitions !== null) this.sessionGauges.assigned({ partitions: this.routePartitions, owned: new Set(partitions) });
    const generation = ++this.assignmentGeneration;
    void retryUntilDone(
      () => this.showAssignedSessions(),
      () => !this.stopped && generation === this.assignmentGeneration,
      (error, attempt, delayMs) =>
        this.logger.warn(`cannot show the BGP session gauges yet (${error.message}); attempt ${attempt}, retrying in ${delayMs} ms`),
    );
  }

  /** Every configured session's series as its stored row says, for the partitions now assigned (one query). */
  private async showAssignedSessions(): Promise<void> {
    const partitions = await this.kafka.partitionCount(TOPICS.routeEvents.name);
    await this.exclusive(async () => {
      if (this.stopped || this.assignedPartitions === null) return;
      this.routePartitions = partitions;
      this.sessionGauges.assigned({ partitions, owned: new Set(this.assignedPartitions) });
      const stored = await storedSessionStatuses(this.dataSource.manager);
      for (const vpcId of this.tableConfigs.keys()) {
        this.showSessions(
          vpcId,
          (stored.get(vpcId) ?? []).filter((status) => this.vpcOfSession.get(status.sessionId) === vpcId),
        );
      }
    });
  }

  /** The VPC's session gauges as its table holds them (committed or just loaded); only the configured sessions. */
  private showSessions(vpcId: number, statuses: readonly SessionStatus[]): void {
    // Stopping: a batch that ends now must not bring back the series removed at shutdown.
    if (this.stopped) return;
    this.sessionGauges.show(vpcId, statuses, (status) =>
      status.reporter ? sessionKey(status.reporter.session) : (this.inventoryKeyOfSession.get(status.sessionId) ?? null),
    );
  }

  private showTableSessions(vpcId: number): void {
    const table = this.tables.get(vpcId);
    if (table) this.showSessions(vpcId, table.sessionStatuses());
  }

  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const next = this.serial.then(work, work);
    this.serial = next.catch(() => undefined);
    return next;
  }

  private async applyBatch(events: CheckedEvent<RouteStreamEvent>[]): Promise<void> {
    const timer = brmBatchSeconds.startTimer();
    try {
      // Usually one part; a large session loss is committed in parts of its own (applyPart).
      for (let from = 0; from < events.length;) from = await this.applyPart(events, from);
    } finally {
      timer();
    }
  }

  /**
   * Applies the batch's events from `from` on in one transaction, with the partition's applied
   * offset, and returns the index of the first event not applied in full (events.length: all done).
   * The part ends before a session loss whose session holds more than PREFIXES_PER_LOSS_PART
   * prefixes (as this process's copy of its table says), and that loss is applied alone, that many
   * prefixes per transaction: every commit is a consistent run of revisions that the relay and HRM
   * pass on while the next part is written. The applied offset stays at the loss until its last
   * part, so after a crash the same session-down is applied again and withdraws what is left.
   */
  private async applyPart(events: CheckedEvent<RouteStreamEvent>[], from: number): Promise<number> {
    const { topic, partition } = events[from]!;
    const touched = new Set<number>();
    const committed: { vpcId: number; changes: readonly RouteChange[] }[] = [];
    const reconfigured: number[] = [];
    let lost: Extract<Continuity, { kind: 'lost' }> | null = null;
    let next = events.length;
    try {
      await this.dataSource.transaction(async (manager) => {
        const stored = await appliedOffset(manager, this.config.brm.consumerGroup, topic, partition);
        const continuity = await judgeContinuity(stored, BigInt(events[from]!.offset), {
          topicId: (refresh) => this.kafka.topicId(topic, refresh),
          bounds: () => this.kafka.partitionBounds(topic, partition),
        });
        lost = continuity.kind === 'lost' ? continuity : null;
        const skipBelow = continuity.kind === 'continues' ? continuity.skipBelow : null;
        let first = from;
        if (skipBelow !== null) while (first < events.length && BigInt(events[first]!.offset) < skipBelow) first++;
        if (first > from) brmEvents.inc({ outcome: 'replayed' }, first - from);
        if (first === events.length) return;
        // Only the routers still have what the partition lost: ask them for their tables again,
        // in this transaction, so a crash cannot apply the batch and forget the request.
        if (continuity.kind === 'lost') await enqueueOutbox(manager, [this.redumpRequest(topic, partition, continuity)]);
        const perVpc = new Map<number, TableEvent[]>();
        // One cheap query a part: a session created a moment before its first routes is known to
        // this batch, and a VPC whose configuration changed is judged again first, in this transaction.
        for (const [vpcId, tableEvents] of await this.reconfigureEvents(manager, await this.refreshInventory())) {
          reconfigured.push(vpcId);
          perVpc.set(vpcId, tableEvents);
        }
        let loss: { index: number; vpcId: number } | null = null;
        let applied = 0; // events of this part applied in full
        for (let index = first; index < events.length; index++) {
          let tableEvents = this.tableEventsOf(events[index]!);
          if (tableEvents === null) continue;
          const largeLoss = this.largeSessionLoss(tableEvents);
          if (largeLoss) {
            if (index > first) {
              next = index;
              break;
            }
            tableEvents = [{ vpcId: largeLoss.vpcId, event: { ...largeLoss.event, withdrawAtMost: PREFIXES_PER_LOSS_PART } }];
            loss = { index, vpcId: largeLoss.vpcId };
            next = index + 1;
          }
          applied++;
          for (const { vpcId, event } of tableEvents) {
            let list = perVpc.get(vpcId);
            if (!list) perVpc.set(vpcId, (list = []));
            list.push(event);
          }
          if (loss) break;
        }
        for (const [vpcId, tableEvents] of perVpc) {
          touched.add(vpcId);
          const outcome = await this.applyToVpc(manager, vpcId, tableEvents);
          committed.push({ vpcId, changes: outcome.changes });
          // More of the session's prefixes to withdraw: the same event again, in the next transaction.
          if (loss?.vpcId === vpcId && outcome.partlyApplied) {
            next = loss.index;
            applied--;
          }
        }
        brmEvents.inc({ outcome: 'applied' }, applied);
        await recordAppliedOffset(manager, this.config.brm.consumerGroup, topic, partition, {
          nextOffset: next < events.length ? BigInt(events[next]!.offset) : BigInt(events[events.length - 1]!.offset) + 1n,
          topicId: await this.kafka.topicId(topic),
        });
      });
    } catch (error) {
      // The in-memory tables may be ahead of what was stored: reload them next time.
      for (const vpcId of touched) this.tables.delete(vpcId);
      this.forgetConfiguration(reconfigured);
      throw error;
    }
    if (lost) this.partitionLost(topic, partition, events[from]!.offset, lost);
    for (const { vpcId, changes } of committed) {
      this.changesCommitted(vpcId, changes);
      // Per VPC of the batch, after its commit (session ups and downs, max-prefix alerts): never per route.
      this.showTableSessions(vpcId);
    }
    this.relay.kick();
    for (const vpcId of touched) this.armDeadline(vpcId);
    return next;
  }

  /**
   * The session-down of a route event (its only table event) whose session holds more prefixes
   * than one part, as this process's copy of the table says, or null. A hint only, as every part is
   * a consistent table either way; with no copy yet (just started) the loss is applied in one
   * transaction, as before.
   */
  private largeSessionLoss(
    tableEvents: readonly { vpcId: number; event: TableEvent }[],
  ): { vpcId: number; event: Extract<TableEvent, { kind: 'session-down' }> } | null {
    if (tableEvents.length !== 1) return null;
    const { vpcId, event } = tableEvents[0]!;
    if (event.kind !== 'session-down') return null;
    return (this.tables.get(vpcId)?.prefixCount(event.sessionId) ?? 0) > PREFIXES_PER_LOSS_PART ? { vpcId, event } : null;
  }

  private redumpRequest(topic: string, partition: number, lost: Extract<Continuity, { kind: 'lost' }>): OutboxMessage {
    return {
      topic: TOPICS.collectorControl.name,
      key: `${topic}/${partition}`,
      event: createCloudEvent<RedumpRequestedData>({
        type: REDUMP_REQUESTED,
        source: this.source,
        subject: `${topic}/${partition}`,
        data: { topic, partition, reason: lost.reason, detail: lost.detail },
      }),
    };
  }

  /** Said after the commit: the batch was applied as new, the collectors are asked for a fresh dump. */
  private partitionLost(topic: string, partition: number, firstOffset: string, lost: Extract<Continuity, { kind: 'lost' }>): void {
    brmPartitionLosses.inc({ topic, reason: lost.reason });
    this.logger.error(
      `${topic} partition ${partition} is not the partition BRM applied before: ${lost.detail}. Route changes may be missing from the VPC tables: ` +
        `its events are applied from offset ${firstOffset} on, and the BMP collectors are asked to make the routers send their tables again`,
    );
  }

  /** The table events of one route-stream event, each with its VPC; null when no configured session matches. */
  private tableEventsOf(incoming: CheckedEvent<RouteStreamEvent>): { vpcId: number; event: TableEvent }[] | null {
    const { checked } = incoming;
    const session = this.resolve(checked.data.session, incoming);
    if (!session) {
      brmEvents.inc({ outcome: 'unmatched' });
      return null;
    }
    const translated = translate(checked, session.id);
    if (typeof translated === 'string') {
      // The schema check should have caught it; keep going rather than block the partition.
      this.logger.warn(`skipping ${incoming.topic}/${incoming.partition}@${incoming.offset}: ${translated}`);
      return null;
    }
    return translated.map((event) => ({ vpcId: session.vpcId, event }));
  }

  /**
   * Applies and saves, EVENTS_PER_STEP events at a time on one statement pipeline, so MariaDB
   * writes a step while the next one is applied in memory; returns the changes (saved, not yet
   * committed), and whether a session-down was applied only in part (its `withdrawAtMost`).
   */
  private async applyToVpc(
    manager: EntityManager,
    vpcId: number,
    events: readonly TableEvent[],
  ): Promise<{ changes: readonly RouteChange[]; partlyApplied: boolean }> {
    const table = await this.lockedTable(manager, vpcId);
    // A reconfigure always comes first (reconfigureEvents): no scan of a batch's events.
    if (events[0]?.kind === 'reconfigure') await saveConfigSignature(manager, vpcId, this.configSignature(vpcId));
    const pipeline = await StatementPipeline.of(manager);
    const changes: TableChange[] = [];
    const alerts: MaxPrefixAlert[] = [];
    let sessionsChanged = false;
    let partlyApplied = false;
    for (let start = 0; start < events.length; start += EVENTS_PER_STEP) {
      const result = table.apply(events.slice(start, start + EVENTS_PER_STEP));
      for (const { event, why } of result.ignored) this.logger.debug(`VPC ${vpcId}: ignored ${event.kind}: ${why}`);
      if (result.changes.length > 0 || result.dirty.prefixes.length > 0) {
        await saveRouteChanges(
          pipeline,
          vpcId,
          table.snapshot({ prefixes: result.dirty.prefixes }),
          { dirty: result.dirty.prefixes, new: result.dirty.newPrefixes, rejected: result.dirty.rejectedPrefixes },
          result.changes,
        );
        // The step's statements on their way, the last still running while the next step is applied.
        await pipeline.allSent();
      }
      for (const change of result.changes) changes.push(change);
      for (const alert of result.alerts) alerts.push(alert);
      sessionsChanged ||= result.dirty.sessions.length > 0;
      partlyApplied ||= result.partlyApplied.length > 0;
    }
    if (changes.length === 0 && !sessionsChanged) {
      await pipeline.flush();
      return { changes, partlyApplied };
    }
    await saveTableState(pipeline, vpcId, table.snapshot({ prefixes: [] }).sessions, table.revision);
    await pipeline.flush();
    const outbox: OutboxMessage[] = [];
    for (let start = 0; start < changes.length; start += CHANGES_PER_MESSAGE) {
      const part = changes.slice(start, start + CHANGES_PER_MESSAGE);
      // The changes themselves are in the change log, written by this same transaction: the
      // outbox row points at them and the relay fills them in when it publishes (half the bytes).
      const data: StoredRouteTableChanged = {
        vpcId,
        fromRevision: part[0]!.revision,
        toRevision: part[part.length - 1]!.revision,
        changes: null,
      };
      outbox.push({
        topic: TOPICS.interconnectRouteUpdates.name,
        key: String(vpcId),
        event: createCloudEvent({ type: ROUTE_TABLE_CHANGED, source: this.source, subject: `vpc/${vpcId}`, data }),
      });
    }
    for (const alert of alerts) {
      outbox.push({
        topic: TOPICS.alerts.name,
        key: String(alert.sessionId),
        event: createCloudEvent({ ...maxPrefixAlertEvent(vpcId, alert), source: this.source }),
      });
      this.logger.warn(`VPC ${vpcId} session ${alert.sessionId}: ${alert.kind} (limit ${alert.limit}, holds ${alert.count})`);
    }
    await enqueueOutbox(manager, outbox);
    return { changes, partlyApplied };
  }

  /** The VPC's table as stored, its revision row locked for this transaction (loaded when this process's copy is behind). */
  private async lockedTable(manager: EntityManager, vpcId: number): Promise<VpcRouteTable> {
    const storedRevision = await lockRevision(manager, vpcId, this.configSignature(vpcId));
    let table = this.tables.get(vpcId);
    if (!table || table.revision !== storedRevision) {
      table = VpcRouteTable.restore(this.tableConfig(vpcId), await loadSnapshot(manager, vpcId, storedRevision));
      this.tables.set(vpcId, table);
      // As stored (committed, perhaps by another instance): what this transaction does is shown after its commit.
      this.showSessions(vpcId, table.sessionStatuses());
    }
    return table;
  }

  /**
   * Per VPC to judge again (the changed ones, and those that sessions moved into), its events, in
   * VPC id order: the `reconfigure` first, then the announcements carried over (carriedRoutes).
   */
  private async reconfigureEvents(manager: EntityManager, changed: readonly number[]): Promise<Map<number, TableEvent[]>> {
    if (changed.length === 0) return new Map();
    const carried = await this.carriedRoutes(manager, changed);
    const at = Date.now();
    return new Map(
      sortedUnion(changed, carried.keys()).map((vpcId): [number, TableEvent[]] => [
        vpcId,
        [{ kind: 'reconfigure', at }, ...(carried.get(vpcId) ?? [])],
      ]),
    );
  }

  /**
   * The routes of sessions moved to another VPC, by destination VPC. Each table about to be judged
   * again is asked which sessions it holds; one now configured for another VPC has moved: its
   * announcements are read before the `reconfigure` removes them (cause `deconfigured`) and enter
   * the new table in the same transaction, so a move is one commit and nothing waits for the router
   * to announce again. Found from the tables, not from memory: a move made while no BRM ran is
   * carried over at start-up too.
   */
  private async carriedRoutes(manager: EntityManager, vpcIds: readonly number[]): Promise<Map<number, TableEvent[]>> {
    const carried = new Map<number, TableEvent[]>();
    const at = Date.now();
    for (const fromVpcId of [...vpcIds].sort((a, b) => a - b)) {
      const table = await this.lockedTable(manager, fromVpcId);
      for (const sessionId of table.sessionsHeld()) {
        const toVpcId = this.vpcOfSession.get(sessionId);
        if (toVpcId === undefined || toVpcId === fromVpcId) continue;
        const announcements = table.sessionAnnouncements(sessionId, at);
        let list = carried.get(toVpcId);
        if (!list) carried.set(toVpcId, (list = []));
        list.push(...announcements);
        this.logger.log(
          `BGP session ${sessionId} moved from VPC ${fromVpcId} to VPC ${toVpcId}: ${announcements.length} announcement(s) carried over`,
        );
      }
    }
    return carried;
  }

  /** The signature of the VPC's configuration as now loaded (computed once per inventory load). */
  private configSignature(vpcId: number): string {
    return this.tableSignatures.get(vpcId) ?? NO_CONFIGURATION;
  }

  /** After the commit: a batch that fails and is applied again is counted once. */
  private changesCommitted(vpcId: number, changes: readonly RouteChange[]): void {
    observeOldestChangeAge('committed', changes);
    const perAction = new Map<string, number>();
    for (const change of changes) perAction.set(change.action, (perAction.get(change.action) ?? 0) + 1);
    for (const [action, count] of perAction) brmChanges.inc({ action }, count);
    this.notifications.changesCommitted(vpcId, changes);
  }

  // --- graceful-restart deadlines ---------------------------------------------------------

  private armDeadline(vpcId: number): void {
    const table = this.tables.get(vpcId);
    const existing = this.timers.get(vpcId);
    if (existing) clearTimeout(existing);
    this.timers.delete(vpcId);
    const deadline = table?.nextDeadline() ?? null;
    if (deadline === null || this.stopped) return;
    const timer = setTimeout(
      () => {
        this.timers.delete(vpcId);
        void this.exclusive(() => this.expire(vpcId)).catch((error: Error) => {
          this.logger.warn(`VPC ${vpcId}: graceful-restart expiry failed (${error.message}); retrying`);
          this.timers.set(
            vpcId,
            setTimeout(() => this.armDeadline(vpcId), 1000),
          );
        });
      },
      Math.min(Math.max(0, deadline - Date.now()), MAX_TIMER_MS),
    );
    timer.unref();
    this.timers.set(vpcId, timer);
  }

  private async expire(vpcId: number): Promise<void> {
    let changes: readonly RouteChange[];
    try {
      changes = await this.dataSource.transaction(
        async (manager) => (await this.applyToVpc(manager, vpcId, [{ kind: 'expiry', at: Date.now() }])).changes,
      );
    } catch (error) {
      this.tables.delete(vpcId);
      throw error;
    }
    this.changesCommitted(vpcId, changes);
    this.showTableSessions(vpcId);
    this.relay.kick();
    this.armDeadline(vpcId);
  }

  /** After a restart: VPCs with stale paths get their timers back. */
  private async armStoredDeadlines(): Promise<void> {
    for (const vpcId of await vpcsWithSessionsNotEstablished(this.dataSource.manager)) {
      await this.exclusive(async () => {
        await this.dataSource.transaction(async (manager) => {
          const revision = await lockRevision(manager, vpcId, this.configSignature(vpcId));
          this.tables.set(vpcId, VpcRouteTable.restore(this.tableConfig(vpcId), await loadSnapshot(manager, vpcId, revision)));
        });
        this.showTableSessions(vpcId);
        this.armDeadline(vpcId);
      });
    }
  }

  // --- inventory --------------------------------------------------------------------------

  /**
   * The configured session an event is about (the inventory as of this batch), or null. The
   * warning names the first such message (topic/partition@offset, CloudEvent id) to look it up.
   */
  private resolve(ref: SessionRef, incoming: CheckedEvent<RouteStreamEvent>): KnownSession | null {
    const key = `${ref.hostId ?? '?'}|${ref.peerAddress}`;
    const session = this.sessions.get(key);
    if (!session && !this.warnedUnmatched.has(key)) {
      this.warnedUnmatched.add(key);
      this.logger.warn(
        `no configured BGP session for ${ref.router} (host id ${ref.hostId ?? 'unknown'}) peer ${ref.peerAddress} AS${ref.peerAs}: its routes are not in any VPC table ` +
          `(first seen in ${incoming.topic}/${incoming.partition}@${incoming.offset}, event ${incoming.event.id})`,
      );
    }
    return session ?? null;
  }

  /**
   * A cheap look (one query a batch) that changes when a session, tunnel, VPC or host is added,
   * changed or removed. It can miss a change: a transaction that took its update time before
   * another one's and committed after it leaves the counts and the newest time as they were. The
   * inventory event of every change (sent after its commit) therefore reloads unconditionally.
   */
  private inventoryVersion(): Promise<string> {
    return inventoryVersion(this.dataSource.manager);
  }

  /**
   * Reloads the inventory when it changed (always when `announced`: an inventory event said so);
   * returns the VPCs whose configuration (sessions, their policies and settings, CIDRs) changed
   * since the last load, for a `reconfigure`.
   */
  private async refreshInventory(announced = false): Promise<number[]> {
    if (!announced && (await this.inventoryVersion()) === this.loadedVersion) return [];
    const before = this.tableSignatures;
    await this.loadInventory();
    return [...this.tableSignatures].filter(([vpcId, signature]) => before.get(vpcId) !== signature).map(([vpcId]) => vpcId);
  }

  /**
   * On an inventory change (route-broker.inventory.v1, sent by the admin API through the outbox):
   * the VPC tables follow at once, whether or not their sessions send anything — a removed
   * session's routes leave, a changed policy is applied to what the table holds and to what it
   * refused. A failure makes the consumer deliver the change again.
   */
  private async followInventory(): Promise<void> {
    const changed = await this.refreshInventory(true);
    if (changed.length > 0) await this.reconfigure(changed);
  }

  /**
   * Judges these VPC tables again, with the routes of sessions that moved between VPCs carried over,
   * in one transaction: a moved session leaves one table and enters the other in one commit.
   */
  private async reconfigure(changed: readonly number[]): Promise<void> {
    const committed: { vpcId: number; changes: readonly RouteChange[] }[] = [];
    let reconfigured: number[] = [...changed];
    try {
      await this.dataSource.transaction(async (manager) => {
        const perVpc = await this.reconfigureEvents(manager, changed);
        reconfigured = [...perVpc.keys()];
        for (const [vpcId, events] of perVpc) committed.push({ vpcId, changes: (await this.applyToVpc(manager, vpcId, events)).changes });
      });
    } catch (error) {
      for (const vpcId of reconfigured) this.tables.delete(vpcId);
      this.forgetConfiguration(reconfigured);
      throw error;
    }
    for (const { vpcId, changes } of committed) {
      this.changesCommitted(vpcId, changes);
      this.showTableSessions(vpcId);
      if (changes.length > 0) this.logger.log(`VPC ${vpcId}: configuration changed, ${changes.length} route change(s)`);
      this.armDeadline(vpcId);
    }
    this.relay.kick();
  }

  /** A reconfigure that did not commit: the next look at the inventory sees these VPCs as changed again. */
  private forgetConfiguration(vpcIds: readonly number[]): void {
    if (vpcIds.length === 0) return;
    for (const vpcId of vpcIds) this.tableSignatures.delete(vpcId);
    this.loadedVersion = '';
  }

  private async loadInventory(): Promise<void> {
    const version = await this.inventoryVersion();
    const [sessions, tunnels, vpcs, hosts] = await Promise.all([
      this.dataSource.getRepository(BgpSessionEntity).find(),
      this.dataSource.getRepository(GreTunnelEntity).find(),
      this.dataSource.getRepository(HostedVpcEntity).find(),
      this.dataSource.getRepository(HostEntity).find({ select: { id: true, name: true } }),
    ]);
    const hostOfTunnel = new Map(tunnels.map((tunnel) => [tunnel.id, tunnel.hostId]));
    const hostName = new Map(hosts.map((host) => [host.id, host.name]));
    const known = new Map<string, KnownSession>();
    for (const session of sessions) {
      known.set(`${hostOfTunnel.get(session.tunnelId) ?? '?'}|${session.peerAddress}`, { id: session.id, vpcId: session.hostedVpcId });
    }
    const configs = new Map<number, TableConfig>();
    const signatures = new Map<number, string>();
    for (const vpc of vpcs) {
      const ofVpc = sessions.filter((session) => session.hostedVpcId === vpc.id);
      // What the table's behaviour depends on, as stored (compiled policies hold Maps, which JSON drops).
      signatures.set(
        vpc.id,
        sha256(
          JSON.stringify([
            vpc.cidrs,
            ofVpc.map((session) => [session.id, session.tunnelId, session.maxPrefix, session.gracefulRestartSeconds, session.importPolicy]),
          ]),
        ),
      );
      configs.set(vpc.id, {
        vpcId: vpc.id,
        vpcPolicy: compileVpcPolicy({ cidrs: vpc.cidrs }),
        platformPolicy: this.platformPolicy,
        bestPath: { ecmpWidth: this.config.brm.ecmpWidth },
        sessions: ofVpc.map((session) =>
          sessionConfigOf(session, compileSessionPolicy(session.importPolicy ?? {}), session.importPolicy?.localPref ?? null),
        ),
      });
    }
    // A changed configuration (new session, other limits or policy) takes effect on the next load of the table.
    for (const [vpcId, signature] of signatures) {
      if (signature !== this.tableSignatures.get(vpcId)) this.tables.delete(vpcId);
    }
    this.sessions = known;
    this.vpcOfSession = new Map(sessions.map((session) => [session.id, session.hostedVpcId]));
    this.inventoryKeyOfSession = new Map(
      sessions.flatMap((session): [number, string][] => {
        const router = hostName.get(hostOfTunnel.get(session.tunnelId) ?? -1);
        return router === undefined
          ? []
          : [[session.id, sessionKey({ router, peerAddress: session.peerAddress, peerAs: session.peerAsn })]];
      }),
    );
    // A session deconfigured or moved loses its series now, before its table is judged again.
    this.sessionGauges.retain((vpcId, sessionId) => this.vpcOfSession.get(sessionId) === vpcId);
    this.tableConfigs = configs;
    this.tableSignatures = signatures;
    this.loadedVersion = version;
    this.warnedUnmatched.clear();
  }

  private tableConfig(vpcId: number): TableConfig {
    const config = this.tableConfigs.get(vpcId);
    if (!config) throw new Error(`hosted VPC ${vpcId} is not in the inventory`);
    return config;
  }
}

function translate(checked: RouteStreamEvent, sessionId: number): TableEvent[] | string {
  switch (checked.type) {
    case ROUTE_ANNOUNCED:
      return fromRouteAnnounced(checked.data, sessionId);
    case ROUTE_WITHDRAWN:
      return fromRouteWithdrawn(checked.data, sessionId);
    case END_OF_RIB:
      return fromEndOfRib(checked.data, sessionId);
    case ROUTE_BATCH:
    case COMPACT_ROUTE_BATCH: {
      const events: TableEvent[] = [];
      // Both versions stand for v1 route events; a v2 batch's events were checked with its tables.
      for (const [index, batched] of (unbatched(checked) as RouteStreamEvent[]).entries()) {
        const translated = translate(batched, sessionId);
        if (typeof translated === 'string') return `data.events[${index}]: ${translated}`;
        for (const event of translated) events.push(event);
      }
      return events;
    }
    case SESSION_UP:
      return fromSessionUp(checked.data, sessionId);
    case SESSION_DOWN:
      return fromSessionDown(checked.data, sessionId);
  }
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** The signature of a VPC the inventory does not hold (its table is created under it, never judged by it). */
const NO_CONFIGURATION = sha256('');

/** The VPC ids of both lists, each once, ascending (tables are locked in id order). */
function sortedUnion(a: Iterable<number>, b: Iterable<number>): number[] {
  return [...new Set([...a, ...b])].sort((x, y) => x - y);
}
