/**
 * One router's BMP stream, read by read: decoded, its sessions followed, its events built and
 * serialised into Kafka messages. Plain TypeScript holding one connection's state, no I/O: the
 * collector runs it in a worker thread (bmp-read-worker.ts), so that decoding, the bulk of the
 * collector's work, runs beside the thread that owns the sockets and the Kafka client.
 */
import type { SessionRef } from '../../common/events/bgp-events.js';
import { BmpDecodeError } from '../bmp/bmp-decode-error.js';
import { peerKey } from '../bmp/bmp-session-tracker.js';
import { BmpStreamDecoder } from '../bmp/bmp-stream-decoder.js';
import type { BmpMessage, PerPeerHeader } from '../bmp/bmp-types.js';
import { BmpEventSerializer, type OutgoingBmpEvent } from './bmp-event-serializer.js';
import { eventsOf, sessionRefOf, type CollectedEvent, type RouterIdentity } from './bmp-events.js';

/** A session the router told us about (`up`, first seen) or that went down, in stream order. */
export type SessionChange = { change: 'up'; key: string; session: SessionRef } | { change: 'down'; key: string };

/** What one read (or the rest of it, after an Initiation) gave. */
export interface ReadOutcome {
  /** Serialised events, in stream order. */
  events: OutgoingBmpEvent[];
  /** For the session-down events the collector owes consumers when the connection drops. */
  sessionChanges: SessionChange[];
  /** Messages by kind, for the metrics. */
  messages: Record<string, number>;
  announced: number;
  withdrawn: number;
  /**
   * The read stopped right after an Initiation (its sysName here): the collector identifies the
   * router, calls identify() and then continueRead() for the messages after it, which must carry
   * the identity found.
   */
  initiation: { sysName: string | null } | null;
  /** The stream cannot be decoded: nothing of this read was used and the connection must close. */
  malformed: { offset: number; problem: string } | null;
  /** What an operator should know about messages that were still used (the collector logs them as warnings). */
  notices: string[];
}

export interface RouterStreamOptions {
  identity: RouterIdentity;
  /** A longer BMP message closes the connection. */
  maxMessageLength: number;
  /** The CloudEvent source of the events. */
  source: string;
}

export class RouterStream {
  private identity: RouterIdentity;
  /** The inventory host's ASN, the fallback for a session whose Peer Up was not seen. */
  private hostAsn: number | null = null;
  private readonly decoder: BmpStreamDecoder;
  private readonly serializer: BmpEventSerializer;
  /** Sessions seen, by peerKey, to report each once. */
  private readonly sessions = new Set<string>();
  /** The router's own AS per session, from Peer Up (sent OPEN). */
  private readonly localAs = new Map<string, number>();
  /** The messages of the read that stopped at an Initiation, and where it stopped. */
  private pending: BmpMessage[] = [];
  private next = 0;
  /** Stopped at an Initiation: later reads are decoded and kept until continueRead. */
  private awaitingIdentity = false;
  private receivedAt = new Date(0);
  /** The last peer's key, one string for a run of its messages (so Map look-ups reuse its hash). */
  private lastPeerAddress = '';
  private lastPeerDistinguisher = '';
  private lastPeerKey = '';

  constructor(options: RouterStreamOptions) {
    this.identity = options.identity;
    this.decoder = new BmpStreamDecoder({ maxMessageLength: options.maxMessageLength });
    this.serializer = new BmpEventSerializer(options.source);
  }

  identify(identity: RouterIdentity, hostAsn: number | null): void {
    this.identity = identity;
    this.hostAsn = hostAsn;
  }

  /**
   * A read's events. While the stream waits for its identity (after an Initiation) the read is
   * only decoded, and its events come with continueRead's.
   */
  read(chunk: Uint8Array, receivedAt: Date): ReadOutcome {
    const outcome = emptyOutcome();
    let messages: BmpMessage[];
    try {
      messages = this.decoder.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    } catch (error) {
      if (!(error instanceof BmpDecodeError)) throw error;
      outcome.malformed = { offset: error.offset, problem: error.problem };
      return outcome;
    }
    if (this.awaitingIdentity) {
      for (const message of messages) this.pending.push(message);
      return outcome;
    }
    this.pending = messages;
    this.next = 0;
    this.receivedAt = receivedAt;
    return this.readPending(outcome);
  }

  /** The messages after the Initiation that stopped a read, and those of the reads since. */
  continueRead(): ReadOutcome {
    this.awaitingIdentity = false;
    return this.readPending(emptyOutcome());
  }

  private readPending(outcome: ReadOutcome): ReadOutcome {
    const events: CollectedEvent[] = [];
    while (this.next < this.pending.length) {
      const message = this.pending[this.next++]!;
      count(outcome, message);
      if (message.kind === 'initiation') {
        outcome.initiation = { sysName: message.information.find((tlv) => tlv.type === 2)?.text ?? null };
        this.awaitingIdentity = true;
        break;
      }
      // Once per message: FRR sends one per prefix.
      const key = 'peer' in message ? this.keyOf(message.peer) : null;
      if (key !== null) this.trackSession(message, key, outcome);
      const localAs = key === null ? null : (this.localAs.get(key) ?? this.hostAsn);
      for (const event of eventsOf(message, this.identity, this.receivedAt, localAs)) events.push(event);
    }
    if (this.next >= this.pending.length) {
      this.pending = [];
      this.next = 0;
    }
    if (events.length > 0) outcome.events = this.serializer.serialize(events);
    return outcome;
  }

  private keyOf(peer: PerPeerHeader): string {
    if (peer.peerAddress !== this.lastPeerAddress || peer.peerDistinguisher !== this.lastPeerDistinguisher) {
      this.lastPeerAddress = peer.peerAddress;
      this.lastPeerDistinguisher = peer.peerDistinguisher;
      this.lastPeerKey = peerKey(peer);
    }
    return this.lastPeerKey;
  }

  private trackSession(message: BmpMessage, key: string, outcome: ReadOutcome): void {
    const changes = outcome.sessionChanges;
    if (message.kind === 'peerDown') {
      this.localAs.delete(key);
      if (this.sessions.delete(key)) changes.push({ change: 'down', key });
    } else if (message.kind === 'peerUp') {
      if (message.sentOpen === null) this.localAs.delete(key);
      else this.localAs.set(key, message.sentOpen.asn);
      const missing = [message.sentOpen === null ? 'sent' : null, message.receivedOpen === null ? 'received' : null].filter(Boolean);
      if (missing.length > 0) {
        outcome.notices.push(
          `Peer Up of ${message.peer.peerAddress} has no ${missing.join(' and ')} OPEN (the router did not keep it): ` +
            'the session is up, its negotiated capabilities unknown; its UPDATEs are read as 4-octet AS without ADD-PATH',
        );
      }
    }
    if ((message.kind === 'peerUp' || message.kind === 'routeMonitoring') && !this.sessions.has(key)) {
      this.sessions.add(key);
      changes.push({ change: 'up', key, session: sessionRefOf(this.identity, message.peer) });
    }
  }
}

function emptyOutcome(): ReadOutcome {
  return { events: [], sessionChanges: [], messages: {}, announced: 0, withdrawn: 0, initiation: null, malformed: null, notices: [] };
}

function count(outcome: ReadOutcome, message: BmpMessage): void {
  outcome.messages[message.kind] = (outcome.messages[message.kind] ?? 0) + 1;
  if (message.kind !== 'routeMonitoring') return;
  const { update } = message;
  outcome.announced += update.routes.length;
  outcome.withdrawn += update.withdrawnRoutes.length;
  for (const attribute of update.attributes) {
    if (attribute.kind === 'mpReachNlri') outcome.announced += attribute.routes.length;
    else if (attribute.kind === 'mpUnreachNlri') outcome.withdrawn += attribute.withdrawnRoutes.length;
  }
}
