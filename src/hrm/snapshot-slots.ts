/**
 * How many snapshots this process reads at once (RB_HRM_MAX_CONCURRENT_SNAPSHOTS), shared by UXR
 * deliveries and SSE streams: each snapshot holds a database connection while its pages go out.
 */
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '../common/config/config.module.js';
import type { AppConfig } from '../common/config/config.js';

@Injectable()
export class SnapshotSlots {
  private free: number;
  private readonly waiting: (() => void)[] = [];

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.free = config.hrm.maxConcurrentSnapshots;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.free > 0) this.free--;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.free++;
    }
  }
}
