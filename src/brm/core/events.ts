/**
 * Turns the bgp.route-events.v1 / bgp.session-events.v1 payloads (src/common/events/bgp-events.ts)
 * into route-table events, once the adapter has resolved the event's SessionRef to a configured
 * BGP session id (BgpSessionEntity.id) and so to its hosted VPC.
 *
 * Returns a string (the problem) instead of throwing, for the adapter's dead-letter path.
 */
import {
  COLLECTOR_LOST,
  type EndOfRibData,
  type RouteAnnouncedData,
  type RouteWithdrawnData,
  type SessionDownData,
  type SessionUpData,
} from '../../common/events/bgp-events.js';
import type { TableEvent } from './route-table.js';

function time(receivedAt: string): number | string {
  const at = Date.parse(receivedAt);
  return Number.isNaN(at) ? `receivedAt ${JSON.stringify(receivedAt)} is not a timestamp` : at;
}

/**
 * The table is fed by the pre-policy Adj-RIB-In: everything the peer announced, before the host's
 * inbound route-map. BRM applies the same import policy the host does (src/common/policy), so the
 * outcome is the same, and an announcement the host refused still reaches BRM and is listed with
 * its reason. (Rendered hosts send pre-policy with `soft-reconfiguration inbound`, docs/bmp.md.)
 * Post-policy and Adj-RIB-Out copies are not for the table.
 */
function wanted(data: { postPolicy: boolean; adjRibOut: boolean }): boolean {
  return !data.adjRibOut && !data.postPolicy;
}

export function fromRouteAnnounced(data: RouteAnnouncedData, sessionId: number): TableEvent[] | string {
  const at = time(data.receivedAt);
  if (typeof at === 'string') return at;
  if (!wanted(data)) return [];
  const { origin, asPath, nextHop, med, localPref } = data.attributes;
  // One object for the UPDATE's prefixes: the table interns it once, not once per prefix.
  const attributes = { origin, asPath, nextHop, med, localPref };
  return data.prefixes.map(({ prefix, pathId }) => ({
    kind: 'announce' as const,
    at,
    sessionId,
    family: data.family,
    prefix,
    pathId,
    attributes,
  }));
}

export function fromRouteWithdrawn(data: RouteWithdrawnData, sessionId: number): TableEvent[] | string {
  const at = time(data.receivedAt);
  if (typeof at === 'string') return at;
  if (!wanted(data)) return [];
  return data.prefixes.map(({ prefix, pathId }) => ({ kind: 'withdraw' as const, at, sessionId, family: data.family, prefix, pathId }));
}

export function fromEndOfRib(data: EndOfRibData, sessionId: number): TableEvent[] | string {
  const at = time(data.receivedAt);
  if (typeof at === 'string') return at;
  if (!wanted(data)) return [];
  return [{ kind: 'end-of-rib', at, sessionId, family: data.family }];
}

export function fromSessionUp(data: SessionUpData, sessionId: number): TableEvent[] | string {
  const at = time(data.receivedAt);
  if (typeof at === 'string') return at;
  return [
    {
      kind: 'session-up',
      at,
      sessionId,
      // Unknown (an OPEN the router did not report): keep what graceful restart knew, withdraw nothing for families.
      ...(data.families === null ? {} : { families: [...data.families] }),
      ...(data.capabilities === null ? {} : { gracefulRestart: data.capabilities.includes('graceful-restart') }),
      ...(data.connection === undefined ? {} : { reporter: { connection: data.connection, session: data.session } }),
    },
  ];
}

/**
 * A deconfigured peer is gone for good, and a session closed with a NOTIFICATION (an operator's
 * shutdown, a Cease) ends graceful restart too (RFC 4724 section 4; RFC 8538's exception for
 * non-hard-reset NOTIFICATIONs is not negotiated by FRR 8.4): no graceful restart. A lost
 * collector connection says nothing about the BGP session, so its routes are kept stale. A session
 * that dropped without a NOTIFICATION (TCP reset, hold timer, the peer restarting) follows the
 * graceful-restart capability of the last session-up.
 */
const NOT_GRACEFUL = new Set(['peer-deconfigured', 'local-notification', 'remote-notification']);
/** The collector lost sight of the session (its connection dropped, or the collector died): the BGP session may well be up. */
const COLLECTOR_REASONS = new Set(['collector-connection-lost', COLLECTOR_LOST]);

export function fromSessionDown(data: SessionDownData, sessionId: number): TableEvent[] | string {
  const at = time(data.receivedAt);
  if (typeof at === 'string') return at;
  const graceful = NOT_GRACEFUL.has(data.reason) ? false : COLLECTOR_REASONS.has(data.reason) ? true : undefined;
  return [
    {
      kind: 'session-down',
      at,
      sessionId,
      ...(graceful === undefined ? {} : { graceful }),
      ...(data.connection === undefined ? {} : { connection: data.connection }),
    },
  ];
}
