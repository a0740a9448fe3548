/**
 * Checks a bgp.route-events.v1 CloudEvent's `data` against the contract
 * (src/common/events/bgp-events.ts) before BRM trusts it. A problem is returned as text naming
 * the field, for the dead-letter record; nothing here throws.
 */
import {
  attributesOf,
  COMPACT_ROUTE_BATCH,
  END_OF_RIB,
  ROUTE_ANNOUNCED,
  ROUTE_BATCH,
  ROUTE_WITHDRAWN,
  SESSION_DOWN,
  SESSION_UP,
  type CompactRouteBatchData,
  type EndOfRibData,
  type RouteAnnouncedData,
  type RouteBatchData,
  type RouteWithdrawnData,
  type SessionDownData,
  type SessionUpData,
} from '../../common/events/bgp-events.js';

export type RouteStreamEvent =
  | { type: typeof ROUTE_ANNOUNCED; data: RouteAnnouncedData }
  | { type: typeof ROUTE_WITHDRAWN; data: RouteWithdrawnData }
  | { type: typeof END_OF_RIB; data: EndOfRibData }
  | { type: typeof ROUTE_BATCH; data: RouteBatchData }
  | { type: typeof COMPACT_ROUTE_BATCH; data: CompactRouteBatchData }
  | { type: typeof SESSION_UP; data: SessionUpData }
  | { type: typeof SESSION_DOWN; data: SessionDownData };

const FAMILIES = new Set(['ipv4-unicast', 'ipv6-unicast']);
const ORIGINS = new Set(['igp', 'egp', 'incomplete', null]);

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const isUint32 = (value: unknown): boolean => Number.isInteger(value) && (value as number) >= 0 && (value as number) <= 0xffffffff;

function sessionProblem(session: unknown): string | null {
  if (!isObject(session)) return 'data.session must be an object';
  if (typeof session.router !== 'string' || session.router === '') return 'data.session.router must be a non-empty string';
  if (session.hostId !== null && !isUint32(session.hostId)) return 'data.session.hostId must be an id or null';
  if (typeof session.peerAddress !== 'string') return 'data.session.peerAddress must be a string';
  if (!isUint32(session.peerAs)) return 'data.session.peerAs must be an AS number';
  return null;
}

/** `at` names the object in problems: `data`, or a compact batch's table entry. */
function timeProblem(data: Json, at = 'data'): string | null {
  return typeof data.receivedAt === 'string' && !Number.isNaN(Date.parse(data.receivedAt))
    ? null
    : `${at}.receivedAt must be an ISO timestamp`;
}

function viewProblem(data: Json, at = 'data'): string | null {
  if (typeof data.family !== 'string' || !FAMILIES.has(data.family)) return `${at}.family must be ipv4-unicast or ipv6-unicast`;
  if (typeof data.postPolicy !== 'boolean') return `${at}.postPolicy must be a boolean`;
  if (typeof data.adjRibOut !== 'boolean') return `${at}.adjRibOut must be a boolean`;
  return null;
}

// 49 characters: the longest IPv6 prefix text (with an embedded IPv4 address and /128).
const isPrefixText = (value: unknown): boolean => typeof value === 'string' && value.length <= 49;
const isPathId = (value: unknown): boolean => value === null || isUint32(value);

function prefixesProblem(prefixes: unknown): string | null {
  if (!Array.isArray(prefixes)) return 'data.prefixes must be an array';
  for (let index = 0; index < prefixes.length; index++) {
    const item: unknown = prefixes[index];
    if (!isObject(item) || !isPrefixText(item.prefix)) return `data.prefixes[${index}].prefix must be a prefix of at most 49 characters`;
    if (!isPathId(item.pathId)) return `data.prefixes[${index}].pathId must be a path id or null`;
  }
  return null;
}

function attributesProblem(attributes: unknown, at = 'data.attributes'): string | null {
  if (!isObject(attributes)) return `${at} must be an object`;
  if (!ORIGINS.has(attributes.origin as string | null)) return `${at}.origin must be igp, egp, incomplete or null`;
  if (
    !Array.isArray(attributes.asPath) ||
    !attributes.asPath.every((hop: unknown) => isUint32(hop) || (Array.isArray(hop) && hop.every(isUint32)))
  )
    return `${at}.asPath must be a list of AS numbers (AS_SETs as nested lists)`;
  if (attributes.nextHop !== null && typeof attributes.nextHop !== 'string') return `${at}.nextHop must be a string or null`;
  if (attributes.med !== null && !isUint32(attributes.med)) return `${at}.med must be a 32-bit number or null`;
  if (attributes.localPref !== null && !isUint32(attributes.localPref)) return `${at}.localPref must be a 32-bit number or null`;
  return null;
}

/** More events than this in one batch is not something the collector makes: refused, not trusted. */
const MAX_BATCHED_EVENTS = 100_000;
const BATCHED_TYPES = new Set([ROUTE_ANNOUNCED, ROUTE_WITHDRAWN, END_OF_RIB]);

function batchProblem(data: Json): string | null {
  const { session, events } = data as { session: Json; events: unknown };
  if (!Array.isArray(events) || events.length === 0 || events.length > MAX_BATCHED_EVENTS)
    return `data.events must be a list of 1 to ${MAX_BATCHED_EVENTS} route events`;
  for (let index = 0; index < events.length; index++) {
    const event: unknown = events[index];
    if (!isObject(event) || typeof event.type !== 'string' || !BATCHED_TYPES.has(event.type))
      return `data.events[${index}].type must be a route-announced, route-withdrawn or end-of-rib type`;
    const checked = checkRouteStreamEvent(event.type, event.data);
    if (typeof checked === 'string') return `data.events[${index}].${checked}`;
    const inner = (event.data as { session: Json }).session;
    // One batch is one session's: its Kafka key (and so its order) is the batch's session.
    if (
      inner.router !== session.router ||
      inner.peerAddress !== session.peerAddress ||
      inner.peerAs !== session.peerAs ||
      inner.hostId !== session.hostId
    )
      return `data.events[${index}].data.session must be the batch's session`;
  }
  return null;
}

/** Every table entry checked, and every event's indexes point into the tables. */
function compactBatchProblem(data: Json): string | null {
  const { views, times, attributes, events } = data;
  if (!Array.isArray(views) || views.length === 0) return 'data.views must be a non-empty list';
  for (let index = 0; index < views.length; index++) {
    const view: unknown = views[index];
    const problem = isObject(view) ? viewProblem(view, `data.views[${index}]`) : `data.views[${index}] must be an object`;
    if (problem !== null) return problem;
  }
  if (!Array.isArray(times) || times.length === 0) return 'data.times must be a non-empty list';
  for (let index = 0; index < times.length; index++) {
    const entry: unknown = times[index];
    if (!isObject(entry)) return `data.times[${index}] must be an object`;
    const problem = timeProblem(entry, `data.times[${index}]`);
    if (problem !== null) return problem;
    if (entry.routerTimestamp !== null && typeof entry.routerTimestamp !== 'string')
      return `data.times[${index}].routerTimestamp must be a string or null`;
  }
  if (!Array.isArray(attributes)) return 'data.attributes must be a list';
  for (let index = 0; index < attributes.length; index++) {
    const entry: unknown = attributes[index];
    const problem = isObject(entry)
      ? attributesProblem(attributesOf(entry), `data.attributes[${index}]`)
      : `data.attributes[${index}] must be an object`;
    if (problem !== null) return problem;
  }
  if (!Array.isArray(events) || events.length === 0 || events.length > MAX_BATCHED_EVENTS)
    return `data.events must be a list of 1 to ${MAX_BATCHED_EVENTS} route events`;
  const isIndexInto = (list: unknown[], value: unknown) =>
    Number.isInteger(value) && (value as number) >= 0 && (value as number) < list.length;
  for (let index = 0; index < events.length; index++) {
    const event: unknown = events[index];
    const at = `data.events[${index}]`;
    const length = !Array.isArray(event) ? 0 : event[0] === 'a' ? 6 : event[0] === 'w' ? 5 : event[0] === 'e' ? 3 : 0;
    if (!Array.isArray(event) || length === 0 || event.length !== length)
      return `${at} must be ["a", view, times, prefix, pathId, attributes], ["w", view, times, prefix, pathId] or ["e", view, times]`;
    if (!isIndexInto(views, event[1])) return `${at}[1] must be an index into data.views`;
    if (!isIndexInto(times, event[2])) return `${at}[2] must be an index into data.times`;
    if (length === 3) continue;
    if (!isPrefixText(event[3])) return `${at}[3] must be a prefix of at most 49 characters`;
    if (!isPathId(event[4])) return `${at}[4] must be a path id or null`;
    if (length === 6 && !isIndexInto(attributes, event[5])) return `${at}[5] must be an index into data.attributes`;
  }
  return null;
}

/** The event as BRM can use it, or the first problem found. */
export function checkRouteStreamEvent(type: string, data: unknown): RouteStreamEvent | string {
  if (!isObject(data)) return 'data must be an object';
  if (type === ROUTE_BATCH) {
    const problem = sessionProblem(data.session) ?? batchProblem(data);
    return problem ?? ({ type, data } as unknown as RouteStreamEvent);
  }
  if (type === COMPACT_ROUTE_BATCH) {
    const problem = sessionProblem(data.session) ?? compactBatchProblem(data);
    return problem ?? ({ type, data } as unknown as RouteStreamEvent);
  }
  const problem =
    sessionProblem(data.session) ??
    timeProblem(data) ??
    (() => {
      switch (type) {
        case ROUTE_ANNOUNCED:
          return viewProblem(data) ?? prefixesProblem(data.prefixes) ?? attributesProblem(data.attributes);
        case ROUTE_WITHDRAWN:
          return viewProblem(data) ?? prefixesProblem(data.prefixes);
        case END_OF_RIB:
          return viewProblem(data);
        case SESSION_UP:
          // Null: the router did not report an OPEN, so what the session negotiated is unknown.
          if (data.families !== null && (!Array.isArray(data.families) || !data.families.every((family) => FAMILIES.has(family as string))))
            return 'data.families must list ipv4-unicast / ipv6-unicast, or be null';
          if (
            data.capabilities !== null &&
            (!Array.isArray(data.capabilities) || !data.capabilities.every((name) => typeof name === 'string'))
          )
            return 'data.capabilities must be a list of strings, or null';
          return connectionProblem(data.connection);
        case SESSION_DOWN:
          return typeof data.reason === 'string' ? connectionProblem(data.connection) : 'data.reason must be a string';
        default:
          return `type ${JSON.stringify(type)} is not a route-stream event`;
      }
    })();
  return problem ?? ({ type, data } as unknown as RouteStreamEvent);
}

/** A BMP connection id as collectors write it (`<collector run>/<n>`); stored with the session. */
const CONNECTION = /^[A-Za-z0-9._:-]{1,100}\/[0-9]{1,12}$/;

function connectionProblem(connection: unknown): string | null {
  if (connection === undefined) return null;
  return typeof connection === 'string' && CONNECTION.test(connection) ? null : 'data.connection must be <collector run>/<number>';
}
