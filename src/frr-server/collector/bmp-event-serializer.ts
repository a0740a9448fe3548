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
 * Consecutive route events of one session go out as one compact route-batch event
 * (CompactRouteBatchData, route-batch v2): FRR sends one prefix per Route Monitoring message, one
 * Kafka message per prefix made the Kafka client most of the collector's work, and a v1 batch
 * still wrote the session and every attribute again for each prefix.
 */
import { randomUUID } from 'node:crypto';
import {
  COMPACT_ROUTE_BATCH,
  END_OF_RIB,
  ROUTE_ANNOUNCED,
  ROUTE_WITHDRAWN,
  sessionKey,
  type EndOfRibData,
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
 * batch stays well under the broker's default message.max.bytes of 1 MiB). About 2,000 one-prefix
 * announcements with attributes of their own.
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

  /** events[start..end), one session's route events, as compact route batches of at most MAX_BATCH_CHARS. */
  private serializeRun(events: readonly CollectedEvent[], start: number, end: number, timeJson: string, out: OutgoingBmpEvent[]): void {
    let batch = new CompactBatchText();
    let first = start;
    const emit = () => {
      // One event alone (a split left it) goes out as itself.
      if (batch.collectedEvents === 1) out.push(this.serializeOne(events[first]!, timeJson, randomUUID()));
      else {
        this.useSession(events[first]!.session);
        out.push(this.envelope(events[first]!.topic, COMPACT_ROUTE_BATCH, batch.dataJson(this.lastSessionJson), timeJson, randomUUID()));
      }
    };
    for (let index = start; index < end; index++) {
      const event = events[index]!;
      const attributes = event.type === ROUTE_ANNOUNCED ? compactAttributesJson((event.data as RouteAnnouncedData).attributes) : null;
      if (batch.collectedEvents > 0 && batch.chars + CompactBatchText.mostCharsOf(event, attributes) > MAX_BATCH_CHARS) {
        emit();
        batch = new CompactBatchText();
        first = index;
      }
      batch.add(event, attributes);
    }
    emit();
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

/** The text of one compact route batch as it grows: its tables and its events, in order. */
class CompactBatchText {
  /** CollectedEvents added (an UPDATE's prefixes are one CollectedEvent, several tuples). */
  collectedEvents = 0;
  /** UTF-16 code units written so far, tables and events together. */
  chars = 0;
  private readonly views: string[] = [];
  private readonly viewIndexes = new Map<string, number>();
  private readonly times: string[] = [];
  private readonly timeIndexes = new Map<string, number>();
  private readonly attributes: string[] = [];
  private readonly attributeIndexes = new Map<string, number>();
  private readonly events: string[] = [];
  private lastFamily = '';
  private lastPostPolicy = false;
  private lastAdjRibOut = false;
  private lastView = -1;
  private lastReceivedAt = '';
  private lastRouterTimestamp: string | null = null;
  private lastTime = -1;

  /** At most how many characters `add` writes for the event: new table entries and its tuples, separators included. */
  static mostCharsOf(event: CollectedEvent, attributesJson: string | null): number {
    const prefixes = event.type === END_OF_RIB ? [] : (event.data as RouteWithdrawnData).prefixes;
    // A view and a times entry take under 120 characters each; a tuple 40 more than its prefix.
    let chars = 240 + (attributesJson?.length ?? 0) + 1;
    for (const { prefix } of prefixes) chars += prefix.length + 40;
    return chars;
  }

  /** `attributesJson` is compactAttributesJson of the event's attributes, for an announcement. */
  add(event: CollectedEvent, attributesJson: string | null): void {
    this.collectedEvents++;
    const data = event.data as RouteWithdrawnData | EndOfRibData;
    const routerTimestamp = 'routerTimestamp' in data ? data.routerTimestamp : null;
    // A dump is long runs of one view and one time: the tables are looked up when those change.
    if (data.family !== this.lastFamily || data.postPolicy !== this.lastPostPolicy || data.adjRibOut !== this.lastAdjRibOut) {
      this.lastFamily = data.family;
      this.lastPostPolicy = data.postPolicy;
      this.lastAdjRibOut = data.adjRibOut;
      this.lastView = this.indexOf(
        `{"family":${JSON.stringify(data.family)},"postPolicy":${data.postPolicy},"adjRibOut":${data.adjRibOut}}`,
        this.views,
        this.viewIndexes,
      );
    }
    if (this.lastTime < 0 || data.receivedAt !== this.lastReceivedAt || routerTimestamp !== this.lastRouterTimestamp) {
      this.lastReceivedAt = data.receivedAt;
      this.lastRouterTimestamp = routerTimestamp;
      this.lastTime = this.indexOf(
        `{"receivedAt":${JSON.stringify(data.receivedAt)},"routerTimestamp":${JSON.stringify(routerTimestamp)}}`,
        this.times,
        this.timeIndexes,
      );
    }
    if (event.type === END_OF_RIB) {
      this.push(`["e",${this.lastView},${this.lastTime}]`);
      return;
    }
    const { prefixes } = data as RouteWithdrawnData;
    const tail = attributesJson === null ? ']' : `,${this.indexOf(attributesJson, this.attributes, this.attributeIndexes)}]`;
    const head = `["${attributesJson === null ? 'w' : 'a'}",${this.lastView},${this.lastTime},`;
    for (let i = 0; i < prefixes.length; i++) {
      const { prefix, pathId } = prefixes[i]!;
      this.push(`${head}${JSON.stringify(prefix)},${pathId === null ? 'null' : pathId}${tail}`);
    }
  }

  dataJson(sessionJson: string): string {
    return (
      `{"session":${sessionJson},"views":[${this.views.join(',')}],"times":[${this.times.join(',')}],` +
      `"attributes":[${this.attributes.join(',')}],"events":[${this.events.join(',')}]}`
    );
  }

  private push(tuple: string): void {
    this.events.push(tuple);
    this.chars += tuple.length + 1;
  }

  /** The index of `json` in `table`, added at the end when it is new. */
  private indexOf(json: string, table: string[], indexes: Map<string, number>): number {
    let index = indexes.get(json);
    if (index === undefined) {
      index = table.length;
      table.push(json);
      indexes.set(json, index);
      this.chars += json.length + 1;
    }
    return index;
  }
}

/** PathAttributes as a compact batch's entry: a field at its empty value (null, false, []) is left out, the rest in the contract's order. */
function compactAttributesJson(attributes: PathAttributes): string {
  // Written by concatenation: this runs once per UPDATE, once per prefix in FRR's dumps.
  let json = attributes.origin === null ? '' : `,"origin":"${attributes.origin}"`;
  if (attributes.asPath.length > 0) json += `,"asPath":${asPathJson(attributes.asPath)}`;
  // Next hops are the decoder's address text (digits, hex, dots, colons): nothing to escape.
  if (attributes.nextHop !== null) json += `,"nextHop":"${attributes.nextHop}"`;
  if (attributes.nextHopLinkLocal !== null) json += `,"nextHopLinkLocal":"${attributes.nextHopLinkLocal}"`;
  if (attributes.med !== null) json += `,"med":${attributes.med}`;
  if (attributes.localPref !== null) json += `,"localPref":${attributes.localPref}`;
  if (attributes.atomicAggregate) json += ',"atomicAggregate":true';
  if (attributes.aggregator !== null) json += `,"aggregator":${JSON.stringify(attributes.aggregator)}`;
  if (attributes.communities.length > 0) json += `,"communities":${JSON.stringify(attributes.communities)}`;
  if (attributes.extendedCommunities.length > 0) json += `,"extendedCommunities":${JSON.stringify(attributes.extendedCommunities)}`;
  if (attributes.largeCommunities.length > 0) json += `,"largeCommunities":${JSON.stringify(attributes.largeCommunities)}`;
  return `{${json.slice(1)}}`;
}

/** An AS path of plain AS numbers is joined; one with an AS_SET (a nested list) goes through JSON.stringify. */
function asPathJson(asPath: PathAttributes['asPath']): string {
  for (let i = 0; i < asPath.length; i++) if (typeof asPath[i] !== 'number') return JSON.stringify(asPath);
  return `[${asPath.join(',')}]`;
}
