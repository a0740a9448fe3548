import { OffsetTracker } from './offset-tracker.js';

describe('OffsetTracker', () => {
  it('commits up to the lowest unfinished message, then past the last when all are finished', () => {
    const tracker = new OffsetTracker();
    const finish = ['10', '11', '12'].map((offset) => tracker.take(offset));
    expect(tracker.committable()).toBe('10');
    tracker.committedAt('10');
    finish[1]!();
    expect(tracker.committable()).toBeNull();
    finish[0]!();
    expect(tracker.committable()).toBe('12');
    tracker.committedAt('12');
    finish[2]!();
    expect(tracker.committable()).toBe('13');
    tracker.committedAt('13');
    expect(tracker.committable()).toBeNull();
    expect(tracker.inProgress).toBe(0);
  });

  it('ignores a second finish and never commits backwards when a rebalance hands back lower offsets', () => {
    const tracker = new OffsetTracker();
    const first = tracker.take('5');
    first();
    first();
    expect(tracker.committable()).toBe('6');
    tracker.committedAt('6');
    const again = tracker.take('3');
    expect(tracker.committable()).toBeNull();
    again();
    expect(tracker.committable()).toBeNull();
  });

  it('handles offsets past 2^53', () => {
    const tracker = new OffsetTracker();
    tracker.take('9007199254740993')();
    expect(tracker.committable()).toBe('9007199254740994');
  });
});
