/**
 * Subscriptions of UXR endpoints to hosted VPCs (HRM, issue #6): stored in MySQL with one
 * delivery row per VPC, and announced to the HRM instances on route-broker.subscriptions.v1
 * through the outbox (written in the same transaction, so a change is never saved unannounced).
 */
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, QueryFailedError, type EntityManager } from 'typeorm';
import { OutboxRelay } from '../brm/outbox-relay.js';
import { enqueueOutbox } from '../common/outbox/outbox.js';
import { APP_CONFIG } from '../common/config/config.module.js';
import type { AppConfig } from '../common/config/config.js';
import { SUBSCRIPTION_CHANGED, type SubscriptionChangedData } from '../common/events/hrm-events.js';
import { recordAudit, type Actor } from '../common/audit/audit.js';
import { badRequest, conflict, invalidField, notFound } from '../common/http/errors.js';
import { createCloudEvent } from '../common/kafka/cloud-event.js';
import { TOPICS } from '../common/kafka/topics.js';
import type { CreateSubscriptionDto, UpdateSubscriptionDto } from './subscriptions.dto.js';

export interface DeliveryView {
  hostedVpcId: number;
  /** snapshot: a snapshot is due or on its way; streaming: deltas follow what was acknowledged. */
  state: 'snapshot' | 'streaming';
  ackedRevision: number | null;
  tableRevision: number;
  /** Revisions the table is ahead of what the subscriber acknowledged. */
  lagRevisions: number;
  resyncReason: string | null;
  consecutiveFailures: number;
  lastError: string | null;
  lastDeliveredAt: string | null;
  snapshots: number;
}

export interface SubscriptionView {
  id: number;
  name: string;
  region: string;
  callbackUrl: string;
  /** Set when the subscription follows an interconnect instance (its VPCs are then the instance's). */
  interconnectInstanceId: number | null;
  hostedVpcIds: number[];
  createdAt: string;
  updatedAt: string;
  deliveries: DeliveryView[];
}

interface SubscriptionRow {
  id: number;
  name: string;
  region: string;
  callback_url: string;
  interconnect_instance_id: number | null;
  created_at: Date;
  updated_at: Date;
}

interface DeliveryRow {
  subscription_id: number;
  hosted_vpc_id: number;
  state: 'snapshot' | 'streaming';
  acked_revision: string | number | null;
  table_revision: string | number | null;
  resync_reason: string | null;
  consecutive_failures: number;
  last_error: string | null;
  last_delivered_at: Date | null;
  snapshots: string | number;
}

@Injectable()
export class SubscriptionsService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly relay: OutboxRelay,
  ) {}

  async list(limit: number, offset: number): Promise<SubscriptionView[]> {
    const rows: SubscriptionRow[] = await this.dataSource.query(
      'SELECT id, name, region, callback_url, interconnect_instance_id, created_at, updated_at FROM hrm_subscriptions ORDER BY id LIMIT ? OFFSET ?',
      [limit, offset],
    );
    return this.withDeliveries(this.dataSource.manager, rows);
  }

  async get(id: number): Promise<SubscriptionView> {
    return this.read(this.dataSource.manager, id);
  }

  async create(body: CreateSubscriptionDto, actor: Actor): Promise<SubscriptionView> {
    this.checkRegion(body.region);
    const callbackUrl = checkCallbackUrl(body.callbackUrl);
    if ((body.hostedVpcIds === undefined) === (body.interconnectInstanceId === undefined)) {
      throw badRequest([
        { field: 'hostedVpcIds', problem: 'give either hostedVpcIds or interconnectInstanceId' },
        { field: 'interconnectInstanceId', problem: 'give either hostedVpcIds or interconnectInstanceId' },
      ]);
    }
    return this.write(async (manager) => {
      let vpcIds: number[];
      let reason = 'new subscription';
      if (body.interconnectInstanceId !== undefined) {
        vpcIds = await instanceMembers(manager, body.interconnectInstanceId, 'interconnectInstanceId');
        reason = `new subscription to interconnect instance ${body.interconnectInstanceId}`;
      } else {
        vpcIds = body.hostedVpcIds!;
        await this.checkVpcs(manager, vpcIds);
      }
      const result: { insertId: number } = await manager.query(
        'INSERT INTO hrm_subscriptions (name, region, callback_url, secret, interconnect_instance_id) VALUES (?, ?, ?, ?, ?)',
        [body.name, body.region, callbackUrl, body.secret, body.interconnectInstanceId ?? null],
      );
      await syncDeliveries(manager, result.insertId, vpcIds, reason);
      await announceSubscription(manager, this.config.instanceId, result.insertId, 'changed');
      const after = await this.read(manager, result.insertId);
      // The secret is part of what was set: recorded as set (redacted), never its value.
      await recordAudit(manager, actor, {
        action: 'subscription.create',
        entityType: 'subscription',
        entityId: after.id,
        before: null,
        after: { ...after, secret: body.secret },
      });
      return after;
    });
  }

  async update(id: number, body: UpdateSubscriptionDto, actor: Actor): Promise<SubscriptionView> {
    const callbackUrl = body.callbackUrl === undefined ? undefined : checkCallbackUrl(body.callbackUrl);
    return this.write(async (manager) => {
      const found: { interconnect_instance_id: number | null }[] = await manager.query(
        'SELECT interconnect_instance_id FROM hrm_subscriptions WHERE id = ? FOR UPDATE',
        [id],
      );
      if (found.length === 0) throw notFound('subscription', id);
      const before = await this.read(manager, id);
      if (callbackUrl !== undefined) await manager.query('UPDATE hrm_subscriptions SET callback_url = ? WHERE id = ?', [callbackUrl, id]);
      if (body.secret !== undefined) await manager.query('UPDATE hrm_subscriptions SET secret = ? WHERE id = ?', [body.secret, id]);
      if (body.hostedVpcIds !== undefined) {
        const instance = found[0]!.interconnect_instance_id;
        if (instance !== null) {
          throw invalidField(
            'hostedVpcIds',
            `this subscription follows interconnect instance ${instance}: change the instance's VPCs instead`,
          );
        }
        await this.checkVpcs(manager, body.hostedVpcIds);
        await syncDeliveries(manager, id, body.hostedVpcIds, 'added to the subscription');
      }
      await manager.query('UPDATE hrm_subscriptions SET updated_at = NOW(3) WHERE id = ?', [id]);
      await announceSubscription(manager, this.config.instanceId, id, 'changed');
      const after = await this.read(manager, id);
      await recordAudit(manager, actor, {
        action: 'subscription.update',
        entityType: 'subscription',
        entityId: id,
        before,
        // A new secret shows as set (redacted); an unchanged one is not mentioned.
        after: body.secret === undefined ? after : { ...after, secret: body.secret },
      });
      return after;
    });
  }

  async remove(id: number, actor: Actor): Promise<void> {
    await this.write(async (manager) => {
      const found: unknown[] = await manager.query('SELECT id FROM hrm_subscriptions WHERE id = ? FOR UPDATE', [id]);
      if (found.length === 0) throw notFound('subscription', id);
      const before = await this.read(manager, id);
      const result: { affectedRows: number } = await manager.query('DELETE FROM hrm_subscriptions WHERE id = ?', [id]);
      if (result.affectedRows === 0) throw notFound('subscription', id);
      await announceSubscription(manager, this.config.instanceId, id, 'changed');
      await recordAudit(manager, actor, { action: 'subscription.delete', entityType: 'subscription', entityId: id, before, after: null });
    });
  }

  /** Every VPC of the subscription gets a fresh snapshot. */
  async resync(id: number, actor: Actor): Promise<SubscriptionView> {
    return this.write(async (manager) => {
      const result: { affectedRows: number } = await manager.query(
        "UPDATE hrm_deliveries SET state = 'snapshot', resync_reason = 'an operator asked for a snapshot' WHERE subscription_id = ?",
        [id],
      );
      const found: { id: number }[] = await manager.query('SELECT id FROM hrm_subscriptions WHERE id = ?', [id]);
      if (found.length === 0 && result.affectedRows === 0) throw notFound('subscription', id);
      await announceSubscription(manager, this.config.instanceId, id, 'resync');
      const after = await this.read(manager, id);
      await recordAudit(manager, actor, { action: 'subscription.resync', entityType: 'subscription', entityId: id, before: null, after });
      return after;
    });
  }

  private checkRegion(region: string): void {
    if (!this.config.interconnectRegions.includes(region)) {
      throw invalidField(
        'region',
        `${JSON.stringify(region)} is not a region interconnect is offered in (supported: ${this.config.interconnectRegions.join(', ')})`,
      );
    }
  }

  private async checkVpcs(manager: EntityManager, vpcIds: readonly number[]): Promise<void> {
    const rows: { id: number }[] = await manager.query(`SELECT id FROM hosted_vpcs WHERE id IN (${vpcIds.map(() => '?').join(',')})`, [
      ...vpcIds,
    ]);
    const found = new Set(rows.map((row) => Number(row.id)));
    const problems = vpcIds
      .map((vpcId, index) => ({ vpcId, index }))
      .filter(({ vpcId }) => !found.has(vpcId))
      .map(({ vpcId, index }) => ({ field: `hostedVpcIds[${index}]`, problem: `hosted VPC ${vpcId} does not exist` }));
    if (problems.length > 0) throw badRequest(problems);
  }

  private async read(manager: EntityManager, id: number): Promise<SubscriptionView> {
    const rows: SubscriptionRow[] = await manager.query(
      'SELECT id, name, region, callback_url, interconnect_instance_id, created_at, updated_at FROM hrm_subscriptions WHERE id = ?',
      [id],
    );
    if (rows.length === 0) throw notFound('subscription', id);
    return (await this.withDeliveries(manager, rows))[0]!;
  }

  private async withDeliveries(manager: EntityManager, rows: SubscriptionRow[]): Promise<SubscriptionView[]> {
    if (rows.length === 0) return [];
    const deliveries: DeliveryRow[] = await manager.query(
      `SELECT d.subscription_id, d.hosted_vpc_id, d.state, d.acked_revision, t.revision AS table_revision, d.resync_reason,
              d.consecutive_failures, d.last_error, d.last_delivered_at, d.snapshots
       FROM hrm_deliveries d LEFT JOIN vpc_route_tables t ON t.hosted_vpc_id = d.hosted_vpc_id
       WHERE d.subscription_id IN (${rows.map(() => '?').join(',')}) ORDER BY d.hosted_vpc_id`,
      rows.map((row) => row.id),
    );
    return rows.map((row) => {
      const own = deliveries.filter((delivery) => Number(delivery.subscription_id) === Number(row.id));
      return {
        id: Number(row.id),
        name: row.name,
        region: row.region,
        callbackUrl: row.callback_url,
        interconnectInstanceId: row.interconnect_instance_id === null ? null : Number(row.interconnect_instance_id),
        hostedVpcIds: own.map((delivery) => Number(delivery.hosted_vpc_id)),
        createdAt: new Date(row.created_at).toISOString(),
        updatedAt: new Date(row.updated_at).toISOString(),
        deliveries: own.map((delivery): DeliveryView => {
          const tableRevision = Number(delivery.table_revision ?? 0);
          const acked = delivery.acked_revision === null ? null : Number(delivery.acked_revision);
          return {
            hostedVpcId: Number(delivery.hosted_vpc_id),
            state: delivery.state,
            ackedRevision: acked,
            tableRevision,
            lagRevisions: Math.max(0, tableRevision - (acked ?? 0)),
            resyncReason: delivery.resync_reason,
            consecutiveFailures: Number(delivery.consecutive_failures),
            lastError: delivery.last_error,
            lastDeliveredAt: delivery.last_delivered_at === null ? null : new Date(delivery.last_delivered_at).toISOString(),
            snapshots: Number(delivery.snapshots),
          };
        }),
      };
    });
  }

  private async write<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    try {
      const result = await this.dataSource.transaction(work);
      this.relay.kick();
      return result;
    } catch (error) {
      if (error instanceof QueryFailedError && (error.driverError as { code?: string }).code === 'ER_DUP_ENTRY') {
        throw conflict('a subscription with this name already exists');
      }
      throw error;
    }
  }
}

/** The member VPCs of an interconnect instance; a 400 on `field` when it does not exist. */
export async function instanceMembers(manager: EntityManager, instanceId: number, field: string): Promise<number[]> {
  const found: unknown[] = await manager.query('SELECT id FROM interconnect_instances WHERE id = ? FOR UPDATE', [instanceId]);
  if (found.length === 0) throw invalidField(field, `interconnect instance ${instanceId} does not exist`);
  const rows: { hosted_vpc_id: number }[] = await manager.query(
    'SELECT hosted_vpc_id FROM interconnect_instance_vpcs WHERE interconnect_instance_id = ? ORDER BY hosted_vpc_id',
    [instanceId],
  );
  return rows.map((row) => Number(row.hosted_vpc_id));
}

/** Makes the subscription's delivery rows the given VPCs: new ones start with a snapshot (`reason`), others stop. */
export async function syncDeliveries(
  manager: EntityManager,
  subscriptionId: number,
  vpcIds: readonly number[],
  reason: string,
): Promise<void> {
  const current: { hosted_vpc_id: number }[] = await manager.query('SELECT hosted_vpc_id FROM hrm_deliveries WHERE subscription_id = ?', [
    subscriptionId,
  ]);
  const have = new Set(current.map((row) => Number(row.hosted_vpc_id)));
  const want = new Set(vpcIds);
  const removed = [...have].filter((vpcId) => !want.has(vpcId));
  if (removed.length > 0) {
    await manager.query(`DELETE FROM hrm_deliveries WHERE subscription_id = ? AND hosted_vpc_id IN (${removed.map(() => '?').join(',')})`, [
      subscriptionId,
      ...removed,
    ]);
  }
  const added = vpcIds.filter((vpcId) => !have.has(vpcId));
  if (added.length > 0) {
    await manager.query(
      `INSERT INTO hrm_deliveries (subscription_id, hosted_vpc_id, state, resync_reason) VALUES ${added.map(() => "(?, ?, 'snapshot', ?)").join(', ')}`,
      added.flatMap((vpcId) => [subscriptionId, vpcId, reason.slice(0, 255)]),
    );
  }
}

/** Tells the HRM instances, through the outbox (same transaction), that a subscription changed. */
export async function announceSubscription(
  manager: EntityManager,
  instanceId: string,
  subscriptionId: number,
  action: SubscriptionChangedData['action'],
): Promise<void> {
  await enqueueOutbox(manager, [
    {
      topic: TOPICS.subscriptions.name,
      key: String(subscriptionId),
      event: createCloudEvent<SubscriptionChangedData>({
        type: SUBSCRIPTION_CHANGED,
        source: `route-broker/${instanceId}/admin`,
        subject: `subscription/${subscriptionId}`,
        data: { subscriptionId, action },
      }),
    },
  ]);
}

/** http(s) only, no credentials in the URL (they would show in every listing and log). */
export function checkCallbackUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw invalidField('callbackUrl', 'must be an absolute http or https URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw invalidField('callbackUrl', 'must be an absolute http or https URL');
  if (url.username || url.password) throw invalidField('callbackUrl', 'must not carry credentials (the secret signs each request)');
  if (url.hash) throw invalidField('callbackUrl', 'must not have a #fragment');
  return url.toString();
}
