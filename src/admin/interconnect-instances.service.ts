/**
 * Interconnect instances: a customer's hosted VPCs joined through the global interconnect service.
 * Subscriptions that follow an instance follow its membership: a VPC that joins gets a delivery
 * (starting with a snapshot), one that leaves stops, in the same transaction as the change.
 */
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, QueryFailedError, type EntityManager } from 'typeorm';
import { OutboxRelay } from '../common/outbox/outbox-relay.js';
import { APP_CONFIG } from '../common/config/config.module.js';
import type { AppConfig } from '../common/config/config.js';
import { recordAudit, type Actor } from '../common/audit/audit.js';
import { badRequest, conflict, notFound } from '../common/http/errors.js';
import type { CreateInterconnectInstanceDto, UpdateInterconnectInstanceDto } from './interconnect-instances.dto.js';
import {
  deleteInstance,
  followersOf,
  insertInstance,
  instanceById,
  listInstances,
  lockInstance,
  lockInstanceOwner,
  membersOf,
  replaceMembers,
  sortedFollowersOf,
  touchInstance,
  vpcOwners,
  type StoredInstance,
} from './interconnect-instances.store.js';
import { announceSubscription, syncDeliveries } from './subscriptions.service.js';

export interface InterconnectInstanceView {
  id: number;
  name: string;
  owner: string;
  hostedVpcIds: number[];
  /** Subscriptions following the instance. */
  subscriptionIds: number[];
  createdAt: string;
  updatedAt: string;
}

const AUDIT = { entityType: 'interconnect-instance' } as const;

@Injectable()
export class InterconnectInstancesService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly relay: OutboxRelay,
  ) {}

  async list(limit: number, offset: number): Promise<InterconnectInstanceView[]> {
    const instances = await listInstances(this.dataSource.manager, limit, offset);
    return Promise.all(instances.map((instance) => this.view(this.dataSource.manager, instance)));
  }

  async get(id: number): Promise<InterconnectInstanceView> {
    return this.read(this.dataSource.manager, id);
  }

  async create(body: CreateInterconnectInstanceDto, actor: Actor): Promise<InterconnectInstanceView> {
    return this.write(async (manager) => {
      await checkMembers(manager, body.owner, body.hostedVpcIds);
      const id = await insertInstance(manager, { name: body.name, owner: body.owner });
      await replaceMembers(manager, id, body.hostedVpcIds);
      const after = await this.read(manager, id);
      await recordAudit(manager, actor, { ...AUDIT, action: 'interconnect-instance.create', entityId: after.id, before: null, after });
      return after;
    });
  }

  async update(id: number, body: UpdateInterconnectInstanceDto, actor: Actor): Promise<InterconnectInstanceView> {
    return this.write(async (manager) => {
      const owner = await lockInstanceOwner(manager, id);
      if (owner === undefined) throw notFound('interconnect instance', id);
      const before = await this.read(manager, id);
      if (body.hostedVpcIds !== undefined) {
        await checkMembers(manager, owner, body.hostedVpcIds);
        await replaceMembers(manager, id, body.hostedVpcIds);
        for (const subscriptionId of await followersOf(manager, id)) {
          await syncDeliveries(manager, subscriptionId, body.hostedVpcIds, `joined interconnect instance ${id}`);
          await announceSubscription(manager, this.config.instanceId, subscriptionId, 'changed');
        }
        await touchInstance(manager, id);
      }
      const after = await this.read(manager, id);
      await recordAudit(manager, actor, { ...AUDIT, action: 'interconnect-instance.update', entityId: id, before, after });
      return after;
    });
  }

  async remove(id: number, actor: Actor): Promise<void> {
    await this.write(async (manager) => {
      if (!(await lockInstance(manager, id))) throw notFound('interconnect instance', id);
      const before = await this.read(manager, id);
      const followers = await followersOf(manager, id);
      if (followers.length > 0) {
        throw conflict(`interconnect instance ${id} is followed by subscription(s) ${followers.join(', ')}: delete them first`);
      }
      if (!(await deleteInstance(manager, id))) throw notFound('interconnect instance', id);
      await recordAudit(manager, actor, { ...AUDIT, action: 'interconnect-instance.delete', entityId: id, before, after: null });
    });
  }

  private async read(manager: EntityManager, id: number): Promise<InterconnectInstanceView> {
    const instance = await instanceById(manager, id);
    if (instance === undefined) throw notFound('interconnect instance', id);
    return this.view(manager, instance);
  }

  private async view(manager: EntityManager, instance: StoredInstance): Promise<InterconnectInstanceView> {
    const hostedVpcIds = await membersOf(manager, instance.id);
    const subscriptionIds = await sortedFollowersOf(manager, instance.id);
    return {
      id: instance.id,
      name: instance.name,
      owner: instance.owner,
      hostedVpcIds,
      subscriptionIds,
      createdAt: instance.createdAt.toISOString(),
      updatedAt: instance.updatedAt.toISOString(),
    };
  }

  private async write<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    try {
      const result = await this.dataSource.transaction(work);
      this.relay.kick();
      return result;
    } catch (error) {
      if (error instanceof QueryFailedError && (error.driverError as { code?: string }).code === 'ER_DUP_ENTRY') {
        throw conflict('an interconnect instance with this name already exists');
      }
      throw error;
    }
  }
}

/** Every member exists and belongs to the instance's owner. */
async function checkMembers(manager: EntityManager, owner: string, vpcIds: readonly number[]): Promise<void> {
  if (vpcIds.length === 0) return;
  const owners = await vpcOwners(manager, vpcIds);
  const problems = vpcIds.flatMap((vpcId, index) => {
    const vpcOwner = owners.get(vpcId);
    if (vpcOwner === undefined) return [{ field: `hostedVpcIds[${index}]`, problem: `hosted VPC ${vpcId} does not exist` }];
    if (vpcOwner !== owner) {
      return [{ field: `hostedVpcIds[${index}]`, problem: `hosted VPC ${vpcId} belongs to ${vpcOwner}, not to ${owner}` }];
    }
    return [];
  });
  if (problems.length > 0) throw badRequest(problems);
}
