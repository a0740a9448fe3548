import { settledWithin } from './settled-within.js';

describe('settledWithin', () => {
  it('is true for work that ends in time, fulfilled or rejected', async () => {
    await expect(settledWithin(Promise.resolve('done'), 1000)).resolves.toBe(true);
    await expect(settledWithin(Promise.reject(new Error('failed')), 1000)).resolves.toBe(true);
    await expect(settledWithin(new Promise((resolve) => setTimeout(resolve, 10)), 1000)).resolves.toBe(true);
  });

  it('is false once the time runs out on work that never ends', async () => {
    const started = Date.now();
    await expect(settledWithin(new Promise(() => undefined), 50)).resolves.toBe(false);
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
  });
});
