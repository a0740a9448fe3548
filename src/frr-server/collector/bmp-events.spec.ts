import type { BmpMessage, PerPeerHeader, RouteMonitoringMessage } from '../bmp/bmp-types.js';
import { eventsOf, negotiatedFamilies, peerDownReason, withoutSenderPrepend } from './bmp-events.js';

const peer: PerPeerHeader = {
  peerType: 0,
  flags: { ipv6: false, postPolicy: false, legacyAsPath: false, adjRibOut: false, locRibFiltered: false },
  peerDistinguisher: '0000000000000000',
  peerAddress: '169.254.101.1',
  peerAs: 65001,
  peerBgpId: '10.0.0.1',
  timestampSeconds: 1795580000,
  timestampMicroseconds: 250000,
};
const identity = { router: 'rb-host1', hostId: 7, connection: 'test.run/1' };
const at = new Date('2026-11-25T06:00:00.000Z');

function update(partial: Partial<RouteMonitoringMessage['update']>): BmpMessage {
  return {
    kind: 'routeMonitoring',
    peer,
    contextAssumed: false,
    update: { withdrawnRoutes: [], attributes: [], routes: [], asPath: null, endOfRib: null, ...partial },
  };
}

describe('eventsOf', () => {
  it('turns one UPDATE into one announcement per family with its attributes, not one per prefix', () => {
    const events = eventsOf(
      update({
        routes: [{ prefix: '203.0.113.0/24' }, { prefix: '198.51.100.0/24' }],
        asPath: [
          { kind: 'sequence', asns: [64512, 65001, 4200000001] },
          { kind: 'set', asns: [65010, 65011] },
        ],
        attributes: [
          { kind: 'origin', origin: 'igp', code: 1, flags: 0x40 },
          { kind: 'nextHop', nextHop: '169.254.101.1', code: 3, flags: 0x40 },
          { kind: 'multiExitDisc', med: 50, code: 4, flags: 0x80 },
          { kind: 'communities', communities: ['65001:100'], code: 8, flags: 0xc0 },
          { kind: 'largeCommunities', communities: ['65001:1:2'], code: 32, flags: 0xc0 },
          { kind: 'aggregator', asn: 23456, address: '10.0.0.1', asnOctets: 2, code: 7, flags: 0xc0 },
          { kind: 'as4Aggregator', asn: 4200000001, address: '10.0.0.1', code: 18, flags: 0xc0 },
          {
            kind: 'mpReachNlri',
            afi: 2,
            safi: 1,
            nextHops: ['fd00:101::1', 'fe80::1'],
            routes: [{ prefix: '2001:db8:1::/48', pathId: 7 }],
            code: 14,
            flags: 0x80,
          },
        ],
      }),
      identity,
      at,
      64512,
    );
    expect(events.map((event) => [event.topic, event.type])).toEqual([
      ['bgp.route-events.v1', 'net.route-broker.bgp.route-announced.v1'],
      ['bgp.route-events.v1', 'net.route-broker.bgp.route-announced.v1'],
    ]);
    const [v6, v4] = events.map((event) => event.data as Record<string, unknown>);
    expect(v4).toMatchObject({
      family: 'ipv4-unicast',
      prefixes: [
        { prefix: '203.0.113.0/24', pathId: null },
        { prefix: '198.51.100.0/24', pathId: null },
      ],
      attributes: {
        origin: 'igp',
        asPath: [65001, 4200000001, [65010, 65011]],
        nextHop: '169.254.101.1',
        med: 50,
        communities: ['65001:100'],
        largeCommunities: ['65001:1:2'],
        aggregator: { as: 4200000001, address: '10.0.0.1' },
      },
      receivedAt: '2026-11-25T06:00:00.000Z',
      routerTimestamp: new Date(1795580000250).toISOString(),
      session: { router: 'rb-host1', hostId: 7, peerAddress: '169.254.101.1', peerAs: 65001 },
    });
    expect(v6).toMatchObject({
      family: 'ipv6-unicast',
      prefixes: [{ prefix: '2001:db8:1::/48', pathId: 7 }],
      attributes: { nextHop: 'fd00:101::1', nextHopLinkLocal: 'fe80::1' },
    });
  });

  it('reports withdrawals per family and End-of-RIB on its own', () => {
    const withdrawn = eventsOf(
      update({
        withdrawnRoutes: [{ prefix: '203.0.113.0/24' }],
        attributes: [{ kind: 'mpUnreachNlri', afi: 2, safi: 1, withdrawnRoutes: [{ prefix: '2001:db8:1::/48' }], code: 15, flags: 0x80 }],
      }),
      identity,
      at,
    );
    expect(withdrawn.map((event) => [event.type, (event.data as { family: string }).family])).toEqual([
      ['net.route-broker.bgp.route-withdrawn.v1', 'ipv4-unicast'],
      ['net.route-broker.bgp.route-withdrawn.v1', 'ipv6-unicast'],
    ]);
    const eor = eventsOf(update({ endOfRib: { afi: 2, safi: 1 } }), identity, at);
    expect(eor).toEqual([
      expect.objectContaining({ type: 'net.route-broker.bgp.end-of-rib.v1', data: expect.objectContaining({ family: 'ipv6-unicast' }) }),
    ]);
    expect(eventsOf(update({ endOfRib: { afi: 1, safi: 128 } }), identity, at)).toEqual([]);
  });

  it('reports a Peer Down with the reason in words, on the session topic and (for route consumers, in order) the route topic', () => {
    const [event, copy] = eventsOf(
      {
        kind: 'peerDown',
        peer,
        reason: 3,
        notification: { code: 6, subcode: 2, data: Buffer.alloc(0) },
        fsmEvent: null,
        information: [],
        data: Buffer.alloc(0),
      },
      identity,
      at,
    );
    expect(event).toMatchObject({
      topic: 'bgp.session-events.v1',
      type: 'net.route-broker.bgp.session-down.v1',
      data: { reason: 'remote-notification', notification: { code: 6, subcode: 2 } },
    });
    expect(copy).toEqual({ ...event, topic: 'bgp.route-events.v1' });
    expect(peerDownReason(42)).toBe('reason-42');
  });

  it('reports a session up whose OPENs the router did not both keep, with what they would have said as null (unknown, not none)', () => {
    const open = {
      version: 4,
      myAs: 64512,
      asn: 64512,
      holdTimeSeconds: 9,
      bgpId: '10.0.0.11',
      capabilities: [{ kind: 'multiprotocol' as const, afi: 1, safi: 1 }],
      otherParameters: [],
    };
    const base = { kind: 'peerUp' as const, peer, localAddress: '169.254.101.2', localPort: 34468, remotePort: 179, information: [] };
    const [withoutReceived] = eventsOf({ ...base, sentOpen: open, receivedOpen: null }, identity, at);
    expect(withoutReceived).toMatchObject({
      type: 'net.route-broker.bgp.session-up.v1',
      data: { localAs: 64512, holdTimeSeconds: null, capabilities: null, families: null, localAddress: '169.254.101.2' },
    });
    const [withoutBoth] = eventsOf({ ...base, sentOpen: null, receivedOpen: null }, identity, at);
    expect(withoutBoth).toMatchObject({ data: { localAs: null, holdTimeSeconds: null, capabilities: null, families: null } });
    const [whole] = eventsOf({ ...base, sentOpen: open, receivedOpen: { ...open, asn: 65001, myAs: 65001 } }, identity, at);
    expect(whole).toMatchObject({
      data: { localAs: 64512, holdTimeSeconds: 9, capabilities: ['multiprotocol:ipv4-unicast'], families: ['ipv4-unicast'] },
    });
  });

  it('gives Initiation, Termination and unknown messages no events', () => {
    expect(eventsOf({ kind: 'initiation', information: [] }, identity, at)).toEqual([]);
    expect(eventsOf({ kind: 'unknown', messageType: 99, body: Buffer.alloc(3) }, identity, at)).toEqual([]);
  });
});

describe('withoutSenderPrepend (FRR BMP prepends its own AS on eBGP sessions)', () => {
  it('drops the receiver AS at the front of an eBGP path', () =>
    expect(withoutSenderPrepend([64512, 65001], 64512, 65001, false)).toEqual([65001]));
  it('leaves a correct path alone', () => expect(withoutSenderPrepend([65001, 64512], 64512, 65001, false)).toEqual([65001, 64512]));
  it('leaves iBGP, Adj-RIB-Out and unknown local AS alone', () => {
    expect(withoutSenderPrepend([64512, 65001], 64512, 64512, false)).toEqual([64512, 65001]);
    expect(withoutSenderPrepend([64512, 65001], 64512, 65001, true)).toEqual([64512, 65001]);
    expect(withoutSenderPrepend([64512, 65001], null, 65001, false)).toEqual([64512, 65001]);
  });
});

describe('negotiatedFamilies', () => {
  const open = (families: [number, number][]) => ({
    version: 4,
    myAs: 1,
    asn: 1,
    holdTimeSeconds: 9,
    bgpId: '1.1.1.1',
    otherParameters: [],
    capabilities: families.map(([afi, safi]) => ({ kind: 'multiprotocol' as const, afi, safi })),
  });
  it('keeps the families both sides offered; IPv4 unicast when neither offered any', () => {
    expect(
      negotiatedFamilies(
        open([
          [1, 1],
          [2, 1],
        ]),
        open([[2, 1]]),
      ),
    ).toEqual(['ipv6-unicast']);
    expect(negotiatedFamilies(open([]), open([]))).toEqual(['ipv4-unicast']);
  });
});
