import { ConsoleSessions, SESSION_SECONDS, sessionCookieOf } from './console-session.js';

const tokens = [
  { name: 'alice', role: 'operator' as const, token: 'alice-secret-token-0123' },
  { name: 'bob', role: 'read' as const, token: 'bob-secret-token-456789' },
];
const NOW = Date.UTC(2026, 11, 7, 6, 0, 0);

describe('console sessions', () => {
  const sessions = new ConsoleSessions(tokens);

  it('signs in with a known token and refuses any other text', () => {
    expect(sessions.signIn('alice-secret-token-0123')).toEqual({ name: 'alice', role: 'operator' });
    expect(sessions.signIn('bob-secret-token-456789')).toEqual({ name: 'bob', role: 'read' });
    expect(sessions.signIn('alice-secret-token-012')).toBeNull();
    expect(sessions.signIn('')).toBeNull();
  });

  it('issues a cookie that names the token, never contains it, and verifies until it expires', () => {
    const cookie = sessions.issue({ name: 'alice', role: 'operator' }, NOW);
    expect(cookie).toMatch(/^alice\.\d+\.[A-Za-z0-9_-]{43}$/);
    expect(cookie).not.toContain('secret');
    expect(sessions.verify(cookie, NOW)).toEqual({ name: 'alice', role: 'operator' });
    expect(sessions.verify(cookie, NOW + SESSION_SECONDS * 1000 - 1000)).not.toBeNull();
    expect(sessions.verify(cookie, NOW + SESSION_SECONDS * 1000)).toBeNull();
  });

  it('refuses a cookie whose name, expiry or signature was changed', () => {
    const cookie = sessions.issue({ name: 'bob', role: 'read' }, NOW);
    const [name, expires, signature] = cookie.split('.') as [string, string, string];
    expect(sessions.verify(`alice.${expires}.${signature}`, NOW)).toBeNull();
    expect(sessions.verify(`${name}.${Number(expires) + 3600}.${signature}`, NOW)).toBeNull();
    expect(sessions.verify(`${name}.${expires}.${signature.slice(0, -1)}${signature.endsWith('A') ? 'B' : 'A'}`, NOW)).toBeNull();
    expect(sessions.verify(undefined, NOW)).toBeNull();
    expect(sessions.verify('garbage', NOW)).toBeNull();
  });

  it('ends every session of a token when the token is replaced', () => {
    const cookie = sessions.issue({ name: 'alice', role: 'operator' }, NOW);
    const rotated = new ConsoleSessions([{ name: 'alice', role: 'operator', token: 'alice-new-token-98765' }]);
    expect(rotated.verify(cookie, NOW)).toBeNull();
  });

  it("binds the CSRF token to the session: another session's token does not match", () => {
    const first = sessions.issue({ name: 'alice', role: 'operator' }, NOW);
    const second = sessions.issue({ name: 'alice', role: 'operator' }, NOW + 1000 * 60);
    const csrf = sessions.csrfTokenOf(first);
    expect(sessions.csrfMatches(first, csrf)).toBe(true);
    expect(sessions.csrfMatches(second, csrf)).toBe(false);
    expect(sessions.csrfMatches(first, undefined)).toBe(false);
    expect(sessions.csrfMatches(first, `${csrf}x`)).toBe(false);
  });

  it('finds the session cookie among others in a Cookie header', () => {
    expect(sessionCookieOf('a=1; rb_console=alice.1.sig; b=2')).toBe('alice.1.sig');
    expect(sessionCookieOf('rb_consolex=1')).toBeUndefined();
    expect(sessionCookieOf(undefined)).toBeUndefined();
  });
});
