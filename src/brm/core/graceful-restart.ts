/**
 * Graceful restart (RFC 4724, receiving side) per BGP session, with time injected by the caller.
 *
 *   established --down, GR--> restarting --up--> recovering --(nothing stale left)--> established
 *        |                       |                   |
 *        |                       '--deadline: withdraw still-stale-----> down / established
 *        '--down, no GR (restart time 0, or not graceful)--> down: every path withdrawn at once
 *
 * On session down every path of the session becomes stale with deadline = now + restart time;
 * a path that is already stale keeps its earlier deadline, so a flapping session cannot keep stale
 * routes forever. The deadline stays in force after the session is up again (it doubles as the
 * stale-path timer). A stale path becomes fresh when it is announced again; End-of-RIB for a family
 * (from the re-established session) withdraws the session's still-stale paths of that family; so
 * does a session-up whose family list no longer contains the family; `dueWithdrawals(now)` lists
 * what passed its deadline.
 *
 * Paths are opaque string keys here (route-table.ts uses prefix and path id).
 */
import type { AddressFamily } from '../../common/events/bgp-events.js';

export type GrPhase = 'established' | 'restarting' | 'recovering' | 'down';

export interface StalePath {
  sessionId: number;
  key: string;
  family: AddressFamily;
  deadline: number;
}

interface SessionState {
  phase: GrPhase;
  /** From the last session-up's capabilities; null when not known (then GR is assumed). */
  gracefulRestartNegotiated: boolean | null;
  stale: Map<string, StalePath>;
}

export interface SessionDownOptions {
  /** BgpSessionEntity.gracefulRestartSeconds; 0 disables graceful restart. */
  restartSeconds: number;
  /** Overrides the negotiated capability: false forces a hard down (e.g. peer deconfigured). */
  graceful?: boolean;
}

export interface GrSnapshotSession {
  sessionId: number;
  phase: GrPhase;
  gracefulRestartNegotiated: boolean | null;
  stale: { key: string; family: AddressFamily; deadline: number }[];
}

export class GracefulRestart {
  private readonly sessions = new Map<number, SessionState>();

  private state(sessionId: number): SessionState {
    let state = this.sessions.get(sessionId);
    if (!state) {
      state = { phase: 'established', gracefulRestartNegotiated: null, stale: new Map() };
      this.sessions.set(sessionId, state);
    }
    return state;
  }

  phase(sessionId: number): GrPhase {
    return this.sessions.get(sessionId)?.phase ?? 'established';
  }

  /** Whether any state is kept for the session (it was seen up or down, and is not in the initial state after a restore). */
  knows(sessionId: number): boolean {
    return this.sessions.has(sessionId);
  }

  /** Whether any path of the session is stale: lets a caller skip building keys for the common case. */
  hasStale(sessionId: number): boolean {
    return (this.sessions.get(sessionId)?.stale.size ?? 0) > 0;
  }

  isStale(sessionId: number, key: string): boolean {
    return this.sessions.get(sessionId)?.stale.has(key) ?? false;
  }

  staleDeadline(sessionId: number, key: string): number | null {
    return this.sessions.get(sessionId)?.stale.get(key)?.deadline ?? null;
  }

  /** Whether a session-down with these options keeps the session's paths (stale) rather than withdrawing them. */
  keepsPathsOnDown(sessionId: number, options: SessionDownOptions): boolean {
    return options.restartSeconds > 0 && (options.graceful ?? this.sessions.get(sessionId)?.gracefulRestartNegotiated ?? true);
  }

  /**
   * The session went down at `now` holding `paths`. Returns which become stale (with their
   * deadline) and which must be withdrawn now (all of them without graceful restart).
   */
  sessionDown(
    sessionId: number,
    now: number,
    paths: readonly { key: string; family: AddressFamily }[],
    options: SessionDownOptions,
  ): { stale: StalePath[]; withdraw: string[] } {
    const state = this.state(sessionId);
    if (!this.keepsPathsOnDown(sessionId, options)) {
      state.phase = 'down';
      state.stale.clear();
      return { stale: [], withdraw: paths.map((path) => path.key) };
    }
    const deadline = now + options.restartSeconds * 1000;
    const stale: StalePath[] = [];
    for (const path of paths) {
      const existing = state.stale.get(path.key);
      const mark = existing ?? { sessionId, key: path.key, family: path.family, deadline };
      state.stale.set(path.key, mark);
      stale.push(mark);
    }
    state.phase = state.stale.size > 0 ? 'restarting' : 'down';
    return { stale, withdraw: [] };
  }

  /**
   * The session is up again. `families` (when known) are the families it carries now: stale paths
   * of any other family are returned for withdrawal at once.
   */
  sessionUp(sessionId: number, families?: readonly AddressFamily[], gracefulRestartNegotiated?: boolean): { withdraw: string[] } {
    const state = this.state(sessionId);
    if (gracefulRestartNegotiated !== undefined) state.gracefulRestartNegotiated = gracefulRestartNegotiated;
    const withdraw: string[] = [];
    if (families) {
      for (const [key, mark] of state.stale) {
        if (!families.includes(mark.family)) {
          withdraw.push(key);
          state.stale.delete(key);
        }
      }
    }
    state.phase = state.stale.size > 0 ? 'recovering' : 'established';
    return { withdraw };
  }

  /** The path was announced again: true if it was stale (it is fresh now). */
  announced(sessionId: number, key: string): boolean {
    const state = this.sessions.get(sessionId);
    if (!state?.stale.delete(key)) return false;
    this.settle(state);
    return true;
  }

  /** The path is gone (withdrawn by the peer, or swept): forget its stale mark. */
  withdrawn(sessionId: number, key: string): void {
    const state = this.sessions.get(sessionId);
    if (state?.stale.delete(key)) this.settle(state);
  }

  /** End-of-RIB for `family`: the session's still-stale paths of that family, to withdraw. Ignored while the session is down. */
  endOfRib(sessionId: number, family: AddressFamily): { withdraw: string[] } {
    const state = this.sessions.get(sessionId);
    if (!state || state.phase === 'restarting' || state.phase === 'down') return { withdraw: [] };
    const withdraw: string[] = [];
    for (const [key, mark] of state.stale) {
      if (mark.family === family) {
        withdraw.push(key);
        state.stale.delete(key);
      }
    }
    this.settle(state);
    return { withdraw };
  }

  /**
   * Stale paths whose deadline is at or before `now`, ordered by deadline, session and key. Does
   * not change state: the caller withdraws them and calls `withdrawn` for each.
   */
  dueWithdrawals(now: number): StalePath[] {
    const due: StalePath[] = [];
    for (const state of this.sessions.values()) for (const mark of state.stale.values()) if (mark.deadline <= now) due.push(mark);
    return due.sort((a, b) => a.deadline - b.deadline || a.sessionId - b.sessionId || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  /** The earliest pending deadline, for the adapter's timer; null when nothing is stale. */
  nextDeadline(): number | null {
    let next: number | null = null;
    for (const state of this.sessions.values())
      for (const mark of state.stale.values()) if (next === null || mark.deadline < next) next = mark.deadline;
    return next;
  }

  private settle(state: SessionState): void {
    if (state.stale.size > 0) return;
    if (state.phase === 'recovering') state.phase = 'established';
    else if (state.phase === 'restarting') state.phase = 'down';
  }

  /** Sessions not in the initial state (established, capability unknown, nothing stale), by id. */
  /** A session no longer configured: nothing of it is kept. */
  forget(sessionId: number): void {
    this.sessions.delete(sessionId);
  }

  snapshot(): GrSnapshotSession[] {
    return [...this.sessions.entries()]
      .filter(([, state]) => !isInitial(state))
      .sort(([a], [b]) => a - b)
      .map(([sessionId, state]) => ({
        sessionId,
        phase: state.phase,
        gracefulRestartNegotiated: state.gracefulRestartNegotiated,
        stale: [...state.stale.values()]
          .map(({ key, family, deadline }) => ({ key, family, deadline }))
          .sort((a, b) => (a.key < b.key ? -1 : 1)),
      }));
  }

  restore(sessions: readonly GrSnapshotSession[]): void {
    this.sessions.clear();
    for (const session of sessions) {
      if (session.phase === 'established' && session.gracefulRestartNegotiated === null && session.stale.length === 0) continue;
      this.sessions.set(session.sessionId, {
        phase: session.phase,
        gracefulRestartNegotiated: session.gracefulRestartNegotiated,
        stale: new Map(session.stale.map((mark) => [mark.key, { sessionId: session.sessionId, ...mark }])),
      });
    }
  }
}

function isInitial(state: SessionState): boolean {
  return state.phase === 'established' && state.gracefulRestartNegotiated === null && state.stale.size === 0;
}
