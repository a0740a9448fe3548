import {
  AS_TRANS,
  BGP_HEADER_LENGTH,
  BGP_MARKER_LENGTH,
  BgpCapabilityCode,
  BgpMessageType,
  BgpOptionalParameterType,
} from './bmp-constants.js';
import { ByteReader } from './byte-reader.js';
import { bytesToIPv4 } from '../../common/net/ip-address.js';
import type { BgpCapability, BgpNotificationMessage, BgpOpenMessage } from './bmp-types.js';

const MESSAGE_TYPE_NAMES: Record<number, string> = {
  [BgpMessageType.Open]: 'OPEN',
  [BgpMessageType.Update]: 'UPDATE',
  [BgpMessageType.Notification]: 'NOTIFICATION',
};

/**
 * Reads one whole BGP message of the expected type (RFC 4271 §4.1) and returns a reader over its
 * body. The marker must be all ones: anything else means the bytes are not where a BGP message
 * should start, and reading on would produce garbage.
 */
export function readBgpMessage(reader: ByteReader, expectedType: number, what: string): ByteReader {
  const start = reader.offset;
  const marker = reader.skip(BGP_MARKER_LENGTH, `${what} BGP marker`);
  for (let i = marker; i < marker + BGP_MARKER_LENGTH; i++)
    if (reader.bytes[i] !== 0xff) reader.fail(`${what} BGP marker is not all ones`, start);
  const length = reader.u16(`${what} BGP length`);
  if (length < BGP_HEADER_LENGTH) reader.fail(`${what} BGP length ${length} is smaller than the 19-byte header`, start + 16);
  const type = reader.u8(`${what} BGP type`);
  if (type !== expectedType) {
    reader.fail(`${what} carries BGP message type ${type}, expected ${MESSAGE_TYPE_NAMES[expectedType]} (${expectedType})`, start + 18);
  }
  const bodyLength = length - BGP_HEADER_LENGTH;
  if (bodyLength > reader.remaining) {
    reader.fail(`${what} BGP length ${length} overruns the ${reader.remaining + BGP_HEADER_LENGTH} bytes available`, start + 16);
  }
  return reader.sub(bodyLength, `${what} BGP body`);
}

/**
 * One of a Peer Up's two OPENs (RFC 7854 §4.10), or null when the router sent a bare 19-byte OPEN
 * header in its place: FRR does so when it did not keep that OPEN ("bmp: missing RX OPEN message"
 * in its log; its bgp_bmp.c writes a `dummy_open`), and then nothing about that side's OPEN is known.
 * A real OPEN is at least 29 bytes (§4.2), so a bare header cannot be mistaken for one.
 */
export function decodeReportedOpen(reader: ByteReader, what: string): BgpOpenMessage | null {
  const body = readBgpMessage(reader, BgpMessageType.Open, what);
  return body.atEnd ? null : decodeOpenBody(body, what);
}

/** The body of a BGP OPEN (RFC 4271 §4.2), with RFC 9072 extended optional parameters. */
function decodeOpenBody(body: ByteReader, what: string): BgpOpenMessage {
  const version = body.u8(`${what} version`);
  const myAs = body.u16(`${what} my AS`);
  const holdTimeSeconds = body.u16(`${what} hold time`);
  const bgpId = bytesToIPv4(body.view(4, `${what} BGP identifier`));
  let parametersLength = body.u8(`${what} optional parameters length`);
  // RFC 9072 §2: a length of 255 followed by parameter type 255 announces 2-byte lengths throughout.
  const extended =
    parametersLength === 255 && body.remaining > 0 && body.peekU8(`${what} parameter type`) === BgpOptionalParameterType.ExtendedLength;
  if (extended) {
    body.u8(`${what} extended parameters marker`);
    parametersLength = body.u16(`${what} extended optional parameters length`);
  }
  const parameters = body.sub(parametersLength, `${what} optional parameters`);
  const capabilities: BgpCapability[] = [];
  const otherParameters: BgpOpenMessage['otherParameters'] = [];
  while (!parameters.atEnd) {
    const type = parameters.u8(`${what} parameter type`);
    const length = extended ? parameters.u16(`${what} parameter length`) : parameters.u8(`${what} parameter length`);
    const value = parameters.sub(length, `${what} parameter ${type}`);
    if (type === BgpOptionalParameterType.Capabilities) {
      while (!value.atEnd) capabilities.push(decodeCapability(value, what));
    } else {
      otherParameters.push({ type, value: value.copyRest() });
    }
  }
  if (!body.atEnd) body.fail(`${what} has ${body.remaining} bytes after its optional parameters`);
  const fourOctetAs = capabilities.find((capability) => capability.kind === 'fourOctetAs');
  // RFC 6793 §4.1: a speaker whose AS needs 4 octets sends AS_TRANS in My AS and its AS in the capability.
  const asn = fourOctetAs && myAs === AS_TRANS ? fourOctetAs.asn : myAs;
  return { version, myAs, asn, holdTimeSeconds, bgpId, capabilities, otherParameters };
}

/**
 * One capability (RFC 5492 §4). Its length frames it, so a value this decoder cannot read is kept
 * raw with the reason instead of failing the whole Peer Up.
 */
function decodeCapability(reader: ByteReader, what: string): BgpCapability {
  const code = reader.u8(`${what} capability code`);
  const length = reader.u8(`${what} capability length`);
  const valueOffset = reader.offset;
  const bytes = reader.copy(length, `${what} capability ${code}`);
  const value = new ByteReader(bytes, valueOffset);
  const raw = (problem?: string): BgpCapability =>
    problem === undefined ? { kind: 'unknown', code, value: bytes } : { kind: 'unknown', code, value: bytes, problem };
  const exactly = (byteCount: number) => length === byteCount;
  switch (code) {
    case BgpCapabilityCode.Multiprotocol:
      if (!exactly(4)) return raw(`multiprotocol capability length ${length}, expected 4`);
      return { kind: 'multiprotocol', afi: value.u16('afi'), safi: value.view(2, 'reserved and safi')[1] as number };
    case BgpCapabilityCode.RouteRefresh:
      return exactly(0) ? { kind: 'routeRefresh' } : raw(`route refresh capability length ${length}, expected 0`);
    case BgpCapabilityCode.RouteRefreshLegacy:
      return exactly(0) ? { kind: 'routeRefreshLegacy' } : raw(`route refresh capability length ${length}, expected 0`);
    case BgpCapabilityCode.EnhancedRouteRefresh:
      return exactly(0) ? { kind: 'enhancedRouteRefresh' } : raw(`enhanced route refresh capability length ${length}, expected 0`);
    case BgpCapabilityCode.ExtendedMessage:
      return exactly(0) ? { kind: 'extendedMessage' } : raw(`extended message capability length ${length}, expected 0`);
    case BgpCapabilityCode.FourOctetAs:
      return exactly(4) ? { kind: 'fourOctetAs', asn: value.u32('asn') } : raw(`4-octet AS capability length ${length}, expected 4`);
    case BgpCapabilityCode.AddPath: {
      if (length % 4 !== 0) return raw(`ADD-PATH capability length ${length} is not a multiple of 4`);
      const families = [];
      while (!value.atEnd) families.push({ afi: value.u16('afi'), safi: value.u8('safi'), sendReceive: value.u8('send/receive') });
      return { kind: 'addPath', families };
    }
    case BgpCapabilityCode.GracefulRestart: {
      if (length < 2 || (length - 2) % 4 !== 0) return raw(`graceful restart capability length ${length} is not 2 + 4n`);
      const flagsAndTime = value.u16('restart flags and time');
      const families = [];
      while (!value.atEnd) families.push({ afi: value.u16('afi'), safi: value.u8('safi'), flags: value.u8('flags') });
      return { kind: 'gracefulRestart', restartFlags: flagsAndTime >> 12, restartTimeSeconds: flagsAndTime & 0x0fff, families };
    }
    case BgpCapabilityCode.ExtendedNextHop: {
      if (length % 6 !== 0) return raw(`extended next hop capability length ${length} is not a multiple of 6`);
      const families = [];
      while (!value.atEnd) families.push({ afi: value.u16('afi'), safi: value.u16('safi'), nextHopAfi: value.u16('next hop afi') });
      return { kind: 'extendedNextHop', families };
    }
    case BgpCapabilityCode.Fqdn: {
      const hostnameLength = value.remaining > 0 ? value.u8('hostname length') : -1;
      if (hostnameLength < 0 || hostnameLength + 1 > value.remaining) return raw('FQDN capability hostname overruns the capability');
      const hostname = value.view(hostnameLength, 'hostname').toString('utf8');
      const domainLength = value.u8('domain name length');
      if (domainLength !== value.remaining) return raw('FQDN capability domain name does not fill the capability');
      return { kind: 'fqdn', hostname, domainName: value.view(domainLength, 'domain name').toString('utf8') };
    }
    default:
      return raw();
  }
}

/** BGP NOTIFICATION (RFC 4271 §4.5). */
export function decodeNotification(reader: ByteReader, what: string): BgpNotificationMessage {
  const body = readBgpMessage(reader, BgpMessageType.Notification, what);
  return { code: body.u8(`${what} error code`), subcode: body.u8(`${what} error subcode`), data: body.copyRest() };
}
