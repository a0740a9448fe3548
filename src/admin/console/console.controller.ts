/**
 * The web console under /console: server-rendered pages over the same services as the API, with
 * a small script for what must be live (docs/console.md). Reads need a session of any role;
 * actions (apply, dry-run, drift check) the operator role and the session's CSRF token.
 */
import { Body, Controller, Get, NotFoundException, Param, Post, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { actorOf } from '../../common/http/principal.js';
import { Public } from '../../common/http/auth.guard.js';
import { ConsoleSessions, SESSION_COOKIE, SESSION_SECONDS } from '../../common/http/console-session.js';
import { invalidField } from '../../common/http/errors.js';
import { IdParam } from '../../common/http/id-param.js';
import type { RejectReason } from '../../common/policy/import-policy.js';
import type { RouteState } from '../../brm/vpc-routes.service.js';
import { FrrApplyService } from '../../frr-server/apply/frr-apply.service.js';
import { HostConfigService, redactPasswords } from '../../frr-server/config/host-config.service.js';
import { HostDriftService } from '../../frr-server/drift/drift.service.js';
import { AuditService } from '../audit.controller.js';
import { InventoryService } from '../inventory/inventory.service.js';
import { ConsoleAuthGuard, ConsoleExceptionFilter, pageSession, safeReturnPath, setPageHeaders } from './console-auth.js';
import { ConsoleService } from './console.service.js';
import { consoleAsset, renderPage } from './console-views.js';

const ROUTES_PER_PAGE = 200;
const STATES: readonly RouteState[] = ['active', 'stale', 'standby'];

type QueryText = Record<string, unknown>;

/** A query field as text; an empty form field counts as not given. */
function text(query: QueryText, field: string): string | undefined {
  const value = query[field];
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string' || value.length > 64) throw invalidField(field, 'must be one short value');
  return value.trim();
}

function whole(query: QueryText, field: string, min = 0): number | undefined {
  const value = text(query, field);
  if (value === undefined) return undefined;
  if (!/^\d{1,15}$/.test(value) || Number(value) < min) throw invalidField(field, `must be a whole number of at least ${min}`);
  return Number(value);
}

/**
 * A time field: ISO 8601 with a zone, or as a browser's datetime-local input sends it
 * (`2026-12-07T03:10`, read as UTC: the console shows every time in UTC).
 */
function moment(query: QueryText, field: string): Date | undefined {
  const value = text(query, field);
  if (value === undefined) return undefined;
  const local = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d{1,3})?)?$/.test(value);
  const zoned = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d{1,3})?)?(Z|[+-]\d\d:\d\d)$/.test(value);
  const time = local ? new Date(`${value}Z`) : zoned ? new Date(value) : null;
  if (time === null || Number.isNaN(time.getTime()))
    throw invalidField(field, 'must be a time like 2026-12-07T03:10 (UTC) or 2026-12-07T03:10:00Z');
  return time;
}

function oneOf<T extends string>(query: QueryText, field: string, allowed: readonly T[]): T | undefined {
  const value = text(query, field);
  if (value === undefined) return undefined;
  if (!allowed.includes(value as T)) throw invalidField(field, `must be one of ${allowed.join(', ')}`);
  return value as T;
}

function send(response: Response, template: string, context: object): void {
  setPageHeaders(response);
  response.send(renderPage(template, { now: Date.now(), ...context }));
}

/** Sign-in and sign-out: the only console pages reachable without a session. */
@ApiExcludeController()
@Public()
@UseFilters(ConsoleExceptionFilter)
@Controller('console')
export class ConsoleSignInController {
  constructor(private readonly sessions: ConsoleSessions) {}

  @Get('sign-in')
  signInPage(@Query('next') next: unknown, @Res() response: Response): void {
    send(response, 'sign-in.njk', { title: 'Sign in', next: safeReturnPath(next), problem: null });
  }

  @Post('sign-in')
  signIn(@Body() body: { token?: unknown; next?: unknown }, @Req() request: Request, @Res() response: Response): void {
    const principal = typeof body?.token === 'string' ? this.sessions.signIn(body.token.trim()) : null;
    if (principal === null) {
      response.status(401);
      send(response, 'sign-in.njk', {
        title: 'Sign in',
        next: safeReturnPath(body?.next),
        problem: 'That is not a token this route-broker knows.',
      });
      return;
    }
    response.cookie(SESSION_COOKIE, this.sessions.issue(principal, Date.now()), {
      httpOnly: true,
      sameSite: 'strict',
      secure: request.secure,
      path: '/',
      maxAge: SESSION_SECONDS * 1000,
    });
    response.redirect(303, safeReturnPath(body?.next));
  }

  @Post('sign-out')
  signOut(@Res() response: Response): void {
    // No CSRF check: the worst a forged sign-out does is ask for the token again.
    response.clearCookie(SESSION_COOKIE, { path: '/' });
    response.redirect(303, '/console/sign-in');
  }

  @Get('assets/:name')
  asset(@Param('name') name: string, @Res() response: Response): void {
    const asset = consoleAsset(name);
    if (!asset) throw new NotFoundException(`no console asset ${name}`);
    response.setHeader('Content-Type', asset.type);
    response.setHeader('Cache-Control', 'no-cache');
    response.setHeader('X-Content-Type-Options', 'nosniff');
    response.send(asset.body);
  }
}

@ApiExcludeController()
@Public()
@UseGuards(ConsoleAuthGuard)
@UseFilters(ConsoleExceptionFilter)
@Controller('console')
export class ConsoleController {
  constructor(
    private readonly sessions: ConsoleSessions,
    private readonly pages: ConsoleService,
    private readonly inventory: InventoryService,
    private readonly hostConfig: HostConfigService,
    private readonly drift: HostDriftService,
    private readonly applies: FrrApplyService,
    private readonly audit: AuditService,
  ) {}

  @Get()
  async overview(@Req() request: Request, @Res() response: Response): Promise<void> {
    send(response, 'overview.njk', { title: 'Overview', session: pageSession(request, this.sessions), ...(await this.pages.overview()) });
  }

  @Get('hosted-vpcs/:id')
  async vpc(@IdParam() id: number, @Query() query: QueryText, @Req() request: Request, @Res() response: Response): Promise<void> {
    const filter = { prefix: text(query, 'prefix'), state: oneOf(query, 'state', STATES) };
    const offset = whole(query, 'offset') ?? 0;
    const page = await this.pages.vpc(id, { ...filter, offset, limit: ROUTES_PER_PAGE });
    // The live script asks for just the part that changes.
    const template = text(query, 'part') === 'table' ? 'vpc-table.njk' : 'vpc.njk';
    send(response, template, {
      title: page.vpc.name,
      session: pageSession(request, this.sessions),
      ...page,
      filter,
      offset,
      perPage: ROUTES_PER_PAGE,
      states: STATES,
    });
  }

  @Get('hosted-vpcs/:id/refused')
  async refused(@IdParam() id: number, @Query() query: QueryText, @Req() request: Request, @Res() response: Response): Promise<void> {
    const filter = { prefix: text(query, 'prefix'), reason: text(query, 'reason') as RejectReason | undefined };
    const offset = whole(query, 'offset') ?? 0;
    const page = await this.pages.refused(id, { ...filter, offset, limit: ROUTES_PER_PAGE });
    send(response, 'refused.njk', {
      title: `${page.vpc.name}: refused`,
      session: pageSession(request, this.sessions),
      ...page,
      filter,
      offset,
      perPage: ROUTES_PER_PAGE,
    });
  }

  @Get('hosted-vpcs/:id/revisions')
  async revisions(@IdParam() id: number, @Query() query: QueryText, @Req() request: Request, @Res() response: Response): Promise<void> {
    // Two times instead of two revisions: each is the revision the table was at then.
    const fromTime = moment(query, 'fromTime');
    const toTime = moment(query, 'toTime');
    if ((fromTime === undefined) !== (toTime === undefined))
      throw invalidField(fromTime ? 'toTime' : 'fromTime', 'give both times, or neither');
    const times = fromTime && toTime ? await this.pages.revisionsAt(id, fromTime, toTime) : null;
    const from = times?.from ?? whole(query, 'from');
    const to = times?.to ?? whole(query, 'to');
    const page = await this.pages.revisions(id, { from, to, before: whole(query, 'before', 1) });
    send(response, 'revisions.njk', {
      title: `${page.vpc.name}: revisions`,
      session: pageSession(request, this.sessions),
      ...page,
      from: from ?? (page.current > 0 ? page.current - 1 : 0),
      to: to ?? page.current,
      times: fromTime && toTime ? { from: fromTime, to: toTime } : null,
      fromTime: text(query, 'fromTime') ?? '',
      toTime: text(query, 'toTime') ?? '',
    });
  }

  @Get('hosts/:id')
  async host(@IdParam() id: number, @Req() request: Request, @Res() response: Response): Promise<void> {
    const host = await this.inventory.get(this.inventory.hosts, id);
    let rendered: { frrConf: string; greSetup: string } | null = null;
    let renderProblem: string | null = null;
    try {
      const rendering = await this.hostConfig.render(id);
      rendered = { frrConf: redactPasswords(rendering.frrConf), greSetup: rendering.greSetup };
    } catch (error) {
      // A host whose inventory cannot be rendered still has a page: it says why.
      renderProblem = error instanceof Error ? error.message : String(error);
    }
    send(response, 'host.njk', {
      title: host.name,
      session: pageSession(request, this.sessions),
      host,
      rendered,
      renderProblem,
      drift: await this.drift.latest(id),
      applies: await this.applies.list(id, 20, 0),
    });
  }

  @Post('hosts/:id/apply')
  async apply(@IdParam() id: number, @Body() body: { mode?: unknown }, @Req() request: Request, @Res() response: Response): Promise<void> {
    if (body?.mode !== 'dry-run' && body?.mode !== 'apply') throw invalidField('mode', 'must be dry-run or apply');
    const record = await this.applies.apply(id, { dryRun: body.mode === 'dry-run', actor: actorOf(request) });
    response.redirect(303, `/console/applies/${record.id}`);
  }

  @Post('hosts/:id/drift-check')
  async driftCheck(@IdParam() id: number, @Req() request: Request, @Res() response: Response): Promise<void> {
    await this.drift.checkNow(id, actorOf(request));
    response.redirect(303, `/console/hosts/${id}#drift`);
  }

  @Get('applies/:id')
  async applyRecord(@IdParam() id: number, @Req() request: Request, @Res() response: Response): Promise<void> {
    const record = await this.applies.get(id);
    const host = await this.inventory.get(this.inventory.hosts, record.hostId);
    send(response, 'apply.njk', { title: `Apply ${record.id}`, session: pageSession(request, this.sessions), record, host });
  }

  @Get('audit')
  async auditTrail(@Query() query: QueryText, @Req() request: Request, @Res() response: Response): Promise<void> {
    const filter = { actor: text(query, 'actor'), entityType: text(query, 'entityType'), action: text(query, 'action') };
    const records = await this.audit.list({ ...filter, limit: 100 });
    send(response, 'audit.njk', { title: 'Audit trail', session: pageSession(request, this.sessions), records, filter });
  }
}
