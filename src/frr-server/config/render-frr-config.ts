/**
 * Renders a host's FRR configuration and GRE setup script from its desired state. Pure: the same
 * state gives the same bytes (the templates are read once and cached; nothing depends on time,
 * locale or input order). Every value is checked by validateDesiredState first, and the templates
 * only ever receive the view built here, in the exact order FRR 8.4 prints it back in
 * `show running-config` (frr-templates/README.md lists the rules and the rewrites FRR makes).
 */
import { fileURLToPath } from 'node:url';
import nunjucks from 'nunjucks';
import { parsePrefix } from '../../common/inventory/addressing.js';
import { addressToBigInt, parseIPv4 } from '../../common/net/ip-address.js';
import type { HostDesiredState, PrefixListEntry, SessionDesiredState, TunnelDesiredState } from './desired-state.js';
import { FRR_DEFAULT_RESTART_TIME, validateDesiredState } from './validate-desired-state.js';

export interface RenderedHostConfig {
  /** The integrated frr.conf (bgpd must run with `-M bmp` when a BMP target is set). */
  frrConf: string;
  /** A POSIX sh script that creates or updates the GRE tunnels; safe to run again. */
  greSetup: string;
  /** What greSetup makes, one entry per tunnel (by interface name): what drift and apply check. */
  tunnels: RenderedTunnel[];
}

/** One GRE tunnel as the setup script makes it. */
export interface RenderedTunnel {
  interfaceName: string;
  /** The outer addresses: `ip tunnel … local <localUnderlay> remote <remoteUnderlay>`. */
  localUnderlay: string;
  remoteUnderlay: string;
  /** GRE key, both directions. */
  key: number;
  ttl: number;
  mtu: number;
  /** The host's inner address with its prefix length (`169.254.1.2/30`, `fd00:1::2/126`), or null. */
  ipv4: string | null;
  ipv6: string | null;
}

/** frr-templates/ at the repository root: three levels up from src/… and from dist/…. */
export const TEMPLATES_DIR = fileURLToPath(new URL('../../../frr-templates/', import.meta.url));

let environment: nunjucks.Environment | null = null;

function templates(): nunjucks.Environment {
  environment ??= new nunjucks.Environment(new nunjucks.FileSystemLoader(TEMPLATES_DIR, { noCache: false }), {
    autoescape: false,
    throwOnUndefined: true,
    trimBlocks: true,
    lstripBlocks: true,
  });
  return environment;
}

export function renderHostConfig(state: HostDesiredState): RenderedHostConfig {
  validateDesiredState(state);
  const env = templates();
  const gre = greView(state);
  return {
    frrConf: env.render('frr.conf.njk', frrView(state)),
    greSetup: env.render('gre-tunnels.sh.njk', gre),
    tunnels: gre.tunnels,
  };
}

// --- naming -------------------------------------------------------------------------------------

type Afi = 'V4' | 'V6';
type Direction = 'IN' | 'OUT';

/**
 * The prefix-list and route-map name of one session, family and direction, e.g.
 * RB-gre-pe1-169_254_1_1-V4-IN or RB-gre-pe1-fd00_1__1-V6-OUT. Built only from validated parts
 * (interface name [a-z0-9_-], canonical address with . and : turned into _), so it is one word
 * of safe characters; it is injective because interface names and peer addresses are unique on a
 * host and the address part (which has no '-') is always the one between the last three dashes.
 */
export function policyName(interfaceName: string, peerAddress: string, afi: Afi, direction: Direction): string {
  return `${policyStem(interfaceName, peerAddress)}-${afi}-${direction}`;
}

/** policyName without the family and direction: the same for the four names of a session. */
function policyStem(interfaceName: string, peerAddress: string): string {
  return `RB-${interfaceName}-${peerAddress.replace(/[.:]/g, '_')}`;
}

// --- views --------------------------------------------------------------------------------------

interface NeighborView {
  address: string;
  remoteAs: number;
  description: string | null;
  bfd: boolean;
  password: string | null;
  updateSource: string;
  keepalive: number;
  hold: number;
  gracefulRestart: 'graceful-restart' | 'graceful-restart-disable';
}

interface AfNeighborView {
  address: string;
  maximumPrefix: number;
  routeMapIn: string;
  routeMapOut: string;
}

interface PrefixListView {
  name: string;
  entries: { seq: number; prefix: string; ge: number | null; le: number | null }[];
}

/** One `route-map NAME permit|deny SEQ` clause. */
interface RouteMapClauseView {
  seq: number;
  /** A lone deny without a match: an empty policy, which refuses everything. */
  action: 'permit' | 'deny';
  /** 'ip' or 'ipv6' (`match ip address prefix-list` / `match ipv6 address prefix-list`). */
  matchFamily: 'ip' | 'ipv6';
  prefixList: string | null;
  localPref: number | null;
}

interface RouteMapView {
  name: string;
  clauses: RouteMapClauseView[];
}

interface Located {
  tunnel: TunnelDesiredState;
  session: SessionDesiredState;
  /** Sort key of the peer address, computed once. */
  family: 4 | 6;
  value: bigint;
  /** policyStem of the session, computed once. */
  stem: string;
}

/**
 * FRR keeps neighbors sorted as sockunion_cmp does: IPv4 before IPv6, then by numeric address.
 * That is the order of `neighbor` lines in `show running-config`, whatever the input order.
 */
function compareNeighbors(a: Located, b: Located): number {
  return a.family - b.family || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0);
}

/** Policies (prefix-lists, route-maps) are written by tunnel interface name, then peer address. */
function comparePolicyOrder(a: Located, b: Located): number {
  if (a.tunnel.interfaceName !== b.tunnel.interfaceName) return a.tunnel.interfaceName < b.tunnel.interfaceName ? -1 : 1;
  return compareNeighbors(a, b);
}

function sortedEntries(entries: readonly PrefixListEntry[]): readonly PrefixListEntry[] {
  if (entries.length < 2) return entries; // (validated: nothing to parse for)
  const keyed = entries.map((entry) => {
    const parsed = parsePrefix(entry.prefix);
    if (typeof parsed === 'string') throw new Error('unreachable: prefix validated');
    return { entry, parsed };
  });
  keyed.sort(
    (a, b) =>
      (a.parsed.first < b.parsed.first ? -1 : a.parsed.first > b.parsed.first ? 1 : 0) ||
      a.parsed.length - b.parsed.length ||
      (a.entry.ge ?? -1) - (b.entry.ge ?? -1) ||
      (a.entry.le ?? -1) - (b.entry.le ?? -1),
  );
  return keyed.map(({ entry }) => entry);
}

/** The address families in the order FRR prints them, with what names them in the config. */
const ADDRESS_FAMILIES = [
  { name: 'ipv4 unicast', key: 'ipv4Unicast', afi: 'V4', matchFamily: 'ip' },
  { name: 'ipv6 unicast', key: 'ipv6Unicast', afi: 'V6', matchFamily: 'ipv6' },
] as const;
const DIRECTIONS = ['IN', 'OUT'] as const;

function frrView(state: HostDesiredState) {
  const located: Located[] = state.tunnels.flatMap((tunnel) =>
    tunnel.sessions.map((session) => {
      const family = parseIPv4(session.peerAddress) >= 0 ? 4 : 6;
      const value = addressToBigInt(session.peerAddress, family);
      return { tunnel, session, family, value, stem: policyStem(tunnel.interfaceName, session.peerAddress) };
    }),
  );
  const byNeighbor = [...located].sort(compareNeighbors);
  const byPolicy = [...located].sort(comparePolicyOrder);

  const neighbors: NeighborView[] = byNeighbor.map(({ tunnel, session }) => ({
    address: session.peerAddress,
    remoteAs: session.peerAsn,
    description: session.description === '' ? null : session.description,
    bfd: session.bfd,
    password: session.md5Password,
    updateSource: tunnel.interfaceName,
    keepalive: session.keepaliveSeconds,
    hold: session.holdTimeSeconds,
    gracefulRestart: session.gracefulRestart ? 'graceful-restart' : 'graceful-restart-disable',
  }));

  const addressFamilies: { name: string; neighbors: AfNeighborView[] }[] = [];
  for (const { name, key, afi } of ADDRESS_FAMILIES) {
    const neighbors: AfNeighborView[] = [];
    for (const { session, stem } of byNeighbor) {
      const policy = session[key];
      if (policy === null) continue;
      neighbors.push({
        address: session.peerAddress,
        maximumPrefix: policy.maxPrefix,
        routeMapIn: `${stem}-${afi}-IN`,
        routeMapOut: `${stem}-${afi}-OUT`,
      });
    }
    if (neighbors.length > 0) addressFamilies.push({ name, neighbors });
  }

  const prefixListView = (name: string, entries: readonly PrefixListEntry[]): PrefixListView => ({
    name,
    entries: sortedEntries(entries).map((entry, index) => ({
      seq: (index + 1) * 5,
      prefix: entry.prefix,
      ge: entry.ge ?? null,
      le: entry.le ?? null,
    })),
  });
  // Shared refusal lists first: FRR prints lists in the order they were created.
  const ipPrefixLists: PrefixListView[] = [];
  const ipv6PrefixLists: PrefixListView[] = [];
  for (const list of state.importRefusals ?? []) {
    (list.family === 4 ? ipPrefixLists : ipv6PrefixLists).push(prefixListView(list.name, list.entries));
  }
  const routeMaps: RouteMapView[] = [];
  for (const { session, stem } of byPolicy) {
    for (const { key, afi, matchFamily } of ADDRESS_FAMILIES) {
      const policy = session[key];
      if (policy === null) continue;
      const lists = afi === 'V4' ? ipPrefixLists : ipv6PrefixLists;
      for (const direction of DIRECTIONS) {
        const entries = direction === 'IN' ? policy.importPrefixes : policy.exportPrefixes;
        const name = `${stem}-${afi}-${direction}`;
        if (entries.length === 0) {
          routeMaps.push({ name, clauses: [{ seq: 10, action: 'deny', matchFamily, prefixList: null, localPref: null }] });
          continue;
        }
        lists.push(prefixListView(name, entries));
        const clauses: RouteMapClauseView[] = [];
        if (direction === 'IN') {
          for (const refusal of policy.importRefusedBy ?? []) {
            clauses.push({ seq: (clauses.length + 1) * 10, action: 'deny', matchFamily, prefixList: refusal, localPref: null });
          }
        }
        clauses.push({
          seq: (clauses.length + 1) * 10,
          action: 'permit',
          matchFamily,
          prefixList: name,
          localPref: direction === 'IN' ? (policy.localPref ?? null) : null,
        });
        routeMaps.push({ name, clauses });
      }
    }
  }

  const restart = state.gracefulRestart;
  return {
    host: state.host,
    gracefulRestart: restart
      ? { restartTime: restart.restartTimeSeconds === FRR_DEFAULT_RESTART_TIME ? null : restart.restartTimeSeconds }
      : null,
    neighbors,
    addressFamilies,
    bmp: state.bmp,
    ipPrefixLists,
    ipv6PrefixLists,
    routeMaps,
  };
}

function greView(state: HostDesiredState): { hostName: string; tunnels: RenderedTunnel[] } {
  const tunnels = [...state.tunnels].sort((a, b) => (a.interfaceName < b.interfaceName ? -1 : a.interfaceName > b.interfaceName ? 1 : 0));
  return {
    hostName: state.host.name,
    tunnels: tunnels.map((tunnel) => ({
      interfaceName: tunnel.interfaceName,
      localUnderlay: tunnel.localUnderlay,
      remoteUnderlay: tunnel.remoteUnderlay,
      key: tunnel.tunnelKey,
      ttl: tunnel.ttl,
      mtu: tunnel.mtu,
      ipv4: tunnel.ipv4 ? `${tunnel.ipv4.localAddress}/${tunnel.ipv4.prefixLength}` : null,
      ipv6: tunnel.ipv6 ? `${tunnel.ipv6.localAddress}/${tunnel.ipv6.prefixLength}` : null,
    })),
  };
}
