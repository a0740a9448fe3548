import { CommittedChanges } from './committed-changes.js';
import type { RouteChange } from './route-table.js';

/** `count` additions numbered from `from` (the relay's store looks only at revisions). */
const changes = (count: number, from: number): RouteChange[] =>
  Array.from({ length: count }, (_, index) => ({
    vpcId: 7,
    revision: from + index,
    prefix: `11.0.${index}.0/24`,
    family: 'ipv4-unicast',
    action: 'add',
    before: null,
    after: null,
    cause: { event: 'announce', sessionId: 1, at: 0 },
    rejection: null,
  }));

describe('CommittedChanges', () => {
  it('gives any range inside one committed batch, and nothing for a range it does not hold whole', () => {
    const committed = new CommittedChanges(100);
    committed.add(7, changes(10, 41));
    committed.add(7, changes(5, 51));
    committed.add(8, changes(3, 41));
    expect(committed.take(7, 43, 45)?.map((change) => change.revision)).toEqual([43, 44, 45]);
    expect(committed.take(7, 51, 55)?.map((change) => change.revision)).toEqual([51, 52, 53, 54, 55]);
    expect(committed.take(8, 41, 43)?.map((change) => change.prefix)).toEqual(['11.0.0.0/24', '11.0.1.0/24', '11.0.2.0/24']);
    // Across two batches, before the first, after the last, another VPC.
    expect(committed.take(7, 49, 52)).toBeNull();
    expect(committed.take(7, 40, 41)).toBeNull();
    expect(committed.take(7, 55, 56)).toBeNull();
    expect(committed.take(9, 41, 41)).toBeNull();
    expect(committed.size).toBe(18);
  });

  it('forgets the batches the relay published', () => {
    const committed = new CommittedChanges(100);
    committed.add(7, changes(10, 1));
    committed.add(7, changes(10, 11));
    committed.add(8, changes(10, 1));
    committed.published(7, 15);
    expect(committed.take(7, 1, 1)).toBeNull();
    expect(committed.take(7, 11, 20)).toHaveLength(10);
    expect(committed.take(8, 1, 10)).toHaveLength(10);
    expect(committed.size).toBe(20);
    committed.published(7, 20);
    committed.published(8, 10);
    expect(committed.size).toBe(0);
    expect(committed.take(7, 11, 11)).toBeNull();
  });

  it('holds at most its limit of changes, dropping the oldest batches first', () => {
    const committed = new CommittedChanges(25);
    committed.add(7, changes(10, 1));
    committed.add(8, changes(10, 1));
    committed.add(7, changes(10, 11));
    expect(committed.size).toBe(20);
    expect(committed.take(7, 1, 10)).toBeNull();
    expect(committed.take(8, 1, 10)).toHaveLength(10);
    expect(committed.take(7, 11, 20)).toHaveLength(10);
    // A batch larger than the limit is not held at all (nothing else is dropped for it).
    committed.add(9, changes(26, 1));
    expect(committed.take(9, 1, 1)).toBeNull();
    expect(committed.size).toBe(20);
  });

  it('does not hold changes whose revisions are not consecutive', () => {
    const committed = new CommittedChanges(100);
    committed.add(7, [...changes(2, 1), ...changes(2, 5)]);
    expect(committed.take(7, 1, 2)).toBeNull();
    expect(committed.size).toBe(0);
  });
});
