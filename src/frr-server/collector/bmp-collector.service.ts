/**
 * The BMP collector: a TCP server that every host's bgpd (`bmp connect`) streams to. Each
 * connection gets its own decoder and session tracker; decoded messages become events on
 * bgp.route-events.v1 / bgp.session-events.v1, keyed by BGP session.
 *
 * Pipeline per router: each read is decoded and its events serialised at once into the router's
 * outbox, a queue of batches (one topic each, at most one Kafka request each), and one publisher
 * per router sends the batches one after another, each only once the previous one is on Kafka. So
 * Kafka sees the stream's order, and the next batch is ready when the previous one is acknowledged.
 *
 * Backpressure: when a router's outbox holds MAX_QUEUED_BYTES, its socket is paused until Kafka
 * has taken a batch, so a slow Kafka slows the routers' TCP windows instead of filling memory.
 * While Kafka refuses, the same batch is retried with backoff and the socket stays paused: nothing
 * read is dropped.
 */
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { DataSource } from 'typeorm';
import { SESSION_DOWN, type SessionRef } from '../../common/events/bgp-events.js';
import { APP_CONFIG } from '../../common/config/config.module.js';
import type { AppConfig } from '../../common/config/config.js';
import { HostEntity } from '../../common/inventory/inventory.entities.js';
import { KafkaGateway, MAX_REQUEST_BYTES, messageBytes } from '../../common/kafka/kafka.gateway.js';
import { TOPICS } from '../../common/kafka/topics.js';
import { BmpDecodeError } from '../bmp/bmp-decode-error.js';
import { peerKey } from '../bmp/bmp-session-tracker.js';
import { BmpStreamDecoder } from '../bmp/bmp-stream-decoder.js';
import type { BmpMessage } from '../bmp/bmp-types.js';
import { BmpEventSerializer, type OutgoingBmpEvent } from './bmp-event-serializer.js';
import { eventsOf, onBothTopics, sessionRefOf, type CollectedEvent, type RouterIdentity } from './bmp-events.js';
import { bmpConnectedRouters, bmpMessages, bmpParseErrors, bmpPausedSeconds, bmpPublishSeconds, bmpRoutes } from './collector-metrics.js';

/**
 * Serialised events a router may have waiting for Kafka (the batch being sent included) before
 * its socket is paused: two full requests, so one is ready when the previous is acknowledged.
 */
export const MAX_QUEUED_BYTES = 2 * MAX_REQUEST_BYTES;

/** Events of one topic, in stream order, that go to Kafka in one request. */
interface Batch {
  topic: string;
  events: OutgoingBmpEvent[];
  bytes: number;
  /** Published even after the connection closed (its session-down events); others are dropped if Kafka fails then. */
  evenIfClosed: boolean;
}

/** Messages by kind and prefixes by action in one read, for the metrics. */
class ReadCounts {
  private readonly messages = new Map<string, number>();
  private announced = 0;
  private withdrawn = 0;

  message(message: BmpMessage): void {
    this.messages.set(message.kind, (this.messages.get(message.kind) ?? 0) + 1);
    if (message.kind !== 'routeMonitoring') return;
    const { update } = message;
    this.announced += update.routes.length;
    this.withdrawn += update.withdrawnRoutes.length;
    for (const attribute of update.attributes) {
      if (attribute.kind === 'mpReachNlri') this.announced += attribute.routes.length;
      else if (attribute.kind === 'mpUnreachNlri') this.withdrawn += attribute.withdrawnRoutes.length;
    }
  }

  addTo(router: string): void {
    for (const [kind, count] of this.messages) bmpMessages.inc({ router, kind }, count);
    if (this.announced > 0) bmpRoutes.inc({ router, action: 'announce' }, this.announced);
    if (this.withdrawn > 0) bmpRoutes.inc({ router, action: 'withdraw' }, this.withdrawn);
  }
}

interface RouterConnection {
  socket: Socket;
  remote: string;
  identity: RouterIdentity;
  decoder: BmpStreamDecoder;
  /** Sessions this router has told us about, for the withdraw-all when the connection drops. */
  sessions: Map<string, SessionRef>;
  /** The router's own AS per session, from Peer Up (sent OPEN). */
  localAs: Map<string, number>;
  /** The inventory host's ASN, the fallback when a session's Peer Up was not seen. */
  hostAsn: number | null;
  /** Reads are handled one at a time, in order. */
  work: Promise<void>;
  closed: boolean;
  serializer: BmpEventSerializer;
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
}

@Injectable()
export class BmpCollectorService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('BmpCollector');
  private server: Server | null = null;
  private readonly connections = new Set<RouterConnection>();
  private stopping = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly kafka: KafkaGateway,
    private readonly dataSource: DataSource,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
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
  }

  private accept(socket: Socket): void {
    const remote = `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? 0}`;
    // A router that vanishes without a FIN must not hold its sessions open forever.
    socket.setKeepAlive(true, 30000);
    socket.setNoDelay(true);
    const connection: RouterConnection = {
      socket,
      remote,
      identity: { router: socket.remoteAddress ?? remote, hostId: null },
      decoder: new BmpStreamDecoder({ maxMessageLength: this.config.bmp.maxMessageBytes }),
      sessions: new Map(),
      localAs: new Map(),
      hostAsn: null,
      work: Promise.resolve(),
      closed: false,
      serializer: new BmpEventSerializer(`route-broker/${this.config.instanceId}/frr-server`),
      outbox: [],
      outboxBytes: 0,
      flushing: null,
      pausedAt: null,
      handling: 0,
    };
    this.connections.add(connection);
    bmpConnectedRouters.set(this.connections.size);
    this.logger.log(`BMP connection from ${remote}`);
    connection.work = this.identifyByAddress(connection);

    socket.on('data', (chunk: Buffer) => {
      // Paused while the read is handled (it may wait for the inventory), and after it for as long as the outbox is full.
      this.pause(connection);
      connection.handling++;
      connection.work = connection.work
        .then(() => this.handleRead(connection, chunk))
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

  private async handleRead(connection: RouterConnection, chunk: Buffer): Promise<void> {
    if (connection.closed) return;
    const receivedAt = new Date();
    let messages: BmpMessage[];
    try {
      messages = connection.decoder.push(chunk);
    } catch (error) {
      if (!(error instanceof BmpDecodeError)) throw error;
      bmpParseErrors.inc({ router: connection.identity.router });
      this.logger.error(
        `closing BMP connection from ${connection.identity.router} (${connection.remote}): malformed message at byte ${error.offset}: ${error.problem}`,
      );
      connection.socket.destroy();
      return;
    }
    const events: CollectedEvent[] = [];
    // Counted per read and added to the metrics once: FRR sends a message per prefix.
    const counts = new ReadCounts();
    for (const message of messages) {
      counts.message(message);
      if (message.kind === 'initiation') await this.identifyByInitiation(connection, message);
      // Once per message: FRR sends one per prefix.
      const key = 'peer' in message ? peerKey(message.peer) : null;
      this.trackSessions(connection, message, key);
      const localAs = key === null ? null : (connection.localAs.get(key) ?? connection.hostAsn);
      for (const event of eventsOf(message, connection.identity, receivedAt, localAs)) events.push(event);
    }
    counts.addTo(connection.identity.router);
    this.enqueue(connection, events, false);
  }

  /** `key` is the message's peerKey (null for messages without a peer). */
  private trackSessions(connection: RouterConnection, message: BmpMessage, key: string | null): void {
    if (key === null) return;
    if (message.kind === 'peerDown') {
      connection.sessions.delete(key);
      connection.localAs.delete(key);
    } else if (message.kind === 'peerUp') {
      connection.localAs.set(key, message.sentOpen.asn);
    }
    if ((message.kind === 'peerUp' || message.kind === 'routeMonitoring') && !connection.sessions.has(key)) {
      connection.sessions.set(key, sessionRefOf(connection.identity, message.peer));
    }
  }

  /** The router's sessions are gone from our view: say so, so consumers withdraw or mark stale. */
  private async connectionLost(connection: RouterConnection): Promise<void> {
    this.connections.delete(connection);
    if (connection.pausedAt !== null) this.resume(connection);
    bmpConnectedRouters.set(this.connections.size);
    this.logger.log(
      `BMP connection from ${connection.identity.router} (${connection.remote}) closed; ${connection.sessions.size} sessions down`,
    );
    const receivedAt = new Date().toISOString();
    const events: CollectedEvent[] = onBothTopics(
      [...connection.sessions.values()].map((session) => ({
        topic: TOPICS.sessionEvents.name,
        type: SESSION_DOWN,
        session,
        data: { session, reason: 'collector-connection-lost', notification: null, receivedAt },
      })),
    );
    connection.sessions.clear();
    // After whatever the router sent before it went: the outbox keeps the stream's order.
    this.enqueue(connection, events, true);
    await this.flush(connection);
  }

  /**
   * Serialises `events` into the outbox, in stream order: consecutive events of one topic share a
   * batch up to one request's size; a change of topic starts a new batch, and batches are sent one
   * at a time, so a Peer Up is on Kafka before the routes that follow it.
   */
  private enqueue(connection: RouterConnection, events: CollectedEvent[], evenIfClosed: boolean): void {
    if (events.length === 0) return;
    for (const event of connection.serializer.serialize(events)) {
      const bytes = messageBytes(Buffer.byteLength(event.key), event.value.length);
      // Never the batch being sent: the outbox's first while the publisher runs.
      let batch =
        connection.outbox.length > 1 || connection.flushing === null ? connection.outbox[connection.outbox.length - 1] : undefined;
      if (
        batch === undefined ||
        batch.topic !== event.topic ||
        batch.evenIfClosed !== evenIfClosed ||
        batch.bytes + bytes > MAX_REQUEST_BYTES
      ) {
        batch = { topic: event.topic, events: [], bytes: 0, evenIfClosed };
        connection.outbox.push(batch);
      }
      batch.events.push(event);
      batch.bytes += bytes;
      connection.outboxBytes += bytes;
    }
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
    connection.pausedAt ??= process.hrtime.bigint();
  }

  /** Reads again unless the outbox is full, a read is being handled or the connection is gone. */
  private resumeIfRoom(connection: RouterConnection): void {
    if (connection.pausedAt === null || connection.closed || connection.outboxBytes >= MAX_QUEUED_BYTES) return;
    // Still handling a read: the read's own resumeIfRoom runs when it is done.
    if (connection.handling > 0) return;
    this.resume(connection);
  }

  private resume(connection: RouterConnection): void {
    if (connection.pausedAt !== null) {
      bmpPausedSeconds.inc({ router: connection.identity.router }, Number(process.hrtime.bigint() - connection.pausedAt) / 1e9);
      connection.pausedAt = null;
    }
    if (!connection.closed) connection.socket.resume();
  }

  private async publishWithRetry(
    connection: RouterConnection,
    topic: string,
    events: OutgoingBmpEvent[],
    evenIfClosed: boolean,
  ): Promise<void> {
    let delayMs = 100;
    for (;;) {
      const timer = bmpPublishSeconds.startTimer();
      try {
        await this.kafka.publishSerialized(topic, events);
        timer();
        return;
      } catch (error) {
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
    connection.identity = { router: host.name, hostId: host.id };
    connection.hostAsn = host.asn;
  }

  private async identifyByInitiation(connection: RouterConnection, message: Extract<BmpMessage, { kind: 'initiation' }>): Promise<void> {
    const sysName = message.information.find((tlv) => tlv.type === 2)?.text;
    if (connection.identity.hostId === null && sysName) {
      const host = await this.findHost({ name: sysName }).catch(() => null);
      if (host) this.identifyAs(connection, host);
      else connection.identity = { router: sysName, hostId: null };
    }
    this.logger.log(
      `BMP router ${connection.remote} is ${connection.identity.router} (sysName ${sysName ?? '-'}, host id ${connection.identity.hostId ?? 'unknown'})`,
    );
  }

  private findHost(where: Partial<Pick<HostEntity, 'name' | 'underlayAddress'>>): Promise<HostEntity | null> {
    return this.dataSource.getRepository(HostEntity).findOneBy(where);
  }
}
