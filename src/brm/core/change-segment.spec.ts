import { deflateRawSync } from 'node:zlib';
import { decodeChangeSegment, encodeChangeSegments, MAX_SEGMENT_CHANGES } from './change-segment.js';
import type { RouteChange, RouteEntry } from './route-table.js';

const entry = (prefix: string): RouteEntry => ({
  prefix,
  family: 'ipv4-unicast',
  activeNextHops: [{ tunnelId: 3, nextHop: '169.254.3.1', sessionId: 2 }],
  paths: [
    {
      sessionId: 2,
      pathId: 7,
      tunnelId: 3,
      nextHop: '169.254.3.1',
      origin: 'igp',
      asPath: [65001, [64512, 64513]],
      asPathLength: 2,
      neighborAs: 65001,
      med: 10,
      localPref: 200,
      stale: false,
      state: 'active',
    },
  ],
});

const change = (revision: number): RouteChange => {
  const prefix = `11.${revision >> 8}.${revision & 255}.0/24`;
  switch (revision % 4) {
    case 0:
      return {
        vpcId: 9,
        revision,
        prefix,
        family: 'ipv4-unicast',
        action: 'add',
        before: null,
        after: entry(prefix),
        cause: { event: 'announce', sessionId: 2, at: revision },
        rejection: null,
      };
    case 1:
      return {
        vpcId: 9,
        revision,
        prefix,
        family: 'ipv4-unicast',
        action: 'update',
        before: entry(prefix),
        after: entry(prefix),
        cause: { event: 'session-down', sessionId: 2, at: revision },
        rejection: null,
      };
    case 2:
      return {
        vpcId: 9,
        revision,
        prefix,
        family: 'ipv4-unicast',
        action: 'remove',
        before: entry(prefix),
        after: null,
        cause: { event: 'expiry', sessionId: null, at: revision },
        rejection: null,
      };
    default:
      return {
        vpcId: 9,
        revision,
        prefix,
        family: 'ipv4-unicast',
        action: 'reject',
        before: null,
        after: null,
        cause: { event: 'announce', sessionId: 2, at: revision },
        rejection: { sessionId: 2, pathId: null, reason: 'bogon', detail: "inside bogon 'x'" },
      };
  }
};

describe('change-log segments', () => {
  it('give back every change of the batch, in order, split at MAX_SEGMENT_CHANGES', () => {
    const changes = Array.from({ length: MAX_SEGMENT_CHANGES + 3 }, (_, index) => change(index + 41));
    const segments = encodeChangeSegments(changes);
    expect(segments.map(({ firstRevision, lastRevision }) => [firstRevision, lastRevision])).toEqual([
      [41, 40 + MAX_SEGMENT_CHANGES],
      [41 + MAX_SEGMENT_CHANGES, 43 + MAX_SEGMENT_CHANGES],
    ]);
    expect(segments.flatMap((segment) => decodeChangeSegment(9, segment.changes))).toEqual(changes);
  });

  it('are a small fraction of the changes as JSON', () => {
    const changes = Array.from({ length: 1000 }, (_, index) => change(index * 4));
    const [segment] = encodeChangeSegments(changes);
    expect(segment!.changes.length * 10).toBeLessThan(JSON.stringify(changes).length);
  });

  it('write nothing for no changes', () => {
    expect(encodeChangeSegments([])).toEqual([]);
  });

  it('refuse a segment that is not a list of changes, naming the VPC', () => {
    expect(() => decodeChangeSegment(9, deflateRawSync('{"revision":1}'))).toThrow(
      'VPC 9: a change-log segment does not hold a list of changes',
    );
    expect(() => decodeChangeSegment(9, Buffer.from('not deflated'))).toThrow();
  });
});
