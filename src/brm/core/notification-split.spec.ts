import { createCloudEvent } from '../../common/kafka/cloud-event.js';
import type { RouteTableChangedData, VpcRouteChange } from '../../common/events/vpc-events.js';
import { checkRouteTableChanged } from '../../hrm/core/route-table-changed-schema.js';
import { partId, splitNotification } from './notification-split.js';

function notification(from: number, count: number) {
  const changes: VpcRouteChange[] = Array.from({ length: count }, (_, index) => ({
    revision: from + index,
    prefix: `10.0.${index}.0/24`,
    family: 'ipv4-unicast',
    action: 'remove',
    route: null,
    rejection: null,
  }));
  const data: RouteTableChangedData = { vpcId: 7, fromRevision: from, toRevision: from + count - 1, changes };
  return createCloudEvent({ type: 'net.route-broker.vpc.route-table-changed.v1', source: 'route-broker/i/brm', subject: 'vpc/7', data });
}

describe('splitNotification', () => {
  it('halves the changes into two consecutive notifications that HRM’s check accepts, every revision once and in order', () => {
    const event = notification(41, 5);
    const parts = splitNotification(event)!;
    expect(parts.map((part) => [part.data.fromRevision, part.data.toRevision])).toEqual([
      [41, 43],
      [44, 45],
    ]);
    expect(parts.flatMap((part) => part.data.changes)).toEqual(event.data.changes);
    for (const part of parts) expect(typeof checkRouteTableChanged(part.type, part.data)).toBe('object');
    // Envelope and data keep their keys, in order; only id and the revisions differ.
    expect(Object.keys(parts[0]!)).toEqual(Object.keys(event));
    expect(Object.keys(parts[0]!.data)).toEqual(Object.keys(event.data));
    expect(parts[0]).toMatchObject({ source: event.source, subject: event.subject, time: event.time, type: event.type });
  });

  it('derives the parts’ ids from the original’s and their revisions: the same again after a re-publish; a part of a part keeps the original id', () => {
    const event = notification(41, 5);
    const parts = splitNotification(event)!;
    expect(parts.map((part) => part.id)).toEqual([`${event.id}#41-43`, `${event.id}#44-45`]);
    expect(splitNotification(event)!.map((part) => part.id)).toEqual(parts.map((part) => part.id));
    expect(splitNotification(parts[0]!)!.map((part) => part.id)).toEqual([`${event.id}#41-42`, `${event.id}#43-43`]);
    expect(partId('abc#1-2', 1, 1)).toBe('abc#1-1');
  });

  it('cannot split a notification of one change', () => {
    expect(splitNotification(notification(9, 1))).toBeNull();
  });
});
