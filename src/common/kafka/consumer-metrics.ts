/**
 * What the Kafka gateway's consumer metrics say, as plain functions (no kafkajs): the lag of a
 * partition, the `group` label of a consumer group, the kind of a dead letter.
 */

/**
 * Messages of a partition not yet handled by the consumer: from `nextOffset` (the first it has not
 * handled) up to the partition's high watermark as of the fetch (offsets: decimal strings or
 * bigints). Never negative.
 */
export function consumerLag(highWatermark: string | bigint, nextOffset: string | bigint): number {
  const lag = BigInt(highWatermark) - BigInt(nextOffset);
  return lag > 0n ? Number(lag) : 0;
}

/**
 * A consumer group as a metric label: groups of one instance that every start makes anew
 * (`<name>.<instance id>.<8 hex digits>`, e.g. BRM's follower of the inventory topic) are named by
 * their `<name>`, so a restart does not start new series (the `instance` label tells instances apart).
 */
export function consumerGroupLabel(groupId: string, instanceId: string): string {
  const suffix = new RegExp(`\\.${escapeRegExp(instanceId)}\\.[0-9a-f]{8}$`);
  return suffix.test(groupId) ? groupId.replace(suffix, '') : groupId;
}

/**
 * Why a message went to the dead-letter topic, as the bounded `kind` label of
 * route_broker_kafka_dead_letters_total (the free-text reason is in the dead letter, not a label):
 * `unparsable` (a consumer got something that is not a CloudEvent), `invalid` (a CloudEvent that
 * fails the consumer's checks), `oversize` (its producer could not publish it: Kafka refuses its
 * size and it cannot be split).
 */
export type DeadLetterKind = 'unparsable' | 'invalid' | 'oversize';

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
