import {
  COMPACT_ROUTE_BATCH,
  END_OF_RIB,
  ROUTE_ANNOUNCED,
  ROUTE_BATCH,
  ROUTE_WITHDRAWN,
  SESSION_UP,
  unbatched,
  type CompactRouteBatchData,
  type PathAttributes,
  type RouteWithdrawnData,
  type SessionRef,
} from '../../common/events/bgp-events.js';
import { createCloudEvent, type CloudEvent } from '../../common/kafka/cloud-event.js';
import type { RefusedMessage } from '../../common/kafka/oversize.js';
import { TOPICS } from '../../common/kafka/topics.js';
import { checkRouteStreamEvent } from '../../brm/core/route-event-schema.js';
import { BmpEventSerializer } from './bmp-event-serializer.js';
import { splitBmpEvent, splitRouteEvent } from './bmp-event-split.js';
import type { CollectedEvent } from './bmp-events.js';

const session: SessionRef = {
  router: 'rb-host1',
  hostId: 1,
  peerAddress: '169.254.101.1',
  peerAs: 65001,
  peerBgpId: '10.0.0.1',
  peerDistinguisher: '0000000000000000',
};
const attributes = (med: number): PathAttributes => ({
  origin: 'igp',
  asPath: [65001, med],
  nextHop: '169.254.101.1',
  nextHopLinkLocal: null,
  med,
  localPref: null,
  atomicAggregate: false,
  aggregator: null,
  communities: ['65001:100'],
  extendedCommunities: [],
  largeCommunities: [],
});
const times = (second: number) => ({ receivedAt: `2026-11-25T06:00:0${second}.000Z`, routerTimestamp: null });

/** A run of one session's route events as the collector would read them: several views, times and attribute sets. */
function routeRun(): CollectedEvent[] {
  const events: CollectedEvent[] = [];
  for (let index = 0; index < 12; index++) {
    const view = { family: 'ipv4-unicast' as const, postPolicy: index % 3 === 0, adjRibOut: false };
    const prefixes = [{ prefix: `10.1.${index}.0/24`, pathId: index % 2 === 0 ? null : index }];
    const data =
      index % 4 === 3
        ? { session, ...view, prefixes, ...times(index % 2) }
        : { session, ...view, prefixes, attributes: attributes(index % 5), ...times(index % 2) };
    events.push({ topic: TOPICS.routeEvents.name, type: index % 4 === 3 ? ROUTE_WITHDRAWN : ROUTE_ANNOUNCED, session, data });
  }
  events.push({
    topic: TOPICS.routeEvents.name,
    type: END_OF_RIB,
    session,
    data: { session, family: 'ipv4-unicast', postPolicy: false, adjRibOut: false, receivedAt: times(1).receivedAt },
  });
  return events;
}

/** A stream's meaning: every prefix's event in order (consecutive prefixes may be grouped differently after a split). */
function perPrefix(events: CloudEvent<unknown>[]): unknown[] {
  return events.flatMap(unbatched).flatMap((event) => {
    if (event.type === END_OF_RIB) return [event];
    const { prefixes, ...rest } = event.data as RouteWithdrawnData;
    return prefixes.map((prefix) => ({ type: event.type, data: { ...rest, prefixes: [prefix] } }));
  });
}

const refusedOf = (event: { key: string; value: Buffer; id: string; type: string }): RefusedMessage => ({
  topic: TOPICS.routeEvents.name,
  key: event.key,
  id: event.id,
  type: event.type,
  value: event.value,
  reason: 'MESSAGE_TOO_LARGE',
  limitBytes: 100,
});

describe('splitBmpEvent', () => {
  it('splits a compact route batch into two that mean the same, in order, each with only the table entries it uses', () => {
    const [batch] = new BmpEventSerializer('route-broker/i/frr-server').serialize(routeRun());
    expect(batch!.type).toBe(COMPACT_ROUTE_BATCH);
    const original = JSON.parse(batch!.value.toString()) as CloudEvent<CompactRouteBatchData>;
    const parts = splitBmpEvent(refusedOf(batch!))!;
    expect(parts).toHaveLength(2);
    const parsed = parts.map((part) => JSON.parse(part.value.toString()) as CloudEvent<CompactRouteBatchData>);
    expect(perPrefix(parsed)).toEqual(perPrefix([original]));
    expect(parsed.map((part) => part.data.events.length)).toEqual([7, 6]);
    for (const [index, part] of parsed.entries()) {
      expect(typeof checkRouteStreamEvent(part.type, part.data)).toBe('object');
      expect(parts[index]).toMatchObject({ key: batch!.key, id: part.id, type: COMPACT_ROUTE_BATCH });
      expect(part.id).not.toBe(original.id);
      expect(part).toMatchObject({ source: original.source, subject: original.subject, time: original.time });
      // Every table entry is used, first use first.
      const used = (slot: 1 | 2 | 5) => [...new Set(part.data.events.filter((entry) => entry.length > slot).map((entry) => entry[slot]))];
      expect(used(1)).toEqual(part.data.views.map((_, view) => view));
      expect(used(2)).toEqual(part.data.times.map((_, time) => time));
      expect(used(5)).toEqual(part.data.attributes.map((_, entry) => entry));
    }
    // Halved again and again down to one route each: still the same stream.
    let pieces = parsed as CloudEvent<unknown>[];
    for (let round = 0; round < 5; round++) pieces = pieces.flatMap((piece) => splitRouteEvent(piece) ?? [piece]);
    expect(pieces).toHaveLength(13);
    expect(perPrefix(pieces)).toEqual(perPrefix([original]));
    expect(splitRouteEvent(pieces[0]!)).toBeNull();
  });

  it('splits an announcement or a withdrawal of several prefixes by its prefixes, and a v1 batch by its events', () => {
    const prefixes = Array.from({ length: 5 }, (_, index) => ({ prefix: `10.2.${index}.0/24`, pathId: null }));
    const data = { session, family: 'ipv4-unicast', postPolicy: false, adjRibOut: false, prefixes, ...times(0) };
    for (const [type, eventData] of [
      [ROUTE_ANNOUNCED, { ...data, attributes: attributes(1) }],
      [ROUTE_WITHDRAWN, data],
    ] as const) {
      const event = createCloudEvent({ type, source: 's', subject: 'k', data: eventData });
      const parts = splitRouteEvent(event)!;
      expect(parts.map((part) => (part.data as RouteWithdrawnData).prefixes)).toEqual([prefixes.slice(0, 3), prefixes.slice(3)]);
      expect(perPrefix(parts)).toEqual(perPrefix([event]));
      for (const part of parts) expect(typeof checkRouteStreamEvent(part.type, part.data)).toBe('object');
    }
    const v1 = createCloudEvent({
      type: ROUTE_BATCH,
      source: 's',
      data: { session, events: [0, 1, 2].map((index) => ({ type: ROUTE_WITHDRAWN, data: { ...data, prefixes: [prefixes[index]] } })) },
    });
    const parts = splitRouteEvent(v1)!;
    expect(parts.map((part) => (part.data as { events: unknown[] }).events.length)).toEqual([2, 1]);
    expect(perPrefix(parts)).toEqual(perPrefix([v1]));
  });

  it('cannot split a route event of one prefix, an End-of-RIB or a session event', () => {
    const one = {
      session,
      family: 'ipv4-unicast',
      postPolicy: false,
      adjRibOut: false,
      prefixes: [{ prefix: '10.3.0.0/24', pathId: null }],
      ...times(0),
    };
    expect(splitRouteEvent(createCloudEvent({ type: ROUTE_WITHDRAWN, source: 's', data: one }))).toBeNull();
    expect(splitRouteEvent(createCloudEvent({ type: END_OF_RIB, source: 's', data: one }))).toBeNull();
    const up = createCloudEvent({ type: SESSION_UP, source: 's', data: { session } });
    expect(splitBmpEvent(refusedOf({ key: 'k', id: up.id, type: up.type, value: Buffer.from(JSON.stringify(up)) }))).toBeNull();
  });
});
