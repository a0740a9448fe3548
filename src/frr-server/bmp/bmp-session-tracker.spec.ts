import { BmpSessionTracker, sessionContextOf } from './bmp-session-tracker.js';
import type { BgpCapability, PerPeerHeader } from './bmp-types.js';
import { ipv4Peer, open, peerUp } from '../../../test/fixtures/bmp/sample-messages.js';

const addPath = (ipv4: number, ipv6: number): BgpCapability => ({
  kind: 'addPath',
  families: [
    { afi: 1, safi: 1, sendReceive: ipv4 },
    { afi: 2, safi: 1, sendReceive: ipv6 },
  ],
});

describe('session context from the Peer Up OPENs', () => {
  it('uses 4-octet AS numbers only when both OPENs offer the capability', () => {
    const withoutCapability = { ...open(65001, '10.0.0.1'), capabilities: [] };
    expect(sessionContextOf(open(64512, '10.0.0.11'), open(65001, '10.0.0.1')).fourOctetAs).toBe(true);
    expect(sessionContextOf(open(64512, '10.0.0.11'), withoutCapability).fourOctetAs).toBe(false);
    expect(sessionContextOf(withoutCapability, open(64512, '10.0.0.11')).fourOctetAs).toBe(false);
  });

  it('expects path ids from the peer where it may send and the router receives, and the reverse to it', () => {
    // Router: receive IPv4, send+receive IPv6. Peer: send IPv4, receive IPv6.
    const context = sessionContextOf(open(64512, '10.0.0.11', [addPath(1, 3)]), open(65001, '10.0.0.1', [addPath(2, 1)]));
    expect([...context.addPathFromPeer]).toEqual(['1/1']);
    expect([...context.addPathToPeer]).toEqual(['2/1']);
  });

  it('expects no path ids when only one side offers ADD-PATH (FRR offers receive by default)', () => {
    const context = sessionContextOf(open(64512, '10.0.0.11', [addPath(1, 1)]), open(65001, '10.0.0.1', [addPath(1, 1)]));
    expect([context.addPathFromPeer.size, context.addPathToPeer.size]).toEqual([0, 0]);
  });
});

describe('BmpSessionTracker', () => {
  const adjRibOut: PerPeerHeader = { ...ipv4Peer, flags: { ...ipv4Peer.flags, adjRibOut: true } };
  const legacyAsPath: PerPeerHeader = { ...ipv4Peer, flags: { ...ipv4Peer.flags, legacyAsPath: true } };

  it('assumes 4-octet AS and no ADD-PATH for a peer without Peer Up, and says so', () => {
    const { context, assumed } = new BmpSessionTracker().decodingContextFor(ipv4Peer);
    expect([assumed, context.fourOctetAs, context.addPathFamilies.size]).toEqual([true, true, 0]);
  });

  it('picks the ADD-PATH direction by the O flag and honours the A flag', () => {
    const tracker = new BmpSessionTracker();
    tracker.peerUp({
      ...peerUp,
      sentOpen: open(64512, '10.0.0.11', [addPath(1, 3)]),
      receivedOpen: open(65001, '10.0.0.1', [addPath(2, 1)]),
    });
    expect([...tracker.decodingContextFor(ipv4Peer).context.addPathFamilies]).toEqual(['1/1']);
    expect([...tracker.decodingContextFor(adjRibOut).context.addPathFamilies]).toEqual(['2/1']);
    expect(tracker.decodingContextFor(ipv4Peer).context.fourOctetAs).toBe(true);
    expect(tracker.decodingContextFor(legacyAsPath)).toMatchObject({ assumed: false, context: { fourOctetAs: false } });
  });

  it('keys peers by distinguisher and address, forgets them on Peer Down, tolerates unknown ones', () => {
    const tracker = new BmpSessionTracker();
    tracker.peerUp(peerUp);
    expect(tracker.contextOf({ ...ipv4Peer, peerDistinguisher: '0000000100000001' })).toBeUndefined();
    expect(() => tracker.peerDown({ ...ipv4Peer, peerAddress: '192.0.2.99' })).not.toThrow();
    expect(tracker.size).toBe(1);
    tracker.peerDown(ipv4Peer);
    expect(tracker.size).toBe(0);
  });

  it('answers a run of one peer from its last look-up, and sees every Peer Up, Peer Down and Termination', () => {
    const tracker = new BmpSessionTracker();
    const other = { ...ipv4Peer, peerDistinguisher: '0000000100000001' };
    expect(tracker.contextOf(ipv4Peer)).toBeUndefined();
    tracker.peerUp(peerUp);
    const context = tracker.contextOf(ipv4Peer);
    expect(context).toBeDefined();
    expect(tracker.contextOf({ ...ipv4Peer })).toBe(context);
    expect(tracker.contextOf(other)).toBeUndefined();
    expect(tracker.contextOf(ipv4Peer)).toBe(context);
    tracker.peerDown(ipv4Peer);
    expect(tracker.contextOf(ipv4Peer)).toBeUndefined();
    tracker.peerUp(peerUp);
    expect(tracker.contextOf(ipv4Peer)).toBeDefined();
    tracker.clear();
    expect(tracker.contextOf(ipv4Peer)).toBeUndefined();
  });
});
