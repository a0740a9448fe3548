/**
 * Request bodies of /api/v1/subscriptions. The region is checked against RB_INTERCONNECT_REGIONS
 * in SubscriptionsService (configuration, not code).
 */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsInt, IsOptional, IsString, Matches, MaxLength, Min } from 'class-validator';

const NAME = /^[a-z0-9][a-z0-9.-]{0,63}$/;
// Printable ASCII without spaces: it is an HMAC key, typed into the UXR side too.
const SECRET = /^[\x21-\x7e]{16,256}$/;

export class CreateSubscriptionDto {
  @ApiProperty({ example: 'uxr-hk-1' })
  @Matches(NAME, { message: 'name must be lower-case letters, digits, dots and hyphens, 1-64 characters, starting with a letter or digit' })
  name!: string;

  @ApiProperty({ example: 'hk', description: 'the UXR endpoint’s region: one of RB_INTERCONNECT_REGIONS' })
  @IsString()
  region!: string;

  @ApiProperty({ example: 'https://uxr-hk-1.example.net/route-broker', description: 'where deliveries are POSTed (http or https)' })
  @IsString()
  @MaxLength(2048)
  callbackUrl!: string;

  @ApiProperty({ description: 'HMAC-SHA256 key for the signature header; 16-256 printable characters, never returned' })
  @Matches(SECRET, { message: 'secret must be 16-256 printable ASCII characters without spaces' })
  secret!: string;

  @ApiPropertyOptional({ example: [1], description: 'hosted VPCs whose tables this endpoint receives (or interconnectInstanceId)' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @ArrayUnique()
  @IsInt({ each: true })
  @Min(1, { each: true })
  hostedVpcIds?: number[];

  @ApiPropertyOptional({ example: 1, description: 'follow an interconnect instance: its VPCs, as they join and leave (or hostedVpcIds)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  interconnectInstanceId?: number;
}

export class UpdateSubscriptionDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  callbackUrl?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(SECRET, { message: 'secret must be 16-256 printable ASCII characters without spaces' })
  secret?: string;

  @ApiPropertyOptional({
    description: 'the new list: added VPCs start with a snapshot, removed ones stop (not for a subscription to an interconnect instance)',
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @ArrayUnique()
  @IsInt({ each: true })
  @Min(1, { each: true })
  hostedVpcIds?: number[];
}
