import { retryUntilDone } from './retry-until-done.js';

describe('retryUntilDone', () => {
  it('tries again after each failure until the work succeeds, reporting every failure', async () => {
    let calls = 0;
    const failures: string[] = [];
    await retryUntilDone(
      () => (++calls < 3 ? Promise.reject(new Error(`down ${calls}`)) : Promise.resolve()),
      () => true,
      (error, attempt, delayMs) => failures.push(`${attempt}: ${error.message} (${delayMs} ms)`),
      1,
    );
    expect(calls).toBe(3);
    expect(failures).toEqual(['1: down 1 (1 ms)', '2: down 2 (1 ms)']);
  });

  it('stops when no longer wanted, without reporting the failure that found it so', async () => {
    let wanted = true;
    let calls = 0;
    const failures: number[] = [];
    await retryUntilDone(
      () => {
        calls++;
        if (calls === 2) wanted = false;
        return Promise.reject(new Error('down'));
      },
      () => wanted,
      (_error, attempt) => failures.push(attempt),
      1,
    );
    expect(calls).toBe(2);
    expect(failures).toEqual([1]);
  });

  it('does nothing when not wanted from the start', async () => {
    let calls = 0;
    await retryUntilDone(
      () => Promise.resolve(void calls++),
      () => false,
      () => undefined,
      1,
    );
    expect(calls).toBe(0);
  });
});
