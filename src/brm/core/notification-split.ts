/**
 * An interconnect notification (`…vpc.route-table-changed.v1`) too large for Kafka, as two
 * consecutive notifications. The contract (docs/events.md, docs/brm.md) is about revisions, not
 * messages: every revision of a VPC exactly once, in order, each message carrying `fromRevision`
 * to `toRevision` and every change in between; BRM itself already splits a batch's changes every
 * 500. Two halves, the first ending where the second starts, say exactly what the whole said.
 * A notification of one change cannot be split (null): the outbox relay then dead-letters it, and
 * the next notification's `fromRevision` shows consumers the gap (HRM resynchronises its
 * subscribers with a snapshot).
 *
 * A part's CloudEvent id is derived from the original's and its revisions, so that publishing the
 * same outbox row again (after a crash between publishing and marking it) gives the same ids and
 * consumers still drop the repeats by id.
 */
import type { CloudEvent } from '../../common/kafka/cloud-event.js';
import type { RouteTableChangedData } from '../../common/events/vpc-events.js';

/** `<original id>#<fromRevision>-<toRevision>`; a part of a part keeps the original id. */
export function partId(id: string, fromRevision: number, toRevision: number): string {
  return `${id.replace(/#\d+-\d+$/, '')}#${fromRevision}-${toRevision}`;
}

/** The notification as two consecutive ones (changes halved), or null when it holds one change. */
export function splitNotification(event: CloudEvent<RouteTableChangedData>): CloudEvent<RouteTableChangedData>[] | null {
  const { changes } = event.data;
  if (changes.length < 2) return null;
  const half = Math.ceil(changes.length / 2);
  return [changes.slice(0, half), changes.slice(half)].map((part) => {
    const fromRevision = part[0]!.revision;
    const toRevision = part[part.length - 1]!.revision;
    // Spread in place: the envelope's and the data's keys keep their order.
    return { ...event, id: partId(event.id, fromRevision, toRevision), data: { ...event.data, fromRevision, toRevision, changes: part } };
  });
}
