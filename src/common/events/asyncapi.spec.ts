/**
 * docs/asyncapi.yaml, the Kafka contract other services generate clients from, held to the code:
 * it must be a valid AsyncAPI document (the AsyncAPI project's own parser and rules), name every
 * topic of topics.ts and every event type the code publishes or reads there, and describe the
 * events as the code really builds them. The events are made by the code's own builders (the BMP
 * collector from recorded and encoded BMP bytes, BRM's route table and notification writer, the
 * gateway's dead letters, the archive's records) and sent through a KafkaGateway that keeps what
 * it would hand to Kafka; each message's value, headers and key must then validate against the
 * document, with every object closed to fields the document does not list. A field renamed,
 * added or dropped in code, or an event type added, fails here until the document says so too.
 */
import { readFileSync } from 'node:fs';
import { DiagnosticSeverity, Parser, type AsyncAPIDocumentInterface, type ChannelInterface, type MessageInterface } from '@asyncapi/parser';
import { Ajv, type ValidateFunction } from 'ajv';
import formats from 'ajv-formats';
import type { Message } from 'kafkajs';
import { encodeBmpMessage } from '../../frr-server/bmp/bmp-encode.js';
import { BmpStreamDecoder } from '../../frr-server/bmp/bmp-stream-decoder.js';
import type { BmpMessage, RouteMonitoringMessage } from '../../frr-server/bmp/bmp-types.js';
import { archiveMessage, BmpArchive, type ArchiveSink, type KeyedArchiveRecord } from '../../frr-server/collector/bmp-archive.js';
import { splitBmpEvent } from '../../frr-server/collector/bmp-event-split.js';
import type { OutgoingBmpEvent } from '../../frr-server/collector/bmp-event-serializer.js';
import { eventsOf, type RouterIdentity } from '../../frr-server/collector/bmp-events.js';
import { RouterStream } from '../../frr-server/collector/router-stream.js';
import { fromEndOfRib, fromRouteAnnounced, fromRouteWithdrawn, fromSessionDown, fromSessionUp } from '../../brm/core/events.js';
import { notifiedChange, NotifiedChangesWriter } from '../../brm/core/notification-json.js';
import { judgeContinuity } from '../../brm/core/partition-continuity.js';
import { checkRouteStreamEvent, type RouteStreamEvent } from '../../brm/core/route-event-schema.js';
import { sessionConfigOf, VpcRouteTable, type TableEvent } from '../../brm/core/route-table.js';
import { maxPrefixAlertEvent } from '../../brm/core/max-prefix.js';
import { splitOutboxEvent, type StoredRouteTableChanged } from '../../brm/route-table-notifications.service.js';
import { checkRouteTableChanged } from '../../hrm/core/route-table-changed-schema.js';
import { loadConfig } from '../config/config.js';
import { createCloudEvent, type CloudEvent } from '../kafka/cloud-event.js';
import { KafkaGateway } from '../kafka/kafka.gateway.js';
import { refusedDeadLetter, shrunkDeadLetter, type RefusedMessage } from '../kafka/oversize.js';
import { BMP_ARCHIVE_TOPIC, DEAD_LETTER_EVENT_TYPE, TOPICS, type DeadLetter, type TopicSpec } from '../kafka/topics.js';
import { compilePlatformPolicy, compileSessionPolicy, compileVpcPolicy } from '../policy/import-policy.js';
import * as bgpEvents from './bgp-events.js';
import {
  COLLECTOR_LOST,
  COMPACT_ROUTE_BATCH,
  END_OF_RIB,
  ROUTE_ANNOUNCED,
  ROUTE_BATCH,
  ROUTE_WITHDRAWN,
  SESSION_DOWN,
  SESSION_UP,
  sessionKey,
  unbatched,
  type BatchedRouteEvent,
  type RouteBatchData,
  type SessionDownData,
  type SessionRef,
} from './bgp-events.js';
import * as collectorEvents from './collector-events.js';
import { checkRedumpRequested, REDUMP_REQUESTED, type RedumpRequestedData } from './collector-events.js';
import * as hrmEvents from './hrm-events.js';
import { SUBSCRIPTION_CHANGED, VPC_ROUTE, type SubscriptionChangedData, type VpcRouteRecord } from './hrm-events.js';
import * as inventoryEvents from './inventory-events.js';
import { INVENTORY_CHANGED, type InventoryChangedData } from './inventory-events.js';
import * as vpcEvents from './vpc-events.js';
import { ROUTE_TABLE_CHANGED } from './vpc-events.js';
import {
  initiation,
  ipv4Peer,
  peerDownNotification,
  peerUp,
  routeMonitoringIpv4,
  routeMonitoringIpv6,
  statisticsReport,
} from '../../../test/fixtures/bmp/sample-messages.js';

const DOCUMENT = new URL('../../../docs/asyncapi.yaml', import.meta.url);
const RECORDING = readFileSync(new URL('../../../test/fixtures/bmp/frr-8.4-basic.bin', import.meta.url));
const INSTANCE = 'asyncapi-spec';
const sourceOf = (role: string) => `route-broker/${INSTANCE}/${role}`;
const RECEIVED_AT = new Date('2026-12-06T10:00:00.000Z');

// --- what the code sends ----------------------------------------------------------------------

/** One Kafka record as the code would hand it to Kafka. */
interface SentRecord {
  topic: string;
  key: string | null;
  value: Buffer | null;
  headers: Record<string, string>;
}

const textOf = (value: Buffer | string) => (typeof value === 'string' ? value : value.toString('utf8'));

function recordOf(topic: string, message: Message): SentRecord {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    if (value === undefined) continue;
    headers[name] = textOf(Array.isArray(value) ? value[0]! : value);
  }
  const { key, value } = message;
  return {
    topic,
    key: key === null || key === undefined ? null : textOf(key),
    value: value === null || value === undefined ? null : Buffer.from(value),
    headers,
  };
}

/**
 * A real gateway whose requests are kept instead of sent. sendInRequests is where it hands its
 * messages (value, key and headers made) to request planning, which needs a broker (topic limits,
 * kafkajs); everything before that is the gateway's own code.
 */
function keepingGateway(sent: SentRecord[]): KafkaGateway {
  const config = loadConfig({ RB_ROLES: 'brm', RB_INSTANCE_ID: INSTANCE });
  const gateway = new KafkaGateway({ ...config.kafka, instanceId: config.instanceId });
  const sendInRequests = (topic: string, messages: Message[]): Promise<void> => {
    for (const message of messages) sent.push(recordOf(topic, message));
    return Promise.resolve();
  };
  return Object.assign(gateway, { sendInRequests });
}

/** A BMP stream read the way a collector's read worker reads it: one read per chunk, identified at its Initiation. */
function collected(chunks: readonly Buffer[], identity: RouterIdentity, hostAsn: number): OutgoingBmpEvent[] {
  const stream = new RouterStream({ identity, maxMessageLength: 1 << 20, source: sourceOf('frr-server') });
  const events: OutgoingBmpEvent[] = [];
  for (const chunk of chunks) {
    let outcome = stream.read(chunk, RECEIVED_AT);
    events.push(...outcome.events);
    while (outcome.initiation) {
      stream.identify(identity, hostAsn);
      outcome = stream.continueRead();
      events.push(...outcome.events);
    }
  }
  return events;
}

/** The router of the one-message reads; its IPv4 session (pre-policy) feeds BRM's table below. */
const SINGLES: RouterIdentity = { router: 'rb-host2', hostId: null, connection: 'asyncapi.run/2' };
const SINGLES_SESSION = sessionKey({ router: SINGLES.router, peerAddress: ipv4Peer.peerAddress, peerAs: ipv4Peer.peerAs });

/** UPDATEs of one kind each: a read of one goes out as a single event, not a batch. */
const announcement: RouteMonitoringMessage = {
  ...routeMonitoringIpv4,
  update: {
    ...routeMonitoringIpv4.update,
    withdrawnRoutes: [],
    routes: [{ prefix: '203.0.113.0/24' }, { prefix: '198.51.100.0/24' }, { prefix: '10.1.2.0/24' }],
  },
};
const withdrawal: RouteMonitoringMessage = {
  ...routeMonitoringIpv4,
  update: { withdrawnRoutes: [{ prefix: '203.0.113.0/24' }], attributes: [], routes: [], asPath: null, endOfRib: null },
};
const endOfRibIpv4: RouteMonitoringMessage = {
  ...routeMonitoringIpv4,
  update: { withdrawnRoutes: [], attributes: [], routes: [], asPath: null, endOfRib: { afi: 1, safi: 1 } },
};

/** The frr-server's messages: a real FRR recording read whole (runs become route batches), and one encoded message of each kind per read (single events). */
async function publishCollectorEvents(gateway: KafkaGateway): Promise<void> {
  const recorded = collected([RECORDING], { router: 'rb-host1', hostId: 1, connection: 'asyncapi.run/1' }, 64512);
  const oneByOne: BmpMessage[] = [
    initiation,
    peerUp,
    // FRR's Peer Up for a session whose received OPEN it did not keep: what was negotiated is null.
    { ...peerUp, receivedOpen: null },
    announcement,
    withdrawal,
    routeMonitoringIpv4,
    routeMonitoringIpv6,
    endOfRibIpv4,
    statisticsReport,
    peerDownNotification,
  ];
  const singles = collected(
    oneByOne.map((message) => encodeBmpMessage(message)),
    SINGLES,
    64512,
  );
  const events = [...recorded, ...singles];
  // A batch Kafka refused for its size goes as two halves (bmp-event-split.ts).
  const batch = events.find((event) => event.type === COMPACT_ROUTE_BATCH)!;
  const halves = splitBmpEvent({ ...batch, reason: 'MESSAGE_TOO_LARGE', limitBytes: 1000 });
  if (!halves) throw new Error('the collector cannot split its route batch');
  for (const event of events) await gateway.publishSerialized(event.topic, [event]);
  await gateway.publishSerialized(batch.topic, halves);
}

/**
 * A version 1 route batch, which only earlier collectors wrote (BRM still reads it): assembled
 * from the collector's own events of one UPDATE and an End-of-RIB, as RouteBatchData says.
 */
async function publishRouteBatchV1(gateway: KafkaGateway): Promise<void> {
  const identity: RouterIdentity = { router: 'rb-host3', hostId: 3, connection: 'asyncapi.run/3' };
  const inner = [routeMonitoringIpv4, endOfRibIpv4].flatMap((message) => eventsOf(message, identity, RECEIVED_AT));
  const session = inner[0]!.session;
  const data: RouteBatchData = { session, events: inner.map(({ type, data }) => ({ type, data }) as BatchedRouteEvent) };
  const event = createCloudEvent({ type: ROUTE_BATCH, source: sourceOf('frr-server'), subject: sessionKey(session), data });
  await gateway.publish(TOPICS.routeEvents.name, [{ key: sessionKey(session), event }]);
}

/** An outbox row as the relay publishes it (anything but a notification: its JSON as committed). */
async function relay(gateway: KafkaGateway, topic: string, key: string, event: CloudEvent): Promise<void> {
  await gateway.publishSerialized(topic, [{ key, id: event.id, type: event.type, value: Buffer.from(JSON.stringify(event)) }]);
}

/** The route events BRM consumed, as its consumer checks them and its table takes them. */
function tableEventsOf(records: readonly SentRecord[], sessionId: number): TableEvent[] {
  const events: TableEvent[] = [];
  for (const record of records) {
    const envelope = JSON.parse(textOf(record.value!)) as CloudEvent;
    const checked = checkRouteStreamEvent(envelope.type, envelope.data);
    if (typeof checked === 'string') throw new Error(`BRM refuses the collector's ${envelope.type}: ${checked}`);
    for (const event of unbatched(checked) as RouteStreamEvent[]) {
      const translated =
        event.type === ROUTE_ANNOUNCED
          ? fromRouteAnnounced(event.data, sessionId)
          : event.type === ROUTE_WITHDRAWN
            ? fromRouteWithdrawn(event.data, sessionId)
            : event.type === END_OF_RIB
              ? fromEndOfRib(event.data, sessionId)
              : event.type === SESSION_UP
                ? fromSessionUp(event.data, sessionId)
                : event.type === SESSION_DOWN
                  ? fromSessionDown(event.data, sessionId)
                  : `unexpected ${event.type}`;
      if (typeof translated === 'string') throw new Error(translated);
      events.push(...translated);
    }
  }
  return events;
}

/**
 * BRM's and HRM's messages, from a hosted VPC table fed with the collector's route events of one
 * router: the notification as the outbox relay writes it (and split, as when Kafka refuses it),
 * max-prefix alerts, the latest routes and tombstones of vpc.routes.v1, a re-dump request and the
 * session-down BRM says for a lost collector.
 */
async function publishBrmAndHrmEvents(gateway: KafkaGateway, routeEvents: readonly SentRecord[]): Promise<void> {
  const vpcId = 7;
  const sessionId = 5;
  const table = new VpcRouteTable(
    {
      vpcId,
      vpcPolicy: compileVpcPolicy({ cidrs: ['10.1.0.0/16', 'fd10::/48'] }),
      platformPolicy: compilePlatformPolicy({ bogons: [] }),
      sessions: [sessionConfigOf({ id: sessionId, tunnelId: 3, maxPrefix: 1, gracefulRestartSeconds: 0 }, compileSessionPolicy())],
    },
    40,
  );
  const applied = table.apply(tableEventsOf(routeEvents, sessionId));
  const { changes } = applied;
  const stored: StoredRouteTableChanged = {
    vpcId,
    fromRevision: changes[0]!.revision,
    toRevision: changes[changes.length - 1]!.revision,
    changes: null,
  };
  const notification = createCloudEvent({ type: ROUTE_TABLE_CHANGED, source: sourceOf('brm'), subject: `vpc/${vpcId}`, data: stored });
  // The relay fills the changes in from the batch that committed them, written by NotifiedChangesWriter.
  const value = Buffer.from(
    JSON.stringify({ ...notification, data: { ...stored, changes: JSON.parse(new NotifiedChangesWriter().write(changes)) as unknown } }),
  );
  const key = String(vpcId);
  const refused: RefusedMessage = {
    topic: TOPICS.interconnectRouteUpdates.name,
    key,
    id: notification.id,
    type: notification.type,
    value,
    reason: 'MESSAGE_TOO_LARGE',
    limitBytes: 1000,
  };
  const halves = splitOutboxEvent(refused);
  if (!halves) throw new Error('the relay cannot split the notification');
  await gateway.publishSerialized(TOPICS.interconnectRouteUpdates.name, [
    { key, id: notification.id, type: notification.type, value },
    ...halves,
  ]);

  for (const alert of applied.alerts) {
    const event = createCloudEvent({ ...maxPrefixAlertEvent(vpcId, alert), source: sourceOf('brm') });
    await relay(gateway, TOPICS.alerts.name, String(alert.sessionId), event);
  }
  // HRM: the latest route per prefix, or a tombstone, from the notified changes.
  const latest = changes
    .map(notifiedChange)
    .filter((change) => change.action !== 'reject')
    .map((change) => {
      const routeKey = `${vpcId}|${change.prefix}`;
      return {
        key: routeKey,
        event:
          change.route === null
            ? null
            : createCloudEvent<VpcRouteRecord>({
                type: VPC_ROUTE,
                source: sourceOf('hrm'),
                subject: routeKey,
                data: { vpcId, revision: change.revision, route: change.route },
              }),
      };
    });
  await gateway.publish(TOPICS.vpcRoutes.name, latest);

  const lost = await judgeContinuity({ nextOffset: 500n, topicId: null }, 0n, {
    topicId: () => Promise.resolve(null),
    bounds: () => Promise.resolve({ low: 0n, high: 120n }),
  });
  if (lost.kind !== 'lost') throw new Error('judgeContinuity did not find the partition lost');
  const partitionKey = `${TOPICS.routeEvents.name}/3`;
  await relay(
    gateway,
    TOPICS.collectorControl.name,
    partitionKey,
    createCloudEvent<RedumpRequestedData>({
      type: REDUMP_REQUESTED,
      source: sourceOf('brm'),
      subject: partitionKey,
      data: { topic: TOPICS.routeEvents.name, partition: 3, reason: lost.reason, detail: lost.detail },
    }),
  );

  const session = sessionOfEvent(routeEvents[0]!);
  const down = createCloudEvent<SessionDownData>({
    type: SESSION_DOWN,
    source: sourceOf('brm'),
    subject: sessionKey(session),
    data: { session, reason: COLLECTOR_LOST, notification: null, receivedAt: RECEIVED_AT.toISOString(), connection: SINGLES.connection },
  });
  for (const topic of [TOPICS.routeEvents.name, TOPICS.sessionEvents.name]) await relay(gateway, topic, sessionKey(session), down);
}

const sessionOfEvent = (record: SentRecord) => (JSON.parse(textOf(record.value!)) as CloudEvent<{ session: SessionRef }>).data.session;

/** The admin API's outbox events. */
async function publishAdminEvents(gateway: KafkaGateway): Promise<void> {
  await relay(
    gateway,
    TOPICS.inventory.name,
    'bgp-session/12',
    createCloudEvent<InventoryChangedData>({
      type: INVENTORY_CHANGED,
      source: sourceOf('admin'),
      subject: 'bgp-session/12',
      data: { resource: 'bgp-session', id: 12, action: 'updated' },
    }),
  );
  await relay(
    gateway,
    TOPICS.subscriptions.name,
    '4',
    createCloudEvent<SubscriptionChangedData>({
      type: SUBSCRIPTION_CHANGED,
      source: sourceOf('admin'),
      subject: 'subscription/4',
      data: { subscriptionId: 4, action: 'resync' },
    }),
  );
}

/**
 * The gateway's dead letters: a consumed event BRM refuses (as its consumer dead-letters it), the
 * same cut down to fit the dead-letter topic, and a collector event Kafka refused for its size.
 */
async function publishDeadLetters(gateway: KafkaGateway, routeEvent: SentRecord): Promise<void> {
  const original = JSON.parse(textOf(routeEvent.value!)) as CloudEvent<Record<string, unknown>>;
  const broken = { ...original, data: { ...original.data, session: null } };
  const problem = checkRouteStreamEvent(broken.type, broken.data);
  if (typeof problem !== 'string') throw new Error('BRM takes an event without a session');
  const consumed: DeadLetter = {
    reason: problem,
    topic: routeEvent.topic,
    partition: 3,
    offset: '1234',
    key: routeEvent.key,
    value: JSON.stringify(broken),
    consumerGroup: 'route-broker-brm',
  };
  await gateway.deadLetter(consumed, 'invalid');
  await gateway.deadLetter(shrunkDeadLetter(consumed, 16)!, 'invalid');
  const refused: RefusedMessage = {
    topic: routeEvent.topic,
    key: routeEvent.key,
    id: original.id,
    type: original.type,
    value: routeEvent.value!,
    reason: 'MESSAGE_TOO_LARGE',
    limitBytes: 100,
  };
  // What the gateway writes for a message that cannot be split.
  await gateway.deadLetter(refusedDeadLetter(refused, 'frr-server BMP collector, router rb-host2 (192.0.2.10:40000)'), 'oversize');
}

/** The raw BMP archive's records of the FRR recording, as the collector's archive seals them. */
async function archivedRecords(): Promise<SentRecord[]> {
  const written: KeyedArchiveRecord[] = [];
  const sink: ArchiveSink = {
    write: (records) => {
      written.push(...records);
      return Promise.resolve();
    },
    close: () => Promise.resolve(),
  };
  const archive = new BmpArchive(sink, {
    logger: { log: () => undefined, warn: () => undefined },
    maxMessageLength: 1 << 20,
    recordBytes: 2000,
  });
  const stream = archive.open('asyncapi.run/1', '10.255.1.2');
  stream.received(RECORDING, RECEIVED_AT);
  stream.decoded({ initiation: null, messages: { peerUp: 1 } }, 'rb-host1');
  stream.end();
  await archive.stop();
  return written.map((record) => recordOf(BMP_ARCHIVE_TOPIC.name, archiveMessage(record)));
}

async function everythingTheCodeSends(): Promise<SentRecord[]> {
  const sent: SentRecord[] = [];
  const gateway = keepingGateway(sent);
  await publishCollectorEvents(gateway);
  await publishRouteBatchV1(gateway);
  const routeEvents = sent.filter((record) => record.topic === TOPICS.routeEvents.name && record.key === SINGLES_SESSION);
  await publishBrmAndHrmEvents(gateway, routeEvents);
  await publishAdminEvents(gateway);
  await publishDeadLetters(gateway, routeEvents[0]!);
  return [...sent, ...(await archivedRecords())];
}

// --- what the document says -------------------------------------------------------------------

type Schema = Record<string, unknown>;

/** Keywords whose value is data, not a schema. */
const VALUE_KEYWORDS = new Set(['const', 'enum', 'default', 'examples', 'required']);

/**
 * The schema with every object that lists its properties closed to others, and the parser's
 * `x-` annotations left out. The published document stays open (consumers ignore fields they do
 * not know, so fields can be added); what the code sends must still be exactly what it lists.
 */
function closed(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closed);
  if (typeof schema !== 'object' || schema === null) return schema;
  const result: Schema = {};
  for (const [keyword, value] of Object.entries(schema as Schema)) {
    if (keyword.startsWith('x-')) continue;
    if (VALUE_KEYWORDS.has(keyword)) result[keyword] = value;
    else if (keyword === 'properties')
      result[keyword] = Object.fromEntries(Object.entries(value as Schema).map(([name, property]) => [name, closed(property)]));
    else result[keyword] = closed(value);
  }
  if ('properties' in result && !('additionalProperties' in result)) result.additionalProperties = false;
  return result;
}

const payloadOf = (message: MessageInterface): Schema => message.payload()?.json<Schema>() ?? {};
/** The CloudEvents type a message stands for (its payload's `type` constant); undefined for a raw or empty value. */
const eventTypeOf = (message: MessageInterface) =>
  ((payloadOf(message).properties as Schema | undefined)?.type as Schema | undefined)?.const;
const isTombstone = (message: MessageInterface) => payloadOf(message).type === 'null';
const keySchemaOf = (message: MessageInterface) => message.bindings().get('kafka')?.value<{ key?: Schema }>().key;

let document: AsyncAPIDocumentInterface;
let errors: string[];
let sent: SentRecord[];
const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
// ajv-formats is CommonJS: under NodeNext its default import is the module, the plugin its `default`.
formats.default(ajv);
const compiled = new Map<string, ValidateFunction>();

function validatorOf(id: string, schema: unknown): ValidateFunction {
  let validate = compiled.get(id);
  if (!validate) compiled.set(id, (validate = ajv.compile(closed(schema) as Schema)));
  return validate;
}

/** Problems of `value` against `schema`, as text; none when it validates. */
function problems(id: string, schema: unknown, value: unknown): string[] {
  const validate = validatorOf(id, schema);
  return validate(value)
    ? []
    : (validate.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message ?? ''} ${JSON.stringify(error.params)}`);
}

const channelAt = (address: string): ChannelInterface | undefined =>
  document
    .channels()
    .all()
    .find((channel) => channel.address() === address);
const eventTypesOn = (channel: ChannelInterface) =>
  channel
    .messages()
    .all()
    .map(eventTypeOf)
    .filter((type): type is string => typeof type === 'string')
    .sort();
const ALL_TOPICS: readonly TopicSpec[] = [...Object.values(TOPICS), BMP_ARCHIVE_TOPIC];

beforeAll(async () => {
  const parsed = await new Parser().parse(readFileSync(DOCUMENT, 'utf8'));
  errors = parsed.diagnostics
    // Number(): the parser's enum and its rules' come from two copies of @stoplight/types.
    .filter((diagnostic) => Number(diagnostic.severity) === Number(DiagnosticSeverity.Error))
    .map((diagnostic) => `${diagnostic.path.join('.')}: ${diagnostic.message}`);
  if (!parsed.document) throw new Error(`docs/asyncapi.yaml does not parse: ${errors.join('; ')}`);
  document = parsed.document;
  sent = await everythingTheCodeSends();
});

describe('docs/asyncapi.yaml', () => {
  it('is a valid AsyncAPI 3.0 document', () => {
    expect(errors).toEqual([]);
    expect(document.version()).toBe('3.0.0');
  });

  it('has one channel per topic in topics.ts, addressed by its name', () => {
    const addresses = document
      .channels()
      .all()
      .map((channel) => channel.address());
    expect([...addresses].sort()).toEqual(ALL_TOPICS.map((topic) => topic.name).sort());
  });

  it('says which topics are compacted, as the code creates them', () => {
    const compacted = (topic: TopicSpec) =>
      channelAt(topic.name)!
        .bindings()
        .get('kafka')
        ?.value<{ topicConfiguration?: { 'cleanup.policy'?: string[] } }>()
        .topicConfiguration?.['cleanup.policy']?.includes('compact') ?? false;
    expect(ALL_TOPICS.map((topic) => [topic.name, compacted(topic)])).toEqual(ALL_TOPICS.map((topic) => [topic.name, topic.compacted]));
  });

  it('carries on each channel the event types topics.ts lists, and the code sends no other type there', () => {
    const listed = ALL_TOPICS.map((topic) => [topic.name, [...topic.eventTypes].sort()]);
    expect(ALL_TOPICS.map((topic) => [topic.name, eventTypesOn(channelAt(topic.name)!)])).toEqual(listed);
    // The table is what consumers are told: a type sent but not listed (route-batch v2 once) fails here.
    const sentAndListed = ALL_TOPICS.map((topic) => {
      const sentTypes = sent
        .filter((record) => record.topic === topic.name && record.value !== null && topic !== BMP_ARCHIVE_TOPIC)
        .map((record) => (JSON.parse(textOf(record.value!)) as CloudEvent).type);
      return [topic.name, [...new Set([...topic.eventTypes, ...sentTypes])].sort()];
    });
    expect(sentAndListed).toEqual(listed);
  });

  it('names every event type constant in src/common/events, and each CloudEvents message after its type', () => {
    const constants = [bgpEvents, collectorEvents, hrmEvents, inventoryEvents, vpcEvents]
      .flatMap((module) => Object.values(module as Record<string, unknown>))
      .filter((value): value is string => typeof value === 'string' && value.startsWith('net.route-broker.'));
    const documented = new Set(document.channels().all().flatMap(eventTypesOn));
    expect([...new Set([...constants, DEAD_LETTER_EVENT_TYPE])].filter((type) => !documented.has(type))).toEqual([]);
    const misnamed = document
      .allMessages()
      .all()
      .filter((message) => eventTypeOf(message) !== undefined && message.name() !== eventTypeOf(message))
      .map((message) => message.id());
    expect(misnamed).toEqual([]);
  });

  it('describes every message the code sends: value, headers and key', () => {
    const failures: unknown[] = [];
    for (const record of sent) {
      const channel = channelAt(record.topic);
      if (!channel) {
        failures.push({ topic: record.topic, problem: 'no channel' });
        continue;
      }
      const messages = channel.messages().all();
      let message: MessageInterface | undefined;
      let valueProblems: string[] = [];
      if (record.value === null) {
        message = messages.find(isTombstone);
      } else if (record.topic === BMP_ARCHIVE_TOPIC.name) {
        message = messages[0];
        // Whole BMP messages, as many as the record says.
        const decoded = new BmpStreamDecoder().push(record.value);
        if (String(decoded.length) !== record.headers['bmp-messages']) valueProblems = [`decodes to ${decoded.length} BMP messages`];
      } else {
        const value: unknown = JSON.parse(textOf(record.value));
        const type = (value as { type?: unknown }).type;
        message = messages.find((candidate) => eventTypeOf(candidate) === type);
        if (message) valueProblems = problems(`${channel.id()}/${message.id()}/payload`, payloadOf(message), value);
      }
      if (!message) {
        failures.push({ topic: record.topic, problem: 'no message of the channel matches', value: record.value?.toString('utf8', 0, 200) });
        continue;
      }
      const headers = message.headers()?.json();
      const keySchema = keySchemaOf(message);
      const found = [
        ...valueProblems.map((problem) => `value: ${problem}`),
        ...(headers
          ? problems(`${channel.id()}/${message.id()}/headers`, headers, record.headers)
          : Object.keys(record.headers).map((name) => `header ${name} is not documented`)
        ).map((problem) => `headers: ${problem}`),
        ...(keySchema
          ? problems(`${channel.id()}/${message.id()}/key`, keySchema, record.key)
          : ['the message has no Kafka key schema']
        ).map((problem) => `key: ${problem}`),
      ];
      if (found.length > 0) failures.push({ topic: record.topic, message: message.id(), key: record.key, problems: found });
    }
    expect(failures).toEqual([]);
  });

  it('has a message built by the code for every message of every channel', () => {
    const covered = new Set<string>();
    for (const record of sent) {
      const channel = channelAt(record.topic);
      const type =
        record.value === null || record.topic === BMP_ARCHIVE_TOPIC.name ? null : (JSON.parse(textOf(record.value)) as CloudEvent).type;
      for (const message of channel?.messages().all() ?? []) {
        const matches =
          record.value === null ? isTombstone(message) : type === null ? eventTypeOf(message) === undefined : eventTypeOf(message) === type;
        if (matches) covered.add(`${record.topic} ${message.id()}`);
      }
    }
    const documented = document
      .channels()
      .all()
      .flatMap((channel) =>
        channel
          .messages()
          .all()
          .map((message) => `${channel.address()} ${message.id()}`),
      );
    expect(documented.filter((entry) => !covered.has(entry))).toEqual([]);
  });

  it('is held to events the code’s own consumers accept', () => {
    // Otherwise the events above could be ones no consumer would take, and prove little.
    const refused = sent
      .filter((record) => record.value !== null && record.topic !== BMP_ARCHIVE_TOPIC.name)
      .map((record) => ({ topic: record.topic, event: JSON.parse(textOf(record.value!)) as CloudEvent }))
      .map(({ topic, event }) => {
        const checked =
          topic === TOPICS.routeEvents.name
            ? checkRouteStreamEvent(event.type, event.data)
            : topic === TOPICS.interconnectRouteUpdates.name
              ? checkRouteTableChanged(event.type, event.data)
              : topic === TOPICS.collectorControl.name
                ? checkRedumpRequested(event.type, event.data)
                : null;
        return typeof checked === 'string' ? `${topic} ${event.type}: ${checked}` : null;
      })
      .filter((problem) => problem !== null);
    expect(refused).toEqual([]);
  });
});
