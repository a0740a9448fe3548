import { retryDelayMs } from './backoff.js';

describe('retry backoff', () => {
  const policy = { baseMs: 100, maxMs: 5000 };

  it('grows exponentially up to the maximum (upper end of the jitter)', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 20].map((attempt) => retryDelayMs(policy, attempt, () => 1))).toEqual([
      100, 200, 400, 800, 1600, 3200, 5000, 5000,
    ]);
  });

  it('jitters between the base and the bound, never below the base', () => {
    expect(retryDelayMs(policy, 6, () => 0)).toBe(100);
    expect(retryDelayMs(policy, 6, () => 0.5)).toBe(1600);
    for (let attempt = 1; attempt < 40; attempt++) {
      const delay = retryDelayMs(policy, attempt);
      expect(delay).toBeGreaterThanOrEqual(100);
      expect(delay).toBeLessThanOrEqual(5000);
    }
  });
});
