/**
 * What one subscriber still has to receive for one VPC, and where it stands: the pure state
 * machine behind HRM's delivery (no I/O, so every transition is unit-tested).
 *
 * - `snapshot`: the subscriber needs the whole table first. Deltas that arrive meanwhile are kept
 *   (the snapshot will be read at some revision R; the deltas after R follow it).
 * - `streaming`: deltas in revision order, each revision exactly once. A delta whose revisions the
 *   subscriber already has is dropped; one that starts past the next expected revision means
 *   something was missed, and the subscriber is resynchronised with a snapshot, never skipped.
 *
 * The queue is bounded (in changes): a subscriber that falls further behind is resynchronised
 * (its queue dropped, a snapshot later), so one dead subscriber cannot hold memory or the Kafka
 * offsets of the others.
 */
import type { RouteTableChangedData, VpcRouteChange } from '../../common/events/vpc-events.js';

export type SubscriberState = 'snapshot' | 'streaming';

export interface QueuedDelta {
  fromRevision: number;
  toRevision: number;
  changes: VpcRouteChange[];
  /** Tells the Kafka side this subscriber is done with the message (delivered or given up for a snapshot). */
  release: () => void;
}

export interface DeltaBatch {
  fromRevision: number;
  toRevision: number;
  changes: VpcRouteChange[];
}

export type OfferResult = { outcome: 'queued' } | { outcome: 'duplicate' } | { outcome: 'dropped' } | { outcome: 'resync'; reason: string };

export class SubscriberQueue {
  private queued: QueuedDelta[] = [];
  private queuedChanges = 0;
  /** The last revision queued or delivered (streaming only). */
  private expectedAfter: number | null;
  private stateNow: SubscriberState;
  /** Deltas were dropped while a snapshot was on its way: that snapshot cannot be followed on. */
  private bufferOverflowed = false;
  /** Why the next snapshot is needed, for the log and the API. */
  resyncReason: string | null = null;

  constructor(
    private readonly maxQueuedChanges: number,
    start: { state: 'snapshot'; reason: string } | { state: 'streaming'; ackedRevision: number },
  ) {
    this.stateNow = start.state;
    this.expectedAfter = start.state === 'streaming' ? start.ackedRevision : null;
    if (start.state === 'snapshot') this.resyncReason = start.reason;
  }

  get state(): SubscriberState {
    return this.stateNow;
  }

  get pendingChanges(): number {
    return this.queuedChanges;
  }

  get pendingDeltas(): number {
    return this.queued.length;
  }

  /** The last revision the subscriber has or will have once its queue is delivered (streaming only). */
  get queuedUpTo(): number | null {
    return this.expectedAfter;
  }

  /**
   * Takes one message of BRM's stream for this VPC. On `resync` nothing changed and the message
   * is not released: the caller records the resync durably, then calls `resync()` and releases
   * it, so a crash in between cannot leave the subscriber marked as streaming past a hole.
   */
  offer(message: RouteTableChangedData, release: () => void): OfferResult {
    if (this.stateNow === 'snapshot') {
      if (this.queuedChanges + message.changes.length > this.maxQueuedChanges) {
        this.bufferOverflowed = true;
        this.dropQueued();
        release();
        return { outcome: 'dropped' };
      }
      this.queued.push({ fromRevision: message.fromRevision, toRevision: message.toRevision, changes: message.changes, release });
      this.queuedChanges += message.changes.length;
      return { outcome: 'queued' };
    }
    const after = this.expectedAfter!;
    if (message.toRevision <= after) {
      release();
      return { outcome: 'duplicate' };
    }
    if (message.fromRevision > after + 1)
      return { outcome: 'resync', reason: `revisions ${after + 1}..${message.fromRevision - 1} never arrived` };
    const changes = message.changes.filter((change) => change.revision > after);
    if (this.queuedChanges + changes.length > this.maxQueuedChanges && this.queued.length > 0) {
      return { outcome: 'resync', reason: `fell more than ${this.maxQueuedChanges} changes behind` };
    }
    this.queued.push({ fromRevision: after + 1, toRevision: message.toRevision, changes, release });
    this.queuedChanges += changes.length;
    this.expectedAfter = message.toRevision;
    return { outcome: 'queued' };
  }

  /** Drops everything queued (releasing it) and asks for a snapshot. */
  resync(reason: string): void {
    this.dropQueued();
    this.bufferOverflowed = false;
    this.stateNow = 'snapshot';
    this.expectedAfter = null;
    this.resyncReason = reason;
  }

  /**
   * The snapshot was read at `revision` and delivered: keep only what comes after it. Returns
   * false when the kept deltas do not follow on (a gap), in which case another snapshot is due.
   */
  snapshotDelivered(revision: number): boolean {
    if (this.bufferOverflowed) {
      this.resync(`more than ${this.maxQueuedChanges} changes arrived while the snapshot at revision ${revision} was delivered`);
      return false;
    }
    const kept: QueuedDelta[] = [];
    let expected = revision;
    let gap = false;
    for (const delta of this.queued) {
      if (delta.toRevision <= expected) {
        delta.release();
        continue;
      }
      const changes = delta.changes.filter((change) => change.revision > expected);
      if (changes.length > 0 && changes[0]!.revision !== expected + 1) gap = true;
      if (!gap) {
        kept.push({ ...delta, fromRevision: expected + 1, changes });
        expected = delta.toRevision;
      } else delta.release();
    }
    this.queued = gap ? [] : kept;
    if (gap) for (const delta of kept) delta.release();
    this.queuedChanges = this.queued.reduce((sum, delta) => sum + delta.changes.length, 0);
    if (gap) {
      this.resync(`deltas after the snapshot at revision ${revision} do not follow on`);
      return false;
    }
    this.stateNow = 'streaming';
    this.expectedAfter = expected;
    this.resyncReason = null;
    return true;
  }

  /** The next request: queued deltas merged in revision order, up to `maxChanges` (at least one delta). */
  nextBatch(maxChanges: number): DeltaBatch | null {
    if (this.stateNow !== 'streaming' || this.queued.length === 0) return null;
    const first = this.queued[0]!;
    const changes: VpcRouteChange[] = [...first.changes];
    let toRevision = first.toRevision;
    for (let index = 1; index < this.queued.length; index++) {
      const delta = this.queued[index]!;
      if (changes.length + delta.changes.length > maxChanges) break;
      changes.push(...delta.changes);
      toRevision = delta.toRevision;
    }
    return { fromRevision: first.fromRevision, toRevision, changes };
  }

  /** The subscriber acknowledged everything up to `revision`. */
  delivered(revision: number): void {
    while (this.queued.length > 0 && this.queued[0]!.toRevision <= revision) {
      const delta = this.queued.shift()!;
      this.queuedChanges -= delta.changes.length;
      delta.release();
    }
  }

  /**
   * The subscription or the VPC went away: nothing queued is needed any more. (On shutdown or
   * when the partition moves, the queue is simply forgotten, unreleased, so its offsets are not
   * committed and the next owner gets the messages again.)
   */
  close(): void {
    this.dropQueued();
  }

  private dropQueued(): void {
    for (const delta of this.queued) delta.release();
    this.queued = [];
    this.queuedChanges = 0;
  }
}
