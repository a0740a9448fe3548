/**
 * Create, read, update and delete for the inventory, enforcing the rules that need more than
 * one field or one row. Each write runs in one transaction; rules that compare rows of one host
 * lock that host's row first, so two concurrent requests cannot both pass a check.
 */
import { Injectable } from '@nestjs/common';
import { DataSource, QueryFailedError, type EntityManager, type EntityTarget, type FindOptionsWhere, type ObjectLiteral } from 'typeorm';
import { findOverlap, parsePrefix, prefixesOverlap, tunnelSubnet, type ParsedPrefix } from '../../common/inventory/addressing.js';
import {
  BgpSessionEntity,
  GreTunnelEntity,
  HostedVpcEntity,
  HostEntity,
  PeEntity,
  RegionEntity,
} from '../../common/inventory/inventory.entities.js';
import { badRequest, conflict, invalidField, notFound, type FieldProblem } from '../../common/http/errors.js';
import type { ListQueryDto } from './inventory.dto.js';

interface Resource<E> {
  entity: EntityTarget<E>;
  label: string;
  /** Checks the complete row about to be written; throws a 400 or 409. */
  check?(manager: EntityManager, row: E, id: number | null): Promise<void>;
}

/** Human names for the unique keys of the inventory migration, for 409 messages. */
const UNIQUE_KEYS: Record<string, string> = {
  uq_regions_code: 'a region with this code already exists',
  uq_hosts_name: 'a host with this name already exists',
  uq_pes_name: 'a PE with this name already exists',
  uq_hosted_vpcs_name: 'a hosted VPC with this name already exists',
  uq_gre_tunnels_host_key: 'this host already has a tunnel with this tunnelKey',
  uq_gre_tunnels_host_interface: 'this host already has a tunnel with this interfaceName',
  uq_gre_tunnels_host_local_inner: 'this host already has a tunnel with this localInnerAddress',
  uq_bgp_sessions_tunnel_peer: 'this tunnel already has a session with this peerAddress',
};

@Injectable()
export class InventoryService {
  constructor(private readonly dataSource: DataSource) {}

  readonly regions: Resource<RegionEntity> = { entity: RegionEntity, label: 'region' };

  readonly hosts: Resource<HostEntity> = {
    entity: HostEntity,
    label: 'host',
    check: async (manager, host) => {
      await this.mustExist(manager, RegionEntity, host.regionId, 'regionId', 'region');
      // Pin the key itself; the comment after it is not part of the identity.
      if (host.sshHostKey) host.sshHostKey = host.sshHostKey.split(' ').slice(0, 2).join(' ');
    },
  };

  readonly pes: Resource<PeEntity> = { entity: PeEntity, label: 'PE' };

  readonly hostedVpcs: Resource<HostedVpcEntity> = {
    entity: HostedVpcEntity,
    label: 'hosted VPC',
    check: async (manager, vpc) => {
      await this.mustExist(manager, RegionEntity, vpc.regionId, 'regionId', 'region');
      vpc.cidrs = canonicalCidrs(vpc.cidrs);
    },
  };

  readonly tunnels: Resource<GreTunnelEntity> = {
    entity: GreTunnelEntity,
    label: 'GRE tunnel',
    check: async (manager, tunnel, id) => {
      const subnet = tunnelSubnet(tunnel.localInnerAddress, tunnel.remoteInnerAddress, tunnel.innerPrefixLength);
      if (typeof subnet === 'string') throw invalidField(subnet.split(' ')[0]!, subnet);
      await this.mustExist(manager, PeEntity, tunnel.peId, 'peId', 'PE');
      // Lock the host: the overlap check below must see every committed tunnel of this host.
      const host = await manager.findOne(HostEntity, { where: { id: tunnel.hostId }, lock: { mode: 'pessimistic_write' } });
      if (!host) throw invalidField('hostId', `host ${tunnel.hostId} does not exist`);
      const siblings = await manager.find(GreTunnelEntity, { where: { hostId: tunnel.hostId } });
      for (const other of siblings) {
        if (other.id === id) continue;
        if (other.tunnelKey === tunnel.tunnelKey) {
          throw conflict(
            `tunnelKey ${tunnel.tunnelKey} is already used on host ${host.name} by tunnel ${other.id} (${other.interfaceName})`,
          );
        }
        const otherSubnet = tunnelSubnet(other.localInnerAddress, other.remoteInnerAddress, other.innerPrefixLength);
        if (typeof otherSubnet !== 'string' && otherSubnet.first <= subnet.last && subnet.first <= otherSubnet.last) {
          throw conflict(
            `inner subnet ${subnet.network} overlaps ${otherSubnet.network} of tunnel ${other.id} (${other.interfaceName}) on host ${host.name}`,
          );
        }
      }
    },
  };

  readonly sessions: Resource<BgpSessionEntity> = {
    entity: BgpSessionEntity,
    label: 'BGP session',
    check: async (manager, session) => {
      const tunnel = await manager.findOne(GreTunnelEntity, { where: { id: session.tunnelId }, relations: { host: true } });
      if (!tunnel?.host) throw invalidField('tunnelId', `GRE tunnel ${session.tunnelId} does not exist`);
      const vpc = await manager.findOneBy(HostedVpcEntity, { id: session.hostedVpcId });
      if (!vpc) throw invalidField('hostedVpcId', `hosted VPC ${session.hostedVpcId} does not exist`);
      if (vpc.regionId !== tunnel.host.regionId) {
        throw invalidField('hostedVpcId', `hosted VPC ${vpc.name} is in another region than host ${tunnel.host.name}`);
      }
      session.localAsn ??= tunnel.host.asn;
      if (session.peerAddress !== tunnel.remoteInnerAddress) {
        throw invalidField('peerAddress', `must be the PE's inner address of tunnel ${tunnel.id}, ${tunnel.remoteInnerAddress}`);
      }
      if (session.holdTimeSeconds !== 0 && (session.holdTimeSeconds < 3 || session.keepaliveSeconds >= session.holdTimeSeconds)) {
        throw invalidField('holdTimeSeconds', 'must be 0, or at least 3 and greater than keepaliveSeconds');
      }
    },
  };

  async list<E extends ObjectLiteral>(resource: Resource<E>, query: ListQueryDto, where: FindOptionsWhere<E> = {}): Promise<E[]> {
    return this.dataSource.getRepository(resource.entity).find({
      where,
      order: { id: 'ASC' } as never,
      take: query.limit ?? 100,
      skip: query.offset ?? 0,
    });
  }

  async get<E extends ObjectLiteral>(resource: Resource<E>, id: number): Promise<E> {
    const row = await this.dataSource.getRepository(resource.entity).findOneBy({ id } as never);
    if (!row) throw notFound(resource.label, id);
    return row;
  }

  async create<E extends ObjectLiteral>(resource: Resource<E>, fields: Partial<E>): Promise<E> {
    return this.write(async (manager) => {
      const row: E = manager.create(resource.entity, fields as never);
      await resource.check?.(manager, row, null);
      return manager.save(resource.entity, row);
    });
  }

  async update<E extends ObjectLiteral>(resource: Resource<E>, id: number, changes: Partial<E>): Promise<E> {
    return this.write(async (manager) => {
      const current = await manager.findOne(resource.entity, { where: { id } as never, lock: { mode: 'pessimistic_write' } });
      if (!current) throw notFound(resource.label, id);
      const row: E = manager.merge(resource.entity, current, withoutUndefined(changes) as never);
      await resource.check?.(manager, row, id);
      return manager.save(resource.entity, row);
    });
  }

  async remove<E extends ObjectLiteral>(resource: Resource<E>, id: number): Promise<void> {
    await this.write(async (manager) => {
      const result = await manager.delete(resource.entity, { id });
      if (!result.affected) throw notFound(resource.label, id);
    });
  }

  private async write<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    try {
      return await this.dataSource.transaction(work);
    } catch (error) {
      throw translateDatabaseError(error);
    }
  }

  private async mustExist(manager: EntityManager, entity: EntityTarget<{ id: number }>, id: number, field: string, label: string) {
    if (!(await manager.existsBy(entity, { id }))) throw invalidField(field, `${label} ${id} does not exist`);
  }
}

function withoutUndefined<T extends object>(changes: T): Partial<T> {
  return Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined)) as Partial<T>;
}

/** Validates a VPC's CIDRs: each a network prefix, none overlapping another; returns canonical forms. */
export function canonicalCidrs(cidrs: readonly string[]): string[] {
  const problems: FieldProblem[] = [];
  const parsed: ParsedPrefix[] = [];
  cidrs.forEach((text, index) => {
    const prefix = parsePrefix(text);
    if (typeof prefix === 'string') problems.push({ field: `cidrs[${index}]`, problem: prefix });
    else parsed.push(prefix);
  });
  if (problems.length > 0) throw badRequest(problems);
  const overlap = findOverlap(parsed);
  if (overlap) {
    const [a, b] = overlap;
    throw invalidField(
      'cidrs',
      `${a.canonical} and ${b.canonical} overlap${prefixesOverlap(a, b) && a.canonical === b.canonical ? ' (listed twice)' : ''}`,
    );
  }
  return parsed.map((prefix) => prefix.canonical);
}

function translateDatabaseError(error: unknown): unknown {
  if (!(error instanceof QueryFailedError)) return error;
  const driverError = error.driverError as { code?: string; sqlMessage?: string };
  if (driverError.code === 'ER_DUP_ENTRY') {
    const key = /for key '(?:[^.']*\.)?([^']+)'/.exec(driverError.sqlMessage ?? '')?.[1] ?? '';
    return conflict(UNIQUE_KEYS[key] ?? `duplicate value: ${driverError.sqlMessage ?? 'unique key'}`);
  }
  if (driverError.code === 'ER_ROW_IS_REFERENCED_2' || driverError.code === 'ER_ROW_IS_REFERENCED') {
    const table = /FOREIGN KEY .*REFERENCES|a foreign key constraint fails \([^.]*\.`?([a-z_]+)`?/.exec(driverError.sqlMessage ?? '')?.[1];
    return conflict(`still in use${table ? ` by ${table.replace(/_/g, ' ')}` : ''}: delete those first`);
  }
  return error;
}
