import { OffsetCommits, type PartitionOffset } from './offset-commits.js';

/** A commit function whose calls the test completes by hand. */
function manualCommit(): {
  commit: (offsets: PartitionOffset[]) => Promise<void>;
  calls: { offsets: PartitionOffset[]; finish: (error?: Error) => void }[];
} {
  const calls: { offsets: PartitionOffset[]; finish: (error?: Error) => void }[] = [];
  const commit = (offsets: PartitionOffset[]): Promise<void> =>
    new Promise((resolve, reject) => calls.push({ offsets, finish: (error) => (error ? reject(error) : resolve()) }));
  return { commit, calls };
}

const at = (partition: number, offset: number): PartitionOffset => ({ topic: 't', partition, offset: String(offset) });
const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('OffsetCommits', () => {
  it('sends one commit at a time and merges what is requested meanwhile, newest offset per partition', async () => {
    const { commit, calls } = manualCommit();
    const commits = new OffsetCommits(commit, () => undefined);
    const first = commits.request(at(0, 10));
    const second = commits.request(at(0, 20));
    void commits.request(at(1, 5));
    const third = commits.request(at(0, 30));
    expect(calls.map((call) => call.offsets)).toEqual([[at(0, 10)]]);
    calls[0]!.finish();
    await tick();
    expect(calls.map((call) => call.offsets)).toEqual([[at(0, 10)], [at(0, 30), at(1, 5)]]);
    let done = false;
    void second.then(() => (done = true));
    await tick();
    expect(done).toBe(false);
    calls[1]!.finish();
    await Promise.all([first, second, third, commits.settled()]);
    expect(calls).toHaveLength(2);
  });

  it('reports a failed commit, keeps going with the next request and never rejects', async () => {
    const { commit, calls } = manualCommit();
    const failures: string[] = [];
    const commits = new OffsetCommits(commit, (error, offsets) => failures.push(`${error.message} at ${offsets[0]!.offset}`));
    const first = commits.request(at(0, 10));
    calls[0]!.finish(new Error('REBALANCE_IN_PROGRESS'));
    await expect(first).resolves.toBeUndefined();
    expect(failures).toEqual(['REBALANCE_IN_PROGRESS at 10']);
    const second = commits.request(at(0, 11));
    expect(calls).toHaveLength(2);
    calls[1]!.finish();
    await second;
    expect(failures).toHaveLength(1);
  });

  it('is settled at once when nothing is in flight', async () => {
    const commits = new OffsetCommits(
      () => Promise.resolve(),
      () => undefined,
    );
    await expect(commits.settled()).resolves.toBeUndefined();
    await commits.request(at(0, 1));
    await expect(commits.settled()).resolves.toBeUndefined();
  });
});
