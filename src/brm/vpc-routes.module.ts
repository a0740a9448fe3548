import { Module } from '@nestjs/common';
import { VpcRoutesService } from './vpc-routes.service.js';

/**
 * BRM's read model of the hosted VPC route tables (vpc-routes.service.ts), for the roles that read
 * them without running BRM: admin (the route-table API, the console, the session what-if) and HRM
 * (snapshots). It needs only the database (common/database), which every process has.
 */
@Module({ providers: [VpcRoutesService], exports: [VpcRoutesService] })
export class VpcRoutesModule {}
