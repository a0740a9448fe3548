/**
 * Interconnect instances: a customer's hosted VPCs joined through the global interconnect service.
 * Subscriptions that follow an instance follow its membership: a VPC that joins gets a delivery
 * (starting with a snapshot), one that leaves stops, in the same transaction as the change.
 */
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, QueryFailedError, type EntityManager } from 'typeorm';
import { OutboxRelay } from '../brm/outbox-relay.js';
import { APP_CONFIG } from '../common/config/config.module.js';
import type { AppConfig } from '../common/config/config.js';
import { recordAudit, type Actor } from '../common/audit/audit.js';
import { badRequest, conflict, notFound } from '../common/http/errors.js';
import type { CreateInterconnectInstanceDto, UpdateInterconnectInstanceDto } from './interconnect-instances.dto.js';
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

interface InstanceRow {
  id: number;
  name: string;
  owner: string;
  created_at: Date;
  updated_at: Date;
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
    const rows: InstanceRow[] = await this.dataSource.query(
      'SELECT id, name, owner, created_at, updated_at FROM interconnect_instances ORDER BY id LIMIT ? OFFSET ?',
      [limit, offset],
    );
    return Promise.all(rows.map((row) => this.view(this.dataSource.manager, row)));
  }

  async get(id: number): Promise<InterconnectInstanceView> {
    return this.read(this.dataSource.manager, id);
  }

  async create(body: CreateInterconnectInstanceDto, actor: Actor): Promise<InterconnectInstanceView> {
    return this.write(async (manager) => {
      await checkMembers(manager, body.owner, body.hostedVpcIds);
      const result: { insertId: number } = await manager.query('INSERT INTO interconnect_instances (name, owner) VALUES (?, ?)', [
        body.name,
        body.owner,
      ]);
      await this.setMembers(manager, result.insertId, body.hostedVpcIds);
      const after = await this.read(manager, result.insertId);
      await recordAudit(manager, actor, { ...AUDIT, action: 'interconnect-instance.create', entityId: after.id, before: null, after });
      return after;
    });
  }

  async update(id: number, body: UpdateInterconnectInstanceDto, actor: Actor): Promise<InterconnectInstanceView> {
    return this.write(async (manager) => {
      const rows: InstanceRow[] = await manager.query('SELECT id, owner FROM interconnect_instances WHERE id = ? FOR UPDATE', [id]);
      if (rows.length === 0) throw notFound('interconnect instance', id);
      const before = await this.read(manager, id);
      if (body.hostedVpcIds !== undefined) {
        await checkMembers(manager, rows[0]!.owner, body.hostedVpcIds);
        await this.setMembers(manager, id, body.hostedVpcIds);
        const subscriptions: { id: number }[] = await manager.query('SELECT id FROM hrm_subscriptions WHERE interconnect_instance_id = ?', [
          id,
        ]);
        for (const subscription of subscriptions) {
          await syncDeliveries(manager, Number(subscription.id), body.hostedVpcIds, `joined interconnect instance ${id}`);
          await announceSubscription(manager, this.config.instanceId, Number(subscription.id), 'changed');
        }
        await manager.query('UPDATE interconnect_instances SET updated_at = NOW(3) WHERE id = ?', [id]);
      }
      const after = await this.read(manager, id);
      await recordAudit(manager, actor, { ...AUDIT, action: 'interconnect-instance.update', entityId: id, before, after });
      return after;
    });
  }

  async remove(id: number, actor: Actor): Promise<void> {
    await this.write(async (manager) => {
      const locked: unknown[] = await manager.query('SELECT id FROM interconnect_instances WHERE id = ? FOR UPDATE', [id]);
      if (locked.length === 0) throw notFound('interconnect instance', id);
      const before = await this.read(manager, id);
      const followers: { id: number }[] = await manager.query('SELECT id FROM hrm_subscriptions WHERE interconnect_instance_id = ?', [id]);
      if (followers.length > 0) {
        throw conflict(
          `interconnect instance ${id} is followed by subscription(s) ${followers.map((row) => row.id).join(', ')}: delete them first`,
        );
      }
      const result: { affectedRows: number } = await manager.query('DELETE FROM interconnect_instances WHERE id = ?', [id]);
      if (result.affectedRows === 0) throw notFound('interconnect instance', id);
      await recordAudit(manager, actor, { ...AUDIT, action: 'interconnect-instance.delete', entityId: id, before, after: null });
    });
  }

  private async setMembers(manager: EntityManager, id: number, vpcIds: readonly number[]): Promise<void> {
    await manager.query('DELETE FROM interconnect_instance_vpcs WHERE interconnect_instance_id = ?', [id]);
    if (vpcIds.length === 0) return;
    await manager.query(
      `INSERT INTO interconnect_instance_vpcs (interconnect_instance_id, hosted_vpc_id) VALUES ${vpcIds.map(() => '(?, ?)').join(', ')}`,
      vpcIds.flatMap((vpcId) => [id, vpcId]),
    );
  }

  private async read(manager: EntityManager, id: number): Promise<InterconnectInstanceView> {
    const rows: InstanceRow[] = await manager.query(
      'SELECT id, name, owner, created_at, updated_at FROM interconnect_instances WHERE id = ?',
      [id],
    );
    if (rows.length === 0) throw notFound('interconnect instance', id);
    return this.view(manager, rows[0]!);
  }

  private async view(manager: EntityManager, row: InstanceRow): Promise<InterconnectInstanceView> {
    const members: { hosted_vpc_id: number }[] = await manager.query(
      'SELECT hosted_vpc_id FROM interconnect_instance_vpcs WHERE interconnect_instance_id = ? ORDER BY hosted_vpc_id',
      [row.id],
    );
    const followers: { id: number }[] = await manager.query(
      'SELECT id FROM hrm_subscriptions WHERE interconnect_instance_id = ? ORDER BY id',
      [row.id],
    );
    return {
      id: Number(row.id),
      name: row.name,
      owner: row.owner,
      hostedVpcIds: members.map((member) => Number(member.hosted_vpc_id)),
      subscriptionIds: followers.map((follower) => Number(follower.id)),
      createdAt: new Date(row.created_at).toISOString(),
      updatedAt: new Date(row.updated_at).toISOString(),
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
  const rows: { id: number; owner: string }[] = await manager.query(
    `SELECT id, owner FROM hosted_vpcs WHERE id IN (${vpcIds.map(() => '?').join(',')})`,
    [...vpcIds],
  );
  const owners = new Map(rows.map((row) => [Number(row.id), row.owner]));
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
