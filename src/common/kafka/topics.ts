/**
 * Every Kafka topic route-broker uses: its name, what keys it, what its events carry.
 * Producers and consumers both read this table, so a topic cannot be misspelled in one place.
 * docs/events.md describes the same topics for other teams; keep the two in step.
 */
import {
  COMPACT_ROUTE_BATCH,
  END_OF_RIB,
  ROUTE_ANNOUNCED,
  ROUTE_BATCH,
  ROUTE_WITHDRAWN,
  SESSION_DOWN,
  SESSION_STATISTICS,
  SESSION_UP,
} from '../events/bgp-events.js';
import { REDUMP_REQUESTED } from '../events/collector-events.js';
import { SUBSCRIPTION_CHANGED, VPC_ROUTE } from '../events/hrm-events.js';
import { INVENTORY_CHANGED } from '../events/inventory-events.js';
import { MAX_PREFIX_CLEARED, MAX_PREFIX_EXCEEDED, ROUTE_TABLE_CHANGED } from '../events/vpc-events.js';

export interface TopicSpec {
  name: string;
  /** What the message key is; events with one key keep their order. */
  key: string;
  /** CloudEvent `type` values carried on the topic. */
  eventTypes: readonly string[];
  /** Compacted topics keep the latest value per key (and drop tombstones after a while). */
  compacted: boolean;
}

/** A topic as route-broker creates it when it does not exist yet (KafkaGateway.ensureTopics). */
export function topicCreation(
  spec: TopicSpec,
  settings: { topicPartitions: number; replicationFactor: number; minInsyncReplicas: number | null },
): { topic: string; numPartitions: number; replicationFactor: number; configEntries: { name: string; value: string }[] } {
  return {
    topic: spec.name,
    numPartitions: settings.topicPartitions,
    replicationFactor: settings.replicationFactor,
    configEntries: [
      ...(spec.compacted ? [{ name: 'cleanup.policy', value: 'compact' }] : []),
      ...(settings.minInsyncReplicas === null ? [] : [{ name: 'min.insync.replicas', value: String(settings.minInsyncReplicas) }]),
    ],
  };
}

export const DEAD_LETTER_EVENT_TYPE = 'net.route-broker.dead-letter.v1';

export const TOPICS = {
  routeEvents: {
    name: 'bgp.route-events.v1',
    key: 'BGP session: <host>|<peer address>|<peer AS>',
    eventTypes: [
      ROUTE_ANNOUNCED,
      ROUTE_WITHDRAWN,
      END_OF_RIB,
      // Runs of the three above for one session in one message (FRR's one prefix per message):
      // v2 is what the collector sends (shared fields written once); v1 is still read.
      ROUTE_BATCH,
      COMPACT_ROUTE_BATCH,
      // Copies of the session topic's up/down, so one partition orders a session's whole story.
      SESSION_UP,
      SESSION_DOWN,
    ],
    compacted: false,
  },
  sessionEvents: {
    name: 'bgp.session-events.v1',
    key: 'BGP session: <host>|<peer address>|<peer AS>',
    eventTypes: [SESSION_UP, SESSION_DOWN, SESSION_STATISTICS],
    compacted: false,
  },
  interconnectRouteUpdates: {
    name: 'interconnect.route-updates.v1',
    key: 'hosted VPC id',
    eventTypes: [ROUTE_TABLE_CHANGED],
    compacted: false,
  },
  vpcRoutes: {
    name: 'vpc.routes.v1',
    key: '<hosted VPC id>|<prefix>',
    eventTypes: [VPC_ROUTE],
    compacted: true,
  },
  subscriptions: {
    name: 'route-broker.subscriptions.v1',
    key: 'subscription id',
    eventTypes: [SUBSCRIPTION_CHANGED],
    compacted: false,
  },
  inventory: {
    name: 'route-broker.inventory.v1',
    key: '<resource>/<id>, e.g. bgp-session/12',
    eventTypes: [INVENTORY_CHANGED],
    compacted: false,
  },
  alerts: {
    name: 'route-broker.alerts.v1',
    key: 'BGP session id',
    eventTypes: [MAX_PREFIX_EXCEEDED, MAX_PREFIX_CLEARED],
    compacted: false,
  },
  collectorControl: {
    name: 'route-broker.collector-control.v1',
    key: 'route-events topic and partition, e.g. bgp.route-events.v1/3',
    eventTypes: [REDUMP_REQUESTED],
    compacted: false,
  },
  deadLetter: {
    name: 'route-broker.dead-letter.v1',
    key: 'the original message key',
    eventTypes: [DEAD_LETTER_EVENT_TYPE],
    compacted: false,
  },
} as const satisfies Record<string, TopicSpec>;

export type TopicName = (typeof TOPICS)[keyof typeof TOPICS]['name'];

/**
 * The raw BMP archive (docs/bmp.md, "The raw BMP archive and replay"): each router's BMP bytes as
 * the collector received them, whole messages per record, with the connection, stream offset,
 * receive time and message count in headers. Not CloudEvents, and not in TOPICS: the collector
 * creates it only when RB_BMP_ARCHIVE is on, with the retention RB_BMP_ARCHIVE_RETENTION_HOURS.
 */
export const BMP_ARCHIVE_TOPIC = {
  name: 'route-broker.bmp-raw.v1',
  key: "router: the route events' session.router (inventory host name, else sysName, else address)",
  eventTypes: [],
  compacted: false,
} as const satisfies TopicSpec;

/** What a dead-letter record says about the message it replaces. */
export interface DeadLetter {
  reason: string;
  topic: string;
  /** Where the original is; null for a message that never reached Kafka (refused for its size). */
  partition: number | null;
  offset: string | null;
  key: string | null;
  /** The original value as text (UTF-8; invalid bytes replaced) so an operator can read it. */
  value: string | null;
  /** The consumer group that gave up on it; null when its producer dead-lettered it. */
  consumerGroup: string | null;
  /** A message its producer could not publish because Kafka refuses it for its size (never retried). */
  refused?: RefusedDeadLetter;
  /** Set when `value` was left out so that the dead letter itself fits the dead-letter topic. */
  valueOmitted?: { bytes: number; head: string; note: string };
}

/** What is known of a message Kafka refused for its size: enough to find it, never its whole value. */
export interface RefusedDeadLetter {
  /** Who tried to publish it, e.g. `brm outbox relay`. */
  producer: string;
  error: 'MESSAGE_TOO_LARGE' | 'RECORD_LIST_TOO_LARGE' | 'REQUEST_TOO_LARGE';
  eventId: string | null;
  eventType: string | null;
  /** The message's value, uncompressed. */
  valueBytes: number;
  /** The topic's max.message.bytes as Kafka reported it (null: unknown). */
  limitBytes: number | null;
  /** The value's first kilobyte as text. */
  valueHead: string;
}
