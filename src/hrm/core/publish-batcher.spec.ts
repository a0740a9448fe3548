import { PublishBatcher, PublishStopped } from './publish-batcher.js';

/** A send whose requests finish when the test says so. */
function controlledSend() {
  const requests: { items: string[]; finish: () => void; fail: (error: Error) => void }[] = [];
  const send = (items: string[]) =>
    new Promise<void>((resolve, reject) => requests.push({ items: [...items], finish: resolve, fail: reject }));
  return { requests, send };
}

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('PublishBatcher', () => {
  it('sends what was added while a request was on its way together, in order, and resolves each add once its items are in', async () => {
    const { requests, send } = controlledSend();
    const batcher = new PublishBatcher<string>({ send, retryDelayMs: () => 1 });
    const done: string[] = [];
    const first = batcher.add(['a1', 'a2']).then(() => done.push('a'));
    const second = batcher.add(['b1']).then(() => done.push('b'));
    const third = batcher.add(['c1', 'c2']).then(() => done.push('c'));
    await settle();
    expect(requests.map((request) => request.items)).toEqual([['a1', 'a2']]);
    requests[0]!.finish();
    await first;
    await settle();
    expect(done).toEqual(['a']);
    expect(requests.map((request) => request.items)).toEqual([
      ['a1', 'a2'],
      ['b1', 'c1', 'c2'],
    ]);
    expect(batcher.pending).toBe(0);
    requests[1]!.finish();
    await Promise.all([second, third]);
    expect(done).toEqual(['a', 'b', 'c']);
  });

  it('retries a failed request before anything added later, and reports each failure', async () => {
    const { requests, send } = controlledSend();
    const failures: number[] = [];
    const batcher = new PublishBatcher<string>({ send, retryDelayMs: () => 1, onFailure: (_error, attempt) => failures.push(attempt) });
    const first = batcher.add(['a']);
    await settle();
    const second = batcher.add(['b']);
    requests[0]!.fail(new Error('broker unavailable'));
    await new Promise((resolve) => setTimeout(resolve, 10));
    // The retry carries the failed request's items only; the later add waits for the next request.
    expect(requests.map((request) => request.items)).toEqual([['a'], ['a']]);
    requests[1]!.fail(new Error('still unavailable'));
    await new Promise((resolve) => setTimeout(resolve, 10));
    requests[2]!.finish();
    await first;
    await settle();
    expect(requests.map((request) => request.items)).toEqual([['a'], ['a'], ['a'], ['b']]);
    expect(failures).toEqual([1, 2]);
    requests[3]!.finish();
    await second;
  });

  it('stops: what waits is rejected and never sent, a retry ends, and later adds are refused', async () => {
    const { requests, send } = controlledSend();
    const batcher = new PublishBatcher<string>({ send, retryDelayMs: () => 60_000 });
    const first = batcher.add(['a']);
    await settle();
    const second = batcher.add(['b']);
    requests[0]!.fail(new Error('broker unavailable'));
    await settle();
    batcher.stop();
    await expect(first).rejects.toBeInstanceOf(PublishStopped);
    await expect(second).rejects.toBeInstanceOf(PublishStopped);
    await expect(batcher.add(['c'])).rejects.toBeInstanceOf(PublishStopped);
    expect(requests.map((request) => request.items)).toEqual([['a']]);
  });

  it('resolves an add without items in its turn, without a request of its own', async () => {
    const { requests, send } = controlledSend();
    const batcher = new PublishBatcher<string>({ send, retryDelayMs: () => 1 });
    await batcher.add([]);
    expect(requests).toEqual([]);
  });
});
