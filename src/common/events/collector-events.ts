/**
 * The control event BRM sends every BMP collector when a route-events partition no longer holds
 * what BRM applied before (a replaced Kafka, a recreated topic, events deleted before they were
 * read): route changes may be missing from the VPC tables, and only the routers still have them.
 * Each collector closes its routers' BMP connections; bgpd reconnects and sends its tables again
 * (the sessions' old paths are kept stale meanwhile and swept at End-of-RIB, as after any lost
 * connection).
 */
/** Why a partition's stored offsets no longer count: see src/brm/core/partition-continuity.ts. */
export type PartitionLossReason = 'new-topic-id' | 'beyond-end' | 'deleted-before-applied';

export const REDUMP_REQUESTED = 'net.route-broker.collector.redump-requested.v1';

export interface RedumpRequestedData {
  topic: string;
  partition: number;
  reason: PartitionLossReason;
  /** What BRM found, in words (offsets, topic IDs). */
  detail: string;
}

/** The event's data, checked; a string says what is wrong. */
export function checkRedumpRequested(type: string, data: unknown): RedumpRequestedData | string {
  if (type !== REDUMP_REQUESTED) return `unexpected event type ${type}`;
  if (typeof data !== 'object' || data === null) return 'data must be an object';
  const { topic, partition, reason, detail } = data as Record<string, unknown>;
  if (typeof topic !== 'string' || topic === '') return 'topic must be a topic name';
  if (typeof partition !== 'number' || !Number.isInteger(partition) || partition < 0) return 'partition must be a partition number';
  if (reason !== 'new-topic-id' && reason !== 'beyond-end' && reason !== 'deleted-before-applied')
    return 'reason must be new-topic-id, beyond-end or deleted-before-applied';
  if (typeof detail !== 'string') return 'detail must be text';
  return { topic, partition, reason, detail };
}
