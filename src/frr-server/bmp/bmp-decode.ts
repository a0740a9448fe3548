import {
  BMP_COMMON_HEADER_LENGTH,
  BMP_PER_PEER_HEADER_LENGTH,
  BMP_STAT_ENCODING,
  BMP_STAT_LENGTH,
  BMP_VERSION,
  BmpInformationType,
  BmpMessageType,
  BmpPeerDownReason,
  BmpPeerFlag,
  BmpPeerType,
  BmpTerminationType,
} from './bmp-constants.js';
import type {
  BmpMessage,
  InformationTlv,
  InitiationMessage,
  PeerDownMessage,
  PeerUpMessage,
  PerPeerHeader,
  RouteMirroringMessage,
  RouteMonitoringMessage,
  Statistic,
  StatisticsReportMessage,
  TerminationMessage,
} from './bmp-types.js';
import { ByteReader } from './byte-reader.js';
import { decodeNotification, decodeReportedOpen } from './bgp-message.js';
import { decodeUpdate } from './bgp-update.js';
import { bytesToIPv4, bytesToIPv6 } from '../../common/net/ip-address.js';
import type { BmpSessionTracker } from './bmp-session-tracker.js';

export interface BmpCommonHeader {
  version: number;
  /** Whole message, header included. */
  length: number;
  type: number;
}

/**
 * The common header (RFC 7854 §4.1) at the reader's position. Checked before the body is even
 * buffered, so a stream that is not BMP v3 fails at its first 6 bytes.
 */
export function readCommonHeader(reader: ByteReader, maxMessageLength: number): BmpCommonHeader {
  const start = reader.offset;
  const version = reader.u8('BMP version');
  if (version !== BMP_VERSION) reader.fail(`unsupported BMP version ${version}, expected ${BMP_VERSION}`, start);
  const length = reader.u32('BMP message length');
  if (length < BMP_COMMON_HEADER_LENGTH) reader.fail(`BMP message length ${length} is smaller than the 6-byte common header`, start + 1);
  if (length > maxMessageLength) reader.fail(`BMP message length ${length} exceeds the maximum of ${maxMessageLength} bytes`, start + 1);
  const type = reader.u8('BMP message type');
  return { version, length, type };
}

/**
 * One whole BMP message: `frame` holds exactly the bytes its common header announces (the stream
 * decoder guarantees it). `streamOffset` is the frame's position in the stream, for error offsets.
 * Peer Up, Peer Down and Termination update `sessions`; Route Monitoring reads it.
 */
export function decodeBmpMessage(
  frame: Buffer,
  sessions: BmpSessionTracker,
  streamOffset = 0,
  maxMessageLength = frame.length,
): BmpMessage {
  return decodeBmpMessageAt(frame, 0, frame.length, sessions, streamOffset, maxMessageLength);
}

/** decodeBmpMessage for the frame buffer[start, start + length), without a view of it. */
export function decodeBmpMessageAt(
  buffer: Buffer,
  start: number,
  length: number,
  sessions: BmpSessionTracker,
  streamOffset: number,
  maxMessageLength: number,
): BmpMessage {
  const reader = new ByteReader(buffer, streamOffset, start, start + length);
  const header = readCommonHeader(reader, maxMessageLength);
  if (header.length !== length) {
    reader.fail(`BMP message length ${header.length} does not match the ${length}-byte frame`, streamOffset + 1);
  }
  switch (header.type) {
    case BmpMessageType.RouteMonitoring:
      return decodeRouteMonitoring(reader, sessions);
    case BmpMessageType.StatisticsReport:
      return decodeStatisticsReport(reader);
    case BmpMessageType.PeerDownNotification: {
      const message = decodePeerDown(reader);
      sessions.peerDown(message.peer);
      return message;
    }
    case BmpMessageType.PeerUpNotification: {
      const message = decodePeerUp(reader);
      sessions.peerUp(message);
      return message;
    }
    case BmpMessageType.Initiation:
      return decodeInitiation(reader);
    case BmpMessageType.Termination:
      sessions.clear();
      return decodeTermination(reader);
    case BmpMessageType.RouteMirroring:
      return decodeRouteMirroring(reader);
    default:
      return { kind: 'unknown', messageType: header.type, body: reader.copyRest() };
  }
}

const GLOBAL_INSTANCE = '0000000000000000';

/** The distinguisher as hex; the global instance's zeros (nearly every message) without formatting them again. */
function readPeerDistinguisher(reader: ByteReader): string {
  const at = reader.skip(8, 'peer distinguisher');
  const bytes = reader.bytes;
  return bytes.readUInt32BE(at) === 0 && bytes.readUInt32BE(at + 4) === 0 ? GLOBAL_INSTANCE : bytes.toString('hex', at, at + 8);
}

/** RFC 7854 §4.2, with the Loc-RIB peer type's F flag (RFC 9069 §4.2). */
export function decodePerPeerHeader(reader: ByteReader): PerPeerHeader {
  reader.require(BMP_PER_PEER_HEADER_LENGTH, 'per-peer header');
  const peerType = reader.u8('peer type');
  const rawFlags = reader.u8('peer flags');
  const isLocRib = peerType === BmpPeerType.LocRib;
  const flags = {
    ipv6: !isLocRib && (rawFlags & BmpPeerFlag.Ipv6) !== 0,
    postPolicy: (rawFlags & BmpPeerFlag.PostPolicy) !== 0,
    legacyAsPath: (rawFlags & BmpPeerFlag.LegacyAsPath) !== 0,
    adjRibOut: (rawFlags & BmpPeerFlag.AdjRibOut) !== 0,
    locRibFiltered: isLocRib && (rawFlags & BmpPeerFlag.LocRibFiltered) !== 0,
  };
  const peerDistinguisher = readPeerDistinguisher(reader);
  const address = reader.skip(16, 'peer address');
  // An IPv4 peer's address sits in the last 4 of the 16 bytes.
  const peerAddress = flags.ipv6 ? bytesToIPv6(reader.bytes, address) : bytesToIPv4(reader.bytes, address + 12);
  return {
    peerType,
    flags,
    peerDistinguisher,
    peerAddress,
    peerAs: reader.u32('peer AS'),
    peerBgpId: reader.ipv4('peer BGP ID'),
    timestampSeconds: reader.u32('timestamp seconds'),
    timestampMicroseconds: reader.u32('timestamp microseconds'),
  };
}

const TEXT_INFORMATION_TYPES: ReadonlySet<number> = new Set([
  BmpInformationType.String,
  BmpInformationType.SysDescr,
  BmpInformationType.SysName,
  BmpInformationType.VrfTableName,
]);

/** Information TLVs (RFC 7854 §4.4) up to the end of the reader; `textTypes` are decoded as UTF-8. */
function readInformationTlvs(reader: ByteReader, what: string, textTypes: ReadonlySet<number>): InformationTlv[] {
  const tlvs: InformationTlv[] = [];
  while (!reader.atEnd) {
    const type = reader.u16(`${what} TLV type`);
    const length = reader.u16(`${what} TLV length`);
    const value = reader.copy(length, `${what} TLV ${type} value`);
    tlvs.push(textTypes.has(type) ? { type, value, text: value.toString('utf8') } : { type, value });
  }
  return tlvs;
}

function decodeInitiation(reader: ByteReader): InitiationMessage {
  return { kind: 'initiation', information: readInformationTlvs(reader, 'initiation', TEXT_INFORMATION_TYPES) };
}

function decodeTermination(reader: ByteReader): TerminationMessage {
  const information = readInformationTlvs(reader, 'termination', new Set([BmpTerminationType.String]));
  const reasonTlv = information.find((tlv) => tlv.type === BmpTerminationType.Reason && tlv.value.length === 2);
  return { kind: 'termination', information, reason: reasonTlv ? reasonTlv.value.readUInt16BE(0) : null };
}

/** RFC 7854 §4.10. The local address uses the peer's address family (V flag); an OPEN the router did not keep is null. */
function decodePeerUp(reader: ByteReader): PeerUpMessage {
  const peer = decodePerPeerHeader(reader);
  const address = reader.skip(16, 'peer up local address');
  const localAddress = peer.flags.ipv6 ? bytesToIPv6(reader.bytes, address) : bytesToIPv4(reader.bytes, address + 12);
  const localPort = reader.u16('peer up local port');
  const remotePort = reader.u16('peer up remote port');
  const sentOpen = decodeReportedOpen(reader, 'sent OPEN');
  const receivedOpen = decodeReportedOpen(reader, 'received OPEN');
  const information = readInformationTlvs(reader, 'peer up', TEXT_INFORMATION_TYPES);
  return { kind: 'peerUp', peer, localAddress, localPort, remotePort, sentOpen, receivedOpen, information };
}

/**
 * RFC 7854 §4.9 and RFC 9069 §4.4. A body too short for its reason fails with what was missing;
 * bytes beyond what the reason defines, and the data of unknown reasons, are kept raw.
 */
function decodePeerDown(reader: ByteReader): PeerDownMessage {
  const peer = decodePerPeerHeader(reader);
  const reason = reader.u8('peer down reason');
  const message: PeerDownMessage = {
    kind: 'peerDown',
    peer,
    reason,
    notification: null,
    fsmEvent: null,
    information: [],
    data: Buffer.alloc(0),
  };
  switch (reason) {
    case BmpPeerDownReason.LocalNotification:
    case BmpPeerDownReason.RemoteNotification:
      message.notification = decodeNotification(reader, `peer down reason ${reason}`);
      break;
    case BmpPeerDownReason.LocalNoNotification:
      message.fsmEvent = reader.u16('peer down reason 2 FSM event');
      break;
    case BmpPeerDownReason.LocalSystemClosed:
      message.information = readInformationTlvs(reader, 'peer down', TEXT_INFORMATION_TYPES);
      break;
  }
  message.data = reader.copyRest();
  return message;
}

function decodeRouteMonitoring(reader: ByteReader, sessions: BmpSessionTracker): RouteMonitoringMessage {
  const peer = decodePerPeerHeader(reader);
  const { context, assumed } = sessions.decodingContextFor(peer);
  const update = decodeUpdate(reader, context);
  if (!reader.atEnd) reader.fail(`route monitoring has ${reader.remaining} bytes after its BGP UPDATE`);
  return { kind: 'routeMonitoring', peer, update, contextAssumed: assumed };
}

/**
 * RFC 7854 §4.8. Known statistics with the length their type defines are decoded; anything else
 * is kept raw (its TLV length still frames it). 64-bit gauges are bigints: a route count never
 * gets near 2^53, but the field allows it and silently rounding a counter would be worse.
 */
function decodeStatisticsReport(reader: ByteReader): StatisticsReportMessage {
  const peer = decodePerPeerHeader(reader);
  const count = reader.u32('statistics count');
  const statistics: Statistic[] = [];
  for (let i = 0; i < count; i++) {
    const type = reader.u16('statistic type');
    const length = reader.u16(`statistic ${type} length`);
    const value = reader.sub(length, `statistic ${type} value`);
    const encoding = BMP_STAT_ENCODING.get(type);
    if (encoding === undefined || BMP_STAT_LENGTH[encoding] !== length) {
      statistics.push({ type, kind: 'unknown', value: value.copyRest() });
    } else if (encoding === 'counter32') {
      statistics.push({ type, kind: encoding, value: value.u32('counter') });
    } else if (encoding === 'gauge64') {
      statistics.push({ type, kind: encoding, value: value.u64('gauge') });
    } else {
      statistics.push({ type, kind: encoding, afi: value.u16('afi'), safi: value.u8('safi'), value: value.u64('gauge') });
    }
  }
  if (!reader.atEnd) reader.fail(`statistics report has ${reader.remaining} bytes after its ${count} statistics`);
  return { kind: 'statisticsReport', peer, statistics };
}

function decodeRouteMirroring(reader: ByteReader): RouteMirroringMessage {
  const peer = decodePerPeerHeader(reader);
  const tlvs: RouteMirroringMessage['tlvs'] = [];
  while (!reader.atEnd) {
    const type = reader.u16('route mirroring TLV type');
    const length = reader.u16('route mirroring TLV length');
    tlvs.push({ type, value: reader.copy(length, `route mirroring TLV ${type} value`) });
  }
  return { kind: 'routeMirroring', peer, tlvs };
}
