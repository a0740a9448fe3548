/**
 * What one host's FRR and GRE tunnels should look like: a plain data structure, built from the
 * inventory (desiredStateFromInventory below), checked by validateDesiredState and rendered by
 * renderHostConfig. Nothing here talks to a database, SSH or FRR.
 */
import { isIPv4 } from 'node:net';
import type {
  BgpSessionEntity,
  GreTunnelEntity,
  HostEntity,
  HostedVpcEntity,
  PeEntity,
} from '../../common/inventory/inventory.entities.js';
import { parsePrefix } from '../../common/inventory/addressing.js';

/** One `ip prefix-list` / `ipv6 prefix-list` entry: `permit <prefix> [ge N] [le N]`. */
export interface PrefixListEntry {
  /** Canonical prefix (network address, lower-case, compressed IPv6), e.g. 10.0.0.0/8. */
  prefix: string;
  ge?: number;
  le?: number;
}

/** The policy of one address family of one session; null on the session means not activated. */
export interface AddressFamilyPolicy {
  /** What the host accepts from the peer; empty: nothing (the route-map denies everything). */
  importPrefixes: PrefixListEntry[];
  /** What the host announces to the peer; empty: nothing. */
  exportPrefixes: PrefixListEntry[];
  /** `neighbor … maximum-prefix`: the session is torn down above this many prefixes. */
  maxPrefix: number;
}

export interface SessionDesiredState {
  peerAddress: string;
  /** Must equal the host's ASN (per-neighbor local-as is not supported). */
  localAsn: number;
  peerAsn: number;
  /** Free text, shown in `neighbor … description`; '' for none. */
  description: string;
  /** TCP MD5 key; null for none. Never logged, never echoed in errors. */
  md5Password: string | null;
  keepaliveSeconds: number;
  holdTimeSeconds: number;
  bfd: boolean;
  /** true: `neighbor … graceful-restart`; false: `neighbor … graceful-restart-disable`. */
  gracefulRestart: boolean;
  ipv4Unicast: AddressFamilyPolicy | null;
  ipv6Unicast: AddressFamilyPolicy | null;
}

/** Both ends of a tunnel in one address family; both addresses lie in one subnet. */
export interface InnerAddressing {
  localAddress: string;
  remoteAddress: string;
  prefixLength: number;
}

export interface TunnelDesiredState {
  /** Linux interface name, [a-z][a-z0-9_-]{0,14}. */
  interfaceName: string;
  tunnelKey: number;
  /** The host's underlay (outer) IPv4 address. */
  localUnderlay: string;
  /** The PE's underlay (outer) IPv4 address. */
  remoteUnderlay: string;
  mtu: number;
  ttl: number;
  ipv4: InnerAddressing;
  /** Optional IPv6 inner addressing (the inventory has none yet: see BuildOptions.ipv6Inner). */
  ipv6: InnerAddressing | null;
  sessions: SessionDesiredState[];
}

/** FRR's BMP target (bgpd must run with `-M bmp`); all four monitors are always on. */
export interface BmpTargetDesiredState {
  /** `bmp targets <name>`. */
  name: string;
  address: string;
  port: number;
  minRetryMs: number;
  maxRetryMs: number;
}

export interface HostDesiredState {
  host: { name: string; routerId: string; asn: number };
  /** Router-wide `bgp graceful-restart`; FRR's restart-time is per router, not per neighbor. */
  gracefulRestart: { restartTimeSeconds: number } | null;
  bmp: BmpTargetDesiredState | null;
  tunnels: TunnelDesiredState[];
}

// --- builder ------------------------------------------------------------------------------------

export type HostInput = Pick<HostEntity, 'name' | 'routerId' | 'asn'>;
export type TunnelInput = Pick<
  GreTunnelEntity,
  'interfaceName' | 'tunnelKey' | 'localInnerAddress' | 'remoteInnerAddress' | 'innerPrefixLength' | 'mtu' | 'ttl'
>;
export type SessionInput = Pick<
  BgpSessionEntity,
  | 'localAsn'
  | 'peerAsn'
  | 'peerAddress'
  | 'md5Password'
  | 'keepaliveSeconds'
  | 'holdTimeSeconds'
  | 'maxPrefix'
  | 'gracefulRestartSeconds'
  | 'description'
>;

/** A tunnel of the host with its PE and the sessions running over it (each with its hosted VPC). */
export interface TunnelWithSessions {
  tunnel: TunnelInput;
  pe: Pick<PeEntity, 'underlayAddress'>;
  sessions: { session: SessionInput; hostedVpc: Pick<HostedVpcEntity, 'cidrs'> }[];
}

export interface BuildOptions {
  /** The host's own underlay address (HostEntity.underlayAddress is used when omitted). */
  underlayAddress?: string;
  bmp: BmpTargetDesiredState | null;
  /** Whether a session runs BFD; default false. */
  bfd?: (session: SessionInput) => boolean;
  /** What a session may import from the peer; default nothing. */
  importPrefixes?: (session: SessionInput) => PrefixListEntry[];
  /** IPv6 inner addressing of a tunnel (keyed by interface name); the inventory has none yet. */
  ipv6Inner?: Readonly<Record<string, InnerAddressing>>;
}

/**
 * Builds the desired state from inventory rows. Pure and total: it copies and derives, and leaves
 * every check to validateDesiredState (so that an operator sees all problems at once).
 *
 * Derivations:
 *  - each session activates the address family of its peer address;
 *  - it exports its hosted VPC's CIDRs of that family (exact matches), imports options.importPrefixes;
 *  - gracefulRestartSeconds > 0 turns graceful restart on for the session; FRR's restart-time is
 *    one value per router, so the host gets the largest one of its sessions.
 */
export function desiredStateFromInventory(
  host: HostInput & { underlayAddress?: string },
  tunnels: readonly TunnelWithSessions[],
  options: BuildOptions,
): HostDesiredState {
  let restartTime = 0;
  const built = tunnels.map(({ tunnel, pe, sessions }): TunnelDesiredState => {
    const ipv6 = options.ipv6Inner?.[tunnel.interfaceName];
    return {
      interfaceName: tunnel.interfaceName,
      tunnelKey: tunnel.tunnelKey,
      localUnderlay: options.underlayAddress ?? host.underlayAddress ?? '',
      remoteUnderlay: pe.underlayAddress,
      mtu: tunnel.mtu,
      ttl: tunnel.ttl,
      ipv4: { localAddress: tunnel.localInnerAddress, remoteAddress: tunnel.remoteInnerAddress, prefixLength: tunnel.innerPrefixLength },
      ipv6: ipv6 ? { ...ipv6 } : null,
      sessions: sessions.map(({ session, hostedVpc }): SessionDesiredState => {
        restartTime = Math.max(restartTime, session.gracefulRestartSeconds);
        const v4 = isIPv4(session.peerAddress);
        const exportOf = (family: 4 | 6): PrefixListEntry[] =>
          hostedVpc.cidrs.filter((cidr) => familyOf(cidr) === family).map((prefix) => ({ prefix }));
        const policy = (family: 4 | 6): AddressFamilyPolicy => ({
          importPrefixes: (options.importPrefixes?.(session) ?? []).filter((entry) => familyOf(entry.prefix) === family),
          exportPrefixes: exportOf(family),
          maxPrefix: session.maxPrefix,
        });
        return {
          peerAddress: session.peerAddress,
          localAsn: session.localAsn,
          peerAsn: session.peerAsn,
          description: session.description,
          md5Password: session.md5Password,
          keepaliveSeconds: session.keepaliveSeconds,
          holdTimeSeconds: session.holdTimeSeconds,
          bfd: options.bfd?.(session) ?? false,
          gracefulRestart: session.gracefulRestartSeconds > 0,
          ipv4Unicast: v4 ? policy(4) : null,
          ipv6Unicast: v4 ? null : policy(6),
        };
      }),
    };
  });
  return {
    host: { name: host.name, routerId: host.routerId, asn: host.asn },
    gracefulRestart: restartTime > 0 ? { restartTimeSeconds: restartTime } : null,
    bmp: options.bmp ? { ...options.bmp } : null,
    tunnels: built,
  };
}

/** 4 or 6 by the text of a prefix (unparseable text counts as IPv4; validation reports it). */
function familyOf(prefix: string): 4 | 6 {
  const parsed = parsePrefix(prefix);
  if (typeof parsed !== 'string') return parsed.family;
  return prefix.includes(':') ? 6 : 4;
}
