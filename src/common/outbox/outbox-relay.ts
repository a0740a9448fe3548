/**
 * Publishes the outbox (rows written in the same transaction as the change they announce) to
 * Kafka, in id order, and marks them published. Driven by `kick()` after each commit and once at
 * start-up (rows a crashed process committed but never published), not by polling: while rows are
 * waiting it retries with backoff, and it stops when the outbox is empty.
 *
 * At most one relay publishes at a time across all instances (a MariaDB named lock), so the rows
 * of one key reach Kafka in id order. A crash after publishing and before marking publishes those
 * rows again with the same CloudEvent ids: consumers drop duplicates by id.
 *
 * A feature may store an event in a compact form and fill it in at publish time (BRM stores its
 * route-table notifications without their changes, which the same transaction wrote to its change
 * log): it registers an `OutboxExpansion` for that event type (outbox.module.ts). Every process
 * that may hold the relay lock loads every expansion, so any of them can publish any row.
 */
import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { Counter, Gauge } from 'prom-client';
import { DataSource, type EntityManager, type QueryRunner } from 'typeorm';
import type { CloudEvent } from '../kafka/cloud-event.js';
import { KafkaGateway, type SerializedEvent } from '../kafka/kafka.gateway.js';
import type { RefusedMessage } from '../kafka/oversize.js';
import { metricsRegistry } from '../metrics.js';
import {
  markOutboxPublished,
  purgePublishedOutbox,
  releaseOutboxRelayLock,
  tryOutboxRelayLock,
  unpublishedOutboxCount,
  unpublishedOutboxRows,
} from './outbox.js';

/** Fills in the stored events of one type before they are published. */
export interface OutboxExpansion {
  /** The CloudEvent type this expansion owns. */
  readonly eventType: string;
  /**
   * One run of consecutive rows of one topic, published together. `manager` is the relay's
   * connection (it holds the relay lock): read what the events need on it.
   */
  beginRound(manager: EntityManager): OutboxExpansionRound;
  /** An event of this type that Kafka refused for its size, as smaller ones; null: dead-letter it. */
  split(refused: RefusedMessage): SerializedEvent[] | null;
}

export interface OutboxExpansionRound {
  /** The event's JSON as published. */
  serialize(event: CloudEvent): Promise<string>;
  /** The round's events are in Kafka (at `publishedAt`, ms). */
  published(publishedAt: number): void;
}

/** Injection token of the expansions (an array), see OutboxModule. */
export const OUTBOX_EXPANSIONS = Symbol('OUTBOX_EXPANSIONS');

const RELAY_LOCK = 'route-broker.outbox-relay';
const ROWS_PER_ROUND = 500;
/** Published rows are kept this long for an operator to look at, then deleted. */
const KEEP_PUBLISHED_HOURS = 24;
const MAX_RETRY_DELAY_MS = 10_000;

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
const outboxFailures = new Counter({
  name: 'route_broker_outbox_publish_failures_total',
  help: 'Outbox relay rounds that failed (Kafka or MariaDB unavailable); the rows stay and are retried',
  registers: [metricsRegistry],
});

const parsed = <T>(value: unknown): T => (typeof value === 'string' ? JSON.parse(value) : value) as T;

@Injectable()
export class OutboxRelay implements OnApplicationShutdown {
  private readonly logger = new Logger(OutboxRelay.name);
  private readonly expansions: ReadonlyMap<string, OutboxExpansion>;
  private running: Promise<void> | null = null;
  private again = false;
  private retry: NodeJS.Timeout | null = null;
  private retryDelayMs = 200;
  private stopped = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly kafka: KafkaGateway,
    @Inject(OUTBOX_EXPANSIONS) expansions: readonly OutboxExpansion[],
  ) {
    this.expansions = new Map(expansions.map((expansion) => [expansion.eventType, expansion]));
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
        while (!this.stopped && (await this.round(runner.manager)) > 0);
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
  private async round(manager: EntityManager): Promise<number> {
    const rows = await unpublishedOutboxRows(manager, ROWS_PER_ROUND);
    const pending = await unpublishedOutboxCount(manager);
    outboxPending.set(pending);
    if (rows.length === 0) return 0;
    let start = 0;
    while (start < rows.length) {
      let end = start;
      while (end < rows.length && rows[end]!.topic === rows[start]!.topic) end++;
      const events: SerializedEvent[] = [];
      const rounds = new Map<OutboxExpansion, OutboxExpansionRound>();
      for (const row of rows.slice(start, end)) {
        const event = parsed<CloudEvent>(row.event);
        const expansion = this.expansions.get(event.type);
        let serialized: string;
        if (expansion) {
          let round = rounds.get(expansion);
          if (!round) rounds.set(expansion, (round = expansion.beginRound(manager)));
          serialized = await round.serialize(event);
        } else {
          serialized = JSON.stringify(event);
        }
        events.push({ key: row.message_key, id: event.id, type: event.type, value: Buffer.from(serialized) });
      }
      // A message Kafka refuses for its size never blocks the outbox: its expansion may split it
      // into smaller ones; anything else is dead-lettered and the rest goes on.
      await this.kafka.publishSerialized(rows[start]!.topic, events, {
        producer: 'brm outbox relay',
        split: (refused) => (refused.type === null ? null : (this.expansions.get(refused.type)?.split(refused) ?? null)),
      });
      const publishedAt = Date.now();
      for (const round of rounds.values()) round.published(publishedAt);
      start = end;
    }
    await markOutboxPublished(
      manager,
      rows.map((row) => row.id),
    );
    outboxPublished.inc(rows.length);
    outboxPending.set(Math.max(0, pending - rows.length));
    return rows.length;
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
