import { AddPathDirection } from './bmp-constants.js';
import type { BgpOpenMessage, PeerUpMessage, PerPeerHeader } from './bmp-types.js';
import { afiSafiKey, type UpdateDecodingContext } from './bgp-update.js';

/** What a peer's BGP session negotiated that changes how its UPDATEs are encoded. */
export interface PeerSessionContext {
  /** Both OPENs carried the 4-octet AS capability (RFC 6793 §4.1). */
  fourOctetAs: boolean;
  /** Families whose UPDATEs received from the peer carry path ids: Adj-RIB-In (O flag clear). */
  addPathFromPeer: ReadonlySet<string>;
  /** Families whose UPDATEs sent to the peer carry path ids: Adj-RIB-Out (O flag set, RFC 8671). */
  addPathToPeer: ReadonlySet<string>;
}

/**
 * Used when no Peer Up was seen for a peer (FRR 8.4 sends Route Monitoring for sessions whose
 * Peer Up it skipped), or its Peer Up lacked an OPEN. FRR always offers the 4-octet AS capability and never ADD-PATH unless
 * configured, so this is right for the common case; results say `contextAssumed: true`.
 */
export const ASSUMED_SESSION_CONTEXT: PeerSessionContext = { fourOctetAs: true, addPathFromPeer: new Set(), addPathToPeer: new Set() };

/**
 * The session context of every peer of one BMP connection, learnt from Peer Up and forgotten on
 * Peer Down. Peers are keyed by distinguisher and address: the same neighbour address can exist in
 * several VRFs, and pre-/post-policy and Adj-RIB-Out copies share their peer's session.
 */
export class BmpSessionTracker {
  private readonly sessions = new Map<string, PeerSessionContext>();
  /** The last peer looked up: a dump is long runs of one peer's messages. Dropped on every change. */
  private last: { peerDistinguisher: string; peerAddress: string; context: PeerSessionContext | undefined } | null = null;

  get size(): number {
    return this.sessions.size;
  }

  /** A Peer Up without both OPENs (FRR sends such) leaves the peer's context assumed, as if unseen. */
  peerUp(message: PeerUpMessage): void {
    this.last = null;
    const key = peerKey(message.peer);
    if (message.sentOpen === null || message.receivedOpen === null) this.sessions.delete(key);
    else this.sessions.set(key, sessionContextOf(message.sentOpen, message.receivedOpen));
  }

  /** Forgets the peer; a peer never seen up (FRR sends such Peer Downs) is simply not there. */
  peerDown(peer: PerPeerHeader): void {
    this.last = null;
    this.sessions.delete(peerKey(peer));
  }

  /** The BMP session ended (Termination): every peer's state is void. */
  clear(): void {
    this.last = null;
    this.sessions.clear();
  }

  contextOf(peer: PerPeerHeader): PeerSessionContext | undefined {
    const last = this.last;
    if (last !== null && last.peerAddress === peer.peerAddress && last.peerDistinguisher === peer.peerDistinguisher) return last.context;
    const context = this.sessions.get(peerKey(peer));
    this.last = { peerDistinguisher: peer.peerDistinguisher, peerAddress: peer.peerAddress, context };
    return context;
  }

  /**
   * How to read one Route Monitoring message of this peer. The A flag (RFC 7854 §4.2) says the
   * message's AS_PATH has 2-octet AS numbers whatever the session did; a 2-octet session without
   * the flag still sends 2-octet paths (FRR re-encodes UPDATEs as it would for that peer).
   */
  decodingContextFor(peer: PerPeerHeader): { context: UpdateDecodingContext; assumed: boolean } {
    const session = this.contextOf(peer);
    const known = session ?? ASSUMED_SESSION_CONTEXT;
    return {
      context: {
        fourOctetAs: known.fourOctetAs && !peer.flags.legacyAsPath,
        addPathFamilies: peer.flags.adjRibOut ? known.addPathToPeer : known.addPathFromPeer,
      },
      assumed: session === undefined,
    };
  }
}

export function peerKey(peer: PerPeerHeader): string {
  return `${peer.peerDistinguisher}|${peer.peerAddress}`;
}

/**
 * The context from the two OPENs of a Peer Up (RFC 7854 §4.10: "Sent OPEN Message" is the one the
 * monitored router sent to the peer, "Received OPEN Message" the one it got from the peer).
 *
 * ADD-PATH, RFC 7911 §4: a speaker may send path ids for a family only when it advertised Send
 * (2 or 3) and its neighbour advertised Receive (1 or 3). So:
 *  - Adj-RIB-In (pre- or post-policy, RFC 7854 §2) monitors UPDATEs the router *received from*
 *    the peer: path ids are present when the peer's OPEN (received) says Send and the router's
 *    OPEN (sent) says Receive.
 *  - Adj-RIB-Out (O flag, RFC 8671 §4) monitors UPDATEs the router *sends to* the peer: the
 *    direction reverses — the router's OPEN says Send and the peer's says Receive.
 * Pre- and post-policy copies of one RIB share its direction: the L flag changes which policy
 * was applied, not which way the UPDATE travels or how the session encodes it.
 */
export function sessionContextOf(sentOpen: BgpOpenMessage, receivedOpen: BgpOpenMessage): PeerSessionContext {
  const fourOctetAs = hasFourOctetAs(sentOpen) && hasFourOctetAs(receivedOpen);
  return {
    fourOctetAs,
    addPathFromPeer: addPathFamilies(receivedOpen, sentOpen),
    addPathToPeer: addPathFamilies(sentOpen, receivedOpen),
  };
}

function hasFourOctetAs(open: BgpOpenMessage): boolean {
  return open.capabilities.some((capability) => capability.kind === 'fourOctetAs');
}

/** Families for which `sender` may send path ids to `receiver`. */
function addPathFamilies(sender: BgpOpenMessage, receiver: BgpOpenMessage): Set<string> {
  const directions = (open: BgpOpenMessage) => {
    const byFamily = new Map<string, number>();
    for (const capability of open.capabilities) {
      if (capability.kind !== 'addPath') continue;
      for (const family of capability.families) byFamily.set(afiSafiKey(family.afi, family.safi), family.sendReceive);
    }
    return byFamily;
  };
  const receiving = directions(receiver);
  const families = new Set<string>();
  for (const [family, sendReceive] of directions(sender)) {
    const canSend = sendReceive === AddPathDirection.Send || sendReceive === AddPathDirection.Both;
    const peerReceive = receiving.get(family);
    if (canSend && (peerReceive === AddPathDirection.Receive || peerReceive === AddPathDirection.Both)) families.add(family);
  }
  return families;
}
