/**
 * BRM's import policy: which learned prefixes may enter a hosted VPC's route table. Pure and
 * stateless except for `max-prefix`, which needs per-session counts (max-prefix.ts) and only
 * shares the rejection type with this file.
 *
 * Every prefix list is parsed once, by the compile functions, into per-family structures: sorted
 * disjoint ranges (binary search, BigInt bounds) for "overlaps any of", and per-length hash maps
 * for prefix-list `le`/`ge` matching. Checking one route is then O(log n) with no string parsing
 * beyond the route's own prefix (pass a ParsedPrefix to skip even that).
 */
import { findOverlap, parsePrefix, prefixesOverlap, type ParsedPrefix } from '../inventory/addressing.js';
import type { AddressFamily } from '../net/ip-address.js';
import { DEFAULT_BOGONS } from './bogons.js';

export type RejectReason =
  'invalid-prefix' | 'default-route' | 'overlaps-vpc-cidr' | 'reserved-range' | 'bogon' | 'prefix-length' | 'not-allowed' | 'max-prefix';

export interface ImportRejection {
  accepted: false;
  reason: RejectReason;
  detail: string;
}

export type ImportDecision = { accepted: true } | ImportRejection;

export interface LengthRange {
  min: number;
  max: number;
}

export interface PrefixLengthLimits {
  ipv4: LengthRange;
  ipv6: LengthRange;
}

export const DEFAULT_PREFIX_LENGTHS: PrefixLengthLimits = { ipv4: { min: 8, max: 24 }, ipv6: { min: 16, max: 48 } };

/** One prefix-list line, as in FRR: exact match without ge/le; `ge` alone means ge..max; `le` alone means length..le. */
export interface PrefixListEntry {
  prefix: string;
  ge?: number;
  le?: number;
}

export interface SessionPolicyInput {
  /** Per-family min/max prefix length; what is missing comes from the platform policy. */
  prefixLength?: { ipv4?: Partial<LengthRange>; ipv6?: Partial<LengthRange> };
  /** null/undefined: no list, anything passing the other checks is accepted. An empty array accepts nothing. */
  allowedPrefixes?: readonly PrefixListEntry[] | null;
  /** Accept 0.0.0.0/0 and ::/0 (they then skip every range check; max-prefix still counts them). */
  allowDefaultRoute?: boolean;
}

export interface VpcPolicyInput {
  /** The hosted VPC's own CIDRs (HostedVpcEntity.cidrs). */
  cidrs: readonly string[];
}

export interface RangeInput {
  prefix: string;
  label?: string;
}

export interface PlatformPolicyInput {
  /** Platform-reserved ranges (e.g. the tunnel inner space, service networks). */
  reservedRanges?: readonly (string | RangeInput)[];
  /** Replaces DEFAULT_BOGONS when given. */
  bogons?: readonly (string | RangeInput)[];
  /** Defaults of every session; DEFAULT_PREFIX_LENGTHS where missing. */
  prefixLength?: { ipv4?: Partial<LengthRange>; ipv6?: Partial<LengthRange> };
}

/** Thrown by the compile functions: every problem of the input, in words. */
export class PolicyConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid import policy: ${problems.join('; ')}`);
    this.name = 'PolicyConfigError';
  }
}

// ---------------------------------------------------------------------------------------------
// Range sets: "does this prefix overlap any of these blocks?"

interface LabelledPrefix {
  prefix: ParsedPrefix;
  label: string;
}

/** Disjoint blocks per family, sorted by start, for an O(log n) overlap query. */
export class PrefixRangeSet {
  private readonly v4: LabelledPrefix[];
  private readonly v6: LabelledPrefix[];

  private constructor(v4: LabelledPrefix[], v6: LabelledPrefix[]) {
    this.v4 = v4;
    this.v6 = v6;
  }

  /** Parses and keeps only the outermost blocks (CIDR blocks either nest or are disjoint). */
  static compile(what: string, entries: readonly (string | RangeInput)[], problems: string[]): PrefixRangeSet {
    const parsed: LabelledPrefix[] = [];
    for (const entry of entries) {
      const { prefix, label } = typeof entry === 'string' ? { prefix: entry, label: undefined } : entry;
      const result = parsePrefix(prefix);
      if (typeof result === 'string') problems.push(`${what}: ${result}`);
      else parsed.push({ prefix: result, label: label ?? result.canonical });
    }
    // Drop blocks inside another one until none overlap: the lists are short and compiled once.
    let kept = parsed;
    for (let pair = findOverlap(kept.map((entry) => entry.prefix)); pair; pair = findOverlap(kept.map((entry) => entry.prefix))) {
      const [a, b] = pair;
      const inner = a.length >= b.length ? a : b;
      const index = kept.findIndex(
        (entry) => entry.prefix.family === inner.family && entry.prefix.first === inner.first && entry.prefix.length === inner.length,
      );
      kept = kept.filter((_, i) => i !== index);
    }
    const byStart = (x: LabelledPrefix, y: LabelledPrefix) =>
      x.prefix.first < y.prefix.first ? -1 : x.prefix.first > y.prefix.first ? 1 : 0;
    return new PrefixRangeSet(
      kept.filter((entry) => entry.prefix.family === 4).sort(byStart),
      kept.filter((entry) => entry.prefix.family === 6).sort(byStart),
    );
  }

  get size(): number {
    return this.v4.length + this.v6.length;
  }

  /** The block the prefix lies in, covers or equals, or null. */
  overlapping(prefix: ParsedPrefix): LabelledPrefix | null {
    const list = prefix.family === 4 ? this.v4 : this.v6;
    // First block that ends at or after the prefix's start: the only one that can overlap it.
    let low = 0;
    let high = list.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (list[middle]!.prefix.last < prefix.first) low = middle + 1;
      else high = middle;
    }
    const candidate = list[low];
    return candidate && prefixesOverlap(candidate.prefix, prefix) ? candidate : null;
  }
}

// ---------------------------------------------------------------------------------------------
// Prefix lists with le/ge

interface CompiledListEntry {
  min: number;
  max: number;
  text: string;
}

const MASKS: Record<AddressFamily, bigint[]> = {
  4: Array.from({ length: 33 }, (_, length) => ((1n << 32n) - 1n) ^ ((1n << BigInt(32 - length)) - 1n)),
  6: Array.from({ length: 129 }, (_, length) => ((1n << 128n) - 1n) ^ ((1n << BigInt(128 - length)) - 1n)),
};

interface FamilyPrefixList {
  /** Distinct network lengths of the entries, ascending. */
  lengths: number[];
  /** length → network start → entries with that network. */
  byNetwork: Map<number, Map<bigint, CompiledListEntry[]>>;
}

/** A prefix list: a route matches when it lies in an entry's network with a length in the entry's ge..le range. */
export class CompiledPrefixList {
  private constructor(private readonly families: Record<AddressFamily, FamilyPrefixList>) {}

  static compile(what: string, entries: readonly PrefixListEntry[], problems: string[]): CompiledPrefixList {
    const families: Record<AddressFamily, FamilyPrefixList> = {
      4: { lengths: [], byNetwork: new Map() },
      6: { lengths: [], byNetwork: new Map() },
    };
    for (const entry of entries) {
      const parsed = parsePrefix(entry.prefix);
      if (typeof parsed === 'string') {
        problems.push(`${what}: ${parsed}`);
        continue;
      }
      const bits = parsed.family === 4 ? 32 : 128;
      const min = entry.ge ?? parsed.length;
      const max = entry.le ?? (entry.ge === undefined ? parsed.length : bits);
      const text = `${parsed.canonical}${entry.ge === undefined ? '' : ` ge ${entry.ge}`}${entry.le === undefined ? '' : ` le ${entry.le}`}`;
      if (!Number.isInteger(min) || !Number.isInteger(max) || min < parsed.length || min > max || max > bits) {
        problems.push(`${what}: "${text}" needs ${parsed.length} <= ge <= le <= ${bits}`);
        continue;
      }
      const family = families[parsed.family];
      let networks = family.byNetwork.get(parsed.length);
      if (!networks) {
        networks = new Map();
        family.byNetwork.set(parsed.length, networks);
        family.lengths.push(parsed.length);
      }
      const list = networks.get(parsed.first) ?? [];
      list.push({ min, max, text });
      networks.set(parsed.first, list);
    }
    families[4].lengths.sort((a, b) => a - b);
    families[6].lengths.sort((a, b) => a - b);
    return new CompiledPrefixList(families);
  }

  /** The first matching entry's text (shortest network first), or null. */
  match(prefix: ParsedPrefix): string | null {
    const family = this.families[prefix.family];
    const masks = MASKS[prefix.family];
    for (const length of family.lengths) {
      if (length > prefix.length) break;
      const entries = family.byNetwork.get(length)!.get(prefix.first & masks[length]!);
      if (!entries) continue;
      for (const entry of entries) {
        if (prefix.length >= entry.min && prefix.length <= entry.max) return entry.text;
      }
    }
    return null;
  }
}

// ---------------------------------------------------------------------------------------------
// Compiled policies

export interface CompiledSessionPolicy {
  readonly prefixLength: { ipv4: Partial<LengthRange>; ipv6: Partial<LengthRange> };
  readonly allowedPrefixes: CompiledPrefixList | null;
  readonly allowDefaultRoute: boolean;
}

export interface CompiledVpcPolicy {
  readonly cidrs: PrefixRangeSet;
}

export interface CompiledPlatformPolicy {
  readonly reserved: PrefixRangeSet;
  readonly bogons: PrefixRangeSet;
  readonly prefixLength: PrefixLengthLimits;
}

function checkLengths(
  what: string,
  limits: { ipv4?: Partial<LengthRange>; ipv6?: Partial<LengthRange> } | undefined,
  problems: string[],
): void {
  for (const [family, bits] of [
    ['ipv4', 32],
    ['ipv6', 128],
  ] as const) {
    const { min, max } = limits?.[family] ?? {};
    for (const value of [min, max]) {
      if (value !== undefined && (!Number.isInteger(value) || value < 0 || value > bits)) {
        problems.push(`${what}.${family}: lengths must be integers 0..${bits}`);
      }
    }
    if (min !== undefined && max !== undefined && min > max) problems.push(`${what}.${family}: min ${min} > max ${max}`);
  }
}

export function compileSessionPolicy(input: SessionPolicyInput = {}): CompiledSessionPolicy {
  const problems: string[] = [];
  checkLengths('prefixLength', input.prefixLength, problems);
  const allowed = input.allowedPrefixes ? CompiledPrefixList.compile('allowedPrefixes', input.allowedPrefixes, problems) : null;
  if (problems.length > 0) throw new PolicyConfigError(problems);
  return {
    prefixLength: { ipv4: { ...input.prefixLength?.ipv4 }, ipv6: { ...input.prefixLength?.ipv6 } },
    allowedPrefixes: allowed,
    allowDefaultRoute: input.allowDefaultRoute ?? false,
  };
}

export function compileVpcPolicy(input: VpcPolicyInput): CompiledVpcPolicy {
  const problems: string[] = [];
  const cidrs = PrefixRangeSet.compile('cidrs', input.cidrs, problems);
  if (problems.length > 0) throw new PolicyConfigError(problems);
  return { cidrs };
}

export function compilePlatformPolicy(input: PlatformPolicyInput = {}): CompiledPlatformPolicy {
  const problems: string[] = [];
  checkLengths('prefixLength', input.prefixLength, problems);
  const reserved = PrefixRangeSet.compile('reservedRanges', input.reservedRanges ?? [], problems);
  const bogons = PrefixRangeSet.compile('bogons', input.bogons ?? DEFAULT_BOGONS, problems);
  const prefixLength: PrefixLengthLimits = {
    ipv4: { ...DEFAULT_PREFIX_LENGTHS.ipv4, ...input.prefixLength?.ipv4 },
    ipv6: { ...DEFAULT_PREFIX_LENGTHS.ipv6, ...input.prefixLength?.ipv6 },
  };
  for (const family of ['ipv4', 'ipv6'] as const) {
    if (prefixLength[family].min > prefixLength[family].max) problems.push(`prefixLength.${family}: min > max after defaults`);
  }
  if (problems.length > 0) throw new PolicyConfigError(problems);
  return { reserved, bogons, prefixLength };
}

// ---------------------------------------------------------------------------------------------
// The check

export interface ImportRoute {
  /** Parsed once by the caller (route-table.ts does), or text. */
  prefix: ParsedPrefix | string;
  /** The family the route was announced in; a prefix of the other family is `invalid-prefix`. */
  family?: AddressFamily;
}

function reject(reason: RejectReason, detail: string): ImportRejection {
  return { accepted: false, reason, detail };
}

function describe(range: LabelledPrefix): string {
  return range.label === range.prefix.canonical ? range.label : `${range.prefix.canonical} (${range.label})`;
}

const ACCEPTED: ImportDecision = Object.freeze({ accepted: true });

/**
 * Decision order (the first failing check is the reason): invalid-prefix, default-route,
 * overlaps-vpc-cidr, reserved-range, bogon, prefix-length, not-allowed. An allowed default route
 * skips the rest (it overlaps everything by definition). max-prefix comes last, from max-prefix.ts.
 */
export function evaluateImport(
  route: ImportRoute,
  session: CompiledSessionPolicy,
  vpc: CompiledVpcPolicy,
  platform: CompiledPlatformPolicy,
): ImportDecision {
  let prefix: ParsedPrefix;
  if (typeof route.prefix === 'string') {
    const parsed = parsePrefix(route.prefix);
    if (typeof parsed === 'string') return reject('invalid-prefix', parsed);
    prefix = parsed;
  } else {
    prefix = route.prefix;
  }
  if (route.family !== undefined && route.family !== prefix.family) {
    return reject('invalid-prefix', `${prefix.canonical} is not an IPv${route.family} prefix`);
  }
  if (prefix.length === 0) {
    return session.allowDefaultRoute
      ? ACCEPTED
      : reject('default-route', `${prefix.canonical} is the default route and the session does not allow it`);
  }
  const vpcCidr = vpc.cidrs.overlapping(prefix);
  if (vpcCidr) return reject('overlaps-vpc-cidr', `${prefix.canonical} overlaps the VPC's own CIDR ${vpcCidr.prefix.canonical}`);
  const reserved = platform.reserved.overlapping(prefix);
  if (reserved) return reject('reserved-range', `${prefix.canonical} overlaps the reserved range ${describe(reserved)}`);
  const bogon = platform.bogons.overlapping(prefix);
  if (bogon) return reject('bogon', `${prefix.canonical} overlaps bogon ${describe(bogon)}`);
  const key = prefix.family === 4 ? 'ipv4' : 'ipv6';
  const min = session.prefixLength[key].min ?? platform.prefixLength[key].min;
  const max = session.prefixLength[key].max ?? platform.prefixLength[key].max;
  if (prefix.length < min || prefix.length > max) {
    return reject('prefix-length', `${prefix.canonical}: length ${prefix.length} is outside ${min}..${max}`);
  }
  if (session.allowedPrefixes && session.allowedPrefixes.match(prefix) === null) {
    return reject('not-allowed', `${prefix.canonical} matches no entry of the session's allowed-prefix list`);
  }
  return ACCEPTED;
}
