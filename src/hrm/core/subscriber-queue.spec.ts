import type { RouteTableChangedData, VpcRouteChange } from '../../common/events/vpc-events.js';
import { SubscriberQueue } from './subscriber-queue.js';

/** A message of BRM's stream: revisions from..to, one change each. */
function message(from: number, to: number): RouteTableChangedData {
  const changes: VpcRouteChange[] = [];
  for (let revision = from; revision <= to; revision++) {
    changes.push({ revision, prefix: `10.0.${revision}.0/24`, family: 'ipv4-unicast', action: 'remove', route: null, rejection: null });
  }
  return { vpcId: 7, fromRevision: from, toRevision: to, changes };
}

function releases() {
  const released: string[] = [];
  return { released, of: (name: string) => () => released.push(name) };
}

describe('SubscriberQueue', () => {
  it('streams deltas in order, merges them into one request and releases them once delivered', () => {
    const { released, of } = releases();
    const queue = new SubscriberQueue(1000, { state: 'streaming', ackedRevision: 4 });
    expect(queue.offer(message(5, 6), of('a'))).toEqual({ outcome: 'queued' });
    expect(queue.offer(message(7, 9), of('b'))).toEqual({ outcome: 'queued' });
    const batch = queue.nextBatch(100)!;
    expect([batch.fromRevision, batch.toRevision, batch.changes.map((change) => change.revision)]).toEqual([5, 9, [5, 6, 7, 8, 9]]);
    expect(released).toEqual([]);
    queue.delivered(9);
    expect(released).toEqual(['a', 'b']);
    expect(queue.nextBatch(100)).toBeNull();
    expect(queue.queuedUpTo).toBe(9);
  });

  it('keeps each request under the change limit (but always sends at least one delta)', () => {
    const { of } = releases();
    const queue = new SubscriberQueue(1000, { state: 'streaming', ackedRevision: 0 });
    queue.offer(message(1, 3), of('a'));
    queue.offer(message(4, 6), of('b'));
    expect(queue.nextBatch(4)).toMatchObject({ fromRevision: 1, toRevision: 3 });
    expect(queue.nextBatch(2)).toMatchObject({ fromRevision: 1, toRevision: 3 });
  });

  it('drops what the subscriber already has and trims a partly known message', () => {
    const { released, of } = releases();
    const queue = new SubscriberQueue(1000, { state: 'streaming', ackedRevision: 10 });
    expect(queue.offer(message(8, 10), of('old'))).toEqual({ outcome: 'duplicate' });
    expect(released).toEqual(['old']);
    expect(queue.offer(message(9, 12), of('partly'))).toEqual({ outcome: 'queued' });
    expect(queue.nextBatch(100)!.changes.map((change) => change.revision)).toEqual([11, 12]);
  });

  it('asks for a resync on a gap without dropping anything until told to', () => {
    const { released, of } = releases();
    const queue = new SubscriberQueue(1000, { state: 'streaming', ackedRevision: 10 });
    queue.offer(message(11, 11), of('a'));
    expect(queue.offer(message(14, 15), of('b'))).toEqual({ outcome: 'resync', reason: 'revisions 12..13 never arrived' });
    expect(released).toEqual([]);
    expect(queue.state).toBe('streaming');
    queue.resync('revisions 12..13 never arrived');
    expect(released).toEqual(['a']);
    expect(queue.state).toBe('snapshot');
    expect(queue.nextBatch(100)).toBeNull();
  });

  it('asks for a resync when the subscriber falls too far behind', () => {
    const { of } = releases();
    const queue = new SubscriberQueue(5, { state: 'streaming', ackedRevision: 0 });
    expect(queue.offer(message(1, 4), of('a'))).toEqual({ outcome: 'queued' });
    expect(queue.offer(message(5, 6), of('b'))).toEqual({ outcome: 'resync', reason: 'fell more than 5 changes behind' });
  });

  it('accepts one message larger than the bound when nothing else waits (it cannot be split)', () => {
    const { of } = releases();
    const queue = new SubscriberQueue(5, { state: 'streaming', ackedRevision: 0 });
    expect(queue.offer(message(1, 9), of('big'))).toEqual({ outcome: 'queued' });
  });

  it('keeps deltas during a snapshot and follows on from the snapshot revision', () => {
    const { released, of } = releases();
    const queue = new SubscriberQueue(1000, { state: 'snapshot', reason: 'new subscription' });
    queue.offer(message(3, 5), of('before'));
    queue.offer(message(6, 8), of('straddles'));
    queue.offer(message(9, 9), of('after'));
    expect(queue.nextBatch(100)).toBeNull();
    expect(queue.snapshotDelivered(6)).toBe(true);
    expect(released).toEqual(['before']);
    expect(queue.state).toBe('streaming');
    expect(queue.nextBatch(100)!.changes.map((change) => change.revision)).toEqual([7, 8, 9]);
  });

  it('needs another snapshot when deltas after the snapshot do not follow on', () => {
    const { released, of } = releases();
    const queue = new SubscriberQueue(1000, { state: 'snapshot', reason: 'new subscription' });
    queue.offer(message(9, 9), of('late'));
    expect(queue.snapshotDelivered(6)).toBe(false);
    expect(released).toEqual(['late']);
    expect(queue.state).toBe('snapshot');
    expect(queue.resyncReason).toContain('do not follow on');
  });

  it('needs another snapshot when deltas had to be dropped while one was on its way', () => {
    const { released, of } = releases();
    const queue = new SubscriberQueue(3, { state: 'snapshot', reason: 'new subscription' });
    expect(queue.offer(message(1, 2), of('a'))).toEqual({ outcome: 'queued' });
    expect(queue.offer(message(3, 4), of('b'))).toEqual({ outcome: 'dropped' });
    expect(released).toEqual(['a', 'b']);
    expect(queue.snapshotDelivered(4)).toBe(false);
    expect(queue.state).toBe('snapshot');
  });

  it('releases everything when closed', () => {
    const { released, of } = releases();
    const queue = new SubscriberQueue(1000, { state: 'streaming', ackedRevision: 0 });
    queue.offer(message(1, 1), of('a'));
    queue.offer(message(2, 2), of('b'));
    queue.close();
    expect(released).toEqual(['a', 'b']);
    expect(queue.pendingChanges).toBe(0);
  });
});
