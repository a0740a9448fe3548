/**
 * What a change of one session's import policy would do to its VPC's table, before it is made:
 * which of the session's current routes would leave (and why), and which of its refused
 * announcements would enter. Pure; the caller reads the table and compiles the policies.
 *
 * It judges the policy alone, as BRM's reconfigure does: an announcement refused for max-prefix
 * stays refused unless the policy now refuses it too (the count, not the policy, holds it back),
 * and best path across sessions decides whether an entering prefix's path becomes the active one.
 */
import { parsePrefix } from '../inventory/addressing.js';
import {
  evaluateImport,
  type CompiledPlatformPolicy,
  type CompiledSessionPolicy,
  type CompiledVpcPolicy,
  type RejectReason,
} from './import-policy.js';

export interface RefusedAnnouncement {
  prefix: string;
  reason: RejectReason;
}

export interface PolicyImpact {
  /** Held now, refused by the new policy: the session's path would leave the table. */
  leave: { prefix: string; reason: RejectReason; detail: string }[];
  /**
   * Would enter: refused now (`refusedAs`) and accepted by the new policy; or, for a session moving
   * into the VPC (joinImpact), any of its announcements the new VPC accepts (`refusedAs` null: the
   * old VPC held it).
   */
  enter: { prefix: string; refusedAs: RejectReason | null }[];
  /** Refused now and still refused, for another reason (joinImpact: refused by the new VPC; `refusedAs` as above). */
  refusedOtherwise: { prefix: string; refusedAs: RejectReason | null; reason: RejectReason; detail: string }[];
}

/** A session's announcements as a VPC's table holds them, and the policies to judge them by. */
export interface ImpactInput {
  held: readonly string[];
  refused: readonly RefusedAnnouncement[];
  after: CompiledSessionPolicy;
  vpc: CompiledVpcPolicy;
  platform: CompiledPlatformPolicy;
}

function judge(prefix: string, input: ImpactInput) {
  const parsed = parsePrefix(prefix);
  return evaluateImport({ prefix: typeof parsed === 'string' ? prefix : parsed }, input.after, input.vpc, input.platform);
}

export function policyImpact(input: ImpactInput): PolicyImpact {
  const impact: PolicyImpact = { leave: [], enter: [], refusedOtherwise: [] };
  for (const prefix of input.held) {
    const decision = judge(prefix, input);
    if (!decision.accepted) impact.leave.push({ prefix, reason: decision.reason, detail: decision.detail });
  }
  for (const { prefix, reason } of input.refused) {
    // Not a policy decision: the prefix was unreadable, or the session was over its limit.
    if (reason === 'invalid-prefix') continue;
    const decision = judge(prefix, input);
    if (decision.accepted) {
      if (reason !== 'max-prefix') impact.enter.push({ prefix, refusedAs: reason });
    } else if (decision.reason !== reason) {
      impact.refusedOtherwise.push({ prefix, refusedAs: reason, reason: decision.reason, detail: decision.detail });
    }
  }
  return impact;
}

/**
 * What a session moving into another VPC would bring along: BRM carries every announcement the
 * old table holds or refused into the new table at once (VpcRouteTable.sessionAnnouncements), where
 * each is judged by the session's (new) policy and the new VPC's CIDRs. Max-prefix is not judged.
 */
export function joinImpact(input: ImpactInput): PolicyImpact {
  const impact: PolicyImpact = { leave: [], enter: [], refusedOtherwise: [] };
  const candidates: { prefix: string; refusedAs: RejectReason | null }[] = [
    ...input.held.map((prefix) => ({ prefix, refusedAs: null })),
    ...input.refused.filter(({ reason }) => reason !== 'invalid-prefix').map(({ prefix, reason }) => ({ prefix, refusedAs: reason })),
  ];
  for (const { prefix, refusedAs } of candidates) {
    const decision = judge(prefix, input);
    if (decision.accepted) impact.enter.push({ prefix, refusedAs });
    else impact.refusedOtherwise.push({ prefix, refusedAs, reason: decision.reason, detail: decision.detail });
  }
  return impact;
}
