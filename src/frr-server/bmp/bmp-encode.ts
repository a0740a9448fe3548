import {
  AS_TRANS,
  Afi,
  AsPathSegmentType,
  BMP_VERSION,
  BgpCapabilityCode,
  BgpMessageType,
  BgpOptionalParameterType,
  BmpMessageType,
  BmpPeerFlag,
  BmpPeerType,
  PathAttributeFlag,
  Safi,
} from './bmp-constants.js';
import type {
  AsPathSegment,
  AsPathSegmentKind,
  BgpCapability,
  BgpNotificationMessage,
  BgpOpenMessage,
  BgpUpdateMessage,
  BmpMessage,
  ExtendedCommunity,
  InformationTlv,
  PathAttribute,
  PerPeerHeader,
  Route,
  Statistic,
} from './bmp-types.js';
import { afiSafiKey, type UpdateDecodingContext } from './bgp-update.js';
import { addressToBytes, ipv4ToBytes, ipv6ToBytes } from '../../common/net/ip-address.js';

/**
 * Builds BMP messages from the decoded shapes (bmp-types.ts): for round-trip tests and for the
 * benchmark stream generator, so it writes into one growing buffer without intermediate copies.
 * Derived fields of a decoded message (BgpUpdateMessage.asPath and endOfRib, BgpOpenMessage.asn,
 * TerminationMessage.reason) are ignored: the attributes, capabilities and TLVs they come from are
 * encoded instead. Values the wire cannot hold (an AS above 65535 in a 2-octet AS_PATH, a
 * malformed address) throw a RangeError.
 */
export function encodeBmpMessage(message: BmpMessage, update: UpdateDecodingContext = defaultUpdateContext(message)): Buffer {
  const writer = new ByteWriter();
  writer.u8(BMP_VERSION);
  const lengthAt = writer.reserve(4);
  switch (message.kind) {
    case 'initiation':
      writer.u8(BmpMessageType.Initiation);
      writeInformationTlvs(writer, message.information);
      break;
    case 'termination':
      writer.u8(BmpMessageType.Termination);
      writeInformationTlvs(writer, message.information);
      break;
    case 'peerUp': {
      writer.u8(BmpMessageType.PeerUpNotification);
      writePerPeerHeader(writer, message.peer);
      writeAddress16(writer, message.localAddress, message.peer.flags.ipv6);
      writer.u16(message.localPort);
      writer.u16(message.remotePort);
      writeOpen(writer, message.sentOpen);
      writeOpen(writer, message.receivedOpen);
      writeInformationTlvs(writer, message.information);
      break;
    }
    case 'peerDown':
      writer.u8(BmpMessageType.PeerDownNotification);
      writePerPeerHeader(writer, message.peer);
      writer.u8(message.reason);
      if (message.notification !== null) writeNotification(writer, message.notification);
      if (message.fsmEvent !== null) writer.u16(message.fsmEvent);
      writeInformationTlvs(writer, message.information);
      writer.bytes(message.data);
      break;
    case 'routeMonitoring':
      writer.u8(BmpMessageType.RouteMonitoring);
      writePerPeerHeader(writer, message.peer);
      writeUpdate(writer, message.update, update);
      break;
    case 'statisticsReport':
      writer.u8(BmpMessageType.StatisticsReport);
      writePerPeerHeader(writer, message.peer);
      writer.u32(message.statistics.length);
      for (const statistic of message.statistics) writeStatistic(writer, statistic);
      break;
    case 'routeMirroring':
      writer.u8(BmpMessageType.RouteMirroring);
      writePerPeerHeader(writer, message.peer);
      for (const tlv of message.tlvs) writeTlv(writer, tlv.type, tlv.value);
      break;
    case 'unknown':
      writer.u8(message.messageType);
      writer.bytes(message.body);
      break;
  }
  writer.patchU32(lengthAt, writer.length);
  return writer.finish();
}

/** 4-octet AS unless the A flag says otherwise, no ADD-PATH: what an FRR session without ADD-PATH sends. */
function defaultUpdateContext(message: BmpMessage): UpdateDecodingContext {
  return { fourOctetAs: !(message.kind === 'routeMonitoring' && message.peer.flags.legacyAsPath), addPathFamilies: new Set() };
}

/** A growing buffer; `finish` returns exactly the bytes written. */
class ByteWriter {
  private buffer = Buffer.allocUnsafe(512);
  private used = 0;

  get length(): number {
    return this.used;
  }

  private ensure(byteCount: number): void {
    if (this.used + byteCount <= this.buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.used + byteCount));
    this.buffer.copy(grown, 0, 0, this.used);
    this.buffer = grown;
  }

  u8(value: number): void {
    this.ensure(1);
    this.buffer.writeUInt8(value, this.used);
    this.used += 1;
  }

  u16(value: number): void {
    this.ensure(2);
    this.buffer.writeUInt16BE(value, this.used);
    this.used += 2;
  }

  u32(value: number): void {
    this.ensure(4);
    this.buffer.writeUInt32BE(value, this.used);
    this.used += 4;
  }

  u64(value: bigint): void {
    this.ensure(8);
    this.buffer.writeBigUInt64BE(value, this.used);
    this.used += 8;
  }

  bytes(value: Uint8Array): void {
    this.ensure(value.length);
    this.buffer.set(value, this.used);
    this.used += value.length;
  }

  /** Skips `byteCount` bytes for a length written later; returns their position. */
  reserve(byteCount: number): number {
    this.ensure(byteCount);
    const position = this.used;
    this.used += byteCount;
    return position;
  }

  /** Drops one byte, moving what follows back (rare: only short path attributes, a few bytes each). */
  removeByte(position: number): void {
    this.buffer.copyWithin(position, position + 1, this.used);
    this.used -= 1;
  }

  patchU8(position: number, value: number): void {
    this.buffer.writeUInt8(value, position);
  }

  patchU16(position: number, value: number): void {
    this.buffer.writeUInt16BE(value, position);
  }

  patchU32(position: number, value: number): void {
    this.buffer.writeUInt32BE(value, position);
  }

  /** The written bytes, without a copy: the writer is dropped after this. */
  finish(): Buffer {
    return this.buffer.subarray(0, this.used);
  }
}

function writeTlv(writer: ByteWriter, type: number, value: Uint8Array): void {
  writer.u16(type);
  writer.u16(value.length);
  writer.bytes(value);
}

function writeInformationTlvs(writer: ByteWriter, tlvs: InformationTlv[]): void {
  for (const tlv of tlvs) writeTlv(writer, tlv.type, tlv.text === undefined ? tlv.value : Buffer.from(tlv.text, 'utf8'));
}

/** 16 bytes: an IPv6 address, or an IPv4 one in the last 4 (RFC 7854 §4.2). */
function writeAddress16(writer: ByteWriter, address: string, ipv6: boolean): void {
  if (ipv6) {
    writer.bytes(ipv6ToBytes(address));
  } else {
    writer.bytes(Buffer.alloc(12));
    writer.bytes(ipv4ToBytes(address));
  }
}

function writePerPeerHeader(writer: ByteWriter, peer: PerPeerHeader): void {
  const { flags } = peer;
  const isLocRib = peer.peerType === BmpPeerType.LocRib;
  writer.u8(peer.peerType);
  writer.u8(
    (isLocRib ? (flags.locRibFiltered ? BmpPeerFlag.LocRibFiltered : 0) : flags.ipv6 ? BmpPeerFlag.Ipv6 : 0) |
      (flags.postPolicy ? BmpPeerFlag.PostPolicy : 0) |
      (flags.legacyAsPath ? BmpPeerFlag.LegacyAsPath : 0) |
      (flags.adjRibOut ? BmpPeerFlag.AdjRibOut : 0),
  );
  const distinguisher = Buffer.from(peer.peerDistinguisher, 'hex');
  if (distinguisher.length !== 8) throw new RangeError(`peer distinguisher must be 16 hex digits: ${peer.peerDistinguisher}`);
  writer.bytes(distinguisher);
  writeAddress16(writer, peer.peerAddress, flags.ipv6 && !isLocRib);
  writer.u32(peer.peerAs);
  writer.bytes(ipv4ToBytes(peer.peerBgpId));
  writer.u32(peer.timestampSeconds);
  writer.u32(peer.timestampMicroseconds);
}

/** Writes a BGP header whose length is patched by the returned function once the body is written. */
function startBgpMessage(writer: ByteWriter, type: number): () => void {
  const start = writer.length;
  writer.bytes(BGP_MARKER);
  const lengthAt = writer.reserve(2);
  writer.u8(type);
  return () => {
    const length = writer.length - start;
    if (length > 0xffff) throw new RangeError(`BGP message of ${length} bytes exceeds 65535`);
    writer.patchU16(lengthAt, length);
  };
}

const BGP_MARKER = Buffer.alloc(16, 0xff);

function writeNotification(writer: ByteWriter, notification: BgpNotificationMessage): void {
  const finish = startBgpMessage(writer, BgpMessageType.Notification);
  writer.u8(notification.code);
  writer.u8(notification.subcode);
  writer.bytes(notification.data);
  finish();
}

/**
 * Each capability in its own optional parameter (RFC 5492 §4 allows either layout). A missing OPEN
 * is written as FRR writes it: the bare 19-byte header.
 */
function writeOpen(writer: ByteWriter, open: BgpOpenMessage | null): void {
  const finish = startBgpMessage(writer, BgpMessageType.Open);
  if (open === null) return finish();
  writer.u8(open.version);
  writer.u16(open.myAs);
  writer.u16(open.holdTimeSeconds);
  writer.bytes(ipv4ToBytes(open.bgpId));
  const parameters = [
    ...open.capabilities.map((capability) => ({
      type: BgpOptionalParameterType.Capabilities,
      value: capabilityBytes(capability),
    })),
    ...open.otherParameters,
  ];
  const plainLength = parameters.reduce((sum, parameter) => sum + 2 + parameter.value.length, 0);
  // RFC 9072 §2: beyond 255 bytes (or any parameter beyond 255), switch to 2-byte lengths.
  const extended = plainLength > 255 || parameters.some((parameter) => parameter.value.length > 255);
  if (extended) {
    writer.u8(255);
    writer.u8(BgpOptionalParameterType.ExtendedLength);
    writer.u16(plainLength + parameters.length);
  } else {
    writer.u8(plainLength);
  }
  for (const parameter of parameters) {
    writer.u8(parameter.type);
    if (extended) writer.u16(parameter.value.length);
    else writer.u8(parameter.value.length);
    writer.bytes(parameter.value);
  }
  finish();
}

function capabilityBytes(capability: BgpCapability): Buffer {
  const writer = new ByteWriter();
  const code = writer.reserve(1);
  const lengthAt = writer.reserve(1);
  const set = (value: number) => writer.patchU8(code, value);
  switch (capability.kind) {
    case 'multiprotocol':
      set(BgpCapabilityCode.Multiprotocol);
      writer.u16(capability.afi);
      writer.u8(0);
      writer.u8(capability.safi);
      break;
    case 'routeRefresh':
      set(BgpCapabilityCode.RouteRefresh);
      break;
    case 'routeRefreshLegacy':
      set(BgpCapabilityCode.RouteRefreshLegacy);
      break;
    case 'enhancedRouteRefresh':
      set(BgpCapabilityCode.EnhancedRouteRefresh);
      break;
    case 'extendedMessage':
      set(BgpCapabilityCode.ExtendedMessage);
      break;
    case 'fourOctetAs':
      set(BgpCapabilityCode.FourOctetAs);
      writer.u32(capability.asn);
      break;
    case 'addPath':
      set(BgpCapabilityCode.AddPath);
      for (const family of capability.families) {
        writer.u16(family.afi);
        writer.u8(family.safi);
        writer.u8(family.sendReceive);
      }
      break;
    case 'gracefulRestart':
      set(BgpCapabilityCode.GracefulRestart);
      writer.u16((capability.restartFlags << 12) | capability.restartTimeSeconds);
      for (const family of capability.families) {
        writer.u16(family.afi);
        writer.u8(family.safi);
        writer.u8(family.flags);
      }
      break;
    case 'extendedNextHop':
      set(BgpCapabilityCode.ExtendedNextHop);
      for (const family of capability.families) {
        writer.u16(family.afi);
        writer.u16(family.safi);
        writer.u16(family.nextHopAfi);
      }
      break;
    case 'fqdn': {
      set(BgpCapabilityCode.Fqdn);
      const hostname = Buffer.from(capability.hostname, 'utf8');
      const domainName = Buffer.from(capability.domainName, 'utf8');
      writer.u8(hostname.length);
      writer.bytes(hostname);
      writer.u8(domainName.length);
      writer.bytes(domainName);
      break;
    }
    case 'unknown':
      set(capability.code);
      writer.bytes(capability.value);
      break;
  }
  writer.patchU8(lengthAt, writer.length - 2);
  return writer.finish();
}

function writeStatistic(writer: ByteWriter, statistic: Statistic): void {
  writer.u16(statistic.type);
  switch (statistic.kind) {
    case 'counter32':
      writer.u16(4);
      writer.u32(statistic.value);
      break;
    case 'gauge64':
      writer.u16(8);
      writer.u64(statistic.value);
      break;
    case 'afiSafiGauge64':
      writer.u16(11);
      writer.u16(statistic.afi);
      writer.u8(statistic.safi);
      writer.u64(statistic.value);
      break;
    case 'unknown':
      writer.u16(statistic.value.length);
      writer.bytes(statistic.value);
      break;
  }
}

const IPV4_UNICAST = afiSafiKey(Afi.Ipv4, Safi.Unicast);

function writeUpdate(writer: ByteWriter, update: BgpUpdateMessage, context: UpdateDecodingContext): void {
  const finish = startBgpMessage(writer, BgpMessageType.Update);
  const withIpv4PathIds = context.addPathFamilies.has(IPV4_UNICAST);
  const withdrawnAt = writer.reserve(2);
  writeRoutes(writer, update.withdrawnRoutes, Afi.Ipv4, withIpv4PathIds);
  writer.patchU16(withdrawnAt, writer.length - withdrawnAt - 2);
  const attributesAt = writer.reserve(2);
  for (const attribute of update.attributes) writeAttribute(writer, attribute, context);
  writer.patchU16(attributesAt, writer.length - attributesAt - 2);
  writeRoutes(writer, update.routes, Afi.Ipv4, withIpv4PathIds);
  finish();
}

function writeRoutes(writer: ByteWriter, routes: Route[], afi: number, withPathIds: boolean): void {
  for (const route of routes) {
    if (withPathIds) writer.u32(route.pathId ?? 0);
    writer.bytes(encodePrefix(route.prefix, afi));
  }
}

/** One path attribute; the extended-length flag is set when the value needs it (RFC 4271 §4.3). */
function writeAttribute(writer: ByteWriter, attribute: PathAttribute, context: UpdateDecodingContext): void {
  const flagsAt = writer.reserve(1);
  writer.u8(attribute.code);
  // Reserve two length bytes; a short value moves back by one when the flag is not set.
  const lengthAt = writer.reserve(2);
  writeAttributeValue(writer, attribute, context);
  const valueLength = writer.length - lengthAt - 2;
  const extended = (attribute.flags & PathAttributeFlag.ExtendedLength) !== 0 || valueLength > 255;
  writer.patchU8(flagsAt, attribute.flags | (extended ? PathAttributeFlag.ExtendedLength : 0));
  if (extended) {
    writer.patchU16(lengthAt, valueLength);
  } else {
    writer.removeByte(lengthAt);
    writer.patchU8(lengthAt, valueLength);
  }
}

const SEGMENT_TYPE_BY_KIND: Readonly<Record<AsPathSegmentKind, number>> = {
  set: AsPathSegmentType.AsSet,
  sequence: AsPathSegmentType.AsSequence,
  confedSequence: AsPathSegmentType.AsConfedSequence,
  confedSet: AsPathSegmentType.AsConfedSet,
};

function writeAsPath(writer: ByteWriter, segments: AsPathSegment[], asnOctets: 2 | 4): void {
  for (const segment of segments) {
    writer.u8(SEGMENT_TYPE_BY_KIND[segment.kind]);
    writer.u8(segment.asns.length);
    for (const asn of segment.asns) {
      if (asnOctets === 4) writer.u32(asn);
      else if (asn > 0xffff) throw new RangeError(`AS ${asn} does not fit a 2-octet AS_PATH: send AS_TRANS (${AS_TRANS}) and AS4_PATH`);
      else writer.u16(asn);
    }
  }
}

function writeAttributeValue(writer: ByteWriter, attribute: PathAttribute, context: UpdateDecodingContext): void {
  switch (attribute.kind) {
    case 'origin':
      writer.u8(['igp', 'egp', 'incomplete'].indexOf(attribute.origin));
      break;
    case 'asPath':
      writeAsPath(writer, attribute.segments, context.fourOctetAs ? 4 : 2);
      break;
    case 'as4Path':
      writeAsPath(writer, attribute.segments, 4);
      break;
    case 'nextHop':
      writer.bytes(ipv4ToBytes(attribute.nextHop));
      break;
    case 'multiExitDisc':
      writer.u32(attribute.med);
      break;
    case 'localPref':
      writer.u32(attribute.localPref);
      break;
    case 'atomicAggregate':
      break;
    case 'aggregator':
      if (attribute.asnOctets === 4) writer.u32(attribute.asn);
      else writer.u16(attribute.asn);
      writer.bytes(ipv4ToBytes(attribute.address));
      break;
    case 'as4Aggregator':
      writer.u32(attribute.asn);
      writer.bytes(ipv4ToBytes(attribute.address));
      break;
    case 'communities':
      for (const community of attribute.communities) {
        const [high, low] = numbersOf(community, 2);
        writer.u16(high);
        writer.u16(low);
      }
      break;
    case 'largeCommunities':
      for (const community of attribute.communities) {
        const [global, local1, local2] = numbersOf(community, 3);
        writer.u32(global);
        writer.u32(local1);
        writer.u32(local2);
      }
      break;
    case 'extendedCommunities':
      for (const community of attribute.communities) writeExtendedCommunity(writer, community);
      break;
    case 'mpReachNlri':
      writer.u16(attribute.afi);
      writer.u8(attribute.safi);
      writer.u8(attribute.nextHops.reduce((sum, nextHop) => sum + (nextHop.includes(':') ? 16 : 4), 0));
      for (const nextHop of attribute.nextHops) writer.bytes(addressToBytes(nextHop));
      writer.u8(0);
      writeRoutes(writer, attribute.routes, attribute.afi, context.addPathFamilies.has(afiSafiKey(attribute.afi, attribute.safi)));
      break;
    case 'mpUnreachNlri':
      writer.u16(attribute.afi);
      writer.u8(attribute.safi);
      writeRoutes(writer, attribute.withdrawnRoutes, attribute.afi, context.addPathFamilies.has(afiSafiKey(attribute.afi, attribute.safi)));
      break;
    case 'unknown':
      writer.bytes(attribute.value);
      break;
  }
}

/** `a:b` or `a:b:c` into its numbers. */
function numbersOf(text: string, count: 2): [number, number];
function numbersOf(text: string, count: 3): [number, number, number];
function numbersOf(text: string, count: number): number[] {
  const numbers = text.split(':').map(Number);
  if (numbers.length !== count || numbers.some((number) => !Number.isInteger(number) || number < 0)) {
    throw new RangeError(`not a community of ${count} numbers: ${text}`);
  }
  return numbers;
}

/** The inverse of the decoder's text: route target/origin forms by type, else 16 hex digits. */
function writeExtendedCommunity(writer: ByteWriter, community: ExtendedCommunity): void {
  if (/^[0-9a-f]{16}$/.test(community.text)) {
    writer.bytes(Buffer.from(community.text, 'hex'));
    return;
  }
  const [, administrator, assigned] = community.text.split(':');
  writer.u8(community.type);
  writer.u8(community.subtype);
  if (community.type === 0x00) {
    writer.u16(Number(administrator));
    writer.u32(Number(assigned));
  } else if (community.type === 0x01) {
    writer.bytes(ipv4ToBytes(administrator ?? ''));
    writer.u16(Number(assigned));
  } else {
    writer.u32(Number(administrator));
    writer.u16(Number(assigned));
  }
}

/** The NLRI encoding of a prefix given as text (RFC 4271 §4.3, RFC 4760 §5); refuses text that is not a prefix of the family. */
export function encodePrefix(prefix: string, afi: number): Buffer {
  const slash = prefix.indexOf('/');
  const bits = Number(prefix.slice(slash + 1));
  const address = afi === Afi.Ipv6 ? ipv6ToBytes(prefix.slice(0, slash)) : ipv4ToBytes(prefix.slice(0, slash));
  if (slash < 0 || !Number.isInteger(bits) || bits < 0 || bits > address.length * 8) {
    throw new RangeError(`not an ${afi === Afi.Ipv6 ? 'IPv6' : 'IPv4'} prefix: ${prefix}`);
  }
  const byteCount = (bits + 7) >> 3;
  const encoded = Buffer.alloc(1 + byteCount);
  encoded[0] = bits;
  address.copy(encoded, 1, 0, byteCount);
  return encoded;
}
