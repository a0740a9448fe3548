/**
 * What an operator sets on one BGP session to decide which of its announcements may enter the
 * hosted VPC's table (bgp_sessions.import_policy, the API's `importPolicy`). The same value feeds
 * both enforcers: the host's inbound prefix-lists and route-maps (frr-server/config) and BRM's
 * import decision (import-policy.ts). Platform defaults (prefix-length bounds, bogons, reserved
 * ranges) come from configuration; what a session leaves unset follows them.
 */
import type { LengthRange, PrefixListEntry } from './import-policy.js';

export type AddressFamilyName = 'ipv4-unicast' | 'ipv6-unicast';
export const ADDRESS_FAMILY_NAMES: readonly AddressFamilyName[] = ['ipv4-unicast', 'ipv6-unicast'];

export interface SessionImportPolicy {
  /**
   * Prefix-list entries with FRR's ge/le meaning, of either family. Unset or null: any prefix that
   * passes the other checks. An empty list accepts nothing.
   */
  allowedPrefixes?: PrefixListEntry[] | null;
  /** Per-family bounds; a bound left out is the platform's (RB_POLICY_IPV4/IPV6_PREFIX_LENGTH). */
  prefixLength?: { ipv4?: Partial<LengthRange>; ipv6?: Partial<LengthRange> };
  /** Accept 0.0.0.0/0 and ::/0 from this session; default false. */
  allowDefaultRoute?: boolean;
  /** LOCAL_PREF given to the session's routes (host and VPC table); null/unset: the received one. */
  localPref?: number | null;
}
