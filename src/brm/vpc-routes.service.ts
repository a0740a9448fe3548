/**
 * The read model of BRM's hosted VPC route tables (migration 1795900000000), which BRM exports
 * (vpc-routes.module.ts) so that the admin API and HRM read them without SQL of their own: the
 * current table, the table as of a revision, rejected announcements, the change log, the diff of
 * two revisions, per-session counters, and HRM's paged snapshot of a table. It lives beside
 * vpc-route-store.ts, which writes the same tables; each request reads in one REPEATABLE READ
 * transaction, so the revision it reports and the rows it returns come from the same committed
 * state even while BRM writes.
 *
 * Tables can hold a million routes: lists first read only the keys of what matches, sort them in
 * prefix order (family, address, length) and read the full rows of the requested page alone.
 */
import { Injectable, InternalServerErrorException } from '@nestjs/common';
import { DataSource, type EntityManager, type QueryRunner } from 'typeorm';
import { invalidField, notFound } from '../common/http/errors.js';
import type { AddressFamily } from '../common/events/bgp-events.js';
import type { VpcRoute } from '../common/events/vpc-events.js';
import { parsePrefix, type ParsedPrefix } from '../common/inventory/addressing.js';
import type { RejectReason } from '../common/policy/import-policy.js';
import { diffRevisions, sortEntries, tableAsOf, type RouteDiff } from './core/revision.js';
import type { RejectedRow, RouteAttributes, RouteChange, RouteEntry } from './core/route-table.js';
import { changeLog, chunks, fromPathId, walkChangeLog, type LoggedChange } from './vpc-route-store.js';
import { decodeStoredEntry, routeState, type RouteState } from './core/stored-route.js';

export type { RouteState } from './core/stored-route.js';
export type ChangeAction = RouteChange['action'];

/** Rows per `IN (…)` list. */

export interface RoutesQuery {
  state?: RouteState;
  prefix?: string;
  sessionId?: number;
  revision?: number;
  limit?: number;
  offset?: number;
}

export interface RoutesPage {
  vpcId: number;
  revision: number;
  total: number;
  routes: RouteEntry[];
}

export interface RejectedQuery {
  sessionId?: number;
  reason?: RejectReason;
  prefix?: string;
  limit?: number;
  offset?: number;
}

/** A refused announcement as the API shows it: the stored row, its event time as ISO 8601 text. */
export type RejectedRouteView = Omit<RejectedRow, 'rejectedAt'> & { rejectedAt: string | null };

export interface RejectedPage {
  vpcId: number;
  revision: number;
  total: number;
  rejected: RejectedRouteView[];
}

export interface ChangesQuery {
  fromRevision?: number;
  toRevision?: number;
  prefix?: string;
  limit?: number;
}

export interface RouteChangeView extends RouteChange {
  /** When BRM committed the change. */
  recordedAt: string | null;
}

export interface ChangesPage {
  vpcId: number;
  revision: number;
  fromRevision: number;
  toRevision: number;
  changes: RouteChangeView[];
  /** Where to continue (`fromRevision=`) when `limit` cut the list; null when it is complete. */
  nextFromRevision: number | null;
}

export interface DiffView {
  vpcId: number;
  revision: number;
  from: number;
  to: number;
  summary: { add: number; update: number; remove: number };
  diff: RouteDiff[];
}

export interface SessionCounters {
  sessionId: number;
  tunnelId: number;
  peerAddress: string;
  peerAsn: number;
  /** Graceful-restart phase as BRM last stored it; `unknown` before BRM saw anything of the session. */
  phase: 'established' | 'restarting' | 'recovering' | 'down' | 'unknown';
  /** When the session last went up or down, as BMP reported it (ISO 8601); null before BRM saw either. */
  lastUpDownAt: string | null;
  gracefulRestartNegotiated: boolean | null;
  overLimit: boolean;
  maxPrefix: number | null;
  /** Distinct prefixes the session holds (what max-prefix counts) and its accepted paths (ADD-PATH may give more than one per prefix). */
  prefixes: number;
  paths: number;
  /** Paths kept stale by graceful restart. */
  stalePaths: number;
  /** Routes that forward over this session (one of their active paths is the session's). */
  activeRoutes: number;
  rejected: { total: number; byReason: Partial<Record<RejectReason, number>> };
}

/** One page of a snapshot (readSnapshot): `index` counts from 0, `last` marks the final page. */
export interface SnapshotPage {
  revision: number;
  index: number;
  last: boolean;
  routes: VpcRoute[];
}

export interface SessionCountersView {
  vpcId: number;
  revision: number;
  sessions: SessionCounters[];
}

/** MariaDB reports JSON columns as text; MySQL's driver parses them. */
function json<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

const placeholders = (items: readonly unknown[]): string => items.map(() => '?').join(',');

/** The prefix query parameter: a CIDR; a route matches when it is the prefix or inside it. */
function prefixFilter(text: string | undefined, field = 'prefix'): ((prefix: string) => boolean) | null {
  if (text === undefined) return null;
  const wanted = parsePrefix(text.trim());
  if (typeof wanted === 'string') throw invalidField(field, wanted);
  return (prefix: string) => {
    const parsed = parsePrefix(prefix);
    return typeof parsed !== 'string' && inside(parsed, wanted);
  };
}

function inside(prefix: ParsedPrefix, cover: ParsedPrefix): boolean {
  return prefix.family === cover.family && prefix.length >= cover.length && prefix.first >= cover.first && prefix.last <= cover.last;
}

function iso(value: Date | string | null): string | null {
  if (value === null) return null;
  const date = value instanceof Date ? value : new Date(`${value.replace(' ', 'T')}Z`);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

function changeOf(change: LoggedChange): RouteChangeView {
  const { recordedAt, ...logged } = change;
  return { ...logged, recordedAt: iso(recordedAt) };
}

@Injectable()
export class VpcRoutesService {
  constructor(private readonly dataSource: DataSource) {}

  /** One consistent snapshot per request: the first read fixes what every later read of it sees. */
  private read<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction('REPEATABLE READ', work);
  }

  /** 404 for an unknown VPC; else the table's current revision (0 before BRM stored anything). */
  private async revisionOf(manager: EntityManager, vpcId: number): Promise<number> {
    const vpcs: { id: number }[] = await manager.query('SELECT id FROM hosted_vpcs WHERE id = ?', [vpcId]);
    if (vpcs.length === 0) throw notFound('hosted VPC', vpcId);
    const rows: { revision: string | number }[] = await manager.query('SELECT revision FROM vpc_route_tables WHERE hosted_vpc_id = ?', [
      vpcId,
    ]);
    return rows.length === 0 ? 0 : Number(rows[0]!.revision);
  }

  private static beyond(field: string, value: number, current: number, vpcId: number) {
    return invalidField(field, `${value} is beyond the current revision ${current} of hosted VPC ${vpcId}`);
  }

  /** The change log 1..`upTo`, checked to be complete (a gap would rebuild a wrong table). */
  private async logUpTo(manager: EntityManager, vpcId: number, upTo: number): Promise<RouteChange[]> {
    const log: RouteChange[] = await changeLog(manager, vpcId, 1, upTo);
    const gap = log.findIndex((change, index) => change.revision !== index + 1);
    if (gap >= 0 || log.length !== upTo) {
      throw new InternalServerErrorException({
        statusCode: 500,
        error: 'Internal Server Error',
        message: `the change log of hosted VPC ${vpcId} is incomplete (revision ${gap >= 0 ? gap + 1 : log.length + 1} is missing): cannot rebuild revision ${upTo}`,
      });
    }
    return log;
  }

  async routes(vpcId: number, query: RoutesQuery): Promise<RoutesPage> {
    const matches = prefixFilter(query.prefix);
    const limit = query.limit ?? 100;
    const offset = query.offset ?? 0;
    return this.read(async (manager) => {
      const current = await this.revisionOf(manager, vpcId);
      // The current revision is the stored table itself; an older one is rebuilt from the change log.
      if (query.revision !== undefined && query.revision !== current) {
        if (query.revision > current) throw VpcRoutesService.beyond('revision', query.revision, current, vpcId);
        const entries = tableAsOf(await this.logUpTo(manager, vpcId, query.revision), query.revision).filter(
          (entry) =>
            (!query.state || routeState(entry) === query.state) &&
            (!matches || matches(entry.prefix)) &&
            (query.sessionId === undefined || entry.paths.some((path) => path.sessionId === query.sessionId)),
        );
        return { vpcId, revision: query.revision, total: entries.length, routes: entries.slice(offset, offset + limit) };
      }

      const where = ['r.hosted_vpc_id = ?'];
      const parameters: unknown[] = [vpcId];
      if (query.state) {
        where.push('r.state = ?');
        parameters.push(query.state);
      }
      if (query.sessionId !== undefined) {
        where.push("EXISTS (SELECT 1 FROM JSON_TABLE(r.paths, '$[*]' COLUMNS (session_id INT PATH '$[0]')) AS p WHERE p.session_id = ?)");
        parameters.push(query.sessionId);
      }
      const keys: { prefix: string }[] = await manager.query(`SELECT r.prefix FROM vpc_routes r WHERE ${where.join(' AND ')}`, parameters);
      const selected = sortEntries(matches ? keys.filter((key) => matches(key.prefix)) : keys);
      const page = selected.slice(offset, offset + limit).map((key) => key.prefix);
      const byPrefix = new Map<string, RouteEntry>();
      for (const part of chunks(page)) {
        const rows: { prefix: string; family: AddressFamily; paths: unknown }[] = await manager.query(
          `SELECT prefix, family, paths FROM vpc_routes WHERE hosted_vpc_id = ? AND prefix IN (${placeholders(part)})`,
          [vpcId, ...part],
        );
        for (const row of rows) byPrefix.set(row.prefix, decodeStoredEntry(row.prefix, row.family, row.paths));
      }
      return { vpcId, revision: current, total: selected.length, routes: page.map((prefix) => byPrefix.get(prefix)!) };
    });
  }

  /** The table's current revision (0 for a VPC that never had a route). */
  async revision(vpcId: number): Promise<number> {
    return this.read((manager) => this.revisionOf(manager, vpcId));
  }

  /** How many routes the table holds in each state (an index-only count, cheap on a full table). */
  async routeCounts(vpcId: number): Promise<Record<RouteState, number>> {
    return this.read(async (manager) => {
      await this.revisionOf(manager, vpcId);
      const rows: { state: RouteState; routes: string | number }[] = await manager.query(
        'SELECT state, COUNT(*) AS routes FROM vpc_routes WHERE hosted_vpc_id = ? GROUP BY state',
        [vpcId],
      );
      const counts: Record<RouteState, number> = { active: 0, stale: 0, standby: 0 };
      for (const row of rows) counts[row.state] = Number(row.routes);
      return counts;
    });
  }

  /**
   * The revision the table was at a moment: the last one committed at or before `at` (0 when none
   * was). A change-log segment is one BRM transaction, so its time is each of its changes' time.
   */
  async revisionAt(vpcId: number, at: Date): Promise<number> {
    return this.read(async (manager) => {
      await this.revisionOf(manager, vpcId);
      const rows: { revision: string | number | null }[] = await manager.query(
        'SELECT MAX(last_revision) AS revision FROM vpc_route_change_segments WHERE hosted_vpc_id = ? AND created_at <= ?',
        [vpcId, at],
      );
      return Number(rows[0]?.revision ?? 0);
    });
  }

  /** A session's prefixes in the table (it has a path for them) and its refused announcements, in one snapshot. */
  async sessionAnnouncements(
    vpcId: number,
    sessionId: number,
  ): Promise<{ revision: number; held: string[]; refused: { prefix: string; reason: RejectReason }[] }> {
    return this.read(async (manager) => {
      const revision = await this.revisionOf(manager, vpcId);
      const held: { prefix: string }[] = await manager.query(
        `SELECT r.prefix FROM vpc_routes r WHERE r.hosted_vpc_id = ? AND EXISTS
           (SELECT 1 FROM JSON_TABLE(r.paths, '$[*]' COLUMNS (session_id INT PATH '$[0]')) AS p WHERE p.session_id = ?)`,
        [vpcId, sessionId],
      );
      const refused: { prefix: string; reason: RejectReason }[] = await manager.query(
        'SELECT DISTINCT prefix, reason FROM vpc_rejected_routes WHERE hosted_vpc_id = ? AND session_id = ?',
        [vpcId, sessionId],
      );
      return {
        revision,
        held: sortEntries(held).map((row) => row.prefix),
        refused: sortEntries(refused).map(({ prefix, reason }) => ({ prefix, reason })),
      };
    });
  }

  async rejected(vpcId: number, query: RejectedQuery): Promise<RejectedPage> {
    const matches = prefixFilter(query.prefix);
    const limit = query.limit ?? 100;
    const offset = query.offset ?? 0;
    return this.read(async (manager) => {
      const current = await this.revisionOf(manager, vpcId);
      const where = ['hosted_vpc_id = ?'];
      const parameters: unknown[] = [vpcId];
      if (query.sessionId !== undefined) {
        where.push('session_id = ?');
        parameters.push(query.sessionId);
      }
      if (query.reason) {
        where.push('reason = ?');
        parameters.push(query.reason);
      }
      const keys: { prefix: string; session_id: number; path_id: string | number }[] = await manager.query(
        `SELECT prefix, session_id, path_id FROM vpc_rejected_routes WHERE ${where.join(' AND ')} ORDER BY session_id, path_id`,
        parameters,
      );
      // Prefix order; within a prefix by session and path (the sort is stable).
      const selected = sortEntries(matches ? keys.filter((key) => matches(key.prefix)) : keys);
      const page = selected.slice(offset, offset + limit);
      const keyOf = (prefix: string, sessionId: number, pathId: number | null) => `${prefix}|${sessionId}|${pathId ?? ''}`;
      const wanted = new Set(page.map((key) => keyOf(key.prefix, key.session_id, fromPathId(key.path_id))));
      const prefixes = [...new Set(page.map((key) => key.prefix))];
      const rows = new Map<string, RejectedRouteView>();
      for (const part of chunks(prefixes)) {
        const found: {
          prefix: string;
          family: AddressFamily;
          session_id: number;
          path_id: string | number;
          reason: RejectReason;
          detail: string;
          attributes: unknown;
          revision: string | number | null;
          rejected_at_ms: string | number | null;
        }[] = await manager.query(
          `SELECT prefix, family, session_id, path_id, reason, detail, attributes, revision, rejected_at_ms FROM vpc_rejected_routes
           WHERE hosted_vpc_id = ? AND prefix IN (${placeholders(part)})`,
          [vpcId, ...part],
        );
        for (const row of found) {
          const pathId = fromPathId(row.path_id);
          const key = keyOf(row.prefix, row.session_id, pathId);
          if (!wanted.has(key)) continue;
          rows.set(key, {
            prefix: row.prefix,
            family: row.family,
            sessionId: row.session_id,
            pathId,
            reason: row.reason,
            detail: row.detail,
            attributes: json<RouteAttributes>(row.attributes),
            revision: row.revision === null ? null : Number(row.revision),
            rejectedAt: row.rejected_at_ms === null ? null : new Date(Number(row.rejected_at_ms)).toISOString(),
          });
        }
      }
      return {
        vpcId,
        revision: current,
        total: selected.length,
        rejected: page.map((key) => rows.get(keyOf(key.prefix, key.session_id, fromPathId(key.path_id)))!),
      };
    });
  }

  async changes(vpcId: number, query: ChangesQuery): Promise<ChangesPage> {
    const matches = prefixFilter(query.prefix);
    const limit = query.limit ?? 100;
    return this.read(async (manager) => {
      const current = await this.revisionOf(manager, vpcId);
      const from = query.fromRevision ?? 1;
      const to = query.toRevision ?? current;
      if (to > current) throw VpcRoutesService.beyond('toRevision', to, current, vpcId);
      if (from > to && query.fromRevision !== undefined && query.toRevision !== undefined) {
        throw invalidField('fromRevision', `must not be greater than toRevision (${to})`);
      }
      const changes: RouteChangeView[] = [];
      let more = false;
      walk: for await (const part of walkChangeLog(manager, vpcId, from, to)) {
        for (const change of part) {
          if (matches && !matches(change.prefix)) continue;
          if (changes.length === limit) {
            more = true;
            break walk;
          }
          changes.push(changeOf(change));
        }
      }
      const last = changes[changes.length - 1];
      return {
        vpcId,
        revision: current,
        fromRevision: from,
        toRevision: to,
        changes,
        nextFromRevision: more && last ? last.revision + 1 : null,
      };
    });
  }

  async diff(vpcId: number, from: number, to: number): Promise<DiffView> {
    return this.read(async (manager) => {
      const current = await this.revisionOf(manager, vpcId);
      if (from > current) throw VpcRoutesService.beyond('from', from, current, vpcId);
      if (to > current) throw VpcRoutesService.beyond('to', to, current, vpcId);
      const diff = diffRevisions(await this.logUpTo(manager, vpcId, Math.max(from, to)), from, to);
      const summary = { add: 0, update: 0, remove: 0 };
      for (const item of diff) summary[item.action]++;
      return { vpcId, revision: current, from, to, summary, diff };
    });
  }

  async sessionCounters(vpcId: number): Promise<SessionCountersView> {
    return this.read(async (manager) => {
      const current = await this.revisionOf(manager, vpcId);
      const sessions: { id: number; tunnel_id: number; peer_address: string; peer_asn: string | number; max_prefix: number | null }[] =
        await manager.query(
          'SELECT id, tunnel_id, peer_address, peer_asn, max_prefix FROM bgp_sessions WHERE hosted_vpc_id = ? ORDER BY id',
          [vpcId],
        );
      const states: {
        session_id: number;
        phase: SessionCounters['phase'];
        graceful_restart_negotiated: number | null;
        over_limit: number;
        stale_paths: string | number | null;
        last_up_down_ms: string | number | null;
      }[] = await manager.query(
        `SELECT session_id, phase, graceful_restart_negotiated, over_limit, JSON_LENGTH(stale) AS stale_paths, last_up_down_ms
         FROM vpc_route_sessions WHERE hosted_vpc_id = ?`,
        [vpcId],
      );
      const held: { session_id: number; paths: string | number; prefixes: string | number }[] = await manager.query(
        `SELECT path.session_id, COUNT(*) AS paths, COUNT(DISTINCT r.prefix) AS prefixes
         FROM vpc_routes r, JSON_TABLE(r.paths, '$[*]' COLUMNS (session_id INT PATH '$[0]')) AS path
         WHERE r.hosted_vpc_id = ? GROUP BY path.session_id`,
        [vpcId],
      );
      const active: { session_id: number; routes: string | number }[] = await manager.query(
        `SELECT path.session_id, COUNT(DISTINCT r.prefix) AS routes
         FROM vpc_routes r, JSON_TABLE(r.paths, '$[*]' COLUMNS (session_id INT PATH '$[0]', state VARCHAR(16) PATH '$[8]')) AS path
         WHERE r.hosted_vpc_id = ? AND path.state = 'active' GROUP BY path.session_id`,
        [vpcId],
      );
      const rejected: { session_id: number; reason: RejectReason; count: string | number }[] = await manager.query(
        'SELECT session_id, reason, COUNT(*) AS count FROM vpc_rejected_routes WHERE hosted_vpc_id = ? GROUP BY session_id, reason ORDER BY reason',
        [vpcId],
      );
      const stateOf = new Map(states.map((row) => [row.session_id, row]));
      const heldOf = new Map(held.map((row) => [row.session_id, row]));
      const activeOf = new Map(active.map((row) => [row.session_id, Number(row.routes)]));
      return {
        vpcId,
        revision: current,
        sessions: sessions.map((session): SessionCounters => {
          const state = stateOf.get(session.id);
          const byReason: Partial<Record<RejectReason, number>> = {};
          let total = 0;
          for (const row of rejected) {
            if (row.session_id !== session.id) continue;
            byReason[row.reason] = Number(row.count);
            total += Number(row.count);
          }
          return {
            sessionId: session.id,
            tunnelId: session.tunnel_id,
            peerAddress: session.peer_address,
            peerAsn: Number(session.peer_asn),
            phase: state?.phase ?? 'unknown',
            lastUpDownAt:
              state === undefined || state.last_up_down_ms === null ? null : new Date(Number(state.last_up_down_ms)).toISOString(),
            gracefulRestartNegotiated:
              state === undefined || state.graceful_restart_negotiated === null ? null : Number(state.graceful_restart_negotiated) === 1,
            overLimit: state ? Number(state.over_limit) === 1 : false,
            maxPrefix: session.max_prefix,
            prefixes: Number(heldOf.get(session.id)?.prefixes ?? 0),
            paths: Number(heldOf.get(session.id)?.paths ?? 0),
            stalePaths: Number(state?.stale_paths ?? 0),
            activeRoutes: activeOf.get(session.id) ?? 0,
            rejected: { total, byReason },
          };
        }),
      };
    });
  }

  /**
   * Reads a VPC's table at one revision, page by page, inside one consistent-read transaction
   * (REPEATABLE READ), so the pages add up to the table at exactly that revision even while BRM
   * keeps writing. `deliver` is called for each page before the next is read. The transaction has
   * a connection of its own, held until the last page is delivered; returns the revision (0 for a
   * VPC without a table: one empty last page). For HRM's snapshots.
   */
  async readSnapshot(vpcId: number, pageSize: number, deliver: (page: SnapshotPage) => Promise<void>): Promise<number> {
    const runner: QueryRunner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
      await runner.query('START TRANSACTION WITH CONSISTENT SNAPSHOT');
      try {
        const rows = (await runner.query('SELECT revision FROM vpc_route_tables WHERE hosted_vpc_id = ?', [vpcId])) as {
          revision: string | number;
        }[];
        const revision = rows.length === 0 ? 0 : Number(rows[0]!.revision);
        let after = '';
        let index = 0;
        for (;;) {
          // One row past the page says whether this page is the last.
          const page = (await runner.query(
            'SELECT prefix, family, paths FROM vpc_routes WHERE hosted_vpc_id = ? AND prefix > ? ORDER BY prefix LIMIT ?',
            [vpcId, after, pageSize + 1],
          )) as { prefix: string; family: VpcRoute['family']; paths: unknown }[];
          const last = page.length <= pageSize;
          const routes = page.slice(0, pageSize).map((row): VpcRoute => decodeStoredEntry(row.prefix, row.family, row.paths));
          await deliver({ revision, index, last, routes });
          if (last) break;
          after = page[pageSize - 1]!.prefix;
          index++;
        }
        return revision;
      } finally {
        await runner.query('COMMIT');
      }
    } finally {
      await runner.release();
    }
  }
}
