/**
 * Per-session maximum-prefix accounting. A session holds a set of distinct accepted prefixes
 * (several ADD-PATH paths of one prefix count once). Once it holds `limit` prefixes, NEW prefixes
 * are refused with `max-prefix` while the ones it already holds stay (re-announcing them is fine).
 * The first refusal marks the session over its limit and yields one `max-prefix-exceeded` alert;
 * further refusals yield none. When the count drops below the limit the mark clears with one
 * `max-prefix-cleared` alert, so the next crossing alerts again.
 *
 * Unlike a router's `maximum-prefix`, the session is not torn down: BRM only observes it.
 */
import type { ImportRejection } from './import-policy.js';

export interface MaxPrefixAlert {
  kind: 'max-prefix-exceeded' | 'max-prefix-cleared';
  sessionId: number;
  limit: number | null;
  /** Prefixes the session holds after the event. */
  count: number;
  /** The refused prefix (exceeded) or the released one (cleared). */
  prefix: string;
  at: number;
}

export type AdmitResult =
  { admitted: true; alert: MaxPrefixAlert | null } | { admitted: false; rejection: ImportRejection; alert: MaxPrefixAlert | null };

export class MaxPrefixGuard {
  private readonly held = new Map<number, Set<string>>();
  private readonly over = new Set<number>();

  /**
   * May `sessionId` hold `prefix`? `limit` null means unlimited; 0 means nothing. A prefix the
   * session already holds is always admitted. An alert can come with an admission too: a raised
   * limit clears the mark at the next admission.
   */
  admit(sessionId: number, prefix: string, limit: number | null, at: number): AdmitResult {
    let prefixes = this.held.get(sessionId);
    if (prefixes?.has(prefix)) return { admitted: true, alert: null };
    const count = prefixes?.size ?? 0;
    if (limit !== null && count >= limit) {
      const crossing = !this.over.has(sessionId);
      this.over.add(sessionId);
      return {
        admitted: false,
        rejection: {
          accepted: false,
          reason: 'max-prefix',
          detail: `session ${sessionId} already holds ${count} prefixes (limit ${limit}); ${prefix} refused`,
        },
        alert: crossing ? { kind: 'max-prefix-exceeded', sessionId, limit, count, prefix, at } : null,
      };
    }
    if (!prefixes) {
      prefixes = new Set();
      this.held.set(sessionId, prefixes);
    }
    // A limit raised since the mark was set: admitting means we are below it again.
    const alert = this.over.delete(sessionId) ? { kind: 'max-prefix-cleared' as const, sessionId, limit, count, prefix, at } : null;
    prefixes.add(prefix);
    return { admitted: true, alert };
  }

  /** The session no longer has any path for `prefix`. Returns the cleared alert when the count drops below the limit. */
  release(sessionId: number, prefix: string, limit: number | null, at: number): MaxPrefixAlert | null {
    const prefixes = this.held.get(sessionId);
    if (!prefixes?.delete(prefix)) return null;
    if (prefixes.size === 0) this.held.delete(sessionId);
    if (this.over.has(sessionId) && (limit === null || prefixes.size < limit)) {
      this.over.delete(sessionId);
      return { kind: 'max-prefix-cleared', sessionId, limit, count: prefixes.size, prefix, at };
    }
    return null;
  }

  count(sessionId: number): number {
    return this.held.get(sessionId)?.size ?? 0;
  }

  holds(sessionId: number, prefix: string): boolean {
    return this.held.get(sessionId)?.has(prefix) ?? false;
  }

  isOverLimit(sessionId: number): boolean {
    return this.over.has(sessionId);
  }

  /** Restore from storage: the prefixes a session holds (from its stored paths) and whether it was marked. */
  restore(sessionId: number, prefixes: Iterable<string>, overLimit: boolean): void {
    const set = new Set(prefixes);
    if (set.size > 0) this.held.set(sessionId, set);
    else this.held.delete(sessionId);
    if (overLimit) this.over.add(sessionId);
    else this.over.delete(sessionId);
  }

  /** Sessions marked over their limit, ascending. */
  overLimitSessions(): number[] {
    return [...this.over].sort((a, b) => a - b);
  }
}
