/**
 * A task run every `everyMs` that never overlaps itself: a tick while the previous run is still
 * under way (a slow database) is skipped, not queued. `stop()` ends the ticks and waits for the run
 * under way, so a shutdown does not close what that run still uses. The task handles its own
 * errors (a rejection is swallowed here so that it is never unhandled).
 */
export class PeriodicTask {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly everyMs: number,
    private readonly task: () => Promise<void>,
  ) {}

  /** Starts ticking; `now` also runs the task at once. */
  start({ now = false }: { now?: boolean } = {}): void {
    if (now) this.tick();
    this.timer = setInterval(() => this.tick(), this.everyMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  private tick(): void {
    if (this.running) return;
    this.running = this.task()
      .catch(() => undefined)
      .finally(() => (this.running = null));
  }
}
