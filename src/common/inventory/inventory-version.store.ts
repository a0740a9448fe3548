/**
 * A cheap look at whether the inventory changed: per table of what a VPC table's configuration
 * depends on (BGP sessions, GRE tunnels, hosted VPCs, hosts), its row count and newest update time.
 */
import type { EntityManager } from 'typeorm';

/** The look as one comparable text; equal texts mean (almost always, see BrmService) no change. */
export async function inventoryVersion(manager: EntityManager): Promise<string> {
  const rows = await manager.query<Record<string, unknown>[]>(
    `SELECT (SELECT CONCAT(COUNT(*), '/', COALESCE(MAX(updated_at), '')) FROM bgp_sessions) AS sessions,
            (SELECT CONCAT(COUNT(*), '/', COALESCE(MAX(updated_at), '')) FROM gre_tunnels) AS tunnels,
            (SELECT CONCAT(COUNT(*), '/', COALESCE(MAX(updated_at), '')) FROM hosted_vpcs) AS vpcs,
            (SELECT CONCAT(COUNT(*), '/', COALESCE(MAX(updated_at), '')) FROM hosts) AS hosts`,
  );
  return JSON.stringify(rows[0]);
}
