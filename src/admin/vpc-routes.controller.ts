/** /api/v1 endpoints that read a hosted VPC's route table as BRM keeps it: routes, rejections, history, diff, per-session counters. */
import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import type { RejectReason } from '../common/policy/import-policy.js';
import { IdParam } from '../common/http/id-param.js';
import { ListQueryDto } from './inventory/inventory.dto.js';
import { VpcRoutesService, type RouteState } from '../brm/vpc-routes.service.js';

const STATES: readonly RouteState[] = ['active', 'stale', 'standby'];
/** Every reason import-policy.ts can give (the compiler checks the list is complete). */
const REASONS = Object.keys({
  'invalid-prefix': true,
  'default-route': true,
  'overlaps-vpc-cidr': true,
  'reserved-range': true,
  bogon: true,
  'prefix-length': true,
  'not-allowed': true,
  'max-prefix': true,
} satisfies Record<RejectReason, true>) as RejectReason[];

const PREFIX_DESCRIPTION = 'a CIDR: routes equal to it or inside it (45.64.0.0/16 matches 45.64.1.0/24)';

/** An optional non-negative (or positive) integer query parameter; a 400 names it. */
const IntParam =
  (min: number): PropertyDecorator =>
  (target, key) => {
    IsOptional()(target, key);
    Type(() => Number)(target, key);
    IsInt({ message: `${String(key)} must be an integer` })(target, key);
    Min(min, { message: `${String(key)} must be at least ${min}` })(target, key);
  };

export class VpcRoutesQueryDto extends ListQueryDto {
  @ApiPropertyOptional({
    enum: STATES,
    description: 'active: forwarding on a fresh path; stale: only on stale (graceful-restart) paths; standby: not forwarding',
  })
  @IsOptional()
  @IsIn(STATES, { message: `state must be one of ${STATES.join(', ')}` })
  state?: RouteState;

  @ApiPropertyOptional({ example: '45.64.0.0/16', description: PREFIX_DESCRIPTION })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  prefix?: string;

  @ApiPropertyOptional({ example: 3, description: 'routes with a path from this BGP session (any state)' })
  @IntParam(1)
  sessionId?: number;

  @ApiPropertyOptional({
    example: 42,
    description: 'the table as of this revision, rebuilt from the change log (400 beyond the current one)',
  })
  @IntParam(0)
  revision?: number;
}

export class RejectedRoutesQueryDto extends ListQueryDto {
  @ApiPropertyOptional({ example: 3 })
  @IntParam(1)
  sessionId?: number;

  @ApiPropertyOptional({ enum: REASONS })
  @IsOptional()
  @IsIn(REASONS, { message: `reason must be one of ${REASONS.join(', ')}` })
  reason?: RejectReason;

  @ApiPropertyOptional({ example: '45.64.0.0/16', description: PREFIX_DESCRIPTION })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  prefix?: string;
}

export class RouteChangesQueryDto {
  @ApiPropertyOptional({ default: 1, description: 'first revision (inclusive)' })
  @IntParam(1)
  fromRevision?: number;

  @ApiPropertyOptional({ description: 'last revision (inclusive); default the current one, 400 beyond it' })
  @IntParam(0)
  toRevision?: number;

  @ApiPropertyOptional({ example: '45.64.1.0/24', description: PREFIX_DESCRIPTION })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  prefix?: string;

  @ApiPropertyOptional({ default: 100, maximum: 1000 })
  @IntParam(1)
  @Max(1000, { message: 'limit must not be greater than 1000' })
  limit?: number;
}

export class RouteDiffQueryDto {
  @ApiProperty({ example: 10, description: 'the revision to diff from (0: the empty table)' })
  @Type(() => Number)
  @IsInt({ message: 'from must be an integer' })
  @Min(0, { message: 'from must be at least 0' })
  from!: number;

  @ApiProperty({ example: 12, description: 'the revision to diff to (may be lower than from)' })
  @Type(() => Number)
  @IsInt({ message: 'to must be an integer' })
  @Min(0, { message: 'to must be at least 0' })
  to!: number;
}

@ApiTags('route tables')
@ApiBearerAuth()
@Controller('hosted-vpcs')
export class VpcRoutesController {
  constructor(private readonly routes: VpcRoutesService) {}

  @Get(':id/routes')
  @ApiOperation({
    summary:
      "The VPC's route table in prefix order (family, address, length): { vpcId, revision, total, routes }; filters state, prefix (covering), sessionId; revision=N gives the table as of N",
  })
  list(@IdParam() id: number, @Query() query: VpcRoutesQueryDto) {
    return this.routes.routes(id, query);
  }

  @Get(':id/rejected-routes')
  @ApiOperation({
    summary:
      'Announcements the import policy or max-prefix refused and the peer still announces: prefix, session, reason, detail, attributes',
  })
  rejected(@IdParam() id: number, @Query() query: RejectedRoutesQueryDto) {
    return this.routes.rejected(id, query);
  }

  @Get(':id/route-changes')
  @ApiOperation({ summary: 'The change log (add, update, remove, reject; one revision each), ascending; continue at nextFromRevision' })
  changes(@IdParam() id: number, @Query() query: RouteChangesQueryDto) {
    return this.routes.changes(id, query);
  }

  @Get(':id/route-diff')
  @ApiOperation({ summary: 'What turns the table at revision `from` into the table at revision `to`, in prefix order' })
  diff(@IdParam() id: number, @Query() query: RouteDiffQueryDto) {
    return this.routes.diff(id, query.from, query.to);
  }

  @Get(':id/session-counters')
  @ApiOperation({
    summary:
      'Per configured BGP session of the VPC: phase, over its max-prefix or not, prefixes and paths held, stale paths, routes forwarding over it, rejections by reason',
  })
  sessionCounters(@IdParam() id: number) {
    return this.routes.sessionCounters(id);
  }
}
