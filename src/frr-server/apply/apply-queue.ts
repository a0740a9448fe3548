/**
 * Serialises applies: one at a time per host (later ones wait, in the order they came), and at
 * most `maxConcurrentHosts` hosts at once. Across hosts it is first come, first served: a task
 * starts as soon as its host is free and a slot is, and no task overtakes an earlier one that
 * could start. Plain TypeScript; a task's failure is its caller's and does not stop the queue.
 */

interface Pending {
  host: string;
  task: () => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

export class ApplyQueue {
  private readonly pending: Pending[] = [];
  private readonly busyHosts = new Set<string>();

  constructor(private readonly maxConcurrentHosts: number) {
    if (!Number.isInteger(maxConcurrentHosts) || maxConcurrentHosts < 1) {
      throw new Error(`ApplyQueue: maxConcurrentHosts must be a positive integer, got ${maxConcurrentHosts}`);
    }
  }

  /** Runs `task` for `host` when its turn comes; settles as the task does. */
  run<T>(host: string, task: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ host, task, resolve: resolve as (value: unknown) => void, reject });
      this.pump();
    });
  }

  /** Hosts with a task running now. */
  get runningHosts(): string[] {
    return [...this.busyHosts];
  }

  /** Tasks not started yet. */
  get waiting(): number {
    return this.pending.length;
  }

  private pump(): void {
    for (let index = 0; index < this.pending.length && this.busyHosts.size < this.maxConcurrentHosts;) {
      const entry = this.pending[index];
      if (entry === undefined || this.busyHosts.has(entry.host)) {
        index += 1;
        continue;
      }
      this.pending.splice(index, 1);
      this.start(entry);
    }
  }

  private start(entry: Pending): void {
    this.busyHosts.add(entry.host);
    let promise: Promise<unknown>;
    try {
      promise = entry.task();
    } catch (error) {
      promise = Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    promise
      .then(entry.resolve, entry.reject)
      .finally(() => {
        this.busyHosts.delete(entry.host);
        this.pump();
      })
      .catch(() => undefined);
  }
}
