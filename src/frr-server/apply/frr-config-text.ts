/**
 * Reading FRR configuration text the way the applier needs it: as an ordered list of entries, each
 * line qualified by the context it sits in (`router bgp 64512 › address-family ipv4 unicast ›
 * neighbor 10.0.0.1 activate`), independent of indentation, `!` comments, blank lines, repeated
 * spaces and the header vtysh prints. Pure text; no FRR, no SSH.
 */

/** Lines vtysh prints around a running config that are not configuration. */
const HEADER = [/^Building configuration\.\.\.$/, /^Current configuration:$/, /^frr version\b/, /^end$/];

/** Top-level lines that open a context whose indented lines belong to it. */
const CONTEXT_OPENERS =
  /^(router |interface |route-map |vrf |key chain |line vty|bfd$|segment-routing$|mpls |rpki$|pseudowire |nexthop-group |pbr-map |ip mroute |bgp as-path access-list$)/;

/** Indented lines that open a sub-context inside the current top-level context. */
const SUB_CONTEXT_OPENERS = /^(address-family |vni |vrf-policy |vnc |peer |profile |segment-list |traffic-eng$)/;

/** Lines that close a sub-context. */
const SUB_CONTEXT_CLOSERS = /^(exit-address-family|exit-vni|exit-vrf-policy|exit-vnc)$/;

export const CONTEXT_SEPARATOR = ' › ';

/**
 * The configuration as ordered, context-qualified entries. A context opener is itself an entry
 * (so an empty `router bgp 1` still counts).
 */
export function configEntries(text: string): string[] {
  const entries: string[] = [];
  let stack: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim().replace(/\s+/g, ' ');
    if (line === '' || line.startsWith('!') || HEADER.some((pattern) => pattern.test(line))) continue;
    const indented = /^\s/.test(raw);
    if (line === 'exit') {
      stack = stack.length > 1 && indented ? stack.slice(0, 1) : [];
      continue;
    }
    if (SUB_CONTEXT_CLOSERS.test(line)) {
      stack = stack.slice(0, 1);
      continue;
    }
    if (!indented) {
      stack = CONTEXT_OPENERS.test(line) ? [line] : [];
      entries.push(line);
      continue;
    }
    if (stack.length > 0 && SUB_CONTEXT_OPENERS.test(line)) {
      stack = [stack[0] ?? '', line];
      entries.push(stack.join(CONTEXT_SEPARATOR));
      continue;
    }
    entries.push([...stack, line].join(CONTEXT_SEPARATOR));
  }
  return entries;
}

/** The same configuration, as far as text goes: equal entries in equal order. */
export function sameConfig(a: string, b: string): boolean {
  const left = configEntries(a);
  const right = configEntries(b);
  return left.length === right.length && left.every((entry, index) => entry === right[index]);
}

/** The same entries, in any order (FRR may print what it restored in another order). */
export function sameEntries(a: string, b: string): boolean {
  const left = configEntries(a).sort();
  const right = configEntries(b).sort();
  return left.length === right.length && left.every((entry, index) => entry === right[index]);
}

/** The entries of every `router bgp …` block (the opener lines included). */
export function routerBgpEntries(text: string): string[] {
  return configEntries(text).filter((entry) => entry.startsWith('router bgp '));
}

/** The entries of `wanted` that `actual` lacks. */
export function missingEntries(wanted: readonly string[], actual: readonly string[]): string[] {
  const have = new Set(actual);
  return wanted.filter((entry) => !have.has(entry));
}

/**
 * The `service integrated-vtysh-config` line (with or without `no`) of a running config: vtysh's
 * own setting from vtysh.conf, which `show running-config` prints along with the daemons' config.
 */
export function vtyshServiceLine(text: string): string | null {
  const match = /^(no )?service integrated-vtysh-config$/m.exec(text.replace(/\r/g, ''));
  return match ? match[0] : null;
}

/** Whether `frr-reload.py --test` output lists any line to add or delete. */
export function reloadDiffHasChanges(output: string): boolean {
  return /^Lines To (Delete|Add)$/m.test(output);
}

/**
 * Which of `peers` an apply must see Established, from `frr-reload.py --test` output: the
 * neighbors whose lines change. A change to the BGP instance itself (`bgp …`, `timers bgp`) or to
 * a peer group can reset every session, so then all of them. Policy lines (prefix-lists,
 * route-maps, networks) reset no session. Sessions the apply does not touch are not checked, so
 * a customer's PE that happens to be down does not make every apply on its host roll back.
 */
export function sessionsToVerify(diffOutput: string, peers: readonly string[]): string[] {
  const known = new Set(peers);
  const named = new Set<string>();
  let inDiff = false;
  for (const raw of diffOutput.replace(/\r/g, '').split('\n')) {
    if (/^Lines To (Delete|Add)$/.test(raw)) {
      inDiff = true;
      continue;
    }
    const line = raw.trim();
    if (!inDiff || line === '' || /^=+$/.test(line) || /^router bgp\b/.test(line) || /^(exit-)?address-family\b/.test(line)) continue;
    const statement = line.replace(/^no /, '');
    const neighbor = /^neighbor (\S+)/.exec(statement);
    if (neighbor) {
      if (!known.has(neighbor[1]!)) return [...peers]; // a peer group, or a neighbor being removed
      named.add(neighbor[1]!);
    } else if (/^(bgp|timers bgp)\b/.test(statement)) {
      return [...peers];
    }
  }
  return peers.filter((peer) => named.has(peer));
}
