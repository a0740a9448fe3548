/**
 * Hand-built byte fixtures for the cases real routers rarely produce on demand. Every byte is
 * written out here (with `bmp()` and `bgp()` only adding the common and BGP headers), so these
 * tests do not depend on the encoder.
 */
import { BmpDecodeError } from './bmp-decode-error.js';
import { decodeBmpMessage } from './bmp-decode.js';
import { BmpSessionTracker } from './bmp-session-tracker.js';
import { BmpStreamDecoder } from './bmp-stream-decoder.js';
import type { BmpMessage, PeerUpMessage, RouteMonitoringMessage } from './bmp-types.js';

const hex = (text: string) => Buffer.from(text.replace(/\s+/g, ''), 'hex');

/** Common header (version 3, length, type) + body. */
function bmp(type: number, body: string): Buffer {
  const bytes = hex(body);
  const header = Buffer.alloc(6);
  header.writeUInt8(3, 0);
  header.writeUInt32BE(6 + bytes.length, 1);
  header.writeUInt8(type, 5);
  return Buffer.concat([header, bytes]);
}

/** BGP header (marker, length, type) + body, as hex. */
function bgp(type: number, body: string): string {
  const length = 19 + hex(body).length;
  return 'ff'.repeat(16) + length.toString(16).padStart(4, '0') + type.toString(16).padStart(2, '0') + body;
}

/** An UPDATE from its three sections. */
function update(withdrawn: string, attributes: string, nlri: string): string {
  const length = (section: string) => hex(section).length.toString(16).padStart(4, '0');
  return bgp(2, length(withdrawn) + withdrawn + length(attributes) + attributes + nlri);
}

// Per-peer headers: type, flags, distinguisher, address (IPv4 in the last 4 bytes), AS 65001,
// BGP id 10.0.0.1, timestamp 1700000000.123456.
const IPV4_PEER = '00 00 0000000000000000 000000000000000000000000a9fe6501 0000fde9 0a000001 6553f100 0001e240';
const IPV4_PEER_2OCTET_FLAG = IPV4_PEER.replace(/^00 00/, '00 20');
const IPV6_PEER = '00 80 0000000000000000 fd000101000000000000000000000001 0000fde9 0a000001 6553f100 0001e240';
const IPV4_PEER_ADJ_RIB_OUT = IPV4_PEER.replace(/^00 00/, '00 10');

/** Peer Up: local address 169.254.101.2, ports 34468 → 179, then the two OPENs (hex bodies). */
function peerUp(sentOpen: string, receivedOpen: string): Buffer {
  return bmp(3, IPV4_PEER + '000000000000000000000000a9fe6502 86a4 00b3' + bgp(1, sentOpen) + bgp(1, receivedOpen));
}
// OPEN bodies: version 4, my AS, hold time 9, BGP id, optional parameters.
const OPEN_64512_NO_CAPABILITIES = '04 fc00 0009 0a00000b 00';
const OPEN_65001_NO_CAPABILITIES = '04 fde9 0009 0a000001 00';
// Capabilities: 4-octet AS (65), ADD-PATH (69) IPv4 unicast and IPv6 unicast with the given send/receive.
const openWithAddPath = (asn: string, bgpId: string, ipv4Direction: string, ipv6Direction: string) =>
  `04 ${asn.slice(-4)} 0009 ${bgpId} 14 02 06 41 04 0000${asn.slice(-4)} 02 0a 45 08 0001 01 ${ipv4Direction} 0002 01 ${ipv6Direction}`;

function decodeAll(...frames: Buffer[]): BmpMessage[] {
  const sessions = new BmpSessionTracker();
  return frames.map((frame) => decodeBmpMessage(frame, sessions));
}

function lastUpdate(messages: BmpMessage[]): RouteMonitoringMessage {
  const last = messages[messages.length - 1];
  if (last?.kind !== 'routeMonitoring') throw new Error(`expected route monitoring, got ${last?.kind}`);
  return last;
}

describe('4-octet AS numbers over a 2-octet session (RFC 6793)', () => {
  // AS_PATH 65001 23456 (AS_TRANS) in 2-octet form, AS4_PATH 4200000001.
  const attributes = '40 01 01 00  40 02 06 02 02 fde9 5ba0  40 03 04 a9fe6501  c0 11 06 02 01 fa56ea01';

  it('merges AS4_PATH into AS_PATH when the A flag marks a 2-octet AS_PATH', () => {
    const message = lastUpdate(decodeAll(bmp(0, IPV4_PEER_2OCTET_FLAG + update('', attributes, '18 cb0071'))));
    expect(message.contextAssumed).toBe(true);
    expect(message.update.attributes.find((attribute) => attribute.kind === 'asPath')).toMatchObject({
      segments: [{ kind: 'sequence', asns: [65001, 23456] }],
    });
    expect(message.update.asPath).toEqual([{ kind: 'sequence', asns: [65001, 4200000001] }]);
    expect(message.update.routes).toEqual([{ prefix: '203.0.113.0/24' }]);
  });

  it('merges when the Peer Up OPENs did not both offer the 4-octet AS capability', () => {
    const messages = decodeAll(
      peerUp(OPEN_64512_NO_CAPABILITIES, OPEN_65001_NO_CAPABILITIES),
      bmp(0, IPV4_PEER + update('', attributes, '18 cb0071')),
    );
    expect((messages[0] as PeerUpMessage).receivedOpen).toMatchObject({ myAs: 65001, asn: 65001, bgpId: '10.0.0.1', capabilities: [] });
    const message = lastUpdate(messages);
    expect(message.contextAssumed).toBe(false);
    expect(message.update.asPath).toEqual([{ kind: 'sequence', asns: [65001, 4200000001] }]);
  });

  it('ignores AS4_PATH when AGGREGATOR names a 2-octet AS (RFC 6793 §4.2.3)', () => {
    const withAggregator = attributes + ' c0 07 06 fdea 0a000002';
    const message = lastUpdate(decodeAll(bmp(0, IPV4_PEER_2OCTET_FLAG + update('', withAggregator, '18 cb0071'))));
    expect(message.update.attributes).toContainEqual({
      kind: 'aggregator',
      asn: 65002,
      address: '10.0.0.2',
      asnOctets: 2,
      code: 7,
      flags: 0xc0,
    });
    expect(message.update.asPath).toEqual([{ kind: 'sequence', asns: [65001, 23456] }]);
  });
});

it('decodes AS_SET segments', () => {
  const attributes = '40 01 01 00  40 02 10 02 01 0000fde9 01 02 0000fdf2 0000fdfc  40 03 04 a9fe6501';
  const message = lastUpdate(decodeAll(bmp(0, IPV4_PEER + update('', attributes, '18 cb0071'))));
  expect(message.update.asPath).toEqual([
    { kind: 'sequence', asns: [65001] },
    { kind: 'set', asns: [65010, 65020] },
  ]);
});

it('decodes IPv6 MP_REACH_NLRI with a global and a link-local next hop (32 bytes)', () => {
  const mpReach = '90 0e 002c 0002 01 20 fd000101000000000000000000000001 fe800000000000000000000000000001 00 30 20010db80001';
  const attributes = '40 01 01 00  40 02 06 02 01 0000fde9 ' + mpReach;
  const message = lastUpdate(decodeAll(bmp(0, IPV6_PEER + update('', attributes, ''))));
  expect(message.peer).toMatchObject({ peerAddress: 'fd00:101::1', flags: { ipv6: true } });
  expect(message.update.attributes[2]).toEqual({
    kind: 'mpReachNlri',
    afi: 2,
    safi: 1,
    nextHops: ['fd00:101::1', 'fe80::1'],
    routes: [{ prefix: '2001:db8:1::/48' }],
    code: 14,
    flags: 0x90,
  });
  expect(message.update.endOfRib).toBeNull();
});

describe('ADD-PATH path identifiers (RFC 7911)', () => {
  // The router (sent OPEN) can receive IPv4 and IPv6; the peer (received OPEN) can send IPv4 only.
  const addPathPeerUp = peerUp(openWithAddPath('fc00', '0a00000b', '01', '01'), openWithAddPath('fde9', '0a000001', '02', '01'));
  const attributes = '40 01 01 00  40 02 06 02 01 0000fde9  40 03 04 a9fe6501';

  it('reads a path id before each IPv4 route and withdrawal received from the peer', () => {
    const message = lastUpdate(
      decodeAll(addPathPeerUp, bmp(0, IPV4_PEER + update('00000009 18 c63364', attributes, '00000007 18 cb0071 00000008 18 cb0071'))),
    );
    expect(message.update.withdrawnRoutes).toEqual([{ prefix: '198.51.100.0/24', pathId: 9 }]);
    expect(message.update.routes).toEqual([
      { prefix: '203.0.113.0/24', pathId: 7 },
      { prefix: '203.0.113.0/24', pathId: 8 },
    ]);
  });

  it('reads no path ids for IPv6, which the peer did not offer to send', () => {
    const mpReach = '90 0e 001c 0002 01 10 fd000101000000000000000000000001 00 30 20010db80001';
    const message = lastUpdate(decodeAll(addPathPeerUp, bmp(0, IPV6_PEER + update('', attributes + mpReach, ''))));
    expect(message.update.attributes).toContainEqual(
      expect.objectContaining({ kind: 'mpReachNlri', routes: [{ prefix: '2001:db8:1::/48' }] }),
    );
  });

  it('reads no path ids in Adj-RIB-Out, where the router would be the sender and did not offer to send', () => {
    const message = lastUpdate(decodeAll(addPathPeerUp, bmp(0, IPV4_PEER_ADJ_RIB_OUT + update('', attributes, '18 cb0071'))));
    expect(message.update.routes).toEqual([{ prefix: '203.0.113.0/24' }]);
  });
});

describe("a Peer Up carrying a bare OPEN header for an OPEN the router did not keep (FRR's dummy_open)", () => {
  // FRR 8.4 (bgp_bmp.c) writes the 19-byte header alone, length 0x0013, type OPEN, and logs
  // "bmp: missing RX OPEN message for peer ..."; the CI lab caught one for a received OPEN.
  const withoutReceivedOpen = peerUp(openWithAddPath('fc00', '0a00000b', '01', '01'), '');
  const attributes = '40 01 01 00  40 02 06 02 01 0000fde9  40 03 04 a9fe6501';

  it('decodes the Peer Up with the missing OPEN as null and the other one whole', () => {
    const [message] = decodeAll(withoutReceivedOpen) as [PeerUpMessage];
    expect(message.kind).toBe('peerUp');
    expect(message.receivedOpen).toBeNull();
    expect(message.sentOpen).toMatchObject({ version: 4, asn: 64512, holdTimeSeconds: 9, bgpId: '10.0.0.11' });
    expect(withoutReceivedOpen.subarray(withoutReceivedOpen.length - 19).toString('hex')).toBe('ff'.repeat(16) + '001301');
  });

  it("reads the session's UPDATEs with the assumed context and says so, since nothing negotiated is known", () => {
    // The sent OPEN offers to receive path ids; without the peer's OPEN they are not assumed.
    const message = lastUpdate(decodeAll(withoutReceivedOpen, bmp(0, IPV4_PEER + update('', attributes, '18 cb0071'))));
    expect(message.contextAssumed).toBe(true);
    expect(message.update.routes).toEqual([{ prefix: '203.0.113.0/24' }]);
  });

  it('forgets an earlier context of the peer: a Peer Up without OPENs starts a session whose context is unknown', () => {
    const sessions = new BmpSessionTracker();
    const full = peerUp(openWithAddPath('fc00', '0a00000b', '01', '01'), openWithAddPath('fde9', '0a000001', '02', '01'));
    decodeBmpMessage(full, sessions);
    expect(sessions.size).toBe(1);
    decodeBmpMessage(peerUp('', ''), sessions);
    expect(sessions.size).toBe(0);
  });

  it('still refuses an OPEN cut short after its header', () => {
    const decoder = new BmpStreamDecoder();
    expect(() => decoder.push(peerUp(OPEN_64512_NO_CAPABILITIES, '04 fde9'))).toThrow('received OPEN hold time: needs 2 bytes, 0 remain');
  });
});

describe('End-of-RIB (RFC 4724 §2)', () => {
  it('an empty UPDATE ends IPv4 unicast', () => {
    expect(lastUpdate(decodeAll(bmp(0, IPV4_PEER + update('', '', '')))).update.endOfRib).toEqual({ afi: 1, safi: 1 });
  });

  it('an UPDATE holding only an empty MP_UNREACH_NLRI ends that family', () => {
    expect(lastUpdate(decodeAll(bmp(0, IPV6_PEER + update('', '80 0f 03 0002 01', '')))).update.endOfRib).toEqual({ afi: 2, safi: 1 });
  });

  it('an MP_UNREACH_NLRI with withdrawals is not an End-of-RIB', () => {
    const message = lastUpdate(decodeAll(bmp(0, IPV6_PEER + update('', '80 0f 0a 0002 01 30 20010db80002', ''))));
    expect(message.update.endOfRib).toBeNull();
    expect(message.update.attributes[0]).toMatchObject({ kind: 'mpUnreachNlri', withdrawnRoutes: [{ prefix: '2001:db8:2::/48' }] });
  });
});

describe('attributes the decoder does not understand are kept, never fatal', () => {
  it('keeps an unknown attribute with its code, flags and bytes', () => {
    const attributes = '40 01 01 00  40 02 06 02 01 0000fde9  40 03 04 a9fe6501  c0 3f 03 abcdef';
    const message = lastUpdate(decodeAll(bmp(0, IPV4_PEER + update('', attributes, '18 cb0071'))));
    expect(message.update.attributes[3]).toEqual({ kind: 'unknown', code: 63, flags: 0xc0, value: hex('abcdef') });
    expect(message.update.routes).toEqual([{ prefix: '203.0.113.0/24' }]);
  });

  it('keeps a known attribute with bad contents raw, with the reason', () => {
    const message = lastUpdate(decodeAll(bmp(0, IPV4_PEER + update('', '40 01 01 07  40 05 03 000064', '18 cb0071'))));
    expect(message.update.attributes).toEqual([
      { kind: 'unknown', code: 1, flags: 0x40, value: hex('07'), problem: 'ORIGIN value is not 0, 1 or 2' },
      { kind: 'unknown', code: 5, flags: 0x40, value: hex('000064'), problem: 'LOCAL_PREF length 3, expected 4' },
    ]);
  });

  it('reads an attribute with the extended-length flag (2-byte length)', () => {
    const message = lastUpdate(decodeAll(bmp(0, IPV4_PEER + update('', 'd0 08 0008 fde90064 fde900c8', '18 cb0071'))));
    expect(message.update.attributes[0]).toEqual({ kind: 'communities', communities: ['65001:100', '65001:200'], code: 8, flags: 0xd0 });
  });
});

it('keeps an unknown BMP message type with its body', () => {
  expect(decodeAll(bmp(200, '68656c6c6f'))).toEqual([{ kind: 'unknown', messageType: 200, body: Buffer.from('hello') }]);
});

describe('peer down', () => {
  it('a Peer Down for a peer never seen up is decoded and forgets nothing', () => {
    const sessions = new BmpSessionTracker();
    const message = decodeBmpMessage(bmp(2, IPV4_PEER + '02 0012'), sessions);
    expect(message).toMatchObject({ kind: 'peerDown', reason: 2, fsmEvent: 18, notification: null });
    expect(sessions.size).toBe(0);
  });

  it('a Peer Down removes the session context of a peer that was up', () => {
    const sessions = new BmpSessionTracker();
    decodeBmpMessage(peerUp(OPEN_64512_NO_CAPABILITIES, OPEN_65001_NO_CAPABILITIES), sessions);
    expect(sessions.size).toBe(1);
    decodeBmpMessage(bmp(2, IPV4_PEER + '04'), sessions);
    expect(sessions.size).toBe(0);
  });

  it('a reason 3 Peer Down carries the NOTIFICATION', () => {
    const message = decodeBmpMessage(bmp(2, IPV4_PEER + '03' + bgp(3, '06 02 6279')), new BmpSessionTracker());
    expect(message).toMatchObject({ reason: 3, notification: { code: 6, subcode: 2, data: Buffer.from('by') } });
  });

  it.each([
    ['reason 2 without its FSM event', '02', 'peer down reason 2 FSM event: needs 2 bytes, 0 remain', 49],
    ['reason 1 without its NOTIFICATION', '01', 'peer down reason 1 BGP marker: needs 16 bytes, 0 remain', 49],
    ['no reason at all', '', 'peer down reason: needs 1 byte, 0 remain', 48],
  ])('a short body (%s) fails clearly', (_name, body, problem, offset) => {
    expect(() => decodeBmpMessage(bmp(2, IPV4_PEER + body), new BmpSessionTracker())).toThrow(new BmpDecodeError(problem, offset));
  });
});

describe('malformed input fails with the offset and the reason', () => {
  const valid = bmp(4, '0001 0003 667272');
  const failure = (...chunks: Buffer[]): BmpDecodeError => {
    const decoder = new BmpStreamDecoder();
    try {
      for (const chunk of chunks) decoder.push(chunk);
      decoder.end();
    } catch (error) {
      if (error instanceof BmpDecodeError) return error;
      throw error;
    }
    throw new Error('no error');
  };
  // Offsets within a route monitoring message: common header 6 + per-peer header 42 + BGP header 19 = 67.
  const routeMonitoring = (withdrawn: string, attributes: string, nlri: string) => bmp(0, IPV4_PEER + update(withdrawn, attributes, nlri));

  it.each<[string, Buffer[], string, number]>([
    ['a truncated common header', [valid, hex('030000')], 'stream ended inside a BMP message (3 bytes buffered)', valid.length],
    ['a wrong version', [valid, hex('01 00000006 04')], 'unsupported BMP version 1, expected 3', valid.length],
    ['a length smaller than the header', [hex('03 00000005 04')], 'BMP message length 5 is smaller than the 6-byte common header', 1],
    ['a length above the maximum', [hex('03 001e8480 00')], 'BMP message length 2000000 exceeds the maximum of 1048576 bytes', 1],
    [
      'an attribute length overrunning the attributes',
      [routeMonitoring('', '40 01 05 00', '')],
      'path attribute 1 length 5 overruns the 1 bytes left of the path attributes',
      67 + 4,
    ],
    ['a prefix length of 33', [routeMonitoring('', '', '21 0a000000 00')], 'NLRI prefix length 33 exceeds 32 bits', 67 + 4],
    ['NLRI running past the end', [routeMonitoring('', '', '18 cb00')], 'NLRI prefix /24: needs 3 bytes, 2 remain', 67 + 5],
    [
      'a withdrawn routes length overrunning the UPDATE',
      [bmp(0, IPV4_PEER + bgp(2, '0009 0000'))],
      'withdrawn routes length 9 overruns the 2 bytes left of the UPDATE',
      67,
    ],
    [
      'a BGP marker that is not all ones',
      [bmp(0, IPV4_PEER + '00'.repeat(16) + '0017 02 0000 0000')],
      'route monitoring BGP marker is not all ones',
      48,
    ],
    [
      'an IPv6 prefix longer than 128 bits',
      [bmp(0, IPV6_PEER + update('', '80 0f 04 0002 01 81', ''))],
      'MP_UNREACH_NLRI prefix length 129 exceeds 128 bits',
      67 + 4 + 6,
    ],
  ])('%s', (_name, chunks, problem, offset) => {
    const error = failure(...chunks);
    expect(error.problem).toBe(problem);
    expect(error.offset).toBe(offset);
    expect(error.message).toBe(`${problem} (at byte ${offset})`);
  });
});
