/**
 * Publishes what several messages owe a topic in as few requests as order allows: items added
 * while a request is on its way go together in the next one. Each `add` gets a promise that
 * resolves once its items are published; promises resolve in the order of `add`. A failed
 * request is retried (with the caller's delay) until it succeeds or the batcher is stopped, so a
 * later add is never published before an earlier one. No I/O here: `send` does it.
 *
 * HRM uses it for vpc.routes.v1: a session loss is 200 notifications in a row, and one Kafka
 * round trip per notification (acks=all) made HRM's part of it seconds long.
 */
export interface PublishBatcherOptions<T> {
  send(items: T[]): Promise<void>;
  /** How long to wait before retry number `attempt` (1 = first retry). */
  retryDelayMs(attempt: number): number;
  /** Called when a request failed and will be retried. */
  onFailure?(error: Error, attempt: number): void;
}

export class PublishStopped extends Error {
  constructor() {
    super('the publisher was stopped before these items were published');
  }
}

interface Waiting<T> {
  items: T[];
  resolve: () => void;
  reject: (error: Error) => void;
}

export class PublishBatcher<T> {
  private waiting: Waiting<T>[] = [];
  private sending: Promise<void> | null = null;
  private stopped = false;
  private wakeRetry: (() => void) | null = null;

  constructor(private readonly options: PublishBatcherOptions<T>) {}

  /** Publishes `items` after every earlier add's; resolves once they are in. */
  add(items: T[]): Promise<void> {
    if (this.stopped) return Promise.reject(new PublishStopped());
    const published = new Promise<void>((resolve, reject) => this.waiting.push({ items, resolve, reject }));
    this.sending ??= this.drain().finally(() => (this.sending = null));
    return published;
  }

  /** Adds not yet published. */
  get pending(): number {
    return this.waiting.length;
  }

  /** Rejects what waits (it is not published) and ends retries. */
  stop(): void {
    this.stopped = true;
    this.wakeRetry?.();
    for (const waiting of this.waiting.splice(0)) waiting.reject(new PublishStopped());
  }

  private async drain(): Promise<void> {
    while (this.waiting.length > 0 && !this.stopped) {
      const batch = this.waiting.splice(0);
      const items = batch.flatMap((waiting) => waiting.items);
      for (let attempt = 1; ; attempt++) {
        try {
          if (items.length > 0) await this.options.send(items);
          for (const waiting of batch) waiting.resolve();
          break;
        } catch (error) {
          if (!this.stopped) {
            this.options.onFailure?.(error as Error, attempt);
            await this.pauseBeforeRetry(attempt);
          }
          if (this.stopped) {
            for (const waiting of batch) waiting.reject(new PublishStopped());
            return;
          }
        }
      }
    }
  }

  /** The caller's delay before retry `attempt`; a stop ends it at once. */
  private async pauseBeforeRetry(attempt: number): Promise<void> {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, this.options.retryDelayMs(attempt));
      this.wakeRetry = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.wakeRetry = null;
  }
}
