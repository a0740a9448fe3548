import { Module } from '@nestjs/common';
import { FrrApplyService } from '../frr-server/apply/frr-apply.service.js';
import { HostConfigService } from '../frr-server/config/host-config.service.js';
import { AppliesController, HostApplyController } from './frr-apply.controller.js';
import { HostConfigController } from './host-config.controller.js';
import { INVENTORY_CONTROLLERS } from './inventory/inventory.controllers.js';
import { InventoryService } from './inventory/inventory.service.js';

/** The operators' HTTP API under /api/v1: the inventory, rendered configuration and its applies; routes and subscriptions later. */
@Module({
  controllers: [...INVENTORY_CONTROLLERS, HostConfigController, HostApplyController, AppliesController],
  providers: [InventoryService, HostConfigService, FrrApplyService],
})
export class AdminModule {}
