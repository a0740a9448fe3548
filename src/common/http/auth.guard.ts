import {
  ForbiddenException,
  Injectable,
  SetMetadata,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { ApiTokens, mayAccess } from './api-tokens.js';
import { ConsoleSessions, sessionCookieOf } from './console-session.js';
import { setPrincipal } from './principal.js';

const PUBLIC = 'route-broker:public';
/** Marks a route as reachable without a token. Only /health uses it. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC, true);

@Injectable()
export class BearerAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: ApiTokens,
    private readonly sessions: ConsoleSessions,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC, [context.getHandler(), context.getClass()])) return true;
    const request = context.switchToHttp().getRequest<Request>();
    // A console session may read the API too (the console's live table is the SSE stream, and
    // EventSource cannot send an Authorization header); writes through the API need the token.
    const principal =
      this.tokens.principalOf(request.headers.authorization) ??
      (['GET', 'HEAD'].includes(request.method) ? this.sessions.verify(sessionCookieOf(request.headers.cookie), Date.now()) : null);
    if (principal === null) throw new UnauthorizedException('a valid bearer token is required (Authorization: Bearer <token>)');
    if (!mayAccess(principal.role, request.method))
      throw new ForbiddenException(`the ${principal.role} role may not ${request.method} here; an operator token is required`);
    setPrincipal(request, principal);
    return true;
  }
}
