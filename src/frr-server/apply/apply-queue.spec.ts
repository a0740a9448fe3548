import { ApplyQueue } from './apply-queue.js';

/** A task the test finishes by hand, recording when it started. */
class FakeTask {
  started = false;
  private finish: (() => void) | undefined;
  private fail: ((error: Error) => void) | undefined;

  constructor(
    readonly name: string,
    private readonly log: string[],
  ) {}

  readonly run = (): Promise<string> =>
    new Promise<string>((resolve, reject) => {
      this.started = true;
      this.log.push(this.name);
      this.finish = () => resolve(this.name);
      this.fail = reject;
    });

  resolve(): void {
    if (!this.finish) throw new Error(`${this.name} has not started`);
    this.finish();
  }

  reject(error: Error): void {
    if (!this.fail) throw new Error(`${this.name} has not started`);
    this.fail(error);
  }
}

/** Lets settled promises run their callbacks. */
const settle = async (): Promise<void> => {
  for (let i = 0; i < 5; i += 1) await Promise.resolve();
};

describe('ApplyQueue', () => {
  it('runs one task per host at a time, in order', async () => {
    const log: string[] = [];
    const queue = new ApplyQueue(4);
    const [a1, a2, a3] = ['a1', 'a2', 'a3'].map((name) => new FakeTask(name, log)) as [FakeTask, FakeTask, FakeTask];
    const results = [a1, a2, a3].map((task) => queue.run('host-a', task.run));
    await settle();
    expect(log).toEqual(['a1']);
    a1.resolve();
    await settle();
    expect(log).toEqual(['a1', 'a2']);
    a2.resolve();
    await settle();
    a3.resolve();
    await expect(Promise.all(results)).resolves.toEqual(['a1', 'a2', 'a3']);
  });

  it('runs different hosts in parallel up to the bound', async () => {
    const log: string[] = [];
    const queue = new ApplyQueue(2);
    const tasks = ['a', 'b', 'c', 'd'].map((name) => new FakeTask(name, log));
    const results = tasks.map((task) => queue.run(`host-${task.name}`, task.run));
    await settle();
    expect(log).toEqual(['a', 'b']);
    expect(queue.runningHosts.sort()).toEqual(['host-a', 'host-b']);
    expect(queue.waiting).toBe(2);
    tasks[1]?.resolve();
    await settle();
    expect(log).toEqual(['a', 'b', 'c']);
    tasks[0]?.resolve();
    await settle();
    expect(log).toEqual(['a', 'b', 'c', 'd']);
    tasks[2]?.resolve();
    tasks[3]?.resolve();
    await expect(Promise.all(results)).resolves.toEqual(['a', 'b', 'c', 'd']);
    expect(queue.runningHosts).toEqual([]);
  });

  it('lets a free host go ahead of a busy host’s waiting task, but keeps arrival order otherwise', async () => {
    const log: string[] = [];
    const queue = new ApplyQueue(2);
    const a1 = new FakeTask('a1', log);
    const a2 = new FakeTask('a2', log);
    const b1 = new FakeTask('b1', log);
    const c1 = new FakeTask('c1', log);
    const results = [queue.run('a', a1.run), queue.run('a', a2.run), queue.run('b', b1.run), queue.run('c', c1.run)];
    await settle();
    // a2 waits for a1; b1 takes the second slot; c1 waits for a slot.
    expect(log).toEqual(['a1', 'b1']);
    a1.resolve();
    await settle();
    // a2 arrived before c1 and host a is free now: a2 goes first.
    expect(log).toEqual(['a1', 'b1', 'a2']);
    b1.resolve();
    await settle();
    expect(log).toEqual(['a1', 'b1', 'a2', 'c1']);
    a2.resolve();
    c1.resolve();
    await expect(Promise.all(results)).resolves.toEqual(['a1', 'a2', 'b1', 'c1']);
  });

  it('passes a failure to its caller and carries on with the next task of the host', async () => {
    const log: string[] = [];
    const queue = new ApplyQueue(1);
    const bad = new FakeTask('bad', log);
    const next = new FakeTask('next', log);
    const failed = queue.run('a', bad.run);
    const after = queue.run('a', next.run);
    await settle();
    bad.reject(new Error('frr-reload failed'));
    await expect(failed).rejects.toThrow('frr-reload failed');
    await settle();
    expect(next.started).toBe(true);
    next.resolve();
    await expect(after).resolves.toBe('next');
  });

  it('survives a task that throws synchronously', async () => {
    const queue = new ApplyQueue(1);
    const thrown = queue.run('a', () => {
      throw new Error('sync');
    });
    await expect(thrown).rejects.toThrow('sync');
    await expect(queue.run('a', () => Promise.resolve(42))).resolves.toBe(42);
  });

  it('never runs more than N hosts at once under a random load', async () => {
    const queue = new ApplyQueue(3);
    let running = 0;
    let peak = 0;
    const perHost = new Map<string, number>();
    const order: string[] = [];
    const jobs: Promise<void>[] = [];
    for (let i = 0; i < 60; i += 1) {
      const host = `h${i % 7}`;
      const label = `${host}#${i}`;
      jobs.push(
        queue.run(host, async () => {
          running += 1;
          peak = Math.max(peak, running);
          perHost.set(host, (perHost.get(host) ?? 0) + 1);
          expect(perHost.get(host)).toBe(1);
          order.push(label);
          await new Promise((resolve) => setTimeout(resolve, (i * 7) % 5));
          perHost.set(host, (perHost.get(host) ?? 0) - 1);
          running -= 1;
        }),
      );
    }
    await Promise.all(jobs);
    expect(peak).toBe(3);
    for (let h = 0; h < 7; h += 1) {
      const mine = order.filter((label) => label.startsWith(`h${h}#`)).map((label) => Number(label.split('#')[1]));
      expect(mine).toEqual([...mine].sort((x, y) => x - y));
    }
  });

  it('refuses a bound below one', () => {
    expect(() => new ApplyQueue(0)).toThrow(/positive integer/);
  });
});
