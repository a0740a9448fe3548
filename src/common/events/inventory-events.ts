/**
 * The control event the admin API sends when the inventory changes in a way BRM must follow (a
 * session, tunnel or hosted VPC written), through the transactional outbox. It carries no state:
 * BRM reads the inventory itself; the event only says "look now" (no polling while idle).
 */
export const INVENTORY_CHANGED = 'net.route-broker.inventory.changed.v1';

export interface InventoryChangedData {
  resource: 'bgp-session' | 'gre-tunnel' | 'hosted-vpc';
  id: number;
  action: 'created' | 'updated' | 'deleted';
}
