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
import { MAX_PREFIX_CLEARED, MAX_PREFIX_EXCEEDED, type MaxPrefixAlertData } from '../../common/events/vpc-events.js';
import type { ImportRejection } from '../../common/policy/import-policy.js';

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
  /**
   * Distinct prefixes each session holds. Which ones is the route table's to know (a prefix is held
   * while the session has a path for it): a second set of a full table's prefixes cost a hash
   * lookup and insertion per route and about 50 MB.
   */
  private readonly counts = new Map<number, number>();
  private readonly over = new Set<number>();

  /**
   * May `sessionId` hold `prefix`? `held` says whether it already does (then it is always
   * admitted). `limit` null means unlimited; 0 means nothing. An alert can come with an admission
   * too: a raised limit clears the mark at the next admission.
   */
  admit(sessionId: number, prefix: string, held: boolean, limit: number | null, at: number): AdmitResult {
    if (held) return { admitted: true, alert: null };
    const count = this.counts.get(sessionId) ?? 0;
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
    // A limit raised since the mark was set: admitting means we are below it again.
    const alert = this.over.delete(sessionId) ? { kind: 'max-prefix-cleared' as const, sessionId, limit, count, prefix, at } : null;
    this.counts.set(sessionId, count + 1);
    return { admitted: true, alert };
  }

  /**
   * The session no longer has any path for `prefix`, which it held. Returns the cleared alert when
   * the count drops below the limit.
   */
  release(sessionId: number, prefix: string, limit: number | null, at: number): MaxPrefixAlert | null {
    const held = this.counts.get(sessionId);
    if (held === undefined) return null;
    const count = held - 1;
    if (count === 0) this.counts.delete(sessionId);
    else this.counts.set(sessionId, count);
    if (this.over.has(sessionId) && (limit === null || count < limit)) {
      this.over.delete(sessionId);
      return { kind: 'max-prefix-cleared', sessionId, limit, count, prefix, at };
    }
    return null;
  }

  count(sessionId: number): number {
    return this.counts.get(sessionId) ?? 0;
  }

  isOverLimit(sessionId: number): boolean {
    return this.over.has(sessionId);
  }

  /** Restore from storage: how many prefixes a session holds (from its stored paths) and whether it was marked. */
  restore(sessionId: number, count: number, overLimit: boolean): void {
    if (count > 0) this.counts.set(sessionId, count);
    else this.counts.delete(sessionId);
    if (overLimit) this.over.add(sessionId);
    else this.over.delete(sessionId);
  }

  /** Sessions marked over their limit, ascending. */
  overLimitSessions(): number[] {
    return [...this.over].sort((a, b) => a - b);
  }
}

/** An alert as the alerts topic carries it (keyed by session): its CloudEvents type, subject and data. */
export function maxPrefixAlertEvent(vpcId: number, alert: MaxPrefixAlert): { type: string; subject: string; data: MaxPrefixAlertData } {
  return {
    type: alert.kind === 'max-prefix-exceeded' ? MAX_PREFIX_EXCEEDED : MAX_PREFIX_CLEARED,
    subject: `session/${alert.sessionId}`,
    data: {
      vpcId,
      sessionId: alert.sessionId,
      limit: alert.limit,
      count: alert.count,
      prefix: alert.prefix,
      at: new Date(alert.at).toISOString(),
    },
  };
}
