/**
 * A test UXR endpoint: a real HTTP server that checks every request's signature, keeps each VPC's
 * table as the deliveries describe it (a snapshot resets it, deltas must follow on or it answers
 * 409), and records what it got. `mode` makes it fail on purpose: answer 500, or never answer.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Delivery } from '../../../src/common/events/hrm-events.js';
import type { VpcRoute, VpcRouteChange } from '../../../src/common/events/vpc-events.js';
import { checkSignature, SIGNATURE_HEADER } from '../../../src/hrm/core/signature.js';

export interface ReceivedRequest {
  idempotencyKey: string;
  signatureOk: boolean;
  body: string;
  delivery: Delivery;
  at: number;
}

export class UxrReceiver {
  mode: 'ok' | 'fail' | 'hang' = 'ok';
  /** Answers this much later (a slow endpoint). */
  delayMs = 0;
  /** Deltas that carried revisions already held (a retry or a redelivery after a crash): harmless, counted. */
  overlapping = 0;
  /** Deltas answered 409 (they did not follow on). */
  conflicts = 0;
  readonly requests: ReceivedRequest[] = [];
  readonly refused: string[] = [];
  /** Per VPC: the revision the table is at (null until a whole snapshot arrived) and the routes. */
  readonly tables = new Map<
    number,
    { revision: number | null; routes: Map<string, VpcRoute>; snapshotId: string | null; nextPage: number }
  >();
  /** Every revision applied, per VPC, in the order applied (a repeat would show here). */
  readonly applied = new Map<number, number[]>();
  /** Every change applied, with when it arrived here (ms): what latency checks look at. */
  readonly arrivals: { vpcId: number; change: VpcRouteChange; arrivedAt: number }[] = [];
  private server: Server | null = null;
  private hanging: ServerResponse[] = [];
  port = 0;

  constructor(private readonly secret: string) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}/uxr`;
  }

  async start(port = 0): Promise<void> {
    this.server = createServer((request, response) => void this.handle(request, response));
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    for (const response of this.hanging) response.destroy();
    this.hanging = [];
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Loses its state, as a restarted UXR would: the next delta gets a 409. */
  forget(vpcId: number): void {
    this.tables.delete(vpcId);
  }

  table(vpcId: number): { revision: number | null; routes: Record<string, VpcRoute> } {
    const table = this.tables.get(vpcId);
    return { revision: table?.revision ?? null, routes: Object.fromEntries([...(table?.routes ?? new Map()).entries()].sort()) };
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    if (this.mode === 'hang') {
      this.hanging.push(response);
      return;
    }
    if (this.mode === 'fail') {
      response.writeHead(500).end('receiver failing on purpose');
      return;
    }
    const header = request.headers[SIGNATURE_HEADER];
    const check = checkSignature(this.secret, typeof header === 'string' ? header : undefined, body, Date.now(), 300_000);
    const delivery = JSON.parse(body) as Delivery;
    this.requests.push({
      idempotencyKey: String(request.headers['idempotency-key']),
      signatureOk: check.ok,
      body,
      delivery,
      at: Date.now(),
    });
    if (!check.ok) {
      this.refused.push(check.problem);
      response.writeHead(401).end(check.problem);
      return;
    }
    if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    response.writeHead(this.apply(delivery) ? 204 : 409).end();
  }

  /** Returns false when the delivery does not follow on from what it holds (answered 409). */
  private apply(delivery: Delivery): boolean {
    const applied = this.applied.get(delivery.vpcId) ?? [];
    this.applied.set(delivery.vpcId, applied);
    if (delivery.kind === 'snapshot') {
      let table = this.tables.get(delivery.vpcId);
      if (delivery.page === 0) {
        table = { revision: null, routes: new Map(), snapshotId: delivery.snapshotId, nextPage: 0 };
        this.tables.set(delivery.vpcId, table);
      }
      if (!table || table.snapshotId !== delivery.snapshotId) return false;
      // A page repeated after a lost answer is taken again without harm.
      if (delivery.page === table.nextPage - 1) return true;
      if (delivery.page !== table.nextPage) return false;
      for (const route of delivery.routes) table.routes.set(route.prefix, route);
      table.nextPage++;
      if (delivery.lastPage) table.revision = delivery.revision;
      return true;
    }
    const table = this.tables.get(delivery.vpcId);
    if (!table || table.revision === null) return false;
    // A retry may overlap what is held: take only what is new; refuse only a hole.
    if (delivery.fromRevision > table.revision + 1) {
      this.conflicts++;
      return false;
    }
    if (delivery.fromRevision <= table.revision) this.overlapping++;
    for (const change of delivery.changes) {
      if (change.revision <= table.revision) continue;
      applied.push(change.revision);
      this.arrivals.push({ vpcId: delivery.vpcId, change, arrivedAt: Date.now() });
      if (change.action === 'remove') table.routes.delete(change.prefix);
      else if (change.route) table.routes.set(change.prefix, change.route);
    }
    table.revision = Math.max(table.revision, delivery.toRevision);
    return true;
  }
}
