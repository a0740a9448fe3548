import { Module } from '@nestjs/common';
import { RouteTableNotifications } from './route-table-notifications.service.js';

/**
 * BRM's expansion of its outbox notifications, loaded by every process (app.module.ts gives it to
 * the outbox relay) so that whichever process holds the relay lock can publish BRM's rows; BRM
 * tells it what each batch committed.
 */
@Module({ providers: [RouteTableNotifications], exports: [RouteTableNotifications] })
export class RouteTableNotificationsModule {}
