/**
 * One hosted VPC's route table as an in-memory model. `apply(events)` runs each event through the
 * import policy, max-prefix, graceful restart and best path, and returns the resulting changes,
 * each with the next revision of the VPC (strictly increasing, no gaps). The table is the state an
 * adapter loads from and saves to the database (`restore`, `snapshot`); nothing here does I/O or
 * reads the clock.
 *
 * Determinism: changes follow the events in order; an event touching many prefixes (session down,
 * End-of-RIB, expiry) changes them in prefix order (family, address, length). The resulting table
 * depends only on each session's own event order, not on how sessions interleave (best path is
 * order-independent, max-prefix and graceful restart are per session).
 *
 * Idempotence: an event that does not change the table (the same announcement again, a withdrawal
 * of an unknown path, a second session-down, an already-logged rejection) yields no change and
 * uses no revision.
 */
import type { AddressFamily, SessionRef } from '../../common/events/bgp-events.js';
import { parsePrefix, type ParsedPrefix } from '../../common/inventory/addressing.js';
import { asPathLength, DEFAULT_BEST_PATH_OPTIONS, neighborAs, selectBestPath, type BestPathOptions, type Candidate } from './best-path.js';
import { GracefulRestart, type GrPhase } from './graceful-restart.js';
import {
  evaluateImport,
  type CompiledPlatformPolicy,
  type CompiledSessionPolicy,
  type CompiledVpcPolicy,
  type ImportRejection,
  type RejectReason,
} from '../../common/policy/import-policy.js';
import { MaxPrefixGuard, type MaxPrefixAlert } from './max-prefix.js';
import { decodeStoredEntry, decodeStoredPathRows, encodeStoredPaths, routeState, type RouteState } from './stored-route.js';
import type { PathView, RouteAttributes, RouteEntry } from './route-entry.js';

export type { PathRow, PathView, RouteAttributes, RouteEntry } from './route-entry.js';

// ---------------------------------------------------------------------------------------------
// Configuration and events

export interface SessionConfig {
  /** BgpSessionEntity.id */
  sessionId: number;
  tunnelId: number;
  /** BgpSessionEntity.maxPrefix; null = unlimited. */
  maxPrefix: number | null;
  /** BgpSessionEntity.gracefulRestartSeconds; 0 = no graceful restart. */
  gracefulRestartSeconds: number;
  policy: CompiledSessionPolicy;
  /** Sets LOCAL_PREF on every path of the session (an import route-map), e.g. to prefer one tunnel. */
  localPref?: number | null;
}

/** A SessionConfig from a BgpSessionEntity (structurally: no ORM import here) and its compiled import policy. */
export function sessionConfigOf(
  entity: { id: number; tunnelId: number; maxPrefix: number | null; gracefulRestartSeconds: number },
  policy: CompiledSessionPolicy,
  localPref: number | null = null,
): SessionConfig {
  return {
    sessionId: entity.id,
    tunnelId: entity.tunnelId,
    maxPrefix: entity.maxPrefix,
    gracefulRestartSeconds: entity.gracefulRestartSeconds,
    policy,
    localPref,
  };
}

export interface TableConfig {
  vpcId: number;
  vpcPolicy: CompiledVpcPolicy;
  platformPolicy: CompiledPlatformPolicy;
  bestPath?: Partial<BestPathOptions>;
  sessions: readonly SessionConfig[];
}

/** Times are milliseconds since the epoch, supplied by the caller (event receivedAt, or the timer's now). */
export type TableEvent =
  | {
      kind: 'announce';
      at: number;
      sessionId: number;
      family: AddressFamily;
      prefix: string;
      pathId: number | null;
      attributes: RouteAttributes;
    }
  | { kind: 'withdraw'; at: number; sessionId: number; family: AddressFamily; prefix: string; pathId: number | null }
  | { kind: 'end-of-rib'; at: number; sessionId: number; family: AddressFamily }
  /**
   * `connection`: the down applies only while the session's last session-up came through that BMP
   * connection. `withdrawAtMost`: withdraw the paths of at most this many of the session's prefixes
   * and list the event in `partlyApplied` when more are left; the same down applied again
   * withdraws the next ones (how BRM commits a large session loss in parts).
   */
  | { kind: 'session-down'; at: number; sessionId: number; graceful?: boolean; connection?: string; withdrawAtMost?: number }
  | { kind: 'session-up'; at: number; sessionId: number; families?: AddressFamily[]; gracefulRestart?: boolean; reporter?: BmpReporter }
  /** Withdraw every stale path whose graceful-restart deadline is at or before `at`. */
  | { kind: 'expiry'; at: number }
  /**
   * The table's configuration changed (a session's policy or settings, the VPC's CIDRs, a session
   * removed or moved to another VPC): every path and every refused announcement is judged again.
   */
  | { kind: 'reconfigure'; at: number };

// ---------------------------------------------------------------------------------------------
// The table as published

export type ChangeAction = 'add' | 'update' | 'remove' | 'reject';

export interface ChangeCause {
  /** `deconfigured`: the session's path left because the session is no longer configured for this VPC. */
  event: TableEvent['kind'] | 'deconfigured';
  sessionId: number | null;
  at: number;
}

export interface Rejection {
  sessionId: number;
  pathId: number | null;
  reason: RejectReason;
  detail: string;
}

export interface RouteChange {
  vpcId: number;
  revision: number;
  /** Canonical prefix (or the text as received, for `invalid-prefix`). */
  prefix: string;
  family: AddressFamily;
  action: ChangeAction;
  /** The entry before and after; a `reject` leaves it unchanged (before = after). */
  before: RouteEntry | null;
  after: RouteEntry | null;
  cause: ChangeCause;
  /** Set for `reject`. */
  rejection: Rejection | null;
}

/**
 * A change as the table emits it: with `before` and `after` also in their stored form
 * (stored-route.ts), which the table has at hand, so the change log stores them without
 * encoding the entries again.
 */
export interface TableChange extends RouteChange {
  storedBefore: string | null;
  storedAfter: string | null;
}

export interface ApplyResult {
  changes: TableChange[];
  alerts: MaxPrefixAlert[];
  /** Events the table cannot apply (unknown session, unparsable withdrawal), with why. */
  ignored: { event: TableEvent; why: string }[];
  /** Session-downs that reached their `withdrawAtMost` with prefixes left to withdraw: apply them again to go on. */
  partlyApplied: TableEvent[];
  /** The table's revision after the batch. */
  revision: number;
  /** What to save: prefixes whose entry, paths or rejections changed, and sessions whose state did. */
  dirty: {
    prefixes: string[];
    sessions: number[];
    /** Dirty prefixes the table did not hold before the batch: they have no path or entry rows to replace. */
    newPrefixes: string[];
    /** Dirty prefixes whose rejections changed: only their rejected rows need replacing. */
    rejectedPrefixes: string[];
  };
}

// ---------------------------------------------------------------------------------------------
// Persistence shape

export interface RejectedRow {
  prefix: string;
  family: AddressFamily;
  sessionId: number;
  pathId: number | null;
  reason: RejectReason;
  detail: string;
  attributes: RouteAttributes;
  /** The `reject` change that logged this refusal: its revision and its event's time (ms); null for rows stored before they were kept. */
  revision: number | null;
  rejectedAt: number | null;
}

/** Which collector's BMP connection reported a session up, and the session as it named it (for a down said on its behalf). */
export interface BmpReporter {
  connection: string;
  session: SessionRef;
}

export interface SessionRow {
  sessionId: number;
  /** The connection of the session's last session-up; null when not known (before collectors named it). */
  reporter: BmpReporter | null;
  phase: GrPhase;
  /** When the session last went up or down (the BMP event's time, ms); null before BRM saw either. */
  lastUpDownAt: number | null;
  gracefulRestartNegotiated: boolean | null;
  overLimit: boolean;
  /** Stale paths: `key` is `<prefix>#<path id or empty>`. */
  stale: { key: string; family: AddressFamily; deadline: number }[];
}

/** A configured session's state without its stale paths: what the session gauges show (BRM's session-metrics.ts). */
export interface SessionStatus {
  sessionId: number;
  phase: GrPhase;
  overLimit: boolean;
  /** The connection and session ref of its last session-up; null when not known. */
  reporter: BmpReporter | null;
}

/** A prefix's entry as stored (stored-route.ts), with the paths' received LOCAL_PREF: a route is one row. */
export interface StoredRoute {
  prefix: string;
  family: AddressFamily;
  state: RouteState;
  paths: string;
}

export interface TableSnapshot {
  vpcId: number;
  revision: number;
  routes: StoredRoute[];
  rejected: RejectedRow[];
  sessions: SessionRow[];
}

// ---------------------------------------------------------------------------------------------

/** Never changed once made: one object serves every prefix whose path has the same session, path id and attributes. */
interface StoredPath {
  readonly sessionId: number;
  readonly pathId: number | null;
  readonly attributes: RouteAttributes;
}

/**
 * A prefix in the table: its paths and its entry. One object per prefix, paths held inline:
 * almost every prefix has one or two paths, and with a full table a Map or even a small array per
 * prefix weighed on every garbage collection.
 */
class PrefixState {
  /** The one path almost every prefix has, or a list when there are several. */
  private items: StoredPath | StoredPath[] | null = null;
  /**
   * The entry in its stored form (stored-route.ts), null while no path is accepted. A million
   * entries as objects cost about 460 bytes each in the heap, as text under 100; an entry is
   * decoded only where a change needs its `before`.
   */
  stored: string | null = null;
  routeState: RouteState = 'standby';

  /** `prefix` is the canonical text, also the key in the table. Parsed again only to sort: a million parsed prefixes (two BigInts each) weighed on every garbage collection. */
  constructor(
    readonly prefix: string,
    readonly family: AddressFamily,
  ) {}

  get pathCount(): number {
    return this.items === null ? 0 : Array.isArray(this.items) ? this.items.length : 1;
  }

  paths(): readonly StoredPath[] {
    return this.items === null ? [] : Array.isArray(this.items) ? this.items : [this.items];
  }

  /** The path when there is exactly one, else null. */
  onlyPath(): StoredPath | null {
    return this.items === null || Array.isArray(this.items) ? null : this.items;
  }

  /** Whether any path comes from the session (ADD-PATH: several may). */
  hasSession(sessionId: number): boolean {
    if (this.items === null) return false;
    if (!Array.isArray(this.items)) return this.items.sessionId === sessionId;
    return this.items.some((item) => item.sessionId === sessionId);
  }

  /** Adds the path, or replaces the one with the same session and path id. */
  setPath(path: StoredPath): void {
    if (this.items === null) this.items = path;
    else if (!Array.isArray(this.items)) this.items = samePath(this.items, path.sessionId, path.pathId) ? path : [this.items, path];
    else {
      const index = this.items.findIndex((item) => samePath(item, path.sessionId, path.pathId));
      if (index >= 0) this.items[index] = path;
      else this.items.push(path);
    }
  }

  deletePath(sessionId: number, pathId: number | null): boolean {
    if (this.items === null) return false;
    if (!Array.isArray(this.items)) {
      if (!samePath(this.items, sessionId, pathId)) return false;
      this.items = null;
      return true;
    }
    const index = this.items.findIndex((item) => samePath(item, sessionId, pathId));
    if (index < 0) return false;
    this.items.splice(index, 1);
    if (this.items.length === 1) this.items = this.items[0]!;
    return true;
  }
}

function samePath(path: StoredPath, sessionId: number, pathId: number | null): boolean {
  return path.sessionId === sessionId && path.pathId === pathId;
}

interface RejectedRecord extends RejectedRow {
  fingerprint: string;
}

const FAMILY_OF: Record<4 | 6, AddressFamily> = { 4: 'ipv4-unicast', 6: 'ipv6-unicast' };
const FAMILY_NUMBER: Record<AddressFamily, 4 | 6> = { 'ipv4-unicast': 4, 'ipv6-unicast': 6 };

function pathKey(sessionId: number, pathId: number | null): string {
  return `${sessionId}#${pathId ?? ''}`;
}

/**
 * A session's path as graceful restart knows it: the prefix itself when
 * there is no path id (nothing to build or keep per route), else `<prefix>#<path id>`.
 */
function grKey(prefix: string, pathId: number | null): string {
  return pathId === null ? prefix : `${prefix}#${pathId}`;
}

function splitGrKey(key: string): { prefix: string; pathId: number | null } {
  const hash = key.lastIndexOf('#');
  if (hash < 0) return { prefix: key, pathId: null };
  return { prefix: key.slice(0, hash), pathId: Number(key.slice(hash + 1)) };
}

/** Stored session rows keep the form `<prefix>#<path id or empty>` (SessionRow.stale). */
function storedGrKey(key: string): string {
  return key.includes('#') ? key : `${key}#`;
}

function grKeyOfStored(stored: string): string {
  return stored.endsWith('#') ? stored.slice(0, -1) : stored;
}

function compareParsed(a: ParsedPrefix, b: ParsedPrefix): number {
  return a.family - b.family || (a.first < b.first ? -1 : a.first > b.first ? 1 : 0) || a.length - b.length;
}

/** Structural equality of plain JSON-like values (entries loaded from storage may order keys differently). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, index) => deepEqual(item, b[index]));
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = Object.keys(left);
  return keys.length === Object.keys(right).length && keys.every((key) => Object.hasOwn(right, key) && deepEqual(left[key], right[key]));
}

/**
 * The rejected routes by `<session>#<path id>|<prefix>`, noting which prefixes' rejections a batch
 * changed: a full table's load rejects little, and deleting the rejected rows of every changed
 * prefix was a tenth of a batch's SQL.
 */
class RejectedRoutes extends Map<string, RejectedRecord> {
  readonly changedPrefixes = new Set<string>();
  /**
   * The keys of each prefix's rejections: an accepted announcement builds the key of a rejection it
   * replaces only where one can exist, and a batch's save finds its prefixes' rows without walking
   * every rejection.
   */
  private readonly perPrefix = new Map<string, Set<string>>();

  override set(key: string, record: RejectedRecord): this {
    this.changedPrefixes.add(record.prefix);
    let keys = this.perPrefix.get(record.prefix);
    if (!keys) this.perPrefix.set(record.prefix, (keys = new Set()));
    keys.add(key);
    return super.set(key, record);
  }

  override delete(key: string): boolean {
    const record = this.get(key);
    if (!record) return false;
    this.changedPrefixes.add(record.prefix);
    const keys = this.perPrefix.get(record.prefix)!;
    keys.delete(key);
    if (keys.size === 0) this.perPrefix.delete(record.prefix);
    return super.delete(key);
  }

  /** Drops the rejection of this session's path for the prefix, if there is one. */
  deletePath(sessionId: number, pathId: number | null, prefix: string): boolean {
    return this.perPrefix.has(prefix) && this.delete(`${pathKey(sessionId, pathId)}|${prefix}`);
  }

  /** The rejections of these prefixes, as [key, record]. */
  *ofPrefixes(prefixes: Iterable<string>): Generator<[string, RejectedRecord]> {
    for (const prefix of prefixes) {
      for (const key of this.perPrefix.get(prefix) ?? []) yield [key, this.get(key)!];
    }
  }
}

function entryOf(state: PrefixState): RouteEntry | null {
  return state.stored === null ? null : decodeStoredEntry(state.prefix, state.family, state.stored);
}

/** What the PE sent as LOCAL_PREF on the path behind `view` (the view shows the effective value). */
function receivedLocalPref(state: PrefixState, view: PathView): number | null {
  for (const path of state.paths()) {
    if (path.sessionId === view.sessionId && path.pathId === view.pathId) return path.attributes.localPref;
  }
  return view.localPref;
}

/** A prefix's entry with what the table keeps of it: its stored text and its state. */
interface BuiltEntry {
  entry: RouteEntry;
  stored: string;
  routeState: RouteState;
}

export class VpcRouteTable {
  readonly vpcId: number;
  private readonly config: TableConfig;
  private readonly sessions: Map<number, SessionConfig>;
  private readonly bestPath: BestPathOptions;
  private readonly prefixes = new Map<string, PrefixState>();
  /** `<session>#<path id>|<prefix>` → rejection */
  private readonly rejected = new RejectedRoutes();
  private readonly guard = new MaxPrefixGuard();
  private readonly gr = new GracefulRestart();
  private readonly reporters = new Map<number, BmpReporter>();
  /** Per session, when it last went up or down (SessionRow.lastUpDownAt). */
  private readonly lastUpDownAt = new Map<number, number>();
  private currentRevision: number;
  /**
   * The last path and entry text stored. The prefixes of one UPDATE arrive one after the other with
   * the same attributes, so their paths and entries are equal: they share one object and one
   * string instead of a copy per prefix (a full table's heap held a million of each).
   */
  private lastPath: StoredPath | null = null;
  private lastText: string | null = null;
  /**
   * The last entry of one fresh path, built and encoded: a prefix with the same single path (so
   * the same session, attributes and path id) has the same next hops, paths and stored text, and
   * is not built again. Shared, so never changed.
   */
  private lastSingle: {
    path: StoredPath;
    session: SessionConfig;
    activeNextHops: RouteEntry['activeNextHops'];
    paths: RouteEntry['paths'];
    stored: string;
    routeState: RouteState;
  } | null = null;

  // Per-batch scratch.
  private changes: TableChange[] = [];
  private alerts: MaxPrefixAlert[] = [];
  private partlyApplied: TableEvent[] = [];
  private dirtyPrefixes = new Set<string>();
  private dirtySessions = new Set<number>();
  private createdInBatch = new Set<string>();
  private deletedExisting = new Set<string>();

  constructor(config: TableConfig, revision = 0) {
    this.vpcId = config.vpcId;
    this.config = config;
    this.sessions = new Map(config.sessions.map((session) => [session.sessionId, session]));
    this.bestPath = { ...DEFAULT_BEST_PATH_OPTIONS, ...config.bestPath };
    this.currentRevision = revision;
  }

  get revision(): number {
    return this.currentRevision;
  }

  /** The table as an adapter stored it. Entries are taken as stored; call `reevaluate` after a configuration change. */
  static restore(config: TableConfig, snapshot: TableSnapshot): VpcRouteTable {
    const table = new VpcRouteTable(config, snapshot.revision);
    for (const route of snapshot.routes) {
      const state = table.prefixState(route.prefix, route.family);
      if (!state) throw new Error(`stored route has an invalid prefix ${JSON.stringify(route.prefix)}`);
      for (const row of decodeStoredPathRows(route.prefix, route.family, route.paths)) {
        state.setPath(table.sharedPath(row.sessionId, row.pathId, internAttributes(row.attributes)));
      }
      state.stored = table.sharedText(route.paths);
      state.routeState = route.state;
    }
    for (const row of snapshot.rejected) {
      table.rejected.set(`${pathKey(row.sessionId, row.pathId)}|${row.prefix}`, {
        ...row,
        fingerprint: fingerprint(row.reason, row.attributes),
      });
    }
    table.rejected.changedPrefixes.clear();
    table.gr.restore(
      snapshot.sessions.map(({ sessionId, phase, gracefulRestartNegotiated, stale }) => ({
        sessionId,
        phase,
        gracefulRestartNegotiated,
        stale: stale.map((mark) => ({ ...mark, key: grKeyOfStored(mark.key) })),
      })),
    );
    for (const { sessionId, reporter, lastUpDownAt } of snapshot.sessions) {
      if (reporter) table.reporters.set(sessionId, reporter);
      if (lastUpDownAt !== null) table.lastUpDownAt.set(sessionId, lastUpDownAt);
    }
    const overLimit = new Set(snapshot.sessions.filter((session) => session.overLimit).map((session) => session.sessionId));
    const held = new Map<number, number>();
    for (const state of table.prefixes.values()) {
      const paths = state.paths();
      for (let index = 0; index < paths.length; index++) {
        const sessionId = paths[index]!.sessionId;
        // A prefix counts once per session, however many ADD-PATH paths the session has for it.
        if (paths.findIndex((path) => path.sessionId === sessionId) === index) held.set(sessionId, (held.get(sessionId) ?? 0) + 1);
      }
    }
    for (const sessionId of new Set([...held.keys(), ...overLimit])) {
      table.guard.restore(sessionId, held.get(sessionId) ?? 0, overLimit.has(sessionId));
    }
    return table;
  }

  /** Whole table, or (for a batch save) only the given prefixes' entries, paths and rejections; sessions are always complete. */
  snapshot(only?: { prefixes: Iterable<string> }): TableSnapshot {
    const wanted = only ? new Set(only.prefixes) : null;
    // A batch save looks up its prefixes rather than walking a table of a million. Rows go in the
    // order of vpc_routes' key (the prefix text, binary collation): InnoDB appends rather than
    // splitting pages, and sorting text needs no parsing.
    const states = (
      wanted
        ? [...wanted].flatMap((prefix): PrefixState[] => {
            const state = this.prefixes.get(prefix);
            return state ? [state] : [];
          })
        : [...this.prefixes.values()]
    ).sort((a, b) => (a.prefix < b.prefix ? -1 : a.prefix > b.prefix ? 1 : 0));
    const routes: StoredRoute[] = [];
    for (const { prefix, family, stored, routeState: state } of states) {
      if (stored !== null) routes.push({ prefix, family, state, paths: stored });
    }
    const rejected = [...(wanted ? this.rejected.ofPrefixes(wanted) : this.rejected.entries())]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, { fingerprint: _fingerprint, ...row }]) => row);
    const grSessions = new Map(this.gr.snapshot().map((session) => [session.sessionId, session]));
    const sessionIds = [
      ...new Set([...grSessions.keys(), ...this.guard.overLimitSessions(), ...this.reporters.keys(), ...this.lastUpDownAt.keys()]),
    ].sort((a, b) => a - b);
    const sessions: SessionRow[] = sessionIds.map((sessionId) => {
      const gr = grSessions.get(sessionId);
      return {
        sessionId,
        reporter: this.reporters.get(sessionId) ?? null,
        phase: gr?.phase ?? 'established',
        lastUpDownAt: this.lastUpDownAt.get(sessionId) ?? null,
        gracefulRestartNegotiated: gr?.gracefulRestartNegotiated ?? null,
        overLimit: this.guard.isOverLimit(sessionId),
        stale: (gr?.stale ?? []).map((mark) => ({ ...mark, key: storedGrKey(mark.key) })),
      };
    });
    return { vpcId: this.vpcId, revision: this.currentRevision, routes, rejected, sessions };
  }

  /** The current entries, in prefix order. */
  entries(): RouteEntry[] {
    return inPrefixOrder([...this.prefixes.values()].filter((state) => state.stored !== null)).map((state) => entryOf(state)!);
  }

  entry(prefix: string): RouteEntry | null {
    const parsed = parsePrefix(prefix);
    const state = typeof parsed === 'string' ? undefined : this.prefixes.get(parsed.canonical);
    return state ? entryOf(state) : null;
  }

  /** Stale paths due at `now` (for the adapter's timer); apply an `expiry` event to withdraw them. */
  dueWithdrawals(now: number): { sessionId: number; prefix: string; pathId: number | null; deadline: number }[] {
    return this.gr.dueWithdrawals(now).map((mark) => ({ sessionId: mark.sessionId, ...splitGrKey(mark.key), deadline: mark.deadline }));
  }

  /** When the next `expiry` event is needed, or null. */
  nextDeadline(): number | null {
    return this.gr.nextDeadline();
  }

  sessionPhase(sessionId: number): GrPhase {
    return this.gr.phase(sessionId);
  }

  /** The sessions this table holds anything of (a path, stale or not, or a refused announcement), in id order. */
  sessionsHeld(): number[] {
    const ids = new Set<number>();
    for (const state of this.prefixes.values()) for (const path of state.paths()) ids.add(path.sessionId);
    for (const record of this.rejected.values()) ids.add(record.sessionId);
    return [...ids].sort((a, b) => a - b);
  }

  /**
   * What the session announced into this table and still holds, as announce events in prefix
   * order: its paths that are not stale, then its refused announcements. A session moved to
   * another VPC takes these along, so its routes enter the new table at once (judged by that
   * table's policy) instead of when the router happens to announce them again.
   */
  sessionAnnouncements(sessionId: number, at: number): Extract<TableEvent, { kind: 'announce' }>[] {
    const announce = (prefix: string, family: AddressFamily, pathId: number | null, attributes: RouteAttributes) => ({
      kind: 'announce' as const,
      at,
      sessionId,
      family,
      prefix,
      pathId,
      attributes,
    });
    const held = [...this.prefixes.values()].filter((state) => state.hasSession(sessionId));
    const events = inPrefixOrder(held).flatMap((state) =>
      state
        .paths()
        .filter((path) => path.sessionId === sessionId && !this.isStale(sessionId, state.prefix, path.pathId))
        .map((path) => announce(state.prefix, state.family, path.pathId, path.attributes)),
    );
    const refused = [...this.rejected.values()]
      .filter((record) => record.sessionId === sessionId)
      .sort((a, b) => (a.prefix < b.prefix ? -1 : a.prefix > b.prefix ? 1 : (a.pathId ?? -1) - (b.pathId ?? -1)));
    for (const record of refused) events.push(announce(record.prefix, record.family, record.pathId, record.attributes));
    return events;
  }

  isOverLimit(sessionId: number): boolean {
    return this.guard.isOverLimit(sessionId);
  }

  /**
   * The configured sessions the table knows a state of (seen up or down, marked over their limit,
   * or with a known reporter: what a stored session row holds), in id order. Looks at no route.
   */
  sessionStatuses(): SessionStatus[] {
    const statuses: SessionStatus[] = [];
    for (const sessionId of [...this.sessions.keys()].sort((a, b) => a - b)) {
      const reporter = this.reporters.get(sessionId) ?? null;
      const overLimit = this.guard.isOverLimit(sessionId);
      if (!this.gr.knows(sessionId) && reporter === null && !overLimit) continue;
      statuses.push({ sessionId, phase: this.gr.phase(sessionId), overLimit, reporter });
    }
    return statuses;
  }

  prefixCount(sessionId: number): number {
    return this.guard.count(sessionId);
  }

  apply(events: readonly TableEvent[]): ApplyResult {
    this.changes = [];
    this.alerts = [];
    this.partlyApplied = [];
    this.dirtyPrefixes = new Set();
    this.dirtySessions = new Set();
    this.createdInBatch = new Set();
    this.deletedExisting = new Set();
    this.rejected.changedPrefixes.clear();
    const ignored: ApplyResult['ignored'] = [];
    for (const event of events) {
      const why = this.applyOne(event);
      if (why) ignored.push({ event, why });
    }
    return this.finish(ignored);
  }

  /** After a configuration change: `apply([{ kind: 'reconfigure', at }])`. */
  reevaluate(at: number): ApplyResult {
    return this.apply([{ kind: 'reconfigure', at }]);
  }

  // -------------------------------------------------------------------------------------------

  private finish(ignored: ApplyResult['ignored']): ApplyResult {
    for (const prefix of this.rejected.changedPrefixes) this.dirtyPrefixes.add(prefix);
    const result: ApplyResult = {
      changes: this.changes,
      alerts: this.alerts,
      ignored,
      partlyApplied: this.partlyApplied,
      revision: this.currentRevision,
      dirty: {
        prefixes: [...this.dirtyPrefixes],
        sessions: [...this.dirtySessions].sort((a, b) => a - b),
        newPrefixes: [...this.dirtyPrefixes].filter((prefix) => this.createdInBatch.has(prefix) && !this.deletedExisting.has(prefix)),
        rejectedPrefixes: [...this.rejected.changedPrefixes],
      },
    };
    this.changes = [];
    this.alerts = [];
    this.partlyApplied = [];
    return result;
  }

  private applyOne(event: TableEvent): string | null {
    if (event.kind === 'expiry') {
      this.expire(event.at);
      return null;
    }
    if (event.kind === 'reconfigure') {
      this.reconfigure(event.at);
      return null;
    }
    const session = this.sessions.get(event.sessionId);
    if (!session) return `session ${event.sessionId} is not a session of hosted VPC ${this.vpcId}`;
    const cause: ChangeCause = { event: event.kind, sessionId: event.sessionId, at: event.at };
    switch (event.kind) {
      case 'announce':
        this.announce(session, event, cause);
        return null;
      case 'withdraw': {
        const parsed = parsePrefix(event.prefix);
        if (typeof parsed === 'string') return parsed;
        if (this.rejected.deletePath(session.sessionId, event.pathId, parsed.canonical)) this.dirtyPrefixes.add(parsed.canonical);
        const state = this.prefixes.get(parsed.canonical);
        if (state && this.removePath(state, session.sessionId, event.pathId, event.at)) this.recompute(state, cause);
        return null;
      }
      case 'end-of-rib':
        this.withdrawKeys(session.sessionId, this.gr.endOfRib(session.sessionId, event.family).withdraw, cause);
        this.dirtySessions.add(session.sessionId);
        return null;
      case 'session-down': {
        // Said of a connection the session has since left (it came up through another collector):
        // that connection's view is out of date, the session's current one stands.
        const reporter = this.reporters.get(session.sessionId);
        if (event.connection !== undefined && reporter !== undefined && reporter.connection !== event.connection) return null;
        if (!this.sessionDown(session, event.at, event.graceful, cause, event.withdrawAtMost)) this.partlyApplied.push(event);
        this.lastUpDownAt.set(session.sessionId, event.at);
        return null;
      }
      case 'session-up': {
        const previous = this.reporters.get(session.sessionId);
        if (event.reporter) {
          // Up through a new connection while still up through another: the down that came between
          // was never said (its collector died). Taken as that down, so the dump that follows
          // replaces what the old connection had reported (End-of-RIB sweeps what it does not repeat).
          if (previous && previous.connection !== event.reporter.connection && this.isUp(session.sessionId)) {
            this.sessionDown(session, event.at, true, cause);
          }
          this.reporters.set(session.sessionId, event.reporter);
        }
        this.withdrawKeys(session.sessionId, this.gr.sessionUp(session.sessionId, event.families, event.gracefulRestart).withdraw, cause);
        this.lastUpDownAt.set(session.sessionId, event.at);
        this.dirtySessions.add(session.sessionId);
        return null;
      }
    }
  }

  private isUp(sessionId: number): boolean {
    const phase = this.gr.phase(sessionId);
    return phase === 'established' || phase === 'recovering';
  }

  /** False when `withdrawAtMost` left some of the session's prefixes to withdraw. */
  private sessionDown(
    session: SessionConfig,
    at: number,
    graceful: boolean | undefined,
    cause: ChangeCause,
    withdrawAtMost = Infinity,
  ): boolean {
    const options = { restartSeconds: session.gracefulRestartSeconds, ...(graceful === undefined ? {} : { graceful }) };
    // Stale paths are all kept: a limit only applies to withdrawals.
    const limit = this.gr.keepsPathsOnDown(session.sessionId, options) ? Infinity : withdrawAtMost;
    const { paths, complete } = this.pathsOf(session.sessionId, limit);
    const result = this.gr.sessionDown(session.sessionId, at, paths, options);
    this.dirtySessions.add(session.sessionId);
    // The peer announces everything again after the restart: forget what it had rejected.
    for (const [key, record] of this.rejected) {
      if (record.sessionId === session.sessionId) {
        this.rejected.delete(key);
        this.dirtyPrefixes.add(record.prefix);
      }
    }
    const stalePrefixes = result.stale.map((mark) => splitGrKey(mark.key).prefix);
    this.withdrawKeys(session.sessionId, result.withdraw, cause);
    for (const state of this.sortedStates(stalePrefixes)) this.recompute(state, cause);
    return complete;
  }

  private announce(session: SessionConfig, event: Extract<TableEvent, { kind: 'announce' }>, cause: ChangeCause): void {
    const parsed = parsePrefix(event.prefix);
    if (typeof parsed === 'string') {
      this.recordRejection(
        event.prefix,
        event.family,
        session.sessionId,
        event.pathId,
        event.attributes,
        { accepted: false, reason: 'invalid-prefix', detail: parsed },
        cause,
      );
      return;
    }
    const prefix = parsed.canonical;
    const decision = evaluateImport(
      { prefix: parsed, family: FAMILY_NUMBER[event.family] },
      session.policy,
      this.config.vpcPolicy,
      this.config.platformPolicy,
    );
    let rejection: ImportRejection | null = decision.accepted ? null : decision;
    const existing = this.prefixes.get(prefix);
    if (!rejection) {
      const held = existing?.hasSession(session.sessionId) ?? false;
      const admitted = this.guard.admit(session.sessionId, prefix, held, session.maxPrefix, event.at);
      if (admitted.alert) {
        this.alerts.push(admitted.alert);
        this.dirtySessions.add(session.sessionId);
      }
      if (!admitted.admitted) rejection = admitted.rejection;
    }
    if (rejection) {
      // A path accepted before and refused now (the policy changed) leaves the table.
      if (existing && this.removePath(existing, session.sessionId, event.pathId, event.at)) this.recompute(existing, cause);
      const family = FAMILY_OF[parsed.family];
      this.recordRejection(prefix, family, session.sessionId, event.pathId, event.attributes, rejection, cause);
      return;
    }
    // Looked up once above: a full table's map is large, each lookup of a new prefix a cache miss.
    const state = existing ?? this.newPrefixState(prefix, FAMILY_OF[parsed.family]);
    // A rejection it replaces: RejectedRoutes notes the prefix for the save.
    this.rejected.deletePath(session.sessionId, event.pathId, prefix);
    const staleKey = this.staleKeyOf(session.sessionId, prefix, event.pathId);
    if (staleKey !== null && this.gr.announced(session.sessionId, staleKey)) this.dirtySessions.add(session.sessionId);
    state.setPath(this.sharedPath(session.sessionId, event.pathId, internAttributes(event.attributes)));
    this.dirtyPrefixes.add(prefix);
    this.recompute(state, cause);
  }

  private recordRejection(
    prefix: string,
    family: AddressFamily,
    sessionId: number,
    pathId: number | null,
    attributes: RouteAttributes,
    rejection: ImportRejection,
    cause: ChangeCause,
  ): void {
    const key = `${pathKey(sessionId, pathId)}|${prefix}`;
    const print = fingerprint(rejection.reason, attributes);
    if (this.rejected.get(key)?.fingerprint === print) return;
    this.rejected.set(key, {
      prefix,
      family,
      sessionId,
      pathId,
      reason: rejection.reason,
      detail: rejection.detail,
      attributes: internAttributes(attributes),
      fingerprint: print,
      // The change emitted just below takes the next revision.
      revision: this.currentRevision + 1,
      rejectedAt: cause.at,
    });
    this.dirtyPrefixes.add(prefix);
    const held = this.prefixes.get(prefix);
    const entry = held ? entryOf(held) : null;
    const stored = held?.stored ?? null;
    this.changes.push({
      vpcId: this.vpcId,
      revision: this.nextRevision(),
      prefix,
      family,
      action: 'reject',
      before: entry,
      after: entry,
      cause,
      rejection: { sessionId, pathId, reason: rejection.reason, detail: rejection.detail },
      storedBefore: stored,
      storedAfter: stored,
    });
  }

  private withdrawKeys(sessionId: number, keys: readonly string[], cause: ChangeCause): void {
    if (keys.length === 0) return;
    const pathIds = new Map<string, (number | null)[]>();
    for (const key of keys) {
      const { prefix, pathId } = splitGrKey(key);
      const ids = pathIds.get(prefix);
      if (ids) ids.push(pathId);
      else pathIds.set(prefix, [pathId]);
    }
    // In prefix order, each prefix's paths by path id; then the entries, in the same order.
    const touched: PrefixState[] = [];
    for (const state of this.sortedStates(pathIds.keys())) {
      let removed = false;
      for (const pathId of pathIds.get(state.prefix)!.sort((a, b) => (a ?? -1) - (b ?? -1))) {
        if (this.removePath(state, sessionId, pathId, cause.at)) removed = true;
      }
      if (removed) touched.push(state);
    }
    for (const state of touched) this.recompute(state, cause);
  }

  /**
   * Judges the table again under its (new) configuration, prefix by prefix in prefix order:
   *  - a path of a session no longer configured leaves at once (cause `deconfigured`, one revision
   *    per prefix), with its refused announcements, graceful-restart and max-prefix state;
   *  - a path the policy now refuses leaves and is listed as refused (cause `reconfigure`);
   *  - a refused announcement the policy now accepts enters, as if announced again (the table kept
   *    its attributes), max-prefix permitting.
   * Stale paths stay stale: only the policy is re-checked, not the session's state.
   */
  private reconfigure(at: number): void {
    const cause: ChangeCause = { event: 'reconfigure', sessionId: null, at };
    const gone = new Set<number>();
    for (const state of inPrefixOrder([...this.prefixes.values()])) {
      const parsed = parsePrefix(state.prefix) as ParsedPrefix;
      const refused: { path: StoredPath; rejection: ImportRejection }[] = [];
      let deconfigured: number | null = null;
      for (const path of [...state.paths()]) {
        const session = this.sessions.get(path.sessionId);
        if (!session) {
          gone.add(path.sessionId);
          deconfigured = path.sessionId;
          this.removePath(state, path.sessionId, path.pathId, at);
          continue;
        }
        const decision = evaluateImport(
          { prefix: parsed, family: parsed.family },
          session.policy,
          this.config.vpcPolicy,
          this.config.platformPolicy,
        );
        if (!decision.accepted) {
          this.removePath(state, path.sessionId, path.pathId, at);
          refused.push({ path, rejection: decision });
        }
      }
      this.recompute(state, deconfigured !== null && refused.length === 0 ? { event: 'deconfigured', sessionId: deconfigured, at } : cause);
      for (const { path, rejection } of refused) {
        this.recordRejection(state.prefix, state.family, path.sessionId, path.pathId, path.attributes, rejection, cause);
      }
    }
    const readmit: RejectedRecord[] = [];
    for (const [key, record] of [...this.rejected].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      if (!this.sessions.has(record.sessionId)) {
        gone.add(record.sessionId);
        this.rejected.delete(key);
        this.dirtyPrefixes.add(record.prefix);
      } else if (record.reason !== 'invalid-prefix') {
        readmit.push(record);
      }
    }
    for (const record of readmit) {
      const session = this.sessions.get(record.sessionId)!;
      const event = {
        kind: 'announce' as const,
        at,
        sessionId: record.sessionId,
        family: record.family,
        prefix: record.prefix,
        pathId: record.pathId,
        attributes: record.attributes,
      };
      // Only what the policy now accepts: a refusal with the same reason stays as it was.
      const parsed = parsePrefix(record.prefix) as ParsedPrefix;
      const decision = evaluateImport(
        { prefix: parsed, family: parsed.family },
        session.policy,
        this.config.vpcPolicy,
        this.config.platformPolicy,
      );
      if (decision.accepted || decision.reason !== record.reason) this.announce(session, event, cause);
    }
    for (const sessionId of gone) {
      this.gr.forget(sessionId);
      this.guard.restore(sessionId, 0, false);
      this.dirtySessions.add(sessionId);
    }
  }

  private expire(at: number): void {
    const due = this.gr.dueWithdrawals(at);
    const bySession = new Map<number, string[]>();
    for (const mark of due) bySession.set(mark.sessionId, [...(bySession.get(mark.sessionId) ?? []), mark.key]);
    for (const sessionId of [...bySession.keys()].sort((a, b) => a - b)) {
      this.withdrawKeys(sessionId, bySession.get(sessionId)!, { event: 'expiry', sessionId, at });
      this.dirtySessions.add(sessionId);
    }
  }

  /** Removes one path (no recompute). False if the session had no such path. */
  private removePath(state: PrefixState, sessionId: number, pathId: number | null, at: number): boolean {
    if (!state.deletePath(sessionId, pathId)) return false;
    const prefix = state.prefix;
    const key = this.staleKeyOf(sessionId, prefix, pathId);
    if (key !== null && this.gr.isStale(sessionId, key)) {
      this.gr.withdrawn(sessionId, key);
      this.dirtySessions.add(sessionId);
    }
    this.dirtyPrefixes.add(prefix);
    if (!state.hasSession(sessionId)) {
      const alert = this.guard.release(sessionId, prefix, this.sessions.get(sessionId)?.maxPrefix ?? null, at);
      if (alert) {
        this.alerts.push(alert);
        this.dirtySessions.add(sessionId);
      }
    }
    return true;
  }

  /** Recomputes the prefix's entry and emits the change, if any. */
  private recompute(state: PrefixState, cause: ChangeCause): void {
    const built = this.singlePathEntry(state) ?? this.builtEntry(state);
    const after = built?.entry ?? null;
    const prefix = state.prefix;
    if (state.pathCount === 0) {
      this.prefixes.delete(prefix);
      if (!this.createdInBatch.has(prefix)) this.deletedExisting.add(prefix);
    }
    const stored = built?.stored ?? null;
    if (stored === state.stored) return;
    const before = entryOf(state);
    const storedBefore = state.stored;
    state.stored = stored && this.sharedText(stored);
    if (built) state.routeState = built.routeState;
    this.dirtyPrefixes.add(prefix);
    // Only a received LOCAL_PREF behind a session's override changed: stored again, but the entry is the same.
    if (deepEqual(before, after)) return;
    this.changes.push({
      vpcId: this.vpcId,
      revision: this.nextRevision(),
      prefix,
      family: state.family,
      action: !before ? 'add' : !after ? 'remove' : 'update',
      before,
      after,
      cause,
      rejection: null,
      storedBefore,
      storedAfter: state.stored,
    });
  }

  /** The path's graceful-restart key, or null when its session has nothing stale (most of the time: no key is built then). */
  private staleKeyOf(sessionId: number, prefix: string, pathId: number | null): string | null {
    return this.gr.hasStale(sessionId) ? grKey(prefix, pathId) : null;
  }

  private isStale(sessionId: number, prefix: string, pathId: number | null): boolean {
    const key = this.staleKeyOf(sessionId, prefix, pathId);
    return key !== null && this.gr.isStale(sessionId, key);
  }

  /** The next revision, for a change about to be emitted. */
  private nextRevision(): number {
    return (this.currentRevision += 1);
  }

  /** The entry, its stored text and state; null when the prefix has no path. */
  private builtEntry(state: PrefixState): BuiltEntry | null {
    const entry = this.buildEntry(state);
    return entry && { entry, stored: encodeStoredPaths(entry, (view) => receivedLocalPref(state, view)), routeState: routeState(entry) };
  }

  /** builtEntry of a prefix with one fresh path (most of them), from lastSingle when it is the same path; else null. */
  private singlePathEntry(state: PrefixState): BuiltEntry | null {
    const path = state.onlyPath();
    if (path === null || this.gr.hasStale(path.sessionId)) return null;
    const session = this.sessions.get(path.sessionId);
    if (!session) return null;
    let single = this.lastSingle;
    if (single?.path !== path || single.session !== session) {
      const built = this.builtEntry(state)!;
      single = this.lastSingle = {
        path,
        session,
        activeNextHops: frozenItems(built.entry.activeNextHops),
        paths: frozenItems(built.entry.paths),
        stored: built.stored,
        routeState: built.routeState,
      };
    }
    return {
      entry: { prefix: state.prefix, family: state.family, activeNextHops: single.activeNextHops, paths: single.paths },
      stored: single.stored,
      routeState: single.routeState,
    };
  }

  private buildEntry(state: PrefixState): RouteEntry | null {
    if (state.pathCount === 0) return null;
    const prefix = state.prefix;
    const candidates: (Candidate & { attributes: RouteAttributes })[] = [];
    for (const path of state.paths()) {
      const session = this.sessions.get(path.sessionId);
      const { attributes } = path;
      candidates.push({
        sessionId: path.sessionId,
        pathId: path.pathId,
        // A path of a session removed from the configuration stays until `reevaluate`.
        tunnelId: session?.tunnelId ?? -1,
        nextHop: attributes.nextHop,
        localPref: session?.localPref ?? attributes.localPref,
        asPathLength: asPathLength(attributes.asPath),
        neighborAs: neighborAs(attributes.asPath),
        med: attributes.med,
        origin: attributes.origin,
        stale: this.isStale(path.sessionId, prefix, path.pathId),
        attributes,
      });
    }
    const result = selectBestPath(candidates, this.bestPath);
    return {
      prefix,
      family: state.family,
      activeNextHops: result.activeNextHops,
      paths: result.ranked.map(({ candidate, state: pathState }) => ({
        sessionId: candidate.sessionId,
        pathId: candidate.pathId,
        tunnelId: candidate.tunnelId,
        nextHop: candidate.nextHop,
        origin: candidate.attributes.origin,
        asPath: candidate.attributes.asPath,
        asPathLength: candidate.asPathLength,
        neighborAs: candidate.neighborAs,
        med: candidate.med,
        localPref: candidate.localPref,
        stale: candidate.stale,
        state: pathState,
      })),
    };
  }

  private sharedPath(sessionId: number, pathId: number | null, attributes: RouteAttributes): StoredPath {
    const last = this.lastPath;
    if (last?.sessionId === sessionId && last.pathId === pathId && last.attributes === attributes) return last;
    return (this.lastPath = { sessionId, pathId, attributes });
  }

  private sharedText(text: string): string {
    if (text === this.lastText) return this.lastText;
    return (this.lastText = text);
  }

  private prefixState(prefix: string, family: AddressFamily): PrefixState | null {
    const existing = this.prefixes.get(prefix);
    if (existing) return existing;
    const parsedPrefix = parsePrefix(prefix);
    if (typeof parsedPrefix === 'string') return null;
    const canonical = parsedPrefix.canonical;
    return this.prefixes.get(canonical) ?? this.newPrefixState(canonical, family);
  }

  /** Adds a prefix the table does not hold; `prefix` is canonical. */
  private newPrefixState(prefix: string, family: AddressFamily): PrefixState {
    const state = new PrefixState(prefix, family);
    this.prefixes.set(prefix, state);
    this.createdInBatch.add(prefix);
    return state;
  }

  /**
   * The session's paths as graceful restart knows them, of its first `prefixLimit` prefixes (table
   * order); `complete` when that is all of them. A walk over the table: only a session going down
   * needs it, and an index kept for it cost a map entry per route and a second of every full
   * table's load.
   */
  private pathsOf(sessionId: number, prefixLimit = Infinity): { paths: { key: string; family: AddressFamily }[]; complete: boolean } {
    const paths: { key: string; family: AddressFamily }[] = [];
    let prefixes = 0;
    for (const state of this.prefixes.values()) {
      if (!state.hasSession(sessionId)) continue;
      if (prefixes === prefixLimit) return { paths, complete: false };
      prefixes++;
      for (const path of state.paths()) {
        if (path.sessionId === sessionId) paths.push({ key: grKey(state.prefix, path.pathId), family: state.family });
      }
    }
    return { paths, complete: true };
  }

  private sortedStates(prefixes: Iterable<string>): PrefixState[] {
    const states: PrefixState[] = [];
    for (const prefix of new Set(prefixes)) {
      const state = this.prefixes.get(prefix);
      if (state) states.push(state);
    }
    return inPrefixOrder(states);
  }
}

/** Objects shared between entries: a change to one would change them all. */
function frozenItems<T extends object[]>(items: T): T {
  for (const item of items) Object.freeze(item);
  return Object.freeze(items);
}

/** Prefix order (family, address, length), parsing each prefix once. */
function inPrefixOrder(states: PrefixState[]): PrefixState[] {
  return states
    .map((state) => ({ state, parsed: parsePrefix(state.prefix) as ParsedPrefix }))
    .sort((a, b) => compareParsed(a.parsed, b.parsed))
    .map(({ state }) => state);
}

/**
 * The routes of one UPDATE (and of one origin AS, mostly) share their attributes: one frozen copy
 * is kept per distinct set. The cache is bounded; when it is cleared, the copies already held stay
 * valid and new ones are simply not shared with them.
 */
const INTERNED_MAX = 200_000;
const interned = new Map<string, RouteAttributes>();

/** The last attributes interned, by identity: the prefixes of one UPDATE arrive with one object. */
let lastInterned: { attributes: RouteAttributes; copy: RouteAttributes } | null = null;

function internAttributes(attributes: RouteAttributes): RouteAttributes {
  if (lastInterned?.attributes === attributes) return lastInterned.copy;
  const copy = internAttributesOf(attributes);
  lastInterned = { attributes, copy };
  return copy;
}

function internAttributesOf(attributes: RouteAttributes): RouteAttributes {
  const { origin, asPath, nextHop, med, localPref } = attributes;
  const key = JSON.stringify([origin, asPath, nextHop, med, localPref]);
  const known = interned.get(key);
  if (known) return known;
  if (interned.size >= INTERNED_MAX) interned.clear();
  const copy: RouteAttributes = Object.freeze({
    origin,
    asPath: Object.freeze(
      asPath.map((segment) => (typeof segment === 'number' ? segment : Object.freeze([...segment]))),
    ) as RouteAttributes['asPath'],
    nextHop,
    med,
    localPref,
  });
  interned.set(key, copy);
  return copy;
}

function fingerprint(reason: RejectReason, attributes: RouteAttributes): string {
  const { origin, asPath, nextHop, med, localPref } = attributes;
  return JSON.stringify([reason, origin, asPath, nextHop, med, localPref]);
}
