/** /api/v1/subscriptions: UXR endpoints subscribed to hosted VPCs, and where each one's delivery stands. */
import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../common/audit/audit.js';
import { RequestActor } from '../common/http/principal.js';
import { IdParam } from '../common/http/id-param.js';
import { ListQueryDto } from './inventory/inventory.dto.js';
import { CreateSubscriptionDto, UpdateSubscriptionDto } from './subscriptions.dto.js';
import { SubscriptionsService } from './subscriptions.service.js';

@ApiTags('subscriptions')
@ApiBearerAuth()
@Controller('subscriptions')
export class SubscriptionsController {
  constructor(private readonly subscriptions: SubscriptionsService) {}

  @Get()
  @ApiOperation({ summary: 'Subscriptions with their delivery state per VPC (the secret is never returned)' })
  list(@Query() query: ListQueryDto) {
    return this.subscriptions.list(query.limit ?? 100, query.offset ?? 0);
  }

  @Get(':id')
  @ApiOperation({
    summary: 'One subscription: per VPC the delivery state, the last acknowledged revision, the lag, failures and the last error',
  })
  get(@IdParam() id: number) {
    return this.subscriptions.get(id);
  }

  @Post()
  @ApiOperation({ summary: 'Subscribe a UXR endpoint to hosted VPCs; each VPC starts with a snapshot' })
  create(@RequestActor() actor: Actor, @Body() body: CreateSubscriptionDto) {
    return this.subscriptions.create(body, actor);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change the callback URL, the secret or the VPCs (added VPCs start with a snapshot)' })
  update(@RequestActor() actor: Actor, @IdParam() id: number, @Body() body: UpdateSubscriptionDto) {
    return this.subscriptions.update(id, body, actor);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Unsubscribe: deliveries stop' })
  async remove(@RequestActor() actor: Actor, @IdParam() id: number) {
    await this.subscriptions.remove(id, actor);
  }

  @Post(':id/resync')
  @HttpCode(202)
  @ApiOperation({ summary: 'Send every VPC of the subscription a fresh snapshot' })
  resync(@RequestActor() actor: Actor, @IdParam() id: number) {
    return this.subscriptions.resync(id, actor);
  }
}
