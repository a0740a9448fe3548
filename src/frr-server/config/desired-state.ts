/**
 * What one host's FRR and GRE tunnels should look like: a plain data structure, built from the
 * inventory (desiredStateFromInventory below), checked by validateDesiredState and rendered by
 * renderHostConfig. Nothing here talks to a database, SSH or FRR.
 */
import type {
  BgpSessionEntity,
  GreTunnelEntity,
  HostEntity,
  HostedVpcEntity,
  PeEntity,
} from '../../common/inventory/inventory.entities.js';
import { parseIPv4 } from '../../common/net/ip-address.js';
import { overlapEntries, platformRefusedRanges, sessionLengths, sessionPermitEntries } from '../../common/policy/host-import-filter.js';
import type { PrefixLengthLimits, PrefixListEntry } from '../../common/policy/import-policy.js';

/** One `ip prefix-list` / `ipv6 prefix-list` entry: `permit <prefix> [ge N] [le N]` (canonical prefix). */
export type { PrefixListEntry };

/** The policy of one address family of one session; null on the session means not activated. */
export interface AddressFamilyPolicy {
  /** What the host accepts from the peer; empty: nothing (the route-map denies everything). */
  importPrefixes: PrefixListEntry[];
  /**
   * Names of shared lists (HostDesiredState.importRefusals, same family) whose matches the inbound
   * route-map refuses before it looks at importPrefixes; none when unset.
   */
  importRefusedBy?: string[];
  /** `set local-preference` on what the session accepts; null/unset: none. */
  localPref?: number | null;
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
  /** Null for a tunnel without that family; at least one of the two is set. */
  ipv4: InnerAddressing | null;
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

/**
 * A prefix-list shared by the host's sessions (the platform's refused ranges, a VPC's own CIDRs):
 * each session's inbound route-map refuses its matches first (AddressFamilyPolicy.importRefusedBy).
 */
export interface RefusalList {
  /** RB-REFUSED-V4, RB-VPC-12-V6, …: [A-Za-z0-9_-], unlike any session's policy name. */
  name: string;
  family: 4 | 6;
  entries: PrefixListEntry[];
}

export interface HostDesiredState {
  host: { name: string; routerId: string; asn: number };
  /** Rendered before the sessions' own lists; none when unset. */
  importRefusals?: RefusalList[];
  /** Router-wide `bgp graceful-restart`; FRR's restart-time is per router, not per neighbor. */
  gracefulRestart: { restartTimeSeconds: number } | null;
  bmp: BmpTargetDesiredState | null;
  tunnels: TunnelDesiredState[];
}

// --- builder ------------------------------------------------------------------------------------

export type HostInput = Pick<HostEntity, 'name' | 'routerId' | 'asn'>;
export type TunnelInput = Pick<
  GreTunnelEntity,
  | 'interfaceName'
  | 'tunnelKey'
  | 'localInnerAddress'
  | 'remoteInnerAddress'
  | 'innerPrefixLength'
  | 'localInnerAddressV6'
  | 'remoteInnerAddressV6'
  | 'innerPrefixLengthV6'
  | 'mtu'
  | 'ttl'
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
> &
  Partial<Pick<BgpSessionEntity, 'addressFamilies' | 'importPolicy'>>;

/** A tunnel of the host with its PE and the sessions running over it (each with its hosted VPC). */
export interface TunnelWithSessions {
  tunnel: TunnelInput;
  pe: Pick<PeEntity, 'underlayAddress'>;
  sessions: { session: SessionInput; hostedVpc: Pick<HostedVpcEntity, 'id' | 'cidrs'> }[];
}

/** The platform's half of every session's import policy (configuration: AppConfig.policy). */
export interface PlatformImportPolicy {
  reservedRanges: readonly string[];
  prefixLength: PrefixLengthLimits;
}

export interface BuildOptions {
  /** The host's own underlay address (HostEntity.underlayAddress is used when omitted). */
  underlayAddress?: string;
  bmp: BmpTargetDesiredState | null;
  /** Whether a session runs BFD; default false. */
  bfd?: (session: SessionInput) => boolean;
  platform: PlatformImportPolicy;
}

const FAMILY_OF_AFI = { 'ipv4-unicast': 4, 'ipv6-unicast': 6 } as const;

/**
 * Builds the desired state from inventory rows. Pure and total: it copies and derives, and leaves
 * every check to validateDesiredState (so that an operator sees all problems at once).
 *
 * Derivations:
 *  - a session activates its addressFamilies (default: the family of its peer address);
 *  - it exports its hosted VPC's CIDRs of that family (exact matches);
 *  - it imports what its import policy and the platform's allow, the same decision BRM makes
 *    (src/common/policy/host-import-filter.ts): shared refusal lists for the platform's ranges and
 *    each VPC's own CIDRs, then the session's own permits, and its local-preference override;
 *  - gracefulRestartSeconds > 0 turns graceful restart on for the session; FRR's restart-time is
 *    one value per router, so the host gets the largest one of its sessions.
 */
export function desiredStateFromInventory(
  host: HostInput & { underlayAddress?: string },
  tunnels: readonly TunnelWithSessions[],
  options: BuildOptions,
): HostDesiredState {
  const { platform } = options;
  const familiesOf = (session: SessionInput): Set<4 | 6> =>
    new Set(
      session.addressFamilies && session.addressFamilies.length > 0
        ? session.addressFamilies.map((afi) => FAMILY_OF_AFI[afi])
        : [parseIPv4(session.peerAddress) >= 0 ? 4 : 6],
    );

  // The shortest length any session of the host accepts, per family: refusal lists need supernets
  // of their ranges down to it, no shorter.
  const shortest: Record<4 | 6, number> = { 4: Infinity, 6: Infinity };
  const vpcsByFamily: Record<4 | 6, Map<number, readonly string[]>> = { 4: new Map(), 6: new Map() };
  for (const { sessions } of tunnels) {
    for (const { session, hostedVpc } of sessions) {
      for (const family of familiesOf(session)) {
        shortest[family] = Math.min(shortest[family], sessionLengths(session.importPolicy ?? null, platform.prefixLength, family).min);
        vpcsByFamily[family].set(hostedVpc.id, hostedVpc.cidrs);
      }
    }
  }
  const importRefusals: RefusalList[] = [];
  const refusedBy = new Map<string, string[]>(); // `${family}|${vpcId}` → list names
  const refusedRanges = platformRefusedRanges(platform.reservedRanges);
  for (const family of [4, 6] as const) {
    if (shortest[family] === Infinity) continue;
    const afi = family === 4 ? 'V4' : 'V6';
    const platformEntries = overlapEntries(refusedRanges, family, shortest[family]);
    const platformName = `RB-REFUSED-${afi}`;
    if (platformEntries.length > 0) importRefusals.push({ name: platformName, family, entries: platformEntries });
    for (const [vpcId, cidrs] of [...vpcsByFamily[family]].sort(([a], [b]) => a - b)) {
      const names = platformEntries.length > 0 ? [platformName] : [];
      const vpcEntries = overlapEntries(cidrs, family, shortest[family]);
      if (vpcEntries.length > 0) {
        const name = `RB-VPC-${vpcId}-${afi}`;
        importRefusals.push({ name, family, entries: vpcEntries });
        names.push(name);
      }
      refusedBy.set(`${family}|${vpcId}`, names);
    }
  }

  let restartTime = 0;
  const built = tunnels.map(({ tunnel, pe, sessions }): TunnelDesiredState => ({
    interfaceName: tunnel.interfaceName,
    tunnelKey: tunnel.tunnelKey,
    localUnderlay: options.underlayAddress ?? host.underlayAddress ?? '',
    remoteUnderlay: pe.underlayAddress,
    mtu: tunnel.mtu,
    ttl: tunnel.ttl,
    ipv4: innerOf(tunnel.localInnerAddress, tunnel.remoteInnerAddress, tunnel.innerPrefixLength),
    ipv6: innerOf(tunnel.localInnerAddressV6, tunnel.remoteInnerAddressV6, tunnel.innerPrefixLengthV6),
    sessions: sessions.map(({ session, hostedVpc }): SessionDesiredState => {
      restartTime = Math.max(restartTime, session.gracefulRestartSeconds);
      const families = familiesOf(session);
      const policy = session.importPolicy ?? null;
      const familyPolicy = (family: 4 | 6): AddressFamilyPolicy | null =>
        families.has(family)
          ? {
              importPrefixes: sessionPermitEntries(policy, family, sessionLengths(policy, platform.prefixLength, family)),
              importRefusedBy: refusedBy.get(`${family}|${hostedVpc.id}`) ?? [],
              localPref: policy?.localPref ?? null,
              exportPrefixes: hostedVpc.cidrs.filter((cidr) => cidr.includes(':') === (family === 6)).map((prefix) => ({ prefix })),
              maxPrefix: session.maxPrefix,
            }
          : null;
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
        ipv4Unicast: familyPolicy(4),
        ipv6Unicast: familyPolicy(6),
      };
    }),
  }));
  return {
    host: { name: host.name, routerId: host.routerId, asn: host.asn },
    gracefulRestart: restartTime > 0 ? { restartTimeSeconds: restartTime } : null,
    bmp: options.bmp ? { ...options.bmp } : null,
    importRefusals,
    tunnels: built,
  };
}

function innerOf(local: string | null, remote: string | null, prefixLength: number | null): InnerAddressing | null {
  return local === null || remote === null || prefixLength === null ? null : { localAddress: local, remoteAddress: remote, prefixLength };
}
