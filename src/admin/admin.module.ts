import { Module } from '@nestjs/common';
import { ConsoleController, ConsoleSignInController } from './console/console.controller.js';
import { ConsoleService } from './console/console.service.js';
import { AuditController, AuditService } from './audit.controller.js';
import { AuditRetention } from './audit-retention.service.js';
import { FrrConfigModule } from '../frr-server/frr-config.module.js';
import { AppliesController, HostApplyController } from './frr-apply.controller.js';
import { HostConfigController } from './host-config.controller.js';
import { HostDriftController } from './host-drift.controller.js';
import { INVENTORY_CONTROLLERS } from './inventory/inventory.controllers.js';
import { InventoryService } from './inventory/inventory.service.js';
import { SessionWhatIfService } from './inventory/session-what-if.service.js';
import { VpcRoutesController } from './vpc-routes.controller.js';
import { InterconnectInstancesController } from './interconnect-instances.controller.js';
import { InterconnectInstancesService } from './interconnect-instances.service.js';
import { SubscriptionsController } from './subscriptions.controller.js';
import { SubscriptionsService } from './subscriptions.service.js';
import { VpcRoutesModule } from '../brm/vpc-routes.module.js';

/**
 * The operators' HTTP API under /api/v1: the inventory, rendered configuration, its applies and drift, the VPC route tables (read) and
 * the UXR subscriptions.
 */
@Module({
  imports: [FrrConfigModule, VpcRoutesModule],
  controllers: [
    ...INVENTORY_CONTROLLERS,
    HostConfigController,
    HostApplyController,
    AppliesController,
    HostDriftController,
    VpcRoutesController,
    SubscriptionsController,
    InterconnectInstancesController,
    AuditController,
    ConsoleSignInController,
    ConsoleController,
  ],
  providers: [
    InventoryService,
    SessionWhatIfService,
    SubscriptionsService,
    InterconnectInstancesService,
    AuditService,
    AuditRetention,
    ConsoleService,
  ],
})
export class AdminModule {}
