/** Consumer groups for the tests, on the real Kafka of scripts/kafka. */
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Admin, type Consumer, type KafkaMessage } from 'kafkajs';
import { testConfig } from './environment.js';
import { groupAtEnd } from './route-events.js';

/**
 * A new consumer group (name `<prefix>-<uuid>`) whose offsets start at the topic's current end:
 * what earlier suites left on the shared topic is not the test's.
 */
export async function groupAtTopicEnd(prefix: string, topic: string): Promise<string> {
  const group = `${prefix}-${randomUUID()}`;
  const admin = new Kafka({ clientId: prefix, brokers: [...testConfig().kafka.brokers], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    if ((await admin.listTopics()).includes(topic)) {
      const ends = await admin.fetchTopicOffsets(topic);
      await admin.setOffsets({ groupId: group, topic, partitions: ends.map(({ partition, high }) => ({ partition, offset: high })) });
    }
  } finally {
    await admin.disconnect();
  }
  return group;
}

export type TakeMessage = (topic: string, partition: number, message: KafkaMessage) => void;

/**
 * A consumer (new group `groupId`) handing every message of `topics` to `take` as it arrives: from
 * the topics' start, or from their ends as they are now (read with `endsNow`). The caller
 * disconnects it.
 */
export async function follow(
  kafka: Kafka,
  groupId: string,
  topics: readonly string[],
  take: TakeMessage,
  from: 'start' | { endsNow: Admin } = 'start',
): Promise<Consumer> {
  if (from !== 'start') for (const topic of topics) await groupAtEnd(from.endsNow, groupId, topic);
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 200 });
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [...topics], fromBeginning: true });
    await consumer.run({
      eachMessage: ({ topic, partition, message }) => {
        take(topic, partition, message);
        return Promise.resolve();
      },
    });
  } catch (error) {
    await consumer.disconnect().catch(() => undefined);
    throw error;
  }
  return consumer;
}
