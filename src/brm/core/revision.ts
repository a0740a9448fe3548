/**
 * Pure functions over a VPC's change log (the `RouteChange`s route-table.ts produced, in revision
 * order): the table as of any revision, and the difference between two revisions.
 *
 * A log may start after a checkpoint: pass `base` (the entries at `base.revision`); the log then
 * continues at `base.revision + 1`. Asking for a revision outside base..last throws a RangeError.
 */
import { parsePrefix } from '../../common/inventory/addressing.js';
import { deepEqual, type RouteChange, type RouteEntry } from './route-table.js';

export interface Checkpoint {
  revision: number;
  entries: readonly RouteEntry[];
}

export interface RouteDiff {
  prefix: string;
  family: RouteEntry['family'];
  action: 'add' | 'update' | 'remove';
  before: RouteEntry | null;
  after: RouteEntry | null;
}

const EMPTY: Checkpoint = { revision: 0, entries: [] };

/**
 * Problems of a log, in words (empty when sound): revisions must continue the base without gaps,
 * and every change's `before` must be the entry the log itself leads to.
 */
export function checkChangeLog(log: readonly RouteChange[], base: Checkpoint = EMPTY): string[] {
  const problems: string[] = [];
  const table = new Map(base.entries.map((entry) => [entry.prefix, entry]));
  let expected = base.revision + 1;
  for (const change of log) {
    if (change.revision !== expected) problems.push(`revision ${change.revision} where ${expected} was expected`);
    expected = change.revision + 1;
    if (!deepEqual(table.get(change.prefix) ?? null, change.before))
      problems.push(`revision ${change.revision}: "before" of ${change.prefix} differs from the log's own state`);
    if (change.action === 'reject' && !deepEqual(change.before, change.after))
      problems.push(`revision ${change.revision}: a reject changed ${change.prefix}`);
    applyOne(table, change);
  }
  return problems;
}

function applyOne(table: Map<string, RouteEntry>, change: RouteChange): void {
  switch (change.action) {
    case 'add':
    case 'update':
      if (change.after) table.set(change.prefix, change.after);
      break;
    case 'remove':
      table.delete(change.prefix);
      break;
    case 'reject':
      break;
  }
}

/** The entries in the order route-table.ts lists them: family, address, length. */
export function sortEntries<T extends { prefix: string }>(entries: Iterable<T>): T[] {
  const keyed = [...entries].map((entry) => {
    const parsed = parsePrefix(entry.prefix);
    return { entry, key: typeof parsed === 'string' ? null : parsed };
  });
  keyed.sort((a, b) => {
    if (!a.key || !b.key) return a.key ? -1 : b.key ? 1 : a.entry.prefix < b.entry.prefix ? -1 : 1;
    return (
      a.key.family - b.key.family || (a.key.first < b.key.first ? -1 : a.key.first > b.key.first ? 1 : 0) || a.key.length - b.key.length
    );
  });
  return keyed.map(({ entry }) => entry);
}

function lastRevision(log: readonly RouteChange[], base: Checkpoint): number {
  return log.length > 0 ? log[log.length - 1]!.revision : base.revision;
}

function replay(log: readonly RouteChange[], revision: number, base: Checkpoint): Map<string, RouteEntry> {
  const last = lastRevision(log, base);
  if (!Number.isInteger(revision) || revision < base.revision || revision > last) {
    throw new RangeError(`revision ${revision} is outside ${base.revision}..${last}`);
  }
  const table = new Map(base.entries.map((entry) => [entry.prefix, entry]));
  for (const change of log) {
    if (change.revision > revision) break;
    if (change.revision <= base.revision) continue;
    applyOne(table, change);
  }
  return table;
}

/** The route table as of `revision`, in prefix order. */
export function tableAsOf(log: readonly RouteChange[], revision: number, base: Checkpoint = EMPTY): RouteEntry[] {
  return sortEntries(replay(log, revision, base).values());
}

/** What turns the table at `from` into the table at `to` (either direction), in prefix order. */
export function diffRevisions(log: readonly RouteChange[], from: number, to: number, base: Checkpoint = EMPTY): RouteDiff[] {
  const before = replay(log, from, base);
  const after = replay(log, to, base);
  const diffs: RouteDiff[] = [];
  for (const [prefix, entry] of before) {
    const next = after.get(prefix);
    if (!next) diffs.push({ prefix, family: entry.family, action: 'remove', before: entry, after: null });
    else if (!deepEqual(entry, next)) diffs.push({ prefix, family: entry.family, action: 'update', before: entry, after: next });
  }
  for (const [prefix, entry] of after) {
    if (!before.has(prefix)) diffs.push({ prefix, family: entry.family, action: 'add', before: null, after: entry });
  }
  return sortEntries(diffs);
}

/** Applies a diff to a table (the inverse check of diffRevisions), in prefix order. */
export function applyDiff(entries: readonly RouteEntry[], diff: readonly RouteDiff[]): RouteEntry[] {
  const table = new Map(entries.map((entry) => [entry.prefix, entry]));
  for (const item of diff) {
    if (item.after) table.set(item.prefix, item.after);
    else table.delete(item.prefix);
  }
  return sortEntries(table.values());
}
