/**
 * The inventory: where tunnels terminate and which BGP sessions feed which hosted VPC.
 * The schema itself lives in migrations (src/common/database/migrations); these classes only
 * map it. Unsigned 32-bit columns (ASNs, tunnel keys) stay within JavaScript's safe integers.
 */
import type { AddressFamilyName, SessionImportPolicy } from '../policy/session-policy.js';
import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
  type Relation,
} from 'typeorm';

const unsigned = { type: 'int', unsigned: true } as const;

export const TUNNEL_PROVISIONING = ['managed', 'external'] as const;
export type TunnelProvisioning = (typeof TUNNEL_PROVISIONING)[number];

abstract class Timestamps {
  @CreateDateColumn({ name: 'created_at', type: 'datetime', precision: 3, default: () => 'CURRENT_TIMESTAMP(3)' })
  createdAt!: Date;

  @UpdateDateColumn({
    name: 'updated_at',
    type: 'datetime',
    precision: 3,
    default: () => 'CURRENT_TIMESTAMP(3)',
    onUpdate: 'CURRENT_TIMESTAMP(3)',
  })
  updatedAt!: Date;
}

@Entity('regions')
@Index('uq_regions_code', ['code'], { unique: true })
export class RegionEntity extends Timestamps {
  @PrimaryGeneratedColumn({ type: 'int', unsigned: true })
  id!: number;

  @Column({ type: 'varchar', length: 32 })
  code!: string;

  @Column({ type: 'varchar', length: 255, default: '' })
  description: string = '';
}

@Entity('hosts')
@Index('uq_hosts_name', ['name'], { unique: true })
@Index('ix_hosts_region', ['regionId'])
export class HostEntity extends Timestamps {
  @PrimaryGeneratedColumn({ type: 'int', unsigned: true })
  id!: number;

  @Column({ type: 'varchar', length: 64 })
  name!: string;

  @Column({ name: 'region_id', ...unsigned })
  regionId!: number;

  @ManyToOne(() => RegionEntity, { onDelete: 'RESTRICT', onUpdate: 'RESTRICT' })
  @JoinColumn({ name: 'region_id', foreignKeyConstraintName: 'fk_hosts_region' })
  region?: Relation<RegionEntity>;

  @Column({ type: 'varchar', length: 64 })
  zone!: string;

  @Column({ name: 'management_address', type: 'varchar', length: 45 })
  managementAddress!: string;

  @Column({ name: 'ssh_port', type: 'smallint', unsigned: true, default: 22 })
  sshPort: number = 22;

  @Column({ name: 'ssh_user', type: 'varchar', length: 32, default: 'route-broker' })
  sshUser: string = 'route-broker';

  /** The pinned host key, `<type> <base64>`; without one route-broker refuses to connect. */
  @Column({ name: 'ssh_host_key', type: 'varchar', length: 1024, nullable: true, default: () => 'NULL' })
  sshHostKey: string | null = null;

  /** How vtysh runs on this host, e.g. `vtysh` or `ip netns exec fabric vtysh -N fabric`. */
  @Column({ name: 'vtysh_command', type: 'varchar', length: 255, default: 'vtysh' })
  vtyshCommand: string = 'vtysh';

  @Column({ name: 'frr_reload_command', type: 'varchar', length: 255, default: '/usr/lib/frr/frr-reload.py' })
  frrReloadCommand: string = '/usr/lib/frr/frr-reload.py';

  /**
   * Who makes the host's GRE tunnels: `managed`, route-broker's apply runs the rendered GRE setup
   * before FRR; `external`, something else does and route-broker only checks them (drift).
   */
  @Column({ name: 'tunnel_provisioning', type: 'enum', enum: TUNNEL_PROVISIONING, default: 'managed' })
  tunnelProvisioning: TunnelProvisioning = 'managed';

  @Column({ name: 'underlay_address', type: 'varchar', length: 45 })
  underlayAddress!: string;

  @Column({ name: 'router_id', type: 'varchar', length: 15 })
  routerId!: string;

  @Column({ ...unsigned })
  asn!: number;
}

@Entity('pes')
@Index('uq_pes_name', ['name'], { unique: true })
export class PeEntity extends Timestamps {
  @PrimaryGeneratedColumn({ type: 'int', unsigned: true })
  id!: number;

  @Column({ type: 'varchar', length: 64 })
  name!: string;

  @Column({ name: 'underlay_address', type: 'varchar', length: 45 })
  underlayAddress!: string;

  @Column({ ...unsigned })
  asn!: number;

  @Column({ type: 'varchar', length: 128 })
  owner!: string;

  @Column({ type: 'varchar', length: 255, default: '' })
  description: string = '';
}

@Entity('hosted_vpcs')
@Index('uq_hosted_vpcs_name', ['name'], { unique: true })
@Index('ix_hosted_vpcs_region', ['regionId'])
export class HostedVpcEntity extends Timestamps {
  @PrimaryGeneratedColumn({ type: 'int', unsigned: true })
  id!: number;

  @Column({ type: 'varchar', length: 64 })
  name!: string;

  @Column({ name: 'region_id', ...unsigned })
  regionId!: number;

  @ManyToOne(() => RegionEntity, { onDelete: 'RESTRICT', onUpdate: 'RESTRICT' })
  @JoinColumn({ name: 'region_id', foreignKeyConstraintName: 'fk_hosted_vpcs_region' })
  region?: Relation<RegionEntity>;

  @Column({ type: 'varchar', length: 128 })
  owner!: string;

  /** Canonical CIDR strings, validated not to overlap each other. */
  @Column({ type: 'json' })
  cidrs!: string[];
}

@Entity('gre_tunnels')
@Index('uq_gre_tunnels_host_key', ['hostId', 'tunnelKey'], { unique: true })
@Index('uq_gre_tunnels_host_interface', ['hostId', 'interfaceName'], { unique: true })
@Index('uq_gre_tunnels_host_local_inner', ['hostId', 'localInnerAddress'], { unique: true })
@Index('uq_gre_tunnels_host_local_inner_v6', ['hostId', 'localInnerAddressV6'], { unique: true })
@Index('ix_gre_tunnels_pe', ['peId'])
export class GreTunnelEntity extends Timestamps {
  @PrimaryGeneratedColumn({ type: 'int', unsigned: true })
  id!: number;

  @Column({ name: 'host_id', ...unsigned })
  hostId!: number;

  @ManyToOne(() => HostEntity, { onDelete: 'RESTRICT', onUpdate: 'RESTRICT' })
  @JoinColumn({ name: 'host_id', foreignKeyConstraintName: 'fk_gre_tunnels_host' })
  host?: Relation<HostEntity>;

  @Column({ name: 'pe_id', ...unsigned })
  peId!: number;

  @ManyToOne(() => PeEntity, { onDelete: 'RESTRICT', onUpdate: 'RESTRICT' })
  @JoinColumn({ name: 'pe_id', foreignKeyConstraintName: 'fk_gre_tunnels_pe' })
  pe?: Relation<PeEntity>;

  /** Linux interface name on the host, e.g. gre-pe1 (at most 15 characters). */
  @Column({ name: 'interface_name', type: 'varchar', length: 15 })
  interfaceName!: string;

  @Column({ name: 'tunnel_key', ...unsigned })
  tunnelKey!: number;

  /** The tunnel's IPv4 inner pair (all three set, or all null for an IPv6-only tunnel). */
  @Column({ name: 'local_inner_address', type: 'varchar', length: 15, nullable: true, default: () => 'NULL' })
  localInnerAddress: string | null = null;

  @Column({ name: 'remote_inner_address', type: 'varchar', length: 15, nullable: true, default: () => 'NULL' })
  remoteInnerAddress: string | null = null;

  /** 30 or 31: both inner addresses share this one subnet. */
  @Column({ name: 'inner_prefix_length', type: 'tinyint', unsigned: true, nullable: true, default: () => 'NULL' })
  innerPrefixLength: number | null = null;

  /** The tunnel's IPv6 inner pair, RFC 5952 text (all three set, or all null for an IPv4-only tunnel). */
  @Column({ name: 'local_inner_address_v6', type: 'varchar', length: 39, nullable: true, default: () => 'NULL' })
  localInnerAddressV6: string | null = null;

  @Column({ name: 'remote_inner_address_v6', type: 'varchar', length: 39, nullable: true, default: () => 'NULL' })
  remoteInnerAddressV6: string | null = null;

  /** 126 or 127. */
  @Column({ name: 'inner_prefix_length_v6', type: 'tinyint', unsigned: true, nullable: true, default: () => 'NULL' })
  innerPrefixLengthV6: number | null = null;

  @Column({ type: 'smallint', unsigned: true, default: 1476 })
  mtu: number = 1476;

  @Column({ type: 'tinyint', unsigned: true, default: 255 })
  ttl: number = 255;
}

@Entity('bgp_sessions')
@Index('uq_bgp_sessions_tunnel_peer', ['tunnelId', 'peerAddress'], { unique: true })
@Index('ix_bgp_sessions_vpc', ['hostedVpcId'])
export class BgpSessionEntity extends Timestamps {
  @PrimaryGeneratedColumn({ type: 'int', unsigned: true })
  id!: number;

  @Column({ name: 'tunnel_id', ...unsigned })
  tunnelId!: number;

  @ManyToOne(() => GreTunnelEntity, { onDelete: 'RESTRICT', onUpdate: 'RESTRICT' })
  @JoinColumn({ name: 'tunnel_id', foreignKeyConstraintName: 'fk_bgp_sessions_tunnel' })
  tunnel?: Relation<GreTunnelEntity>;

  @Column({ name: 'hosted_vpc_id', ...unsigned })
  hostedVpcId!: number;

  @ManyToOne(() => HostedVpcEntity, { onDelete: 'RESTRICT', onUpdate: 'RESTRICT' })
  @JoinColumn({ name: 'hosted_vpc_id', foreignKeyConstraintName: 'fk_bgp_sessions_vpc' })
  hostedVpc?: Relation<HostedVpcEntity>;

  @Column({ name: 'local_asn', ...unsigned })
  localAsn!: number;

  @Column({ name: 'peer_asn', ...unsigned })
  peerAsn!: number;

  /** The PE's inner address of the tunnel, IPv4 or IPv6 (RFC 5952 text). */
  @Column({ name: 'peer_address', type: 'varchar', length: 45 })
  peerAddress!: string;

  /** What the session carries (MP-BGP: both over one session is allowed); never empty. */
  @Column({ name: 'address_families', type: 'set', enum: ['ipv4-unicast', 'ipv6-unicast'] })
  addressFamilies!: AddressFamilyName[];

  /** Null: the platform's defaults alone (src/common/policy/session-policy.ts). */
  @Column({ name: 'import_policy', type: 'json', nullable: true, default: () => 'NULL' })
  importPolicy: SessionImportPolicy | null = null;

  /** Never returned by the API or written to logs; only whether one is set. */
  @Column({ name: 'md5_password', type: 'varchar', length: 80, nullable: true, default: () => 'NULL' })
  md5Password: string | null = null;

  @Column({ name: 'keepalive_seconds', type: 'smallint', unsigned: true, default: 30 })
  keepaliveSeconds: number = 30;

  @Column({ name: 'hold_time_seconds', type: 'smallint', unsigned: true, default: 90 })
  holdTimeSeconds: number = 90;

  @Column({ name: 'max_prefix', ...unsigned, default: 1000 })
  maxPrefix: number = 1000;

  @Column({ name: 'graceful_restart_seconds', type: 'smallint', unsigned: true, default: 120 })
  gracefulRestartSeconds: number = 120;

  @Column({ type: 'varchar', length: 80, default: '' })
  description: string = '';
}

export const INVENTORY_ENTITIES = [RegionEntity, HostEntity, PeEntity, HostedVpcEntity, GreTunnelEntity, BgpSessionEntity];
