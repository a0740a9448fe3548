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
 */
import { randomUUID } from 'node:crypto';
import {
  ROUTE_ANNOUNCED,
  ROUTE_WITHDRAWN,
  sessionKey,
  type PathAttributes,
  type RouteAnnouncedData,
  type RouteWithdrawnData,
  type SessionRef,
} from '../../common/events/bgp-events.js';
import type { SerializedEvent } from '../../common/kafka/kafka.gateway.js';
import type { CollectedEvent } from './bmp-events.js';

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

  /** `source` is the CloudEvent source, e.g. `route-broker/<instance>/frr-server`. */
  constructor(source: string) {
    this.sourceJson = JSON.stringify(source);
  }

  /** Serialises `events` in order; `time` is every envelope's `time` (they were created together). */
  serialize(events: readonly CollectedEvent[], time: Date = new Date()): OutgoingBmpEvent[] {
    const timeJson = JSON.stringify(time.toISOString());
    const out: OutgoingBmpEvent[] = [];
    for (const event of events) out.push(this.serializeOne(event, timeJson, randomUUID()));
    return out;
  }

  /** One event with a given id and time (JSON text of an ISO timestamp); for tests and serialize(). */
  serializeOne(event: CollectedEvent, timeJson: string, id: string): OutgoingBmpEvent {
    this.useSession(event.session);
    const key = this.lastKey;
    const keyJson = this.lastKeyJson;
    let data: string;
    if (event.type === ROUTE_ANNOUNCED) data = this.announced(event.data as RouteAnnouncedData);
    else if (event.type === ROUTE_WITHDRAWN) data = this.withdrawn(event.data as RouteWithdrawnData);
    else data = JSON.stringify(event.data);
    const json =
      `{"specversion":"1.0","id":${JSON.stringify(id)},"source":${this.sourceJson},"type":${JSON.stringify(event.type)},` +
      `"time":${timeJson},"subject":${keyJson},"datacontenttype":"application/json","data":${data}}`;
    return { topic: event.topic, key, value: Buffer.from(json, 'utf8'), id, type: event.type };
  }

  private useSession(session: SessionRef): void {
    if (
      this.lastSession !== null &&
      (this.lastSession === session ||
        (this.lastSession.router === session.router &&
          this.lastSession.hostId === session.hostId &&
          this.lastSession.peerAddress === session.peerAddress &&
          this.lastSession.peerAs === session.peerAs &&
          this.lastSession.peerBgpId === session.peerBgpId &&
          this.lastSession.peerDistinguisher === session.peerDistinguisher))
    ) {
      return;
    }
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
    return (
      `{"session":${this.sessionJson(data.session)},"postPolicy":${data.postPolicy},"adjRibOut":${data.adjRibOut},` +
      `"family":${JSON.stringify(data.family)},"prefixes":${prefixesJson(data.prefixes)},"attributes":${attributesJson(data.attributes)},` +
      `"receivedAt":${JSON.stringify(data.receivedAt)},"routerTimestamp":${JSON.stringify(data.routerTimestamp)}}`
    );
  }

  private withdrawn(data: RouteWithdrawnData): string {
    return (
      `{"session":${this.sessionJson(data.session)},"postPolicy":${data.postPolicy},"adjRibOut":${data.adjRibOut},` +
      `"family":${JSON.stringify(data.family)},"prefixes":${prefixesJson(data.prefixes)},` +
      `"receivedAt":${JSON.stringify(data.receivedAt)},"routerTimestamp":${JSON.stringify(data.routerTimestamp)}}`
    );
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
