/**
 * The default bogon list of BRM's import policy: address blocks no hosted VPC route may point
 * into. Source: the IANA IPv4 and IPv6 Special-Purpose Address Registries (RFC 6890 and the RFCs
 * each entry names), keeping the blocks that are not forwardable or not globally meaningful.
 *
 * Deliberately NOT here, because hosted VPC customers announce their own networks from them:
 * private-use 10/8, 172.16/12, 192.168/16 (RFC 1918), shared address space 100.64/10 (RFC 6598)
 * and unique-local fc00::/7 (RFC 4193). The VPC's own CIDRs are protected by the
 * `overlaps-vpc-cidr` check instead. Unallocated space (e.g. Team Cymru's "fullbogons") changes
 * over time and is not included; add it through the platform policy's `bogons` when wanted.
 */
export interface BogonEntry {
  prefix: string;
  /** Why it is a bogon, shown in the rejection detail. */
  label: string;
}

export const DEFAULT_BOGONS: readonly BogonEntry[] = [
  // IPv4
  { prefix: '0.0.0.0/8', label: '"this network", RFC 791' },
  { prefix: '127.0.0.0/8', label: 'loopback, RFC 1122' },
  { prefix: '169.254.0.0/16', label: 'link-local, RFC 3927' },
  { prefix: '192.0.0.0/24', label: 'IETF protocol assignments, RFC 6890' },
  { prefix: '192.0.2.0/24', label: 'documentation TEST-NET-1, RFC 5737' },
  { prefix: '192.88.99.0/24', label: 'deprecated 6to4 relay anycast, RFC 7526' },
  { prefix: '198.18.0.0/15', label: 'benchmarking, RFC 2544' },
  { prefix: '198.51.100.0/24', label: 'documentation TEST-NET-2, RFC 5737' },
  { prefix: '203.0.113.0/24', label: 'documentation TEST-NET-3, RFC 5737' },
  { prefix: '224.0.0.0/4', label: 'multicast, RFC 5771' },
  { prefix: '240.0.0.0/4', label: 'reserved and limited broadcast, RFC 1112 / RFC 919' },
  // IPv6
  // The whole of ::/8 (unspecified, loopback, IPv4-compatible and IPv4-mapped addresses), as
  // common IPv6 bogon filters list it; it also keeps the hosts' prefix-lists free of addresses that
  // FRR prints with an embedded dotted quad (::ffff:0.0.0.0).
  { prefix: '::/8', label: 'unspecified, loopback, IPv4-compatible and IPv4-mapped addresses, RFC 4291' },
  { prefix: '100::/64', label: 'discard-only, RFC 6666' },
  { prefix: '2001:2::/48', label: 'benchmarking, RFC 5180' },
  { prefix: '2001:10::/28', label: 'deprecated ORCHID, RFC 4843' },
  { prefix: '2001:db8::/32', label: 'documentation, RFC 3849' },
  { prefix: '3fff::/20', label: 'documentation, RFC 9637' },
  { prefix: '3ffe::/16', label: 'returned 6bone space, RFC 3701' },
  { prefix: 'fe80::/10', label: 'link-local, RFC 4291' },
  { prefix: 'fec0::/10', label: 'deprecated site-local, RFC 3879' },
  { prefix: 'ff00::/8', label: 'multicast, RFC 4291' },
];
