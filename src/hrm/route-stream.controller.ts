/** GET /api/v1/hosted-vpcs/:id/route-stream: a VPC's route table as Server-Sent Events (see route-stream.service.ts). */
import { Controller, Get, Headers, Param, ParseIntPipe, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { invalidField, notFound } from '../common/http/errors.js';
import { RouteStreamService } from './route-stream.service.js';

const REVISION = /^\d{1,15}$/;

@ApiTags('route tables')
@ApiBearerAuth()
@Controller('hosted-vpcs')
export class RouteStreamController {
  constructor(private readonly streams: RouteStreamService) {}

  @Get(':id/route-stream')
  @ApiOperation({
    summary:
      'The VPC route table as Server-Sent Events: `snapshot` pages, then a `delta` per batch of changes; each event id is the revision. Reconnect with Last-Event-ID to get only what you missed (or a snapshot when this instance cannot replay it).',
  })
  @ApiHeader({ name: 'Last-Event-ID', required: false, description: 'the revision you hold' })
  @ApiQuery({ name: 'lastEventId', required: false, description: 'the same, for clients that cannot set headers' })
  async stream(
    @Param('id', new ParseIntPipe({ errorHttpStatusCode: 400 })) id: number,
    @Headers('last-event-id') header: string | undefined,
    @Query('lastEventId') query: string | undefined,
    @Res() response: Response,
  ): Promise<void> {
    const given = header ?? query;
    // An empty id is what a client sends after a snapshot it did not finish: start over.
    if (given !== undefined && given !== '' && !REVISION.test(given)) {
      throw invalidField('Last-Event-ID', `must be a revision (a whole number), got ${JSON.stringify(given.slice(0, 40))}`);
    }
    if (!(await this.streams.vpcExists(id))) throw notFound('hosted VPC', id);
    await this.streams.serve(id, given === undefined || given === '' ? null : Number(given), response);
  }
}
