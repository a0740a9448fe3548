/**
 * A real FRR 8.4.4 BMP stream, recorded by test/fixtures/bmp/record-frr.sh: host AS 64512 with
 * an IPv4 and an IPv6 eBGP session to a PE in AS 4200000001 and a third neighbour that never
 * comes up; pre- and post-policy monitoring, statistics every second; then 198.51.100.0/24 is
 * withdrawn and the IPv4 session shut down. See README.md for the quirks it shows.
 */
import { readFileSync } from 'node:fs';
import { BmpStreamDecoder } from './bmp-stream-decoder.js';
import type { BmpMessage, PeerDownMessage, PeerUpMessage, RouteMonitoringMessage, StatisticsReportMessage } from './bmp-types.js';

const recording = readFileSync(new URL('../../../test/fixtures/bmp/frr-8.4-basic.bin', import.meta.url));

function decode(chunkSize: number): BmpMessage[] {
  const decoder = new BmpStreamDecoder();
  const messages: BmpMessage[] = [];
  for (let start = 0; start < recording.length; start += chunkSize)
    messages.push(...decoder.push(recording.subarray(start, start + chunkSize)));
  decoder.end();
  return messages;
}

const messages = decode(recording.length);
const ofKind = <K extends BmpMessage['kind']>(kind: K) =>
  messages.filter((message): message is Extract<BmpMessage, { kind: K }> => message.kind === kind);
const announced = (message: RouteMonitoringMessage) => [
  ...message.update.routes.map((route) => route.prefix),
  ...message.update.attributes.flatMap((attribute) =>
    attribute.kind === 'mpReachNlri' ? attribute.routes.map((route) => route.prefix) : [],
  ),
];
const withdrawn = (message: RouteMonitoringMessage) => [
  ...message.update.withdrawnRoutes.map((route) => route.prefix),
  ...message.update.attributes.flatMap((attribute) =>
    attribute.kind === 'mpUnreachNlri' ? attribute.withdrawnRoutes.map((route) => route.prefix) : [],
  ),
];

it('decodes the whole recording, in any chunking', () => {
  expect(messages).toHaveLength(55);
  expect(decode(1)).toEqual(messages);
  expect(decode(1000)).toEqual(messages);
});

it('starts with an Initiation naming FRR and the host', () => {
  expect(messages[0]).toMatchObject({
    kind: 'initiation',
    information: [
      { type: 1, text: 'FRRouting 8.4.4' },
      { type: 2, text: 'bmprec-host' },
    ],
  });
  expect(ofKind('termination')).toEqual([]);
});

it('has Peer Ups with both OPENs for the IPv4 and IPv6 sessions', () => {
  const peerUps: PeerUpMessage[] = ofKind('peerUp');
  expect(peerUps.map((message) => message.peer.peerAddress)).toEqual(['169.254.201.1', 'fd00:201::1', 'fd00:201::1']);
  const [ipv4] = peerUps;
  expect(ipv4).toMatchObject({
    peer: { peerAs: 4200000001, peerBgpId: '10.0.0.1', flags: { ipv6: false } },
    localAddress: '169.254.201.2',
    remotePort: 179,
    sentOpen: { myAs: 64512, asn: 64512, holdTimeSeconds: 9, bgpId: '10.0.0.11' },
    receivedOpen: { myAs: 23456, asn: 4200000001, bgpId: '10.0.0.1' },
  });
  expect(ipv4?.sentOpen?.capabilities).toEqual(
    expect.arrayContaining([
      { kind: 'multiprotocol', afi: 1, safi: 1 },
      { kind: 'fourOctetAs', asn: 64512 },
      { kind: 'addPath', families: [{ afi: 1, safi: 1, sendReceive: 1 }] },
      { kind: 'fqdn', hostname: 'bmprec-host', domainName: '' },
    ]),
  );
});

it('has Peer Downs for peers never up, and for the shut-down IPv4 session', () => {
  const peerDowns: PeerDownMessage[] = ofKind('peerDown');
  expect(peerDowns.map((message) => [message.peer.peerAddress, message.reason, message.fsmEvent])).toEqual([
    ['169.254.201.1', 2, 18],
    ['192.0.2.99', 2, 0],
    ['fd00:201::1', 2, 18],
    ['169.254.201.1', 2, 0],
    ['fd00:201::1', 2, 0],
    ['fd00:201::1', 4, null],
    ['169.254.201.1', 2, 0],
  ]);
});

it('monitors the PE routes post-policy with AS path, communities and next hops', () => {
  const postPolicy = ofKind('routeMonitoring').filter((message) => message.peer.flags.postPolicy);
  expect(postPolicy.every((message) => !message.contextAssumed)).toBe(true);
  expect(new Set(postPolicy.flatMap(announced))).toEqual(
    new Set(['203.0.113.0/24', '198.51.100.0/24', '2001:db8:1::/48', '2001:db8:2::/48']),
  );
  const route = postPolicy.find((message) => announced(message).includes('203.0.113.0/24'));
  expect(route?.update.asPath).toEqual([{ kind: 'sequence', asns: [64512, 4200000001, 4200000001, 4200000001] }]);
  expect(route?.update.attributes).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ kind: 'origin', origin: 'igp' }),
      expect.objectContaining({ kind: 'nextHop', nextHop: '169.254.201.1' }),
      expect.objectContaining({ kind: 'multiExitDisc', med: 50 }),
      expect.objectContaining({ kind: 'communities', communities: ['64512:1', '65001:100', '65001:200'] }),
      expect.objectContaining({ kind: 'largeCommunities', communities: ['4200000001:1:2'] }),
      expect.objectContaining({ kind: 'extendedCommunities', communities: [{ type: 0, subtype: 2, text: 'rt:65001:42' }] }),
    ]),
  );
  const ipv6 = postPolicy.find((message) => announced(message).includes('2001:db8:1::/48'));
  expect(ipv6?.update.attributes.find((attribute) => attribute.kind === 'mpReachNlri')).toMatchObject({
    afi: 2,
    safi: 1,
    nextHops: ['fd00:201::1', expect.stringMatching(/^fe80::/)],
  });
});

it('carries one prefix per Route Monitoring message', () => {
  for (const message of ofKind('routeMonitoring')) expect(announced(message).length + withdrawn(message).length).toBe(1);
});

it('reports the withdrawal of 198.51.100.0/24 after it was announced', () => {
  const monitoring = ofKind('routeMonitoring');
  const lastAnnounce = monitoring.findLastIndex((message) => announced(message).includes('198.51.100.0/24'));
  const postPolicyWithdraw = monitoring.findIndex(
    (message, index) => index > lastAnnounce && message.peer.flags.postPolicy && withdrawn(message).includes('198.51.100.0/24'),
  );
  expect(postPolicyWithdraw).toBeGreaterThan(lastAnnounce);
});

it('has statistics reports with FRR’s counters and its private type 65531 kept raw', () => {
  const reports: StatisticsReportMessage[] = ofKind('statisticsReport');
  expect(reports.length).toBeGreaterThanOrEqual(4);
  expect(reports[0]?.statistics.map((statistic) => [statistic.type, statistic.kind])).toEqual([
    [0, 'counter32'],
    [4, 'counter32'],
    [5, 'counter32'],
    [3, 'counter32'],
    [2, 'counter32'],
    [11, 'counter32'],
    [65531, 'unknown'],
  ]);
});
