import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { FrrApplyEntity } from './apply/frr-apply.entity.js';
import { FrrApplyService } from './apply/frr-apply.service.js';
import { HostConfigService } from './config/host-config.service.js';
import { HostDriftReportEntity } from './drift/host-drift-report.entity.js';
import { HostDriftService } from './drift/drift.service.js';

/** The tables of the FRR configuration side: applies and drift history. */
export const FRR_CONFIG_ENTITIES = [FrrApplyEntity, HostDriftReportEntity];

/**
 * The FRR adapter's configuration side: render a host's config, apply it over SSH, check its
 * drift. It registers its own entities (DatabaseModule loads them: autoLoadEntities). Imported by
 * FrrServerModule (the periodic drift report) and AdminModule (the API), so a process with both
 * roles has one instance of each service. The DataSource and APP_CONFIG come from global modules.
 */
@Module({
  imports: [TypeOrmModule.forFeature(FRR_CONFIG_ENTITIES)],
  providers: [HostConfigService, FrrApplyService, HostDriftService],
  exports: [HostConfigService, FrrApplyService, HostDriftService],
})
export class FrrConfigModule {}
