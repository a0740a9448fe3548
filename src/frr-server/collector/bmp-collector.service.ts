/**
 * The BMP collector: a TCP server that every host's bgpd (`bmp connect`) streams to. Each
 * connection gets its own decoder and session tracker; decoded messages become events on
 * bgp.route-events.v1 / bgp.session-events.v1, keyed by BGP session.
 *
 * Backpressure: a socket is paused while the events of its last read are published, so a slow
 * Kafka slows the routers' TCP windows instead of filling memory. While Kafka refuses, the same
 * events are retried with backoff and the socket stays paused: nothing read is dropped.
 */
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { DataSource } from 'typeorm';
import { SESSION_DOWN, sessionKey, type SessionRef } from '../../common/events/bgp-events.js';
import { APP_CONFIG } from '../../common/config/config.module.js';
import type { AppConfig } from '../../common/config/config.js';
import { HostEntity } from '../../common/inventory/inventory.entities.js';
import { createCloudEvent } from '../../common/kafka/cloud-event.js';
import { KafkaGateway, type OutgoingEvent } from '../../common/kafka/kafka.gateway.js';
import { TOPICS } from '../../common/kafka/topics.js';
import { BmpDecodeError } from '../bmp/bmp-decode-error.js';
import { peerKey } from '../bmp/bmp-session-tracker.js';
import { BmpStreamDecoder } from '../bmp/bmp-stream-decoder.js';
import type { BmpMessage } from '../bmp/bmp-types.js';
import { eventsOf, onBothTopics, sessionRefOf, type CollectedEvent, type RouterIdentity } from './bmp-events.js';
import { bmpConnectedRouters, bmpMessages, bmpParseErrors, bmpPausedSeconds, bmpPublishSeconds, bmpRoutes } from './collector-metrics.js';

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
    };
    this.connections.add(connection);
    bmpConnectedRouters.set(this.connections.size);
    this.logger.log(`BMP connection from ${remote}`);
    connection.work = this.identifyByAddress(connection);

    socket.on('data', (chunk: Buffer) => {
      socket.pause();
      const pausedAt = process.hrtime.bigint();
      connection.work = connection.work
        .then(() => this.handleRead(connection, chunk))
        .finally(() => {
          bmpPausedSeconds.inc({ router: connection.identity.router }, Number(process.hrtime.bigint() - pausedAt) / 1e9);
          if (!connection.closed) socket.resume();
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
    for (const message of messages) {
      bmpMessages.inc({ router: connection.identity.router, kind: message.kind });
      if (message.kind === 'initiation') await this.identifyByInitiation(connection, message);
      this.trackSessions(connection, message);
      const localAs = 'peer' in message ? (connection.localAs.get(peerKey(message.peer)) ?? connection.hostAsn) : null;
      for (const event of eventsOf(message, connection.identity, receivedAt, localAs)) events.push(event);
    }
    await this.publish(connection, events);
  }

  private trackSessions(connection: RouterConnection, message: BmpMessage): void {
    if (message.kind === 'peerDown') {
      connection.sessions.delete(peerKey(message.peer));
      connection.localAs.delete(peerKey(message.peer));
    } else if (message.kind === 'peerUp') {
      connection.localAs.set(peerKey(message.peer), message.sentOpen.asn);
    }
    if (message.kind === 'peerUp' || message.kind === 'routeMonitoring') {
      const key = peerKey(message.peer);
      if (!connection.sessions.has(key)) connection.sessions.set(key, sessionRefOf(connection.identity, message.peer));
      if (message.kind === 'routeMonitoring') {
        const { update } = message;
        const announced =
          update.routes.length + update.attributes.reduce((n, a) => n + (a.kind === 'mpReachNlri' ? a.routes.length : 0), 0);
        const withdrawn =
          update.withdrawnRoutes.length +
          update.attributes.reduce((n, a) => n + (a.kind === 'mpUnreachNlri' ? a.withdrawnRoutes.length : 0), 0);
        if (announced > 0) bmpRoutes.inc({ router: connection.identity.router, action: 'announce' }, announced);
        if (withdrawn > 0) bmpRoutes.inc({ router: connection.identity.router, action: 'withdraw' }, withdrawn);
      }
    }
  }

  /** The router's sessions are gone from our view: say so, so consumers withdraw or mark stale. */
  private async connectionLost(connection: RouterConnection): Promise<void> {
    this.connections.delete(connection);
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
    await this.publish(connection, events, true);
  }

  /**
   * Publishes in stream order: consecutive events of one topic go in one request; a change of
   * topic waits for the previous request, so a Peer Up is on Kafka before its routes.
   */
  private async publish(connection: RouterConnection, events: CollectedEvent[], evenIfClosed = false): Promise<void> {
    let start = 0;
    while (start < events.length) {
      const topic = events[start]!.topic;
      let end = start;
      while (end < events.length && events[end]!.topic === topic) end++;
      const outgoing: OutgoingEvent[] = events.slice(start, end).map((event) => ({
        key: sessionKey(event.session),
        event: createCloudEvent({
          type: event.type,
          source: `route-broker/${this.config.instanceId}/frr-server`,
          subject: sessionKey(event.session),
          data: event.data,
        }),
      }));
      await this.publishWithRetry(connection, topic, outgoing, evenIfClosed);
      start = end;
    }
  }

  private async publishWithRetry(
    connection: RouterConnection,
    topic: string,
    events: OutgoingEvent[],
    evenIfClosed: boolean,
  ): Promise<void> {
    let delayMs = 100;
    for (;;) {
      const timer = bmpPublishSeconds.startTimer();
      try {
        await this.kafka.publish(topic, events);
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
