/** /api/v1 endpoints that show a host's drift (what runs vs what route-broker would apply) and check it now. */
import { Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../common/audit/audit.js';
import { RequestActor } from '../common/http/principal.js';
import { IdParam } from '../common/http/id-param.js';
import { HostDriftService } from '../frr-server/drift/drift.service.js';
import { ListQueryDto } from './inventory/inventory.dto.js';

@ApiTags('configuration')
@ApiBearerAuth()
@Controller('hosts')
export class HostDriftController {
  constructor(private readonly drift: HostDriftService) {}

  @Get(':id/drift')
  @ApiOperation({
    summary:
      "The host's drift as last checked: status (in-sync, drifted, check-failed, never-checked), when checked, since when, and the report (config lines missing/extra, sessions not Established, tunnel problems)",
  })
  latest(@IdParam() id: number) {
    return this.drift.latest(id);
  }

  @Post(':id/drift-check')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Check the host for drift now over SSH and return the report; a history row is written only when the result differs from the previous one',
  })
  check(@RequestActor() actor: Actor, @IdParam() id: number) {
    // Writes need the operator role (BearerAuthGuard).
    return this.drift.checkNow(id, actor);
  }

  @Get(':id/drift-history')
  @ApiOperation({ summary: "The host's drift history, newest first: one row per change of what the checks found" })
  history(@IdParam() id: number, @Query() query: ListQueryDto) {
    return this.drift.history(id, query.limit ?? 100, query.offset ?? 0);
  }
}
