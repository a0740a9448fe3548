/**
 * RouterStream, what a read worker runs per connection: the recorded FRR stream read in any
 * chunking gives the events the decoder, eventsOf and the serializer give for it in one piece; an
 * Initiation holds the stream until the router is identified; malformed bytes are reported, not
 * thrown; sessions are reported once up and once down.
 */
import { readFileSync } from 'node:fs';
import { unbatched } from '../../common/events/bgp-events.js';
import { peerKey } from '../bmp/bmp-session-tracker.js';
import { BmpStreamDecoder } from '../bmp/bmp-stream-decoder.js';
import { encodeBmpMessage } from '../bmp/bmp-encode.js';
import { BmpEventSerializer, type OutgoingBmpEvent } from './bmp-event-serializer.js';
import { eventsOf, sessionRefOf, type CollectedEvent, type RouterIdentity } from './bmp-events.js';
import { RouterStream, type ReadOutcome } from './router-stream.js';
import { peerUp, routeMonitoringIpv4 } from '../../../test/fixtures/bmp/sample-messages.js';
import type { RouteMonitoringMessage } from '../bmp/bmp-types.js';

const recording = readFileSync(new URL('../../../test/fixtures/bmp/frr-8.4-basic.bin', import.meta.url));
const RECEIVED_AT = new Date('2026-12-02T10:00:00.000Z');
const SOURCE = 'route-broker/test/frr-server';
const byAddress: RouterIdentity = { router: '10.255.1.2', hostId: null, connection: 'test.run/1' };

const streamOf = (identity: RouterIdentity = byAddress) => new RouterStream({ identity, maxMessageLength: 1 << 20, source: SOURCE });

/** Every route and session event in the messages, batches expanded, without envelope ids and times. */
function eventsIn(messages: readonly OutgoingBmpEvent[]): { topic: string; key: string; type: string; data: unknown }[] {
  return messages.flatMap((message) => {
    const envelope = JSON.parse(message.value.toString('utf8')) as { type: string; data: unknown; subject: string };
    expect(envelope.subject).toBe(message.key);
    return unbatched(envelope).map((event) => ({ topic: message.topic, key: message.key, type: event.type, data: event.data }));
  });
}

/** The recording read in chunks of `size`, the router identified by `identity` at its Initiation. */
function readInChunks(size: number, identity: RouterIdentity, hostAsn: number | null) {
  const stream = streamOf();
  const outcomes: ReadOutcome[] = [];
  for (let start = 0; start < recording.length; start += size) {
    let outcome = stream.read(recording.subarray(start, start + size), RECEIVED_AT);
    outcomes.push(outcome);
    while (outcome.initiation) {
      stream.identify(identity, hostAsn);
      outcome = stream.continueRead();
      outcomes.push(outcome);
    }
  }
  return outcomes;
}

/** What the collector made of the recording before its reads moved to workers: all of it at once, already identified. */
function inOnePiece(identity: RouterIdentity, hostAsn: number): OutgoingBmpEvent[] {
  const localAs = new Map<string, number>();
  const events: CollectedEvent[] = [];
  for (const message of new BmpStreamDecoder().push(recording)) {
    const key = 'peer' in message ? peerKey(message.peer) : null;
    if (message.kind === 'peerUp' && key && message.sentOpen) localAs.set(key, message.sentOpen.asn);
    if (message.kind === 'peerDown' && key) localAs.delete(key);
    events.push(...eventsOf(message, identity, RECEIVED_AT, key === null ? null : (localAs.get(key) ?? hostAsn)));
  }
  return new BmpEventSerializer(SOURCE).serialize(events);
}

const host: RouterIdentity = { router: 'rb-host1', hostId: 7, connection: 'test.run/1' };

it('gives the same events in any chunking as the decoder, eventsOf and the serializer in one piece', () => {
  const expected = eventsIn(inOnePiece(host, 64512));
  expect(expected.length).toBeGreaterThan(40);
  for (const size of [1, 7, 100, 4096, recording.length]) {
    const outcomes = readInChunks(size, host, 64512);
    expect(eventsIn(outcomes.flatMap((outcome) => outcome.events))).toEqual(expected);
    // The Initiation stops one read, once, before any event.
    expect(outcomes.filter((outcome) => outcome.initiation !== null).map((outcome) => outcome.initiation)).toEqual([
      { sysName: 'bmprec-host' },
    ]);
  }
});

it('counts messages and prefixes per kind', () => {
  const outcomes = readInChunks(recording.length, host, 64512);
  const messages: Record<string, number> = {};
  for (const outcome of outcomes)
    for (const [kind, count] of Object.entries(outcome.messages)) messages[kind] = (messages[kind] ?? 0) + count;
  const decoded = new BmpStreamDecoder().push(recording);
  const expected: Record<string, number> = {};
  for (const message of decoded) expected[message.kind] = (expected[message.kind] ?? 0) + 1;
  expect(messages).toEqual(expected);
  const announced = outcomes.reduce((sum, outcome) => sum + outcome.announced, 0);
  const withdrawn = outcomes.reduce((sum, outcome) => sum + outcome.withdrawn, 0);
  const events = eventsIn(outcomes.flatMap((outcome) => outcome.events));
  const prefixes = (type: string) =>
    events.filter((event) => event.type === type).reduce((sum, event) => sum + (event.data as { prefixes: unknown[] }).prefixes.length, 0);
  expect(announced).toBe(prefixes('net.route-broker.bgp.route-announced.v1'));
  expect(withdrawn).toBe(prefixes('net.route-broker.bgp.route-withdrawn.v1'));
  expect(withdrawn).toBeGreaterThan(0);
});

it('holds the reads after an Initiation until the router is identified, and names it in their events', () => {
  const stream = streamOf();
  // The Initiation is the recording's first message; cut the stream after it and in two more reads.
  const third = Math.floor(recording.length / 3);
  const first = stream.read(recording.subarray(0, third), RECEIVED_AT);
  expect(first.initiation).toEqual({ sysName: 'bmprec-host' });
  expect(first.events).toEqual([]);
  const second = stream.read(recording.subarray(third, 2 * third), RECEIVED_AT);
  expect(second).toMatchObject({ events: [], sessionChanges: [], initiation: null, malformed: null, announced: 0 });
  stream.identify(host, 64512);
  const rest = stream.continueRead();
  const third_ = stream.read(recording.subarray(2 * third), RECEIVED_AT);
  const events = eventsIn([...rest.events, ...third_.events]);
  expect(events.length).toBeGreaterThan(40);
  for (const event of events)
    expect((event.data as { session: RouterIdentity }).session).toMatchObject({ router: host.router, hostId: host.hostId });
  expect(eventsIn([...rest.events, ...third_.events])).toEqual(eventsIn(inOnePiece(host, 64512)));
});

it('reports sessions once when first seen and once when they go down', () => {
  const changes = readInChunks(recording.length, host, 64512).flatMap((outcome) => outcome.sessionChanges);
  const decoded = new BmpStreamDecoder().push(recording);
  const downs = decoded.filter((message) => message.kind === 'peerDown');
  expect(downs.length).toBeGreaterThan(0);
  // FRR 8.4 sends a Peer Down for a neighbour it never reported: only sessions seen go down.
  const seen = new Set<string>();
  const expected: unknown[] = [];
  for (const message of decoded) {
    if (!('peer' in message)) continue;
    const key = peerKey(message.peer);
    if (message.kind === 'peerDown' && seen.delete(key)) expected.push({ change: 'down', key });
    if ((message.kind === 'peerUp' || message.kind === 'routeMonitoring') && !seen.has(key)) {
      seen.add(key);
      expected.push({ change: 'up', key, session: sessionRefOf(host, message.peer) });
    }
  }
  expect(changes).toEqual(expected);
  // 7 Peer Downs in the recording (192.0.2.99 never up, repeated ones): 2 sessions went down.
  expect(downs).toHaveLength(7);
  expect(changes.filter((change) => change.change === 'down').map((change) => change.key)).toEqual([
    '0000000000000000|fd00:201::1',
    '0000000000000000|169.254.201.1',
  ]);
});

it('reports a malformed message with its offset instead of throwing, and uses nothing of that read', () => {
  const stream = streamOf(host);
  const initiation = encodeBmpMessage({ kind: 'initiation', information: [{ type: 2, value: Buffer.from('r1'), text: 'r1' }] });
  const bad = Buffer.from(initiation);
  bad[0] = 9; // BMP version 9
  const outcome = stream.read(Buffer.concat([initiation, bad]), RECEIVED_AT);
  expect(outcome.malformed).toEqual({ offset: initiation.length, problem: expect.stringContaining('version') });
  expect(outcome).toMatchObject({ events: [], messages: {}, initiation: null });
});

it("keeps a session whose Peer Up lacks the received OPEN (FRR's bare header), says so, and falls back to the host's AS", () => {
  const stream = streamOf(host);
  const initiation = encodeBmpMessage({ kind: 'initiation', information: [{ type: 2, value: Buffer.from('r1'), text: 'r1' }] });
  const held = stream.read(Buffer.concat([initiation, encodeBmpMessage({ ...peerUp, sentOpen: null, receivedOpen: null })]), RECEIVED_AT);
  expect(held.initiation).toEqual({ sysName: 'r1' });
  stream.identify(host, 64512);
  const outcome = stream.continueRead();
  expect(outcome.malformed).toBeNull();
  expect(outcome.notices).toEqual([
    `Peer Up of ${peerUp.peer.peerAddress} has no sent and received OPEN (the router did not keep it): ` +
      'the session is up, its negotiated capabilities unknown; its UPDATEs are read as 4-octet AS without ADD-PATH',
  ]);
  expect(outcome.sessionChanges).toEqual([{ change: 'up', key: peerKey(peerUp.peer), session: sessionRefOf(host, peerUp.peer) }]);
  const [sessionUp] = eventsIn(outcome.events);
  expect(sessionUp).toMatchObject({
    type: 'net.route-broker.bgp.session-up.v1',
    data: { localAs: null, capabilities: null, families: null },
  });
  // The host's AS stands in for the unknown local AS: FRR's own prepend is still removed from eBGP paths.
  const routeMonitoringPrepended: RouteMonitoringMessage = {
    ...routeMonitoringIpv4,
    update: {
      ...routeMonitoringIpv4.update,
      withdrawnRoutes: [],
      attributes: routeMonitoringIpv4.update.attributes.map((attribute) =>
        attribute.kind === 'asPath'
          ? { ...attribute, segments: [{ kind: 'sequence' as const, asns: [64512, 65001, 4200000001] }] }
          : attribute,
      ),
    },
  };
  const announced = eventsIn(stream.read(encodeBmpMessage(routeMonitoringPrepended), RECEIVED_AT).events);
  expect(announced[0]).toMatchObject({ type: 'net.route-broker.bgp.route-announced.v1' });
  expect((announced[0]!.data as { attributes: { asPath: number[] } }).attributes.asPath).toEqual([65001, 4200000001]);
});
