/**
 * The `changes` of an interconnect notification (net.route-broker.vpc.route-table-changed.v1) as
 * JSON text: exactly what JSON.stringify(changes.map(notifiedChange)) gives (notification-json.spec
 * holds it to that), written by hand. A full table is a million changes of about 450 bytes each;
 * JSON.stringify of the change objects was the largest single cost of BRM's relay.
 *
 * The route of most changes is one of a few: the prefixes of one UPDATE share their path and so
 * their stored text (stored-route.ts). A route's next hops and paths follow from its stored text
 * alone, so their JSON is written once per distinct stored text and reused for the prefixes after.
 */
import type { VpcRouteChange } from '../../common/events/vpc-events.js';
import type { RouteChange, RouteEntry, TableChange } from './route-table.js';

/** A change as the interconnect notification carries it. */
export function notifiedChange(change: RouteChange): VpcRouteChange {
  const { rejection } = change;
  return {
    revision: change.revision,
    prefix: change.prefix,
    family: change.family,
    action: change.action,
    route: change.after,
    rejection: rejection && { sessionId: rejection.sessionId, reason: rejection.reason, detail: rejection.detail },
    cause: { event: change.cause.event, sessionId: change.cause.sessionId, at: change.cause.at },
  };
}

export class NotifiedChangesWriter {
  /** The last route body written from stored text, and that text. */
  private lastStored: string | null = null;
  private lastBody = '';
  private lastCauseEvent = '';
  private lastCauseSession: number | null = null;
  private lastCauseHead = '';

  /** `changes` as the JSON array a notification carries. Changes with their stored text (as the table emits them) reuse route bodies. */
  write(changes: readonly (RouteChange | TableChange)[]): string {
    let json = '[';
    for (let index = 0; index < changes.length; index++) {
      const change = changes[index]!;
      const { after, rejection } = change;
      if (index > 0) json += ',';
      json +=
        `{"revision":${JSON.stringify(change.revision)},"prefix":${JSON.stringify(change.prefix)},` +
        `"family":${JSON.stringify(change.family)},"action":${JSON.stringify(change.action)},"route":`;
      json += after === null ? 'null' : this.route(after, 'storedAfter' in change ? change.storedAfter : null);
      json += `,"rejection":${
        rejection === null ? 'null' : JSON.stringify({ sessionId: rejection.sessionId, reason: rejection.reason, detail: rejection.detail })
      },${this.causeHead(change.cause)}${String(change.cause.at)}}}`;
    }
    return `${json}]`;
  }

  /** `"cause":{"event":…,"sessionId":…,"at":` — the same for the run of changes one event made. */
  private causeHead(cause: RouteChange['cause']): string {
    if (cause.event !== this.lastCauseEvent || cause.sessionId !== this.lastCauseSession) {
      this.lastCauseEvent = cause.event;
      this.lastCauseSession = cause.sessionId;
      this.lastCauseHead = `"cause":{"event":${JSON.stringify(cause.event)},"sessionId":${cause.sessionId === null ? 'null' : String(cause.sessionId)},"at":`;
    }
    return this.lastCauseHead;
  }

  private route(entry: RouteEntry, stored: string | null): string {
    let body: string;
    if (stored !== null && stored === this.lastStored) {
      body = this.lastBody;
    } else {
      body = `"activeNextHops":${JSON.stringify(entry.activeNextHops)},"paths":${JSON.stringify(entry.paths)}`;
      if (stored !== null) {
        this.lastStored = stored;
        this.lastBody = body;
      }
    }
    return `{"prefix":${JSON.stringify(entry.prefix)},"family":${JSON.stringify(entry.family)},${body}}`;
  }
}
