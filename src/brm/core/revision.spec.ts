import fc from 'fast-check';
import { compilePlatformPolicy, compileSessionPolicy, compileVpcPolicy } from '../../common/policy/import-policy.js';
import { applyDiff, checkChangeLog, diffRevisions, tableAsOf } from './revision.js';
import { VpcRouteTable, type RouteChange, type RouteEntry, type SessionConfig, type TableConfig, type TableEvent } from './route-table.js';

const v4 = 'ipv4-unicast' as const;
const v6 = 'ipv6-unicast' as const;

const session = (sessionId: number, extra: Partial<SessionConfig> = {}): SessionConfig => ({
  sessionId,
  tunnelId: 100 + sessionId,
  maxPrefix: null,
  gracefulRestartSeconds: 5,
  policy: compileSessionPolicy(),
  ...extra,
});
const config = (): TableConfig => ({
  vpcId: 3,
  vpcPolicy: compileVpcPolicy({ cidrs: ['10.1.0.0/16'] }),
  platformPolicy: compilePlatformPolicy(),
  bestPath: { ecmpWidth: 2 },
  sessions: [session(1, { maxPrefix: 3 }), session(2), session(3, { gracefulRestartSeconds: 0 })],
});
const announce = (sessionId: number, prefix: string, med: number | null = null, at = 0): TableEvent => ({
  kind: 'announce',
  at,
  sessionId,
  family: prefix.includes(':') ? v6 : v4,
  prefix,
  pathId: null,
  attributes: { origin: 'igp', asPath: [65001], nextHop: `169.254.${sessionId}.1`, med, localPref: null },
});

describe('revision', () => {
  const table = new VpcRouteTable(config());
  const log: RouteChange[] = [];
  const live: RouteEntry[][] = [[]];
  for (const event of [
    announce(1, '11.0.0.0/8'),
    announce(2, '12.0.0.0/8'),
    announce(2, '11.0.0.0/8', 5),
    announce(1, '192.0.2.0/24'),
    { kind: 'withdraw', at: 0, sessionId: 1, family: v4, prefix: '11.0.0.0/8', pathId: null } as const,
    announce(1, '2a00::/32'),
  ]) {
    log.push(...table.apply([event]).changes);
    live[table.revision] = table.entries();
  }

  it('rebuilds the table as of each revision', () => {
    expect(log.map((c) => [c.revision, c.action, c.prefix])).toEqual([
      [1, 'add', '11.0.0.0/8'],
      [2, 'add', '12.0.0.0/8'],
      [3, 'update', '11.0.0.0/8'],
      [4, 'reject', '192.0.2.0/24'],
      [5, 'update', '11.0.0.0/8'],
      [6, 'add', '2a00::/32'],
    ]);
    for (let revision = 0; revision <= 6; revision++) expect([revision, tableAsOf(log, revision)]).toEqual([revision, live[revision]]);
    expect(tableAsOf(log, 2).map((e) => e.prefix)).toEqual(['11.0.0.0/8', '12.0.0.0/8']);
    expect(tableAsOf(log, 4)).toEqual(tableAsOf(log, 3));
    expect(() => tableAsOf(log, 7)).toThrow(RangeError);
    expect(() => tableAsOf(log, -1)).toThrow(RangeError);
  });

  it('diffs two revisions in either direction', () => {
    expect(diffRevisions(log, 2, 6).map((d) => [d.action, d.prefix])).toEqual([
      ['update', '11.0.0.0/8'],
      ['add', '2a00::/32'],
    ]);
    expect(diffRevisions(log, 6, 0).map((d) => [d.action, d.prefix])).toEqual([
      ['remove', '11.0.0.0/8'],
      ['remove', '12.0.0.0/8'],
      ['remove', '2a00::/32'],
    ]);
    expect(diffRevisions(log, 3, 4)).toEqual([]);
    expect(applyDiff(tableAsOf(log, 1), diffRevisions(log, 1, 5))).toEqual(tableAsOf(log, 5));
  });

  it('continues from a checkpoint', () => {
    const base = { revision: 3, entries: tableAsOf(log, 3) };
    const tail = log.filter((c) => c.revision > 3);
    expect(tableAsOf(tail, 6, base)).toEqual(live[6]);
    expect(checkChangeLog(tail, base)).toEqual([]);
    expect(() => tableAsOf(tail, 2, base)).toThrow(RangeError);
  });

  it('finds gaps, repeats and inconsistent "before" values', () => {
    expect(checkChangeLog(log)).toEqual([]);
    // Revision 3 only touched 12.0.0.0/8 and so is consistent with revision 1; revision 5 is not.
    expect(checkChangeLog([log[0]!, log[2]!])).toEqual(['revision 3 where 2 was expected']);
    expect(checkChangeLog([log[0]!, log[4]!])).toEqual([
      'revision 5 where 2 was expected',
      'revision 5: "before" of 11.0.0.0/8 differs from the log\'s own state',
    ]);
    expect(checkChangeLog([log[0]!, log[0]!])[0]).toBe('revision 1 where 2 was expected');
  });

  it('property: for random event sequences the log rebuilds the live table at every revision, gap-free, and re-applying changes nothing', () => {
    const prefixes = ['11.0.0.0/8', '11.0.0.0/9', '12.0.0.0/16', '2a00::/32', '10.1.0.0/24', '192.0.2.0/24', '13.0.0.0/8'];
    const sessionId = fc.integer({ min: 1, max: 3 });
    const family = fc.constantFrom(v4, v6);
    const step = fc.oneof(
      {
        weight: 6,
        arbitrary: fc
          .record({
            sessionId,
            prefix: fc.constantFrom(...prefixes),
            med: fc.option(fc.constantFrom(0, 10)),
            pathId: fc.constantFrom(null, 1),
            localPref: fc.option(fc.constantFrom(100, 200)),
          })
          .map((e) => (at: number): TableEvent => ({
            kind: 'announce',
            at,
            sessionId: e.sessionId,
            family: e.prefix.includes(':') ? v6 : v4,
            prefix: e.prefix,
            pathId: e.pathId,
            attributes: {
              origin: 'igp',
              asPath: [65000 + e.sessionId],
              nextHop: `169.254.${e.sessionId}.1`,
              med: e.med,
              localPref: e.localPref,
            },
          })),
      },
      {
        weight: 3,
        arbitrary: fc
          .record({ sessionId, prefix: fc.constantFrom(...prefixes), pathId: fc.constantFrom(null, 1) })
          .map((e) => (at: number): TableEvent => ({
            kind: 'withdraw',
            at,
            sessionId: e.sessionId,
            family: e.prefix.includes(':') ? v6 : v4,
            prefix: e.prefix,
            pathId: e.pathId,
          })),
      },
      { weight: 1, arbitrary: sessionId.map((id) => (at: number): TableEvent => ({ kind: 'session-down', at, sessionId: id })) },
      { weight: 1, arbitrary: sessionId.map((id) => (at: number): TableEvent => ({ kind: 'session-up', at, sessionId: id })) },
      {
        weight: 1,
        arbitrary: fc
          .tuple(sessionId, family)
          .map(([id, f]) => (at: number): TableEvent => ({ kind: 'end-of-rib', at, sessionId: id, family: f })),
      },
      { weight: 1, arbitrary: fc.constant((at: number): TableEvent => ({ kind: 'expiry', at })) },
    );
    const timed = fc.array(fc.tuple(step, fc.integer({ min: 0, max: 3_000 })), { maxLength: 60 }).map((steps) => {
      let at = 0;
      return steps.map(([make, delta]) => make((at += delta)));
    });
    fc.assert(
      fc.property(timed, fc.integer({ min: 1, max: 5 }), fc.integer({ min: 0, max: 20 }), (events, batchSize, startRevision) => {
        const table = new VpcRouteTable(config(), startRevision);
        const base = { revision: startRevision, entries: [] };
        const log: RouteChange[] = [];
        const liveAt = new Map<number, RouteEntry[]>([[startRevision, []]]);
        for (let i = 0; i < events.length; i += batchSize) {
          const batch = events.slice(i, i + batchSize);
          const { changes, revision } = table.apply(batch);
          log.push(...changes);
          expect(revision).toBe(table.revision);
          liveAt.set(table.revision, table.entries());
          // Idempotence: the batch's last event (of any kind), applied again, changes nothing.
          const again = table.apply(batch.slice(-1));
          expect([again.changes, again.alerts]).toEqual([[], []]);
        }
        // Gap-free, and each change's "before" is exactly what the log itself leads to (so every
        // intermediate revision is rebuilt correctly too).
        expect(checkChangeLog(log, base)).toEqual([]);
        expect(log.map((c) => c.revision)).toEqual(log.map((_, index) => startRevision + index + 1));
        for (const [revision, entries] of liveAt) expect(tableAsOf(log, revision, base)).toEqual(entries);
        for (const change of log) {
          const rebuilt = tableAsOf(log, change.revision, base).find((e) => e.prefix === change.prefix) ?? null;
          expect(rebuilt).toEqual(change.action === 'reject' ? change.before : change.after);
        }
        // Diff round trip between every pair of observed revisions.
        const revisions = [...liveAt.keys()];
        for (const from of revisions) {
          for (const to of revisions) expect(applyDiff(liveAt.get(from)!, diffRevisions(log, from, to, base))).toEqual(liveAt.get(to));
        }
      }),
      { numRuns: 200 },
    );
  });
});
