/**
 * The collector's heartbeat (docs/bmp.md "A collector that dies"): every few seconds this run
 * writes `bmp_collectors.last_seen_at` (the database's clock, so hosts' clocks do not matter).
 * BRM takes a run silent for longer than RB_BRM_COLLECTOR_LOST_AFTER_SECONDS for lost and says its
 * sessions down on its behalf (src/brm/collector-loss-watch.ts). A run that finds itself declared
 * lost was alive after all (the database was out of reach): it starts a new run and closes its
 * routers' connections, so that they report their sessions again instead of staying down.
 */
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Counter } from 'prom-client';
import { DataSource } from 'typeorm';
import { APP_CONFIG } from '../../common/config/config.module.js';
import type { AppConfig } from '../../common/config/config.js';
import { metricsRegistry } from '../../common/metrics.js';
import { PeriodicTask } from '../../common/runtime/periodic-task.js';
import { BmpCollectorService } from './bmp-collector.service.js';
import { registerCollectorRun, touchCollectorRun } from './collector-liveness.store.js';

const collectorRunsLost = new Counter({
  name: 'route_broker_bmp_runs_found_lost_total',
  help: 'Times this collector found its run declared lost by BRM (no heartbeat in time) while it was alive: it reconnected its routers under a new run',
  registers: [metricsRegistry],
});

@Injectable()
export class CollectorLivenessService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('BmpCollector');
  private readonly heartbeat: PeriodicTask;
  private failingSince: number | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly collector: BmpCollectorService,
  ) {
    this.heartbeat = new PeriodicTask(config.bmp.heartbeatSeconds * 1000, () => this.beat());
  }

  onApplicationBootstrap(): void {
    this.heartbeat.start({ now: true });
  }

  async onApplicationShutdown(): Promise<void> {
    // The row stays: BRM finds the run silent later and, its sessions already reported down by
    // the closed connections, only notes that it stopped.
    await this.heartbeat.stop();
  }

  /** One heartbeat; never throws. */
  private async beat(): Promise<void> {
    const run = this.collector.runId;
    try {
      // One UPDATE while all is well (no reads: an idle system must not poll the database). No row
      // matched: the first heartbeat of the run, or the run was declared lost (its heartbeat no
      // longer counts), which the INSERT tells apart.
      const { manager } = this.dataSource;
      const registered = (await touchCollectorRun(manager, run)) || (await registerCollectorRun(manager, run, this.config.instanceId));
      if (this.failingSince !== null) {
        this.logger.log(`collector heartbeat written again after ${Math.round((Date.now() - this.failingSince) / 1000)} s`);
        this.failingSince = null;
      }
      if (!registered) {
        const closed = this.collector.startNewRun();
        collectorRunsLost.inc();
        this.logger.error(
          `BRM declared collector run ${run} lost (no heartbeat in time) and said its sessions down: ` +
            `now run ${this.collector.runId}; closed ${closed} BMP connection(s) so that the routers report their sessions again`,
        );
      }
    } catch (error) {
      if (this.failingSince === null) {
        this.failingSince = Date.now();
        this.logger.error(
          `cannot write the collector heartbeat (${(error as Error).message}): if this lasts ${this.config.brm.collectorLostAfterSeconds} s, ` +
            `BRM takes run ${run} for lost and its routers will be reconnected once the database answers`,
        );
      }
    }
  }
}
