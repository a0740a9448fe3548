/**
 * Route-stream events as the collector publishes them on bgp.route-events.v1, for the BRM suites
 * that feed BRM directly through the real Kafka (the lab suites get theirs from real FRR).
 */
import type { Admin, Producer } from 'kafkajs';
import {
  COMPACT_ROUTE_BATCH,
  END_OF_RIB,
  ROUTE_ANNOUNCED,
  ROUTE_BATCH,
  ROUTE_WITHDRAWN,
  SESSION_DOWN,
  SESSION_UP,
  sessionKey,
  type AddressFamily,
  type SessionRef,
} from '../../../src/common/events/bgp-events.js';
import { BmpEventSerializer } from '../../../src/frr-server/collector/bmp-event-serializer.js';
import { createCloudEvent } from '../../../src/common/kafka/cloud-event.js';
import { TOPICS, topicCreation } from '../../../src/common/kafka/topics.js';
import { testConfig } from './environment.js';

export interface RouteStreamMessage {
  type: string;
  peer: string;
  data: unknown;
}

/** The session of `router` (inventory host `hostId`) with the lab PE (AS 65001, BGP id 10.0.0.1) at `peer`. */
export function peSessionRef(router: string, hostId: number, peer: string): SessionRef {
  return { router, hostId, peerAddress: peer, peerAs: 65001, peerBgpId: '10.0.0.1', peerDistinguisher: '0000000000000000' };
}

/** Builders for one router's sessions; `ref` names the session of a peer address. */
export function routeEvents(ref: (peer: string) => SessionRef) {
  const common = (peer: string) => ({ session: ref(peer), receivedAt: new Date().toISOString() });
  const view = (family: AddressFamily) => ({ family, postPolicy: false, adjRibOut: false });
  const attributes = (peer: string, asPath: number[]) => ({
    origin: 'igp',
    asPath,
    nextHop: peer,
    nextHopLinkLocal: null,
    med: null,
    localPref: null,
    atomicAggregate: false,
    aggregator: null,
    communities: [],
    extendedCommunities: [],
    largeCommunities: [],
  });
  const prefixList = (prefixes: string[]) => prefixes.map((prefix) => ({ prefix, pathId: null }));
  return {
    up: (peer: string, families: AddressFamily[] = ['ipv4-unicast']): RouteStreamMessage => ({
      type: SESSION_UP,
      peer,
      data: {
        ...common(peer),
        localAddress: peer.replace(/\.1$/, '.2'),
        localPort: 179,
        remotePort: 40000,
        localAs: 64512,
        holdTimeSeconds: 9,
        capabilities: ['4-octet-as', 'graceful-restart', ...families.map((family) => `multiprotocol:${family}`)],
        families,
      },
    }),
    announce: (peer: string, prefixes: string[], asPath: number[], family: AddressFamily = 'ipv4-unicast'): RouteStreamMessage => ({
      type: ROUTE_ANNOUNCED,
      peer,
      data: {
        ...common(peer),
        ...view(family),
        prefixes: prefixList(prefixes),
        attributes: attributes(peer, asPath),
        routerTimestamp: null,
      },
    }),
    withdraw: (peer: string, prefixes: string[]): RouteStreamMessage => ({
      type: ROUTE_WITHDRAWN,
      peer,
      data: { ...common(peer), ...view('ipv4-unicast'), prefixes: prefixList(prefixes), routerTimestamp: null },
    }),
    endOfRib: (peer: string, family: AddressFamily = 'ipv4-unicast'): RouteStreamMessage => ({
      type: END_OF_RIB,
      peer,
      data: { ...common(peer), ...view(family) },
    }),
    /** Dropped without a NOTIFICATION (the peer restarting): graceful restart applies, as negotiated. */
    down: (peer: string): RouteStreamMessage => ({
      type: SESSION_DOWN,
      peer,
      data: { ...common(peer), reason: 'remote-no-notification', notification: null },
    }),
    /** Closed by the peer with a Cease (administrative shutdown): no graceful restart, every route withdrawn. */
    closed: (peer: string): RouteStreamMessage => ({
      type: SESSION_DOWN,
      peer,
      data: { ...common(peer), reason: 'remote-notification', notification: { code: 6, subcode: 2 } },
    }),
    /** Route events of one session in one message, as the collector sends consecutive ones. */
    batch: (peer: string, ...events: RouteStreamMessage[]): RouteStreamMessage => ({
      type: ROUTE_BATCH,
      peer,
      data: { session: ref(peer), events: events.map(({ type, data }) => ({ type, data })) },
    }),
    /** The same as a compact route batch (v2), written by the collector's own serializer. */
    compactBatch: (peer: string, ...events: RouteStreamMessage[]): RouteStreamMessage => {
      const session = ref(peer);
      const [message, ...more] = new BmpEventSerializer('route-broker/test/frr-server').serialize(
        events.map(({ type, data }) => ({ topic: TOPICS.routeEvents.name, type, session, data: data as object })),
      );
      if (message === undefined || more.length > 0 || message.type !== COMPACT_ROUTE_BATCH)
        throw new Error('these events do not make one compact route batch');
      return { type: COMPACT_ROUTE_BATCH, peer, data: (JSON.parse(message.value.toString('utf8')) as { data: unknown }).data };
    },
    /** Publishes in order, keyed by session as the collector does. */
    publish: async (producer: Producer, source: string, ...events: RouteStreamMessage[]): Promise<void> => {
      await producer.send({
        topic: TOPICS.routeEvents.name,
        acks: -1,
        messages: events.map((event) => ({
          key: sessionKey(ref(event.peer)),
          value: JSON.stringify(createCloudEvent({ type: event.type, source, data: event.data })),
        })),
      });
    },
  };
}

/**
 * Positions a new consumer group at the current end of bgp.route-events.v1, so a suite's BRM
 * does not apply what earlier suites published; returns those offsets (to rewind to later).
 */
export async function groupAtTopicEnd(admin: Admin, groupId: string): Promise<{ partition: number; offset: string }[]> {
  return groupAtEnd(admin, groupId, TOPICS.routeEvents.name);
}

/**
 * Positions a new consumer group at the current end of `topic`. On a fresh Kafka (the suite runs
 * before any route-broker created its topics) the topic is created first, as route-broker creates
 * it: the group and the suite then know its partitions.
 */
export async function groupAtEnd(admin: Admin, groupId: string, topic: string): Promise<{ partition: number; offset: string }[]> {
  if (!(await admin.listTopics()).includes(topic)) {
    const spec = Object.values(TOPICS).find((candidate) => candidate.name === topic);
    // A topic of the test's own: nothing to position, its consumer reads it from the start.
    if (!spec) return [];
    // False (not an error) when a route-broker starting beside the suite created it meanwhile.
    await admin.createTopics({ waitForLeaders: true, topics: [topicCreation(spec, testConfig().kafka)] });
  }
  const ends = await admin.fetchTopicOffsets(topic);
  const partitions = ends.map(({ partition, high }) => ({ partition, offset: high }));
  await admin.setOffsets({ groupId, topic, partitions });
  return partitions;
}
