/**
 * Protocol tables for BMP v3 (RFC 7854, RFC 8671, RFC 9069) and the parts of BGP-4 it carries
 * (RFC 4271, RFC 4760, RFC 5492, RFC 6793, RFC 7911, RFC 8092). Names follow the RFCs and the IANA
 * registries so a reader can look each value up.
 */

export const BMP_VERSION = 3;
/** Version (1) + message length (4) + message type (1). */
export const BMP_COMMON_HEADER_LENGTH = 6;
/** Peer type (1) + flags (1) + distinguisher (8) + address (16) + AS (4) + BGP id (4) + timestamp (8). */
export const BMP_PER_PEER_HEADER_LENGTH = 42;

export const BmpMessageType = {
  RouteMonitoring: 0,
  StatisticsReport: 1,
  PeerDownNotification: 2,
  PeerUpNotification: 3,
  Initiation: 4,
  Termination: 5,
  RouteMirroring: 6,
} as const;

export const BmpPeerType = {
  Global: 0,
  RdInstance: 1,
  LocalInstance: 2,
  /** RFC 9069. */
  LocRib: 3,
} as const;

/** Per-peer header flag bits (RFC 7854 §4.2, RFC 8671 §4). */
export const BmpPeerFlag = {
  /** V: the peer address is IPv6. */
  Ipv6: 0x80,
  /** L: post-policy Adj-RIB. */
  PostPolicy: 0x40,
  /** A: the AS_PATH in this message uses the legacy 2-octet format. */
  LegacyAsPath: 0x20,
  /** O: Adj-RIB-Out (RFC 8671). */
  AdjRibOut: 0x10,
  /** F: for peer type Loc-RIB only, the Loc-RIB is filtered (RFC 9069 §4.2). */
  LocRibFiltered: 0x80,
} as const;

export const BmpPeerDownReason = {
  LocalNotification: 1,
  LocalNoNotification: 2,
  RemoteNotification: 3,
  RemoteNoNotification: 4,
  PeerDeconfigured: 5,
  /** RFC 9069: the local system closed a Loc-RIB instance; information TLVs follow. */
  LocalSystemClosed: 6,
} as const;

/** Information TLV types of Initiation and Peer Up (RFC 7854 §4.4, RFC 9069 §5.3). */
export const BmpInformationType = {
  String: 0,
  SysDescr: 1,
  SysName: 2,
  VrfTableName: 3,
} as const;

export const BmpTerminationType = {
  String: 0,
  Reason: 1,
} as const;

export const BmpTerminationReason = {
  AdministrativelyClosed: 0,
  Unspecified: 1,
  OutOfResources: 2,
  RedundantConnection: 3,
  PermanentlyAdministrativelyClosed: 4,
} as const;

export const BmpRouteMirroringType = {
  BgpMessage: 0,
  Information: 1,
} as const;

/** Statistics types (RFC 7854 §4.8, RFC 8671 §5) and how each value is encoded. */
export const BmpStatType = {
  RejectedPrefixes: 0,
  DuplicatePrefixAdvertisements: 1,
  DuplicateWithdraws: 2,
  ClusterListLoopUpdates: 3,
  AsPathLoopUpdates: 4,
  OriginatorIdLoopUpdates: 5,
  AsConfedLoopUpdates: 6,
  AdjRibInRoutes: 7,
  LocRibRoutes: 8,
  AdjRibInRoutesPerAfiSafi: 9,
  LocRibRoutesPerAfiSafi: 10,
  UpdatesTreatedAsWithdraw: 11,
  PrefixesTreatedAsWithdraw: 12,
  DuplicateUpdates: 13,
  AdjRibOutPrePolicyRoutes: 14,
  AdjRibOutPostPolicyRoutes: 15,
  AdjRibOutPrePolicyRoutesPerAfiSafi: 16,
  AdjRibOutPostPolicyRoutesPerAfiSafi: 17,
} as const;

export type BmpStatEncoding = 'counter32' | 'gauge64' | 'afiSafiGauge64';

export const BMP_STAT_ENCODING: ReadonlyMap<number, BmpStatEncoding> = new Map<number, BmpStatEncoding>([
  [BmpStatType.RejectedPrefixes, 'counter32'],
  [BmpStatType.DuplicatePrefixAdvertisements, 'counter32'],
  [BmpStatType.DuplicateWithdraws, 'counter32'],
  [BmpStatType.ClusterListLoopUpdates, 'counter32'],
  [BmpStatType.AsPathLoopUpdates, 'counter32'],
  [BmpStatType.OriginatorIdLoopUpdates, 'counter32'],
  [BmpStatType.AsConfedLoopUpdates, 'counter32'],
  [BmpStatType.AdjRibInRoutes, 'gauge64'],
  [BmpStatType.LocRibRoutes, 'gauge64'],
  [BmpStatType.AdjRibInRoutesPerAfiSafi, 'afiSafiGauge64'],
  [BmpStatType.LocRibRoutesPerAfiSafi, 'afiSafiGauge64'],
  [BmpStatType.UpdatesTreatedAsWithdraw, 'counter32'],
  [BmpStatType.PrefixesTreatedAsWithdraw, 'counter32'],
  [BmpStatType.DuplicateUpdates, 'counter32'],
  [BmpStatType.AdjRibOutPrePolicyRoutes, 'gauge64'],
  [BmpStatType.AdjRibOutPostPolicyRoutes, 'gauge64'],
  [BmpStatType.AdjRibOutPrePolicyRoutesPerAfiSafi, 'afiSafiGauge64'],
  [BmpStatType.AdjRibOutPostPolicyRoutesPerAfiSafi, 'afiSafiGauge64'],
]);

/** Byte length of a statistic's value, by encoding. */
export const BMP_STAT_LENGTH: Readonly<Record<BmpStatEncoding, number>> = { counter32: 4, gauge64: 8, afiSafiGauge64: 11 };

export const BGP_MARKER_LENGTH = 16;
/** Marker (16) + length (2) + type (1). */
export const BGP_HEADER_LENGTH = 19;

export const BgpMessageType = {
  Open: 1,
  Update: 2,
  Notification: 3,
  Keepalive: 4,
  RouteRefresh: 5,
} as const;

/** RFC 6793: the 2-octet placeholder for a 4-octet AS number. */
export const AS_TRANS = 23456;

export const BgpOptionalParameterType = {
  Capabilities: 2,
  /** RFC 9072: marks the extended optional parameters length encoding. */
  ExtendedLength: 255,
} as const;

export const BgpCapabilityCode = {
  Multiprotocol: 1,
  RouteRefresh: 2,
  ExtendedNextHop: 5,
  ExtendedMessage: 6,
  GracefulRestart: 64,
  FourOctetAs: 65,
  AddPath: 69,
  EnhancedRouteRefresh: 70,
  Fqdn: 73,
  /** Pre-standard route refresh, still advertised by FRR and others. */
  RouteRefreshLegacy: 128,
} as const;

/** ADD-PATH Send/Receive field (RFC 7911 §4). */
export const AddPathDirection = {
  Receive: 1,
  Send: 2,
  Both: 3,
} as const;

export const Afi = { Ipv4: 1, Ipv6: 2 } as const;
export const Safi = { Unicast: 1, Multicast: 2 } as const;

export const PathAttributeFlag = {
  Optional: 0x80,
  Transitive: 0x40,
  Partial: 0x20,
  ExtendedLength: 0x10,
} as const;

export const PathAttributeCode = {
  Origin: 1,
  AsPath: 2,
  NextHop: 3,
  MultiExitDisc: 4,
  LocalPref: 5,
  AtomicAggregate: 6,
  Aggregator: 7,
  Communities: 8,
  MpReachNlri: 14,
  MpUnreachNlri: 15,
  ExtendedCommunities: 16,
  As4Path: 17,
  As4Aggregator: 18,
  LargeCommunity: 32,
} as const;

export const AsPathSegmentType = {
  AsSet: 1,
  AsSequence: 2,
  AsConfedSequence: 3,
  AsConfedSet: 4,
} as const;

export const BgpOrigin = { Igp: 0, Egp: 1, Incomplete: 2 } as const;
