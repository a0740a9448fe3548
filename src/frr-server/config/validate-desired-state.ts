/**
 * Every value of a HostDesiredState checked before anything is rendered: the templates put values
 * into FRR and shell lines unquoted, so what passes here is exactly what may appear there. The
 * rules follow what FRR 8.4 accepts AND prints back unchanged (see frr-templates/README.md): a value
 * FRR would rewrite (an upper-case IPv6 address, a description with two spaces) is refused, since it
 * would make every reload see a difference.
 *
 * Problems are collected, not thrown one by one; messages never contain a password.
 */
import { isAsn, parsePrefix, tunnelSubnet, type ParsedPrefix } from '../../common/inventory/addressing.js';
import { bigIntToAddress, formatIPv6, groupsToBigInt, parseIPv4, parseIPv6Groups } from '../../common/net/ip-address.js';
import type { AddressFamilyPolicy, HostDesiredState, InnerAddressing, PrefixListEntry, SessionDesiredState } from './desired-state.js';

/** Shared refusal lists: upper-case, so never equal to a session's RB-<interface>-… policy name. */
export const REFUSAL_LIST_NAME = /^RB-(REFUSED|VPC-[1-9][0-9]{0,9})-V[46]$/;

export interface DesiredStateProblem {
  /** e.g. tunnels[0].sessions[1].description */
  path: string;
  message: string;
}

export class DesiredStateError extends Error {
  constructor(readonly problems: readonly DesiredStateProblem[]) {
    super(
      `invalid desired state (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems.map((problem) => `  ${problem.path}: ${problem.message}`).join('\n'),
    );
    this.name = 'DesiredStateError';
  }
}

export const INTERFACE_NAME = /^[a-z][a-z0-9_-]{0,14}$/;
/** FRR's `hostname WORD` (must start with a letter); a DNS-style label sequence. */
export const HOST_NAME = /^[A-Za-z][A-Za-z0-9.-]{0,62}$/;
export const BMP_TARGET_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;
export const DESCRIPTION_MAX = 80;
/** What a prefix can be written with; anything else is refused without being echoed. */
const PREFIX_CHARACTERS = /^[0-9A-Fa-f.:/]{1,64}$/;
/** Linux's TCP_MD5SIG_MAXKEYLEN. */
export const MD5_PASSWORD_MAX = 80;
/** FRR's default `bgp graceful-restart restart-time`, which it never prints. */
export const FRR_DEFAULT_RESTART_TIME = 120;

/** Throws DesiredStateError listing every problem; returns normally when there is none. */
export function validateDesiredState(state: HostDesiredState): void {
  const problems = desiredStateProblems(state);
  if (problems.length > 0) throw new DesiredStateError(problems);
}

export function desiredStateProblems(state: HostDesiredState): DesiredStateProblem[] {
  const problems: DesiredStateProblem[] = [];
  const report = (path: string, message: string): void => {
    problems.push({ path, message });
  };

  // --- host ---
  const { host } = state;
  if (!isString(host.name) || !HOST_NAME.test(host.name)) {
    report('host.name', `must match ${HOST_NAME.source}`);
  }
  checkAsn(report, 'host.asn', host.asn);
  // parseIPv4 refuses leading zeros: a dotted quad it takes is written as FRR prints it.
  if (!isString(host.routerId) || parseIPv4(host.routerId) < 0) {
    report('host.routerId', 'must be an IPv4 address in dotted-quad form');
  } else if (host.routerId === '0.0.0.0') {
    report('host.routerId', 'must not be 0.0.0.0');
  }

  if (state.gracefulRestart !== null) {
    checkInteger(report, 'gracefulRestart.restartTimeSeconds', state.gracefulRestart.restartTimeSeconds, 1, 4095);
  }

  // --- BMP ---
  if (state.bmp !== null) {
    const bmp = state.bmp;
    if (!isString(bmp.name) || !BMP_TARGET_NAME.test(bmp.name)) report('bmp.name', `must match ${BMP_TARGET_NAME.source}`);
    checkAddress(report, 'bmp.address', bmp.address, null);
    checkInteger(report, 'bmp.port', bmp.port, 1, 65535);
    const minOk = checkInteger(report, 'bmp.minRetryMs', bmp.minRetryMs, 100, 86_400_000);
    const maxOk = checkInteger(report, 'bmp.maxRetryMs', bmp.maxRetryMs, 100, 86_400_000);
    if (minOk && maxOk && bmp.minRetryMs > bmp.maxRetryMs) report('bmp.maxRetryMs', 'must not be less than minRetryMs');
  }

  // --- shared refusal lists ---
  const refusalFamilies = new Map<string, 4 | 6>();
  (state.importRefusals ?? []).forEach((list, l) => {
    const at = `importRefusals[${l}]`;
    if (!isString(list.name) || !REFUSAL_LIST_NAME.test(list.name)) {
      report(`${at}.name`, `must match ${REFUSAL_LIST_NAME.source}`);
      return;
    }
    if (refusalFamilies.has(list.name)) {
      report(`${at}.name`, `${list.name} is listed twice`);
      return;
    }
    const family = list.name.endsWith('-V4') ? 4 : 6;
    if (list.family !== family) report(`${at}.family`, `must be ${family} for ${list.name}`);
    refusalFamilies.set(list.name, family);
    if (!Array.isArray(list.entries) || list.entries.length === 0) {
      report(`${at}.entries`, 'must be a non-empty list (FRR has no empty prefix-list)');
      return;
    }
    const seen = new Map<string, number>();
    list.entries.forEach((entry, e) => {
      const key = checkEntry(report, `${at}.entries[${e}]`, entry, family);
      if (key === null) return;
      const other = seen.get(key);
      if (other !== undefined) report(`${at}.entries[${e}]`, `duplicates entries[${other}]`);
      else seen.set(key, e);
    });
  });

  // --- tunnels ---
  if (!Array.isArray(state.tunnels)) {
    report('tunnels', 'must be a list');
    return problems;
  }
  const interfaceNames = new Map<string, number>();
  const tunnelKeys = new Map<number, number>();
  const peers = new Map<string, string>();
  const subnets: { tunnel: number; family: 'ipv4' | 'ipv6'; prefix: ParsedPrefix }[] = [];

  state.tunnels.forEach((tunnel, t) => {
    const at = `tunnels[${t}]`;
    if (!isString(tunnel.interfaceName) || !INTERFACE_NAME.test(tunnel.interfaceName)) {
      report(`${at}.interfaceName`, `must match ${INTERFACE_NAME.source}`);
    } else if (interfaceNames.has(tunnel.interfaceName)) {
      report(`${at}.interfaceName`, `${tunnel.interfaceName} is already used by tunnels[${interfaceNames.get(tunnel.interfaceName)}]`);
    } else {
      interfaceNames.set(tunnel.interfaceName, t);
    }
    if (checkInteger(report, `${at}.tunnelKey`, tunnel.tunnelKey, 0, 4294967295)) {
      const other = tunnelKeys.get(tunnel.tunnelKey);
      if (other !== undefined) report(`${at}.tunnelKey`, `${tunnel.tunnelKey} is already used by tunnels[${other}]`);
      else tunnelKeys.set(tunnel.tunnelKey, t);
    }
    // `mode gre` is GRE over IPv4 (GRE over IPv6 would be ip6gre).
    checkAddress(report, `${at}.localUnderlay`, tunnel.localUnderlay, 4);
    checkAddress(report, `${at}.remoteUnderlay`, tunnel.remoteUnderlay, 4);
    checkInteger(report, `${at}.mtu`, tunnel.mtu, tunnel.ipv6 ? 1280 : 576, 9000);
    checkInteger(report, `${at}.ttl`, tunnel.ttl, 1, 255);

    if (tunnel.ipv4 === null && tunnel.ipv6 === null) report(at, 'has no inner addressing (set ipv4 and/or ipv6)');
    const v4 = tunnel.ipv4 === null ? null : checkInner(report, `${at}.ipv4`, tunnel.ipv4, 4);
    const v6 = tunnel.ipv6 === null ? null : checkInner(report, `${at}.ipv6`, tunnel.ipv6, 6);
    if (v4) subnets.push({ tunnel: t, family: 'ipv4', prefix: v4 });
    if (v6) subnets.push({ tunnel: t, family: 'ipv6', prefix: v6 });

    if (!Array.isArray(tunnel.sessions)) {
      report(`${at}.sessions`, 'must be a list');
      return;
    }
    tunnel.sessions.forEach((session, s) => {
      const sat = `${at}.sessions[${s}]`;
      checkSession(report, sat, session, host.asn, refusalFamilies);
      if (!isString(session.peerAddress)) return;
      const peer = checkAddress(report, `${sat}.peerAddress`, session.peerAddress, null);
      if (peer === null) return;
      const other = peers.get(session.peerAddress);
      if (other !== undefined) report(`${sat}.peerAddress`, `${session.peerAddress} is already the peer of ${other}`);
      else peers.set(session.peerAddress, sat);
      const family = peer.family;
      const inner = family === 4 ? tunnel.ipv4 : tunnel.ipv6;
      const subnet = family === 4 ? v4 : v6;
      if (inner === null) {
        const other = family === 4 ? 'IPv6' : 'IPv4';
        report(`${sat}.peerAddress`, `an IPv${family} peer address needs IPv${family} inner addressing on ${at} (it has ${other} only)`);
      } else if (subnet) {
        if (peer.value < subnet.first || peer.value > subnet.last) {
          report(`${sat}.peerAddress`, `${session.peerAddress} is not in the tunnel's subnet ${subnet.canonical}`);
        } else if (session.peerAddress === inner.localAddress) {
          report(`${sat}.peerAddress`, `${session.peerAddress} is the host's own address on the tunnel`);
        }
      }
      if (session.ipv6Unicast !== null && tunnel.ipv6 === null) {
        report(`${sat}.ipv6Unicast`, `IPv6 unicast needs IPv6 inner addressing on ${at} (for the next hop)`);
      }
      if (session.ipv4Unicast !== null && tunnel.ipv4 === null) {
        report(`${sat}.ipv4Unicast`, `IPv4 unicast needs IPv4 inner addressing on ${at} (for the next hop)`);
      }
    });
  });
  reportOverlaps(report, subnets);
  return problems;
}

type Report = (path: string, message: string) => void;

/**
 * Tunnel subnets that overlap, in O(n log n): sorted by start, each one is compared with the one
 * reaching furthest so far. Reported on the later tunnel, in tunnel order.
 */
function reportOverlaps(report: Report, subnets: { tunnel: number; family: 'ipv4' | 'ipv6'; prefix: ParsedPrefix }[]): void {
  const sorted = [...subnets].sort(
    (a, b) =>
      a.prefix.family - b.prefix.family ||
      (a.prefix.first < b.prefix.first ? -1 : a.prefix.first > b.prefix.first ? 1 : 0) ||
      a.tunnel - b.tunnel,
  );
  const found: { tunnel: number; message: string; path: string }[] = [];
  let reach: (typeof sorted)[number] | undefined;
  for (const subnet of sorted) {
    if (reach && reach.prefix.family === subnet.prefix.family && subnet.prefix.first <= reach.prefix.last) {
      const [earlier, later] = reach.tunnel < subnet.tunnel ? [reach, subnet] : [subnet, reach];
      found.push({
        tunnel: later.tunnel,
        path: `tunnels[${later.tunnel}].${later.family}`,
        message: `subnet ${later.prefix.canonical} overlaps the one of tunnels[${earlier.tunnel}]`,
      });
    }
    if (!reach || reach.prefix.family !== subnet.prefix.family || subnet.prefix.last > reach.prefix.last) reach = subnet;
  }
  found.sort((a, b) => a.tunnel - b.tunnel || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (const { path, message } of found) report(path, message);
}

function checkSession(
  report: Report,
  at: string,
  session: SessionDesiredState,
  hostAsn: number,
  refusalFamilies: ReadonlyMap<string, 4 | 6>,
): void {
  if (checkAsn(report, `${at}.localAsn`, session.localAsn) && isAsn(hostAsn) && session.localAsn !== hostAsn) {
    report(`${at}.localAsn`, `must equal host.asn ${hostAsn} (per-neighbor local-as is not supported)`);
  }
  checkAsn(report, `${at}.peerAsn`, session.peerAsn);
  checkDescription(report, `${at}.description`, session.description);
  checkPassword(report, `${at}.md5Password`, session.md5Password);
  const holdOk = checkInteger(report, `${at}.holdTimeSeconds`, session.holdTimeSeconds, 0, 65535);
  const keepOk = checkInteger(report, `${at}.keepaliveSeconds`, session.keepaliveSeconds, 0, 65535);
  if (holdOk && keepOk) {
    if (session.holdTimeSeconds !== 0 && session.holdTimeSeconds < 3) {
      report(`${at}.holdTimeSeconds`, 'must be 0 or at least 3 (RFC 4271)');
    } else if (session.holdTimeSeconds === 0 && session.keepaliveSeconds !== 0) {
      report(`${at}.keepaliveSeconds`, 'must be 0 when holdTimeSeconds is 0');
    } else if (session.holdTimeSeconds !== 0 && (session.keepaliveSeconds === 0 || session.keepaliveSeconds >= session.holdTimeSeconds)) {
      report(`${at}.keepaliveSeconds`, 'must be at least 1 and less than holdTimeSeconds');
    }
  }
  if (typeof session.bfd !== 'boolean') report(`${at}.bfd`, 'must be true or false');
  if (typeof session.gracefulRestart !== 'boolean') report(`${at}.gracefulRestart`, 'must be true or false');
  if (session.ipv4Unicast === null && session.ipv6Unicast === null) {
    report(`${at}`, 'activates no address family (set ipv4Unicast and/or ipv6Unicast)');
  }
  if (session.ipv4Unicast !== null) checkPolicy(report, `${at}.ipv4Unicast`, session.ipv4Unicast, 4, refusalFamilies);
  if (session.ipv6Unicast !== null) checkPolicy(report, `${at}.ipv6Unicast`, session.ipv6Unicast, 6, refusalFamilies);
}

function checkPolicy(
  report: Report,
  at: string,
  policy: AddressFamilyPolicy,
  family: 4 | 6,
  refusalFamilies: ReadonlyMap<string, 4 | 6>,
): void {
  checkInteger(report, `${at}.maxPrefix`, policy.maxPrefix, 1, 4294967295);
  if (policy.localPref !== undefined && policy.localPref !== null) checkInteger(report, `${at}.localPref`, policy.localPref, 0, 4294967295);
  (policy.importRefusedBy ?? []).forEach((name, r) => {
    const listFamily = refusalFamilies.get(name);
    if (listFamily === undefined) report(`${at}.importRefusedBy[${r}]`, 'names no list of importRefusals');
    else if (listFamily !== family) report(`${at}.importRefusedBy[${r}]`, `${name} is an IPv${listFamily} list`);
  });
  for (const list of ['importPrefixes', 'exportPrefixes'] as const) {
    const entries = policy[list];
    if (!Array.isArray(entries)) {
      report(`${at}.${list}`, 'must be a list');
      continue;
    }
    const seen = new Map<string, number>();
    entries.forEach((entry, e) => {
      const key = checkEntry(report, `${at}.${list}[${e}]`, entry, family);
      if (key === null) return;
      const other = seen.get(key);
      if (other !== undefined) report(`${at}.${list}[${e}]`, `duplicates ${list}[${other}]`);
      else seen.set(key, e);
    });
  }
}

/** The entry's identity (prefix, ge, le) when valid, else null. */
function checkEntry(report: Report, at: string, entry: PrefixListEntry, family: 4 | 6): string | null {
  if (!isString(entry.prefix)) {
    report(`${at}.prefix`, 'must be a prefix');
    return null;
  }
  // parsePrefix quotes the text in its message: only let it when the text is harmless.
  const parsed = PREFIX_CHARACTERS.test(entry.prefix) ? parsePrefix(entry.prefix) : 'is not a prefix (address/length)';
  if (typeof parsed === 'string') {
    report(`${at}.prefix`, parsed);
    return null;
  }
  let ok = true;
  if (parsed.family !== family) {
    report(`${at}.prefix`, `${parsed.canonical} is an IPv${parsed.family} prefix in an IPv${family} list`);
    ok = false;
  } else if (parsed.canonical !== entry.prefix) {
    report(`${at}.prefix`, `must be written ${parsed.canonical} (FRR prints it so)`);
    ok = false;
  } else if (parsed.family === 6 && isIpv4EmbeddedV6(parsed.first)) {
    report(`${at}.prefix`, 'IPv4-compatible and IPv4-mapped IPv6 prefixes (inside ::/80) are not supported');
    ok = false;
  }
  const max = family === 4 ? 32 : 128;
  const geOk = entry.ge === undefined || checkInteger(report, `${at}.ge`, entry.ge, 0, max);
  const leOk = entry.le === undefined || checkInteger(report, `${at}.le`, entry.le, 0, max);
  // FRR 8.4: "Make sure that mask length <= ge <= le".
  if (ok && geOk && entry.ge !== undefined && entry.ge < parsed.length) {
    report(`${at}.ge`, `must be at least the prefix length ${parsed.length}`);
    ok = false;
  }
  if (ok && leOk && entry.le !== undefined && entry.le < parsed.length) {
    report(`${at}.le`, `must be at least the prefix length ${parsed.length}`);
    ok = false;
  }
  if (geOk && leOk && entry.ge !== undefined && entry.le !== undefined && entry.ge > entry.le) {
    report(`${at}.le`, 'must be at least ge');
    ok = false;
  }
  return ok && geOk && leOk ? `${entry.prefix} ${entry.ge ?? ''} ${entry.le ?? ''}` : null;
}

function checkInner(report: Report, at: string, inner: InnerAddressing, family: 4 | 6): ParsedPrefix | null {
  const local = checkAddress(report, `${at}.localAddress`, inner.localAddress, family);
  const remote = checkAddress(report, `${at}.remoteAddress`, inner.remoteAddress, family);
  if (family === 4) {
    if (!checkInteger(report, `${at}.prefixLength`, inner.prefixLength, 30, 31) || !local || !remote) return null;
    const subnet = tunnelSubnet(inner.localAddress, inner.remoteAddress, inner.prefixLength);
    if (typeof subnet === 'string') {
      report(at, subnet);
      return null;
    }
    return { family: 4, length: inner.prefixLength, first: subnet.first, last: subnet.last, canonical: subnet.network };
  }
  if (!checkInteger(report, `${at}.prefixLength`, inner.prefixLength, 64, 127) || !local || !remote) return null;
  if (inner.localAddress === inner.remoteAddress) {
    report(at, 'localAddress and remoteAddress must differ');
    return null;
  }
  const hostMask = (1n << (128n - BigInt(inner.prefixLength))) - 1n;
  const first = local.value & ~hostMask;
  const canonical = `${bigIntToAddress(first, 6)}/${inner.prefixLength}`;
  if ((remote.value & ~hostMask) !== first) {
    report(`${at}.remoteAddress`, `${inner.remoteAddress} is not in ${canonical}, the subnet of localAddress`);
    return null;
  }
  return { family: 6, length: inner.prefixLength, first, last: first | hostMask, canonical };
}

interface CheckedAddress {
  family: 4 | 6;
  value: bigint;
}

/** An IP address of the family (null: either), written as FRR prints it; null when it is not. */
function checkAddress(report: Report, at: string, value: unknown, family: 4 | 6 | null): CheckedAddress | null {
  // At most 39 characters (the longest IPv6 text FRR prints); parseIPv6Groups refuses a zone
  // index (fe80::1%eth0), which FRR does not take in a neighbor or interface address either.
  const v4 = isString(value) && value.length <= 39 ? parseIPv4(value) : -1;
  const groups = v4 < 0 && isString(value) && value.length <= 39 ? parseIPv6Groups(value) : null;
  if (v4 < 0 && groups === null) {
    report(at, family === null ? 'must be an IPv4 or IPv6 address' : `must be an IPv${family} address`);
    return null;
  }
  const actual = groups === null ? 4 : 6;
  if (family !== null && actual !== family) {
    report(at, `must be an IPv${family} address, not IPv${actual}`);
    return null;
  }
  // A dotted quad parseIPv4 accepts has no leading zeros: it is written as FRR prints it.
  if (groups === null) return { family: 4, value: BigInt(v4) };
  const canonical = formatIPv6(groups);
  if (canonical !== value) {
    report(at, `must be written ${canonical} (FRR prints it so)`);
    return null;
  }
  const address = groupsToBigInt(groups);
  if (isIpv4EmbeddedV6(address)) {
    report(at, 'IPv4-compatible and IPv4-mapped IPv6 addresses (inside ::/80) are not supported');
    return null;
  }
  return { family: 6, value: address };
}

/**
 * FRR 8.4 prints some addresses inside ::/80 with an embedded dotted quad (::1.2.3.4), unlike the
 * RFC 5952 text we write; none of them is a sensible peer or policy prefix, so they are refused
 * (::/0, the all-zero address, stays allowed).
 */
function isIpv4EmbeddedV6(value: bigint): boolean {
  return value !== 0n && value < 1n << 48n;
}

function checkAsn(report: Report, at: string, value: unknown): boolean {
  if (typeof value !== 'number' || !isAsn(value)) {
    report(at, 'must be an ASN, an integer 1..4294967295');
    return false;
  }
  return true;
}

function checkInteger(report: Report, at: string, value: unknown, min: number, max: number): boolean {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    report(at, `must be an integer ${min}..${max}`);
    return false;
  }
  return true;
}

/**
 * Printable ASCII without `"` and `\`, no leading, trailing or doubled space (vtysh joins the words
 * of `description LINE` with single spaces, so FRR would print it differently).
 */
function checkDescription(report: Report, at: string, value: unknown): void {
  if (!isString(value)) {
    report(at, 'must be a string');
    return;
  }
  const problem = characterProblem(value, true);
  if (problem) report(at, `contains ${problem}`);
  if (value.length > DESCRIPTION_MAX) report(at, `is longer than ${DESCRIPTION_MAX} characters`);
  if (value !== value.trim()) report(at, 'has leading or trailing spaces (FRR drops them)');
  if (value.includes('  ')) report(at, 'contains two spaces in a row (FRR prints one)');
}

/** Never echoes the value: only what kind of character is wrong. */
function checkPassword(report: Report, at: string, value: unknown): void {
  if (value === null) return;
  if (!isString(value)) {
    report(at, 'must be a string or null');
    return;
  }
  if (value.length === 0) report(at, 'is empty (use null for no password)');
  if (value.length > MD5_PASSWORD_MAX) report(at, `is longer than ${MD5_PASSWORD_MAX} characters`);
  const problem = characterProblem(value, false);
  if (problem) report(at, `contains ${problem}`);
}

/** What is wrong with the characters of free text, or null: printable ASCII only, no `"` or `\`. */
function characterProblem(value: string, spaceAllowed: boolean): string | null {
  for (const char of value) {
    if (char === '\n' || char === '\r') return 'a newline';
    if (char === '"' || char === "'") return 'a quote';
    if (char === '\\') return 'a backslash';
    if (char === ' ' && !spaceAllowed) return 'a space (FRR takes a single word)';
    const code = char.codePointAt(0) ?? 0;
    if (code < 0x20 || code > 0x7e) return 'a non-printable or non-ASCII character';
  }
  return null;
}

function isString(value: unknown): value is string {
  return typeof value === 'string';
}
