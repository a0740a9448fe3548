/** /api/v1 endpoints that apply a host's rendered FRR configuration and read the apply history. */
import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsBoolean } from 'class-validator';
import type { Actor } from '../common/audit/audit.js';
import { RequestActor } from '../common/http/principal.js';
import { IdParam } from '../common/http/id-param.js';
import { FrrApplyService } from '../frr-server/apply/frr-apply.service.js';
import { ListQueryDto } from './inventory/inventory.dto.js';

export class ApplyRequestDto {
  @ApiProperty({ description: 'true: validate and show the diff (frr-reload --test), change nothing' })
  @IsBoolean({ message: 'dryRun must be true or false' })
  dryRun!: boolean;
}

@ApiTags('configuration')
@ApiBearerAuth()
@Controller('hosts')
export class HostApplyController {
  constructor(private readonly applies: FrrApplyService) {}

  @Post(':id/apply')
  @HttpCode(200)
  @ApiOperation({
    summary:
      "Apply the host's rendered FRR configuration over SSH (or dry-run it): validate, reload incrementally, verify, roll back on failure. Returns the apply record.",
  })
  apply(@RequestActor() actor: Actor, @IdParam() id: number, @Body() body: ApplyRequestDto) {
    // Writes need the operator role (BearerAuthGuard); the record names the token that asked.
    return this.applies.apply(id, { dryRun: body.dryRun, actor });
  }

  @Get(':id/applies')
  @ApiOperation({ summary: "The host's applies, newest first" })
  list(@IdParam() id: number, @Query() query: ListQueryDto) {
    return this.applies.list(id, query.limit ?? 100, query.offset ?? 0);
  }
}

@ApiTags('configuration')
@ApiBearerAuth()
@Controller('applies')
export class AppliesController {
  constructor(private readonly applies: FrrApplyService) {}

  @Get(':id')
  @ApiOperation({ summary: 'One apply record, with its steps' })
  get(@IdParam() id: number) {
    return this.applies.get(id);
  }
}
