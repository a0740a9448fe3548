import {
  END_OF_RIB,
  ROUTE_ANNOUNCED,
  COMPACT_ROUTE_BATCH,
  ROUTE_WITHDRAWN,
  SESSION_DOWN,
  SESSION_STATISTICS,
  SESSION_UP,
  sessionKey,
  unbatched,
} from '../../common/events/bgp-events.js';
import type { CompactRouteBatchData, SessionRef } from '../../common/events/bgp-events.js';
import { createCloudEvent } from '../../common/kafka/cloud-event.js';
import { TOPICS } from '../../common/kafka/topics.js';
import type {
  AsPathSegment,
  AsPathSegmentKind,
  BgpOpenMessage,
  BmpMessage,
  PathAttribute,
  PerPeerHeader,
  Route,
  RouteMonitoringMessage,
} from '../bmp/bmp-types.js';
import { BmpEventSerializer, MAX_BATCH_CHARS, type OutgoingBmpEvent } from './bmp-event-serializer.js';
import { eventsOf, onBothTopics, sessionRefOf, type CollectedEvent, type RouterIdentity } from './bmp-events.js';

const SOURCE = 'route-broker/rb-1/frr-server';
const time = new Date('2026-11-25T06:00:00.123Z');
const timeJson = JSON.stringify(time.toISOString());
const receivedAt = new Date('2026-11-25T05:59:59.987Z');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** What KafkaGateway.publish sent before the serializer: the envelope object, stringified. */
function envelopeJson(event: CollectedEvent, id: string, at: Date = time, source: string = SOURCE): string {
  return JSON.stringify(createCloudEvent({ type: event.type, source, subject: sessionKey(event.session), data: event.data, id, time: at }));
}

/** The serializer's message and what it must equal, for one expect per event. */
function serializedAndEnvelope(serializer: BmpEventSerializer, event: CollectedEvent, id: string) {
  const out = serializer.serializeOne(event, timeJson, id);
  const expected = envelopeJson(event, id);
  return {
    actual: { text: out.value.toString('utf8'), sameBytes: out.value.equals(Buffer.from(expected, 'utf8')), headers: headersOf(out) },
    expected: { text: expected, sameBytes: true, headers: { topic: event.topic, key: sessionKey(event.session), id, type: event.type } },
  };
}

const headersOf = (out: OutgoingBmpEvent) => ({ topic: out.topic, key: out.key, id: out.id, type: out.type });

const identity: RouterIdentity = { router: 'rb-host1', hostId: 7, connection: 'test.run/1' };
const peer: PerPeerHeader = {
  peerType: 0,
  flags: { ipv6: false, postPolicy: true, legacyAsPath: false, adjRibOut: false, locRibFiltered: false },
  peerDistinguisher: '0000000000000000',
  peerAddress: '169.254.101.1',
  peerAs: 65001,
  peerBgpId: '10.0.0.1',
  timestampSeconds: 1795580000,
  timestampMicroseconds: 250000,
};

function routeMonitoring(update: Partial<RouteMonitoringMessage['update']>, header: PerPeerHeader = peer): BmpMessage {
  return {
    kind: 'routeMonitoring',
    peer: header,
    contextAssumed: false,
    update: { withdrawnRoutes: [], attributes: [], routes: [], asPath: null, endOfRib: null, ...update },
  };
}

const open = (asn: number, holdTimeSeconds: number, capabilities: BgpOpenMessage['capabilities']): BgpOpenMessage => ({
  version: 4,
  myAs: asn > 65535 ? 23456 : asn,
  asn,
  holdTimeSeconds,
  bgpId: '10.0.0.2',
  capabilities,
  otherParameters: [],
});

/** An UPDATE with every attribute the collector reports, IPv4 NLRI and IPv6 MP_REACH with a link-local next hop. */
const fullUpdate = routeMonitoring({
  routes: [{ prefix: '203.0.113.0/24' }, { prefix: '198.51.100.0/24', pathId: 3 }],
  asPath: [
    { kind: 'sequence', asns: [64512, 65001, 4200000001] },
    { kind: 'set', asns: [65010, 65011] },
    { kind: 'confedSequence', asns: [65100] },
  ],
  attributes: [
    { kind: 'origin', origin: 'incomplete', code: 1, flags: 0x40 },
    { kind: 'nextHop', nextHop: '169.254.101.1', code: 3, flags: 0x40 },
    { kind: 'multiExitDisc', med: 0, code: 4, flags: 0x80 },
    { kind: 'localPref', localPref: 4294967295, code: 5, flags: 0x40 },
    { kind: 'atomicAggregate', code: 6, flags: 0x40 },
    { kind: 'aggregator', asn: 23456, address: '10.0.0.1', asnOctets: 2, code: 7, flags: 0xc0 },
    { kind: 'as4Aggregator', asn: 4200000001, address: '10.0.0.9', code: 18, flags: 0xc0 },
    { kind: 'communities', communities: ['65001:100', '65535:65281'], code: 8, flags: 0xc0 },
    {
      kind: 'extendedCommunities',
      communities: [
        { type: 0, subtype: 2, text: 'rt:65001:42' },
        { type: 1, subtype: 3, text: 'soo:192.0.2.1:7' },
        { type: 0x43, subtype: 0x0b, text: '430b000000000001' },
      ],
      code: 16,
      flags: 0xc0,
    },
    { kind: 'largeCommunities', communities: ['65001:1:2', '4200000001:0:4294967295'], code: 32, flags: 0xc0 },
    { kind: 'unknown', value: Buffer.from([1, 2]), code: 99, flags: 0xc0 },
    {
      kind: 'mpReachNlri',
      afi: 2,
      safi: 1,
      nextHops: ['fd00:101::1', 'fe80::1'],
      routes: [
        { prefix: '2001:db8:1::/48', pathId: 7 },
        { prefix: '::/0', pathId: 0 },
      ],
      code: 14,
      flags: 0x80,
    },
  ],
});

/** One of each kind of event the collector produces. */
function everyKindOfEvent(): { name: string; events: CollectedEvent[] }[] {
  const session = sessionRefOf(identity, peer);
  return [
    {
      name: 'routes announced with every attribute (IPv6 with link-local next hop, IPv4)',
      events: eventsOf(fullUpdate, identity, receivedAt, 64512),
    },
    {
      // No MED, LOCAL_PREF, origin, AS path or aggregator; no router timestamp; Adj-RIB-Out.
      name: 'routes announced with null attributes',
      events: eventsOf(
        routeMonitoring(
          {
            attributes: [
              { kind: 'mpReachNlri', afi: 2, safi: 1, nextHops: [], routes: [{ prefix: '2001:db8::/32' }], code: 14, flags: 0x80 },
            ],
          },
          { ...peer, flags: { ...peer.flags, adjRibOut: true, postPolicy: false }, timestampSeconds: 0, timestampMicroseconds: 0 },
        ),
        identity,
        receivedAt,
      ),
    },
    {
      name: 'routes withdrawn (IPv4 and IPv6)',
      events: eventsOf(
        routeMonitoring({
          withdrawnRoutes: [{ prefix: '203.0.113.0/24' }, { prefix: '10.0.0.0/8', pathId: 12 }],
          attributes: [
            {
              kind: 'mpUnreachNlri',
              afi: 2,
              safi: 1,
              withdrawnRoutes: [{ prefix: '2001:db8:1::/48', pathId: 4294967295 }],
              code: 15,
              flags: 0x80,
            },
          ],
        }),
        identity,
        receivedAt,
      ),
    },
    { name: 'End-of-RIB', events: eventsOf(routeMonitoring({ endOfRib: { afi: 1, safi: 1 } }), identity, receivedAt) },
    {
      name: 'session up (on both topics)',
      events: eventsOf(
        {
          kind: 'peerUp',
          peer,
          localAddress: '169.254.101.2',
          localPort: 179,
          remotePort: 40123,
          sentOpen: open(64512, 90, [
            { kind: 'multiprotocol', afi: 1, safi: 1 },
            { kind: 'multiprotocol', afi: 2, safi: 1 },
            { kind: 'fourOctetAs', asn: 64512 },
            { kind: 'addPath', families: [{ afi: 1, safi: 1, sendReceive: 3 }] },
            { kind: 'routeRefresh' },
            { kind: 'fqdn', hostname: 'rb-"host"1', domainName: '' },
          ]),
          receivedOpen: open(65001, 30, [
            { kind: 'multiprotocol', afi: 2, safi: 1 },
            { kind: 'fourOctetAs', asn: 65001 },
            { kind: 'routeRefreshLegacy' },
            { kind: 'unknown', code: 200, value: Buffer.alloc(0) },
          ]),
          information: [],
        },
        identity,
        receivedAt,
      ),
    },
    {
      name: 'session down with a NOTIFICATION (on both topics)',
      events: eventsOf(
        {
          kind: 'peerDown',
          peer,
          reason: 1,
          notification: { code: 6, subcode: 2, data: Buffer.alloc(0) },
          fsmEvent: null,
          information: [],
          data: Buffer.alloc(0),
        },
        identity,
        receivedAt,
      ),
    },
    {
      // As BmpCollectorService.connectionLost builds them.
      name: 'session down when the BMP connection is lost',
      events: onBothTopics([
        {
          topic: TOPICS.sessionEvents.name,
          type: SESSION_DOWN,
          session,
          data: { session, reason: 'collector-connection-lost', notification: null, receivedAt: receivedAt.toISOString() },
        },
      ]),
    },
    {
      name: 'statistics',
      events: eventsOf(
        {
          kind: 'statisticsReport',
          peer,
          statistics: [
            { type: 0, kind: 'counter32', value: 4 },
            { type: 7, kind: 'gauge64', value: 18446744073709551615n },
            { type: 9, kind: 'afiSafiGauge64', afi: 2, safi: 1, value: 950000n },
            { type: 10, kind: 'afiSafiGauge64', afi: 1, safi: 128, value: 1n },
            { type: 99, kind: 'unknown', value: Buffer.from([0]) },
          ],
        },
        identity,
        receivedAt,
      ),
    },
  ];
}

describe('BmpEventSerializer', () => {
  it('collects every kind of event the tests below serialise', () => {
    const types = everyKindOfEvent().flatMap(({ events }) => events.map((event) => `${event.topic} ${event.type}`));
    expect(new Set(types)).toEqual(
      new Set([
        `${TOPICS.routeEvents.name} ${ROUTE_ANNOUNCED}`,
        `${TOPICS.routeEvents.name} ${ROUTE_WITHDRAWN}`,
        `${TOPICS.routeEvents.name} ${END_OF_RIB}`,
        `${TOPICS.sessionEvents.name} ${SESSION_UP}`,
        `${TOPICS.routeEvents.name} ${SESSION_UP}`,
        `${TOPICS.sessionEvents.name} ${SESSION_DOWN}`,
        `${TOPICS.routeEvents.name} ${SESSION_DOWN}`,
        `${TOPICS.sessionEvents.name} ${SESSION_STATISTICS}`,
      ]),
    );
    // The full UPDATE really carries every attribute, so the comparison covers each one set.
    const [v6, v4] = everyKindOfEvent()[0]!.events.map((event) => event.data);
    expect(v4).toMatchObject({
      attributes: {
        origin: 'incomplete',
        med: 0,
        localPref: 4294967295,
        atomicAggregate: true,
        aggregator: { as: 4200000001, address: '10.0.0.9' },
        nextHopLinkLocal: null,
      },
    });
    expect(v6).toMatchObject({ attributes: { nextHop: 'fd00:101::1', nextHopLinkLocal: 'fe80::1' } });
    expect(everyKindOfEvent()[1]!.events[0]!.data).toMatchObject({
      attributes: { med: null, localPref: null, origin: null, aggregator: null, nextHop: null },
      routerTimestamp: null,
    });
  });

  describe.each(everyKindOfEvent())('$name', ({ events }) => {
    it('is byte for byte the stringified CloudEvent, keyed by session', () => {
      const serializer = new BmpEventSerializer(SOURCE);
      expect(events.length).toBeGreaterThan(0);
      events.forEach((event, i) => {
        const { actual, expected } = serializedAndEnvelope(
          serializer,
          event,
          `0b7e4e52-1f0c-4c56-9a57-4f0e6d1c00${i.toString().padStart(2, '0')}`,
        );
        expect(actual).toEqual(expected);
      });
    });
  });

  describe('strings that need JSON escaping', () => {
    const awkward = [
      'rb-"quoted"-host',
      'back\\slash\\',
      'line\nbreak\r\ttab',
      'control \u0000\u0001\u001f\u007f',
      'ünïcödé 路由器 🛰️',
      'separators \u2028\u2029',
      'lone surrogates \ud800 \udfff',
      "</script>&<>'",
    ];

    it.each(awkward)('router %j comes out as JSON.stringify writes it', (router) => {
      const serializer = new BmpEventSerializer(SOURCE);
      const events = [
        ...eventsOf(fullUpdate, { router, hostId: null, connection: 'test.run/1' }, receivedAt),
        ...eventsOf(
          routeMonitoring({ withdrawnRoutes: [{ prefix: '203.0.113.0/24' }] }),
          { router, hostId: 1, connection: 'test.run/1' },
          receivedAt,
        ),
        ...eventsOf(
          { kind: 'peerDown', peer, reason: 2, notification: null, fsmEvent: 1, information: [], data: Buffer.alloc(0) },
          { router, hostId: 1, connection: 'test.run/1' },
          receivedAt,
        ),
      ];
      for (const event of events) {
        const { actual, expected } = serializedAndEnvelope(serializer, event, 'b1b2c3d4-0000-4000-8000-000000000001');
        expect(actual).toEqual(expected);
      }
    });

    it('escapes awkward source, id, communities and addresses like JSON.stringify', () => {
      const source = 'route-broker/"rb\\1"\n/frr-server ✓';
      const serializer = new BmpEventSerializer(source);
      const [event] = eventsOf(
        routeMonitoring(
          {
            routes: [{ prefix: '203.0.113.0/24"' }],
            attributes: [
              { kind: 'nextHop', nextHop: 'next\\hop', code: 3, flags: 0x40 },
              { kind: 'communities', communities: ['"65001:1"', '\u2028'], code: 8, flags: 0xc0 },
              { kind: 'extendedCommunities', communities: [{ type: 0, subtype: 0, text: 'rt:\n' }], code: 16, flags: 0xc0 },
              { kind: 'largeCommunities', communities: ['\ud83d'], code: 32, flags: 0xc0 },
              { kind: 'aggregator', asn: 65001, address: '"10.0.0.1"', asnOctets: 4, code: 7, flags: 0xc0 },
            ],
          },
          { ...peer, peerAddress: 'fe80::1%"eth0"', peerBgpId: '\\', peerDistinguisher: 'ü' },
        ),
        identity,
        receivedAt,
      );
      const id = 'id with "quote" and \\ and \u0007';
      const out = serializer.serializeOne(event!, timeJson, id);
      expect(out.value.toString('utf8')).toBe(envelopeJson(event!, id, time, source));
      expect(headersOf(out)).toEqual({ topic: event!.topic, key: sessionKey(event!.session), id, type: event!.type });
    });
  });

  it('matches JSON.stringify on 500 random UPDATEs across sessions that come and go', () => {
    const random = mulberry32(0x5eed_b3b9);
    // Three sessions, two of them differing only in the peer distinguisher, so the session cache
    // must notice a one-field change, and runs of one session alternate with switches back.
    const sessions: { identity: RouterIdentity; peer: PerPeerHeader }[] = [
      { identity, peer },
      { identity, peer: { ...peer, peerDistinguisher: '0000fde800000001' } },
      {
        identity: { router: 'rb-"host"2\\ü', hostId: null, connection: 'test.run/1' },
        peer: { ...peer, flags: { ...peer.flags, ipv6: true }, peerAddress: 'fd00:102::1', peerAs: 4200000002, peerBgpId: '10.0.0.2' },
      },
    ];
    const serializer = new BmpEventSerializer(SOURCE);
    let current = 0;
    let events = 0;
    let switches = 0;
    const kinds = new Set<string>();
    for (let i = 0; i < 500; i++) {
      if (random() < 0.3) {
        const next = Math.floor(random() * sessions.length);
        if (next !== current) switches++;
        current = next;
      }
      const { identity: router, peer: header } = sessions[current]!;
      const localAs = pick(random, [null, 64512, header.peerAs]);
      for (const event of eventsOf(randomUpdate(random, header), router, new Date(1795580000000 + i * 1000), localAs)) {
        const id = randomUuid(random);
        const { actual, expected } = serializedAndEnvelope(serializer, event, id);
        // The index in both sides says which UPDATE differed.
        expect({ update: i, ...actual }).toEqual({ update: i, ...expected });
        kinds.add(`${event.type} ${(event.data as { family?: string }).family}`);
        events++;
      }
    }
    expect(events).toBeGreaterThan(500);
    expect(switches).toBeGreaterThan(50);
    expect(kinds).toEqual(
      new Set([
        `${ROUTE_ANNOUNCED} ipv4-unicast`,
        `${ROUTE_ANNOUNCED} ipv6-unicast`,
        `${ROUTE_WITHDRAWN} ipv4-unicast`,
        `${ROUTE_WITHDRAWN} ipv6-unicast`,
        `${END_OF_RIB} ipv4-unicast`,
        `${END_OF_RIB} ipv6-unicast`,
      ]),
    );
  });

  describe('session cache', () => {
    const base: SessionRef = sessionRefOf(identity, peer);
    const oneFieldApart: [keyof SessionRef, SessionRef][] = [
      ['router', { ...base, router: 'rb-host2' }],
      ['hostId', { ...base, hostId: null }],
      ['peerAddress', { ...base, peerAddress: '169.254.101.5' }],
      ['peerAs', { ...base, peerAs: 65002 }],
      ['peerBgpId', { ...base, peerBgpId: '10.0.0.5' }],
      ['peerDistinguisher', { ...base, peerDistinguisher: '0000fde800000001' }],
    ];

    it.each(oneFieldApart)('keeps sessions apart that differ only in %s, serialised alternately', (_field, other) => {
      const serializer = new BmpEventSerializer(SOURCE);
      const withdrawal = (session: SessionRef): CollectedEvent => ({
        topic: TOPICS.routeEvents.name,
        type: ROUTE_WITHDRAWN,
        session,
        data: {
          session,
          postPolicy: false,
          adjRibOut: false,
          family: 'ipv4-unicast',
          prefixes: [{ prefix: '203.0.113.0/24', pathId: null }],
          receivedAt: receivedAt.toISOString(),
          routerTimestamp: null,
        },
      });
      // Fresh equal objects as well as the same object: the cache compares values, not identity.
      const order = [base, other, base, { ...base }, other, { ...other }, other, base];
      for (const session of order) {
        const event = withdrawal(session);
        const out = serializer.serializeOne(event, timeJson, 'c0ffee00-0000-4000-8000-000000000000');
        const parsed = JSON.parse(out.value.toString('utf8')) as { subject: string; data: { session: SessionRef } };
        expect({ key: out.key, subject: parsed.subject, session: parsed.data.session }).toEqual({
          key: sessionKey(session),
          subject: sessionKey(session),
          session,
        });
        expect(out.value.toString('utf8')).toBe(envelopeJson(event, 'c0ffee00-0000-4000-8000-000000000000'));
      }
    });

    it('writes each event with its own session when an announcement follows a session up of another session', () => {
      const serializer = new BmpEventSerializer(SOURCE);
      const other = { ...peer, peerAddress: '169.254.101.9', peerAs: 65009 };
      const events = [
        ...eventsOf(routeMonitoring({ routes: [{ prefix: '192.0.2.0/24' }] }, other), identity, receivedAt),
        ...everyKindOfEvent().flatMap(({ events: some }) => some),
        ...eventsOf(routeMonitoring({ withdrawnRoutes: [{ prefix: '192.0.2.0/24' }] }, other), identity, receivedAt),
      ];
      for (const event of events) {
        const { actual, expected } = serializedAndEnvelope(serializer, event, '00000000-0000-4000-8000-000000000000');
        expect(actual).toEqual(expected);
      }
    });
  });

  describe('serialize', () => {
    /** Route events one prefix each (an End-of-RIB as it is), as JSON would carry them: what a batch must stand for. */
    const perPrefix = (events: { type: string; data: unknown }[]) =>
      JSON.parse(
        JSON.stringify(
          events.flatMap(({ type, data }) => {
            const { prefixes } = data as { prefixes?: unknown[] };
            return prefixes === undefined ? [{ type, data }] : prefixes.map((prefix) => ({ type, data: { ...data!, prefixes: [prefix] } }));
          }),
        ),
      ) as unknown;

    /**
     * Walks the messages against the events: a plain message must be its event's envelope, a
     * compact batch an envelope whose events unbatch to the next events' routes, in order.
     * Returns how many events the messages covered.
     */
    function expectMessagesToBe(out: OutgoingBmpEvent[], events: CollectedEvent[]): number {
      let next = 0;
      for (const message of out) {
        expect(message.id).toMatch(UUID);
        const envelope = JSON.parse(message.value.toString('utf8')) as {
          id: string;
          time: string;
          type: string;
          subject: string;
          data: CompactRouteBatchData;
        };
        expect({ id: envelope.id, time: envelope.time }).toEqual({ id: message.id, time: time.toISOString() });
        const first = events[next]!;
        if (message.type === COMPACT_ROUTE_BATCH) {
          // The events a batch covers: as many as make up its routes, one tuple each.
          let routes = 0;
          let end = next;
          while (routes < envelope.data.events.length) routes += (events[end++]!.data as { prefixes?: unknown[] }).prefixes?.length ?? 1;
          const batched = events.slice(next, end);
          expect(routes).toBe(envelope.data.events.length);
          expect(envelope).toMatchObject({ type: COMPACT_ROUTE_BATCH, source: SOURCE, subject: sessionKey(first.session) });
          expect(envelope.data.session).toEqual(JSON.parse(JSON.stringify(first.session)));
          expect(perPrefix(unbatched(envelope))).toEqual(perPrefix(batched));
          expect(batched.every((event) => sessionKey(event.session) === sessionKey(first.session))).toBe(true);
          next = end;
        } else {
          expect(message.value.toString('utf8')).toBe(envelopeJson(first, message.id));
          expect(message.type).toBe(first.type);
          next++;
        }
        expect({ topic: message.topic, key: message.key }).toEqual({ topic: first.topic, key: sessionKey(first.session) });
      }
      return next;
    }

    /** One-prefix announcements of `session`'s peer, as FRR sends a table. */
    const onePrefixAnnouncements = (count: number, header: PerPeerHeader = peer): CollectedEvent[] =>
      Array.from({ length: count }, (_, index) =>
        eventsOf(
          routeMonitoring(
            {
              routes: [{ prefix: `10.${(index >> 8) & 255}.${index & 255}.0/24` }],
              asPath: [{ kind: 'sequence', asns: [65001, 64600 + (index % 50)] }],
              attributes: [
                { kind: 'origin', origin: 'igp', code: 1, flags: 0x40 },
                { kind: 'nextHop', nextHop: '169.254.101.1', code: 3, flags: 0x40 },
              ],
            },
            header,
          ),
          identity,
          receivedAt,
        ),
      ).flat();

    it('gives every message a distinct UUID and all of them the same time, and covers every event in order', () => {
      const events = everyKindOfEvent().flatMap(({ events: some }) => some);
      const out = new BmpEventSerializer(SOURCE).serialize(events, time);
      expect(new Set(out.map((message) => message.id)).size).toBe(out.length);
      expect(expectMessagesToBe(out, events)).toBe(events.length);
    });

    it('puts consecutive route events of one session into one compact route-batch message that unbatched() turns back into them', () => {
      const events = [
        ...onePrefixAnnouncements(5),
        ...eventsOf(routeMonitoring({ withdrawnRoutes: [{ prefix: '10.0.1.0/24' }] }), identity, receivedAt),
        ...eventsOf(routeMonitoring({ endOfRib: { afi: 1, safi: 1 } }), identity, receivedAt),
      ];
      expect(events).toHaveLength(7);
      const out = new BmpEventSerializer(SOURCE).serialize(events, time);
      expect(out.map((message) => message.type)).toEqual([COMPACT_ROUTE_BATCH]);
      expect(expectMessagesToBe(out, events)).toBe(7);
      // One-prefix UPDATEs of other attributes each: unbatched gives back exactly those events.
      const envelope = JSON.parse(out[0]!.value.toString('utf8')) as { type: string; data: unknown };
      expect(unbatched(envelope)).toEqual(JSON.parse(JSON.stringify(events.map(({ type, data }) => ({ type, data })))));
    });

    it('ends a batch where the session changes or another kind of event comes between', () => {
      const other: PerPeerHeader = { ...peer, peerAddress: '169.254.101.9', peerAs: 65009 };
      const sessionUp = eventsOf(
        {
          kind: 'peerUp',
          peer,
          localAddress: '169.254.101.2',
          localPort: 40000,
          remotePort: 179,
          sentOpen: open(64512, 9, []),
          receivedOpen: open(65001, 9, []),
          information: [],
        },
        identity,
        receivedAt,
      ).filter((event) => event.topic === TOPICS.routeEvents.name);
      expect(sessionUp).toHaveLength(1);
      const events = [
        ...onePrefixAnnouncements(2),
        ...onePrefixAnnouncements(3, other),
        ...sessionUp,
        ...onePrefixAnnouncements(1),
        ...onePrefixAnnouncements(2),
      ];
      const out = new BmpEventSerializer(SOURCE).serialize(events, time);
      expect(out.map((message) => message.type)).toEqual([COMPACT_ROUTE_BATCH, COMPACT_ROUTE_BATCH, SESSION_UP, COMPACT_ROUTE_BATCH]);
      expect(out.map((message) => message.key)).toEqual([
        sessionKey(events[0]!.session),
        sessionKey(events[2]!.session),
        sessionKey(events[0]!.session),
        sessionKey(events[0]!.session),
      ]);
      expect(expectMessagesToBe(out, events)).toBe(events.length);
    });

    it('sends a lone route event as itself', () => {
      const events = [...onePrefixAnnouncements(1), ...onePrefixAnnouncements(1, { ...peer, peerAddress: '169.254.101.9' })];
      const out = new BmpEventSerializer(SOURCE).serialize(events, time);
      expect(out.map((message) => message.type)).toEqual([ROUTE_ANNOUNCED, ROUTE_ANNOUNCED]);
      expect(expectMessagesToBe(out, events)).toBe(2);
    });

    it('starts a new batch before one would pass MAX_BATCH_CHARS', () => {
      const events = onePrefixAnnouncements(20_000);
      const out = new BmpEventSerializer(SOURCE).serialize(events, time);
      expect(out.length).toBeGreaterThan(3);
      const sizes = out.map((message) => JSON.stringify((JSON.parse(message.value.toString('utf8')) as { data: unknown }).data).length);
      expect(Math.max(...sizes)).toBeLessThanOrEqual(MAX_BATCH_CHARS);
      // Full, but for the last: the limit is what ends a batch.
      expect(Math.min(...sizes.slice(0, -1))).toBeGreaterThan(MAX_BATCH_CHARS * 0.99);
      expect(expectMessagesToBe(out, events)).toBe(20_000);
    });

    it('writes the compact batch as docs/events.md shows it: session once, tables, one tuple per route', () => {
      const v6: PerPeerHeader = { ...peer, flags: { ...peer.flags, ipv6: true } };
      const shared = { asPath: [{ kind: 'sequence' as const, asns: [65001, 4200000001] }] };
      const events = [
        ...eventsOf(
          routeMonitoring({
            routes: [{ prefix: '192.0.2.0/24' }, { prefix: '198.51.100.0/24', pathId: 7 }],
            ...shared,
            attributes: [
              { kind: 'origin', origin: 'igp', code: 1, flags: 0x40 },
              { kind: 'nextHop', nextHop: '169.254.101.1', code: 3, flags: 0x40 },
              { kind: 'multiExitDisc', med: 50, code: 4, flags: 0x80 },
              { kind: 'largeCommunities', communities: ['65001:1:2'], code: 32, flags: 0xc0 },
            ],
          }),
          identity,
          receivedAt,
        ),
        ...eventsOf(
          routeMonitoring(
            {
              routes: [],
              ...shared,
              attributes: [
                { kind: 'origin', origin: 'igp', code: 1, flags: 0x40 },
                {
                  kind: 'mpReachNlri',
                  afi: 2,
                  safi: 1,
                  nextHops: ['fd00:101::1', 'fe80::1'],
                  routes: [{ prefix: '2001:db8::/32' }],
                  code: 14,
                  flags: 0x80,
                },
              ],
            },
            v6,
          ),
          identity,
          receivedAt,
        ),
        ...eventsOf(routeMonitoring({ withdrawnRoutes: [{ prefix: '192.0.2.0/24' }] }), identity, receivedAt),
        ...eventsOf(routeMonitoring({ endOfRib: { afi: 1, safi: 1 } }), identity, receivedAt),
      ];
      const [message, ...more] = new BmpEventSerializer(SOURCE).serialize(events, time);
      expect(more).toHaveLength(0);
      const routerTimestamp = '2026-11-25T04:13:20.250Z';
      const { data } = JSON.parse(message!.value.toString('utf8')) as { data: unknown };
      // Under half of what the same events took in a v1 batch.
      const v1Data = { session: events[0]!.session, events: events.map(({ type, data }) => ({ type, data })) };
      expect(JSON.stringify(data).length).toBeLessThan(JSON.stringify(v1Data).length / 2);
      expect(data).toEqual({
        session: {
          router: 'rb-host1',
          hostId: 7,
          peerAddress: '169.254.101.1',
          peerAs: 65001,
          peerBgpId: '10.0.0.1',
          peerDistinguisher: '0000000000000000',
        },
        views: [
          { family: 'ipv4-unicast', postPolicy: true, adjRibOut: false },
          { family: 'ipv6-unicast', postPolicy: true, adjRibOut: false },
        ],
        // An End-of-RIB has no router timestamp of its own.
        times: [
          { receivedAt: receivedAt.toISOString(), routerTimestamp },
          { receivedAt: receivedAt.toISOString(), routerTimestamp: null },
        ],
        attributes: [
          { origin: 'igp', asPath: [65001, 4200000001], nextHop: '169.254.101.1', med: 50, largeCommunities: ['65001:1:2'] },
          { origin: 'igp', asPath: [65001, 4200000001], nextHop: 'fd00:101::1', nextHopLinkLocal: 'fe80::1' },
        ],
        events: [
          ['a', 0, 0, '192.0.2.0/24', null, 0],
          ['a', 0, 0, '198.51.100.0/24', 7, 0],
          ['a', 1, 0, '2001:db8::/32', null, 1],
          ['w', 0, 0, '192.0.2.0/24', null],
          ['e', 0, 1],
        ],
      });
    });

    it('batches a stream of random UPDATEs of several sessions into messages that stand for every event, in order', () => {
      const random = mulberry32(2026);
      const headers = [peer, { ...peer, peerAddress: '169.254.101.9', peerAs: 65009 }];
      const events: CollectedEvent[] = [];
      for (let i = 0; i < 3000; i++) {
        const header = random() < 0.05 ? headers[1]! : headers[0]!;
        events.push(...eventsOf(randomUpdate(random, header), identity, new Date(1795580000000 + Math.floor(i / 10) * 1000)));
      }
      const out = new BmpEventSerializer(SOURCE).serialize(events, time);
      expect(out.filter((message) => message.type === COMPACT_ROUTE_BATCH).length).toBeGreaterThan(50);
      expect(expectMessagesToBe(out, events)).toBe(events.length);
    });

    it('stamps the current time when none is given', () => {
      const before = Date.now();
      const [message] = new BmpEventSerializer(SOURCE).serialize(everyKindOfEvent()[2]!.events);
      const stamped = Date.parse((JSON.parse(message!.value.toString('utf8')) as { time: string }).time);
      expect(stamped).toBeGreaterThanOrEqual(before);
      expect(stamped).toBeLessThanOrEqual(Date.now());
    });
  });
});

// --- random UPDATEs ---------------------------------------------------------------------------

/** A small seeded PRNG, so a failing UPDATE can be reproduced. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Random = () => number;
const integer = (random: Random, max: number) => Math.floor(random() * (max + 1));
const uint32 = (random: Random) => integer(random, 0xffffffff);
const pick = <T>(random: Random, choices: readonly T[]): T => choices[Math.floor(random() * choices.length)]!;
const listOf = <T>(random: Random, max: number, make: () => T): T[] => Array.from({ length: integer(random, max) }, make);
const hex = (random: Random, digits: number) => Array.from({ length: digits }, () => '0123456789abcdef'[integer(random, 15)]).join('');

function randomUuid(random: Random): string {
  return `${hex(random, 8)}-${hex(random, 4)}-4${hex(random, 3)}-${pick(random, ['8', '9', 'a', 'b'])}${hex(random, 3)}-${hex(random, 12)}`;
}

function ipv4(random: Random): string {
  return Array.from({ length: 4 }, () => integer(random, 255)).join('.');
}

/** Canonical text with the host bits cleared, as the decoder gives it. */
function ipv4Prefix(random: Random): string {
  const length = integer(random, 32);
  const address = uint32(random);
  const network = length === 0 ? 0 : (address & (0xffffffff << (32 - length))) >>> 0;
  return `${[24, 16, 8, 0].map((shift) => (network >>> shift) & 0xff).join('.')}/${length}`;
}

function ipv6Prefix(random: Random): string {
  const length = pick(random, [0, 32, 48, 56, 64, 127, 128]);
  if (length === 0) return '::/0';
  const groups = Array.from({ length: length / 16 }, () => integer(random, 0xffff).toString(16));
  return `${groups.join(':')}${groups.length < 8 ? '::' : ''}/${length}`;
}

const route = (random: Random, prefix: (random: Random) => string): Route =>
  random() < 0.5 ? { prefix: prefix(random) } : { prefix: prefix(random), pathId: pick(random, [0, 1, uint32(random)]) };

function randomAsPath(random: Random): AsPathSegment[] | null {
  if (random() < 0.15) return null;
  const kinds: AsPathSegmentKind[] = ['sequence', 'sequence', 'set', 'confedSequence', 'confedSet'];
  return listOf(random, 4, () => ({
    kind: pick(random, kinds),
    asns: listOf(random, 5, () => pick(random, [64512, 65001, uint32(random)])),
  }));
}

function randomAttributes(random: Random): PathAttribute[] {
  const attributes: PathAttribute[] = [];
  const maybe = (attribute: PathAttribute) => {
    if (random() < 0.5) attributes.push(attribute);
  };
  maybe({ kind: 'origin', origin: pick(random, ['igp', 'egp', 'incomplete'] as const), code: 1, flags: 0x40 });
  maybe({ kind: 'nextHop', nextHop: ipv4(random), code: 3, flags: 0x40 });
  maybe({ kind: 'multiExitDisc', med: pick(random, [0, uint32(random)]), code: 4, flags: 0x80 });
  maybe({ kind: 'localPref', localPref: pick(random, [0, 100, uint32(random)]), code: 5, flags: 0x40 });
  maybe({ kind: 'atomicAggregate', code: 6, flags: 0x40 });
  const aggregatorAs = pick(random, [23456, 65001, uint32(random)]);
  maybe({ kind: 'aggregator', asn: aggregatorAs, address: ipv4(random), asnOctets: aggregatorAs > 65535 ? 4 : 2, code: 7, flags: 0xc0 });
  maybe({ kind: 'as4Aggregator', asn: uint32(random), address: ipv4(random), code: 18, flags: 0xc0 });
  maybe({
    kind: 'communities',
    communities: listOf(random, 5, () => `${integer(random, 65535)}:${integer(random, 65535)}`),
    code: 8,
    flags: 0xc0,
  });
  maybe({
    kind: 'extendedCommunities',
    communities: listOf(random, 3, () =>
      pick(random, [
        { type: 0, subtype: 2, text: `rt:${integer(random, 65535)}:${uint32(random)}` },
        { type: 1, subtype: 3, text: `soo:${ipv4(random)}:${integer(random, 65535)}` },
        { type: 0x80, subtype: 6, text: hex(random, 16) },
      ]),
    ),
    code: 16,
    flags: 0xc0,
  });
  maybe({
    kind: 'largeCommunities',
    communities: listOf(random, 3, () => `${uint32(random)}:${uint32(random)}:${uint32(random)}`),
    code: 32,
    flags: 0xc0,
  });
  if (random() < 0.5) {
    const nextHops = pick(random, [[], ['fd00:101::1'], ['fd00:101::1', 'fe80::1'], ['2001:db8::a', 'fe80::a:b:c:d']]);
    attributes.push({
      kind: 'mpReachNlri',
      afi: 2,
      safi: 1,
      nextHops,
      routes: listOf(random, 6, () => route(random, ipv6Prefix)),
      code: 14,
      flags: 0x80,
    });
  }
  if (random() < 0.3) {
    attributes.push({
      kind: 'mpUnreachNlri',
      afi: 2,
      safi: 1,
      withdrawnRoutes: listOf(random, 6, () => route(random, ipv6Prefix)),
      code: 15,
      flags: 0x80,
    });
  }
  // Shuffled: the collector reads attributes in any order.
  for (let i = attributes.length - 1; i > 0; i--) {
    const j = integer(random, i);
    [attributes[i], attributes[j]] = [attributes[j]!, attributes[i]!];
  }
  return attributes;
}

function randomUpdate(random: Random, header: PerPeerHeader): BmpMessage {
  const routed: PerPeerHeader = {
    ...header,
    flags: { ...header.flags, postPolicy: random() < 0.5, adjRibOut: random() < 0.2 },
    timestampSeconds: random() < 0.2 ? 0 : 1795580000 + integer(random, 100000),
    timestampMicroseconds: integer(random, 999999),
  };
  if (random() < 0.03) return routeMonitoring({ endOfRib: { afi: pick(random, [1, 2]), safi: 1 } }, routed);
  return routeMonitoring(
    {
      routes: random() < 0.6 ? listOf(random, 8, () => route(random, ipv4Prefix)) : [],
      withdrawnRoutes: random() < 0.3 ? listOf(random, 8, () => route(random, ipv4Prefix)) : [],
      asPath: randomAsPath(random),
      attributes: randomAttributes(random),
    },
    routed,
  );
}
