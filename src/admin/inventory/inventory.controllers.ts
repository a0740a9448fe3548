/** /api/v1 inventory endpoints: thin adapters from HTTP to InventoryService. */
import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../../common/audit/audit.js';
import { RequestActor } from '../../common/http/principal.js';
import type { BgpSessionEntity } from '../../common/inventory/inventory.entities.js';
import { IdParam } from '../../common/http/id-param.js';
import {
  CreateBgpSessionDto,
  CreateGreTunnelDto,
  CreateHostDto,
  CreateHostedVpcDto,
  CreatePeDto,
  CreateRegionDto,
  ListQueryDto,
  UpdateBgpSessionDto,
  UpdateGreTunnelDto,
  UpdateHostDto,
  UpdateHostedVpcDto,
  UpdatePeDto,
  UpdateRegionDto,
} from './inventory.dto.js';
import { InventoryService } from './inventory.service.js';
import { SessionWhatIfService } from './session-what-if.service.js';

@ApiTags('inventory')
@ApiBearerAuth()
@Controller('regions')
export class RegionsController {
  constructor(private readonly inventory: InventoryService) {}
  @Get() list(@Query() query: ListQueryDto) {
    return this.inventory.list(this.inventory.regions, query);
  }
  @Get(':id') get(@IdParam() id: number) {
    return this.inventory.get(this.inventory.regions, id);
  }
  @Post() create(@RequestActor() actor: Actor, @Body() body: CreateRegionDto) {
    return this.inventory.create(this.inventory.regions, body, actor);
  }
  @Patch(':id') update(@RequestActor() actor: Actor, @IdParam() id: number, @Body() body: UpdateRegionDto) {
    return this.inventory.update(this.inventory.regions, id, body, actor);
  }
  @Delete(':id') @HttpCode(204) remove(@RequestActor() actor: Actor, @IdParam() id: number) {
    return this.inventory.remove(this.inventory.regions, id, actor);
  }
}

@ApiTags('inventory')
@ApiBearerAuth()
@Controller('hosts')
export class HostsController {
  constructor(private readonly inventory: InventoryService) {}
  @Get() list(@Query() query: ListQueryDto) {
    return this.inventory.list(this.inventory.hosts, query);
  }
  @Get(':id') get(@IdParam() id: number) {
    return this.inventory.get(this.inventory.hosts, id);
  }
  @Post() create(@RequestActor() actor: Actor, @Body() body: CreateHostDto) {
    return this.inventory.create(this.inventory.hosts, body, actor);
  }
  @Patch(':id') update(@RequestActor() actor: Actor, @IdParam() id: number, @Body() body: UpdateHostDto) {
    return this.inventory.update(this.inventory.hosts, id, body, actor);
  }
  @Delete(':id') @HttpCode(204) remove(@RequestActor() actor: Actor, @IdParam() id: number) {
    return this.inventory.remove(this.inventory.hosts, id, actor);
  }
}

@ApiTags('inventory')
@ApiBearerAuth()
@Controller('pes')
export class PesController {
  constructor(private readonly inventory: InventoryService) {}
  @Get() list(@Query() query: ListQueryDto) {
    return this.inventory.list(this.inventory.pes, query);
  }
  @Get(':id') get(@IdParam() id: number) {
    return this.inventory.get(this.inventory.pes, id);
  }
  @Post() create(@RequestActor() actor: Actor, @Body() body: CreatePeDto) {
    return this.inventory.create(this.inventory.pes, body, actor);
  }
  @Patch(':id') update(@RequestActor() actor: Actor, @IdParam() id: number, @Body() body: UpdatePeDto) {
    return this.inventory.update(this.inventory.pes, id, body, actor);
  }
  @Delete(':id') @HttpCode(204) remove(@RequestActor() actor: Actor, @IdParam() id: number) {
    return this.inventory.remove(this.inventory.pes, id, actor);
  }
}

@ApiTags('inventory')
@ApiBearerAuth()
@Controller('hosted-vpcs')
export class HostedVpcsController {
  constructor(private readonly inventory: InventoryService) {}
  @Get() list(@Query() query: ListQueryDto) {
    return this.inventory.list(this.inventory.hostedVpcs, query);
  }
  @Get(':id') get(@IdParam() id: number) {
    return this.inventory.get(this.inventory.hostedVpcs, id);
  }
  @Post() create(@RequestActor() actor: Actor, @Body() body: CreateHostedVpcDto) {
    return this.inventory.create(this.inventory.hostedVpcs, body, actor);
  }
  @Patch(':id') update(@RequestActor() actor: Actor, @IdParam() id: number, @Body() body: UpdateHostedVpcDto) {
    return this.inventory.update(this.inventory.hostedVpcs, id, body, actor);
  }
  @Delete(':id') @HttpCode(204) remove(@RequestActor() actor: Actor, @IdParam() id: number) {
    return this.inventory.remove(this.inventory.hostedVpcs, id, actor);
  }
}

@ApiTags('inventory')
@ApiBearerAuth()
@Controller('gre-tunnels')
export class GreTunnelsController {
  constructor(private readonly inventory: InventoryService) {}
  @Get() list(@Query() query: ListQueryDto) {
    return this.inventory.list(this.inventory.tunnels, query);
  }
  @Get(':id') get(@IdParam() id: number) {
    return this.inventory.get(this.inventory.tunnels, id);
  }
  @Post() create(@RequestActor() actor: Actor, @Body() body: CreateGreTunnelDto) {
    return this.inventory.create(this.inventory.tunnels, body, actor);
  }
  @Patch(':id') update(@RequestActor() actor: Actor, @IdParam() id: number, @Body() body: UpdateGreTunnelDto) {
    return this.inventory.update(this.inventory.tunnels, id, body, actor);
  }
  @Delete(':id') @HttpCode(204) remove(@RequestActor() actor: Actor, @IdParam() id: number) {
    return this.inventory.remove(this.inventory.tunnels, id, actor);
  }
}

/** The MD5 password never leaves the database: the API only says whether one is set. */
export function sessionView(session: BgpSessionEntity) {
  const { md5Password, ...rest } = session;
  return { ...rest, md5PasswordSet: md5Password !== null && md5Password !== '' };
}

@ApiTags('inventory')
@ApiBearerAuth()
@Controller('bgp-sessions')
export class BgpSessionsController {
  constructor(
    private readonly inventory: InventoryService,
    private readonly whatIfs: SessionWhatIfService,
  ) {}
  @Get() async list(@Query() query: ListQueryDto) {
    return (await this.inventory.list(this.inventory.sessions, query)).map(sessionView);
  }
  @Get(':id') async get(@IdParam() id: number) {
    return sessionView(await this.inventory.get(this.inventory.sessions, id));
  }
  @Post() async create(@RequestActor() actor: Actor, @Body() body: CreateBgpSessionDto) {
    return sessionView(await this.inventory.create(this.inventory.sessions, body, actor));
  }
  @Patch(':id') async update(@RequestActor() actor: Actor, @IdParam() id: number, @Body() body: UpdateBgpSessionDto) {
    return sessionView(await this.inventory.update(this.inventory.sessions, id, body, actor));
  }
  @Delete(':id') @HttpCode(204) remove(@RequestActor() actor: Actor, @IdParam() id: number) {
    return this.inventory.remove(this.inventory.sessions, id, actor);
  }
  /** The PATCH body, checked as a PATCH would be; nothing is stored (docs/api.md, What-if). */
  @Post(':id/what-if') @HttpCode(200) whatIf(@IdParam() id: number, @Body() body: UpdateBgpSessionDto) {
    return this.whatIfs.whatIf(id, body);
  }
}

export const INVENTORY_CONTROLLERS = [
  RegionsController,
  HostsController,
  PesController,
  HostedVpcsController,
  GreTunnelsController,
  BgpSessionsController,
];
