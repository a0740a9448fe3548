/** GET /api/v1/audit: the audit trail, newest first (docs/api.md "Audit trail"). Read tokens may read it. */
import { Controller, Get, Injectable, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsISO8601, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { DataSource } from 'typeorm';
import { invalidField } from '../common/http/errors.js';
import { listAuditRecords, type AuditRecordView } from '../common/audit/audit.js';

export type { AuditRecordView } from '../common/audit/audit.js';

export class AuditQueryDto {
  @ApiPropertyOptional({ description: "The API token's name" })
  @IsOptional()
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9._-]{0,62}$/, { message: 'actor must be a token name (1-63 characters of [a-z0-9._-])' })
  actor?: string;

  @ApiPropertyOptional({ description: 'e.g. host.create, bgp-session.update, frr.apply, drift.check, subscription.resync' })
  @IsOptional()
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9.-]{0,63}$/, { message: 'action must be like host.create (1-64 characters of [a-z0-9.-])' })
  action?: string;

  @ApiPropertyOptional({ description: 'e.g. host, bgp-session, subscription' })
  @IsOptional()
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9-]{0,63}$/, { message: 'entityType must be like bgp-session (1-64 characters of [a-z0-9-])' })
  entityType?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9._-]{1,64}$/, { message: 'entityId must be 1-64 characters of [A-Za-z0-9._-]' })
  entityId?: string;

  @ApiPropertyOptional({ description: 'ISO 8601 time: records at or after it' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'since must be an ISO 8601 time, e.g. 2026-05-01T00:00:00Z' })
  since?: string;

  @ApiPropertyOptional({ description: 'ISO 8601 time: records before it' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'until must be an ISO 8601 time, e.g. 2026-05-02T00:00:00Z' })
  until?: string;

  @ApiPropertyOptional({ description: 'The next page: records with a smaller id (pass the last id of the page before)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  before?: number;

  @ApiPropertyOptional({ default: 100, maximum: 1000 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;
}

@Injectable()
export class AuditService {
  constructor(private readonly dataSource: DataSource) {}

  /** Newest first (by id); keyset pages: `before` is the last id of the previous page. */
  async list(query: AuditQueryDto): Promise<AuditRecordView[]> {
    const since = query.since === undefined ? undefined : new Date(query.since);
    const until = query.until === undefined ? undefined : new Date(query.until);
    if (since && until && until <= since) throw invalidField('until', 'must be later than since');
    const { actor, action, entityType, entityId, before } = query;
    return listAuditRecords(this.dataSource.manager, {
      actor,
      action,
      entityType,
      entityId,
      since,
      until,
      before,
      limit: query.limit ?? 100,
    });
  }
}

@ApiTags('audit')
@ApiBearerAuth()
@Controller('audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @ApiOperation({
    summary:
      'Who changed what: every write through the API with the token name, role, request id and the object before and after (secrets redacted), newest first',
  })
  list(@Query() query: AuditQueryDto) {
    return this.audit.list(query);
  }
}
