import { Module } from '@nestjs/common';
import { HrmService } from './hrm.service.js';

/**
 * Hosted route manager (issue #6): pushes each hosted VPC's table to the UXR endpoints subscribed
 * to it — a snapshot, then ordered deltas — driven by BRM's change stream, never by polling.
 */
@Module({ providers: [HrmService], exports: [HrmService] })
export class HrmModule {}
