/**
 * Create, read, update and delete for the inventory, enforcing the rules that need more than
 * one field or one row. Each write runs in one transaction; rules that compare rows of one host
 * lock that host's row first, so two concurrent requests cannot both pass a check.
 */
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, QueryFailedError, type EntityManager, type EntityTarget, type FindOptionsWhere, type ObjectLiteral } from 'typeorm';
import {
  findOverlap,
  parsePrefix,
  prefixesOverlap,
  tunnelSubnet,
  tunnelSubnetV6,
  type ParsedPrefix,
  type TunnelSubnet,
} from '../../common/inventory/addressing.js';
import { canonicalAddress, parseIPv4, parseIPv6Groups, type AddressFamily } from '../../common/net/ip-address.js';
import {
  BgpSessionEntity,
  GreTunnelEntity,
  HostedVpcEntity,
  HostEntity,
  PeEntity,
  RegionEntity,
} from '../../common/inventory/inventory.entities.js';
import { badRequest, conflict, invalidField, notFound, type FieldProblem } from '../../common/http/errors.js';
import type { LengthRange, PrefixListEntry } from '../../common/policy/import-policy.js';
import { ADDRESS_FAMILY_NAMES, type AddressFamilyName, type SessionImportPolicy } from '../../common/policy/session-policy.js';
import type { ListQueryDto } from './inventory.dto.js';
import { OutboxRelay } from '../../common/outbox/outbox-relay.js';
import { enqueueOutbox } from '../../common/outbox/outbox.js';
import { APP_CONFIG } from '../../common/config/config.module.js';
import type { AppConfig } from '../../common/config/config.js';
import { INVENTORY_CHANGED, type InventoryChangedData } from '../../common/events/inventory-events.js';
import { createCloudEvent } from '../../common/kafka/cloud-event.js';
import { TOPICS } from '../../common/kafka/topics.js';
import { recordAudit, type Actor } from '../../common/audit/audit.js';

interface Resource<E> {
  entity: EntityTarget<E>;
  label: string;
  /** The entity type in the audit trail (`host`, `bgp-session`…): actions are `<type>.create`, `.update`, `.delete`. */
  auditAs: string;
  /** Set for what BRM follows: every write of it tells BRM through the outbox (same transaction). */
  announceAs?: InventoryChangedData['resource'];
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
  uq_gre_tunnels_host_local_inner_v6: 'this host already has a tunnel with this localInnerAddressV6',
  uq_bgp_sessions_tunnel_peer: 'this tunnel already has a session with this peerAddress',
};

@Injectable()
export class InventoryService {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly relay: OutboxRelay,
  ) {}

  readonly regions: Resource<RegionEntity> = { entity: RegionEntity, label: 'region', auditAs: 'region' };

  readonly hosts: Resource<HostEntity> = {
    entity: HostEntity,
    label: 'host',
    auditAs: 'host',
    check: async (manager, host) => {
      await this.mustExist(manager, RegionEntity, host.regionId, 'regionId', 'region');
      // Pin the key itself; the comment after it is not part of the identity.
      if (host.sshHostKey) host.sshHostKey = host.sshHostKey.split(' ').slice(0, 2).join(' ');
    },
  };

  readonly pes: Resource<PeEntity> = { entity: PeEntity, label: 'PE', auditAs: 'pe' };

  readonly hostedVpcs: Resource<HostedVpcEntity> = {
    entity: HostedVpcEntity,
    label: 'hosted VPC',
    auditAs: 'hosted-vpc',
    announceAs: 'hosted-vpc',
    check: async (manager, vpc, id) => {
      await this.mustExist(manager, RegionEntity, vpc.regionId, 'regionId', 'region');
      vpc.cidrs = canonicalCidrs(vpc.cidrs);
      if (id === null) return;
      // The VPC's row is locked (update) and session writes lock it before their checks, so
      // these are all the sessions there are.
      const cidrs = parsedCidrs(vpc.cidrs);
      const sessions = await manager.find(BgpSessionEntity, { where: { hostedVpcId: id }, order: { id: 'ASC' } });
      for (const session of sessions) {
        const [useless] = neverAcceptedEntries(session.importPolicy?.allowedPrefixes ?? [], cidrs);
        if (useless) {
          throw conflict(
            `cidrs ${useless.cidrs.join(', ')} would make importPolicy.allowedPrefixes[${useless.index}] (${useless.text}) of BGP session ` +
              `${session.id} useless: every route it allows would overlap the VPC's own CIDRs and never be accepted. ` +
              "Change the session's importPolicy first",
          );
        }
      }
    },
  };

  readonly tunnels: Resource<GreTunnelEntity> = {
    entity: GreTunnelEntity,
    label: 'GRE tunnel',
    auditAs: 'gre-tunnel',
    announceAs: 'gre-tunnel',
    check: async (manager, tunnel, id) => {
      const subnets = innerSubnets(tunnel);
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
        for (const family of INNER_FAMILIES) {
          const subnet = subnets[family];
          const otherSubnet = subnet && innerSubnet(other, family);
          if (subnet && otherSubnet && otherSubnet.first <= subnet.last && subnet.first <= otherSubnet.last) {
            throw conflict(
              `inner subnet ${subnet.network} overlaps ${otherSubnet.network} of tunnel ${other.id} (${other.interfaceName}) on host ${host.name}`,
            );
          }
        }
      }
      // A changed tunnel must still carry its sessions. The tunnel's row is locked (update) and
      // session writes lock it before their checks, so these are all the sessions there are.
      if (id !== null) {
        const sessions = await manager.find(BgpSessionEntity, { where: { tunnelId: id }, order: { id: 'ASC' } });
        for (const session of sessions) {
          const problem = sessionMisfit(session, tunnel);
          if (problem)
            throw conflict(`BGP session ${session.id} (peer ${session.peerAddress}) ${problem}: change or delete that session first`);
        }
      }
    },
  };

  readonly sessions: Resource<BgpSessionEntity> = {
    entity: BgpSessionEntity,
    label: 'BGP session',
    auditAs: 'bgp-session',
    announceAs: 'bgp-session',
    check: async (manager, session) => {
      // Locked so a concurrent tunnel or VPC change (which checks their sessions) waits for this one.
      const tunnel = await manager.findOne(GreTunnelEntity, { where: { id: session.tunnelId }, lock: { mode: 'pessimistic_write' } });
      if (!tunnel) throw invalidField('tunnelId', `GRE tunnel ${session.tunnelId} does not exist`);
      const host = await manager.findOneByOrFail(HostEntity, { id: tunnel.hostId });
      const vpc = await manager.findOne(HostedVpcEntity, { where: { id: session.hostedVpcId }, lock: { mode: 'pessimistic_write' } });
      if (!vpc) throw invalidField('hostedVpcId', `hosted VPC ${session.hostedVpcId} does not exist`);
      if (vpc.regionId !== host.regionId) {
        throw invalidField('hostedVpcId', `hosted VPC ${vpc.name} is in another region than host ${host.name}`);
      }
      session.localAsn ??= host.asn;

      const family = addressFamilyOf(session.peerAddress);
      if (family === null) {
        throw invalidField(
          'peerAddress',
          `${JSON.stringify(session.peerAddress)} is neither an IPv4 address nor an IPv6 address in hexadecimal groups (without a zone index)`,
        );
      }
      session.peerAddress = canonicalAddress(session.peerAddress, family);
      const remote = innerPair(tunnel, family)?.remote;
      if (remote === undefined) {
        throw invalidField(
          'peerAddress',
          `${session.peerAddress} is an IPv${family} address and tunnel ${tunnel.id} has no IPv${family} inner pair`,
        );
      }
      if (session.peerAddress !== remote) {
        const remotes = INNER_FAMILIES.flatMap((each) => innerPair(tunnel, each)?.remote ?? []);
        throw invalidField('peerAddress', `must be the PE's inner address of tunnel ${tunnel.id}: ${remotes.join(' or ')}`);
      }

      // Sorted and without repeats: the form the SET column gives back.
      const families = session.addressFamilies?.length ? session.addressFamilies : [FAMILY_NAME[family]];
      session.addressFamilies = ADDRESS_FAMILY_NAMES.filter((name) => families.includes(name));
      for (const name of session.addressFamilies) {
        const needed = name === 'ipv4-unicast' ? 4 : 6;
        if (!innerPair(tunnel, needed)) {
          throw invalidField(
            'addressFamilies',
            `${name} needs an IPv${needed} next hop, and tunnel ${tunnel.id} has no IPv${needed} inner pair to give one`,
          );
        }
      }

      if (session.holdTimeSeconds !== 0 && (session.holdTimeSeconds < 3 || session.keepaliveSeconds >= session.holdTimeSeconds)) {
        throw invalidField('holdTimeSeconds', 'must be 0, or at least 3 and greater than keepaliveSeconds');
      }
      session.importPolicy = session.importPolicy ? normaliseImportPolicy(session.importPolicy, vpc.cidrs) : null;
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

  async create<E extends ObjectLiteral>(resource: Resource<E>, fields: Partial<E>, actor: Actor): Promise<E> {
    return this.write(resource, 'created', actor, async (manager) => {
      const row: E = manager.create(resource.entity, fields as never);
      await resource.check?.(manager, row, null);
      return { before: null, after: await manager.save(resource.entity, row) };
    });
  }

  async update<E extends ObjectLiteral>(resource: Resource<E>, id: number, changes: Partial<E>, actor: Actor): Promise<E> {
    return this.write(resource, 'updated', actor, async (manager) => {
      const current = await manager.findOne(resource.entity, { where: { id } as never, lock: { mode: 'pessimistic_write' } });
      if (!current) throw notFound(resource.label, id);
      // A copy: merge and the checks change `current` in place.
      const before = { ...current };
      const row: E = manager.merge(resource.entity, current, withoutUndefined(changes) as never);
      await resource.check?.(manager, row, id);
      return { before, after: await manager.save(resource.entity, row) };
    });
  }

  /**
   * A dry run of `update`: the same checks and the same write, inside a transaction that is rolled
   * back after `inspect` has looked at the result (as the changed row, in that transaction).
   * Nothing is stored and nothing is announced.
   */
  async preview<E extends ObjectLiteral, R>(
    resource: Resource<E>,
    id: number,
    changes: Partial<E>,
    inspect: (manager: EntityManager, before: E, after: E) => Promise<R>,
  ): Promise<R> {
    let outcome: { result: R } | null = null;
    try {
      await this.dataSource.transaction(async (manager) => {
        const current = await manager.findOne(resource.entity, { where: { id } as never, lock: { mode: 'pessimistic_write' } });
        if (!current) throw notFound(resource.label, id);
        const before = manager.create(resource.entity, { ...current } as never);
        const row: E = manager.merge(resource.entity, current, withoutUndefined(changes) as never);
        await resource.check?.(manager, row, id);
        const after = await manager.save(resource.entity, row);
        outcome = { result: await inspect(manager, before, after) };
        throw ROLLBACK;
      });
    } catch (error) {
      if (error !== ROLLBACK) throw translateDatabaseError(error);
    }
    return outcome!.result;
  }

  async remove<E extends ObjectLiteral>(resource: Resource<E>, id: number, actor: Actor): Promise<void> {
    await this.write(resource, 'deleted', actor, async (manager) => {
      // Read (locked) before the delete, for the audit record's `before`.
      const current = await manager.findOne(resource.entity, { where: { id } as never, lock: { mode: 'pessimistic_write' } });
      if (!current) throw notFound(resource.label, id);
      const result = await manager.delete(resource.entity, { id });
      if (!result.affected) throw notFound(resource.label, id);
      return { before: current, after: null, id };
    });
  }

  /**
   * One transaction: the write, its audit record and, for what BRM follows, its outbox row; the
   * relay then publishes it. `work` returns the row before and after the change (null for
   * none); the result is `after`.
   */
  private async write<T extends ObjectLiteral>(
    resource: Pick<Resource<unknown>, 'announceAs' | 'auditAs'>,
    action: InventoryChangedData['action'],
    actor: Actor,
    work: (manager: EntityManager) => Promise<{ before: ObjectLiteral | null; after: T | null; id?: number }>,
  ): Promise<T> {
    let written: T | null;
    try {
      written = await this.dataSource.transaction(async (manager) => {
        const { before, after, id: givenId } = await work(manager);
        const id = Number(givenId ?? after?.id);
        await recordAudit(manager, actor, {
          action: `${resource.auditAs}.${AUDIT_VERBS[action]}`,
          entityType: resource.auditAs,
          entityId: id,
          before,
          after,
        });
        const { announceAs } = resource;
        if (announceAs) {
          await enqueueOutbox(manager, [
            {
              topic: TOPICS.inventory.name,
              key: `${announceAs}/${id}`,
              event: createCloudEvent<InventoryChangedData>({
                type: INVENTORY_CHANGED,
                source: `route-broker/${this.config.instanceId}/admin`,
                subject: `${announceAs}/${id}`,
                data: { resource: announceAs, id, action },
              }),
            },
          ]);
        }
        return after;
      });
    } catch (error) {
      throw translateDatabaseError(error);
    }
    if (resource.announceAs) this.relay.kick();
    return written as T;
  }

  private async mustExist(manager: EntityManager, entity: EntityTarget<{ id: number }>, id: number, field: string, label: string) {
    if (!(await manager.existsBy(entity, { id }))) throw invalidField(field, `${label} ${id} does not exist`);
  }
}

const AUDIT_VERBS: Record<InventoryChangedData['action'], string> = { created: 'create', updated: 'update', deleted: 'delete' };

/** Thrown to end a preview's transaction with a rollback. */
const ROLLBACK = new Error('preview: rolled back');

function withoutUndefined<T extends object>(changes: T): Partial<T> {
  return Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined)) as Partial<T>;
}

// ---------------------------------------------------------------------------------------------
// Tunnel inner pairs

/** Neither null nor undefined: API bodies and JSON columns use both for "not set". */
const given = <T>(value: T | null | undefined): value is T => value !== null && value !== undefined;

const INNER_FAMILIES = [4, 6] as const;

const FAMILY_NAME: Record<AddressFamily, AddressFamilyName> = { 4: 'ipv4-unicast', 6: 'ipv6-unicast' };

const INNER_FIELDS = {
  4: { local: 'localInnerAddress', remote: 'remoteInnerAddress', length: 'innerPrefixLength', subnet: tunnelSubnet },
  6: { local: 'localInnerAddressV6', remote: 'remoteInnerAddressV6', length: 'innerPrefixLengthV6', subnet: tunnelSubnetV6 },
} as const;

interface InnerPair {
  local: string;
  remote: string;
  length: number;
}

/** The tunnel's pair of that family, or null when it has none (or only part of one). */
function innerPair(tunnel: GreTunnelEntity, family: AddressFamily): InnerPair | null {
  const fields = INNER_FIELDS[family];
  const local = tunnel[fields.local];
  const remote = tunnel[fields.remote];
  const length = tunnel[fields.length];
  return given(local) && given(remote) && given(length) ? { local, remote, length } : null;
}

function innerSubnet(tunnel: GreTunnelEntity, family: AddressFamily): TunnelSubnet | null {
  const pair = innerPair(tunnel, family);
  const subnet = pair && INNER_FIELDS[family].subnet(pair.local, pair.remote, pair.length);
  return subnet && typeof subnet !== 'string' ? subnet : null;
}

/**
 * Checks the tunnel's inner pairs (each all three fields or none, at least one pair, each a valid
 * subnet), writes their addresses in canonical form and returns their subnets; throws a 400.
 */
function innerSubnets(tunnel: GreTunnelEntity): Partial<Record<AddressFamily, TunnelSubnet>> {
  const subnets: Partial<Record<AddressFamily, TunnelSubnet>> = {};
  for (const family of INNER_FAMILIES) {
    const fields = INNER_FIELDS[family];
    const names = [fields.local, fields.remote, fields.length] as const;
    const missing = names.filter((name) => !given(tunnel[name]));
    if (missing.length === names.length) {
      // Absent and null are the same: no pair of this family.
      tunnel[fields.local] = null;
      tunnel[fields.remote] = null;
      tunnel[fields.length] = null;
      continue;
    }
    if (missing.length > 0) {
      throw invalidField(
        missing[0]!,
        `is missing: an IPv${family} inner pair is ${names.join(', ')} together, or none of them (null removes the pair)`,
      );
    }
    const pair = innerPair(tunnel, family)!;
    const subnet = fields.subnet(pair.local, pair.remote, pair.length);
    if (typeof subnet === 'string') throw invalidField(subnet.split(' ')[0]!, subnet);
    tunnel[fields.local] = canonicalAddress(pair.local, family);
    tunnel[fields.remote] = canonicalAddress(pair.remote, family);
    subnets[family] = subnet;
  }
  if (!subnets[4] && !subnets[6]) {
    throw invalidField(
      'localInnerAddress',
      'a tunnel needs an inner pair: localInnerAddress, remoteInnerAddress and innerPrefixLength (IPv4), ' +
        'localInnerAddressV6, remoteInnerAddressV6 and innerPrefixLengthV6 (IPv6), or both',
    );
  }
  return subnets;
}

function addressFamilyOf(address: string): AddressFamily | null {
  if (parseIPv4(address) >= 0) return 4;
  // A zone index (fe80::1%eth0) or a dotted quad has no place in a neighbor address.
  return !address.includes('.') && parseIPv6Groups(address) !== null ? 6 : null;
}

/** Why the session could not run over the tunnel as it is now (for a 409 on the tunnel), or null. */
function sessionMisfit(session: BgpSessionEntity, tunnel: GreTunnelEntity): string | null {
  const family = addressFamilyOf(session.peerAddress);
  if (family !== null) {
    const pair = innerPair(tunnel, family);
    if (!pair) return `peers over the tunnel's IPv${family} inner pair, which would be gone`;
    if (pair.remote !== session.peerAddress) {
      return `peers with ${session.peerAddress}, which would no longer be the PE's inner address (${pair.remote})`;
    }
  }
  for (const name of session.addressFamilies) {
    const needed = name === 'ipv4-unicast' ? 4 : 6;
    if (!innerPair(tunnel, needed))
      return `carries ${name}, whose next hop needs the tunnel's IPv${needed} inner pair, which would be gone`;
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Session import policies

const FAMILY_BITS: Record<AddressFamily, number> = { 4: 32, 6: 128 };

function parsedCidrs(cidrs: readonly string[]): ParsedPrefix[] {
  return cidrs.map((cidr) => parsePrefix(cidr)).filter((prefix): prefix is ParsedPrefix => typeof prefix !== 'string');
}

/** The lengths an entry matches, as FRR reads ge/le. */
function matchedLengths(entry: PrefixListEntry, prefix: ParsedPrefix): LengthRange {
  const ge = entry.ge ?? undefined;
  const le = entry.le ?? undefined;
  return { min: ge ?? prefix.length, max: le ?? (ge === undefined ? prefix.length : FAMILY_BITS[prefix.family]) };
}

function entryText(entry: PrefixListEntry, prefix: ParsedPrefix): string {
  return `${prefix.canonical}${given(entry.ge) ? ` ge ${entry.ge}` : ''}${given(entry.le) ? ` le ${entry.le}` : ''}`;
}

/**
 * The VPC CIDRs that overlap every route the entry matches (network `prefix`, lengths up to
 * `max`), or null when some route it matches overlaps none of them. BRM refuses any route that
 * overlaps one of the VPC's own CIDRs (overlaps-vpc-cidr), so such an entry can never let
 * anything in: a mistake. An entry that only partly overlaps (10.0.0.0/8 le 24 in a VPC of
 * 10.10.0.0/16) still lets the rest in and is fine.
 *
 * Looking at the longest matched routes is enough: a shorter one contains some of them and so
 * overlaps what they overlap. A CIDR no longer than `max` overlaps 2^(max - its length) of them,
 * a longer one exactly one; the CIDRs do not overlap each other (canonicalCidrs), so counting
 * them up says whether all are hit. Default routes skip the check, so `max` 0 never counts.
 */
function cidrsOverlappingEveryMatch(prefix: ParsedPrefix, max: number, cidrs: readonly ParsedPrefix[]): ParsedPrefix[] | null {
  if (max === 0) return null;
  const overlapping = cidrs.filter((cidr) => prefixesOverlap(cidr, prefix));
  if (overlapping.length === 0) return null;
  const containing = overlapping.find((cidr) => cidr.length <= prefix.length);
  if (containing) return [containing];
  const shift = BigInt(FAMILY_BITS[prefix.family] - max);
  let hit = 0n;
  const hitOnce = new Set<bigint>();
  for (const cidr of overlapping) {
    if (cidr.length <= max) hit += 1n << BigInt(max - cidr.length);
    else hitOnce.add(cidr.first >> shift);
  }
  return hit + BigInt(hitOnce.size) >= 1n << BigInt(max - prefix.length) ? overlapping : null;
}

interface UselessEntry {
  index: number;
  text: string;
  cidrs: string[];
}

/** The well-formed entries that no route could ever pass because of the VPC's CIDRs. */
function neverAcceptedEntries(entries: readonly PrefixListEntry[], cidrs: readonly ParsedPrefix[]): UselessEntry[] {
  return entries.flatMap((entry, index) => {
    const prefix = parsePrefix(entry.prefix);
    if (typeof prefix === 'string') return [];
    const overlapped = cidrsOverlappingEveryMatch(prefix, matchedLengths(entry, prefix).max, cidrs);
    return overlapped ? [{ index, text: entryText(entry, prefix), cidrs: overlapped.map((cidr) => cidr.canonical) }] : [];
  });
}

/**
 * Validates a session's import policy against FRR's prefix-list rules and the hosted VPC's CIDRs
 * and returns it in the form stored: canonical prefixes, no null or undefined keys, no empty
 * bounds. Throws a 400 naming every problem (`importPolicy.allowedPrefixes[2].ge`, …).
 */
export function normaliseImportPolicy(policy: SessionImportPolicy, vpcCidrs: readonly string[]): SessionImportPolicy {
  const problems: FieldProblem[] = [];
  const normalised: SessionImportPolicy = {};

  if (given(policy.allowedPrefixes)) {
    const entries: PrefixListEntry[] = [];
    const seen = new Map<string, number>();
    policy.allowedPrefixes.forEach((entry, index) => {
      const field = `importPolicy.allowedPrefixes[${index}]`;
      const prefix = parsePrefix(entry.prefix);
      if (typeof prefix === 'string') {
        problems.push({ field: `${field}.prefix`, problem: prefix });
        return;
      }
      const bits = FAMILY_BITS[prefix.family];
      const text = entryText(entry, prefix);
      const { min, max } = matchedLengths(entry, prefix);
      if (min < prefix.length || min > bits || max < min || max > bits) {
        const ge = given(entry.ge) && (entry.ge < prefix.length || entry.ge > bits);
        problems.push({ field: `${field}.${ge ? 'ge' : 'le'}`, problem: `"${text}" needs ${prefix.length} <= ge <= le <= ${bits}` });
        return;
      }
      // Same network, same lengths: the same entry, however ge/le were written.
      const key = `${prefix.canonical} ${min} ${max}`;
      const first = seen.get(key);
      if (first !== undefined) {
        problems.push({ field, problem: `"${text}" matches the same routes as allowedPrefixes[${first}]` });
        return;
      }
      seen.set(key, index);
      entries.push({ prefix: prefix.canonical, ...(given(entry.ge) && { ge: entry.ge }), ...(given(entry.le) && { le: entry.le }) });
    });
    if (problems.length === 0) {
      for (const useless of neverAcceptedEntries(entries, parsedCidrs(vpcCidrs))) {
        problems.push({
          field: `importPolicy.allowedPrefixes[${useless.index}]`,
          problem:
            `"${useless.text}" overlaps the VPC's CIDR ${useless.cidrs.join(', ')} with every route it allows: ` +
            "routes overlapping the VPC's own CIDRs are never accepted",
        });
      }
    }
    normalised.allowedPrefixes = entries;
  }

  if (policy.prefixLength) {
    const limits: NonNullable<SessionImportPolicy['prefixLength']> = {};
    for (const family of ['ipv4', 'ipv6'] as const) {
      const { min, max } = policy.prefixLength[family] ?? {};
      if (given(min) && given(max) && min > max) {
        problems.push({ field: `importPolicy.prefixLength.${family}`, problem: `min ${min} is greater than max ${max}` });
      }
      const range: Partial<LengthRange> = { ...(given(min) && { min }), ...(given(max) && { max }) };
      if (Object.keys(range).length > 0) limits[family] = range;
    }
    if (Object.keys(limits).length > 0) normalised.prefixLength = limits;
  }

  if (given(policy.allowDefaultRoute)) normalised.allowDefaultRoute = policy.allowDefaultRoute;
  if (given(policy.localPref)) normalised.localPref = policy.localPref;
  if (problems.length > 0) throw badRequest(problems);
  return normalised;
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
