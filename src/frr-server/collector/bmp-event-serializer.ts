/**
 * The collector's events as Kafka messages: each a CloudEvent (structured JSON mode, as
 * createCloudEvent and KafkaGateway.publish would make it) serialised to UTF-8 once, here.
 *
 * The text is exactly JSON.stringify(createCloudEvent({ type, source, subject, data, id, time })):
 * the same keys in the same order (the unit tests compare the two on every kind of event and on
 * random UPDATEs). Route announcements and withdrawals, nearly all of a full table, are written
 * field by field: no envelope object, no spread copies, each prefix written straight from the
 * event's list. Every string goes through JSON.stringify, so escaping is JSON.stringify's own.
 * Other events (session up and down, statistics) are rare and simply stringified.
 *
 * Consecutive route events of one session go out as one route-batch event (RouteBatchData): FRR
 * sends one prefix per Route Monitoring message, and one Kafka message per prefix made the Kafka
 * client most of the collector's work.
 */
import { randomUUID } from 'node:crypto';
import {
  END_OF_RIB,
  ROUTE_ANNOUNCED,
  ROUTE_BATCH,
  ROUTE_WITHDRAWN,
  sessionKey,
  type PathAttributes,
  type RouteAnnouncedData,
  type RouteWithdrawnData,
  type SessionRef,
} from '../../common/events/bgp-events.js';
import type { SerializedEvent } from '../../common/kafka/kafka.gateway.js';
import { TOPICS } from '../../common/kafka/topics.js';
import type { CollectedEvent } from './bmp-events.js';

/**
 * A batch's `data` stops growing here (UTF-16 code units of JSON: at most three bytes each, so a
 * batch stays well under the broker's default message.max.bytes of 1 MiB). About 350 one-prefix
 * announcements.
 */
export const MAX_BATCH_CHARS = 200_000;

const BATCHED_TYPES = new Set([ROUTE_ANNOUNCED, ROUTE_WITHDRAWN, END_OF_RIB]);
const batchable = (event: CollectedEvent) => event.topic === TOPICS.routeEvents.name && BATCHED_TYPES.has(event.type);

/** Same values, field by field (a router's events share one object mostly, but not always). */
function sameSession(a: SessionRef, b: SessionRef): boolean {
  return (
    a === b ||
    (a.router === b.router &&
      a.hostId === b.hostId &&
      a.peerAddress === b.peerAddress &&
      a.peerAs === b.peerAs &&
      a.peerBgpId === b.peerBgpId &&
      a.peerDistinguisher === b.peerDistinguisher)
  );
}

/** A collected event ready for Kafka. */
export interface OutgoingBmpEvent extends SerializedEvent {
  topic: string;
}

export class BmpEventSerializer {
  private readonly sourceJson: string;
  /** The last session serialised, and its JSON: a router's stream is long runs of one session. */
  private lastSession: SessionRef | null = null;
  private lastSessionJson = '';
  private lastKey = '';
  private lastKeyJson = '';
  private headSessionJson = '';
  private headPostPolicy = false;
  private headAdjRibOut = false;
  private headFamily = '';
  private headJson = '';
  private tailReceivedAt = '';
  private tailRouterTimestamp: string | null = null;
  private tailJson = '';

  /** `source` is the CloudEvent source, e.g. `route-broker/<instance>/frr-server`. */
  constructor(source: string) {
    this.sourceJson = JSON.stringify(source);
  }

  /**
   * Serialises `events` in order, one Kafka message each, except that consecutive route events
   * (announced, withdrawn, End-of-RIB) of one session become one route-batch message, up to
   * MAX_BATCH_CHARS. `time` is every envelope's `time` (they were created together).
   */
  serialize(events: readonly CollectedEvent[], time: Date = new Date()): OutgoingBmpEvent[] {
    const timeJson = JSON.stringify(time.toISOString());
    const out: OutgoingBmpEvent[] = [];
    let index = 0;
    while (index < events.length) {
      const first = events[index]!;
      let end = index + 1;
      if (batchable(first))
        while (end < events.length && batchable(events[end]!) && sameSession(events[end]!.session, first.session)) end++;
      if (end - index === 1) out.push(this.serializeOne(first, timeJson, randomUUID()));
      else this.serializeRun(events, index, end, timeJson, out);
      index = end;
    }
    return out;
  }

  /** events[start..end), one session's route events, as route batches of at most MAX_BATCH_CHARS. */
  private serializeRun(events: readonly CollectedEvent[], start: number, end: number, timeJson: string, out: OutgoingBmpEvent[]): void {
    let parts: string[] = [];
    let chars = 0;
    const emit = (last: number) => {
      // One event alone (a split left it, or it is too large to share) goes out as itself.
      if (parts.length === 1) out.push(this.serializeOne(events[last]!, timeJson, randomUUID()));
      else {
        this.useSession(events[start]!.session);
        const data = `{"session":${this.lastSessionJson},"events":[${parts.join(',')}]}`;
        out.push(this.envelope(events[start]!.topic, ROUTE_BATCH, data, timeJson, randomUUID()));
      }
    };
    for (let index = start; index < end; index++) {
      const event = events[index]!;
      const part = `{"type":${JSON.stringify(event.type)},"data":${this.dataJson(event)}}`;
      if (parts.length > 0 && chars + part.length > MAX_BATCH_CHARS) {
        emit(index - 1);
        parts = [];
        chars = 0;
      }
      parts.push(part);
      chars += part.length + 1;
    }
    emit(end - 1);
  }

  /** One event with a given id and time (JSON text of an ISO timestamp); for tests and serialize(). */
  serializeOne(event: CollectedEvent, timeJson: string, id: string): OutgoingBmpEvent {
    const data = this.dataJson(event);
    this.useSession(event.session);
    return this.envelope(event.topic, event.type, data, timeJson, id);
  }

  private dataJson(event: CollectedEvent): string {
    if (event.type === ROUTE_ANNOUNCED) return this.announced(event.data as RouteAnnouncedData);
    if (event.type === ROUTE_WITHDRAWN) return this.withdrawn(event.data as RouteWithdrawnData);
    return JSON.stringify(event.data);
  }

  /** The CloudEvent around `data`, for the session last given to useSession. */
  private envelope(topic: string, type: string, data: string, timeJson: string, id: string): OutgoingBmpEvent {
    const json =
      `{"specversion":"1.0","id":${JSON.stringify(id)},"source":${this.sourceJson},"type":${JSON.stringify(type)},` +
      `"time":${timeJson},"subject":${this.lastKeyJson},"datacontenttype":"application/json","data":${data}}`;
    return { topic, key: this.lastKey, value: Buffer.from(json, 'utf8'), id, type };
  }

  private useSession(session: SessionRef): void {
    if (this.lastSession !== null && sameSession(this.lastSession, session)) return;
    // Written the way JSON.stringify writes a SessionRef built by sessionRefOf (same key order).
    this.lastSessionJson = JSON.stringify({
      router: session.router,
      hostId: session.hostId,
      peerAddress: session.peerAddress,
      peerAs: session.peerAs,
      peerBgpId: session.peerBgpId,
      peerDistinguisher: session.peerDistinguisher,
    });
    this.lastKey = sessionKey(session);
    this.lastKeyJson = JSON.stringify(this.lastKey);
    this.lastSession = session;
  }

  /** The data's own session, as its JSON: the cached text when it holds the same values. */
  private sessionJson(session: SessionRef): string {
    this.useSession(session);
    return this.lastSessionJson;
  }

  private announced(data: RouteAnnouncedData): string {
    return `${this.head(data)}${prefixesJson(data.prefixes)},"attributes":${attributesJson(data.attributes)},${this.tail(data)}`;
  }

  private withdrawn(data: RouteWithdrawnData): string {
    return `${this.head(data)}${prefixesJson(data.prefixes)},${this.tail(data)}`;
  }

  /** `{"session":…,"postPolicy":…,"adjRibOut":…,"family":…,"prefixes":`, the same for a run of one session's routes. */
  private head(data: RouteWithdrawnData): string {
    const sessionJson = this.sessionJson(data.session);
    if (
      sessionJson !== this.headSessionJson ||
      data.postPolicy !== this.headPostPolicy ||
      data.adjRibOut !== this.headAdjRibOut ||
      data.family !== this.headFamily
    ) {
      this.headSessionJson = sessionJson;
      this.headPostPolicy = data.postPolicy;
      this.headAdjRibOut = data.adjRibOut;
      this.headFamily = data.family;
      this.headJson =
        `{"session":${sessionJson},"postPolicy":${data.postPolicy},"adjRibOut":${data.adjRibOut},` +
        `"family":${JSON.stringify(data.family)},"prefixes":`;
    }
    return this.headJson;
  }

  /** `"receivedAt":…,"routerTimestamp":…}`: one TCP read's events share the first, a dump mostly the second. */
  private tail(data: RouteWithdrawnData): string {
    if (data.receivedAt !== this.tailReceivedAt || data.routerTimestamp !== this.tailRouterTimestamp) {
      this.tailReceivedAt = data.receivedAt;
      this.tailRouterTimestamp = data.routerTimestamp;
      this.tailJson = `"receivedAt":${JSON.stringify(data.receivedAt)},"routerTimestamp":${JSON.stringify(data.routerTimestamp)}}`;
    }
    return this.tailJson;
  }
}

function prefixesJson(prefixes: RouteAnnouncedData['prefixes']): string {
  let json = '[';
  for (let i = 0; i < prefixes.length; i++) {
    const { prefix, pathId } = prefixes[i]!;
    json += `${i === 0 ? '' : ','}{"prefix":${JSON.stringify(prefix)},"pathId":${JSON.stringify(pathId)}}`;
  }
  return `${json}]`;
}

function attributesJson(attributes: PathAttributes): string {
  return (
    `{"origin":${JSON.stringify(attributes.origin)},"asPath":${JSON.stringify(attributes.asPath)},` +
    `"nextHop":${JSON.stringify(attributes.nextHop)},"nextHopLinkLocal":${JSON.stringify(attributes.nextHopLinkLocal)},` +
    `"med":${JSON.stringify(attributes.med)},"localPref":${JSON.stringify(attributes.localPref)},` +
    `"atomicAggregate":${attributes.atomicAggregate},"aggregator":${JSON.stringify(attributes.aggregator)},` +
    `"communities":${JSON.stringify(attributes.communities)},"extendedCommunities":${JSON.stringify(attributes.extendedCommunities)},` +
    `"largeCommunities":${JSON.stringify(attributes.largeCommunities)}}`
  );
}
