import { MaxPrefixGuard } from './max-prefix.js';

/** The guard with the route table's part played by a set: which prefixes each session holds. */
class Held {
  readonly guard = new MaxPrefixGuard();
  private readonly prefixes = new Set<string>();

  admit(sessionId: number, prefix: string, limit: number | null, at: number) {
    const key = `${sessionId}|${prefix}`;
    const result = this.guard.admit(sessionId, prefix, this.prefixes.has(key), limit, at);
    if (result.admitted) this.prefixes.add(key);
    return result;
  }

  release(sessionId: number, prefix: string, limit: number | null, at: number) {
    const key = `${sessionId}|${prefix}`;
    if (!this.prefixes.delete(key)) return null;
    return this.guard.release(sessionId, prefix, limit, at);
  }

  holds(sessionId: number, prefix: string): boolean {
    return this.prefixes.has(`${sessionId}|${prefix}`);
  }

  count(sessionId: number): number {
    return this.guard.count(sessionId);
  }

  isOverLimit(sessionId: number): boolean {
    return this.guard.isOverLimit(sessionId);
  }
}

describe('MaxPrefixGuard', () => {
  it('refuses new prefixes past the limit, keeps the held ones, and alerts once when crossing', () => {
    const guard = new Held();
    expect(guard.admit(1, 'a', 2, 10)).toEqual({ admitted: true, alert: null });
    expect(guard.admit(1, 'b', 2, 11)).toEqual({ admitted: true, alert: null });
    expect(guard.isOverLimit(1)).toBe(false);

    const first = guard.admit(1, 'c', 2, 12);
    expect(first).toEqual({
      admitted: false,
      rejection: { accepted: false, reason: 'max-prefix', detail: 'session 1 already holds 2 prefixes (limit 2); c refused' },
      alert: { kind: 'max-prefix-exceeded', sessionId: 1, limit: 2, count: 2, prefix: 'c', at: 12 },
    });
    expect(guard.isOverLimit(1)).toBe(true);
    // Further refusals: no second alert.
    expect(guard.admit(1, 'd', 2, 13)).toMatchObject({ admitted: false, alert: null });
    expect(guard.admit(1, 'c', 2, 14)).toMatchObject({ admitted: false, alert: null });
    // What the session holds stays and may be announced again.
    expect(guard.admit(1, 'a', 2, 15)).toEqual({ admitted: true, alert: null });
    expect(guard.count(1)).toBe(2);
    expect(guard.holds(1, 'b')).toBe(true);
    expect(guard.holds(1, 'c')).toBe(false);
  });

  it('clears the mark when dropping below the limit, and the next crossing alerts again', () => {
    const guard = new Held();
    guard.admit(1, 'a', 1, 0);
    expect(guard.admit(1, 'b', 1, 1).alert?.kind).toBe('max-prefix-exceeded');
    expect(guard.release(1, 'unknown', 1, 2)).toBeNull();
    expect(guard.release(1, 'a', 1, 3)).toEqual({ kind: 'max-prefix-cleared', sessionId: 1, limit: 1, count: 0, prefix: 'a', at: 3 });
    expect(guard.isOverLimit(1)).toBe(false);
    expect(guard.admit(1, 'b', 1, 4)).toEqual({ admitted: true, alert: null });
    expect(guard.admit(1, 'c', 1, 5).alert?.kind).toBe('max-prefix-exceeded');
  });

  it('a release that stays at the limit does not clear the mark (limit lowered below the count)', () => {
    const guard = new Held();
    for (const prefix of ['a', 'b', 'c']) guard.admit(1, prefix, 5, 0);
    expect(guard.admit(1, 'd', 2, 1)).toMatchObject({ admitted: false, alert: { kind: 'max-prefix-exceeded', count: 3, limit: 2 } });
    expect(guard.release(1, 'a', 2, 2)).toBeNull();
    expect(guard.isOverLimit(1)).toBe(true);
    expect(guard.release(1, 'b', 2, 3)).toMatchObject({ kind: 'max-prefix-cleared', count: 1 });
  });

  it('a raised limit clears the mark at the next admission', () => {
    const guard = new Held();
    guard.admit(1, 'a', 1, 0);
    guard.admit(1, 'b', 1, 1);
    expect(guard.admit(1, 'b', 10, 2)).toEqual({
      admitted: true,
      alert: { kind: 'max-prefix-cleared', sessionId: 1, limit: 10, count: 1, prefix: 'b', at: 2 },
    });
    expect(guard.isOverLimit(1)).toBe(false);
  });

  it('null is unlimited, 0 admits nothing, and sessions are counted separately', () => {
    const guard = new Held();
    for (let i = 0; i < 100; i++) expect(guard.admit(1, `p${i}`, null, 0).admitted).toBe(true);
    expect(guard.admit(2, 'p0', 0, 0)).toMatchObject({ admitted: false, alert: { kind: 'max-prefix-exceeded', count: 0 } });
    expect(guard.count(1)).toBe(100);
    expect(guard.count(2)).toBe(0);
    expect(guard.guard.overLimitSessions()).toEqual([2]);
  });

  it('restores counts and marks', () => {
    const guard = new MaxPrefixGuard();
    guard.restore(3, 2, true);
    expect(guard.count(3)).toBe(2);
    expect(guard.admit(3, 'c', false, 2, 0)).toMatchObject({ admitted: false, alert: null });
    expect(guard.admit(3, 'a', true, 2, 0)).toEqual({ admitted: true, alert: null });
    expect(guard.release(3, 'a', 2, 1)?.kind).toBe('max-prefix-cleared');
    expect(guard.count(3)).toBe(1);
  });

  it('a release for a session that holds nothing changes nothing', () => {
    const guard = new MaxPrefixGuard();
    expect(guard.release(4, 'a', 1, 0)).toBeNull();
    expect(guard.count(4)).toBe(0);
  });
});
