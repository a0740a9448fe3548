/**
 * When BRM may take a collector's silence for its death (src/brm/collector-loss-watch.ts). A
 * collector's heartbeat is missing either because it died or because the database was out of its
 * reach; if BRM itself could not reach the database either, every collector looks dead the moment
 * the database answers again, and declaring them lost would make every router dump its tables
 * again. So BRM judges only after it has itself seen the database without a gap for as long as the
 * silence allowed to a collector: after its own start, and after any outage of its own, the
 * collectors get that long to write their heartbeats first. Time is injected; no I/O here.
 */
export class SilenceJudge {
  private lastContact: number | null = null;
  private unbrokenSince: number | null = null;

  constructor(private readonly allowedSilenceMs: number) {}

  /** The database answered at `now`. */
  contact(now: number): void {
    if (this.lastContact === null || now - this.lastContact > this.allowedSilenceMs) this.unbrokenSince = now;
    this.lastContact = now;
  }

  /** Whether a run silent for the allowed time may be declared lost at `now`. */
  mayJudge(now: number): boolean {
    if (this.lastContact === null || this.unbrokenSince === null) return false;
    return now - this.lastContact <= this.allowedSilenceMs && now - this.unbrokenSince >= this.allowedSilenceMs;
  }
}
