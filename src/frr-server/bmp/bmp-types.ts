/**
 * The decoded forms of BMP messages and the BGP messages they carry. Plain data: the encoder
 * (bmp-encode.ts) takes the same shapes, so a decoded message encodes back to the same bytes.
 *
 * Convention for what the decoder does not understand: anything whose framing is intact (an
 * unknown BMP message type, TLV, statistic, capability or path attribute, or a known attribute
 * with bad contents) is kept with its raw bytes and is never fatal. Only structure that makes the
 * rest of the message unreadable throws a BmpDecodeError.
 */

export interface AfiSafi {
  afi: number;
  safi: number;
}

// --- BGP ------------------------------------------------------------------------------------

export type BgpCapability =
  | { kind: 'multiprotocol'; afi: number; safi: number }
  | { kind: 'routeRefresh' }
  | { kind: 'routeRefreshLegacy' }
  | { kind: 'enhancedRouteRefresh' }
  | { kind: 'extendedMessage' }
  | { kind: 'fourOctetAs'; asn: number }
  | { kind: 'addPath'; families: AddPathFamily[] }
  | { kind: 'gracefulRestart'; restartFlags: number; restartTimeSeconds: number; families: GracefulRestartFamily[] }
  | { kind: 'extendedNextHop'; families: ExtendedNextHopFamily[] }
  | { kind: 'fqdn'; hostname: string; domainName: string }
  /** A capability this decoder does not know, or a known one whose value it could not read. */
  | { kind: 'unknown'; code: number; value: Buffer; problem?: string };

export interface AddPathFamily extends AfiSafi {
  /** 1 receive, 2 send, 3 both (AddPathDirection). */
  sendReceive: number;
}

export interface GracefulRestartFamily extends AfiSafi {
  flags: number;
}

export interface ExtendedNextHopFamily extends AfiSafi {
  nextHopAfi: number;
}

export interface BgpOpenMessage {
  version: number;
  /** The 2-octet My AS field as sent (AS_TRANS 23456 when the real AS needs 4 octets). */
  myAs: number;
  /** The speaker's AS: the 4-octet AS capability's value when present, else `myAs`. */
  asn: number;
  holdTimeSeconds: number;
  bgpId: string;
  capabilities: BgpCapability[];
  /** Optional parameters other than capabilities (deprecated ones such as authentication). */
  otherParameters: { type: number; value: Buffer }[];
}

export interface BgpNotificationMessage {
  code: number;
  subcode: number;
  data: Buffer;
}

export type AsPathSegmentKind = 'set' | 'sequence' | 'confedSequence' | 'confedSet';

export interface AsPathSegment {
  kind: AsPathSegmentKind;
  asns: number[];
}

export interface Route {
  /** Canonical text: `10.0.0.0/8`, `2001:db8::/32` (RFC 5952), host bits cleared. */
  prefix: string;
  /** ADD-PATH path identifier (RFC 7911), when negotiated for the family and direction. */
  pathId?: number;
}

export interface ExtendedCommunity {
  type: number;
  subtype: number;
  /** `rt:65001:42`, `soo:192.0.2.1:7` for route targets and origins; otherwise 16 hex digits. */
  text: string;
}

export type PathAttribute = (
  | { kind: 'origin'; origin: 'igp' | 'egp' | 'incomplete' }
  | { kind: 'asPath'; segments: AsPathSegment[] }
  | { kind: 'nextHop'; nextHop: string }
  | { kind: 'multiExitDisc'; med: number }
  | { kind: 'localPref'; localPref: number }
  | { kind: 'atomicAggregate' }
  | { kind: 'aggregator'; asn: number; address: string; asnOctets: 2 | 4 }
  | { kind: 'communities'; communities: string[] }
  | { kind: 'extendedCommunities'; communities: ExtendedCommunity[] }
  | { kind: 'largeCommunities'; communities: string[] }
  | { kind: 'as4Path'; segments: AsPathSegment[] }
  | { kind: 'as4Aggregator'; asn: number; address: string }
  | { kind: 'mpReachNlri'; afi: number; safi: number; nextHops: string[]; routes: Route[] }
  | { kind: 'mpUnreachNlri'; afi: number; safi: number; withdrawnRoutes: Route[] }
  /**
   * An attribute this decoder does not know, a known one with unreadable contents (`problem` says
   * why; RFC 7606 leaves such an UPDATE to the receiver, and a monitor should still see it), or
   * MP_REACH/MP_UNREACH for an address family other than IPv4/IPv6 unicast.
   */
  | { kind: 'unknown'; value: Buffer; problem?: string }
) & { code: number; flags: number };

export interface BgpUpdateMessage {
  withdrawnRoutes: Route[];
  attributes: PathAttribute[];
  /** IPv4 unicast routes in the UPDATE's own NLRI field; other families are in mpReachNlri. */
  routes: Route[];
  /**
   * The AS path as the peer meant it: AS_PATH, with AS4_PATH merged in when the session used
   * 2-octet AS numbers (RFC 6793 §4.2.3). Null when the UPDATE has no AS_PATH.
   */
  asPath: AsPathSegment[] | null;
  /** The End-of-RIB marker's family (RFC 4724 §2), or null for an ordinary UPDATE. */
  endOfRib: AfiSafi | null;
}

// --- BMP ------------------------------------------------------------------------------------

export interface PeerFlags {
  ipv6: boolean;
  postPolicy: boolean;
  /** A flag: the message's AS_PATH uses 2-octet AS numbers. */
  legacyAsPath: boolean;
  adjRibOut: boolean;
  /** F flag of a Loc-RIB peer (RFC 9069); false for other peer types. */
  locRibFiltered: boolean;
}

export interface PerPeerHeader {
  /** BmpPeerType: 0 global, 1 RD instance, 2 local instance, 3 Loc-RIB. */
  peerType: number;
  flags: PeerFlags;
  /** The 8-byte peer distinguisher as 16 hex digits (route distinguisher for RD instances). */
  peerDistinguisher: string;
  peerAddress: string;
  peerAs: number;
  peerBgpId: string;
  timestampSeconds: number;
  timestampMicroseconds: number;
}

export interface InformationTlv {
  type: number;
  value: Buffer;
  /** UTF-8 text of the string types (string, sysDescr, sysName, VRF/table name). */
  text?: string;
}

export interface InitiationMessage {
  kind: 'initiation';
  information: InformationTlv[];
}

export interface TerminationMessage {
  kind: 'termination';
  /** Termination TLVs: type 0 carries text, type 1 a 2-byte reason (BmpTerminationReason). */
  information: InformationTlv[];
  reason: number | null;
}

export interface PeerUpMessage {
  kind: 'peerUp';
  peer: PerPeerHeader;
  localAddress: string;
  localPort: number;
  remotePort: number;
  /**
   * The OPEN the router sent and the one it received; null when the router put a bare OPEN header
   * in its place because it did not keep that message (FRR does, see decodeReportedOpen): then what
   * the session negotiated is not known.
   */
  sentOpen: BgpOpenMessage | null;
  receivedOpen: BgpOpenMessage | null;
  information: InformationTlv[];
}

export interface PeerDownMessage {
  kind: 'peerDown';
  peer: PerPeerHeader;
  /** BmpPeerDownReason, or a value this decoder does not know. */
  reason: number;
  /** Reasons 1 and 3. */
  notification: BgpNotificationMessage | null;
  /** Reason 2: the FSM event that closed the session. */
  fsmEvent: number | null;
  /** Reason 6 (RFC 9069). */
  information: InformationTlv[];
  /** Bytes after what the reason defines: the whole data for reasons this decoder does not know. */
  data: Buffer;
}

export interface RouteMonitoringMessage {
  kind: 'routeMonitoring';
  peer: PerPeerHeader;
  update: BgpUpdateMessage;
  /** True when no Peer Up was seen for this peer and the UPDATE was read with default session settings. */
  contextAssumed: boolean;
}

export type Statistic =
  | { type: number; kind: 'counter32'; value: number }
  | { type: number; kind: 'gauge64'; value: bigint }
  | { type: number; kind: 'afiSafiGauge64'; afi: number; safi: number; value: bigint }
  /** Unknown type, or a known type with the wrong length. */
  | { type: number; kind: 'unknown'; value: Buffer };

export interface StatisticsReportMessage {
  kind: 'statisticsReport';
  peer: PerPeerHeader;
  statistics: Statistic[];
}

export interface RouteMirroringMessage {
  kind: 'routeMirroring';
  peer: PerPeerHeader;
  /** Type 0: a BGP message, type 1: a 2-byte information code; kept raw. */
  tlvs: { type: number; value: Buffer }[];
}

export interface UnknownBmpMessage {
  kind: 'unknown';
  messageType: number;
  body: Buffer;
}

export type BmpMessage =
  | InitiationMessage
  | TerminationMessage
  | PeerUpMessage
  | PeerDownMessage
  | RouteMonitoringMessage
  | StatisticsReportMessage
  | RouteMirroringMessage
  | UnknownBmpMessage;
