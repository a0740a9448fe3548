/**
 * The import policy as FRR prefix-lists, for the host's inbound route-maps: the host's half of
 * "one policy, two enforcers" (BRM's half is evaluateImport in import-policy.ts). The lists are
 * built so that the host accepts exactly what evaluateImport accepts (max-prefix aside, which both
 * enforce by count):
 *
 *  - a route overlapping a refused range (bogon, reserved range, the VPC's own CIDR) is either
 *    inside it — matched by `<range> le <bits>` — or covers it — matched by the one supernet of
 *    that length, written as an exact entry. Supernets shorter than the shortest length any session
 *    accepts are left out: the session's own list refuses them anyway.
 *  - the session's own list is its length bounds intersected with its allowed prefixes (each entry's
 *    ge..le cut to min..max), plus an exact default route when the session allows it.
 *
 * Pure: no framework, no I/O. Prefixes come out canonical, as FRR prints them.
 */
import { parsePrefix, type ParsedPrefix } from '../inventory/addressing.js';
import { bigIntToAddress, type AddressFamily } from '../net/ip-address.js';
import { DEFAULT_BOGONS } from './bogons.js';
import type { LengthRange, PrefixLengthLimits, PrefixListEntry } from './import-policy.js';
import type { SessionImportPolicy } from './session-policy.js';

const BITS: Record<AddressFamily, number> = { 4: 32, 6: 128 };
const DEFAULT_ROUTE: Record<AddressFamily, string> = { 4: '0.0.0.0/0', 6: '::/0' };

function familyKey(family: AddressFamily): 'ipv4' | 'ipv6' {
  return family === 4 ? 'ipv4' : 'ipv6';
}

/** The prefix lengths a session accepts in one family: its own bounds, else the platform's. */
export function sessionLengths(policy: SessionImportPolicy | null, platform: PrefixLengthLimits, family: AddressFamily): LengthRange {
  const key = familyKey(family);
  return {
    min: policy?.prefixLength?.[key]?.min ?? platform[key].min,
    max: policy?.prefixLength?.[key]?.max ?? platform[key].max,
  };
}

/** The platform's refused ranges (bogons and reserved ranges) as prefix text, both families. */
export function platformRefusedRanges(reservedRanges: readonly string[]): string[] {
  return [...DEFAULT_BOGONS.map((bogon) => bogon.prefix), ...reservedRanges];
}

function entryKey(entry: PrefixListEntry): string {
  return `${entry.prefix} ${entry.ge ?? ''} ${entry.le ?? ''}`;
}

function inside(inner: ParsedPrefix, outer: ParsedPrefix): boolean {
  return inner.family === outer.family && inner.length >= outer.length && inner.first >= outer.first && inner.last <= outer.last;
}

/**
 * Entries that match every prefix of `family` overlapping one of `ranges` (text; the other
 * family's and unparseable ones are skipped: configuration and the inventory validate them) whose
 * length is at least `minLength`. Empty when nothing of the family is refused.
 */
export function overlapEntries(ranges: readonly string[], family: AddressFamily, minLength: number): PrefixListEntry[] {
  const bits = BITS[family];
  const parsed = ranges
    .map((range) => parsePrefix(range))
    .filter((range): range is ParsedPrefix => typeof range !== 'string' && range.family === family)
    .sort((a, b) => a.length - b.length || (a.first < b.first ? -1 : a.first > b.first ? 1 : 0));
  // Outermost ranges only: a range inside another one adds nothing.
  const outermost: ParsedPrefix[] = [];
  for (const range of parsed) {
    if (!outermost.some((outer) => inside(range, outer))) outermost.push(range);
  }
  const entries = new Map<string, PrefixListEntry>();
  const add = (entry: PrefixListEntry): void => {
    entries.set(entryKey(entry), entry);
  };
  for (const range of outermost) {
    if (range.length === bits) add({ prefix: range.canonical });
    else if (range.length === 0) add({ prefix: range.canonical, ge: 1, le: bits });
    else add({ prefix: range.canonical, le: bits });
    for (let length = Math.max(1, minLength); length < range.length; length++) {
      const hostBits = BigInt(bits - length);
      const network = (range.first >> hostBits) << hostBits;
      const supernet = parsePrefix(`${bigIntToAddress(network, family)}/${length}`);
      if (typeof supernet === 'string') throw new Error(`unreachable: ${supernet}`);
      // A supernet inside another refused range is matched by that range's own entry already.
      if (outermost.some((outer) => inside(supernet, outer))) continue;
      add({ prefix: supernet.canonical });
    }
  }
  return [...entries.values()];
}

/**
 * The session's own inbound permits in one family: its allowed prefixes (all of them when it has
 * no list) cut to its length bounds, and the default route when it allows it. Empty: the session
 * accepts nothing in this family.
 */
export function sessionPermitEntries(policy: SessionImportPolicy | null, family: AddressFamily, lengths: LengthRange): PrefixListEntry[] {
  const entries = new Map<string, PrefixListEntry>();
  const add = (entry: PrefixListEntry): void => {
    entries.set(entryKey(entry), entry);
  };
  if (policy?.allowDefaultRoute) add({ prefix: DEFAULT_ROUTE[family] });
  const allowed = policy?.allowedPrefixes;
  if (allowed === undefined || allowed === null) {
    if (lengths.min <= lengths.max) add({ prefix: DEFAULT_ROUTE[family], ge: lengths.min, le: lengths.max });
    return [...entries.values()];
  }
  const bits = BITS[family];
  for (const entry of allowed) {
    const parsed = parsePrefix(entry.prefix);
    if (typeof parsed === 'string' || parsed.family !== family) continue;
    // FRR's meaning: exact without ge/le; ge alone is ge..bits; le alone is length..le.
    const low = Math.max(entry.ge ?? parsed.length, lengths.min);
    const high = Math.min(entry.le ?? (entry.ge === undefined ? parsed.length : bits), lengths.max);
    if (low > high) continue;
    if (low === parsed.length && high === parsed.length) add({ prefix: parsed.canonical });
    else if (low === parsed.length) add({ prefix: parsed.canonical, le: high });
    else add({ prefix: parsed.canonical, ge: low, le: high });
  }
  return [...entries.values()];
}
