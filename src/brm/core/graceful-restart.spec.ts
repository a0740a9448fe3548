import { GracefulRestart } from './graceful-restart.js';
import { compilePlatformPolicy, compileSessionPolicy, compileVpcPolicy } from '../../common/policy/import-policy.js';
import { VpcRouteTable, type RouteAttributes, type SessionConfig, type TableEvent } from './route-table.js';

const v4 = 'ipv4-unicast' as const;
const v6 = 'ipv6-unicast' as const;

describe('GracefulRestart state machine', () => {
  const paths = [
    { key: 'a', family: v4 },
    { key: 'b', family: v4 },
    { key: 'c', family: v6 },
  ];

  it('marks every path stale with deadline = now + restart time, and lists them when due', () => {
    const gr = new GracefulRestart();
    expect(gr.hasStale(1)).toBe(false);
    expect(gr.sessionDown(1, 1_000, paths, { restartSeconds: 120 })).toEqual({
      stale: paths.map(({ key, family }) => ({ sessionId: 1, key, family, deadline: 121_000 })),
      withdraw: [],
    });
    expect(gr.phase(1)).toBe('restarting');
    expect(gr.nextDeadline()).toBe(121_000);
    expect(gr.dueWithdrawals(120_999)).toEqual([]);
    expect(gr.dueWithdrawals(121_000).map((mark) => mark.key)).toEqual(['a', 'b', 'c']);
    // dueWithdrawals only reports; the caller withdraws.
    expect(gr.isStale(1, 'a')).toBe(true);
    expect([gr.hasStale(1), gr.hasStale(2)]).toEqual([true, false]);
    for (const { key } of paths) gr.withdrawn(1, key);
    expect(gr.hasStale(1)).toBe(false);
    expect(gr.phase(1)).toBe('down');
    expect(gr.nextDeadline()).toBeNull();
  });

  it('withdraws at once without graceful restart: restart time 0, a forced hard down, or no capability', () => {
    expect(new GracefulRestart().sessionDown(1, 0, paths, { restartSeconds: 0 })).toEqual({ stale: [], withdraw: ['a', 'b', 'c'] });
    expect(new GracefulRestart().sessionDown(1, 0, paths, { restartSeconds: 120, graceful: false }).withdraw).toHaveLength(3);
    const noCapability = new GracefulRestart();
    noCapability.sessionUp(1, [v4, v6], false);
    expect(noCapability.sessionDown(1, 0, paths, { restartSeconds: 120 }).withdraw).toHaveLength(3);
    expect(noCapability.phase(1)).toBe('down');
    // Forcing graceful beats the capability (a lost collector connection).
    expect(noCapability.sessionDown(1, 0, paths, { restartSeconds: 120, graceful: true }).stale).toHaveLength(3);
  });

  it('after the session is up, re-announcement freshens, End-of-RIB sweeps its family only, then established', () => {
    const gr = new GracefulRestart();
    gr.sessionDown(1, 0, paths, { restartSeconds: 120 });
    expect(gr.endOfRib(1, v4)).toEqual({ withdraw: [] }); // ignored while down
    expect(gr.sessionUp(1)).toEqual({ withdraw: [] });
    expect(gr.phase(1)).toBe('recovering');
    expect(gr.announced(1, 'a')).toBe(true);
    expect(gr.announced(1, 'a')).toBe(false);
    expect(gr.endOfRib(1, v4)).toEqual({ withdraw: ['b'] });
    expect(gr.phase(1)).toBe('recovering');
    expect(gr.endOfRib(1, v6)).toEqual({ withdraw: ['c'] });
    expect(gr.phase(1)).toBe('established');
  });

  it('a second down does not extend existing deadlines; new stale paths get the new one', () => {
    const gr = new GracefulRestart();
    gr.sessionDown(1, 0, paths.slice(0, 1), { restartSeconds: 100 });
    gr.sessionUp(1);
    const again = gr.sessionDown(1, 50_000, paths.slice(0, 2), { restartSeconds: 100 });
    expect(again.stale.map((mark) => [mark.key, mark.deadline])).toEqual([
      ['a', 100_000],
      ['b', 150_000],
    ]);
  });

  it('a session-up without a family withdraws that family at once', () => {
    const gr = new GracefulRestart();
    gr.sessionDown(1, 0, paths, { restartSeconds: 100 });
    expect(gr.sessionUp(1, [v4])).toEqual({ withdraw: ['c'] });
  });

  it('snapshots and restores', () => {
    const gr = new GracefulRestart();
    gr.sessionDown(2, 0, paths, { restartSeconds: 10 });
    gr.sessionUp(3, [v4], true);
    const copy = new GracefulRestart();
    copy.restore(gr.snapshot());
    expect(copy.snapshot()).toEqual(gr.snapshot());
    expect(copy.dueWithdrawals(10_000)).toEqual(gr.dueWithdrawals(10_000));
    expect(copy.phase(3)).toBe('established');
  });
});

describe('graceful restart in the route table', () => {
  const attrs = (nextHop: string): RouteAttributes => ({ origin: 'igp', asPath: [65001], nextHop, med: null, localPref: null });
  const session = (sessionId: number, extra: Partial<SessionConfig> = {}): SessionConfig => ({
    sessionId,
    tunnelId: 100 + sessionId,
    maxPrefix: null,
    gracefulRestartSeconds: 120,
    policy: compileSessionPolicy(),
    ...extra,
  });
  const make = (sessions = [session(1), session(2)]) =>
    new VpcRouteTable({
      vpcId: 1,
      vpcPolicy: compileVpcPolicy({ cidrs: ['10.1.0.0/16'] }),
      platformPolicy: compilePlatformPolicy(),
      sessions,
    });
  const announce = (sessionId: number, prefix: string, at = 0): TableEvent => ({
    kind: 'announce',
    at,
    sessionId,
    family: prefix.includes(':') ? v6 : v4,
    prefix,
    pathId: null,
    attributes: attrs(`169.254.${sessionId}.1`),
  });
  const states = (table: VpcRouteTable, prefix: string) => table.entry(prefix)?.paths.map((p) => [p.sessionId, p.state, p.stale]) ?? null;

  it('within the window the stale path keeps forwarding, a fresh path of another session is preferred', () => {
    const table = make();
    table.apply([announce(1, '11.0.0.0/8'), announce(1, '12.0.0.0/8'), announce(2, '12.0.0.0/8')]);
    const down = table.apply([{ kind: 'session-down', at: 1_000, sessionId: 1 }]);
    expect(down.changes.map((c) => [c.prefix, c.action, c.cause.event])).toEqual([
      ['11.0.0.0/8', 'update', 'session-down'],
      ['12.0.0.0/8', 'update', 'session-down'],
    ]);
    expect(states(table, '11.0.0.0/8')).toEqual([[1, 'active', true]]);
    expect(states(table, '12.0.0.0/8')).toEqual([
      [2, 'active', false],
      [1, 'stale', true],
    ]);
    expect(table.sessionPhase(1)).toBe('restarting');
    expect(table.nextDeadline()).toBe(121_000);
    expect(table.apply([{ kind: 'expiry', at: 120_999 }]).changes).toEqual([]);
    expect(table.entry('11.0.0.0/8')).not.toBeNull();
  });

  it('beyond the window the still-stale paths are withdrawn', () => {
    const table = make();
    table.apply([
      announce(1, '11.0.0.0/8'),
      announce(1, '12.0.0.0/8'),
      announce(2, '12.0.0.0/8'),
      { kind: 'session-down', at: 1_000, sessionId: 1 },
    ]);
    expect(table.dueWithdrawals(121_000)).toEqual([
      { sessionId: 1, prefix: '11.0.0.0/8', pathId: null, deadline: 121_000 },
      { sessionId: 1, prefix: '12.0.0.0/8', pathId: null, deadline: 121_000 },
    ]);
    const expired = table.apply([{ kind: 'expiry', at: 121_000 }]);
    expect(expired.changes.map((c) => [c.prefix, c.action, c.cause])).toEqual([
      ['11.0.0.0/8', 'remove', { event: 'expiry', sessionId: 1, at: 121_000 }],
      ['12.0.0.0/8', 'update', { event: 'expiry', sessionId: 1, at: 121_000 }],
    ]);
    expect(states(table, '12.0.0.0/8')).toEqual([[2, 'active', false]]);
    expect(table.sessionPhase(1)).toBe('down');
    expect(table.nextDeadline()).toBeNull();
  });

  it('re-announcement after the restart makes a path fresh; End-of-RIB sweeps the rest of its family', () => {
    const table = make();
    table.apply([
      announce(1, '11.0.0.0/8'),
      announce(1, '12.0.0.0/8'),
      announce(1, '2a00::/32'),
      { kind: 'session-down', at: 0, sessionId: 1 },
    ]);
    expect(table.apply([{ kind: 'session-up', at: 5_000, sessionId: 1 }]).changes).toEqual([]);
    expect(states(table, '11.0.0.0/8')).toEqual([[1, 'active', true]]);
    const again = table.apply([announce(1, '11.0.0.0/8', 6_000)]);
    expect(again.changes.map((c) => [c.prefix, c.action, c.before?.paths[0]?.stale, c.after?.paths[0]?.stale])).toEqual([
      ['11.0.0.0/8', 'update', true, false],
    ]);
    const eor = table.apply([{ kind: 'end-of-rib', at: 7_000, sessionId: 1, family: v4 }]);
    expect(eor.changes.map((c) => [c.prefix, c.action, c.cause.event])).toEqual([['12.0.0.0/8', 'remove', 'end-of-rib']]);
    expect(states(table, '2a00::/32')).toEqual([[1, 'active', true]]);
    expect(table.sessionPhase(1)).toBe('recovering');
    table.apply([{ kind: 'end-of-rib', at: 8_000, sessionId: 1, family: v6 }]);
    expect(table.entry('2a00::/32')).toBeNull();
    expect(table.sessionPhase(1)).toBe('established');
    expect(table.entries().map((e) => e.prefix)).toEqual(['11.0.0.0/8']);
  });

  it('a session going down takes every one of its ADD-PATH paths, and only its own', () => {
    const withPath = (sessionId: number, prefix: string, pathId: number): TableEvent => ({
      kind: 'announce',
      at: 0,
      sessionId,
      family: v4,
      prefix,
      pathId,
      attributes: attrs(`169.254.${sessionId}.1`),
    });
    const table = make([session(1), session(2, { gracefulRestartSeconds: 0 })]);
    table.apply([withPath(1, '11.0.0.0/8', 1), withPath(1, '11.0.0.0/8', 2), withPath(1, '12.0.0.0/8', 7), announce(2, '11.0.0.0/8')]);
    table.apply([{ kind: 'session-down', at: 1_000, sessionId: 1 }]);
    expect(table.dueWithdrawals(121_000).map(({ prefix, pathId }) => [prefix, pathId])).toEqual([
      ['11.0.0.0/8', 1],
      ['11.0.0.0/8', 2],
      ['12.0.0.0/8', 7],
    ]);
    const down = table.apply([{ kind: 'session-down', at: 2_000, sessionId: 2 }]);
    expect(down.changes.map((c) => [c.prefix, c.action])).toEqual([['11.0.0.0/8', 'update']]);
    expect(table.entry('11.0.0.0/8')?.paths.map((p) => [p.sessionId, p.pathId, p.stale])).toEqual([
      [1, 1, true],
      [1, 2, true],
    ]);
    expect(table.apply([{ kind: 'expiry', at: 121_000 }]).changes.map((c) => [c.prefix, c.action])).toEqual([
      ['11.0.0.0/8', 'remove'],
      ['12.0.0.0/8', 'remove'],
    ]);
    expect(table.entries()).toEqual([]);
    expect(table.prefixCount(1)).toBe(0);
  });

  it('without graceful restart a session down removes its routes at once', () => {
    const table = make([session(1, { gracefulRestartSeconds: 0 }), session(2)]);
    table.apply([announce(1, '11.0.0.0/8'), announce(2, '11.0.0.0/8'), announce(1, '12.0.0.0/8')]);
    const down = table.apply([{ kind: 'session-down', at: 0, sessionId: 1 }]);
    expect(down.changes.map((c) => [c.prefix, c.action])).toEqual([
      ['11.0.0.0/8', 'update'],
      ['12.0.0.0/8', 'remove'],
    ]);
    expect(table.prefixCount(1)).toBe(0);
    const forced = make();
    forced.apply([announce(1, '11.0.0.0/8'), { kind: 'session-down', at: 0, sessionId: 1, graceful: false }]);
    expect(forced.entries()).toEqual([]);
  });
});
