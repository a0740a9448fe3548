/**
 * Who made an HTTP request, as BearerAuthGuard found it, and the request's id: what services are
 * given (as an Actor) to record in the audit trail. Kept off the request's own fields so nothing
 * else can set it.
 */
import { createParamDecorator, InternalServerErrorException, type ExecutionContext } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import type { Actor } from '../audit/audit.js';
import type { ApiPrincipal } from './api-tokens.js';

const principals = new WeakMap<object, ApiPrincipal>();

export function setPrincipal(request: IncomingMessage, principal: ApiPrincipal): void {
  principals.set(request, principal);
}

/** The principal the guard attached; null on a public route. */
export function principalOf(request: IncomingMessage): ApiPrincipal | null {
  return principals.get(request) ?? null;
}

/** pino-http's request id (the caller's X-Request-Id when it is sane, else a UUID; echoed in the response). */
export function requestIdOf(request: IncomingMessage): string | null {
  const id = (request as IncomingMessage & { id?: unknown }).id;
  return typeof id === 'string' || typeof id === 'number' ? String(id).slice(0, 128) : null;
}

/** The actor of a request that passed the guard; a 500 if a route without a token asks for one. */
export function actorOf(request: IncomingMessage): Actor {
  const principal = principalOf(request);
  if (!principal) throw new InternalServerErrorException('no authenticated principal on this request');
  return { name: principal.name, role: principal.role, requestId: requestIdOf(request) };
}

/** Controller parameter: the Actor of the request (`@RequestActor() actor: Actor`). */
export const RequestActor = createParamDecorator((_: unknown, context: ExecutionContext): Actor =>
  actorOf(context.switchToHttp().getRequest<IncomingMessage>()),
);
