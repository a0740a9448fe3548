/**
 * Who may see and act in the console: the session cookie (common/http/console-session.ts) names
 * the token; the read role sees, the operator role also acts; every write carries the session's
 * CSRF token. A missing or expired session sends the browser to the sign-in page; any other error
 * becomes a page that says what went wrong (never a stack trace).
 */
import {
  Catch,
  ForbiddenException,
  HttpException,
  Injectable,
  Logger,
  type ArgumentsHost,
  type CanActivate,
  type ExceptionFilter,
  type ExecutionContext,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { mayAccess, type ApiPrincipal } from '../../common/http/api-tokens.js';
import { ConsoleSessions, sessionCookieOf } from '../../common/http/console-session.js';
import { principalOf, setPrincipal } from '../../common/http/principal.js';
import { renderPage } from './console-views.js';

/** Thrown when a console page is asked for without a valid session. */
export class SignInRequired extends Error {}

@Injectable()
export class ConsoleAuthGuard implements CanActivate {
  constructor(private readonly sessions: ConsoleSessions) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<Request>();
    const cookie = sessionCookieOf(request.headers.cookie);
    const principal = this.sessions.verify(cookie, Date.now());
    if (principal === null || cookie === undefined) throw new SignInRequired();
    if (!mayAccess(principal.role, request.method)) {
      throw new ForbiddenException(`the ${principal.role} role may look but not act; sign in with an operator token to do this`);
    }
    if (!['GET', 'HEAD'].includes(request.method)) {
      const body = request.body as { _csrf?: unknown } | undefined;
      const presented = body?._csrf ?? request.headers['x-csrf-token'];
      if (!this.sessions.csrfMatches(cookie, presented)) {
        throw new ForbiddenException(
          'this form did not come from your console session (or the session changed): reload the page and try again',
        );
      }
    }
    setPrincipal(request, principal);
    return true;
  }
}

/** What every page's layout needs: who is signed in and the CSRF token for its forms. */
export interface PageSession {
  principal: ApiPrincipal;
  csrf: string;
  mayAct: boolean;
}

export function pageSession(request: Request, sessions: ConsoleSessions): PageSession {
  const principal = principalOf(request);
  const cookie = sessionCookieOf(request.headers.cookie);
  if (!principal || cookie === undefined) throw new SignInRequired();
  return { principal, csrf: sessions.csrfTokenOf(cookie), mayAct: principal.role === 'operator' };
}

/** Headers of every console response: no caching of pages with customer data, scripts only from here. */
export function setPageHeaders(response: Response): void {
  response.setHeader('Content-Type', 'text/html; charset=utf-8');
  response.setHeader('Cache-Control', 'no-store');
  response.setHeader('X-Content-Type-Options', 'nosniff');
  response.setHeader('Referrer-Policy', 'same-origin');
  response.setHeader(
    'Content-Security-Policy',
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  );
}

/** Only a path of the console itself is a place to return to after signing in (no open redirect). */
export function safeReturnPath(path: unknown): string {
  return typeof path === 'string' && /^\/console(\/[^\\]*)?$/.test(path) && !path.startsWith('//') ? path : '/console';
}

@Catch()
export class ConsoleExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Console');

  catch(error: unknown, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<Request>();
    const response = host.switchToHttp().getResponse<Response>();
    if (response.headersSent) return;
    if (error instanceof SignInRequired) {
      const next = request.method === 'GET' ? `?next=${encodeURIComponent(safeReturnPath(request.originalUrl))}` : '';
      response.redirect(303, `/console/sign-in${next}`);
      return;
    }
    let status = 500;
    let message = 'something went wrong on the server; the log has the details (search for this request id)';
    if (error instanceof HttpException) {
      status = error.getStatus();
      const body = error.getResponse();
      const text = typeof body === 'object' && body !== null ? (body as { message?: unknown }).message : body;
      message = Array.isArray(text) ? text.join('; ') : typeof text === 'string' ? text : error.message;
    } else {
      this.logger.error(
        `console ${request.method} ${request.path} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
    }
    setPageHeaders(response);
    const principal = principalOf(request);
    response.status(status).send(
      renderPage('error.njk', {
        title: `${status}`,
        status,
        message,
        requestId: response.getHeader('X-Request-Id') ?? null,
        session: principal ? { principal, csrf: null, mayAct: false } : null,
      }),
    );
  }
}
