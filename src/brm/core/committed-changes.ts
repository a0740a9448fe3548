/**
 * The changes this BRM instance has just committed, kept for the outbox relay until it publishes
 * them. An interconnect notification in the outbox names a revision range of the change log; the
 * relay used to read that range back and decode it, which cost as much CPU as encoding it (a full
 * table is a million changes). The batch that committed them still has them in memory.
 *
 * Only a shortcut: the change log stays what the relay publishes from after a restart, for ranges
 * another instance committed, and for whatever was dropped here to stay within the limit. Both
 * give the same notification (notification-json.spec.ts checks the JSON is byte for byte the same).
 */
import type { RouteChange } from './route-table.js';

interface Run {
  vpcId: number;
  first: number;
  last: number;
  /** The batch's own changes (with their stored text, which the notification reuses): not copied. */
  changes: readonly RouteChange[];
  held: boolean;
}

export class CommittedChanges {
  private readonly byVpc = new Map<number, Run[]>();
  /** Runs in the order they were committed, for dropping the oldest past the limit. */
  private readonly order: Run[] = [];
  private heldChanges = 0;

  /** `limit`: changes held at most; past it the oldest runs go (the relay reads those from the log). */
  constructor(private readonly limit: number) {}

  get size(): number {
    return this.heldChanges;
  }

  /** A committed batch's changes of one VPC: consecutive revisions, in order. */
  add(vpcId: number, changes: readonly RouteChange[]): void {
    if (changes.length === 0 || changes.length > this.limit) return;
    const run: Run = {
      vpcId,
      first: changes[0]!.revision,
      last: changes[changes.length - 1]!.revision,
      changes,
      held: true,
    };
    // Not consecutive (cannot happen for a batch): do not guess, let the log answer.
    if (run.last - run.first + 1 !== changes.length) return;
    let runs = this.byVpc.get(vpcId);
    if (!runs) this.byVpc.set(vpcId, (runs = []));
    runs.push(run);
    this.order.push(run);
    this.heldChanges += changes.length;
    while (this.heldChanges > this.limit) this.drop(this.order.shift()!);
  }

  /** Revisions `from`..`to` of a VPC if one committed batch holds all of them, else null. */
  take(vpcId: number, from: number, to: number): readonly RouteChange[] | null {
    for (const run of this.byVpc.get(vpcId) ?? []) {
      if (run.first > from || to > run.last) continue;
      return run.changes.slice(from - run.first, to - run.first + 1);
    }
    return null;
  }

  /** The relay published a VPC's revisions up to `revision`: forget the batches that end there or before. */
  published(vpcId: number, revision: number): void {
    for (const run of [...(this.byVpc.get(vpcId) ?? [])]) if (run.last <= revision) this.drop(run);
    while (this.order.length > 0 && !this.order[0]!.held) this.order.shift();
  }

  private drop(run: Run): void {
    if (!run.held) return;
    run.held = false;
    this.heldChanges -= run.changes.length;
    const runs = this.byVpc.get(run.vpcId)!;
    runs.splice(runs.indexOf(run), 1);
    if (runs.length === 0) this.byVpc.delete(run.vpcId);
  }
}
