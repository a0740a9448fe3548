import { Module } from '@nestjs/common';
import { HostConfigService } from '../frr-server/config/host-config.service.js';
import { HostConfigController } from './host-config.controller.js';
import { INVENTORY_CONTROLLERS } from './inventory/inventory.controllers.js';
import { InventoryService } from './inventory/inventory.service.js';

/** The operators' HTTP API under /api/v1: the inventory and rendered configuration; routes, applies and subscriptions later. */
@Module({ controllers: [...INVENTORY_CONTROLLERS, HostConfigController], providers: [InventoryService, HostConfigService] })
export class AdminModule {}
