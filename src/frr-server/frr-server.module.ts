import { Module } from '@nestjs/common';
import { BmpCollectorService } from './collector/bmp-collector.service.js';
import { CollectorControlService } from './collector/collector-control.service.js';
import { CollectorLivenessService } from './collector/collector-liveness.service.js';
import { DriftScheduler } from './drift/drift.service.js';
import { FrrConfigModule } from './frr-config.module.js';

/**
 * The FRR adapter's watch side: the BMP collector and the periodic drift report. The
 * configuration side (render, apply over SSH, drift checks) is FrrConfigModule's; it runs on
 * request through the admin API (src/admin/frr-apply.controller.ts, src/admin/host-drift.controller.ts),
 * and here for the drift report's rounds.
 */
@Module({
  imports: [FrrConfigModule],
  providers: [BmpCollectorService, CollectorControlService, CollectorLivenessService, DriftScheduler],
  exports: [BmpCollectorService],
})
export class FrrServerModule {}
