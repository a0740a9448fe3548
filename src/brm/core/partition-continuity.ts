/**
 * Whether a batch of a route-events partition continues the partition BRM applied before, or
 * comes from a partition that is no longer the one its stored offsets count in: the topic was
 * deleted and created again, the Kafka cluster was replaced (both start at offset 0 under the same
 * name), the log was truncated below what BRM applied, or retention deleted events before BRM read
 * them. Skipping by offset in those cases would drop route changes silently; they are reported so
 * that BRM applies the batch as new and asks the routers to dump their tables again.
 *
 * The cheap check (the topic ID kept with the offsets) runs on every batch; the Kafka look-ups
 * only when a batch starts before or after the stored offset, which a continuing partition does
 * only after a crash between the database commit and Kafka's.
 */
import type { PartitionLossReason } from '../../common/events/collector-events.js';

/** What BRM stored for a partition: the next offset to apply, and the topic ID it counts in (null: recorded before IDs were kept). */
export interface AppliedPosition {
  nextOffset: bigint;
  topicId: string | null;
}

export type Continuity =
  /** Apply the events from `skipBelow` on (the ones before it were applied already). */
  | { kind: 'continues'; skipBelow: bigint | null }
  /** The stored offsets do not count in this partition: apply every event, record the offsets anew. */
  | { kind: 'lost'; reason: PartitionLossReason; detail: string };

export interface PartitionLookups {
  /** The topic's ID as Kafka gives it now (refreshed: asked again, not remembered), or null when unknown. */
  topicId(refresh: boolean): Promise<string | null>;
  /** The partition's first (log start) and next (high watermark) offsets. */
  bounds(): Promise<{ low: bigint; high: bigint }>;
}

export async function judgeContinuity(stored: AppliedPosition | null, firstOffset: bigint, lookups: PartitionLookups): Promise<Continuity> {
  if (stored === null) return { kind: 'continues', skipBelow: null };
  const differs = (current: string | null) => stored.topicId !== null && current !== null && current !== stored.topicId;
  const remembered = await lookups.topicId(false);
  if (differs(remembered)) return newTopic(stored, remembered!);
  if (firstOffset === stored.nextOffset) return { kind: 'continues', skipBelow: stored.nextOffset };
  // Before: a replay after a crash, or a new partition counting from 0 again. After: events
  // dead-lettered without a batch of their own, or events deleted before they were read.
  const current = await lookups.topicId(true);
  if (differs(current)) return newTopic(stored, current!);
  const { low, high } = await lookups.bounds();
  if (high < stored.nextOffset)
    return {
      kind: 'lost',
      reason: 'beyond-end',
      detail: `applied up to offset ${stored.nextOffset - 1n} but the partition ends at ${high} (the topic was recreated or its log truncated)`,
    };
  if (firstOffset > stored.nextOffset && low > stored.nextOffset)
    return {
      kind: 'lost',
      reason: 'deleted-before-applied',
      detail: `offsets ${stored.nextOffset} to ${low - 1n} were deleted (retention) before they were applied`,
    };
  return { kind: 'continues', skipBelow: stored.nextOffset };
}

function newTopic(stored: AppliedPosition, current: string): Continuity {
  return {
    kind: 'lost',
    reason: 'new-topic-id',
    detail: `the topic's ID is ${current}, the applied offsets (up to ${stored.nextOffset - 1n}) were counted in ${stored.topicId}`,
  };
}
