import {
  COMPACT_ROUTE_BATCH,
  END_OF_RIB,
  ROUTE_ANNOUNCED,
  ROUTE_BATCH,
  ROUTE_WITHDRAWN,
  SESSION_DOWN,
  SESSION_UP,
  type RouteAnnouncedData,
  type RouteWithdrawnData,
  type SessionRef,
  unbatched,
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

describe('checkRouteStreamEvent: compact route batches (v2)', () => {
  const compact = {
    session,
    views: [{ family: 'ipv4-unicast', postPolicy: true, adjRibOut: false }],
    times: [{ receivedAt, routerTimestamp: null }],
    attributes: [{ origin: 'igp', asPath: [65001, [64600, 64601]], nextHop: '169.254.101.1', med: 50 }],
    events: [
      ['a', 0, 0, '192.0.2.0/24', null, 0],
      ['w', 0, 0, '198.51.100.0/24', 7],
      ['e', 0, 0],
    ],
  };
  const withField = (field: string, value: unknown) => ({ ...compact, [field]: value });

  it('accepts a batch whose tuples point into its tables, and unbatched() gives the v1 events it stands for', () => {
    expect(checkRouteStreamEvent(COMPACT_ROUTE_BATCH, compact)).toEqual({ type: COMPACT_ROUTE_BATCH, data: compact });
    const view = { postPolicy: true, adjRibOut: false, family: 'ipv4-unicast' };
    expect(unbatched({ type: COMPACT_ROUTE_BATCH, data: compact })).toEqual([
      {
        type: ROUTE_ANNOUNCED,
        data: announced('192.0.2.0/24', {
          postPolicy: true,
          attributes: { ...announced('').attributes, asPath: [65001, [64600, 64601]], med: 50 },
        }),
      },
      {
        type: ROUTE_WITHDRAWN,
        data: { session, ...view, prefixes: [{ prefix: '198.51.100.0/24', pathId: 7 }], receivedAt, routerTimestamp: null },
      },
      { type: END_OF_RIB, data: { session, ...view, receivedAt } },
    ]);
  });

  it('names the table entry and its field when one is wrong', () => {
    expect(checkRouteStreamEvent(COMPACT_ROUTE_BATCH, withField('views', [{ family: 'l2vpn', postPolicy: true, adjRibOut: false }]))).toBe(
      'data.views[0].family must be ipv4-unicast or ipv6-unicast',
    );
    expect(checkRouteStreamEvent(COMPACT_ROUTE_BATCH, withField('views', []))).toBe('data.views must be a non-empty list');
    expect(checkRouteStreamEvent(COMPACT_ROUTE_BATCH, withField('times', [{ receivedAt: 'yesterday', routerTimestamp: null }]))).toBe(
      'data.times[0].receivedAt must be an ISO timestamp',
    );
    expect(checkRouteStreamEvent(COMPACT_ROUTE_BATCH, withField('times', [{ receivedAt, routerTimestamp: 5 }]))).toBe(
      'data.times[0].routerTimestamp must be a string or null',
    );
    expect(checkRouteStreamEvent(COMPACT_ROUTE_BATCH, withField('attributes', [compact.attributes[0], { med: -1 }]))).toBe(
      'data.attributes[1].med must be a 32-bit number or null',
    );
    expect(checkRouteStreamEvent(COMPACT_ROUTE_BATCH, withField('attributes', ['igp']))).toBe('data.attributes[0] must be an object');
    expect(checkRouteStreamEvent(COMPACT_ROUTE_BATCH, { ...compact, session: undefined })).toBe('data.session must be an object');
  });

  it('names the tuple and its position when an event is wrong or points outside the tables', () => {
    const withEvent = (event: unknown) => withField('events', [compact.events[0], event]);
    expect(checkRouteStreamEvent(COMPACT_ROUTE_BATCH, withEvent(['x', 0, 0]))).toMatch(/^data\.events\[1\] must be \["a", view, times/);
    expect(checkRouteStreamEvent(COMPACT_ROUTE_BATCH, withEvent(['a', 0, 0, '192.0.2.0/24', null]))).toMatch(/^data\.events\[1\] must be/);
    expect(checkRouteStreamEvent(COMPACT_ROUTE_BATCH, withEvent(['w', 1, 0, '192.0.2.0/24', null]))).toBe(
      'data.events[1][1] must be an index into data.views',
    );
    expect(checkRouteStreamEvent(COMPACT_ROUTE_BATCH, withEvent(['e', 0, -1]))).toBe('data.events[1][2] must be an index into data.times');
    expect(checkRouteStreamEvent(COMPACT_ROUTE_BATCH, withEvent(['w', 0, 0, 'x'.repeat(50), null]))).toBe(
      'data.events[1][3] must be a prefix of at most 49 characters',
    );
    expect(checkRouteStreamEvent(COMPACT_ROUTE_BATCH, withEvent(['w', 0, 0, '192.0.2.0/24', 1.5]))).toBe(
      'data.events[1][4] must be a path id or null',
    );
    expect(checkRouteStreamEvent(COMPACT_ROUTE_BATCH, withEvent(['a', 0, 0, '192.0.2.0/24', null, 1]))).toBe(
      'data.events[1][5] must be an index into data.attributes',
    );
    expect(checkRouteStreamEvent(COMPACT_ROUTE_BATCH, withField('events', []))).toMatch(/^data\.events must be a list of 1 to/);
  });
});

describe('checkRouteStreamEvent: the BMP connection of session events', () => {
  const down = (connection?: unknown) => ({ session, reason: 'collector-lost', notification: null, receivedAt, connection });

  it('accepts a down or up naming a connection `<collector run>/<n>`, and one naming none', () => {
    expect(checkRouteStreamEvent(SESSION_DOWN, down('route-broker-1.3f2a9c1d/17'))).toMatchObject({ type: SESSION_DOWN });
    const { connection: _none, ...withoutConnection } = down();
    expect(checkRouteStreamEvent(SESSION_DOWN, withoutConnection)).toMatchObject({ type: SESSION_DOWN });
  });

  it('accepts a session up whose capabilities and families are null (the router did not report an OPEN), refuses other non-lists', () => {
    const up = (fields: object) => ({
      session,
      localAddress: '169.254.101.2',
      localPort: 34468,
      remotePort: 179,
      localAs: null,
      holdTimeSeconds: null,
      receivedAt,
      ...fields,
    });
    expect(checkRouteStreamEvent(SESSION_UP, up({ capabilities: null, families: null }))).toMatchObject({ type: SESSION_UP });
    expect(checkRouteStreamEvent(SESSION_UP, up({ capabilities: null, families: 'ipv4-unicast' }))).toBe(
      'data.families must list ipv4-unicast / ipv6-unicast, or be null',
    );
    expect(checkRouteStreamEvent(SESSION_UP, up({ capabilities: {}, families: [] }))).toBe(
      'data.capabilities must be a list of strings, or null',
    );
  });

  it('refuses a connection that is not one', () => {
    for (const connection of ['', 'run-without-number', 'run/x', 'a b/1', 42]) {
      expect(checkRouteStreamEvent(SESSION_DOWN, down(connection))).toBe('data.connection must be <collector run>/<number>');
    }
  });
});
