/**
 * The web console's sign-in: an operator pastes an API token once; the browser then holds a
 * session cookie that names the token and when it expires, signed with a key derived from that
 * token. The token itself never reaches a cookie, a URL or a log, no server-side state is kept
 * (any instance verifies any session), and replacing a token ends every session signed with it.
 *
 * Writes from the console also carry a CSRF token bound to the session (`csrfTokenOf`); the
 * cookie is SameSite=Strict as a second line.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { ApiPrincipal, NamedToken } from './api-tokens.js';

export const SESSION_COOKIE = 'rb_console';
/** A console session lasts a working shift; sign in again after it. */
export const SESSION_SECONDS = 12 * 3600;

interface SessionKey {
  principal: ApiPrincipal;
  key: Buffer;
  digest: Buffer;
}

export class ConsoleSessions {
  private readonly byName = new Map<string, SessionKey>();

  constructor(tokens: readonly NamedToken[]) {
    for (const { name, role, token } of tokens) {
      this.byName.set(name, {
        principal: { name, role },
        // A key of its own, so a session signature says nothing usable about the token.
        key: createHmac('sha256', token).update('route-broker console session v1').digest(),
        digest: sha256(token),
      });
    }
  }

  /** Who a pasted token belongs to, or null. Compares every candidate so timing does not say which matched. */
  signIn(token: string): ApiPrincipal | null {
    const presented = sha256(token);
    let found: ApiPrincipal | null = null;
    for (const candidate of this.byName.values()) {
      if (timingSafeEqual(candidate.digest, presented)) found = candidate.principal;
    }
    return found;
  }

  /** The cookie value of a new session: `name.expiry.signature`. */
  issue(principal: ApiPrincipal, nowMs: number): string {
    const session = this.byName.get(principal.name);
    if (!session) throw new Error(`no token named ${principal.name}`);
    const expires = Math.floor(nowMs / 1000) + SESSION_SECONDS;
    const body = `${principal.name}.${expires}`;
    return `${body}.${sign(session.key, `session|${body}`)}`;
  }

  /** The principal of a session cookie value, or null when it is malformed, forged, expired or its token is gone. */
  verify(cookieValue: string | undefined, nowMs: number): ApiPrincipal | null {
    const parts = /^([a-z0-9][a-z0-9._-]{0,62})\.(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(cookieValue ?? '');
    if (!parts) return null;
    const [, name, expires, signature] = parts as unknown as [string, string, string, string];
    const session = this.byName.get(name);
    if (!session) return null;
    if (!sameText(sign(session.key, `session|${name}.${expires}`), signature)) return null;
    return Number(expires) * 1000 > nowMs ? session.principal : null;
  }

  /** The CSRF token of a (verified) session: forms and scripts send it back with every write. */
  csrfTokenOf(cookieValue: string): string {
    const name = cookieValue.slice(0, cookieValue.indexOf('.'));
    const session = this.byName.get(name);
    if (!session) throw new Error('csrfTokenOf needs a verified session');
    return sign(session.key, `csrf|${cookieValue}`);
  }

  /** Whether a write's CSRF token belongs to this session. */
  csrfMatches(cookieValue: string, presented: unknown): boolean {
    return typeof presented === 'string' && sameText(this.csrfTokenOf(cookieValue), presented);
  }
}

/** The session cookie's value from a Cookie header, or undefined. */
export function sessionCookieOf(cookieHeader: string | undefined): string | undefined {
  for (const pair of (cookieHeader ?? '').split(';')) {
    const at = pair.indexOf('=');
    if (at > 0 && pair.slice(0, at).trim() === SESSION_COOKIE) return pair.slice(at + 1).trim();
  }
  return undefined;
}

function sign(key: Buffer, text: string): string {
  return createHmac('sha256', key).update(text, 'utf8').digest('base64url');
}

function sameText(expected: string, presented: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(presented);
  return a.length === b.length && timingSafeEqual(a, b);
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
