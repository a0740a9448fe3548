import type { RouteAnnouncedData, SessionRef } from '../../common/events/bgp-events.js';
import { fromEndOfRib, fromRouteAnnounced, fromRouteWithdrawn, fromSessionDown, fromSessionUp } from './events.js';

const session: SessionRef = {
  router: 'rb-host1',
  hostId: 1,
  peerAddress: '169.254.101.1',
  peerAs: 65001,
  peerBgpId: '10.0.0.1',
  peerDistinguisher: '0:0',
};
const receivedAt = '2026-11-25T06:51:43.080Z';
const at = Date.parse(receivedAt);

const announced = (extra: Partial<RouteAnnouncedData> = {}): RouteAnnouncedData => ({
  session,
  family: 'ipv4-unicast',
  postPolicy: false,
  adjRibOut: false,
  prefixes: [
    { prefix: '192.0.2.0/24', pathId: null },
    { prefix: '198.51.100.0/24', pathId: 4 },
  ],
  attributes: {
    origin: 'igp',
    asPath: [65001, [65010, 65011]],
    nextHop: '169.254.101.1',
    nextHopLinkLocal: null,
    med: 50,
    localPref: null,
    atomicAggregate: false,
    aggregator: null,
    communities: ['65001:100'],
    extendedCommunities: [],
    largeCommunities: [],
  },
  receivedAt,
  routerTimestamp: null,
  ...extra,
});

describe('bgp event translation', () => {
  it('splits an announcement per prefix, keeping the decision attributes', () => {
    expect(fromRouteAnnounced(announced(), 12)).toEqual([
      {
        kind: 'announce',
        at,
        sessionId: 12,
        family: 'ipv4-unicast',
        prefix: '192.0.2.0/24',
        pathId: null,
        attributes: { origin: 'igp', asPath: [65001, [65010, 65011]], nextHop: '169.254.101.1', med: 50, localPref: null },
      },
      expect.objectContaining({ prefix: '198.51.100.0/24', pathId: 4 }),
    ]);
  });

  it('keeps only the pre-policy view and never Adj-RIB-Out', () => {
    expect(fromRouteAnnounced(announced({ postPolicy: true }), 12)).toEqual([]);
    expect(fromRouteAnnounced(announced({ postPolicy: false }), 12)).toHaveLength(2);
    expect(fromRouteAnnounced(announced({ adjRibOut: true }), 12)).toEqual([]);
    const withdrawn = {
      session,
      family: 'ipv6-unicast' as const,
      postPolicy: false,
      adjRibOut: false,
      prefixes: [{ prefix: '2a00::/32', pathId: null }],
      receivedAt,
      routerTimestamp: null,
    };
    expect(fromRouteWithdrawn(withdrawn, 3)).toEqual([
      { kind: 'withdraw', at, sessionId: 3, family: 'ipv6-unicast', prefix: '2a00::/32', pathId: null },
    ]);
    expect(fromEndOfRib({ session, family: 'ipv4-unicast', postPolicy: false, adjRibOut: false, receivedAt }, 3)).toEqual([
      { kind: 'end-of-rib', at, sessionId: 3, family: 'ipv4-unicast' },
    ]);
    expect(fromEndOfRib({ session, family: 'ipv4-unicast', postPolicy: true, adjRibOut: false, receivedAt }, 3)).toEqual([]);
  });

  it('maps session events: graceful-restart capability, families, and the down reasons that decide GR (a NOTIFICATION ends it)', () => {
    const up = {
      session,
      localAddress: '169.254.101.2',
      localPort: 179,
      remotePort: 40000,
      localAs: 64512,
      holdTimeSeconds: 90,
      families: ['ipv4-unicast' as const],
      receivedAt,
    };
    expect(fromSessionUp({ ...up, capabilities: ['4-octet-as', 'graceful-restart'] }, 5)).toEqual([
      { kind: 'session-up', at, sessionId: 5, families: ['ipv4-unicast'], gracefulRestart: true },
    ]);
    expect(fromSessionUp({ ...up, capabilities: [] }, 5)).toMatchObject([{ gracefulRestart: false }]);
    // The router did not report both OPENs: nothing is known, so nothing is decided from it.
    expect(fromSessionUp({ ...up, families: null, capabilities: null }, 5)).toEqual([{ kind: 'session-up', at, sessionId: 5 }]);
    const down = (reason: string) => fromSessionDown({ session, reason, notification: null, receivedAt }, 5);
    expect(down('peer-deconfigured')).toEqual([{ kind: 'session-down', at, sessionId: 5, graceful: false }]);
    expect(down('collector-connection-lost')).toEqual([{ kind: 'session-down', at, sessionId: 5, graceful: true }]);
    expect(down('remote-notification')).toEqual([{ kind: 'session-down', at, sessionId: 5, graceful: false }]);
    expect(down('local-notification')).toEqual([{ kind: 'session-down', at, sessionId: 5, graceful: false }]);
    expect(down('remote-no-notification')).toEqual([{ kind: 'session-down', at, sessionId: 5 }]);
    // A collector that died: BRM's down on its behalf keeps the routes stale, like a lost connection.
    expect(down('collector-lost')).toEqual([{ kind: 'session-down', at, sessionId: 5, graceful: true }]);
  });

  it('carries the BMP connection: the up records it with the session, a down applies only to it', () => {
    const up = {
      session,
      localAddress: '169.254.101.2',
      localPort: 179,
      remotePort: 40000,
      localAs: 64512,
      holdTimeSeconds: 90,
      families: ['ipv4-unicast' as const],
      capabilities: [],
      receivedAt,
      connection: 'rb-1.0a1b2c3d/4',
    };
    expect(fromSessionUp(up, 5)).toMatchObject([{ kind: 'session-up', reporter: { connection: 'rb-1.0a1b2c3d/4', session } }]);
    expect(
      fromSessionDown({ session, reason: 'collector-lost', notification: null, receivedAt, connection: 'rb-1.0a1b2c3d/4' }, 5),
    ).toEqual([{ kind: 'session-down', at, sessionId: 5, graceful: true, connection: 'rb-1.0a1b2c3d/4' }]);
  });

  it('returns the problem for a timestamp that is not one', () => {
    expect(fromRouteAnnounced(announced({ receivedAt: 'yesterday' }), 1)).toBe('receivedAt "yesterday" is not a timestamp');
  });
});
