/** HRM's check of an interconnect.route-updates.v1 event before it is fanned out; a problem dead-letters it. */
import { ROUTE_TABLE_CHANGED, type RouteTableChangedData } from '../../common/events/vpc-events.js';

const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

export function checkRouteTableChanged(type: string, data: unknown): RouteTableChangedData | string {
  if (type !== ROUTE_TABLE_CHANGED) return `unexpected event type ${type}`;
  if (typeof data !== 'object' || data === null) return 'data: expected an object';
  const message = data as Partial<RouteTableChangedData>;
  if (!isCount(message.vpcId) || message.vpcId === 0) return 'data.vpcId: expected a positive integer';
  if (!isCount(message.fromRevision) || message.fromRevision === 0) return 'data.fromRevision: expected a positive integer';
  if (!isCount(message.toRevision) || message.toRevision < message.fromRevision)
    return 'data.toRevision: expected an integer >= fromRevision';
  if (!Array.isArray(message.changes)) return 'data.changes: expected an array';
  if (message.changes.length !== message.toRevision - message.fromRevision + 1) {
    return `data.changes: expected ${message.toRevision - message.fromRevision + 1} changes (revisions ${message.fromRevision}..${message.toRevision}), got ${message.changes.length}`;
  }
  for (const [index, change] of message.changes.entries()) {
    if (typeof change !== 'object' || change === null) return `data.changes[${index}]: expected an object`;
    if (change.revision !== message.fromRevision + index)
      return `data.changes[${index}].revision: expected ${message.fromRevision + index}`;
    if (typeof change.prefix !== 'string' || change.prefix === '') return `data.changes[${index}].prefix: expected a prefix`;
    if (!['add', 'update', 'remove', 'reject'].includes(change.action))
      return `data.changes[${index}].action: expected add, update, remove or reject`;
    if ((change.action === 'add' || change.action === 'update') && (typeof change.route !== 'object' || change.route === null)) {
      return `data.changes[${index}].route: expected the route after an ${change.action}`;
    }
    // Optional (older builds did not send it); when there, its time feeds the latency metrics.
    if (change.cause !== undefined && (typeof change.cause !== 'object' || change.cause === null || !isCount(change.cause.at)))
      return `data.changes[${index}].cause.at: expected milliseconds since the epoch`;
  }
  return message as RouteTableChangedData;
}
