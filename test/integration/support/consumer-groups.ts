/** Consumer groups for the tests, on the real Kafka of scripts/kafka. */
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { testConfig } from './environment.js';

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
