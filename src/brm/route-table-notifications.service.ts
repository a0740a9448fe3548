/**
 * BRM's interconnect notifications in the outbox (route-table-changed, issue #5). BRM stores them
 * without their changes, which the same transaction wrote to the change log; the outbox relay
 * (common/outbox/outbox-relay.ts) asks this expansion to fill them in when it publishes: from the
 * batch that committed them if this process still holds it, else from the change log.
 */
import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Counter } from 'prom-client';
import type { EntityManager } from 'typeorm';
import type { CloudEvent } from '../common/kafka/cloud-event.js';
import { ROUTE_TABLE_CHANGED, type RouteTableChangedData } from '../common/events/vpc-events.js';
import type { SerializedEvent } from '../common/kafka/kafka.gateway.js';
import type { RefusedMessage } from '../common/kafka/oversize.js';
import { metricsRegistry, observeRouteChangeAge } from '../common/metrics.js';
import type { OutboxExpansion, OutboxExpansionRound } from '../common/outbox/outbox-relay.js';
import { CommittedChanges } from './core/committed-changes.js';
import { NotifiedChangesWriter } from './core/notification-json.js';
import { splitNotification } from './core/notification-split.js';
import type { RouteChange } from './core/route-table.js';
import { changeLog, type SegmentCache } from './vpc-route-store.js';

/** Changes this instance committed and holds for publishing without reading the change log: a few batches. */
const HELD_CHANGES = 100_000;

const notifiedChanges = new Counter({
  name: 'route_broker_outbox_notified_changes_total',
  help: 'Route changes put into interconnect notifications, by where the relay took them from: the batch that committed them (held in memory) or the change log',
  labelNames: ['source'] as const,
  registers: [metricsRegistry],
});

/** How BRM stores an interconnect notification in the outbox: without its changes. */
export type StoredRouteTableChanged = Omit<RouteTableChangedData, 'changes'> & { changes: null };

/**
 * Stands for the changes while the rest of a notification is stringified; the changes' own text
 * (written by NotifiedChangesWriter) goes in its place. No other string of the event holds it.
 */
const CHANGES_MARK = `\u0000changes-${randomUUID()}`;
const CHANGES_MARK_JSON = JSON.stringify(CHANGES_MARK);

/**
 * A notification Kafka refused for its size, as two consecutive notifications (see
 * splitNotification); null when it cannot be split (one change alone), and it is dead-lettered.
 */
export function splitOutboxEvent(refused: RefusedMessage): SerializedEvent[] | null {
  if (refused.type !== ROUTE_TABLE_CHANGED || refused.key === null) return null;
  const parts = splitNotification(JSON.parse(refused.value.toString('utf8')) as CloudEvent<RouteTableChangedData>);
  return parts && parts.map((part) => ({ key: refused.key!, id: part.id, type: part.type, value: Buffer.from(JSON.stringify(part)) }));
}

@Injectable()
export class RouteTableNotifications implements OutboxExpansion {
  readonly eventType = ROUTE_TABLE_CHANGED;
  private readonly committed = new CommittedChanges(HELD_CHANGES);
  private readonly notifiedChanges = new NotifiedChangesWriter();

  /**
   * A batch of one VPC committed by this instance (call after the commit): the notifications
   * naming these revisions are published from here rather than read back from the change log.
   */
  changesCommitted(vpcId: number, changes: readonly RouteChange[]): void {
    this.committed.add(vpcId, changes);
  }

  split(refused: RefusedMessage): SerializedEvent[] | null {
    return splitOutboxEvent(refused);
  }

  beginRound(manager: EntityManager): OutboxExpansionRound {
    // A batch's notifications (500 changes each) share its change-log segment: decode it once.
    const segments: SegmentCache = new Map();
    /** Per notification, when its oldest change was caused (ms). */
    const oldestCauses: number[] = [];
    const notified: Pick<RouteTableChangedData, 'vpcId' | 'toRevision'>[] = [];
    return {
      serialize: async (event) => {
        const data = event.data as StoredRouteTableChanged | RouteTableChangedData;
        notified.push(data);
        return this.serialize(manager, event, data, segments, oldestCauses);
      },
      published: (publishedAt) => {
        for (const causedAt of oldestCauses) observeRouteChangeAge('notified', causedAt, publishedAt);
        for (const { vpcId, toRevision } of notified) this.committed.published(vpcId, toRevision);
      },
    };
  }

  private async serialize(
    manager: EntityManager,
    event: CloudEvent,
    stored: StoredRouteTableChanged | RouteTableChangedData,
    segments: SegmentCache,
    oldestCauses: number[],
  ): Promise<string> {
    if (stored.changes !== null) return JSON.stringify(event);
    const held = this.committed.take(stored.vpcId, stored.fromRevision, stored.toRevision);
    const changes = held ?? (await changeLog(manager, stored.vpcId, stored.fromRevision, stored.toRevision, segments));
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
}
