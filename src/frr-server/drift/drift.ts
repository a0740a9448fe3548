/**
 * Drift between what route-broker would apply to a host and what the host really runs: config
 * lines missing or extra, sessions that should be up but are not, tunnel interfaces missing,
 * down, with the wrong MTU or inner addresses, or (managed tunnels) the wrong GRE parameters. Pure: the caller reads the host (drift.service.ts) and hands the
 * raw command outputs in; nothing here talks to SSH, FRR or a database.
 */
import { createHash } from 'node:crypto';
import { addressToBigInt, parseIPv4 } from '../../common/net/ip-address.js';
import { configEntries, vtyshServiceLine } from '../apply/frr-config-text.js';
import { redactSecrets } from '../apply/redact.js';

/** What the inventory says the host should look like. */
export interface DesiredHostState {
  /** The rendered FRR configuration (renderHostConfig().frrConf), passwords included. */
  frrConf: string;
  /**
   * managed: route-broker makes the tunnels, so their GRE parameters (local, remote, key, ttl)
   * are its too and are checked; external: only what BGP needs of them (up, MTU, inner addresses).
   */
  tunnelProvisioning: 'managed' | 'external';
  /** As renderHostConfig().tunnels. */
  tunnels: DesiredTunnel[];
  /** Every session of the host: each must be Established. */
  sessions: { peerAddress: string; interfaceName: string }[];
}

export interface DesiredTunnel {
  interfaceName: string;
  mtu: number;
  /** The host's inner addresses with prefix length (`169.254.1.2/30`), null for a family the tunnel lacks. */
  ipv4: string | null;
  ipv6: string | null;
  localUnderlay: string;
  remoteUnderlay: string;
  key: number;
  ttl: number;
}

/** Raw outputs read from the host. */
export interface ObservedHostState {
  /** `show running-config bgpd no-header`. */
  runningConfig: string;
  /** `show bgp summary json`. */
  bgpSummaryJson: string;
  /** `ip -d -j addr show`: every interface with its flags, MTU, kind and GRE parameters, and addresses. */
  interfacesJson: string;
}

export interface ConfigDrift {
  /** Rendered entries the running config lacks (context-qualified, passwords redacted, sorted). */
  missing: string[];
  /** Running entries the rendered config lacks: the next apply would remove them. */
  extra: string[];
}

/** A session that should be Established and is not. */
export interface SessionDrift {
  peerAddress: string;
  interfaceName: string;
  /** FRR's state (`Active`, `Idle (Admin)`, `Idle (PfxCt)`…), or `absent` when bgpd has no such peer. */
  state: string;
}

export type TunnelDrift =
  | { interfaceName: string; problem: 'missing' }
  | { interfaceName: string; problem: 'down'; adminUp: boolean; operState: string }
  | { interfaceName: string; problem: 'mtu'; expectedMtu: number; observedMtu: number }
  /** The family's global addresses are not exactly the inventory's one (`expected` null: none wanted). */
  | { interfaceName: string; problem: 'address'; family: 'ipv4' | 'ipv6'; expected: string | null; observed: string[] }
  /** Managed tunnels only: a GRE parameter differs (as iproute2 prints it: keys as dotted quads). */
  | { interfaceName: string; problem: 'gre'; parameter: GreParameter; expected: string; observed: string };

export type GreParameter = 'local' | 'remote' | 'ikey' | 'okey' | 'ttl';

export interface DriftReport {
  drifted: boolean;
  config: ConfigDrift;
  sessions: SessionDrift[];
  tunnels: TunnelDrift[];
}

/** A command printed something other than what it should (not JSON, not the expected shape). */
export class ObservedOutputError extends Error {
  override readonly name = 'ObservedOutputError';
}

export const ABSENT = 'absent';

// --- config -------------------------------------------------------------------------------------

/** Code-point order: the same on every machine, whatever the locale. */
const byCodePoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Set difference of the context-qualified entries (frr-config-text.ts: indentation, `!`, `exit`,
 * the header and blank lines don't count; order doesn't either). vtysh's own
 * `(no) service integrated-vtysh-config` line is not route-broker's unless the rendered config has
 * one, as in the applier.
 */
export function configDrift(rendered: string, running: string): ConfigDrift {
  const wanted = new Set(configEntries(rendered));
  const ignored = vtyshServiceLine(rendered) === null ? vtyshServiceLine(running) : null;
  const have = new Set(configEntries(running).filter((entry) => entry !== ignored));
  const redactedSorted = (entries: string[]): string[] => [...new Set(entries.map(redactSecrets))].sort(byCodePoint);
  return {
    missing: redactedSorted([...wanted].filter((entry) => !have.has(entry))),
    extra: redactedSorted([...have].filter((entry) => !wanted.has(entry))),
  };
}

// --- sessions -----------------------------------------------------------------------------------

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    const head = text.trim().split('\n')[0]?.slice(0, 200) ?? '';
    throw new ObservedOutputError(`${what} is not JSON: ${JSON.stringify(head)}`);
  }
}

/**
 * Peer address → FRR state, from every address family of `show bgp summary json`
 * (`{"ipv4Unicast": {"peers": {"169.254.0.1": {"state": "Established", …}}}, "ipv6Unicast": …}`;
 * `{}` when bgpd has no `router bgp`). A peer in several families keeps its first non-Established state.
 */
export function peerStates(bgpSummaryJson: string): Map<string, string> {
  const summary = parseJson(bgpSummaryJson, 'show bgp summary json');
  if (!isObject(summary)) throw new ObservedOutputError('show bgp summary json: expected an object');
  const states = new Map<string, string>();
  for (const family of Object.values(summary)) {
    if (!isObject(family) || !isObject(family.peers)) continue;
    for (const [peer, detail] of Object.entries(family.peers)) {
      const state = isObject(detail) && typeof detail.state === 'string' ? detail.state : 'unknown';
      if (states.get(peer) === undefined || states.get(peer) === 'Established') states.set(peer, state);
    }
  }
  return states;
}

function compareAddresses(a: string, b: string): number {
  const familyA = parseIPv4(a) >= 0 ? 4 : 6;
  const familyB = parseIPv4(b) >= 0 ? 4 : 6;
  if (familyA !== familyB) return familyA - familyB;
  const valueA = addressToBigInt(a, familyA);
  const valueB = addressToBigInt(b, familyB);
  return valueA < valueB ? -1 : valueA > valueB ? 1 : 0;
}

export function sessionDrift(desired: DesiredHostState['sessions'], bgpSummaryJson: string): SessionDrift[] {
  const states = peerStates(bgpSummaryJson);
  return desired
    .map(({ peerAddress, interfaceName }) => ({ peerAddress, interfaceName, state: states.get(peerAddress) ?? ABSENT }))
    .filter((session) => session.state !== 'Established')
    .sort((a, b) => compareAddresses(a.peerAddress, b.peerAddress));
}

// --- tunnels ------------------------------------------------------------------------------------

export interface LinkState {
  mtu: number;
  /** The `UP` flag: `ip link set … up`. */
  adminUp: boolean;
  /** The kernel's operstate: `UP`, `DOWN`, `LOWERLAYERDOWN`, `UNKNOWN` (GRE tunnels that are up)… */
  operState: string;
  /** `LOWER_UP` flag: the device has carrier (a GRE tunnel always does once up). */
  lowerUp: boolean;
  /** `linkinfo.info_kind` (`gre`, `veth`…); null for a device without one (a physical NIC). */
  kind: string | null;
  /** `linkinfo.info_data` of a GRE device, values as text; null otherwise. */
  gre: Record<GreParameter, string> | null;
  /** Global-scope addresses with prefix length, per family, as iproute2 prints them. */
  ipv4: string[];
  ipv6: string[];
}

const GRE_PARAMETERS: readonly GreParameter[] = ['local', 'remote', 'ikey', 'okey', 'ttl'];

/** A GRE key as iproute2 prints ikey/okey: the 32-bit key as a dotted quad (1001 → 0.0.3.233). */
export function greKeyText(key: number): string {
  return [24, 16, 8, 0].map((shift) => (key >>> shift) & 0xff).join('.');
}

function greParameters(info: unknown): Record<GreParameter, string> {
  const data = isObject(info) ? info : {};
  const text = (value: unknown, absent: string): string =>
    typeof value === 'string' || typeof value === 'number' ? String(value) : absent;
  return {
    local: text(data.local, 'any'),
    remote: text(data.remote, 'any'),
    // No key attribute: the tunnel has no GRE key.
    ikey: text(data.ikey, 'none'),
    okey: text(data.okey, 'none'),
    ttl: text(data.ttl, '0'),
  };
}

function globalAddresses(addresses: unknown, family: 'inet' | 'inet6'): string[] {
  if (!Array.isArray(addresses)) return [];
  return addresses
    .filter((address): address is Record<string, unknown> => isObject(address) && address.family === family && address.scope === 'global')
    .filter((address) => typeof address.local === 'string' && typeof address.prefixlen === 'number')
    .map((address) => `${String(address.local)}/${String(address.prefixlen)}`)
    .sort(byCodePoint);
}

/** Interface name → state, from `ip -d -j addr show` (`ip -j link show` gives the same minus kind and addresses). */
export function linkStates(interfacesJson: string): Map<string, LinkState> {
  const links = parseJson(interfacesJson, 'ip -d -j addr show');
  if (!Array.isArray(links)) throw new ObservedOutputError('ip -d -j addr show: expected an array');
  const states = new Map<string, LinkState>();
  for (const link of links) {
    if (!isObject(link) || typeof link.ifname !== 'string') continue;
    const flags = Array.isArray(link.flags) ? link.flags.filter((flag): flag is string => typeof flag === 'string') : [];
    const info = isObject(link.linkinfo) ? link.linkinfo : null;
    const kind = typeof info?.info_kind === 'string' ? info.info_kind : null;
    states.set(link.ifname, {
      mtu: typeof link.mtu === 'number' ? link.mtu : -1,
      adminUp: flags.includes('UP'),
      operState: typeof link.operstate === 'string' ? link.operstate : 'UNKNOWN',
      lowerUp: flags.includes('LOWER_UP'),
      kind,
      gre: kind === 'gre' ? greParameters(info?.info_data) : null,
      ipv4: globalAddresses(link.addr_info, 'inet'),
      ipv6: globalAddresses(link.addr_info, 'inet6'),
    });
  }
  return states;
}

/** GRE devices report operstate UNKNOWN when up, so only these count as down (with the flags). */
const DOWN_OPERSTATES = new Set(['DOWN', 'LOWERLAYERDOWN', 'NOTPRESENT', 'DORMANT']);

export function isLinkUp(link: LinkState): boolean {
  return link.adminUp && link.lowerUp && !DOWN_OPERSTATES.has(link.operState);
}

const PROBLEM_ORDER: Record<TunnelDrift['problem'], number> = { missing: 0, down: 1, mtu: 2, address: 3, gre: 4 };

/** The family's global addresses must be exactly the inventory's one (the setup script removes others). */
function addressDrift(interfaceName: string, family: 'ipv4' | 'ipv6', expected: string | null, observed: string[]): TunnelDrift | null {
  const wanted = expected === null ? [] : [canonicalInterfaceAddress(expected)];
  const have = observed.map(canonicalInterfaceAddress);
  if (have.length === wanted.length && wanted.every((address) => have.includes(address))) return null;
  return { interfaceName, problem: 'address', family, expected, observed };
}

/** `addr/len` with the address in canonical form, so RFC 5952 and other spellings compare equal. */
function canonicalInterfaceAddress(text: string): string {
  const [address = '', length = ''] = text.split('/');
  const family = parseIPv4(address) >= 0 ? 4 : 6;
  try {
    return `${family}:${addressToBigInt(address, family).toString(16)}/${length}`;
  } catch {
    return text;
  }
}

/**
 * Each tunnel must exist, be up, have its MTU and exactly its inner addresses; a managed tunnel
 * that is a GRE device must also have route-broker's GRE parameters. (A managed tunnel of another
 * kind is left to the apply: its `ip tunnel change` fails and says so.)
 */
export function tunnelDrift(
  desired: DesiredTunnel[],
  interfacesJson: string,
  provisioning: DesiredHostState['tunnelProvisioning'],
): TunnelDrift[] {
  const links = linkStates(interfacesJson);
  const found: TunnelDrift[] = [];
  for (const tunnel of desired) {
    const { interfaceName, mtu } = tunnel;
    const link = links.get(interfaceName);
    if (!link) {
      found.push({ interfaceName, problem: 'missing' });
      continue;
    }
    if (!isLinkUp(link)) found.push({ interfaceName, problem: 'down', adminUp: link.adminUp, operState: link.operState });
    if (link.mtu !== mtu) found.push({ interfaceName, problem: 'mtu', expectedMtu: mtu, observedMtu: link.mtu });
    for (const family of ['ipv4', 'ipv6'] as const) {
      const problem = addressDrift(interfaceName, family, tunnel[family], link[family]);
      if (problem) found.push(problem);
    }
    if (provisioning === 'managed' && link.gre !== null) {
      const expected: Record<GreParameter, string> = {
        local: tunnel.localUnderlay,
        remote: tunnel.remoteUnderlay,
        ikey: greKeyText(tunnel.key),
        okey: greKeyText(tunnel.key),
        ttl: String(tunnel.ttl),
      };
      for (const parameter of GRE_PARAMETERS) {
        if (link.gre[parameter] !== expected[parameter]) {
          found.push({ interfaceName, problem: 'gre', parameter, expected: expected[parameter], observed: link.gre[parameter] });
        }
      }
    }
  }
  return found.sort(
    (a, b) =>
      byCodePoint(a.interfaceName, b.interfaceName) ||
      PROBLEM_ORDER[a.problem] - PROBLEM_ORDER[b.problem] ||
      byCodePoint(tunnelProblemDetail(a), tunnelProblemDetail(b)),
  );
}

function tunnelProblemDetail(problem: TunnelDrift): string {
  return problem.problem === 'address' ? problem.family : problem.problem === 'gre' ? problem.parameter : '';
}

/** One line per problem, for logs and apply steps: `gre-pe1: mtu 1500, expected 1476`. */
export function describeTunnelDrift(problem: TunnelDrift): string {
  switch (problem.problem) {
    case 'missing':
      return `${problem.interfaceName}: missing`;
    case 'down':
      return `${problem.interfaceName}: down (${problem.adminUp ? 'admin up' : 'admin down'}, operstate ${problem.operState})`;
    case 'mtu':
      return `${problem.interfaceName}: mtu ${problem.observedMtu}, expected ${problem.expectedMtu}`;
    case 'address':
      return `${problem.interfaceName}: ${problem.family} addresses [${problem.observed.join(', ')}], expected [${problem.expected ?? ''}]`;
    case 'gre':
      return `${problem.interfaceName}: gre ${problem.parameter} ${problem.observed}, expected ${problem.expected}`;
  }
}

// --- report -------------------------------------------------------------------------------------

/** Throws ObservedOutputError when a JSON output cannot be read. */
export function computeDrift(desired: DesiredHostState, observed: ObservedHostState): DriftReport {
  const config = configDrift(desired.frrConf, observed.runningConfig);
  const sessions = sessionDrift(desired.sessions, observed.bgpSummaryJson);
  const tunnels = tunnelDrift(desired.tunnels, observed.interfacesJson, desired.tunnelProvisioning);
  const drifted = config.missing.length + config.extra.length + sessions.length + tunnels.length > 0;
  return { drifted, config, sessions, tunnels };
}

/**
 * How a session's state counts for the fingerprint. A session trying to come up cycles through
 * Idle, Connect, Active, OpenSent… every few seconds: that is one state here, or a session that
 * stays down would write a history row at every check. Shut down, over its maximum-prefix and
 * absent stay distinct (each means something else to an operator).
 */
export function sessionStateClass(state: string): string {
  if (state === 'Established' || state === ABSENT) return state;
  if (state.includes('(Admin)')) return 'admin-down';
  if (state.includes('(PfxCt)')) return 'max-prefix';
  return 'down';
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/**
 * A stable fingerprint (sha256, hex) of a report: equal reports give equal fingerprints, whatever
 * the order outputs came in (every list is sorted) and whatever transient state a down session is in.
 * Computed from the redacted report, so it never depends on (or reveals) a password.
 */
export function driftFingerprint(report: DriftReport): string {
  return sha256(
    JSON.stringify([
      'drift/v1',
      report.config.missing,
      report.config.extra,
      report.sessions.map((session) => [session.peerAddress, session.interfaceName, sessionStateClass(session.state)]),
      report.tunnels.map((tunnel) => {
        switch (tunnel.problem) {
          case 'missing':
            return [tunnel.interfaceName, tunnel.problem];
          case 'down':
            return [tunnel.interfaceName, tunnel.problem, tunnel.adminUp, tunnel.operState];
          case 'mtu':
            return [tunnel.interfaceName, tunnel.problem, tunnel.expectedMtu, tunnel.observedMtu];
          case 'address':
            return [tunnel.interfaceName, tunnel.problem, tunnel.family, tunnel.expected, tunnel.observed];
          case 'gre':
            return [tunnel.interfaceName, tunnel.problem, tunnel.parameter, tunnel.expected, tunnel.observed];
        }
      }),
    ]),
  );
}

/** The fingerprint of a failed check: the same failure gives the same fingerprint. */
export function failureFingerprint(message: string): string {
  return sha256(JSON.stringify(['failed/v1', message]));
}
