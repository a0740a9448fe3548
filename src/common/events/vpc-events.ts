/**
 * Payloads BRM publishes (through its outbox): the contract with the global interconnect service
 * and HRM. docs/events.md shows examples. Changing a field's meaning needs a new topic version.
 */
import type { AddressFamily } from './bgp-events.js';

export const ROUTE_TABLE_CHANGED = 'net.route-broker.vpc.route-table-changed.v1';
export const MAX_PREFIX_EXCEEDED = 'net.route-broker.brm.max-prefix-exceeded.v1';
export const MAX_PREFIX_CLEARED = 'net.route-broker.brm.max-prefix-cleared.v1';

/** A route as the VPC table holds it (the same shape as BRM's RouteEntry). */
export interface VpcRoute {
  prefix: string;
  family: AddressFamily;
  /** The tunnels traffic to the prefix leaves by (more than one with ECMP). */
  activeNextHops: { sessionId: number; tunnelId: number; nextHop: string | null }[];
  paths: {
    sessionId: number;
    pathId: number | null;
    tunnelId: number;
    nextHop: string | null;
    origin: 'igp' | 'egp' | 'incomplete' | null;
    asPath: (number | number[])[];
    asPathLength: number;
    neighborAs: number | null;
    med: number | null;
    localPref: number | null;
    stale: boolean;
    state: 'active' | 'standby' | 'stale';
  }[];
}

export interface VpcRouteChange {
  revision: number;
  prefix: string;
  family: AddressFamily;
  /** `reject` uses a revision but leaves the route as it was; it says why an announcement is missing. */
  action: 'add' | 'update' | 'remove' | 'reject';
  /** The route after the change; null when removed. */
  route: VpcRoute | null;
  rejection: { sessionId: number; reason: string; detail: string } | null;
  /**
   * What made the change, as the API's change log says it: the event (`announce`, `withdraw`,
   * `end-of-rib`, `session-down`, `session-up`, `expiry`, `reconfigure`, `deconfigured`), its
   * session, and when it happened (ms since the epoch; for a router's update, when the collector
   * read the BMP message). Absent in messages of builds before it was added: optional to consumers.
   */
  cause?: { event: string; sessionId: number | null; at: number };
}

/**
 * One message per VPC per applied batch (split when large): revisions fromRevision..toRevision,
 * every one of them, in order. A consumer that sees fromRevision > its last + 1 has missed
 * something and should ask for a snapshot; a message it has seen (same id) is a duplicate.
 */
export interface RouteTableChangedData {
  vpcId: number;
  fromRevision: number;
  toRevision: number;
  changes: VpcRouteChange[];
}

export interface MaxPrefixAlertData {
  vpcId: number;
  sessionId: number;
  limit: number | null;
  count: number;
  prefix: string;
  at: string;
}
