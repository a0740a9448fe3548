/**
 * Server-Sent Events per hosted VPC for other consumers (GET /api/v1/hosted-vpcs/:id/route-stream):
 * a snapshot, then every change as it happens, resumable with Last-Event-ID (a revision).
 *
 * An HTTP request can land on any instance, so every instance serving streams reads the whole
 * change stream itself (a consumer group of its own, from now on) and keeps, per VPC that has had
 * a stream, the latest RB_HRM_SSE_REPLAY_CHANGES changes: a client that comes back with a
 * Last-Event-ID they cover gets just what it missed, any other gets a fresh snapshot. Each stream
 * has a bounded queue (the same SubscriberQueue as UXR subscribers): a client too slow to keep up
 * is sent a snapshot again rather than buffered without bound.
 */
import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import type { Response } from 'express';
import { randomUUID } from 'node:crypto';
import { Counter, Gauge } from 'prom-client';
import { VpcRoutesService } from '../brm/vpc-routes.service.js';
import { APP_CONFIG } from '../common/config/config.module.js';
import type { AppConfig } from '../common/config/config.js';
import type { RouteTableChangedData } from '../common/events/vpc-events.js';
import { KafkaGateway } from '../common/kafka/kafka.gateway.js';
import { TOPICS } from '../common/kafka/topics.js';
import { metricsRegistry } from '../common/metrics.js';
import { checkRouteTableChanged } from './core/route-table-changed-schema.js';
import { SubscriberQueue } from './core/subscriber-queue.js';
import { SnapshotSlots } from './snapshot-slots.js';
import { SubscriptionStore } from './subscription-store.js';

/** A comment line this often keeps proxies and load balancers from closing a quiet stream. */
const KEEP_ALIVE_MS = 15_000;

const streamsOpen = new Gauge({
  name: 'route_broker_hrm_sse_streams',
  help: 'Server-Sent Events route streams open on this instance',
  registers: [metricsRegistry],
});
const streamStarts = new Counter({
  name: 'route_broker_hrm_sse_starts_total',
  help: 'Route streams started, by how: resumed from Last-Event-ID, or with a snapshot',
  labelNames: ['start'] as const,
  registers: [metricsRegistry],
});

interface Stream {
  vpcId: number;
  queue: SubscriberQueue;
  response: Response;
  closed: boolean;
  wake: (() => void) | null;
}

/** The recent changes of one VPC, oldest first, contiguous in revision. */
interface Replay {
  messages: RouteTableChangedData[];
  changes: number;
}

@Injectable()
export class RouteStreamService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(RouteStreamService.name);
  private readonly streams = new Map<number, Set<Stream>>();
  private readonly replays = new Map<number, Replay>();
  private stopped = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly store: SubscriptionStore,
    private readonly kafka: KafkaGateway,
    private readonly snapshotSlots: SnapshotSlots,
    private readonly routes: VpcRoutesService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.kafka.startConsumer({
      groupId: `${this.config.hrm.consumerGroup}.streams.${this.config.instanceId}.${randomUUID().slice(0, 8)}`,
      topics: [TOPICS.interconnectRouteUpdates.name],
      fromBeginning: false,
      fromNow: true,
      // The HRM group dead-letters bad messages; this one only skips them.
      skipInvalid: true,
      check: (incoming) => checkRouteTableChanged(incoming.event.type, incoming.event.data),
      handleBatch: (events) => {
        for (const incoming of events) this.take(incoming.checked);
        return Promise.resolve();
      },
    });
  }

  /** Before the HTTP server closes: it would otherwise wait for these never-ending responses. */
  beforeApplicationShutdown(): void {
    this.stopped = true;
    for (const streams of this.streams.values()) for (const stream of streams) this.end(stream);
  }

  async vpcExists(vpcId: number): Promise<boolean> {
    return this.store.vpcExists(vpcId);
  }

  /** Serves one stream until the client goes away. `lastEventId` is the revision the client has, if any. */
  async serve(vpcId: number, lastEventId: number | null, response: Response): Promise<void> {
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    response.write(`retry: 2000\n\n`);
    if (!this.replays.has(vpcId)) this.replays.set(vpcId, { messages: [], changes: 0 });
    const resumed = lastEventId !== null && this.replayCovers(vpcId, lastEventId);
    const queue = new SubscriberQueue(
      this.config.hrm.maxQueuedChanges,
      resumed ? { state: 'streaming', ackedRevision: lastEventId } : { state: 'snapshot', reason: 'new stream' },
    );
    streamStarts.inc({ start: resumed ? 'resumed' : 'snapshot' });
    const stream: Stream = { vpcId, queue, response, closed: false, wake: null };
    if (resumed) for (const message of this.replays.get(vpcId)!.messages) queue.offer(message, () => undefined);
    let streams = this.streams.get(vpcId);
    if (!streams) this.streams.set(vpcId, (streams = new Set()));
    streams.add(stream);
    streamsOpen.inc();
    const keepAlive = setInterval(() => response.write(': keep-alive\n\n'), KEEP_ALIVE_MS);
    response.on('close', () => this.end(stream));
    try {
      await this.run(stream);
    } catch (error) {
      if (!stream.closed) this.logger.warn(`route stream of VPC ${vpcId} ended: ${(error as Error).message}`);
    } finally {
      clearInterval(keepAlive);
      this.end(stream);
      streamsOpen.dec();
      streams.delete(stream);
      response.end();
    }
  }

  private replayCovers(vpcId: number, revision: number): boolean {
    const replay = this.replays.get(vpcId);
    if (!replay || replay.messages.length === 0) return false;
    const first = replay.messages[0]!.fromRevision;
    const last = replay.messages.at(-1)!.toRevision;
    return revision >= first - 1 && revision <= last;
  }

  private take(message: RouteTableChangedData): void {
    const replay = this.replays.get(message.vpcId);
    if (!replay) return; // nobody has streamed this VPC from this instance
    const last = replay.messages.at(-1);
    if (last && message.toRevision <= last.toRevision) return; // a duplicate
    if (last && message.fromRevision !== last.toRevision + 1) {
      // A hole (the outbox relay re-sent, or we started mid-way): what we hold can no longer be replayed.
      replay.messages = [];
      replay.changes = 0;
    }
    replay.messages.push(message);
    replay.changes += message.changes.length;
    while (replay.messages.length > 1 && replay.changes > this.config.hrm.sseReplayChanges) {
      replay.changes -= replay.messages.shift()!.changes.length;
    }
    for (const stream of this.streams.get(message.vpcId) ?? []) {
      const offered = stream.queue.offer(message, () => undefined);
      if (offered.outcome === 'resync') stream.queue.resync(offered.reason);
      this.wake(stream);
    }
  }

  private async run(stream: Stream): Promise<void> {
    while (!stream.closed && !this.stopped) {
      if (stream.queue.state === 'snapshot') {
        await this.snapshot(stream);
        continue;
      }
      const batch = stream.queue.nextBatch(this.config.hrm.maxChangesPerRequest);
      if (!batch) {
        await new Promise<void>((resolve) => {
          stream.wake = resolve;
          if (stream.closed) resolve();
        });
        continue;
      }
      await this.write(stream, 'delta', String(batch.toRevision), { kind: 'delta', vpcId: stream.vpcId, ...batch });
      stream.queue.delivered(batch.toRevision);
    }
  }

  private async snapshot(stream: Stream): Promise<void> {
    await this.snapshotSlots.run(async () => {
      const snapshotId = randomUUID();
      const revision = await this.routes.readSnapshot(stream.vpcId, this.config.hrm.snapshotPageSize, async (page) => {
        if (stream.closed) throw new Error('client went away');
        // Page 0 clears the client's last event id (an empty `id:`), so a stream cut mid-snapshot
        // resumes with a new snapshot, never with deltas on top of half a table.
        const id = page.last ? String(page.revision) : page.index === 0 ? '' : null;
        await this.write(stream, 'snapshot', id, {
          kind: 'snapshot',
          vpcId: stream.vpcId,
          snapshotId,
          revision: page.revision,
          page: page.index,
          lastPage: page.last,
          routes: page.routes,
        });
      });
      stream.queue.snapshotDelivered(revision);
    });
  }

  /** Writes one event, waiting while the client's socket is full (a slow client fills its queue instead). */
  private async write(stream: Stream, event: string, id: string | null, body: object): Promise<void> {
    if (stream.closed) throw new Error('client went away');
    const text = `${id === null ? '' : `id: ${id}\n`}event: ${event}\ndata: ${JSON.stringify(body)}\n\n`;
    if (!stream.response.write(text)) {
      await new Promise<void>((resolve) => {
        const done = () => {
          stream.response.off('drain', done);
          stream.response.off('close', done);
          resolve();
        };
        stream.response.on('drain', done);
        stream.response.on('close', done);
      });
    }
  }

  private wake(stream: Stream): void {
    const wake = stream.wake;
    stream.wake = null;
    wake?.();
  }

  private end(stream: Stream): void {
    if (stream.closed) return;
    stream.closed = true;
    stream.queue.close();
    this.wake(stream);
  }
}
