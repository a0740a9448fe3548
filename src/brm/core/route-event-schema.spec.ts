import {
  END_OF_RIB,
  ROUTE_ANNOUNCED,
  ROUTE_BATCH,
  ROUTE_WITHDRAWN,
  SESSION_UP,
  type RouteAnnouncedData,
  type RouteWithdrawnData,
  type SessionRef,
} from '../../common/events/bgp-events.js';
import { checkRouteStreamEvent } from './route-event-schema.js';

const session: SessionRef = {
  router: 'rb-host1',
  hostId: 1,
  peerAddress: '169.254.101.1',
  peerAs: 65001,
  peerBgpId: '10.0.0.1',
  peerDistinguisher: '0000000000000000',
};
const receivedAt = '2026-11-25T06:51:43.080Z';

const announced = (prefix: string, extra: Partial<RouteAnnouncedData> = {}): RouteAnnouncedData => ({
  session,
  family: 'ipv4-unicast',
  postPolicy: false,
  adjRibOut: false,
  prefixes: [{ prefix, pathId: null }],
  attributes: {
    origin: 'igp',
    asPath: [65001],
    nextHop: '169.254.101.1',
    nextHopLinkLocal: null,
    med: null,
    localPref: null,
    atomicAggregate: false,
    aggregator: null,
    communities: [],
    extendedCommunities: [],
    largeCommunities: [],
  },
  receivedAt,
  routerTimestamp: null,
  ...extra,
});
const withdrawn = (prefix: string): RouteWithdrawnData => ({
  session,
  family: 'ipv4-unicast',
  postPolicy: false,
  adjRibOut: false,
  prefixes: [{ prefix, pathId: null }],
  receivedAt,
  routerTimestamp: null,
});

describe('checkRouteStreamEvent: route batches', () => {
  const batch = {
    session,
    events: [
      { type: ROUTE_ANNOUNCED, data: announced('192.0.2.0/24') },
      { type: ROUTE_WITHDRAWN, data: withdrawn('198.51.100.0/24') },
      { type: END_OF_RIB, data: { session, family: 'ipv4-unicast', postPolicy: false, adjRibOut: false, receivedAt } },
    ],
  };

  it('accepts a batch of announcements, withdrawals and End-of-RIB of one session', () => {
    expect(checkRouteStreamEvent(ROUTE_BATCH, batch)).toEqual({ type: ROUTE_BATCH, data: batch });
  });

  it('names the batched event and its field when one is wrong', () => {
    const bad = {
      ...batch,
      events: [batch.events[0], { type: ROUTE_ANNOUNCED, data: announced('192.0.2.0/24', { family: 'l2vpn' as never }) }],
    };
    expect(checkRouteStreamEvent(ROUTE_BATCH, bad)).toBe('data.events[1].data.family must be ipv4-unicast or ipv6-unicast');
  });

  it('refuses an event of another session inside the batch: the batch is ordered by its own key', () => {
    const other = { ...session, peerAddress: '169.254.101.9' };
    const bad = { ...batch, events: [batch.events[0], { type: ROUTE_WITHDRAWN, data: { ...withdrawn('192.0.2.0/24'), session: other } }] };
    expect(checkRouteStreamEvent(ROUTE_BATCH, bad)).toBe("data.events[1].data.session must be the batch's session");
  });

  it('refuses an empty batch, a batch without a session, and kinds that are never batched', () => {
    expect(checkRouteStreamEvent(ROUTE_BATCH, { session, events: [] })).toMatch(/^data\.events must be a list of 1 to/);
    expect(checkRouteStreamEvent(ROUTE_BATCH, { events: batch.events })).toBe('data.session must be an object');
    const nested = { session, events: [{ type: ROUTE_BATCH, data: batch }] };
    expect(checkRouteStreamEvent(ROUTE_BATCH, nested)).toBe(
      'data.events[0].type must be a route-announced, route-withdrawn or end-of-rib type',
    );
    const up = { session, events: [{ type: SESSION_UP, data: {} }] };
    expect(checkRouteStreamEvent(ROUTE_BATCH, up)).toBe(
      'data.events[0].type must be a route-announced, route-withdrawn or end-of-rib type',
    );
  });
});
