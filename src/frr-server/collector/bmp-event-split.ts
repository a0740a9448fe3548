/**
 * A collector event Kafka refused for its size, as two smaller events that mean the same, in
 * order (docs/events.md: a route batch "means what its events would mean published one by one, in
 * that order"; an UPDATE's prefixes are independent routes sharing its attributes):
 *
 * - a route batch (v2, or v1) as two batches, its events halved; a v2 half gets its own tables
 *   (views, times, attributes), holding only what its tuples point to, in the order they first do;
 * - a route announcement or withdrawal with several prefixes as two of the same type, its
 *   prefixes halved, everything else as it was.
 *
 * Anything else (session up/down, statistics, End-of-RIB, a route event of one prefix) cannot be
 * split: null, and the gateway dead-letters it. Both parts keep the original's key, so they stay
 * on the session's partition in the session's order. New CloudEvent ids (the collector's ids are
 * random; nothing publishes the same event twice on purpose).
 */
import { randomUUID } from 'node:crypto';
import {
  COMPACT_ROUTE_BATCH,
  ROUTE_ANNOUNCED,
  ROUTE_BATCH,
  ROUTE_WITHDRAWN,
  type CompactRouteBatchData,
  type CompactRouteEvent,
  type RouteBatchData,
  type RouteWithdrawnData,
} from '../../common/events/bgp-events.js';
import type { CloudEvent } from '../../common/kafka/cloud-event.js';
import type { SerializedEvent } from '../../common/kafka/kafka.gateway.js';
import type { RefusedMessage } from '../../common/kafka/oversize.js';

/** For PublishOptions.split: the refused event's two halves, serialised, or null. */
export function splitBmpEvent(refused: RefusedMessage): SerializedEvent[] | null {
  if (refused.key === null || refused.type === null) return null;
  if (![COMPACT_ROUTE_BATCH, ROUTE_BATCH, ROUTE_ANNOUNCED, ROUTE_WITHDRAWN].includes(refused.type)) return null;
  const parts = splitRouteEvent(JSON.parse(refused.value.toString('utf8')) as CloudEvent<unknown>);
  return parts && parts.map((part) => ({ key: refused.key!, id: part.id, type: part.type, value: Buffer.from(JSON.stringify(part)) }));
}

/** The event as two consecutive events that mean the same, or null when it cannot be split. */
export function splitRouteEvent(event: CloudEvent<unknown>): CloudEvent<unknown>[] | null {
  const halves = <T>(list: readonly T[]): [T[], T[]] | null => {
    if (list.length < 2) return null;
    const half = Math.ceil(list.length / 2);
    return [list.slice(0, half), list.slice(half)];
  };
  // Spread in place: the envelope's and the data's keys keep their order.
  const withData = (data: unknown): CloudEvent<unknown> => ({ ...event, id: randomUUID(), data });
  switch (event.type) {
    case COMPACT_ROUTE_BATCH: {
      const data = event.data as CompactRouteBatchData;
      return halves(data.events)?.map((events) => withData(compactPart(data, events))) ?? null;
    }
    case ROUTE_BATCH: {
      const data = event.data as RouteBatchData;
      return halves(data.events)?.map((events) => withData({ ...data, events })) ?? null;
    }
    case ROUTE_ANNOUNCED:
    case ROUTE_WITHDRAWN: {
      const data = event.data as RouteWithdrawnData;
      return halves(data.prefixes)?.map((prefixes) => withData({ ...data, prefixes })) ?? null;
    }
    default:
      return null;
  }
}

/** A v2 batch of some of `data`'s tuples, with tables of its own holding what they point to. */
function compactPart(data: CompactRouteBatchData, events: CompactRouteEvent[]): CompactRouteBatchData {
  const views: CompactRouteBatchData['views'] = [];
  const times: CompactRouteBatchData['times'] = [];
  const attributes: CompactRouteBatchData['attributes'] = [];
  const viewIndex = new Map<number, number>();
  const timeIndex = new Map<number, number>();
  const attributeIndex = new Map<number, number>();
  const indexIn = <T>(from: readonly T[], to: T[], map: Map<number, number>, index: number): number => {
    let mapped = map.get(index);
    if (mapped === undefined) {
      mapped = to.length;
      to.push(from[index]!);
      map.set(index, mapped);
    }
    return mapped;
  };
  const remapped = events.map((entry): CompactRouteEvent => {
    const view = indexIn(data.views, views, viewIndex, entry[1]);
    const time = indexIn(data.times, times, timeIndex, entry[2]);
    if (entry[0] === 'e') return ['e', view, time];
    if (entry[0] === 'w') return ['w', view, time, entry[3], entry[4]];
    return ['a', view, time, entry[3], entry[4], indexIn(data.attributes, attributes, attributeIndex, entry[5])];
  });
  return { ...data, views, times, attributes, events: remapped };
}
