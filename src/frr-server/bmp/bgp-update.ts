import { AS_TRANS, Afi, AsPathSegmentType, BgpMessageType, PathAttributeCode, PathAttributeFlag, Safi } from './bmp-constants.js';
import { BmpDecodeError } from './bmp-decode-error.js';
import type { AfiSafi, AsPathSegment, AsPathSegmentKind, BgpUpdateMessage, ExtendedCommunity, PathAttribute, Route } from './bmp-types.js';
import { ByteReader, readPrefix } from './byte-reader.js';
import { readBgpMessage } from './bgp-message.js';
import { bytesToAddress, bytesToIPv4 } from '../../common/net/ip-address.js';

/** What the session negotiated that changes how an UPDATE is encoded (see bmp-session-tracker.ts). */
export interface UpdateDecodingContext {
  /** AS numbers in AS_PATH are 4 octets (RFC 6793); false for a 2-octet session or the A flag. */
  fourOctetAs: boolean;
  /** Families (afiSafiKey) whose routes carry an ADD-PATH path id in this message (RFC 7911 §3). */
  addPathFamilies: ReadonlySet<string>;
}

export function afiSafiKey(afi: number, safi: number): string {
  return `${afi}/${safi}`;
}

const IPV4_UNICAST = afiSafiKey(Afi.Ipv4, Safi.Unicast);

const SEGMENT_KIND_BY_TYPE: Readonly<Record<number, AsPathSegmentKind>> = {
  [AsPathSegmentType.AsSet]: 'set',
  [AsPathSegmentType.AsSequence]: 'sequence',
  [AsPathSegmentType.AsConfedSequence]: 'confedSequence',
  [AsPathSegmentType.AsConfedSet]: 'confedSet',
};

const ORIGINS = ['igp', 'egp', 'incomplete'] as const;

/** A known attribute whose contents are wrong but whose length frames it: kept raw, not fatal. */
class MalformedAttribute extends Error {}

/** One BGP UPDATE message (RFC 4271 §4.3) including its header. */
export function decodeUpdate(reader: ByteReader, context: UpdateDecodingContext): BgpUpdateMessage {
  const body = readBgpMessage(reader, BgpMessageType.Update, 'route monitoring');
  const withdrawnSection = readSection(body, 'withdrawn routes');
  const withdrawnRoutes = readRoutes(withdrawnSection, Afi.Ipv4, context.addPathFamilies.has(IPV4_UNICAST), 'withdrawn route');
  const attributes = decodeAttributes(readSection(body, 'total path attribute'), context);
  const routes = readRoutes(body, Afi.Ipv4, context.addPathFamilies.has(IPV4_UNICAST), 'NLRI');
  return {
    withdrawnRoutes,
    attributes,
    routes,
    asPath: effectiveAsPath(attributes, context.fourOctetAs),
    endOfRib: endOfRibFamily(withdrawnRoutes, attributes, routes),
  };
}

/** A 2-byte length and the bytes it announces, refused when it overruns what is left. */
function readSection(body: ByteReader, what: string): ByteReader {
  const start = body.offset;
  const length = body.u16(`${what} length`);
  if (length > body.remaining) body.fail(`${what} length ${length} overruns the ${body.remaining} bytes left of the UPDATE`, start);
  return body.sub(length, what);
}

function readRoutes(reader: ByteReader, afi: number, withPathId: boolean, what: string): Route[] {
  const routes: Route[] = [];
  while (!reader.atEnd) {
    if (withPathId) {
      const pathId = reader.u32(`${what} path id`);
      routes.push({ prefix: readPrefix(reader, afi, what), pathId });
    } else {
      routes.push({ prefix: readPrefix(reader, afi, what) });
    }
  }
  return routes;
}

function decodeAttributes(section: ByteReader, context: UpdateDecodingContext): PathAttribute[] {
  const attributes: PathAttribute[] = [];
  while (!section.atEnd) {
    const start = section.offset;
    const flags = section.u8('path attribute flags');
    const code = section.u8('path attribute type');
    const length =
      flags & PathAttributeFlag.ExtendedLength ? section.u16(`path attribute ${code} length`) : section.u8(`path attribute ${code} length`);
    if (length > section.remaining) {
      section.fail(`path attribute ${code} length ${length} overruns the ${section.remaining} bytes left of the path attributes`, start);
    }
    attributes.push(decodeAttribute(code, flags, section.sub(length, `path attribute ${code}`), context));
  }
  return attributes;
}

function decodeAttribute(code: number, flags: number, reader: ByteReader, context: UpdateDecodingContext): PathAttribute {
  try {
    const decoded = decodeAttributeValue(code, reader, context);
    if (decoded === null) return { kind: 'unknown', code, flags, value: reader.copyWindow() };
    if (!reader.atEnd) throw new MalformedAttribute(`${reader.remaining} bytes left over`);
    // Assigning onto the fresh object rather than spreading it: this runs for every attribute of a full table.
    return Object.assign(decoded, { code, flags });
  } catch (error) {
    // MP_REACH/MP_UNREACH carry routes: a collector that skipped them would keep stale routes, so their errors stay fatal.
    const carriesRoutes = code === PathAttributeCode.MpReachNlri || code === PathAttributeCode.MpUnreachNlri;
    if (error instanceof MalformedAttribute || (error instanceof BmpDecodeError && !carriesRoutes)) {
      const problem = error instanceof BmpDecodeError ? error.problem : error.message;
      return { kind: 'unknown', code, flags, value: reader.copyWindow(), problem };
    }
    throw error;
  }
}

type AttributeValue = DistributiveOmit<PathAttribute, 'code' | 'flags'>;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** The attribute's decoded value; null for attributes (and address families) this decoder does not know. */
function decodeAttributeValue(code: number, reader: ByteReader, context: UpdateDecodingContext): AttributeValue | null {
  const length = reader.remaining;
  const expectLength = (expected: number, name: string) => {
    if (length !== expected) throw new MalformedAttribute(`${name} length ${length}, expected ${expected}`);
  };
  const expectMultiple = (unit: number, name: string) => {
    if (length % unit !== 0) throw new MalformedAttribute(`${name} length ${length} is not a multiple of ${unit}`);
  };
  switch (code) {
    case PathAttributeCode.Origin: {
      expectLength(1, 'ORIGIN');
      const origin = ORIGINS[reader.u8('ORIGIN')];
      if (origin === undefined) throw new MalformedAttribute('ORIGIN value is not 0, 1 or 2');
      return { kind: 'origin', origin };
    }
    case PathAttributeCode.AsPath:
      return { kind: 'asPath', segments: readAsPath(reader, context.fourOctetAs ? 4 : 2, 'AS_PATH') };
    case PathAttributeCode.NextHop:
      expectLength(4, 'NEXT_HOP');
      return { kind: 'nextHop', nextHop: reader.ipv4('NEXT_HOP') };
    case PathAttributeCode.MultiExitDisc:
      expectLength(4, 'MULTI_EXIT_DISC');
      return { kind: 'multiExitDisc', med: reader.u32('MULTI_EXIT_DISC') };
    case PathAttributeCode.LocalPref:
      expectLength(4, 'LOCAL_PREF');
      return { kind: 'localPref', localPref: reader.u32('LOCAL_PREF') };
    case PathAttributeCode.AtomicAggregate:
      expectLength(0, 'ATOMIC_AGGREGATE');
      return { kind: 'atomicAggregate' };
    case PathAttributeCode.Aggregator: {
      // The length tells the AS size unambiguously (6 or 8), whatever the session negotiated.
      if (length !== 6 && length !== 8) throw new MalformedAttribute(`AGGREGATOR length ${length}, expected 6 or 8`);
      const asnOctets = length === 8 ? 4 : 2;
      const asn = asnOctets === 4 ? reader.u32('AGGREGATOR AS') : reader.u16('AGGREGATOR AS');
      return { kind: 'aggregator', asn, address: reader.ipv4('AGGREGATOR address'), asnOctets };
    }
    case PathAttributeCode.Communities: {
      expectMultiple(4, 'COMMUNITIES');
      const communities: string[] = [];
      while (!reader.atEnd) communities.push(`${reader.u16('community')}:${reader.u16('community')}`);
      return { kind: 'communities', communities };
    }
    case PathAttributeCode.ExtendedCommunities: {
      expectMultiple(8, 'EXTENDED COMMUNITIES');
      const communities: ExtendedCommunity[] = [];
      while (!reader.atEnd) communities.push(readExtendedCommunity(reader.view(8, 'extended community')));
      return { kind: 'extendedCommunities', communities };
    }
    case PathAttributeCode.LargeCommunity: {
      expectMultiple(12, 'LARGE_COMMUNITY');
      const communities: string[] = [];
      while (!reader.atEnd) communities.push(`${reader.u32('global admin')}:${reader.u32('local data 1')}:${reader.u32('local data 2')}`);
      return { kind: 'largeCommunities', communities };
    }
    case PathAttributeCode.As4Path:
      return { kind: 'as4Path', segments: readAsPath(reader, 4, 'AS4_PATH') };
    case PathAttributeCode.As4Aggregator:
      expectLength(8, 'AS4_AGGREGATOR');
      return { kind: 'as4Aggregator', asn: reader.u32('AS4_AGGREGATOR AS'), address: reader.ipv4('AS4_AGGREGATOR address') };
    case PathAttributeCode.MpReachNlri:
      return readMpReach(reader, context);
    case PathAttributeCode.MpUnreachNlri:
      return readMpUnreach(reader, context);
    default:
      return null;
  }
}

function readAsPath(reader: ByteReader, asnOctets: 2 | 4, name: string): AsPathSegment[] {
  const segments: AsPathSegment[] = [];
  while (!reader.atEnd) {
    const type = reader.u8(`${name} segment type`);
    const kind = SEGMENT_KIND_BY_TYPE[type];
    if (kind === undefined) throw new MalformedAttribute(`${name} segment type ${type} is unknown`);
    const count = reader.u8(`${name} segment length`);
    reader.require(count * asnOctets, `${name} segment of ${count} ${asnOctets}-octet AS numbers`);
    const asns: number[] = [];
    for (let i = 0; i < count; i++) asns.push(asnOctets === 4 ? reader.u32('AS number') : reader.u16('AS number'));
    segments.push({ kind, asns });
  }
  return segments;
}

/** Route targets and route origins (RFC 4360 §5, RFC 5668) in text; any other community as hex. */
function readExtendedCommunity(bytes: Buffer): ExtendedCommunity {
  const type = bytes[0] as number;
  const subtype = bytes[1] as number;
  const label = subtype === 0x02 ? 'rt' : subtype === 0x03 ? 'soo' : null;
  let text: string;
  if (label !== null && type === 0x00) text = `${label}:${bytes.readUInt16BE(2)}:${bytes.readUInt32BE(4)}`;
  else if (label !== null && type === 0x01) text = `${label}:${bytesToIPv4(bytes, 2)}:${bytes.readUInt16BE(6)}`;
  else if (label !== null && type === 0x02) text = `${label}:${bytes.readUInt32BE(2)}:${bytes.readUInt16BE(6)}`;
  else text = bytes.toString('hex');
  return { type, subtype, text };
}

function isDecodedFamily(afi: number, safi: number): boolean {
  return (afi === Afi.Ipv4 || afi === Afi.Ipv6) && (safi === Safi.Unicast || safi === Safi.Multicast);
}

/** MP_REACH_NLRI (RFC 4760 §3): next hop of 4 (IPv4), 16 (IPv6 global) or 32 (global + link-local) bytes. */
function readMpReach(reader: ByteReader, context: UpdateDecodingContext): AttributeValue | null {
  const afi = reader.u16('MP_REACH_NLRI AFI');
  const safi = reader.u8('MP_REACH_NLRI SAFI');
  if (!isDecodedFamily(afi, safi)) return null;
  const nextHopStart = reader.offset;
  const nextHopLength = reader.u8('MP_REACH_NLRI next hop length');
  if (nextHopLength !== 4 && nextHopLength !== 16 && nextHopLength !== 32) {
    reader.fail(`MP_REACH_NLRI next hop length ${nextHopLength} is not 4, 16 or 32`, nextHopStart);
  }
  const nextHopBytes = reader.view(nextHopLength, 'MP_REACH_NLRI next hop');
  const nextHops =
    nextHopLength === 32
      ? [bytesToAddress(nextHopBytes.subarray(0, 16)), bytesToAddress(nextHopBytes.subarray(16))]
      : [bytesToAddress(nextHopBytes)];
  reader.u8('MP_REACH_NLRI reserved');
  const routes = readRoutes(reader, afi, context.addPathFamilies.has(afiSafiKey(afi, safi)), 'MP_REACH_NLRI');
  return { kind: 'mpReachNlri', afi, safi, nextHops, routes };
}

function readMpUnreach(reader: ByteReader, context: UpdateDecodingContext): AttributeValue | null {
  const afi = reader.u16('MP_UNREACH_NLRI AFI');
  const safi = reader.u8('MP_UNREACH_NLRI SAFI');
  if (!isDecodedFamily(afi, safi)) {
    // Still recognisable as an End-of-RIB marker (RFC 4724 §2) when it holds nothing else.
    return reader.atEnd ? { kind: 'mpUnreachNlri', afi, safi, withdrawnRoutes: [] } : null;
  }
  const withdrawnRoutes = readRoutes(reader, afi, context.addPathFamilies.has(afiSafiKey(afi, safi)), 'MP_UNREACH_NLRI');
  return { kind: 'mpUnreachNlri', afi, safi, withdrawnRoutes };
}

/**
 * RFC 4724 §2: an UPDATE with nothing in it ends the IPv4 unicast RIB; one whose only attribute is
 * an empty MP_UNREACH_NLRI ends that family's.
 */
function endOfRibFamily(withdrawnRoutes: Route[], attributes: PathAttribute[], routes: Route[]): AfiSafi | null {
  if (withdrawnRoutes.length > 0 || routes.length > 0) return null;
  const [only, ...others] = attributes;
  if (only === undefined) return { afi: Afi.Ipv4, safi: Safi.Unicast };
  if (others.length === 0 && only.kind === 'mpUnreachNlri' && only.withdrawnRoutes.length === 0) return { afi: only.afi, safi: only.safi };
  return null;
}

/**
 * The AS path the route really has. On a 2-octet session, ASes beyond 65535 appear as AS_TRANS in
 * AS_PATH and in full in AS4_PATH; RFC 6793 §4.2.3 rebuilds the path from both, unless AGGREGATOR
 * names a 2-octet AS (the aggregating speaker was old and AS4_PATH is stale) or AS4_PATH is longer
 * than AS_PATH. On a 4-octet session AS4_PATH must be ignored (§4.2.1).
 */
function effectiveAsPath(attributes: PathAttribute[], fourOctetAs: boolean): AsPathSegment[] | null {
  const asPath = attributes.find((attribute) => attribute.kind === 'asPath');
  if (asPath === undefined) return null;
  const as4Path = attributes.find((attribute) => attribute.kind === 'as4Path');
  if (fourOctetAs || as4Path === undefined) return asPath.segments;
  const aggregator = attributes.find((attribute) => attribute.kind === 'aggregator');
  if (aggregator !== undefined && aggregator.asn !== AS_TRANS) return asPath.segments;
  // RFC 6793 §6: confederation segments in AS4_PATH are discarded.
  const as4Segments = as4Path.segments.filter((segment) => segment.kind === 'sequence' || segment.kind === 'set');
  const as4Count = pathLength(as4Segments);
  let leading = pathLength(asPath.segments) - as4Count;
  if (leading < 0) return asPath.segments;
  const merged: AsPathSegment[] = [];
  for (const segment of asPath.segments) {
    if (leading <= 0) break;
    if (segment.kind === 'sequence') {
      const taken = segment.asns.slice(0, leading);
      merged.push({ kind: 'sequence', asns: taken });
      leading -= taken.length;
    } else {
      merged.push(segment);
      if (segment.kind === 'set') leading -= 1;
    }
  }
  for (const segment of as4Segments) {
    const last = merged[merged.length - 1];
    // Join a truncated AS_PATH sequence and the AS4_PATH sequence that continues it.
    if (last?.kind === 'sequence' && segment.kind === 'sequence')
      merged[merged.length - 1] = { kind: 'sequence', asns: [...last.asns, ...segment.asns] };
    else merged.push(segment);
  }
  return merged;
}

/** Path length as RFC 4271 §9.1.2.2 counts it: a set counts one, confederation segments nothing. */
function pathLength(segments: AsPathSegment[]): number {
  let length = 0;
  for (const segment of segments) length += segment.kind === 'sequence' ? segment.asns.length : segment.kind === 'set' ? 1 : 0;
  return length;
}
