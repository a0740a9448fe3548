import { judgeContinuity, type AppliedPosition, type PartitionLookups } from './partition-continuity.js';

/** Lookups answering fixed values, counting the Kafka round trips they stand for. */
function kafka(options: { remembered?: string | null; current?: string | null; low?: bigint; high?: bigint }) {
  const calls = { refreshes: 0, bounds: 0 };
  const lookups: PartitionLookups = {
    topicId: (refresh) => {
      if (refresh) calls.refreshes++;
      return Promise.resolve(refresh ? (options.current ?? null) : (options.remembered ?? null));
    },
    bounds: () => {
      calls.bounds++;
      return Promise.resolve({ low: options.low ?? 0n, high: options.high ?? 1_000_000n });
    },
  };
  return { lookups, calls };
}

const stored = (nextOffset: bigint, topicId: string | null): AppliedPosition => ({ nextOffset, topicId });

describe('judgeContinuity', () => {
  it('takes everything on a partition with nothing stored', async () => {
    const { lookups, calls } = kafka({});
    expect(await judgeContinuity(null, 0n, lookups)).toEqual({ kind: 'continues', skipBelow: null });
    expect(calls).toEqual({ refreshes: 0, bounds: 0 });
  });

  it('continues without asking Kafka when the batch starts where BRM stopped under the same ID', async () => {
    const { lookups, calls } = kafka({ remembered: 'A' });
    expect(await judgeContinuity(stored(3385n, 'A'), 3385n, lookups)).toEqual({ kind: 'continues', skipBelow: 3385n });
    expect(calls).toEqual({ refreshes: 0, bounds: 0 });
  });

  it('finds a new topic ID at once, wherever the batch starts', async () => {
    const { lookups } = kafka({ remembered: 'B' });
    const verdict = await judgeContinuity(stored(3385n, 'A'), 3385n, lookups);
    expect(verdict).toMatchObject({ kind: 'lost', reason: 'new-topic-id' });
    expect(verdict.kind === 'lost' && verdict.detail).toContain('B');
  });

  it('asks Kafka again before skipping a replay, and skips it when the topic is the same', async () => {
    const { lookups, calls } = kafka({ remembered: 'A', current: 'A', high: 4000n });
    expect(await judgeContinuity(stored(3385n, 'A'), 3300n, lookups)).toEqual({ kind: 'continues', skipBelow: 3385n });
    expect(calls).toEqual({ refreshes: 1, bounds: 1 });
  });

  it('finds a topic recreated while this instance remembered the old ID', async () => {
    const { lookups } = kafka({ remembered: 'A', current: 'B' });
    expect(await judgeContinuity(stored(3385n, 'A'), 0n, lookups)).toMatchObject({ kind: 'lost', reason: 'new-topic-id' });
  });

  it('finds offsets beyond the partition end when no ID was stored (offsets from before IDs were kept)', async () => {
    const { lookups } = kafka({ remembered: 'B', current: 'B', high: 12n });
    const verdict = await judgeContinuity(stored(3385n, null), 0n, lookups);
    expect(verdict).toEqual({
      kind: 'lost',
      reason: 'beyond-end',
      detail: 'applied up to offset 3384 but the partition ends at 12 (the topic was recreated or its log truncated)',
    });
  });

  it('finds a truncated log under the same ID', async () => {
    const { lookups } = kafka({ remembered: 'A', current: 'A', high: 100n });
    expect(await judgeContinuity(stored(3385n, 'A'), 90n, lookups)).toMatchObject({ kind: 'lost', reason: 'beyond-end' });
  });

  it('finds events deleted by retention before BRM applied them', async () => {
    const { lookups } = kafka({ remembered: 'A', current: 'A', low: 5000n, high: 9000n });
    expect(await judgeContinuity(stored(3385n, 'A'), 5000n, lookups)).toEqual({
      kind: 'lost',
      reason: 'deleted-before-applied',
      detail: 'offsets 3385 to 4999 were deleted (retention) before they were applied',
    });
  });

  it('continues over a gap of dead-lettered events that are still on the log', async () => {
    const { lookups } = kafka({ remembered: 'A', current: 'A', low: 0n, high: 9000n });
    expect(await judgeContinuity(stored(3385n, 'A'), 3390n, lookups)).toEqual({ kind: 'continues', skipBelow: 3385n });
  });

  it('goes on with the checks that need no ID when Kafka cannot say', async () => {
    const { lookups } = kafka({ remembered: null, current: null, high: 4000n });
    expect(await judgeContinuity(stored(3385n, 'A'), 3000n, lookups)).toEqual({ kind: 'continues', skipBelow: 3385n });
  });
});
