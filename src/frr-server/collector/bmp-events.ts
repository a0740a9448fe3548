/**
 * Turns decoded BMP messages into the events of bgp.route-events.v1 and bgp.session-events.v1
 * (src/common/events/bgp-events.ts). Plain TypeScript: no framework, no I/O.
 *
 * One BGP UPDATE becomes at most one event per kind and address family (announced, withdrawn,
 * End-of-RIB), never one event per prefix. Families other than IPv4/IPv6 unicast are skipped.
 */
import {
  END_OF_RIB,
  ROUTE_ANNOUNCED,
  ROUTE_WITHDRAWN,
  SESSION_DOWN,
  SESSION_STATISTICS,
  SESSION_UP,
  type AddressFamily,
  type PathAttributes,
  type SessionRef,
  type SessionUpData,
} from '../../common/events/bgp-events.js';
import { TOPICS } from '../../common/kafka/topics.js';
import { BmpPeerDownReason, BmpStatType } from '../bmp/bmp-constants.js';
import type { AsPathSegment, BgpCapability, BgpOpenMessage, BmpMessage, PeerUpMessage, PerPeerHeader, Route } from '../bmp/bmp-types.js';

/** Who sent the BMP stream, as far as the collector knows. */
export interface RouterIdentity {
  router: string;
  hostId: number | null;
  /** The BMP connection, `<collector run>/<n>`: named in session up/down events. */
  connection: string;
}

export interface CollectedEvent {
  topic: string;
  type: string;
  session: SessionRef;
  data: object;
}

const AS_TRANS = 23456;

export function familyOf(afi: number, safi: number): AddressFamily | null {
  if (safi !== 1) return null;
  return afi === 1 ? 'ipv4-unicast' : afi === 2 ? 'ipv6-unicast' : null;
}

export function sessionRefOf(identity: RouterIdentity, peer: PerPeerHeader): SessionRef {
  return {
    router: identity.router,
    hostId: identity.hostId,
    peerAddress: peer.peerAddress,
    peerAs: peer.peerAs,
    peerBgpId: peer.peerBgpId,
    peerDistinguisher: peer.peerDistinguisher,
  };
}

/**
 * ISO text of a time, remembered for the last value: every message of one TCP read shares its
 * receive time, and a router's dump mostly shares one timestamp; toISOString costs about a
 * microsecond, and a full table is a million messages.
 */
class IsoTextMemo {
  private lastMs = Number.NaN;
  private lastText = '';

  of(ms: number): string {
    if (ms !== this.lastMs) {
      this.lastText = new Date(ms).toISOString();
      this.lastMs = ms;
    }
    return this.lastText;
  }
}

const receivedAtText = new IsoTextMemo();
const routerTimestampText = new IsoTextMemo();

function routerTimestamp(peer: PerPeerHeader): string | null {
  if (peer.timestampSeconds === 0) return null;
  return routerTimestampText.of(peer.timestampSeconds * 1000 + Math.floor(peer.timestampMicroseconds / 1000));
}

const prefixesOf = (routes: Route[]) => routes.map((route) => ({ prefix: route.prefix, pathId: route.pathId ?? null }));

export function flattenAsPath(segments: AsPathSegment[] | null): (number | number[])[] {
  const path: (number | number[])[] = [];
  for (const segment of segments ?? []) {
    // Confederation segments are internal to the neighbour's confederation (RFC 5065) and are
    // not part of the path a customer's route is judged by.
    if (segment.kind === 'sequence') path.push(...segment.asns);
    else if (segment.kind === 'set') path.push([...segment.asns]);
  }
  return path;
}

/**
 * Session up and down go on the session topic (for whoever watches sessions) and, as a copy, on
 * the route topic: Kafka orders only within one partition of one topic, and a consumer that keeps
 * routes must see "session down" after that session's last routes and before its next ones.
 */
export function onBothTopics(events: CollectedEvent[]): CollectedEvent[] {
  return events.flatMap((event) => [event, { ...event, topic: TOPICS.routeEvents.name }]);
}

/**
 * Events for one BMP message; Initiation, Termination, mirroring and unknown types give none.
 * `localAs` is the monitored router's AS on that session (from its Peer Up), when known.
 */
export function eventsOf(message: BmpMessage, identity: RouterIdentity, receivedAt: Date, localAs: number | null = null): CollectedEvent[] {
  const received = receivedAtText.of(receivedAt.getTime());
  switch (message.kind) {
    case 'routeMonitoring':
      return routeMonitoringEvents(message, identity, received, localAs);
    case 'peerUp': {
      const session = sessionRefOf(identity, message.peer);
      return onBothTopics([
        {
          topic: TOPICS.sessionEvents.name,
          type: SESSION_UP,
          session,
          data: {
            session,
            localAddress: message.localAddress,
            localPort: message.localPort,
            remotePort: message.remotePort,
            ...negotiated(message),
            receivedAt: received,
            connection: identity.connection,
          },
        },
      ]);
    }
    case 'peerDown': {
      const session = sessionRefOf(identity, message.peer);
      return onBothTopics([
        {
          topic: TOPICS.sessionEvents.name,
          type: SESSION_DOWN,
          session,
          data: {
            session,
            reason: peerDownReason(message.reason),
            notification: message.notification ? { code: message.notification.code, subcode: message.notification.subcode } : null,
            receivedAt: received,
            connection: identity.connection,
          },
        },
      ]);
    }
    case 'statisticsReport': {
      const session = sessionRefOf(identity, message.peer);
      const counters: Record<string, string> = {};
      for (const statistic of message.statistics) {
        const name = STATISTIC_NAMES.get(statistic.type) ?? `type-${statistic.type}`;
        if (statistic.kind === 'unknown') continue;
        const key =
          statistic.kind === 'afiSafiGauge64'
            ? `${name}:${familyOf(statistic.afi, statistic.safi) ?? `${statistic.afi}-${statistic.safi}`}`
            : name;
        counters[key] = statistic.value.toString();
      }
      return [{ topic: TOPICS.sessionEvents.name, type: SESSION_STATISTICS, session, data: { session, counters, receivedAt: received } }];
    }
    case 'initiation':
    case 'termination':
    case 'routeMirroring':
    case 'unknown':
      return [];
  }
}

/** What FRR's session down events mean, in words an operator reads in a dashboard. */
export function peerDownReason(reason: number): string {
  switch (reason) {
    case BmpPeerDownReason.LocalNotification:
      return 'local-notification';
    case BmpPeerDownReason.LocalNoNotification:
      return 'local-no-notification';
    case BmpPeerDownReason.RemoteNotification:
      return 'remote-notification';
    case BmpPeerDownReason.RemoteNoNotification:
      return 'remote-no-notification';
    case BmpPeerDownReason.PeerDeconfigured:
      return 'peer-deconfigured';
    case BmpPeerDownReason.LocalSystemClosed:
      return 'local-system-closed';
    default:
      return `reason-${reason}`;
  }
}

/**
 * FRR's bgpd (up to 10.x; FRR pull request 21815) serialises BMP Route Monitoring with its
 * outbound attribute code, which prepends its own AS on eBGP sessions: a path received as
 * `65001` is reported as `64512 65001`. An eBGP route whose path starts with the receiver's own
 * AS would have failed bgpd's AS-loop check, so such a first AS can only be that artefact.
 */
export function withoutSenderPrepend(
  path: (number | number[])[],
  localAs: number | null,
  peerAs: number,
  adjRibOut: boolean,
): (number | number[])[] {
  if (adjRibOut || localAs === null || localAs === peerAs || path[0] !== localAs) return path;
  return path.slice(1);
}

interface Reach {
  family: AddressFamily;
  routes: Route[];
  nextHop: string | null;
  nextHopLinkLocal: string | null;
}

/**
 * One UPDATE's events: withdrawals per family, then announcements per family. Written with plain
 * object literals and small arrays, no spreads or Maps: this runs once per prefix of FRR's dumps.
 */
function routeMonitoringEvents(
  message: Extract<BmpMessage, { kind: 'routeMonitoring' }>,
  identity: RouterIdentity,
  received: string,
  localAs: number | null,
): CollectedEvent[] {
  const { peer, update } = message;
  const session = sessionRefOf(identity, peer);
  const postPolicy = peer.flags.postPolicy;
  const adjRibOut = peer.flags.adjRibOut;
  const topic = TOPICS.routeEvents.name;

  if (update.endOfRib) {
    const family = familyOf(update.endOfRib.afi, update.endOfRib.safi);
    if (family === null) return [];
    return [{ topic, type: END_OF_RIB, session, data: { session, postPolicy, adjRibOut, family, receivedAt: received } }];
  }

  // IPv4 withdrawals first, then MP_UNREACH's in attribute order (at most one per family in practice).
  const withdrawn: { family: AddressFamily; routes: Route[] }[] = [];
  if (update.withdrawnRoutes.length > 0) withdrawn.push({ family: 'ipv4-unicast', routes: update.withdrawnRoutes });
  const announced: Reach[] = [];

  let ipv4NextHop: string | null = null;
  let origin: PathAttributes['origin'] = null;
  let med: number | null = null;
  let localPref: number | null = null;
  let atomicAggregate = false;
  let aggregator: PathAttributes['aggregator'] = null;
  let as4Aggregator: { as: number; address: string } | null = null;
  let communities: string[] = [];
  let extendedCommunities: string[] = [];
  let largeCommunities: string[] = [];
  for (const attribute of update.attributes) {
    switch (attribute.kind) {
      case 'origin':
        origin = attribute.origin;
        break;
      case 'nextHop':
        ipv4NextHop = attribute.nextHop;
        break;
      case 'multiExitDisc':
        med = attribute.med;
        break;
      case 'localPref':
        localPref = attribute.localPref;
        break;
      case 'atomicAggregate':
        atomicAggregate = true;
        break;
      case 'aggregator':
        aggregator = { as: attribute.asn, address: attribute.address };
        break;
      case 'as4Aggregator':
        as4Aggregator = { as: attribute.asn, address: attribute.address };
        break;
      case 'communities':
        communities = attribute.communities.slice();
        break;
      case 'extendedCommunities':
        extendedCommunities = attribute.communities.map((community) => community.text);
        break;
      case 'largeCommunities':
        largeCommunities = attribute.communities.slice();
        break;
      case 'mpReachNlri': {
        const family = familyOf(attribute.afi, attribute.safi);
        if (family && attribute.routes.length > 0) {
          setReach(announced, {
            family,
            routes: attribute.routes,
            nextHop: attribute.nextHops[0] ?? null,
            nextHopLinkLocal: attribute.nextHops[1] ?? null,
          });
        }
        break;
      }
      case 'mpUnreachNlri': {
        const family = familyOf(attribute.afi, attribute.safi);
        if (family && attribute.withdrawnRoutes.length > 0) {
          const same = withdrawn.find((entry) => entry.family === family);
          if (same) same.routes = same.routes.concat(attribute.withdrawnRoutes);
          else withdrawn.push({ family, routes: attribute.withdrawnRoutes });
        }
        break;
      }
      case 'asPath':
      case 'as4Path':
      case 'unknown':
        break;
    }
  }
  // RFC 6793 §4.2.3: a 2-octet speaker's AGGREGATOR carries AS_TRANS; AS4_AGGREGATOR has the real one.
  if (aggregator?.as === AS_TRANS && as4Aggregator) aggregator = as4Aggregator;
  if (update.routes.length > 0)
    setReach(announced, { family: 'ipv4-unicast', routes: update.routes, nextHop: ipv4NextHop, nextHopLinkLocal: null });

  const timestamp = routerTimestamp(peer);
  const events: CollectedEvent[] = [];
  for (const { family, routes } of withdrawn) {
    events.push({
      topic,
      type: ROUTE_WITHDRAWN,
      session,
      data: { session, postPolicy, adjRibOut, family, prefixes: prefixesOf(routes), receivedAt: received, routerTimestamp: timestamp },
    });
  }
  if (announced.length === 0) return events;
  const asPath = withoutSenderPrepend(flattenAsPath(update.asPath), localAs, peer.peerAs, adjRibOut);
  for (const reach of announced) {
    const attributes: PathAttributes = {
      origin,
      asPath,
      nextHop: reach.nextHop,
      nextHopLinkLocal: reach.nextHopLinkLocal,
      med,
      localPref,
      atomicAggregate,
      aggregator,
      communities,
      extendedCommunities,
      largeCommunities,
    };
    events.push({
      topic,
      type: ROUTE_ANNOUNCED,
      session,
      data: {
        session,
        postPolicy,
        adjRibOut,
        family: reach.family,
        prefixes: prefixesOf(reach.routes),
        attributes,
        receivedAt: received,
        routerTimestamp: timestamp,
      },
    });
  }
  return events;
}

/** A later announcement of the same family replaces the earlier one (as a Map keyed by family did), keeping its place. */
function setReach(announced: Reach[], reach: Reach): void {
  const index = announced.findIndex((entry) => entry.family === reach.family);
  if (index >= 0) announced[index] = reach;
  else announced.push(reach);
}

function capabilityNames(capabilities: BgpCapability[]): Set<string> {
  const names = new Set<string>();
  for (const capability of capabilities) {
    switch (capability.kind) {
      case 'multiprotocol':
        names.add(`multiprotocol:${familyOf(capability.afi, capability.safi) ?? `${capability.afi}-${capability.safi}`}`);
        break;
      case 'addPath':
        for (const family of capability.families) {
          const name = familyOf(family.afi, family.safi) ?? `${family.afi}-${family.safi}`;
          names.add(`add-path:${name}:${['none', 'receive', 'send', 'send-receive'][family.sendReceive] ?? family.sendReceive}`);
        }
        break;
      case 'fourOctetAs':
        names.add('4-octet-as');
        break;
      case 'gracefulRestart':
        names.add('graceful-restart');
        break;
      case 'routeRefresh':
      case 'routeRefreshLegacy':
        names.add('route-refresh');
        break;
      case 'enhancedRouteRefresh':
        names.add('enhanced-route-refresh');
        break;
      case 'extendedMessage':
        names.add('extended-message');
        break;
      case 'extendedNextHop':
        names.add('extended-next-hop');
        break;
      case 'fqdn':
        names.add('fqdn');
        break;
      case 'unknown':
        names.add(`capability-${capability.code}`);
        break;
    }
  }
  return names;
}

/** What the session negotiated, from the Peer Up's two OPENs; null for what a missing OPEN leaves unknown. */
function negotiated(message: PeerUpMessage): Pick<SessionUpData, 'localAs' | 'holdTimeSeconds' | 'capabilities' | 'families'> {
  const { sentOpen, receivedOpen } = message;
  if (sentOpen === null || receivedOpen === null) {
    return { localAs: sentOpen?.asn ?? null, holdTimeSeconds: null, capabilities: null, families: null };
  }
  return {
    localAs: sentOpen.asn,
    holdTimeSeconds: Math.min(sentOpen.holdTimeSeconds, receivedOpen.holdTimeSeconds),
    capabilities: negotiatedCapabilities(sentOpen, receivedOpen),
    families: negotiatedFamilies(sentOpen, receivedOpen),
  };
}

/** Capabilities both OPENs carried; ADD-PATH as each side offered it (`local:`/`remote:`), since it is per direction. */
export function negotiatedCapabilities(sent: BgpOpenMessage, received: BgpOpenMessage): string[] {
  const ours = [...capabilityNames(sent.capabilities)];
  const theirs = capabilityNames(received.capabilities);
  const isAddPath = (name: string) => name.startsWith('add-path:');
  const both = ours.filter((name) => theirs.has(name) && !isAddPath(name));
  const addPath = [
    ...ours.filter(isAddPath).map((name) => `local:${name}`),
    ...[...theirs].filter(isAddPath).map((name) => `remote:${name}`),
  ];
  return [...both, ...addPath].sort();
}

export function negotiatedFamilies(sent: BgpOpenMessage, received: BgpOpenMessage): AddressFamily[] {
  const familiesOf = (open: BgpOpenMessage) =>
    new Set(
      open.capabilities.flatMap((capability) => (capability.kind === 'multiprotocol' ? [familyOf(capability.afi, capability.safi)] : [])),
    );
  const ours = familiesOf(sent);
  const theirs = familiesOf(received);
  // Without any multiprotocol capability a session carries IPv4 unicast only (RFC 4760 §8).
  if (ours.size === 0 && theirs.size === 0) return ['ipv4-unicast'];
  return (['ipv4-unicast', 'ipv6-unicast'] as const).filter((family) => ours.has(family) && theirs.has(family));
}

const STATISTIC_NAMES = new Map<number, string>(
  Object.entries(BmpStatType).map(([name, type]) => [type, name.replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase()]),
);
