/**
 * Request bodies of the inventory API. Field-level rules live here (a 400 names the field);
 * rules that need other rows (overlaps, reuse, existence) live in InventoryService.
 * Text that later reaches FRR configuration (names, descriptions, passwords) is restricted to
 * printable characters without quotes or line breaks, so it can never add a config line.
 */
import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsIP,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { ASN_MAX, ASN_MIN } from '../../common/inventory/addressing.js';
import { TUNNEL_PROVISIONING, type TunnelProvisioning } from '../../common/inventory/inventory.entities.js';
import { ADDRESS_FAMILY_NAMES, type AddressFamilyName } from '../../common/policy/session-policy.js';

const NAME = /^[a-z0-9][a-z0-9.-]{0,63}$/;
const NAME_RULE = 'lower-case letters, digits, dots and hyphens, 1-64 characters, starting with a letter or digit';
const FREE_TEXT = /^[A-Za-z0-9 _.,:;@()/+#-]*$/;
const FREE_TEXT_RULE = 'letters, digits, spaces and _.,:;@()/+#- only (no quotes, no line breaks)';
const OWNER = /^[A-Za-z0-9._@-]{1,128}$/;
// Runs on the host as given: words of safe characters only, no shell syntax at all.
const HOST_COMMAND = /^[A-Za-z0-9_./=-]+( [A-Za-z0-9_./=-]+){0,15}$/;
const HOST_COMMAND_RULE = 'words of letters, digits and _./=- separated by single spaces (no shell syntax)';

const Asn = (): PropertyDecorator => (target, key) => {
  IsInt()(target, key);
  Min(ASN_MIN)(target, key);
  Max(ASN_MAX)(target, key);
};

export class CreateRegionDto {
  @ApiProperty({ example: 'cn-gd', description: 'region code' })
  @Matches(/^[a-z][a-z0-9-]{1,31}$/, { message: 'code must be 2-32 lower-case letters, digits and hyphens, starting with a letter' })
  code!: string;

  @ApiPropertyOptional({ example: 'Guangzhou' })
  @IsOptional()
  @IsString()
  @Matches(FREE_TEXT, { message: `description may contain ${FREE_TEXT_RULE}` })
  description?: string;
}
export class UpdateRegionDto extends PartialType(CreateRegionDto) {}

export class CreateHostDto {
  @ApiProperty({ example: 'hv-gd1-001' })
  @Matches(NAME, { message: `name must be ${NAME_RULE}` })
  name!: string;

  @ApiProperty({ example: 1 })
  @IsInt()
  @Min(1)
  regionId!: number;

  @ApiProperty({ example: 'cn-gd-a' })
  @Matches(/^[a-z0-9][a-z0-9-]{0,63}$/, { message: 'zone must be 1-64 lower-case letters, digits and hyphens' })
  zone!: string;

  @ApiProperty({ example: '10.0.0.11', description: 'where route-broker reaches the host over SSH' })
  @IsIP(undefined, { message: 'managementAddress must be an IPv4 or IPv6 address' })
  managementAddress!: string;

  @ApiPropertyOptional({ example: 22, default: 22 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(65535)
  sshPort?: number;

  @ApiPropertyOptional({ example: 'route-broker', default: 'route-broker' })
  @IsOptional()
  @Matches(/^[a-z_][a-z0-9_-]{0,31}$/, { message: 'sshUser must be a Unix user name (1-32 of a-z, 0-9, _ and -)' })
  sshUser?: string;

  @ApiPropertyOptional({ example: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI…', description: 'the host key to pin (OpenSSH public key line)' })
  @IsOptional()
  @Matches(/^(ssh-ed25519|ecdsa-sha2-nistp(256|384|521)|ssh-rsa) [A-Za-z0-9+/]{16,}={0,3}( [^\r\n]*)?$/, {
    message: 'sshHostKey must be an OpenSSH public key line: <type> <base64> [comment]',
  })
  sshHostKey?: string | null;

  @ApiPropertyOptional({ example: 'vtysh', default: 'vtysh', description: 'command that runs vtysh on the host' })
  @IsOptional()
  @Matches(HOST_COMMAND, { message: `vtyshCommand must be ${HOST_COMMAND_RULE}` })
  vtyshCommand?: string;

  @ApiPropertyOptional({ example: '/usr/lib/frr/frr-reload.py', default: '/usr/lib/frr/frr-reload.py' })
  @IsOptional()
  @Matches(HOST_COMMAND, { message: `frrReloadCommand must be ${HOST_COMMAND_RULE}` })
  frrReloadCommand?: string;

  @ApiPropertyOptional({
    enum: TUNNEL_PROVISIONING,
    default: 'managed',
    description:
      "who makes the host's GRE tunnels: managed, route-broker's apply runs the rendered GRE setup before FRR; external, something else does and route-broker only checks them",
  })
  @IsOptional()
  @IsIn(TUNNEL_PROVISIONING, { message: `tunnelProvisioning must be one of ${TUNNEL_PROVISIONING.join(', ')}` })
  tunnelProvisioning?: TunnelProvisioning;

  @ApiProperty({ example: '192.0.2.11', description: 'local end of the GRE tunnels' })
  @IsIP(undefined, { message: 'underlayAddress must be an IPv4 or IPv6 address' })
  underlayAddress!: string;

  @ApiProperty({ example: '192.0.2.11', description: 'BGP router-id' })
  @IsIP(4, { message: 'routerId must be an IPv4 address' })
  routerId!: string;

  @ApiProperty({ example: 64512, minimum: ASN_MIN, maximum: ASN_MAX })
  @Asn()
  asn!: number;
}
export class UpdateHostDto extends PartialType(CreateHostDto) {}

export class CreatePeDto {
  @ApiProperty({ example: 'acme-pe-1' })
  @Matches(NAME, { message: `name must be ${NAME_RULE}` })
  name!: string;

  @ApiProperty({ example: '198.51.100.1', description: 'remote end of the GRE tunnels' })
  @IsIP(undefined, { message: 'underlayAddress must be an IPv4 or IPv6 address' })
  underlayAddress!: string;

  @ApiProperty({ example: 65001 })
  @Asn()
  asn!: number;

  @ApiProperty({ example: 'acme-corp', description: 'customer or carrier account' })
  @Matches(OWNER, { message: 'owner must be 1-128 characters of letters, digits and ._@-' })
  owner!: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Matches(FREE_TEXT, { message: `description may contain ${FREE_TEXT_RULE}` })
  description?: string;
}
export class UpdatePeDto extends PartialType(CreatePeDto) {}

export class CreateHostedVpcDto {
  @ApiProperty({ example: 'acme-vpc-1' })
  @Matches(NAME, { message: `name must be ${NAME_RULE}` })
  name!: string;

  @ApiProperty({ example: 1 })
  @IsInt()
  @Min(1)
  regionId!: number;

  @ApiProperty({ example: 'acme-corp' })
  @Matches(OWNER, { message: 'owner must be 1-128 characters of letters, digits and ._@-' })
  owner!: string;

  @ApiProperty({ example: ['10.10.0.0/16', 'fd10::/48'], description: "the VPC's own prefixes; they may not overlap" })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(64)
  @IsString({ each: true })
  cidrs!: string[];
}
export class UpdateHostedVpcDto extends PartialType(CreateHostedVpcDto) {}

export class CreateGreTunnelDto {
  @ApiProperty({ example: 1 })
  @IsInt()
  @Min(1)
  hostId!: number;

  @ApiProperty({ example: 1 })
  @IsInt()
  @Min(1)
  peId!: number;

  @ApiProperty({ example: 'gre-acme1', description: 'Linux interface name on the host (at most 15 characters)' })
  @Matches(/^[a-z][a-z0-9_-]{0,14}$/, { message: 'interfaceName must be 1-15 lower-case letters, digits, _ and -, starting with a letter' })
  interfaceName!: string;

  @ApiProperty({ example: 1001, minimum: 1, maximum: 4294967295 })
  @IsInt()
  @Min(1)
  @Max(4294967295)
  tunnelKey!: number;

  // A tunnel has an IPv4 inner pair, an IPv6 one, or both; each pair is its three fields or none
  // (InventoryService checks that, and that at least one pair is there). null removes a pair.
  @ApiPropertyOptional({ example: '169.254.101.2', nullable: true, description: 'host side of the IPv4 inner pair' })
  @IsOptional()
  @IsIP(4, { message: 'localInnerAddress must be an IPv4 address' })
  localInnerAddress?: string | null;

  @ApiPropertyOptional({ example: '169.254.101.1', nullable: true, description: 'PE side of the IPv4 inner pair' })
  @IsOptional()
  @IsIP(4, { message: 'remoteInnerAddress must be an IPv4 address' })
  remoteInnerAddress?: string | null;

  @ApiPropertyOptional({ example: 30, enum: [30, 31], nullable: true, description: 'the one subnet of both IPv4 inner addresses' })
  @IsOptional()
  @IsIn([30, 31], { message: 'innerPrefixLength must be 30 or 31' })
  innerPrefixLength?: number | null;

  @ApiPropertyOptional({
    example: 'fd00:101::2',
    nullable: true,
    description: 'host side of the IPv6 inner pair; stored and returned in RFC 5952 form (FD00:101:0::2 → fd00:101::2)',
  })
  @IsOptional()
  @IsIP(6, { message: 'localInnerAddressV6 must be an IPv6 address' })
  localInnerAddressV6?: string | null;

  @ApiPropertyOptional({ example: 'fd00:101::1', nullable: true, description: 'PE side of the IPv6 inner pair (RFC 5952 form)' })
  @IsOptional()
  @IsIP(6, { message: 'remoteInnerAddressV6 must be an IPv6 address' })
  remoteInnerAddressV6?: string | null;

  @ApiPropertyOptional({
    example: 126,
    enum: [126, 127],
    nullable: true,
    description: 'the one subnet of both IPv6 inner addresses; on a /126 the first and last addresses are not used',
  })
  @IsOptional()
  @IsIn([126, 127], { message: 'innerPrefixLengthV6 must be 126 or 127' })
  innerPrefixLengthV6?: number | null;

  @ApiPropertyOptional({ example: 1476, default: 1476 })
  @IsOptional()
  @IsInt()
  @Min(576)
  @Max(9000)
  mtu?: number;

  @ApiPropertyOptional({ example: 255, default: 255 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(255)
  ttl?: number;
}
export class UpdateGreTunnelDto extends PartialType(CreateGreTunnelDto) {}

/** One prefix-list line with FRR's meaning: exact match without ge/le, `ge` alone up to the family's maximum. */
export class PrefixListEntryDto {
  @ApiProperty({ example: '203.0.113.0/24', description: 'a network prefix (no host bits), IPv4 or IPv6; stored in canonical form' })
  @IsString()
  @MaxLength(49)
  prefix!: string;

  @ApiPropertyOptional({ example: 24, minimum: 0, maximum: 128, description: 'shortest length matched: prefix length <= ge <= le' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(128)
  ge?: number;

  @ApiPropertyOptional({
    example: 28,
    minimum: 0,
    maximum: 128,
    description: 'longest length matched: ge <= le <= 32 (IPv4) or 128 (IPv6)',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(128)
  le?: number;
}

export class Ipv4LengthRangeDto {
  @ApiPropertyOptional({ example: 8, minimum: 1, maximum: 32, description: "default: the platform's (RB_POLICY_IPV4_PREFIX_LENGTH)" })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(32)
  min?: number;

  @ApiPropertyOptional({ example: 24, minimum: 1, maximum: 32, description: "default: the platform's (RB_POLICY_IPV4_PREFIX_LENGTH)" })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(32)
  max?: number;
}

export class Ipv6LengthRangeDto {
  @ApiPropertyOptional({ example: 16, minimum: 1, maximum: 128, description: "default: the platform's (RB_POLICY_IPV6_PREFIX_LENGTH)" })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(128)
  min?: number;

  @ApiPropertyOptional({ example: 48, minimum: 1, maximum: 128, description: "default: the platform's (RB_POLICY_IPV6_PREFIX_LENGTH)" })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(128)
  max?: number;
}

export class PrefixLengthLimitsDto {
  @ApiPropertyOptional({ type: () => Ipv4LengthRangeDto, example: { min: 8, max: 24 } })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => Ipv4LengthRangeDto)
  ipv4?: Ipv4LengthRangeDto;

  @ApiPropertyOptional({ type: () => Ipv6LengthRangeDto, example: { min: 32, max: 48 } })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => Ipv6LengthRangeDto)
  ipv6?: Ipv6LengthRangeDto;
}

/** A session's import policy (src/common/policy/session-policy.ts); what it leaves out follows the platform's defaults. */
export class ImportPolicyDto {
  @ApiPropertyOptional({
    type: () => [PrefixListEntryDto],
    nullable: true,
    maxItems: 1000,
    example: [
      { prefix: '203.0.113.0/24', le: 28 },
      { prefix: '2001:db8:100::/40', ge: 48, le: 48 },
    ],
    description:
      'only routes matching an entry may enter the VPC; unset or null: any route passing the other checks; [] accepts nothing. ' +
      "An entry whose every route overlaps the hosted VPC's own CIDRs is refused (those routes are never accepted).",
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => PrefixListEntryDto)
  allowedPrefixes?: PrefixListEntryDto[] | null;

  @ApiPropertyOptional({ type: () => PrefixLengthLimitsDto, description: 'per-family length bounds; min <= max' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => PrefixLengthLimitsDto)
  prefixLength?: PrefixLengthLimitsDto;

  @ApiPropertyOptional({ example: false, default: false, description: 'accept 0.0.0.0/0 and ::/0 from this session' })
  @IsOptional()
  @IsBoolean()
  allowDefaultRoute?: boolean;

  @ApiPropertyOptional({
    example: 200,
    minimum: 0,
    maximum: 4294967295,
    nullable: true,
    description: "LOCAL_PREF given to the session's routes; unset or null: the one received",
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(4294967295)
  localPref?: number | null;
}

export class CreateBgpSessionDto {
  @ApiProperty({ example: 1 })
  @IsInt()
  @Min(1)
  tunnelId!: number;

  @ApiProperty({ example: 1 })
  @IsInt()
  @Min(1)
  hostedVpcId!: number;

  @ApiPropertyOptional({ example: 64512, description: "defaults to the host's ASN" })
  @IsOptional()
  @Asn()
  localAsn?: number;

  @ApiProperty({ example: 65001 })
  @Asn()
  peerAsn!: number;

  @ApiProperty({
    example: '169.254.101.1',
    description: "the PE's inner address of the tunnel, IPv4 or IPv6 (remoteInnerAddress or remoteInnerAddressV6); stored in RFC 5952 form",
  })
  @IsIP(undefined, { message: 'peerAddress must be an IPv4 or IPv6 address' })
  peerAddress!: string;

  @ApiPropertyOptional({
    enum: ADDRESS_FAMILY_NAMES,
    isArray: true,
    example: ['ipv4-unicast', 'ipv6-unicast'],
    description:
      "what the session carries (MP-BGP); each needs the tunnel's inner pair of that family for the next hop. " +
      'Default: the family of peerAddress (on PATCH, null goes back to it)',
  })
  // Leave it out for the default; null is refused here (a PATCH, whose fields PartialType makes
  // optional, may send null to go back to the default).
  @ValidateIf((_, value) => value !== undefined)
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(2)
  @ArrayUnique()
  @IsIn(ADDRESS_FAMILY_NAMES, { each: true, message: `addressFamilies may hold ${ADDRESS_FAMILY_NAMES.join(' and ')}` })
  addressFamilies?: AddressFamilyName[];

  @ApiPropertyOptional({
    type: () => ImportPolicyDto,
    nullable: true,
    description: "which announcements may enter the hosted VPC's table; null clears it (the platform's defaults alone)",
  })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ImportPolicyDto)
  importPolicy?: ImportPolicyDto | null;

  @ApiPropertyOptional({ description: 'TCP MD5 password; never returned by the API', writeOnly: true })
  @IsOptional()
  @Matches(/^[\x21\x23-\x26\x28-\x5b\x5d-\x7e]{1,80}$/, {
    message: 'md5Password must be 1-80 printable ASCII characters without spaces, quotes or backslashes',
  })
  md5Password?: string | null;

  @ApiPropertyOptional({ example: 30, default: 30 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(21845)
  keepaliveSeconds?: number;

  @ApiPropertyOptional({ example: 90, default: 90, description: '0 disables keepalives, otherwise 3-65535' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(65535)
  holdTimeSeconds?: number;

  @ApiPropertyOptional({ example: 1000, default: 1000 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10000000)
  maxPrefix?: number;

  @ApiPropertyOptional({ example: 120, default: 120 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(3600)
  gracefulRestartSeconds?: number;

  @ApiPropertyOptional({ example: 'acme primary' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9 _.,:;@()/+#-]{0,80}$/, { message: `description must be at most 80 characters of ${FREE_TEXT_RULE}` })
  description?: string;
}
export class UpdateBgpSessionDto extends PartialType(CreateBgpSessionDto) {}

export class ListQueryDto {
  @ApiPropertyOptional({ default: 100, maximum: 1000 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;

  @ApiPropertyOptional({ default: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  offset?: number;
}
