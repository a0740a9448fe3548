/**
 * Publishes the outbox (rows written in the same transaction as the table change) to Kafka, in
 * id order, and marks them published. Driven by `kick()` after each commit and once at start-up
 * (rows a crashed process committed but never published), not by polling: while rows are
 * waiting it retries with backoff, and it stops when the outbox is empty.
 *
 * At most one relay publishes at a time across all BRM instances (a MariaDB named lock), so the
 * rows of one VPC reach Kafka in id order. A crash after publishing and before marking publishes
 * those rows again with the same CloudEvent ids: consumers drop duplicates by id.
 */
import { randomUUID } from 'node:crypto';
import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { Counter, Gauge } from 'prom-client';
import { DataSource, type QueryRunner } from 'typeorm';
import type { CloudEvent } from '../common/kafka/cloud-event.js';
import { ROUTE_TABLE_CHANGED, type RouteTableChangedData } from '../common/events/vpc-events.js';
import { KafkaGateway, type SerializedEvent } from '../common/kafka/kafka.gateway.js';
import type { RefusedMessage } from '../common/kafka/oversize.js';
import { metricsRegistry, observeRouteChangeAge } from '../common/metrics.js';
import { CommittedChanges } from './core/committed-changes.js';
import { NotifiedChangesWriter } from './core/notification-json.js';
import { splitNotification } from './core/notification-split.js';
import type { RouteChange } from './core/route-table.js';
import { changeLog, type SegmentCache } from './vpc-route-store.js';
import {
  markOutboxPublished,
  purgePublishedOutbox,
  releaseOutboxRelayLock,
  tryOutboxRelayLock,
  unpublishedOutboxCount,
  unpublishedOutboxRows,
} from '../common/outbox/outbox.js';

const RELAY_LOCK = 'route-broker.outbox-relay';
const ROWS_PER_ROUND = 500;
/** Published rows are kept this long for an operator to look at, then deleted. */
const KEEP_PUBLISHED_HOURS = 24;
const MAX_RETRY_DELAY_MS = 10_000;
/** Changes this instance committed and holds for publishing without reading the change log: a few batches. */
const HELD_CHANGES = 100_000;

const outboxPending = new Gauge({
  name: 'route_broker_outbox_pending',
  help: 'Outbox rows committed but not yet published to Kafka (as of the relay’s last round)',
  registers: [metricsRegistry],
});
const outboxPublished = new Counter({
  name: 'route_broker_outbox_published_total',
  help: 'Outbox rows published to Kafka',
  registers: [metricsRegistry],
});
const notifiedChanges = new Counter({
  name: 'route_broker_outbox_notified_changes_total',
  help: 'Route changes put into interconnect notifications, by where the relay took them from: the batch that committed them (held in memory) or the change log',
  labelNames: ['source'] as const,
  registers: [metricsRegistry],
});
const outboxFailures = new Counter({
  name: 'route_broker_outbox_publish_failures_total',
  help: 'Outbox relay rounds that failed (Kafka or MariaDB unavailable); the rows stay and are retried',
  registers: [metricsRegistry],
});

/**
 * How BRM stores an interconnect notification in the outbox: without its changes, which the same
 * transaction wrote to the change log; the relay fills them in when it publishes (from the
 * committing batch if this instance still holds it, else from the log).
 */
export type StoredRouteTableChanged = Omit<RouteTableChangedData, 'changes'> & { changes: null };

const parsed = <T>(value: unknown): T => (typeof value === 'string' ? JSON.parse(value) : value) as T;

/**
 * Stands for the changes while the rest of a notification is stringified; the changes' own text
 * (written by NotifiedChangesWriter) goes in its place. No other string of the event holds it.
 */
const CHANGES_MARK = `\u0000changes-${randomUUID()}`;
const CHANGES_MARK_JSON = JSON.stringify(CHANGES_MARK);

/**
 * An outbox message Kafka refused for its size, as smaller ones: an interconnect notification as
 * two consecutive notifications (see splitNotification); null for anything else, which the
 * gateway dead-letters.
 */
export function splitOutboxEvent(refused: RefusedMessage): SerializedEvent[] | null {
  if (refused.type !== ROUTE_TABLE_CHANGED || refused.key === null) return null;
  const parts = splitNotification(JSON.parse(refused.value.toString('utf8')) as CloudEvent<RouteTableChangedData>);
  return parts && parts.map((part) => ({ key: refused.key!, id: part.id, type: part.type, value: Buffer.from(JSON.stringify(part)) }));
}

@Injectable()
export class OutboxRelay implements OnApplicationShutdown {
  private readonly logger = new Logger(OutboxRelay.name);
  private running: Promise<void> | null = null;
  private again = false;
  private retry: NodeJS.Timeout | null = null;
  private retryDelayMs = 200;
  private stopped = false;
  private readonly committed = new CommittedChanges(HELD_CHANGES);
  private readonly notifiedChanges = new NotifiedChangesWriter();

  constructor(
    private readonly dataSource: DataSource,
    private readonly kafka: KafkaGateway,
  ) {}

  /**
   * A batch of one VPC committed by this instance (call after the commit): the notifications
   * naming these revisions are published from here rather than read back from the change log.
   */
  changesCommitted(vpcId: number, changes: readonly RouteChange[]): void {
    this.committed.add(vpcId, changes);
  }

  /** Something was committed (or may be waiting): publish it soon. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.runRounds().finally(() => {
      this.running = null;
      if (this.again) {
        this.again = false;
        this.kick();
      }
    });
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    await this.running;
  }

  private async runRounds(): Promise<void> {
    let runner: QueryRunner | null = null;
    try {
      runner = this.dataSource.createQueryRunner();
      await runner.connect();
      if (!(await tryOutboxRelayLock(runner.manager, RELAY_LOCK))) {
        // Another instance is relaying; it may have read the outbox before our commit, so look again shortly.
        this.scheduleRetry();
        return;
      }
      try {
        while (!this.stopped && (await this.round(runner)) > 0);
        await purgePublishedOutbox(runner.manager, KEEP_PUBLISHED_HOURS);
        this.retryDelayMs = 200;
      } finally {
        await releaseOutboxRelayLock(runner.manager, RELAY_LOCK).catch(() => undefined);
      }
    } catch (error) {
      outboxFailures.inc();
      this.logger.warn(`outbox relay: ${(error as Error).message}; retrying in ${this.retryDelayMs} ms`);
      this.scheduleRetry();
    } finally {
      await runner?.release().catch(() => undefined);
    }
  }

  /** Publishes one round of rows in id order; returns how many. */
  private async round(runner: QueryRunner): Promise<number> {
    const rows = await unpublishedOutboxRows(runner.manager, ROWS_PER_ROUND);
    const pending = await unpublishedOutboxCount(runner.manager);
    outboxPending.set(pending);
    if (rows.length === 0) return 0;
    let start = 0;
    while (start < rows.length) {
      let end = start;
      while (end < rows.length && rows[end]!.topic === rows[start]!.topic) end++;
      const events: SerializedEvent[] = [];
      const published: RouteTableChangedData[] = [];
      /** Per notification, when its oldest change was caused (ms). */
      const oldestCauses: number[] = [];
      // A batch's notifications (500 changes each) share its change-log segment: decode it once.
      const segments: SegmentCache = new Map();
      for (const row of rows.slice(start, end)) {
        const event = parsed<CloudEvent>(row.event);
        events.push({
          key: row.message_key,
          id: event.id,
          type: event.type,
          value: Buffer.from(await this.serialize(runner, event, segments, oldestCauses)),
        });
        if (event.type === ROUTE_TABLE_CHANGED) published.push(event.data as RouteTableChangedData);
      }
      // A message Kafka refuses for its size never blocks the outbox: a notification is split into
      // consecutive ones, anything else (or one change alone) is dead-lettered and the rest goes on.
      await this.kafka.publishSerialized(rows[start]!.topic, events, { producer: 'brm outbox relay', split: splitOutboxEvent });
      const publishedAt = Date.now();
      for (const causedAt of oldestCauses) observeRouteChangeAge('notified', causedAt, publishedAt);
      for (const { vpcId, toRevision } of published) this.committed.published(vpcId, toRevision);
      start = end;
    }
    await markOutboxPublished(
      runner.manager,
      rows.map((row) => row.id),
    );
    outboxPublished.inc(rows.length);
    outboxPending.set(Math.max(0, pending - rows.length));
    return rows.length;
  }

  /**
   * The event's JSON as published. An interconnect notification gets its changes: from the batch
   * that committed them if held here, else from the change log.
   */
  private async serialize(runner: QueryRunner, event: CloudEvent, segments: SegmentCache, oldestCauses: number[]): Promise<string> {
    if (event.type !== ROUTE_TABLE_CHANGED) return JSON.stringify(event);
    const stored = event.data as StoredRouteTableChanged | RouteTableChangedData;
    if (stored.changes !== null) return JSON.stringify(event);
    const held = this.committed.take(stored.vpcId, stored.fromRevision, stored.toRevision);
    const changes = held ?? (await changeLog(runner, stored.vpcId, stored.fromRevision, stored.toRevision, segments));
    notifiedChanges.inc({ source: held ? 'committed' : 'change-log' }, changes.length);
    let oldest = Infinity;
    for (const change of changes) if (change.cause.at < oldest) oldest = change.cause.at;
    if (oldest !== Infinity) oldestCauses.push(oldest);
    const expected = stored.toRevision - stored.fromRevision + 1;
    if (changes.length !== expected) {
      // The change log is written in the same transaction as the outbox row: this cannot happen
      // unless someone deleted log rows. Refuse to publish a message with a silent gap.
      throw new Error(`VPC ${stored.vpcId}: change log holds ${changes.length} of revisions ${stored.fromRevision}..${stored.toRevision}`);
    }
    const envelope = JSON.stringify({ ...event, data: { ...stored, changes: CHANGES_MARK } });
    const at = envelope.lastIndexOf(CHANGES_MARK_JSON);
    return envelope.slice(0, at) + this.notifiedChanges.write(changes) + envelope.slice(at + CHANGES_MARK_JSON.length);
  }

  private scheduleRetry(): void {
    if (this.stopped || this.retry) return;
    const delay = this.retryDelayMs;
    this.retryDelayMs = Math.min(this.retryDelayMs * 2, MAX_RETRY_DELAY_MS);
    this.retry = setTimeout(() => {
      this.retry = null;
      this.kick();
    }, delay);
  }
}
