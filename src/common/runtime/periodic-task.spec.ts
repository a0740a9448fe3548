import { jest } from '@jest/globals';
import { PeriodicTask } from './periodic-task.js';

describe('PeriodicTask', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('skips a tick while the previous run is under way, and stop() waits for that run', async () => {
    let started = 0;
    let finish: () => void = () => undefined;
    const task = new PeriodicTask(1000, () => {
      started++;
      return new Promise<void>((resolve) => (finish = resolve));
    });
    task.start({ now: true });
    expect(started).toBe(1);
    await jest.advanceTimersByTimeAsync(3000);
    expect(started).toBe(1);
    let stopped = false;
    const stopping = task.stop().then(() => (stopped = true));
    await Promise.resolve();
    expect(stopped).toBe(false);
    finish();
    await stopping;
    expect(stopped).toBe(true);
    await jest.advanceTimersByTimeAsync(3000);
    expect(started).toBe(1);
  });

  it('runs again on the next tick after a run that failed', async () => {
    let started = 0;
    const task = new PeriodicTask(1000, () => {
      started++;
      return Promise.reject(new Error('database away'));
    });
    task.start();
    await jest.advanceTimersByTimeAsync(2500);
    expect(started).toBe(2);
    await task.stop();
  });
});
