/** /api/v1/interconnect-instances: a customer's hosted VPCs joined through the global interconnect service. */
import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../common/audit/audit.js';
import { RequestActor } from '../common/http/principal.js';
import { IdParam } from '../common/http/id-param.js';
import { CreateInterconnectInstanceDto, UpdateInterconnectInstanceDto } from './interconnect-instances.dto.js';
import { InterconnectInstancesService } from './interconnect-instances.service.js';
import { ListQueryDto } from './inventory/inventory.dto.js';

@ApiTags('subscriptions')
@ApiBearerAuth()
@Controller('interconnect-instances')
export class InterconnectInstancesController {
  constructor(private readonly instances: InterconnectInstancesService) {}

  @Get()
  @ApiOperation({ summary: 'Interconnect instances with their VPCs and the subscriptions following them' })
  list(@Query() query: ListQueryDto) {
    return this.instances.list(query.limit ?? 100, query.offset ?? 0);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One interconnect instance' })
  get(@IdParam() id: number) {
    return this.instances.get(id);
  }

  @Post()
  @ApiOperation({ summary: 'Create an interconnect instance over hosted VPCs of one owner' })
  create(@RequestActor() actor: Actor, @Body() body: CreateInterconnectInstanceDto) {
    return this.instances.create(body, actor);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change its VPCs: subscriptions following it start (with a snapshot) or stop the VPCs that joined or left' })
  update(@RequestActor() actor: Actor, @IdParam() id: number, @Body() body: UpdateInterconnectInstanceDto) {
    return this.instances.update(id, body, actor);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete it (409 while subscriptions follow it)' })
  async remove(@RequestActor() actor: Actor, @IdParam() id: number) {
    await this.instances.remove(id, actor);
  }
}
