import fc from 'fast-check';
import { compilePlatformPolicy, compileSessionPolicy, compileVpcPolicy } from '../../common/policy/import-policy.js';
import { decodeStoredEntry, decodeStoredPathRows } from './stored-route.js';
import {
  sessionConfigOf,
  VpcRouteTable,
  type RouteAttributes,
  type SessionConfig,
  type TableConfig,
  type TableEvent,
} from './route-table.js';

const v4 = 'ipv4-unicast' as const;
const v6 = 'ipv6-unicast' as const;

const attrs = (extra: Partial<RouteAttributes> = {}): RouteAttributes => ({
  origin: 'igp',
  asPath: [65001, 65100],
  nextHop: '169.254.1.1',
  med: null,
  localPref: null,
  ...extra,
});
const session = (sessionId: number, extra: Partial<SessionConfig> = {}): SessionConfig => ({
  sessionId,
  tunnelId: 100 + sessionId,
  maxPrefix: null,
  gracefulRestartSeconds: 120,
  policy: compileSessionPolicy(),
  ...extra,
});
const config = (extra: Partial<TableConfig> = {}): TableConfig => ({
  vpcId: 7,
  vpcPolicy: compileVpcPolicy({ cidrs: ['10.1.0.0/16', 'fd10::/48'] }),
  platformPolicy: compilePlatformPolicy(),
  sessions: [session(1), session(2), session(3)],
  ...extra,
});
const announce = (
  sessionId: number,
  prefix: string,
  extra: Partial<RouteAttributes> = {},
  pathId: number | null = null,
  at = 0,
): TableEvent => ({
  kind: 'announce',
  at,
  sessionId,
  family: prefix.includes(':') ? v6 : v4,
  prefix,
  pathId,
  attributes: attrs({ nextHop: `169.254.${sessionId}.1`, ...extra }),
});
const withdraw = (sessionId: number, prefix: string, pathId: number | null = null, at = 0): TableEvent => ({
  kind: 'withdraw',
  at,
  sessionId,
  family: prefix.includes(':') ? v6 : v4,
  prefix,
  pathId,
});

/** The session ref of session 1 as a BMP collector reports it. */
const REPORTED_SESSION = {
  router: 'rb-host1',
  hostId: 1,
  peerAddress: '169.254.1.1',
  peerAs: 65001,
  peerBgpId: '10.0.0.1',
  peerDistinguisher: '0:0',
};

describe('VpcRouteTable', () => {
  it('produces add, update and remove changes with before/after, numbered from the current revision', () => {
    const table = new VpcRouteTable(config(), 41);
    const result = table.apply([
      announce(1, '11.0.0.0/8'),
      announce(2, '11.0.0.0/8', { localPref: 200 }),
      withdraw(2, '11.0.0.0/8'),
      withdraw(1, '11.0.0.0/8'),
    ]);
    expect(result.changes.map((c) => [c.revision, c.action, c.prefix, c.vpcId])).toEqual([
      [42, 'add', '11.0.0.0/8', 7],
      [43, 'update', '11.0.0.0/8', 7],
      [44, 'update', '11.0.0.0/8', 7],
      [45, 'remove', '11.0.0.0/8', 7],
    ]);
    expect(result.revision).toBe(45);
    expect(table.revision).toBe(45);
    const [add, update, , remove] = result.changes;
    expect(add!.before).toBeNull();
    expect(add!.after).toEqual({
      prefix: '11.0.0.0/8',
      family: v4,
      activeNextHops: [{ sessionId: 1, tunnelId: 101, nextHop: '169.254.1.1' }],
      paths: [
        {
          sessionId: 1,
          pathId: null,
          tunnelId: 101,
          nextHop: '169.254.1.1',
          origin: 'igp',
          asPath: [65001, 65100],
          asPathLength: 2,
          neighborAs: 65001,
          med: null,
          localPref: null,
          stale: false,
          state: 'active',
        },
      ],
    });
    expect(update!.before).toEqual(add!.after);
    expect(update!.after?.activeNextHops.map((n) => n.sessionId)).toEqual([2]);
    expect(update!.after?.paths.map((p) => [p.sessionId, p.state])).toEqual([
      [2, 'active'],
      [1, 'standby'],
    ]);
    expect(update!.cause).toEqual({ event: 'announce', sessionId: 2, at: 0 });
    expect(remove!.after).toBeNull();
    expect(table.entries()).toEqual([]);
  });

  it('is idempotent: the same announcement, withdrawal or rejection again makes no change and uses no revision', () => {
    const table = new VpcRouteTable(config());
    expect(table.apply([announce(1, '11.0.0.0/8'), announce(1, '11.0.0.0/8')]).changes).toHaveLength(1);
    const again = table.apply([announce(1, '11.0.0.0/8'), withdraw(2, '11.0.0.0/8'), announce(1, '10.1.1.0/24')]);
    expect(again.changes.map((c) => [c.revision, c.action])).toEqual([[2, 'reject']]);
    expect(table.apply([announce(1, '10.1.1.0/24'), announce(1, '11.0.0.0/8')]).changes).toEqual([]);
    expect(table.revision).toBe(2);
    // Another spelling of the same prefix is the same prefix.
    table.apply([announce(1, '2a00::/32')]);
    expect(table.apply([announce(1, '2A00:0:0::/32')]).changes).toEqual([]);
    expect(table.entry('2a00:0::/32')?.prefix).toBe('2a00::/32');
    // A changed attribute is a change; so is the same rejected route with new attributes.
    expect(
      table.apply([announce(1, '11.0.0.0/8', { med: 5 }), announce(1, '10.1.1.0/24', { med: 5 })]).changes.map((c) => c.action),
    ).toEqual(['update', 'reject']);
  });

  it('logs a rejection with reason and detail, leaving the entry unchanged', () => {
    const table = new VpcRouteTable(config());
    table.apply([announce(2, '11.0.0.0/8')]);
    const result = table.apply([
      announce(1, '11.0.0.0/25'),
      announce(1, '10.1.0.0/16'),
      announce(3, '192.0.2.0/24'),
      announce(1, 'nonsense'),
    ]);
    expect(result.changes.map((c) => [c.action, c.prefix, c.rejection?.reason])).toEqual([
      ['reject', '11.0.0.0/25', 'prefix-length'],
      ['reject', '10.1.0.0/16', 'overlaps-vpc-cidr'],
      ['reject', '192.0.2.0/24', 'bogon'],
      ['reject', 'nonsense', 'invalid-prefix'],
    ]);
    expect(result.changes[2]!.rejection).toEqual({
      sessionId: 3,
      pathId: null,
      reason: 'bogon',
      detail: expect.stringContaining('TEST-NET-1'),
    });
    expect(result.changes.every((c) => c.before === c.after)).toBe(true);
    // Withdrawing a rejected route forgets it silently; announcing it again logs it again.
    expect(table.apply([withdraw(1, '10.1.0.0/16')]).changes).toEqual([]);
    expect(table.apply([announce(1, '10.1.0.0/16')]).changes.map((c) => c.action)).toEqual(['reject']);
  });

  it('ignores events of sessions that are not the VPC’s, and unparsable withdrawals', () => {
    const table = new VpcRouteTable(config());
    const result = table.apply([announce(9, '11.0.0.0/8'), withdraw(1, 'x/1'), { kind: 'session-down', at: 0, sessionId: 9 }]);
    expect(result.changes).toEqual([]);
    expect(result.ignored.map((i) => i.why)).toEqual([
      'session 9 is not a session of hosted VPC 7',
      expect.stringContaining('is not a prefix'),
      'session 9 is not a session of hosted VPC 7',
    ]);
    expect(table.revision).toBe(0);
  });

  it('enforces max-prefix per session with one alert on crossing, counting ADD-PATH paths once', () => {
    const table = new VpcRouteTable(config({ sessions: [session(1, { maxPrefix: 2 }), session(2)] }));
    const first = table.apply([
      announce(1, '11.0.0.0/8', {}, 1),
      announce(1, '11.0.0.0/8', {}, 2),
      announce(1, '12.0.0.0/8'),
      announce(1, '13.0.0.0/8', {}, null, 10),
      announce(1, '14.0.0.0/8', {}, null, 11),
      announce(2, '13.0.0.0/8'),
    ]);
    expect(first.changes.map((c) => [c.action, c.prefix, c.rejection?.reason ?? null])).toEqual([
      ['add', '11.0.0.0/8', null],
      ['update', '11.0.0.0/8', null],
      ['add', '12.0.0.0/8', null],
      ['reject', '13.0.0.0/8', 'max-prefix'],
      ['reject', '14.0.0.0/8', 'max-prefix'],
      ['add', '13.0.0.0/8', null],
    ]);
    expect(first.alerts).toEqual([{ kind: 'max-prefix-exceeded', sessionId: 1, limit: 2, count: 2, prefix: '13.0.0.0/8', at: 10 }]);
    expect(table.isOverLimit(1)).toBe(true);
    expect(table.prefixCount(1)).toBe(2);
    // Existing prefixes may still change.
    expect(table.apply([announce(1, '12.0.0.0/8', { med: 1 })]).changes.map((c) => c.action)).toEqual(['update']);
    // One ADD-PATH path gone: the prefix is still held.
    expect(table.apply([withdraw(1, '11.0.0.0/8', 1)]).alerts).toEqual([]);
    const below = table.apply([withdraw(1, '11.0.0.0/8', 2, 20)]);
    expect(below.alerts).toEqual([{ kind: 'max-prefix-cleared', sessionId: 1, limit: 2, count: 1, prefix: '11.0.0.0/8', at: 20 }]);
    expect(table.isOverLimit(1)).toBe(false);
    // Refused routes are not re-admitted by themselves; a new announcement is.
    expect(table.entry('13.0.0.0/8')?.paths.map((p) => p.sessionId)).toEqual([2]);
    expect(table.apply([announce(1, '14.0.0.0/8')]).changes.map((c) => c.action)).toEqual(['add']);
    expect(table.apply([announce(1, '15.0.0.0/8', {}, null, 30)]).alerts.map((a) => a.kind)).toEqual(['max-prefix-exceeded']);
  });

  it('lists the configured sessions it knows a state of, up or down and over their limit, the same after a restore', () => {
    const reporter = { connection: 'a.1/1', session: REPORTED_SESSION };
    const configured = config({ sessions: [session(1, { maxPrefix: 1 }), session(2), session(3)] });
    const table = new VpcRouteTable(configured);
    expect(table.sessionStatuses()).toEqual([]);
    table.apply([
      { kind: 'session-up', at: 0, sessionId: 1, families: [v4], gracefulRestart: true, reporter },
      announce(1, '11.0.0.0/8'),
      announce(1, '12.0.0.0/8'),
      { kind: 'session-up', at: 0, sessionId: 2, families: [v4] },
      announce(2, '13.0.0.0/8'),
      { kind: 'session-down', at: 5, sessionId: 2 },
    ]);
    // Session 3 sent nothing: no state, not listed.
    const statuses = [
      { sessionId: 1, phase: 'established', overLimit: true, reporter },
      { sessionId: 2, phase: 'restarting', overLimit: false, reporter: null },
    ];
    expect(table.sessionStatuses()).toEqual(statuses);
    expect(VpcRouteTable.restore(configured, structuredClone(table.snapshot())).sessionStatuses()).toEqual(statuses);
    table.apply([withdraw(1, '11.0.0.0/8'), { kind: 'session-up', at: 10, sessionId: 2, families: [v4] }]);
    expect(table.sessionStatuses().map(({ sessionId, phase, overLimit }) => [sessionId, phase, overLimit])).toEqual([
      [1, 'established', false],
      [2, 'recovering', false],
    ]);
    // Only the configured sessions: session 2 removed from the VPC.
    const reconfigured = VpcRouteTable.restore(config({ sessions: [session(1, { maxPrefix: 1 })] }), table.snapshot());
    reconfigured.apply([{ kind: 'reconfigure', at: 20 }]);
    expect(reconfigured.sessionStatuses().map((status) => status.sessionId)).toEqual([1]);
  });

  it('orders the changes of a session-down by family, address and length', () => {
    const table = new VpcRouteTable(config({ sessions: [session(1, { gracefulRestartSeconds: 0 })] }));
    table.apply(
      ['2a00::/32', '12.0.0.0/8', '11.128.0.0/9', '11.0.0.0/8', '2001:4860::/32', '11.0.0.0/9'].map((prefix) => announce(1, prefix)),
    );
    const down = table.apply([{ kind: 'session-down', at: 0, sessionId: 1 }]);
    expect(down.changes.map((c) => c.prefix)).toEqual([
      '11.0.0.0/8',
      '11.0.0.0/9',
      '11.128.0.0/9',
      '12.0.0.0/8',
      '2001:4860::/32',
      '2a00::/32',
    ]);
    expect(down.changes.map((c) => c.revision)).toEqual([7, 8, 9, 10, 11, 12]);
  });

  it('withdraws a session loss in parts when asked, each part a table that restores and goes on to the same end', () => {
    const prefixes = Array.from({ length: 25 }, (_, i) => `11.1.${i}.0/24`);
    const table = new VpcRouteTable(config());
    // Session 1 holds two paths (add-path) on some prefixes; session 2 backs some of them up.
    table.apply([
      ...prefixes.map((prefix) => announce(1, prefix, {}, 1)),
      ...prefixes.filter((_, i) => i % 4 === 0).map((prefix) => announce(1, prefix, { med: 5 }, 2)),
      ...prefixes.filter((_, i) => i % 3 === 0).map((prefix) => announce(2, prefix, { asPath: [65002, 65100, 65200] })),
    ]);
    const before = structuredClone(table.snapshot());
    const down: TableEvent = { kind: 'session-down', at: 50, sessionId: 1, graceful: false };
    const whole = VpcRouteTable.restore(config(), structuredClone(before));
    const wholeChanges = whole.apply([down]).changes;

    const inParts = VpcRouteTable.restore(config(), structuredClone(before));
    const first = inParts.apply([{ ...down, withdrawAtMost: 10 }]);
    expect(new Set(first.changes.map((change) => change.prefix)).size).toBe(10);
    expect(first.partlyApplied).toEqual([{ ...down, withdrawAtMost: 10 }]);
    expect(inParts.sessionPhase(1)).toBe('down');
    expect(inParts.prefixCount(1)).toBe(15);
    // A crash after the first part's commit: the next part starts from what was stored.
    const resumed = VpcRouteTable.restore(config(), structuredClone(inParts.snapshot()));
    const second = resumed.apply([{ ...down, withdrawAtMost: 10 }]);
    const third = resumed.apply([{ ...down, withdrawAtMost: 10 }]);
    expect(second.partlyApplied).toHaveLength(1);
    expect(third.partlyApplied).toEqual([]);
    expect(third.changes.map((change) => change.prefix)).toHaveLength(5);

    const parts = [...first.changes, ...second.changes, ...third.changes];
    expect(parts.map((change) => change.revision)).toEqual(wholeChanges.map((change) => change.revision));
    const outcome = (changes: typeof parts) =>
      changes.map(({ prefix, action, after }) => ({ prefix, action, after })).sort((a, b) => a.prefix.localeCompare(b.prefix));
    expect(outcome(parts)).toEqual(outcome(wholeChanges));
    expect(resumed.snapshot()).toEqual(whole.snapshot());
    expect(resumed.prefixCount(1)).toBe(0);
    // Once finished, the same down again changes nothing.
    expect(resumed.apply([{ ...down, withdrawAtMost: 10 }])).toMatchObject({ changes: [], partlyApplied: [] });
  });

  it('spreads over ECMP next hops, and a session local-pref override steers the choice', () => {
    const ecmp = new VpcRouteTable(config({ bestPath: { ecmpWidth: 2 } }));
    ecmp.apply([announce(3, '11.0.0.0/8'), announce(2, '11.0.0.0/8'), announce(1, '11.0.0.0/8')]);
    expect(ecmp.entry('11.0.0.0/8')?.activeNextHops.map((n) => n.tunnelId)).toEqual([101, 102]);
    const steered = new VpcRouteTable(config({ sessions: [session(1), session(2, { localPref: 300 })] }));
    steered.apply([announce(1, '11.0.0.0/8', { localPref: 200 }), announce(2, '11.0.0.0/8')]);
    expect(steered.entry('11.0.0.0/8')?.paths.map((p) => [p.sessionId, p.localPref, p.state])).toEqual([
      [2, 300, 'active'],
      [1, 200, 'standby'],
    ]);
  });

  it('snapshots and restores: the restored table continues exactly like the original', () => {
    const original = new VpcRouteTable(config({ sessions: [session(1, { maxPrefix: 2 }), session(2), session(3)] }));
    original.apply([
      announce(1, '11.0.0.0/8', {}, 1),
      announce(1, '11.0.0.0/8', { med: 5 }, 2),
      announce(1, '12.0.0.0/8'),
      announce(1, '13.0.0.0/8'),
      announce(2, '11.0.0.0/8'),
      announce(3, '10.1.0.0/24'),
      { kind: 'session-down', at: 100, sessionId: 2 },
      { kind: 'session-up', at: 200, sessionId: 3, gracefulRestart: false },
    ]);
    const snapshot = structuredClone(original.snapshot());
    const restored = VpcRouteTable.restore(config({ sessions: [session(1, { maxPrefix: 2 }), session(2), session(3)] }), snapshot);
    expect(restored.snapshot()).toEqual(original.snapshot());
    expect(restored.entries()).toEqual(original.entries());
    // Two ADD-PATH paths of session 1 on 11.0.0.0/8 count as one prefix against its limit (session 3 announced only inside the VPC).
    expect([1, 2, 3].map((id) => restored.prefixCount(id))).toEqual([2, 1, 0]);
    expect([1, 2, 3].map((id) => restored.prefixCount(id))).toEqual([1, 2, 3].map((id) => original.prefixCount(id)));
    const next: TableEvent[] = [
      announce(1, '14.0.0.0/8'),
      withdraw(1, '12.0.0.0/8'),
      announce(3, '10.1.0.0/24'),
      { kind: 'expiry', at: 200_000 },
      { kind: 'session-down', at: 300_000, sessionId: 3 },
    ];
    expect(restored.apply(next)).toEqual(original.apply(next));
    expect(restored.snapshot()).toEqual(original.snapshot());
  });

  describe('the BMP connection that reported a session', () => {
    const ref = REPORTED_SESSION;
    const up = (connection: string, at: number): TableEvent => ({
      kind: 'session-up',
      at,
      sessionId: 1,
      families: [v4],
      gracefulRestart: true,
      reporter: { connection, session: ref },
    });
    const down = (connection: string, at: number): TableEvent => ({ kind: 'session-down', at, sessionId: 1, graceful: true, connection });
    const staleOf = (table: VpcRouteTable): boolean[] => table.entries().flatMap((entry) => entry.paths.map((path) => path.stale));

    it('a down from a connection the session left (it came up through another) changes nothing', () => {
      const table = new VpcRouteTable(config());
      table.apply([up('a.1/1', 0), announce(1, '11.1.1.0/24'), up('b.1/1', 10), announce(1, '11.1.1.0/24')]);
      expect(staleOf(table)).toEqual([false]);
      const late = table.apply([down('a.1/1', 20)]);
      expect(late.changes).toEqual([]);
      expect(staleOf(table)).toEqual([false]);
      expect(table.snapshot().sessions.find((row) => row.sessionId === 1)?.reporter).toEqual({ connection: 'b.1/1', session: ref });
      // The session's own connection still takes it down.
      table.apply([down('b.1/1', 30)]);
      expect(staleOf(table)).toEqual([true]);
      expect(table.sessionPhase(1)).toBe('restarting');
    });

    it('keeps when the session last went up or down (not a late down of a connection it left), also after a restore', () => {
      const table = new VpcRouteTable(config());
      const lastUpDown = (from: VpcRouteTable) => from.snapshot().sessions.find((row) => row.sessionId === 1)?.lastUpDownAt;
      expect(lastUpDown(table)).toBeUndefined();
      table.apply([up('a.1/1', 1_000), announce(1, '11.1.1.0/24')]);
      expect(lastUpDown(table)).toBe(1_000);
      table.apply([up('b.1/1', 2_000)]);
      expect(lastUpDown(table)).toBe(2_000);
      table.apply([down('a.1/1', 3_000)]);
      expect(lastUpDown(table)).toBe(2_000);
      table.apply([down('b.1/1', 4_000)]);
      expect(lastUpDown(table)).toBe(4_000);
      expect(lastUpDown(VpcRouteTable.restore(config(), structuredClone(table.snapshot())))).toBe(4_000);
    });

    it('an up through a new connection while still up takes the missed down: what the new dump does not repeat is swept at End-of-RIB', () => {
      const table = new VpcRouteTable(config());
      table.apply([up('a.1/1', 0), announce(1, '11.1.1.0/24'), announce(1, '11.1.2.0/24')]);
      table.apply([up('b.1/1', 10), announce(1, '11.1.1.0/24')]);
      expect(table.sessionPhase(1)).toBe('recovering');
      expect(table.entries().map((entry) => [entry.prefix, entry.paths[0]!.stale])).toEqual([
        ['11.1.1.0/24', false],
        ['11.1.2.0/24', true],
      ]);
      table.apply([{ kind: 'end-of-rib', at: 20, sessionId: 1, family: v4 }]);
      expect(table.entries().map((entry) => entry.prefix)).toEqual(['11.1.1.0/24']);
      expect(table.sessionPhase(1)).toBe('established');
    });

    it('an up through the same connection again, or a first one naming a connection, is no restart', () => {
      const table = new VpcRouteTable(config());
      table.apply([{ kind: 'session-up', at: 0, sessionId: 1, families: [v4] }, announce(1, '11.1.1.0/24')]);
      table.apply([up('a.1/1', 5), up('a.1/1', 10)]);
      expect(staleOf(table)).toEqual([false]);
      expect(table.sessionPhase(1)).toBe('established');
    });

    it('is kept in the snapshot and restored with it', () => {
      const table = new VpcRouteTable(config());
      table.apply([up('a.1/7', 0), announce(1, '11.1.1.0/24')]);
      const restored = VpcRouteTable.restore(config(), structuredClone(table.snapshot()));
      expect(restored.snapshot()).toEqual(table.snapshot());
      expect(restored.apply([down('other.1/1', 10)]).changes).toEqual([]);
      expect(restored.apply([down('a.1/7', 10)]).changes.length).toBeGreaterThan(0);
    });
  });

  it('stores stale paths as <prefix>#<path id or empty> and takes them back in that form', () => {
    const table = new VpcRouteTable(config());
    table.apply([announce(1, '11.0.0.0/8', {}, 4), announce(2, '11.0.0.0/8'), announce(2, '2a01:4f8::/32')]);
    table.apply([
      { kind: 'session-down', at: 1_000, sessionId: 1 },
      { kind: 'session-down', at: 1_000, sessionId: 2 },
    ]);
    const stored = Object.fromEntries(table.snapshot().sessions.map((row) => [row.sessionId, row.stale.map((mark) => mark.key)]));
    expect(stored).toEqual({ 1: ['11.0.0.0/8#4'], 2: ['11.0.0.0/8#', '2a01:4f8::/32#'] });

    const restored = VpcRouteTable.restore(config(), structuredClone(table.snapshot()));
    expect(restored.dueWithdrawals(1_000 + 120_000).map(({ sessionId, prefix, pathId }) => [sessionId, prefix, pathId])).toEqual([
      [1, '11.0.0.0/8', 4],
      [2, '11.0.0.0/8', null],
      [2, '2a01:4f8::/32', null],
    ]);
    // Announced again after the restart: the restored marks match the paths, so they stop being stale.
    restored.apply([{ kind: 'session-up', at: 2_000, sessionId: 2 }, announce(2, '11.0.0.0/8')]);
    expect(restored.entry('11.0.0.0/8')?.paths.map((path) => [path.sessionId, path.stale])).toEqual([
      [2, false],
      [1, true],
    ]);
    expect(
      restored
        .snapshot()
        .sessions.find((row) => row.sessionId === 2)
        ?.stale.map((mark) => mark.key),
    ).toEqual(['2a01:4f8::/32#']);
  });

  it('reports what to save, and a partial snapshot holds only those prefixes', () => {
    const table = new VpcRouteTable(config());
    table.apply([announce(1, '11.0.0.0/8'), announce(1, '12.0.0.0/8')]);
    const result = table.apply([announce(2, '12.0.0.0/8'), announce(2, '192.0.2.0/24'), { kind: 'session-up', at: 0, sessionId: 3 }]);
    expect(result.dirty).toEqual({
      prefixes: ['12.0.0.0/8', '192.0.2.0/24'],
      sessions: [3],
      newPrefixes: [],
      rejectedPrefixes: ['192.0.2.0/24'],
    });
    const partial = table.snapshot({ prefixes: result.dirty.prefixes });
    expect(partial.routes.map((route) => route.prefix)).toEqual(['12.0.0.0/8']);
    expect(decodeStoredPathRows('12.0.0.0/8', v4, partial.routes[0]!.paths).map((p) => [p.prefix, p.sessionId])).toEqual([
      ['12.0.0.0/8', 1],
      ['12.0.0.0/8', 2],
    ]);
    expect(partial.rejected.map((r) => [r.prefix, r.reason])).toEqual([['192.0.2.0/24', 'bogon']]);
    // A rejected route keeps the revision and time of the `reject` change that logged it.
    const logged = result.changes.find((change) => change.action === 'reject')!;
    expect(partial.rejected.map((r) => [r.revision, r.rejectedAt])).toEqual([[logged.revision, logged.cause.at]]);

    // New: held by no path before the batch. 11/8 goes and comes back within the batch: not new (its rows exist).
    const again = table.apply([withdraw(1, '11.0.0.0/8'), announce(1, '11.0.0.0/8'), announce(1, '13.0.0.0/8')]);
    expect(again.dirty.newPrefixes).toEqual(['13.0.0.0/8']);
  });

  it('builds a session configuration from a BgpSessionEntity-shaped object', () => {
    const policy = compileSessionPolicy();
    expect(sessionConfigOf({ id: 4, tunnelId: 9, maxPrefix: 1000, gracefulRestartSeconds: 120 }, policy)).toEqual({
      sessionId: 4,
      tunnelId: 9,
      maxPrefix: 1000,
      gracefulRestartSeconds: 120,
      policy,
      localPref: null,
    });
  });

  it('reevaluates after a configuration change: newly refused paths leave, entries follow the new settings', () => {
    const table = new VpcRouteTable(config());
    table.apply([announce(1, '11.0.0.0/8'), announce(2, '11.0.0.0/8'), announce(1, '12.0.0.0/8'), announce(3, '13.0.0.0/8')]);
    const changed = VpcRouteTable.restore(
      config({
        bestPath: { ecmpWidth: 2 },
        sessions: [session(1, { policy: compileSessionPolicy({ allowedPrefixes: [{ prefix: '11.0.0.0/8' }] }) }), session(2)],
      }),
      table.snapshot(),
    );
    const result = changed.reevaluate(1_000);
    expect(result.changes.map((c) => [c.revision, c.action, c.prefix, c.rejection?.reason ?? null])).toEqual([
      [5, 'update', '11.0.0.0/8', null],
      [6, 'remove', '12.0.0.0/8', null],
      [7, 'reject', '12.0.0.0/8', 'not-allowed'],
      [8, 'remove', '13.0.0.0/8', null],
    ]);
    expect(changed.entry('11.0.0.0/8')?.activeNextHops).toHaveLength(2);
    expect(changed.reevaluate(2_000).changes).toEqual([]);
    expect(changed.prefixCount(3)).toBe(0);
    expect(
      changed.snapshot().routes.flatMap((route) => decodeStoredPathRows(route.prefix, route.family, route.paths).map((p) => p.sessionId)),
    ).toEqual([1, 2]);
  });

  it('reconfigures: a refused announcement the new policy accepts enters, a removed session leaves at once (deconfigured)', () => {
    const strict = compileSessionPolicy({ allowedPrefixes: [{ prefix: '11.0.0.0/8' }] });
    const table = new VpcRouteTable(config({ sessions: [session(1, { policy: strict }), session(2)] }));
    table.apply([announce(1, '11.0.0.0/8'), announce(1, '12.0.0.0/8', { med: 5 }), announce(2, '13.0.0.0/8'), announce(2, '2a00::/32')]);
    expect(table.snapshot().rejected.map((row) => [row.prefix, row.reason])).toEqual([['12.0.0.0/8', 'not-allowed']]);
    const revision = table.revision;

    // Session 1's policy loosened, session 2 removed from the VPC.
    const changed = VpcRouteTable.restore(config({ sessions: [session(1)] }), table.snapshot());
    const result = changed.apply([{ kind: 'reconfigure', at: 5_000 }]);
    expect(result.changes.map((c) => [c.revision - revision, c.action, c.prefix, c.cause.event, c.cause.sessionId])).toEqual([
      [1, 'remove', '13.0.0.0/8', 'deconfigured', 2],
      [2, 'remove', '2a00::/32', 'deconfigured', 2],
      [3, 'add', '12.0.0.0/8', 'reconfigure', null],
    ]);
    expect(changed.entry('12.0.0.0/8')?.paths[0]).toMatchObject({ sessionId: 1, med: 5 });
    const saved = changed.snapshot();
    expect(saved.rejected).toEqual([]);
    expect(changed.prefixCount(2)).toBe(0);
    expect(saved.sessions.map((row) => row.sessionId)).not.toContain(2);
    // Nothing left to do: a second reconfigure changes nothing.
    expect(changed.apply([{ kind: 'reconfigure', at: 6_000 }]).changes).toEqual([]);
  });

  it('a session moved to another VPC takes what it announced along: its held paths and its refusals, not its stale paths', () => {
    const source = new VpcRouteTable(config({ vpcId: 1, sessions: [session(1), session(2)] }));
    source.apply([
      announce(1, '12.0.0.0/8', { med: 7 }),
      announce(1, '11.0.0.0/8', {}, 3),
      announce(1, '10.1.5.0/24'), // inside the VPC's own CIDR: refused
      { kind: 'session-up', at: 0, sessionId: 2, families: [v4], gracefulRestart: true },
      announce(2, '13.0.0.0/8'),
      { kind: 'session-down', at: 1_000, sessionId: 2 },
    ]);
    // Held paths first, in prefix order, then the refusals; attributes and path ids as announced.
    expect(source.sessionAnnouncements(1, 9_000)).toEqual([
      announce(1, '11.0.0.0/8', {}, 3, 9_000),
      announce(1, '12.0.0.0/8', { med: 7 }, null, 9_000),
      announce(1, '10.1.5.0/24', {}, null, 9_000),
    ]);
    // Session 2 is restarting: its path is stale and stays behind.
    expect(source.sessionAnnouncements(2, 9_000)).toEqual([]);
    // Both sessions are held: 1 by paths and a refusal, 2 by its stale path.
    expect(source.sessionsHeld()).toEqual([1, 2]);

    // In a VPC whose CIDR is elsewhere, the refused announcement is accepted and the others too.
    const destination = new VpcRouteTable(
      config({ vpcId: 2, vpcPolicy: compileVpcPolicy({ cidrs: ['172.16.0.0/12'] }), sessions: [session(1)] }),
    );
    const result = destination.apply(source.sessionAnnouncements(1, 9_000));
    expect(result.changes.map((change) => [change.action, change.prefix])).toEqual([
      ['add', '11.0.0.0/8'],
      ['add', '12.0.0.0/8'],
      ['add', '10.1.5.0/24'],
    ]);
    expect(destination.entry('12.0.0.0/8')?.paths[0]).toMatchObject({ sessionId: 1, med: 7 });
  });

  it('reconfigures without touching graceful restart: a stale path stays stale', () => {
    const table = new VpcRouteTable(config());
    table.apply([
      { kind: 'session-up', at: 0, sessionId: 1, families: [v4], gracefulRestart: true },
      announce(1, '11.0.0.0/8'),
      announce(1, '12.0.0.0/8'),
      { kind: 'session-down', at: 1_000, sessionId: 1 },
    ]);
    const narrowed = VpcRouteTable.restore(
      config({ sessions: [session(1, { policy: compileSessionPolicy({ allowedPrefixes: [{ prefix: '11.0.0.0/8' }] }) })] }),
      table.snapshot(),
    );
    const result = narrowed.apply([{ kind: 'reconfigure', at: 2_000 }]);
    expect(result.changes.map((c) => [c.action, c.prefix])).toEqual([
      ['remove', '12.0.0.0/8'],
      ['reject', '12.0.0.0/8'],
    ]);
    expect(narrowed.entry('11.0.0.0/8')?.paths[0]).toMatchObject({ stale: true });
    expect(narrowed.sessionPhase(1)).toBe('restarting');
  });

  it('ends in the same table whatever way the sessions’ event streams interleave', () => {
    const prefixes = ['11.0.0.0/8', '11.0.0.0/9', '12.0.0.0/16', '2a00::/32', '10.1.0.0/24'];
    const event = (sessionId: number) =>
      fc.oneof(
        {
          weight: 5,
          arbitrary: fc
            .record({ prefix: fc.constantFrom(...prefixes), med: fc.option(fc.constantFrom(0, 10)), pathId: fc.constantFrom(null, 1) })
            .map((e) => announce(sessionId, e.prefix, { med: e.med }, e.pathId)),
        },
        {
          weight: 2,
          arbitrary: fc
            .record({ prefix: fc.constantFrom(...prefixes), pathId: fc.constantFrom(null, 1) })
            .map((e) => withdraw(sessionId, e.prefix, e.pathId)),
        },
        { weight: 1, arbitrary: fc.constant<TableEvent>({ kind: 'session-down', at: 0, sessionId }) },
        { weight: 1, arbitrary: fc.constant<TableEvent>({ kind: 'session-up', at: 0, sessionId }) },
        { weight: 1, arbitrary: fc.constantFrom(v4, v6).map((family): TableEvent => ({ kind: 'end-of-rib', at: 0, sessionId, family })) },
      );
    const streams = fc.tuple(
      fc.array(event(1), { maxLength: 15 }),
      fc.array(event(2), { maxLength: 15 }),
      fc.array(event(3), { maxLength: 15 }),
    );
    fc.assert(
      fc.property(streams, fc.array(fc.integer({ min: 0, max: 2 }), { maxLength: 60 }), (sessionStreams, picks) => {
        const make = () =>
          new VpcRouteTable(
            config({
              sessions: [session(1, { maxPrefix: 2 }), session(2, { gracefulRestartSeconds: 0 }), session(3)],
              bestPath: { ecmpWidth: 2 },
            }),
          );
        const sequential = make();
        sequential.apply(sessionStreams.flat());
        // Interleave: take from the picked session's stream, keeping each stream's own order.
        const queues = sessionStreams.map((stream) => [...stream]);
        const interleaved: TableEvent[] = [];
        for (const pick of picks) {
          const next = queues[pick]!.shift();
          if (next) interleaved.push(next);
        }
        for (const queue of queues) interleaved.push(...queue);
        const mixed = make();
        mixed.apply(interleaved);
        expect(mixed.entries()).toEqual(sequential.entries());
        expect(mixed.revision).toBeGreaterThanOrEqual(0);
        expect([1, 2, 3].map((id) => mixed.prefixCount(id))).toEqual([1, 2, 3].map((id) => sequential.prefixCount(id)));
      }),
      { numRuns: 300 },
    );
  });

  it('builds each entry as a table holding only that prefix’s paths would, however many prefixes share a path', () => {
    // Prefixes that share a session, path id and attributes share one built entry (lastSingle):
    // each entry is checked against a fresh table given only that prefix's paths.
    const prefixes = ['11.0.0.0/8', '11.1.0.0/16', '12.0.0.0/16', '2a00::/32', '13.0.0.0/24'];
    const make = () =>
      new VpcRouteTable(
        config({ sessions: [session(1), session(2, { localPref: 50 }), session(3, { tunnelId: 300 })], bestPath: { ecmpWidth: 2 } }),
      );
    const event = fc.oneof(
      {
        weight: 5,
        arbitrary: fc
          .record({
            sessionId: fc.constantFrom(1, 2, 3),
            prefix: fc.constantFrom(...prefixes),
            med: fc.option(fc.constantFrom(0, 10)),
            localPref: fc.option(fc.constantFrom(100, 200)),
            pathId: fc.constantFrom(null, 1),
          })
          .map((e) => announce(e.sessionId, e.prefix, { med: e.med, localPref: e.localPref }, e.pathId)),
      },
      {
        weight: 2,
        arbitrary: fc
          .record({ sessionId: fc.constantFrom(1, 2, 3), prefix: fc.constantFrom(...prefixes), pathId: fc.constantFrom(null, 1) })
          .map((e) => withdraw(e.sessionId, e.prefix, e.pathId)),
      },
    );
    fc.assert(
      fc.property(fc.array(event, { maxLength: 40 }), (events) => {
        const table = make();
        for (const change of table.apply(events).changes) {
          expect(change.after).toEqual(change.storedAfter && decodeStoredEntry(change.prefix, change.family, change.storedAfter));
        }
        // The paths each prefix holds, followed here from the events alone (every prefix is accepted).
        const held = new Map<string, Map<string, TableEvent>>();
        for (const event of events) {
          if (event.kind !== 'announce' && event.kind !== 'withdraw') continue;
          const key = `${event.sessionId}#${event.pathId}`;
          if (!held.has(event.prefix)) held.set(event.prefix, new Map());
          if (event.kind === 'announce') held.get(event.prefix)!.set(key, event);
          else held.get(event.prefix)!.delete(key);
        }
        const routes = table.snapshot().routes;
        expect(routes.map((route) => route.prefix).sort()).toEqual(
          [...held]
            .filter(([, paths]) => paths.size > 0)
            .map(([prefix]) => prefix)
            .sort(),
        );
        for (const route of routes) {
          const alone = make();
          alone.apply([...held.get(route.prefix)!.values()]);
          expect(table.entries().find((entry) => entry.prefix === route.prefix)).toEqual(alone.entries()[0]);
          expect(route).toEqual(alone.snapshot().routes[0]);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('applied in steps, makes the same changes, and a store that writes each step’s dirty prefixes ends with the same rows', () => {
    const prefixes = ['11.0.0.0/8', '11.0.0.0/9', '12.0.0.0/16', '2a00::/32', '10.1.0.0/24', '0.0.0.0/0'];
    const event = fc.oneof(
      {
        weight: 5,
        arbitrary: fc
          .record({
            sessionId: fc.constantFrom(1, 2),
            prefix: fc.constantFrom(...prefixes),
            med: fc.option(fc.constantFrom(0, 10)),
            pathId: fc.constantFrom(null, 1),
          })
          .map((e) => announce(e.sessionId, e.prefix, { med: e.med }, e.pathId)),
      },
      {
        weight: 2,
        arbitrary: fc
          .record({ sessionId: fc.constantFrom(1, 2), prefix: fc.constantFrom(...prefixes), pathId: fc.constantFrom(null, 1) })
          .map((e) => withdraw(e.sessionId, e.prefix, e.pathId)),
      },
      { weight: 1, arbitrary: fc.constantFrom(1, 2).map((sessionId): TableEvent => ({ kind: 'session-down', at: 0, sessionId })) },
      { weight: 1, arbitrary: fc.constantFrom(1, 2).map((sessionId): TableEvent => ({ kind: 'session-up', at: 0, sessionId })) },
      { weight: 1, arbitrary: fc.constant<TableEvent>({ kind: 'end-of-rib', at: 0, sessionId: 1, family: v4 }) },
      { weight: 1, arbitrary: fc.constant<TableEvent>({ kind: 'expiry', at: 1_000_000 }) },
    );
    fc.assert(
      fc.property(fc.array(event, { maxLength: 40 }), fc.integer({ min: 1, max: 8 }), (events, step) => {
        const make = () =>
          new VpcRouteTable(
            config({ sessions: [session(1, { maxPrefix: 2 }), session(2, { gracefulRestartSeconds: 0 })], bestPath: { ecmpWidth: 2 } }),
          );
        const whole = make();
        const wholeResult = whole.apply(events);
        const stepped = make();
        // What saveRouteChanges leaves in the vpc_routes and vpc_rejected_routes rows.
        const routeRows = new Map<string, unknown>();
        const rejectedRows = new Map<string, unknown[]>();
        const changes: unknown[] = [];
        const alerts: unknown[] = [];
        const duplicateInserts: string[] = [];
        for (let start = 0; start < events.length; start += step) {
          const result = stepped.apply(events.slice(start, start + step));
          const saved = stepped.snapshot({ prefixes: result.dirty.prefixes });
          const isNew = new Set(result.dirty.newPrefixes);
          for (const prefix of result.dirty.prefixes) {
            // A prefix reported new gets no DELETE: a row left from an earlier step would make its INSERT fail.
            if (isNew.has(prefix) && routeRows.has(prefix)) duplicateInserts.push(prefix);
            if (!isNew.has(prefix)) routeRows.delete(prefix);
          }
          for (const route of saved.routes) routeRows.set(route.prefix, route);
          for (const prefix of result.dirty.rejectedPrefixes) rejectedRows.delete(prefix);
          for (const row of saved.rejected) {
            if (!result.dirty.rejectedPrefixes.includes(row.prefix)) continue;
            rejectedRows.set(row.prefix, [...(rejectedRows.get(row.prefix) ?? []), row]);
          }
          changes.push(...result.changes);
          alerts.push(...result.alerts);
        }
        expect(duplicateInserts).toEqual([]);
        expect(changes).toEqual(wholeResult.changes);
        expect(alerts).toEqual(wholeResult.alerts);
        const final = whole.snapshot();
        expect(stepped.snapshot()).toEqual(final);
        expect([...routeRows.values()].sort(byPrefix)).toEqual([...final.routes].sort(byPrefix));
        expect([...rejectedRows.values()].flat().sort(byPrefix)).toEqual([...final.rejected].sort(byPrefix));
      }),
      { numRuns: 300 },
    );
  });
});

function byPrefix(a: unknown, b: unknown): number {
  const key = (row: unknown) => JSON.stringify(row);
  return key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;
}
