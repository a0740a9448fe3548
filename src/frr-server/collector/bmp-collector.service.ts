/**
 * The BMP collector: a TCP server that every host's bgpd (`bmp connect`) streams to. Each
 * connection gets its own decoder and session tracker (a RouterStream on one of the read workers,
 * bmp-read-workers.ts); decoded messages become events on bgp.route-events.v1 /
 * bgp.session-events.v1, keyed by BGP session.
 *
 * Pipeline per router: each read is decoded and its events serialised on its read worker, then put
 * into the router's outbox, a queue of batches (one topic each, at most one Kafka request each),
 * and one publisher per router sends the batches one after another, each only once the previous one
 * is on Kafka. So Kafka sees the stream's order, and the next batch is ready when the previous one
 * is acknowledged.
 *
 * Backpressure: when a router's outbox holds MAX_QUEUED_BYTES, its socket is paused until Kafka
 * has taken a batch, so a slow Kafka slows the routers' TCP windows instead of filling memory.
 * While Kafka refuses, the same batch is retried with backoff and the socket stays paused: nothing
 * read is dropped. An event Kafka refuses for its size is not retried: it is split, or
 * dead-lettered when it cannot be (publishWithRetry).
 */
import { Inject, Injectable, Logger, Optional, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { DataSource } from 'typeorm';
import { SESSION_DOWN, type SessionRef } from '../../common/events/bgp-events.js';
import { APP_CONFIG } from '../../common/config/config.module.js';
import type { AppConfig } from '../../common/config/config.js';
import { HostEntity } from '../../common/inventory/inventory.entities.js';
import { KafkaGateway, MAX_REQUEST_BYTES, messageBytes } from '../../common/kafka/kafka.gateway.js';
import { observeRouteChangeAge } from '../../common/metrics.js';
import { TOPICS } from '../../common/kafka/topics.js';
import { BmpArchive, openKafkaBmpArchive, type BmpArchiveStream } from './bmp-archive.js';
import { BmpEventSerializer, type OutgoingBmpEvent } from './bmp-event-serializer.js';
import { splitBmpEvent } from './bmp-event-split.js';
import { onBothTopics, type CollectedEvent, type RouterIdentity } from './bmp-events.js';
import { BmpReadWorkers, type RouterReader } from './bmp-read-workers.js';
import type { ReadOutcome } from './router-stream.js';
import {
  bmpConnectedRouters,
  bmpMessages,
  bmpParseErrors,
  bmpPausedRouters,
  bmpPausedSeconds,
  bmpPublishSeconds,
  bmpRoutes,
} from './collector-metrics.js';

/**
 * Serialised events a router may have waiting for Kafka (the batch being sent included) before
 * its socket is paused: two full requests, so one is ready when the previous is acknowledged.
 */
export const MAX_QUEUED_BYTES = 2 * MAX_REQUEST_BYTES;

/** Reads of one router with its worker or waiting to be queued: the worker decodes the next while this thread queues the last. */
const READS_IN_FLIGHT = 4;

/** Events of one topic, in stream order, that go to Kafka in one request. */
interface Batch {
  topic: string;
  events: OutgoingBmpEvent[];
  bytes: number;
  /** Published even after the connection closed (its session-down events); others are dropped if Kafka fails then. */
  evenIfClosed: boolean;
  /** When the collector read the oldest of these events off the socket (ms): the batch's age on Kafka is measured from it. */
  oldestReceivedAt: number;
}

interface RouterConnection {
  socket: Socket;
  remote: string;
  identity: RouterIdentity;
  /** Its stream on a read worker: decoded, sessions followed, events serialised there. */
  reader: RouterReader;
  /** Sessions this router has told us about, for the withdraw-all when the connection drops. */
  sessions: Map<string, SessionRef>;
  /** Reads are handled one at a time, in order. */
  work: Promise<void>;
  closed: boolean;
  /** Batches not yet on Kafka, in stream order; the first may be on its way. */
  outbox: Batch[];
  /** Bytes of the events in the outbox (the batch being sent included). */
  outboxBytes: number;
  /** The publisher, while it runs: sends the outbox's batches one at a time. */
  flushing: Promise<void> | null;
  /** When the socket was paused, or null while it reads. */
  pausedAt: bigint | null;
  /** Reads received and not yet handled. */
  handling: number;
  /** Its raw bytes' way to the archive (docs/bmp.md), when RB_BMP_ARCHIVE is on. */
  archive: BmpArchiveStream | null;
}

@Injectable()
export class BmpCollectorService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('BmpCollector');
  private server: Server | null = null;
  private readonly connections = new Set<RouterConnection>();
  private readers: BmpReadWorkers | null = null;
  /** For the session-down events of a lost connection (rare; routes are serialised on the read workers). */
  private readonly serializer: BmpEventSerializer;
  private stopping = false;
  /** This process's collector run (docs/bmp.md "A collector that dies"): its connections are `<run>/<n>`. */
  private run: string;
  private connectionCount = 0;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly kafka: KafkaGateway,
    private readonly dataSource: DataSource,
    /** The raw BMP archive; by default opened at start when RB_BMP_ARCHIVE is on. */
    @Optional() private archive: BmpArchive | null = null,
  ) {
    this.serializer = new BmpEventSerializer(this.source);
    this.run = newRunId(config.instanceId);
  }

  /** The collector run its BMP connections belong to; BRM watches its heartbeat (CollectorLivenessService). */
  get runId(): string {
    return this.run;
  }

  /**
   * BRM found this run lost (no heartbeat in time) and said its sessions down: they stay down
   * unless the routers report them again. A new run begins, and every connection is closed so
   * that the routers reconnect under it and dump their tables again. Returns how many were closed.
   */
  startNewRun(): number {
    this.run = newRunId(this.config.instanceId);
    return this.closeAllForRedump();
  }

  private get source(): string {
    return `route-broker/${this.config.instanceId}/frr-server`;
  }

  async onApplicationBootstrap(): Promise<void> {
    this.readers = new BmpReadWorkers(this.config.bmp.readWorkers, (reason) => {
      this.logger.error(`a BMP read worker stopped, closing its routers' connections: ${reason}`);
      // Idle routers too: their sessions are reported down now, and bgpd reconnects and dumps again.
      for (const connection of this.connections) if (connection.reader.lost) this.close(connection);
    });
    // Never waited for: it sets itself up on Kafka in the background (best effort, like all it does).
    if (this.archive === null && this.config.bmp.archive.enabled) this.archive = openKafkaBmpArchive(this.config, this.logger);
    const server = createServer((socket) => this.accept(socket));
    server.on('error', (error) => this.logger.error(`BMP listener error: ${error.message}`));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.config.bmp.port, this.config.bmp.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    const address = server.address() as AddressInfo;
    this.logger.log(`BMP collector listening on ${address.address}:${address.port}`);
  }

  /**
   * Closes every router's connection: their sessions are reported down (kept stale downstream),
   * bgpd reconnects and sends its tables again. Returns how many were closed.
   */
  closeAllForRedump(): number {
    let closed = 0;
    for (const connection of this.connections) {
      if (connection.closed) continue;
      this.close(connection);
      closed++;
    }
    return closed;
  }

  /** The bound port (useful when configured as 0). */
  get port(): number {
    return (this.server?.address() as AddressInfo | null)?.port ?? 0;
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    const server = this.server;
    // server.close() calls back only once every connection is gone, and routers never hang up on
    // their own: close the connections first, or shutdown waits for its timeout.
    const closed = server ? new Promise<void>((resolve) => server.close(() => resolve())) : Promise.resolve();
    for (const connection of this.connections) connection.socket.destroy();
    await closed;
    await Promise.allSettled([...this.connections].map((connection) => connection.work));
    await this.readers?.stop();
    await this.archive?.stop();
  }

  private accept(socket: Socket): void {
    const remote = `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? 0}`;
    // A router that vanishes without a FIN must not hold its sessions open forever.
    socket.setKeepAlive(true, 30000);
    socket.setNoDelay(true);
    const identity = { router: socket.remoteAddress ?? remote, hostId: null, connection: `${this.run}/${++this.connectionCount}` };
    const connection: RouterConnection = {
      socket,
      remote,
      identity,
      reader: this.readers!.open({ identity, maxMessageLength: this.config.bmp.maxMessageBytes, source: this.source }),
      sessions: new Map(),
      work: Promise.resolve(),
      closed: false,
      outbox: [],
      outboxBytes: 0,
      flushing: null,
      pausedAt: null,
      handling: 0,
      archive: this.archive?.open(identity.connection, identity.router) ?? null,
    };
    this.connections.add(connection);
    bmpConnectedRouters.set(this.connections.size);
    this.logger.log(`BMP connection from ${remote}`);
    // Reads go to the worker once the router is identified (its events carry the identity).
    const identified = this.identifyByAddress(connection);
    connection.work = identified;

    socket.on('data', (chunk: Buffer) => {
      // Up to READS_IN_FLIGHT reads are with the worker while the earlier ones' events are queued
      // here; then the socket pauses, and it stays paused for as long as the outbox is full.
      connection.handling++;
      if (connection.handling >= READS_IN_FLIGHT) this.pause(connection);
      const receivedAt = new Date();
      connection.archive?.received(chunk, receivedAt);
      const reading = identified.then(() => connection.reader.read(chunk, receivedAt));
      reading.catch(() => undefined); // handled in turn by handleRead
      connection.work = connection.work
        .then(() => this.handleRead(connection, reading, receivedAt.getTime()))
        // A bug here must not stall the connection silently (every later read would be skipped):
        // closing it makes the router reconnect and dump again, so nothing is lost.
        .catch((error: unknown) => {
          this.logger.error(
            `closing BMP connection from ${connection.identity.router} (${remote}): handling a read failed: ${(error as Error).stack ?? String(error)}`,
          );
          this.close(connection);
        })
        .finally(() => {
          connection.handling--;
          this.resumeIfRoom(connection);
        });
    });
    socket.on('error', (error) => this.logger.warn(`BMP connection ${remote} (${connection.identity.router}): ${error.message}`));
    socket.on('close', () => {
      connection.closed = true;
      connection.work = connection.work.then(() => this.connectionLost(connection));
    });
  }

  private async handleRead(connection: RouterConnection, reading: Promise<ReadOutcome>, receivedAt: number): Promise<void> {
    if (connection.closed) return;
    let outcome = await this.outcomeOf(connection, reading);
    while (outcome !== null) {
      if (outcome.malformed) {
        bmpParseErrors.inc({ router: connection.identity.router });
        this.logger.error(
          `closing BMP connection from ${connection.identity.router} (${connection.remote}): malformed message at byte ${outcome.malformed.offset}: ${outcome.malformed.problem}`,
        );
        this.close(connection);
        return;
      }
      this.took(connection, outcome, receivedAt);
      if (outcome.initiation === null) return;
      // The messages after an Initiation carry the identity it gives: the worker waits for it.
      await this.identifyByInitiation(connection, outcome.initiation.sysName);
      outcome = await this.outcomeOf(connection, connection.reader.continueRead());
    }
  }

  /** A read's outcome, or null when the worker failed it (the connection is then closed). */
  private async outcomeOf(connection: RouterConnection, reading: Promise<ReadOutcome>): Promise<ReadOutcome | null> {
    try {
      return await reading;
    } catch (error) {
      bmpParseErrors.inc({ router: connection.identity.router });
      this.logger.error(`closing BMP connection from ${connection.identity.router} (${connection.remote}): ${(error as Error).message}`);
      this.close(connection);
      return null;
    }
  }

  /** Closes the router's connection: the reads still with the worker are dropped ('close' says the sessions are down). */
  private close(connection: RouterConnection): void {
    connection.closed = true;
    connection.socket.destroy();
  }

  /** A read's metrics, sessions and events. */
  private took(connection: RouterConnection, outcome: ReadOutcome, receivedAt: number): void {
    const { router } = connection.identity;
    for (const notice of outcome.notices) this.logger.warn(`BMP from ${router} (${connection.remote}): ${notice}`);
    for (const [kind, count] of Object.entries(outcome.messages)) bmpMessages.inc({ router, kind }, count);
    if (outcome.announced > 0) bmpRoutes.inc({ router, action: 'announce' }, outcome.announced);
    if (outcome.withdrawn > 0) bmpRoutes.inc({ router, action: 'withdraw' }, outcome.withdrawn);
    for (const change of outcome.sessionChanges) {
      if (change.change === 'up') connection.sessions.set(change.key, change.session);
      else connection.sessions.delete(change.key);
    }
    connection.archive?.decoded(outcome, router);
    this.enqueue(connection, outcome.events, false, receivedAt);
  }

  /** The router's sessions are gone from our view: say so, so consumers withdraw or mark stale. */
  private async connectionLost(connection: RouterConnection): Promise<void> {
    this.connections.delete(connection);
    if (connection.pausedAt !== null) this.resume(connection);
    bmpConnectedRouters.set(this.connections.size);
    this.logger.log(
      `BMP connection from ${connection.identity.router} (${connection.remote}) closed; ${connection.sessions.size} sessions down`,
    );
    const lostAt = Date.now();
    const receivedAt = new Date(lostAt).toISOString();
    const events: CollectedEvent[] = onBothTopics(
      [...connection.sessions.values()].map((session) => ({
        topic: TOPICS.sessionEvents.name,
        type: SESSION_DOWN,
        session,
        data: { session, reason: 'collector-connection-lost', notification: null, receivedAt, connection: connection.identity.connection },
      })),
    );
    connection.sessions.clear();
    connection.reader.close();
    connection.archive?.end(connection.identity.router);
    // After whatever the router sent before it went: the outbox keeps the stream's order.
    this.enqueue(connection, this.serializer.serialize(events), true, lostAt);
    await this.flush(connection);
  }

  /**
   * Serialises `events` into the outbox, in stream order: consecutive events of one topic share a
   * batch up to one request's size; a change of topic starts a new batch, and batches are sent one
   * at a time, so a Peer Up is on Kafka before the routes that follow it.
   */
  private enqueue(connection: RouterConnection, events: readonly OutgoingBmpEvent[], evenIfClosed: boolean, receivedAt: number): void {
    if (events.length === 0) return;
    for (const event of events) {
      const bytes = messageBytes(Buffer.byteLength(event.key), event.value.length);
      // Never the batch being sent: the outbox's first while the publisher runs.
      let batch =
        connection.outbox.length > 1 || connection.flushing === null ? connection.outbox[connection.outbox.length - 1] : undefined;
      if (
        batch === undefined ||
        batch.topic !== event.topic ||
        batch.evenIfClosed !== evenIfClosed ||
        batch.bytes + bytes > this.kafka.requestBudget(event.topic)
      ) {
        batch = { topic: event.topic, events: [], bytes: 0, evenIfClosed, oldestReceivedAt: receivedAt };
        connection.outbox.push(batch);
      }
      batch.events.push(event);
      batch.bytes += bytes;
      connection.outboxBytes += bytes;
    }
    if (connection.outboxBytes >= MAX_QUEUED_BYTES) this.pause(connection);
    void this.flush(connection);
  }

  /** Starts the publisher unless it runs; resolves when the outbox is empty. */
  private flush(connection: RouterConnection): Promise<void> {
    if (connection.flushing === null && connection.outbox.length > 0) connection.flushing = this.publishOutbox(connection);
    return connection.flushing ?? Promise.resolve();
  }

  private async publishOutbox(connection: RouterConnection): Promise<void> {
    try {
      // The first batch stays in the outbox while it is sent (enqueue never adds to it then) and
      // leaves it only once Kafka has it, so its bytes count against MAX_QUEUED_BYTES until then.
      for (let batch = connection.outbox[0]; batch !== undefined; batch = connection.outbox[0]) {
        await this.publishWithRetry(connection, batch.topic, batch.events, batch.evenIfClosed);
        observeRouteChangeAge('on_kafka', batch.oldestReceivedAt);
        connection.outbox.shift();
        connection.outboxBytes -= batch.bytes;
        this.resumeIfRoom(connection);
      }
    } finally {
      // In the same microtask as the check that found the outbox empty: whatever is enqueued
      // after this starts a new publisher.
      connection.flushing = null;
    }
  }

  private pause(connection: RouterConnection): void {
    connection.socket.pause();
    if (connection.pausedAt !== null) return;
    // Once per pause, not per read: the gauge counts the sockets paused now.
    connection.pausedAt = process.hrtime.bigint();
    bmpPausedRouters.inc();
  }

  /** Reads again unless the outbox is full, READS_IN_FLIGHT reads are being handled or the connection is gone. */
  private resumeIfRoom(connection: RouterConnection): void {
    if (connection.pausedAt === null || connection.closed || connection.outboxBytes >= MAX_QUEUED_BYTES) return;
    // The read being handled resumes when it is done.
    if (connection.handling >= READS_IN_FLIGHT) return;
    this.resume(connection);
  }

  private resume(connection: RouterConnection): void {
    if (connection.pausedAt !== null) {
      bmpPausedSeconds.inc({ router: connection.identity.router }, Number(process.hrtime.bigint() - connection.pausedAt) / 1e9);
      bmpPausedRouters.dec();
      connection.pausedAt = null;
    }
    if (!connection.closed) connection.socket.resume();
  }

  /**
   * Publishes one batch, retrying with backoff while Kafka fails. An event Kafka refuses for its
   * size is not retried (it never would be taken): the gateway sends it split in two (a route
   * batch by its routes, an announcement or withdrawal by its prefixes, splitBmpEvent), in its
   * place in the stream, or dead-letters it when it cannot be split, and the router's stream goes
   * on. A retry resumes after the events already done, so none is published twice.
   */
  private async publishWithRetry(
    connection: RouterConnection,
    topic: string,
    batch: OutgoingBmpEvent[],
    evenIfClosed: boolean,
  ): Promise<void> {
    let delayMs = 100;
    let events = batch;
    for (;;) {
      const timer = bmpPublishSeconds.startTimer();
      const progress = { done: 0 };
      try {
        await this.kafka.publishSerialized(topic, events, {
          split: splitBmpEvent,
          producer: `frr-server BMP collector, router ${connection.identity.router} (${connection.remote})`,
          progress,
        });
        timer();
        return;
      } catch (error) {
        events = events.slice(progress.done);
        if (this.stopping || (connection.closed && !evenIfClosed)) {
          this.logger.warn(
            `dropping ${events.length} events of ${connection.identity.router}: Kafka failed while stopping (${String(error)})`,
          );
          return;
        }
        this.logger.warn(
          `Kafka publish for ${connection.identity.router} failed, socket stays paused, retrying in ${delayMs} ms: ${String(error)}`,
        );
        await new Promise((resolve) => setTimeout(resolve, delayMs));
        delayMs = Math.min(delayMs * 2, this.config.bmp.publishRetryMaxMs);
      }
    }
  }

  private async identifyByAddress(connection: RouterConnection): Promise<void> {
    const address = connection.socket.remoteAddress?.replace(/^::ffff:/, '');
    if (!address) return;
    const host = await this.findHost({ underlayAddress: address }).catch(() => null);
    if (host) this.identifyAs(connection, host);
  }

  private identifyAs(connection: RouterConnection, host: HostEntity): void {
    connection.identity = { ...connection.identity, router: host.name, hostId: host.id };
    connection.reader.identify(connection.identity, host.asn);
  }

  private async identifyByInitiation(connection: RouterConnection, sysName: string | null): Promise<void> {
    if (connection.identity.hostId === null && sysName) {
      const host = await this.findHost({ name: sysName }).catch(() => null);
      if (host) this.identifyAs(connection, host);
      else {
        connection.identity = { ...connection.identity, router: sysName, hostId: null };
        connection.reader.identify(connection.identity, null);
      }
    }
    this.logger.log(
      `BMP router ${connection.remote} is ${connection.identity.router} (sysName ${sysName ?? '-'}, host id ${connection.identity.hostId ?? 'unknown'})`,
    );
  }

  private findHost(where: Partial<Pick<HostEntity, 'name' | 'underlayAddress'>>): Promise<HostEntity | null> {
    return this.dataSource.getRepository(HostEntity).findOneBy(where);
  }
}

/** A collector run's id: the instance and a random part, new at every start (and after being found lost). */
function newRunId(instanceId: string): string {
  return `${instanceId}.${randomUUID().slice(0, 8)}`;
}
