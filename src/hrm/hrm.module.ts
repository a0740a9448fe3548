import { Module } from '@nestjs/common';
import { VpcRoutesModule } from '../brm/vpc-routes.module.js';
import { HrmService } from './hrm.service.js';
import { RouteStreamController } from './route-stream.controller.js';
import { RouteStreamService } from './route-stream.service.js';
import { SnapshotSlots } from './snapshot-slots.js';
import { SubscriptionStore } from './subscription-store.js';

/**
 * Hosted route manager (issue #6): pushes each hosted VPC's table to the UXR endpoints subscribed
 * to it — a snapshot, then ordered deltas — driven by BRM's change stream, never by polling; and
 * serves the same as Server-Sent Events per VPC.
 */
@Module({
  imports: [VpcRoutesModule],
  controllers: [RouteStreamController],
  providers: [HrmService, RouteStreamService, SnapshotSlots, SubscriptionStore],
  exports: [HrmService],
})
export class HrmModule {}
