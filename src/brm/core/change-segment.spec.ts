import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { decodeChangeSegment, encodeChangeSegments, MAX_SEGMENT_CHANGES } from './change-segment.js';
import type { RouteChange, RouteEntry, TableChange } from './route-table.js';
import { encodeStoredPaths, storedPathTuples } from './stored-route.js';

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

/** A change as the table emits it: with the entries' stored text. */
const withStoredText = (change: RouteChange): TableChange => ({
  ...change,
  storedBefore: change.before && encodeStoredPaths(change.before),
  storedAfter: change.after && encodeStoredPaths(change.after),
});

const withoutStoredText = (change: TableChange): RouteChange => {
  const copy: Partial<TableChange> = { ...change };
  delete copy.storedBefore;
  delete copy.storedAfter;
  return copy as RouteChange;
};

const change = (revision: number): TableChange => withStoredText(routeChange(revision));

const routeChange = (revision: number): RouteChange => {
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
    expect(segments.flatMap((segment) => decodeChangeSegment(9, segment.changes))).toEqual(changes.map(withoutStoredText));
  });

  it('hold the tuples of the documented layout, as JSON.stringify writes them', () => {
    const changes = Array.from({ length: 8 }, (_, index) => change(index + 1));
    const [segment] = encodeChangeSegments(changes);
    const tuples = changes.map((one) => [
      one.revision,
      one.prefix,
      one.family,
      one.action,
      one.before && storedPathTuples(one.before),
      one.after && storedPathTuples(one.after),
      [one.cause.event, one.cause.sessionId, one.cause.at],
      one.rejection && [one.rejection.sessionId, one.rejection.pathId, one.rejection.reason, one.rejection.detail],
    ]);
    expect(inflateRawSync(segment!.changes).toString('utf8')).toBe(JSON.stringify(tuples));
  });

  it('keep a refused text as received, quotes and newlines included, and a cause time that is not a number as null', () => {
    const refused: TableChange = {
      ...change(3),
      prefix: 'not "a" prefix\n\u2028',
      cause: { event: 'announce', sessionId: 2, at: Number.NaN },
      rejection: { sessionId: 2, pathId: 4, reason: 'invalid-prefix', detail: 'a "quoted"\nline' },
    };
    const [segment] = encodeChangeSegments([refused]);
    expect(decodeChangeSegment(9, segment!.changes)).toEqual([
      { ...withoutStoredText(refused), cause: { event: 'announce', sessionId: 2, at: null } },
    ]);
  });

  it('ignore the received LOCAL_PREF the table keeps as an eleventh element', () => {
    const added = change(4);
    const tableText = encodeStoredPaths(added.after!, () => 50);
    expect(JSON.parse(tableText)[0]).toHaveLength(11);
    const [segment] = encodeChangeSegments([{ ...added, storedAfter: tableText }]);
    expect(decodeChangeSegment(9, segment!.changes)).toEqual([withoutStoredText(added)]);
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
