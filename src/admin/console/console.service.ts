/**
 * What the console's pages show, gathered from the services the API uses (inventory, BRM's read
 * model, drift, applies, subscriptions, audit): the console has no queries of its own, so a page
 * and the API never disagree.
 */
import { Injectable } from '@nestjs/common';
import type { HostEntity, HostedVpcEntity } from '../../common/inventory/inventory.entities.js';
import { metricsRegistry } from '../../common/metrics.js';
import type { RejectReason } from '../../common/policy/import-policy.js';
import { VpcRoutesService, type RouteState, type SessionCounters } from '../../brm/vpc-routes.service.js';
import { HostDriftService, type HostDriftView } from '../../frr-server/drift/drift.service.js';
import { InventoryService } from '../inventory/inventory.service.js';
import { SubscriptionsService, type SubscriptionView } from '../subscriptions.service.js';

/** Pages list at most this many hosts, VPCs or subscriptions; the API pages through more. */
const LIST_LIMIT = 1000;

export interface SessionRow extends SessionCounters {
  vpcId: number;
  vpcName: string;
  hostId: number | null;
  hostName: string;
}

export interface Overview {
  hosts: { host: HostEntity; drift: HostDriftView }[];
  vpcs: { vpc: HostedVpcEntity; revision: number; activeRoutes: number; rejected: number; sessions: number; established: number }[];
  sessions: SessionRow[];
  subscriptions: SubscriptionView[];
  deadLetters: { kind: string; count: number }[];
}

@Injectable()
export class ConsoleService {
  constructor(
    private readonly inventory: InventoryService,
    private readonly routes: VpcRoutesService,
    private readonly drift: HostDriftService,
    private readonly subscriptions: SubscriptionsService,
  ) {}

  async overview(): Promise<Overview> {
    const hosts = await this.inventory.list(this.inventory.hosts, { limit: LIST_LIMIT, offset: 0 });
    const vpcs = await this.inventory.list(this.inventory.hostedVpcs, { limit: LIST_LIMIT, offset: 0 });
    const hostOfTunnel = await this.hostOfTunnel(hosts);
    const drifts = await Promise.all(hosts.map(async (host) => ({ host, drift: await this.drift.latest(host.id) })));
    const sessions: SessionRow[] = [];
    const vpcRows: Overview['vpcs'] = [];
    for (const vpc of vpcs) {
      const counters = await this.routes.sessionCounters(vpc.id);
      const rows = counters.sessions.map((session) => this.sessionRow(vpc, session, hostOfTunnel));
      sessions.push(...rows);
      vpcRows.push({
        vpc,
        revision: counters.revision,
        activeRoutes: (await this.routes.routeCounts(vpc.id)).active,
        rejected: rows.reduce((sum, row) => sum + row.rejected.total, 0),
        sessions: rows.length,
        established: rows.filter((row) => row.phase === 'established').length,
      });
    }
    // Down sessions first: what someone on call opens the page for.
    sessions.sort((a, b) => Number(a.phase === 'established') - Number(b.phase === 'established') || a.sessionId - b.sessionId);
    return {
      hosts: drifts,
      vpcs: vpcRows,
      sessions,
      subscriptions: await this.subscriptions.list(LIST_LIMIT, 0),
      deadLetters: await deadLetterCounts(),
    };
  }

  async vpc(vpcId: number, query: { prefix?: string; state?: RouteState; offset: number; limit: number }) {
    const vpc = await this.inventory.get(this.inventory.hostedVpcs, vpcId);
    const hosts = await this.inventory.list(this.inventory.hosts, { limit: LIST_LIMIT, offset: 0 });
    const hostOfTunnel = await this.hostOfTunnel(hosts);
    const table = await this.routes.routes(vpcId, query);
    const counters = await this.routes.sessionCounters(vpcId);
    return {
      vpc,
      table,
      sessions: counters.sessions.map((session) => this.sessionRow(vpc, session, hostOfTunnel)),
    };
  }

  async refused(vpcId: number, query: { prefix?: string; reason?: RejectReason; offset: number; limit: number }) {
    const vpc = await this.inventory.get(this.inventory.hostedVpcs, vpcId);
    return { vpc, page: await this.routes.rejected(vpcId, query) };
  }

  async revisions(vpcId: number, query: { from?: number; to?: number; before?: number }) {
    const vpc = await this.inventory.get(this.inventory.hostedVpcs, vpcId);
    const current = await this.routes.revision(vpcId);
    const last = Math.min(query.before ?? current, current);
    const first = Math.max(1, last - 49);
    const changes =
      last >= 1 ? (await this.routes.changes(vpcId, { fromRevision: first, toRevision: last, limit: 50 })).changes.reverse() : [];
    const diff = query.from !== undefined && query.to !== undefined ? await this.routes.diff(vpcId, query.from, query.to) : null;
    return { vpc, current, changes, olderBefore: first > 1 ? first - 1 : null, diff };
  }

  /** The revisions the table was at two moments. */
  async revisionsAt(vpcId: number, from: Date, to: Date): Promise<{ from: number; to: number }> {
    return { from: await this.routes.revisionAt(vpcId, from), to: await this.routes.revisionAt(vpcId, to) };
  }

  private sessionRow(vpc: HostedVpcEntity, session: SessionCounters, hostOfTunnel: Map<number, HostEntity>): SessionRow {
    const host = hostOfTunnel.get(session.tunnelId);
    return { ...session, vpcId: vpc.id, vpcName: vpc.name, hostId: host?.id ?? null, hostName: host?.name ?? '?' };
  }

  private async hostOfTunnel(hosts: readonly HostEntity[]): Promise<Map<number, HostEntity>> {
    const byId = new Map(hosts.map((host) => [host.id, host]));
    const tunnels = await this.inventory.list(this.inventory.tunnels, { limit: LIST_LIMIT, offset: 0 });
    const map = new Map<number, HostEntity>();
    for (const tunnel of tunnels) {
      const host = byId.get(tunnel.hostId);
      if (host) map.set(tunnel.id, host);
    }
    return map;
  }
}

/** Dead letters this process sent since it started, by kind (route_broker_kafka_dead_letters_total). */
async function deadLetterCounts(): Promise<{ kind: string; count: number }[]> {
  const metric = metricsRegistry.getSingleMetric('route_broker_kafka_dead_letters_total');
  if (!metric) return [];
  const byKind = new Map<string, number>();
  for (const sample of (await metric.get()).values) {
    const kind = String(sample.labels.kind ?? 'unknown');
    byKind.set(kind, (byKind.get(kind) ?? 0) + sample.value);
  }
  return [...byKind].map(([kind, count]) => ({ kind, count }));
}
