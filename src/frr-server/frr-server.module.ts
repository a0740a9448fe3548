import { Module } from '@nestjs/common';
import { BmpCollectorService } from './collector/bmp-collector.service.js';

/**
 * The FRR adapter's watch side: the BMP collector. The configuration side (render, apply over
 * SSH) runs on request through the admin API (src/admin/frr-apply.controller.ts); the periodic
 * drift report (issue #4) is not built yet.
 */
@Module({ providers: [BmpCollectorService], exports: [BmpCollectorService] })
export class FrrServerModule {}
