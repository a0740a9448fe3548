/**
 * A VPC table's route as BRM publishes and stores it: its paths, their attributes and states. Apart
 * from route-table.ts so that the stored form (stored-route.ts) and the table share it without
 * importing each other.
 */
import type { AddressFamily, PathAttributes } from '../../common/events/bgp-events.js';
import type { NextHop, PathState } from './best-path.js';

/** The attributes BRM keeps of a path: what the decision and the forwarding need. */
export type RouteAttributes = Pick<PathAttributes, 'origin' | 'asPath' | 'nextHop' | 'med' | 'localPref'>;

export interface PathView {
  sessionId: number;
  pathId: number | null;
  tunnelId: number;
  nextHop: string | null;
  origin: RouteAttributes['origin'];
  asPath: RouteAttributes['asPath'];
  asPathLength: number;
  neighborAs: number | null;
  med: number | null;
  /** Effective: the session's override, else the received value, else null (the default applies). */
  localPref: number | null;
  stale: boolean;
  state: PathState;
}

export interface RouteEntry {
  prefix: string;
  family: AddressFamily;
  activeNextHops: NextHop[];
  /** Every path, most preferred first. */
  paths: PathView[];
}

export interface PathRow {
  prefix: string;
  family: AddressFamily;
  sessionId: number;
  pathId: number | null;
  attributes: RouteAttributes;
}
