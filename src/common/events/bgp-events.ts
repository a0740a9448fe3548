/**
 * Payloads (CloudEvent `data`) of bgp.route-events.v1 and bgp.session-events.v1: the contract
 * between frr-server (producer) and BRM or any other consumer. docs/events.md shows examples.
 * Changing a field's meaning needs a new topic version.
 */

export const ROUTE_ANNOUNCED = 'net.route-broker.bgp.route-announced.v1';
export const ROUTE_WITHDRAWN = 'net.route-broker.bgp.route-withdrawn.v1';
export const END_OF_RIB = 'net.route-broker.bgp.end-of-rib.v1';
export const SESSION_UP = 'net.route-broker.bgp.session-up.v1';
export const SESSION_DOWN = 'net.route-broker.bgp.session-down.v1';
/** Reason of the session-down BRM publishes for a collector that stopped answering. */
export const COLLECTOR_LOST = 'collector-lost';
export const SESSION_STATISTICS = 'net.route-broker.bgp.statistics.v1';
export const ROUTE_BATCH = 'net.route-broker.bgp.route-batch.v1';
export const COMPACT_ROUTE_BATCH = 'net.route-broker.bgp.route-batch.v2';

export type AddressFamily = 'ipv4-unicast' | 'ipv6-unicast';

/** Which BGP session an event is about, as the monitored router (a host's bgpd) sees it. */
export interface SessionRef {
  /** The router that sent the BMP stream: the inventory host's name when it is known, else its sysName or address. */
  router: string;
  /** Inventory host id, or null when the router is not in the inventory. */
  hostId: number | null;
  peerAddress: string;
  peerAs: number;
  peerBgpId: string;
  /** RFC 7854 peer distinguisher as 16 hex digits ("0000000000000000" for the global instance). */
  peerDistinguisher: string;
}

/** The Kafka key of both topics: every event of one BGP session lands on one partition, in order. */
export function sessionKey(session: Pick<SessionRef, 'router' | 'peerAddress' | 'peerAs'>): string {
  return `${session.router}|${session.peerAddress}|${session.peerAs}`;
}

export interface PathAttributes {
  origin: 'igp' | 'egp' | 'incomplete' | null;
  /** The AS path flattened in order; AS_SET members appear inside a nested array. */
  asPath: (number | number[])[];
  /** Next hop(s): IPv4 NEXT_HOP, or the MP_REACH global (and link-local) address. */
  nextHop: string | null;
  nextHopLinkLocal: string | null;
  med: number | null;
  localPref: number | null;
  atomicAggregate: boolean;
  aggregator: { as: number; address: string } | null;
  /** RFC 1997, "65001:100". */
  communities: string[];
  /** RFC 4360, readable form where known ("rt:65001:1"), else hex. */
  extendedCommunities: string[];
  /** RFC 8092, "65001:1:2". */
  largeCommunities: string[];
}

export interface RouteAnnouncedData {
  session: SessionRef;
  family: AddressFamily;
  /** RFC 7854 L flag: post-policy Adj-RIB-In (true) or pre-policy (false). */
  postPolicy: boolean;
  /** RFC 8671 O flag: the route is in Adj-RIB-Out (sent to the peer), not received from it. */
  adjRibOut: boolean;
  /** Every prefix of one BGP UPDATE shares these attributes. */
  prefixes: { prefix: string; pathId: number | null }[];
  attributes: PathAttributes;
  /** When the collector read the BMP message, and the router's own timestamp of it. */
  receivedAt: string;
  routerTimestamp: string | null;
}

export interface RouteWithdrawnData {
  session: SessionRef;
  family: AddressFamily;
  postPolicy: boolean;
  adjRibOut: boolean;
  prefixes: { prefix: string; pathId: number | null }[];
  receivedAt: string;
  routerTimestamp: string | null;
}

export interface EndOfRibData {
  session: SessionRef;
  family: AddressFamily;
  postPolicy: boolean;
  adjRibOut: boolean;
  receivedAt: string;
}

/** One event of a route batch: exactly the event it stands for, type and data. */
export type BatchedRouteEvent =
  | { type: typeof ROUTE_ANNOUNCED; data: RouteAnnouncedData }
  | { type: typeof ROUTE_WITHDRAWN; data: RouteWithdrawnData }
  | { type: typeof END_OF_RIB; data: EndOfRibData };

/**
 * Consecutive route events of one session in one Kafka message: FRR sends one prefix per Route
 * Monitoring message, and a Kafka message per prefix costs far more than the prefix. The events
 * mean what they would mean one after another, in this order; each keeps its own `data.session`
 * (the same session as the batch's).
 */
export interface RouteBatchData {
  session: SessionRef;
  events: BatchedRouteEvent[];
}

/** The BMP view a route was reported in (RouteAnnouncedData's fields of the same names). */
export interface RouteView {
  family: AddressFamily;
  postPolicy: boolean;
  adjRibOut: boolean;
}

/** When the collector read a route's BMP message, and the router's own timestamp of it. */
export interface RouteTimes {
  receivedAt: string;
  routerTimestamp: string | null;
}

/** An announcement: view index, times index, prefix, ADD-PATH path id or null, attributes index. */
export type CompactAnnouncement = ['a', number, number, string, number | null, number];
/** A withdrawal: view index, times index, prefix, path id or null. */
export type CompactWithdrawal = ['w', number, number, string, number | null];
/** An End-of-RIB: view index, times index (its routerTimestamp is not used). */
export type CompactEndOfRib = ['e', number, number];
export type CompactRouteEvent = CompactAnnouncement | CompactWithdrawal | CompactEndOfRib;

/**
 * route-batch v2: what a route batch (v1) says, with everything its events share written once.
 * A full table from FRR arrives one prefix per message, and v1 repeated the session, the view, the
 * times and every attribute, null or empty ones included, for each prefix (about 680 bytes a
 * route). Here every route is a short tuple in `events` (in order, one per prefix) that points
 * into the batch's tables by index. An `attributes` entry leaves out each field at its empty value
 * (null, false, []); `attributesOf` puts them back.
 */
export interface CompactRouteBatchData {
  session: SessionRef;
  views: RouteView[];
  times: RouteTimes[];
  attributes: Partial<PathAttributes>[];
  events: CompactRouteEvent[];
}

/** A compact batch's attributes entry as the PathAttributes it stands for (fields in the contract's order). */
export function attributesOf(entry: Partial<PathAttributes>): PathAttributes {
  return {
    origin: entry.origin ?? null,
    asPath: entry.asPath ?? [],
    nextHop: entry.nextHop ?? null,
    nextHopLinkLocal: entry.nextHopLinkLocal ?? null,
    med: entry.med ?? null,
    localPref: entry.localPref ?? null,
    atomicAggregate: entry.atomicAggregate ?? false,
    aggregator: entry.aggregator ?? null,
    communities: entry.communities ?? [],
    extendedCommunities: entry.extendedCommunities ?? [],
    largeCommunities: entry.largeCommunities ?? [],
  };
}

/**
 * A compact batch's events as the v1 events they stand for, in order. Consecutive routes of one
 * kind, view, times and attributes become one event with several prefixes, as one UPDATE's were.
 * Expects data that checked out (BRM checks it first); indexes are not checked here.
 */
function expandedCompactBatch(data: CompactRouteBatchData): BatchedRouteEvent[] {
  const { session } = data;
  const attributes = data.attributes.map(attributesOf);
  const events: BatchedRouteEvent[] = [];
  let open: { entry: CompactAnnouncement | CompactWithdrawal; prefixes: { prefix: string; pathId: number | null }[] } | null = null;
  for (const entry of data.events) {
    const { family, postPolicy, adjRibOut } = data.views[entry[1]]!;
    const { receivedAt, routerTimestamp } = data.times[entry[2]]!;
    if (entry[0] === 'e') {
      events.push({ type: END_OF_RIB, data: { session, postPolicy, adjRibOut, family, receivedAt } });
      open = null;
      continue;
    }
    const route = { prefix: entry[3], pathId: entry[4] };
    if (
      open !== null &&
      open.entry[0] === entry[0] &&
      open.entry[1] === entry[1] &&
      open.entry[2] === entry[2] &&
      open.entry[5] === entry[5]
    ) {
      open.prefixes.push(route);
      continue;
    }
    const prefixes = [route];
    open = { entry, prefixes };
    events.push(
      entry[0] === 'a'
        ? {
            type: ROUTE_ANNOUNCED,
            data: { session, postPolicy, adjRibOut, family, prefixes, attributes: attributes[entry[5]]!, receivedAt, routerTimestamp },
          }
        : { type: ROUTE_WITHDRAWN, data: { session, postPolicy, adjRibOut, family, prefixes, receivedAt, routerTimestamp } },
    );
  }
  return events;
}

/** The route events a bgp.route-events.v1 event stands for, in order: a batch's events (v1 or v2), or the event itself. */
export function unbatched(event: { type: string; data: unknown }): { type: string; data: unknown }[] {
  if (event.type === ROUTE_BATCH) return (event.data as RouteBatchData).events;
  if (event.type === COMPACT_ROUTE_BATCH) return expandedCompactBatch(event.data as CompactRouteBatchData);
  return [event];
}

export interface SessionUpData {
  session: SessionRef;
  /**
   * The collector's BMP connection that saw the session come up (`<collector run>/<n>`, see
   * docs/bmp.md): a session-down naming another connection no longer applies to it. Absent from
   * events of collectors before it was added.
   */
  connection?: string;
  localAddress: string;
  localPort: number;
  remotePort: number;
  /**
   * What the session negotiated, from the Peer Up's OPENs. Null when the router did not report the
   * OPEN it comes from (FRR sends a bare OPEN header for one it did not keep): `localAs` needs the
   * sent OPEN, the others both.
   */
  localAs: number | null;
  holdTimeSeconds: number | null;
  /** Capabilities both sides advertised, by name (e.g. "4-octet-as", "add-path:ipv4-unicast:receive"). */
  capabilities: string[] | null;
  families: AddressFamily[] | null;
  receivedAt: string;
}

export interface SessionDownData {
  session: SessionRef;
  /**
   * Why: a BMP Peer Down reason, `collector-connection-lost` when the router's BMP connection
   * dropped, or `collector-lost` when the collector that held it stopped answering (BRM says so
   * for it, see docs/bmp.md). Every route of the session is gone either way; consumers withdraw
   * them (or mark them stale under graceful restart).
   */
  reason: string;
  /**
   * The BMP connection this is about: a consumer applies the down only while the session's last
   * session-up came through this connection (a router that moved to another collector is up
   * there, whatever the old connection says later). Absent: applies regardless.
   */
  connection?: string;
  notification: { code: number; subcode: number } | null;
  receivedAt: string;
}

export interface SessionStatisticsData {
  session: SessionRef;
  counters: Record<string, string>;
  receivedAt: string;
}
