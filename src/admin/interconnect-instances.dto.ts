/** Request bodies of /api/v1/interconnect-instances. */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayUnique, IsArray, IsInt, IsOptional, Matches, Min } from 'class-validator';

const NAME = /^[a-z0-9][a-z0-9.-]{0,63}$/;
const OWNER = /^[A-Za-z0-9._@-]{1,128}$/;

export class CreateInterconnectInstanceDto {
  @ApiProperty({ example: 'acme-global' })
  @Matches(NAME, { message: 'name must be lower-case letters, digits, dots and hyphens, 1-64 characters, starting with a letter or digit' })
  name!: string;

  @ApiProperty({ example: 'acme', description: 'the customer; every member VPC must have the same owner' })
  @Matches(OWNER, { message: 'owner must be 1-128 characters of letters, digits and ._@-' })
  owner!: string;

  @ApiProperty({ example: [1, 2], description: 'the hosted VPCs joined by the instance (may be empty)' })
  @IsArray()
  @ArrayMaxSize(1000)
  @ArrayUnique()
  @IsInt({ each: true })
  @Min(1, { each: true })
  hostedVpcIds!: number[];
}

export class UpdateInterconnectInstanceDto {
  @ApiPropertyOptional({ description: 'the new member list: subscriptions following the instance follow it' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @ArrayUnique()
  @IsInt({ each: true })
  @Min(1, { each: true })
  hostedVpcIds?: number[];
}
