import { Module } from '@nestjs/common';
import { INVENTORY_CONTROLLERS } from './inventory/inventory.controllers.js';
import { InventoryService } from './inventory/inventory.service.js';

/** The operators' HTTP API under /api/v1: the inventory now; routes, applies and subscriptions later. */
@Module({ controllers: INVENTORY_CONTROLLERS, providers: [InventoryService] })
export class AdminModule {}
