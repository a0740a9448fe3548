/**
 * What the process is doing while it starts, for `/health` (liveness) and `/health/ready`
 * (readiness) before the application answers them itself: main.ts listens before the database,
 * the migrations, Kafka and the roles' consumers are ready, so a probe never waits on them and an
 * operator sees which step a slow start is in.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export class StartupProgress {
  private readonly startedAt = Date.now();
  private stageName = 'starting';
  private stageSince = Date.now();
  private done = false;

  /** Enters the next step; returns how long the previous one took (ms). */
  enter(stage: string): number {
    const took = Date.now() - this.stageSince;
    this.stageName = stage;
    this.stageSince = Date.now();
    return took;
  }

  finish(): void {
    this.done = true;
  }

  get finished(): boolean {
    return this.done;
  }

  get stage(): string {
    return this.stageName;
  }

  /** How long the process has been up, and the current step, in seconds. */
  report(): { state: 'starting' | 'running'; stage: string; stageSeconds: number; uptimeSeconds: number } {
    const now = Date.now();
    return {
      state: this.done ? 'running' : 'starting',
      stage: this.done ? 'running' : this.stageName,
      stageSeconds: Math.round((now - this.stageSince) / 100) / 10,
      uptimeSeconds: Math.round((now - this.startedAt) / 100) / 10,
    };
  }
}

/**
 * Until the application runs: `/health` is 200 (the process is alive), `/health/ready` and
 * everything else 503 with the current step. Afterwards it steps aside.
 */
export function startupGate(progress: StartupProgress) {
  return (request: IncomingMessage, response: ServerResponse, next: () => void): void => {
    if (progress.finished) return next();
    const path = (request.url ?? '/').split('?')[0];
    const live = path === '/health';
    response.statusCode = live ? 200 : 503;
    response.setHeader('content-type', 'application/json; charset=utf-8');
    if (!live) response.setHeader('retry-after', '1');
    response.end(JSON.stringify({ status: live ? 'ok' : 'starting', ...progress.report() }));
  };
}
