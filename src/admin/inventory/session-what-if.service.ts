/**
 * What-if for a BGP session: the answer to "what would this PATCH do?" before it is made. The
 * change runs through the inventory's own checks and write inside a transaction that is rolled
 * back (InventoryService.preview), so a what-if refuses exactly what the PATCH would refuse.
 * It answers, per affected host, the rendered FRR configuration lines the change adds and
 * removes, and, per affected VPC, which of the session's routes would leave the table and which
 * of its refused announcements would enter (src/common/policy/policy-impact.ts).
 */
import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { APP_CONFIG } from '../../common/config/config.module.js';
import type { AppConfig } from '../../common/config/config.js';
import { BgpSessionEntity, GreTunnelEntity, HostedVpcEntity } from '../../common/inventory/inventory.entities.js';
import {
  compilePlatformPolicy,
  compileSessionPolicy,
  compileVpcPolicy,
  type CompiledPlatformPolicy,
  type RejectReason,
} from '../../common/policy/import-policy.js';
import { joinImpact, policyImpact, type PolicyImpact } from '../../common/policy/policy-impact.js';
import { HostConfigService } from '../../frr-server/config/host-config.service.js';
import { VpcRoutesService } from '../../brm/vpc-routes.service.js';
import { InventoryService } from './inventory.service.js';

export interface HostConfigChange {
  hostId: number;
  /** Context-qualified entries (`router bgp 64512 › neighbor … activate`) the rendered config gains. */
  add: string[];
  remove: string[];
}

export interface VpcTableImpact {
  vpcId: number;
  /** The session's routes that would leave the table: refused by the new policy, or the session leaves the VPC. */
  leave: { prefix: string; reason: RejectReason | 'deconfigured'; detail: string }[];
  enter: PolicyImpact['enter'];
  refusedOtherwise: PolicyImpact['refusedOtherwise'];
  /** The table revision the impact was computed against. */
  revision: number;
  /** Set when the session would leave this VPC: all its routes leave, cause `deconfigured`. */
  sessionLeaves: boolean;
  /**
   * Set when the session would join this VPC: BRM carries its announcements over at once, so
   * `enter` and `refusedOtherwise` judge all it holds or was refused in the VPC it leaves.
   */
  sessionJoins: boolean;
}

export interface SessionWhatIf {
  sessionId: number;
  dryRun: true;
  hosts: HostConfigChange[];
  vpcs: VpcTableImpact[];
}

@Injectable()
export class SessionWhatIfService {
  private readonly platform: CompiledPlatformPolicy;

  constructor(
    private readonly inventory: InventoryService,
    private readonly hostConfig: HostConfigService,
    private readonly routes: VpcRoutesService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.platform = compilePlatformPolicy(config.policy);
  }

  whatIf(sessionId: number, changes: Partial<BgpSessionEntity>): Promise<SessionWhatIf> {
    return this.inventory.preview(this.inventory.sessions, sessionId, changes, async (manager, before, after) => ({
      sessionId,
      dryRun: true as const,
      hosts: await this.hostChanges(manager, before, after),
      vpcs: await this.tableImpacts(manager, before, after),
    }));
  }

  private async hostChanges(manager: EntityManager, before: BgpSessionEntity, after: BgpSessionEntity): Promise<HostConfigChange[]> {
    const hostIds = new Set<number>();
    for (const tunnelId of new Set([before.tunnelId, after.tunnelId])) {
      hostIds.add((await manager.findOneByOrFail(GreTunnelEntity, { id: tunnelId })).hostId);
    }
    const changes: HostConfigChange[] = [];
    for (const hostId of [...hostIds].sort((a, b) => a - b)) {
      changes.push({ hostId, ...(await this.hostConfig.configChange(hostId, manager)) });
    }
    return changes;
  }

  private async tableImpacts(manager: EntityManager, before: BgpSessionEntity, after: BgpSessionEntity): Promise<VpcTableImpact[]> {
    const vpcIds = [...new Set([before.hostedVpcId, after.hostedVpcId])].sort((a, b) => a - b);
    const impacts: VpcTableImpact[] = [];
    for (const vpcId of vpcIds) {
      const vpc = await manager.findOneByOrFail(HostedVpcEntity, { id: vpcId });
      const leaves = vpcId !== after.hostedVpcId;
      const joins = vpcId !== before.hostedVpcId;
      // What the session announced: in this VPC's table, or (joining) in the one it leaves.
      const announcements = await this.routes.sessionAnnouncements(joins ? before.hostedVpcId : vpcId, before.id);
      const judged = {
        held: announcements.held,
        refused: announcements.refused,
        after: compileSessionPolicy(after.importPolicy ?? {}),
        vpc: compileVpcPolicy({ cidrs: vpc.cidrs }),
        platform: this.platform,
      };
      const impact: Pick<VpcTableImpact, 'leave' | 'enter' | 'refusedOtherwise'> = leaves
        ? {
            leave: announcements.held.map((prefix) => ({
              prefix,
              reason: 'deconfigured' as const,
              detail: `session ${before.id} leaves hosted VPC ${vpcId}`,
            })),
            enter: [],
            refusedOtherwise: [],
          }
        : joins
          ? joinImpact(judged)
          : policyImpact(judged);
      const revision = joins ? await this.routes.revision(vpcId) : announcements.revision;
      impacts.push({ vpcId, revision, sessionLeaves: leaves, sessionJoins: joins, ...impact });
    }
    return impacts;
  }
}
