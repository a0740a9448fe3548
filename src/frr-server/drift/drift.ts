/**
 * Drift between what route-broker would apply to a host and what the host really runs: config
 * lines missing or extra, sessions that should be up but are not, tunnel interfaces missing,
 * down or with the wrong MTU. Pure: the caller reads the host (drift.service.ts) and hands the
 * raw command outputs in; nothing here talks to SSH, FRR or a database.
 */
import { createHash } from 'node:crypto';
import { isIPv4 } from 'node:net';
import { addressToBigInt } from '../../common/inventory/addressing.js';
import { configEntries, vtyshServiceLine } from '../apply/frr-config-text.js';
import { redactSecrets } from '../apply/redact.js';

/** What the inventory says the host should look like. */
export interface DesiredHostState {
  /** The rendered FRR configuration (renderHostConfig().frrConf), passwords included. */
  frrConf: string;
  tunnels: { interfaceName: string; mtu: number }[];
  /** Every session of the host: each must be Established. */
  sessions: { peerAddress: string; interfaceName: string }[];
}

/** Raw outputs read from the host. */
export interface ObservedHostState {
  /** `show running-config bgpd no-header`. */
  runningConfig: string;
  /** `show bgp summary json`. */
  bgpSummaryJson: string;
  /** `ip -j link show`. */
  ipLinkJson: string;
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
  | { interfaceName: string; problem: 'mtu'; expectedMtu: number; observedMtu: number };

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
  const familyA = isIPv4(a) ? 4 : 6;
  const familyB = isIPv4(b) ? 4 : 6;
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
}

/** Interface name → state, from `ip -j link show`. */
export function linkStates(ipLinkJson: string): Map<string, LinkState> {
  const links = parseJson(ipLinkJson, 'ip -j link show');
  if (!Array.isArray(links)) throw new ObservedOutputError('ip -j link show: expected an array');
  const states = new Map<string, LinkState>();
  for (const link of links) {
    if (!isObject(link) || typeof link.ifname !== 'string') continue;
    const flags = Array.isArray(link.flags) ? link.flags.filter((flag): flag is string => typeof flag === 'string') : [];
    states.set(link.ifname, {
      mtu: typeof link.mtu === 'number' ? link.mtu : -1,
      adminUp: flags.includes('UP'),
      operState: typeof link.operstate === 'string' ? link.operstate : 'UNKNOWN',
      lowerUp: flags.includes('LOWER_UP'),
    });
  }
  return states;
}

/** GRE devices report operstate UNKNOWN when up, so only these count as down (with the flags). */
const DOWN_OPERSTATES = new Set(['DOWN', 'LOWERLAYERDOWN', 'NOTPRESENT', 'DORMANT']);

export function isLinkUp(link: LinkState): boolean {
  return link.adminUp && link.lowerUp && !DOWN_OPERSTATES.has(link.operState);
}

const PROBLEM_ORDER: Record<TunnelDrift['problem'], number> = { missing: 0, down: 1, mtu: 2 };

export function tunnelDrift(desired: DesiredHostState['tunnels'], ipLinkJson: string): TunnelDrift[] {
  const links = linkStates(ipLinkJson);
  const found: TunnelDrift[] = [];
  for (const { interfaceName, mtu } of desired) {
    const link = links.get(interfaceName);
    if (!link) {
      found.push({ interfaceName, problem: 'missing' });
      continue;
    }
    if (!isLinkUp(link)) found.push({ interfaceName, problem: 'down', adminUp: link.adminUp, operState: link.operState });
    if (link.mtu !== mtu) found.push({ interfaceName, problem: 'mtu', expectedMtu: mtu, observedMtu: link.mtu });
  }
  return found.sort((a, b) => byCodePoint(a.interfaceName, b.interfaceName) || PROBLEM_ORDER[a.problem] - PROBLEM_ORDER[b.problem]);
}

// --- report -------------------------------------------------------------------------------------

/** Throws ObservedOutputError when a JSON output cannot be read. */
export function computeDrift(desired: DesiredHostState, observed: ObservedHostState): DriftReport {
  const config = configDrift(desired.frrConf, observed.runningConfig);
  const sessions = sessionDrift(desired.sessions, observed.bgpSummaryJson);
  const tunnels = tunnelDrift(desired.tunnels, observed.ipLinkJson);
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
        }
      }),
    ]),
  );
}

/** The fingerprint of a failed check: the same failure gives the same fingerprint. */
export function failureFingerprint(message: string): string {
  return sha256(JSON.stringify(['failed/v1', message]));
}
