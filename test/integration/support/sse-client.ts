/**
 * A Server-Sent Events client for the route stream, as another service would write one: it keeps
 * the VPC's table from `snapshot` and `delta` events and remembers the last event id (revision).
 */
import { request, type ClientRequest, type IncomingMessage } from 'node:http';
import type { Delivery } from '../../../src/common/events/hrm-events.js';
import type { VpcRoute } from '../../../src/common/events/vpc-events.js';

export interface StreamEvent {
  id: string | null;
  event: string;
  data: Delivery;
}

export class RouteStreamClient {
  readonly events: StreamEvent[] = [];
  lastEventId: string | null = null;
  revision: number | null = null;
  routes = new Map<string, VpcRoute>();
  status = 0;
  body = '';
  private request: ClientRequest | null = null;

  constructor(
    private readonly url: string,
    private readonly token: string,
  ) {}

  /** Connects (sending the last event id it has, like EventSource); resolves once the answer's head arrived. */
  async connect(lastEventId: string | null = this.lastEventId): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      const headers: Record<string, string> = { authorization: `Bearer ${this.token}`, accept: 'text/event-stream' };
      if (lastEventId !== null) headers['last-event-id'] = lastEventId;
      this.request = request(this.url, { headers }, (response: IncomingMessage) => {
        this.status = response.statusCode ?? 0;
        response.setEncoding('utf8');
        let buffer = '';
        response.on('data', (chunk: string) => {
          if (this.status !== 200) {
            this.body += chunk;
            return;
          }
          buffer += chunk;
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            this.handle(buffer.slice(0, end));
            buffer = buffer.slice(end + 2);
          }
        });
        response.on('error', () => undefined);
        resolve();
      });
      this.request.on('error', reject);
      this.request.end();
    });
  }

  disconnect(): void {
    this.request?.destroy();
    this.request = null;
  }

  private handle(block: string): void {
    let id: string | null = null;
    let event = 'message';
    let data = '';
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) continue;
      const at = line.indexOf(':');
      const field = at < 0 ? line : line.slice(0, at);
      const value = at < 0 ? '' : line.slice(at + 1).replace(/^ /, '');
      if (field === 'id') id = value;
      else if (field === 'event') event = value;
      else if (field === 'data') data += value;
    }
    if (id !== null) this.lastEventId = id === '' ? null : id;
    if (data === '') return;
    const delivery = JSON.parse(data) as Delivery;
    this.events.push({ id, event, data: delivery });
    if (delivery.kind === 'snapshot') {
      if (delivery.page === 0) {
        this.routes = new Map();
        this.revision = null;
      }
      for (const route of delivery.routes) this.routes.set(route.prefix, route);
      if (delivery.lastPage) this.revision = delivery.revision;
    } else {
      for (const change of delivery.changes) {
        if (this.revision !== null && change.revision <= this.revision) continue;
        if (change.action === 'remove') this.routes.delete(change.prefix);
        else if (change.route) this.routes.set(change.prefix, change.route);
      }
      this.revision = delivery.toRevision;
    }
  }

  table(): Record<string, VpcRoute> {
    return Object.fromEntries([...this.routes.entries()].sort());
  }
}
