import type { SessionStatus } from './core/route-table.js';
import { isUpPhase, SessionGauges, sessionOverMaxPrefix, sessionUp } from './session-metrics.js';

/** The two gauges' series as `<vpc>/<session>` → [up, over max-prefix]. */
async function series(): Promise<Record<string, [number, number]>> {
  const up = (await sessionUp.get()).values;
  const over = (await sessionOverMaxPrefix.get()).values;
  expect(over.map((value) => value.labels)).toEqual(up.map((value) => value.labels));
  return Object.fromEntries(
    up.map((value, index) => [`${value.labels.hosted_vpc_id}/${value.labels.session_id}`, [value.value, over[index]!.value]]),
  );
}

const status = (sessionId: number, phase: SessionStatus['phase'], overLimit = false): SessionStatus => ({
  sessionId,
  phase,
  overLimit,
  reporter: null,
});

/** Keys `k<partition>-…` land on that partition, whatever the partition count. */
const partitionOf = (key: string): number => Number(/^k(\d+)-/.exec(key)![1]);
const keyOf = (status: SessionStatus): string => `k${status.sessionId % 10}-${status.sessionId}`;
const owning = (...owned: number[]) => ({ partitions: 10, owned: new Set(owned) });

describe('session gauges', () => {
  let gauges: SessionGauges;

  beforeEach(() => {
    sessionUp.reset();
    sessionOverMaxPrefix.reset();
    gauges = new SessionGauges(partitionOf);
  });

  it('says up for established and recovering, down for restarting and down', () => {
    expect((['established', 'recovering', 'restarting', 'down'] as const).map(isUpPhase)).toEqual([true, true, false, false]);
  });

  it('shows the sessions on its own partitions only, and nothing before it has any', async () => {
    gauges.show(7, [status(11, 'established'), status(12, 'down', true)], keyOf);
    expect(await series()).toEqual({});
    gauges.assigned(owning(1, 3));
    gauges.show(7, [status(11, 'established'), status(12, 'down', true), status(13, 'restarting', true)], keyOf);
    expect(await series()).toEqual({ '7/11': [1, 0], '7/13': [0, 1] });
  });

  it('follows a session down, up and over its limit, and drops one the table no longer lists', async () => {
    gauges.assigned(owning(1, 2));
    gauges.show(7, [status(11, 'established'), status(12, 'established')], keyOf);
    gauges.show(7, [status(11, 'restarting'), status(12, 'established', true)], keyOf);
    expect(await series()).toEqual({ '7/11': [0, 0], '7/12': [1, 1] });
    gauges.show(7, [status(11, 'recovering')], keyOf);
    expect(await series()).toEqual({ '7/11': [1, 0] });
  });

  it('skips a session whose key is unknown', async () => {
    gauges.assigned(owning(1));
    gauges.show(7, [status(11, 'established')], () => null);
    expect(await series()).toEqual({});
  });

  it('removes the series of partitions assigned elsewhere at a rebalance, and those of sessions no longer configured', async () => {
    gauges.assigned(owning(1, 2, 3));
    gauges.show(7, [status(11, 'established'), status(12, 'down')], keyOf);
    gauges.show(8, [status(13, 'established'), status(21, 'established')], keyOf);
    gauges.assigned(owning(1, 3));
    expect(await series()).toEqual({ '7/11': [1, 0], '8/13': [1, 0], '8/21': [1, 0] });
    // Session 21 moved to VPC 7, session 13 deleted.
    gauges.retain((vpcId, sessionId) => (sessionId === 21 ? vpcId === 7 : sessionId !== 13));
    expect(await series()).toEqual({ '7/11': [1, 0] });
    gauges.assigned(null);
    expect(await series()).toEqual({});
  });

  it('asks for a key partition once per partition count', async () => {
    const asked: string[] = [];
    gauges = new SessionGauges((key, partitions) => {
      asked.push(`${key}/${partitions}`);
      return partitionOf(key);
    });
    gauges.assigned(owning(1));
    gauges.show(7, [status(11, 'established')], keyOf);
    gauges.show(7, [status(11, 'down')], keyOf);
    gauges.assigned({ partitions: 12, owned: new Set([1]) });
    gauges.show(7, [status(11, 'established')], keyOf);
    expect(asked).toEqual(['k1-11/10', 'k1-11/12']);
    expect(await series()).toEqual({ '7/11': [1, 0] });
  });

  it('clears every series it shows when it stops', async () => {
    gauges.assigned(owning(1, 2));
    gauges.show(7, [status(11, 'established'), status(12, 'down')], keyOf);
    gauges.clear();
    expect(await series()).toEqual({});
  });
});
