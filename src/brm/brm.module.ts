import { Module } from '@nestjs/common';
import { BrmService } from './brm.service.js';
import { CollectorLossWatch } from './collector-loss-watch.js';
import { RouteTableNotificationsModule } from './route-table-notifications.module.js';

/**
 * BGP route manager (issue #5): the hosted VPC route tables, built from bgp.route-events.v1 with
 * import policy, best path and graceful restart (src/brm/core), stored in MariaDB with a change
 * log, and announced on interconnect.route-updates.v1 through a transactional outbox.
 */
@Module({ imports: [RouteTableNotificationsModule], providers: [BrmService, CollectorLossWatch], exports: [BrmService] })
export class BrmModule {}
