/**
 * Subscriptions of UXR endpoints to hosted VPCs (HRM, issue #6): stored in MySQL with one
 * delivery row per VPC, and announced to the HRM instances on route-broker.subscriptions.v1
 * through the outbox (written in the same transaction, so a change is never saved unannounced).
 */
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, QueryFailedError, type EntityManager } from 'typeorm';
import { OutboxRelay } from '../common/outbox/outbox-relay.js';
import { enqueueOutbox } from '../common/outbox/outbox.js';
import { APP_CONFIG } from '../common/config/config.module.js';
import type { AppConfig } from '../common/config/config.js';
import { SUBSCRIPTION_CHANGED, type SubscriptionChangedData } from '../common/events/hrm-events.js';
import { recordAudit, type Actor } from '../common/audit/audit.js';
import { badRequest, conflict, invalidField, notFound } from '../common/http/errors.js';
import { createCloudEvent } from '../common/kafka/cloud-event.js';
import { TOPICS } from '../common/kafka/topics.js';
import type { CreateSubscriptionDto, UpdateSubscriptionDto } from './subscriptions.dto.js';
import { lockInstance, membersOf } from './interconnect-instances.store.js';
import {
  deleteDeliveries,
  deleteSubscription,
  deliveriesOf,
  deliveryVpcIdsOf,
  existingVpcIds,
  insertDeliveries,
  insertSubscription,
  listSubscriptions,
  lockSubscription,
  lockSubscriptionWithInstance,
  requestSnapshots,
  setCallbackUrl,
  setSecret,
  subscriptionById,
  subscriptionExists,
  touchSubscription,
  type StoredSubscription,
} from './subscriptions.store.js';

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

@Injectable()
export class SubscriptionsService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly relay: OutboxRelay,
  ) {}

  async list(limit: number, offset: number): Promise<SubscriptionView[]> {
    const subscriptions = await listSubscriptions(this.dataSource.manager, limit, offset);
    return this.withDeliveries(this.dataSource.manager, subscriptions);
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
      const id = await insertSubscription(manager, {
        name: body.name,
        region: body.region,
        callbackUrl,
        secret: body.secret,
        interconnectInstanceId: body.interconnectInstanceId ?? null,
      });
      await syncDeliveries(manager, id, vpcIds, reason);
      await announceSubscription(manager, this.config.instanceId, id, 'changed');
      const after = await this.read(manager, id);
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
      const locked = await lockSubscriptionWithInstance(manager, id);
      if (locked === undefined) throw notFound('subscription', id);
      const before = await this.read(manager, id);
      if (callbackUrl !== undefined) await setCallbackUrl(manager, id, callbackUrl);
      if (body.secret !== undefined) await setSecret(manager, id, body.secret);
      if (body.hostedVpcIds !== undefined) {
        const instance = locked.interconnectInstanceId;
        if (instance !== null) {
          throw invalidField(
            'hostedVpcIds',
            `this subscription follows interconnect instance ${instance}: change the instance's VPCs instead`,
          );
        }
        await this.checkVpcs(manager, body.hostedVpcIds);
        await syncDeliveries(manager, id, body.hostedVpcIds, 'added to the subscription');
      }
      await touchSubscription(manager, id);
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
      if (!(await lockSubscription(manager, id))) throw notFound('subscription', id);
      const before = await this.read(manager, id);
      if (!(await deleteSubscription(manager, id))) throw notFound('subscription', id);
      await announceSubscription(manager, this.config.instanceId, id, 'changed');
      await recordAudit(manager, actor, { action: 'subscription.delete', entityType: 'subscription', entityId: id, before, after: null });
    });
  }

  /** Every VPC of the subscription gets a fresh snapshot. */
  async resync(id: number, actor: Actor): Promise<SubscriptionView> {
    return this.write(async (manager) => {
      const marked = await requestSnapshots(manager, id);
      if (!(await subscriptionExists(manager, id)) && marked === 0) throw notFound('subscription', id);
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
    const found = await existingVpcIds(manager, vpcIds);
    const problems = vpcIds
      .map((vpcId, index) => ({ vpcId, index }))
      .filter(({ vpcId }) => !found.has(vpcId))
      .map(({ vpcId, index }) => ({ field: `hostedVpcIds[${index}]`, problem: `hosted VPC ${vpcId} does not exist` }));
    if (problems.length > 0) throw badRequest(problems);
  }

  private async read(manager: EntityManager, id: number): Promise<SubscriptionView> {
    const subscription = await subscriptionById(manager, id);
    if (subscription === undefined) throw notFound('subscription', id);
    return (await this.withDeliveries(manager, [subscription]))[0]!;
  }

  private async withDeliveries(manager: EntityManager, subscriptions: StoredSubscription[]): Promise<SubscriptionView[]> {
    if (subscriptions.length === 0) return [];
    const deliveries = await deliveriesOf(
      manager,
      subscriptions.map((subscription) => subscription.id),
    );
    return subscriptions.map((subscription) => {
      const own = deliveries.filter((delivery) => delivery.subscriptionId === subscription.id);
      return {
        id: subscription.id,
        name: subscription.name,
        region: subscription.region,
        callbackUrl: subscription.callbackUrl,
        interconnectInstanceId: subscription.interconnectInstanceId,
        hostedVpcIds: own.map((delivery) => delivery.hostedVpcId),
        createdAt: subscription.createdAt.toISOString(),
        updatedAt: subscription.updatedAt.toISOString(),
        deliveries: own.map((delivery): DeliveryView => {
          // A VPC without a route table yet is at revision 0.
          const tableRevision = delivery.tableRevision ?? 0;
          const acked = delivery.ackedRevision;
          return {
            hostedVpcId: delivery.hostedVpcId,
            state: delivery.state,
            ackedRevision: acked,
            tableRevision,
            lagRevisions: Math.max(0, tableRevision - (acked ?? 0)),
            resyncReason: delivery.resyncReason,
            consecutiveFailures: delivery.consecutiveFailures,
            lastError: delivery.lastError,
            lastDeliveredAt: delivery.lastDeliveredAt === null ? null : delivery.lastDeliveredAt.toISOString(),
            snapshots: delivery.snapshots,
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
  if (!(await lockInstance(manager, instanceId))) throw invalidField(field, `interconnect instance ${instanceId} does not exist`);
  return membersOf(manager, instanceId);
}

/** Makes the subscription's delivery rows the given VPCs: new ones start with a snapshot (`reason`), others stop. */
export async function syncDeliveries(
  manager: EntityManager,
  subscriptionId: number,
  vpcIds: readonly number[],
  reason: string,
): Promise<void> {
  const have = new Set(await deliveryVpcIdsOf(manager, subscriptionId));
  const want = new Set(vpcIds);
  const removed = [...have].filter((vpcId) => !want.has(vpcId));
  if (removed.length > 0) await deleteDeliveries(manager, subscriptionId, removed);
  const added = vpcIds.filter((vpcId) => !have.has(vpcId));
  if (added.length > 0) await insertDeliveries(manager, subscriptionId, added, reason);
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
