import { BmpDecodeError } from './bmp-decode-error.js';
import { decodeBmpMessage } from './bmp-decode.js';
import { encodeBmpMessage, encodePrefix } from './bmp-encode.js';
import { BmpSessionTracker } from './bmp-session-tracker.js';
import type { BmpMessage } from './bmp-types.js';
import { ByteReader, readPrefix } from './byte-reader.js';
import * as samples from '../../../test/fixtures/bmp/sample-messages.js';

function roundTrip(message: BmpMessage, sessions = new BmpSessionTracker()): BmpMessage {
  return decodeBmpMessage(encodeBmpMessage(message), sessions);
}

describe('BMP encode → decode round trip', () => {
  it.each([
    ['initiation', samples.initiation],
    ['termination', samples.termination],
    ['peer up with OPENs and capabilities', samples.peerUp],
    ['peer down with NOTIFICATION', samples.peerDownNotification],
    ['peer down with FSM event', samples.peerDownFsm],
    ['statistics report', samples.statisticsReport],
    ['route mirroring', samples.routeMirroring],
    ['unknown message type', samples.unknownMessage],
    ['route monitoring IPv6 MP_REACH (no peer up: context assumed)', samples.routeMonitoringIpv6],
  ])('%s', (_name, message) => {
    expect(roundTrip(message)).toEqual(message);
  });

  it('route monitoring IPv4 after its peer up (session context known)', () => {
    const sessions = new BmpSessionTracker();
    roundTrip(samples.peerUp, sessions);
    expect(roundTrip(samples.routeMonitoringIpv4, sessions)).toEqual(samples.routeMonitoringIpv4);
  });

  it('keeps the peer distinguisher of a VRF peer and of the global instance (all zeros)', () => {
    const sessions = new BmpSessionTracker();
    for (const peerDistinguisher of ['0000fde800000064', '0000000000000001', '0100000000000000', '0000000000000000']) {
      const message = { ...samples.routeMonitoringIpv6, peer: { ...samples.routeMonitoringIpv6.peer, peerDistinguisher } };
      expect(roundTrip(message, sessions)).toEqual(message);
    }
  });

  it('re-encodes decoded bytes identically', () => {
    const sessions = new BmpSessionTracker();
    for (const message of samples.sampleStream) {
      const bytes = encodeBmpMessage(message);
      expect(encodeBmpMessage(decodeBmpMessage(bytes, sessions))).toEqual(bytes);
    }
  });

  it('peer up derives the 4-octet AS from the capability when My AS is AS_TRANS', () => {
    const decoded = roundTrip(samples.peerUp);
    expect(decoded.kind === 'peerUp' && [decoded.receivedOpen?.myAs, decoded.receivedOpen?.asn]).toEqual([23456, 4200000001]);
  });

  it('switches an OPEN to RFC 9072 extended optional parameters beyond 255 bytes', () => {
    const many = Array.from({ length: 70 }, (_, i) => ({ kind: 'multiprotocol' as const, afi: 1, safi: i }));
    const message = { ...samples.peerUp, sentOpen: { ...samples.peerUp.sentOpen!, capabilities: many } };
    const bytes = encodeBmpMessage(message);
    const sentOpenStart = 6 + 42 + 20;
    expect([bytes[sentOpenStart + 28], bytes[sentOpenStart + 29]]).toEqual([255, 255]);
    expect(roundTrip(message)).toEqual(message);
  });

  it('refuses to encode a 4-octet AS into a 2-octet AS_PATH', () => {
    expect(() => encodeBmpMessage(samples.routeMonitoringIpv4, { fourOctetAs: false, addPathFamilies: new Set() })).toThrow(
      'AS 4200000001 does not fit a 2-octet AS_PATH',
    );
  });
});

describe('ByteReader', () => {
  it('names the field, the shortfall and the absolute offset', () => {
    const reader = new ByteReader(Buffer.from([1, 2, 3]), 100);
    reader.u8('first');
    expect(() => reader.u32('peer AS')).toThrow(new BmpDecodeError('peer AS: needs 4 bytes, 2 remain', 101));
    expect(reader.offset).toBe(101);
  });

  it('sub-readers keep absolute offsets and cannot read past their field', () => {
    const reader = new ByteReader(Buffer.from([0, 0, 7, 8, 9]), 10);
    reader.u16('skip');
    const field = reader.sub(2, 'field');
    expect(field.offset).toBe(12);
    field.u16('value');
    expect(() => field.u8('beyond')).toThrow(new BmpDecodeError('beyond: needs 1 byte, 0 remain', 14));
    expect(reader.u8('after')).toBe(9);
  });
});

describe('NLRI prefixes', () => {
  it('clears host bits beyond the prefix length', () => {
    const reader = new ByteReader(Buffer.from([20, 10, 1, 0xff, 33, 0x20, 0x01, 0x0d, 0xb8, 0x7f]));
    expect(readPrefix(reader, 1, 'NLRI')).toBe('10.1.240.0/20');
    expect(readPrefix(reader, 2, 'NLRI')).toBe('2001:db8::/33');
  });

  it('encodes prefixes with just enough bytes', () => {
    expect(encodePrefix('10.0.0.0/8', 1).toString('hex')).toBe('080a');
    expect(encodePrefix('0.0.0.0/0', 1).toString('hex')).toBe('00');
    expect(encodePrefix('2001:db8::/32', 2).toString('hex')).toBe('2020010db8');
    expect(() => encodePrefix('10.0.0.0/33', 1)).toThrow('not an IPv4 prefix: 10.0.0.0/33');
  });

  it('refuses an address the shared parsers refuse', () => {
    expect(() => encodePrefix('010.0.0.0/8', 1)).toThrow('not an IPv4 address: 010.0.0.0');
    expect(() => encodePrefix('fe80::%eth0/64', 2)).toThrow('not an IPv6 address: fe80::%eth0');
  });
});
