import { Module } from '@nestjs/common';
import { BmpCollectorService } from './collector/bmp-collector.service.js';
import { CollectorControlService } from './collector/collector-control.service.js';
import { CollectorLivenessService } from './collector/collector-liveness.service.js';
import { HostConfigService } from './config/host-config.service.js';
import { DriftScheduler, HostDriftService } from './drift/drift.service.js';

/**
 * The FRR adapter's watch side: the BMP collector and the periodic drift report. The
 * configuration side (render, apply over SSH) runs on request through the admin API
 * (src/admin/frr-apply.controller.ts), as do the drift endpoints (src/admin/host-drift.controller.ts).
 */
@Module({
  providers: [BmpCollectorService, CollectorControlService, CollectorLivenessService, HostConfigService, HostDriftService, DriftScheduler],
  exports: [BmpCollectorService],
})
export class FrrServerModule {}
