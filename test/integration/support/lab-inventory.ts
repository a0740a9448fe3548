/**
 * The inventory of the lab's first host as the suites on the real lab need it (scripts/lab):
 * host 1 (its uplink's address as underlay, AS 64512), the PE (AS 65001), one hosted VPC
 * and one BGP session over the GRE tunnel 169.254.101.0/30, created through the admin API.
 */
import type { api } from './app.js';
import { LAB_HOST1, LAB_PE, uplinkHostAddress, uplinkRootAddress } from './lab.js';

export const LAB_HOST = LAB_HOST1;
export { LAB_PE };
/** The PE's address on the tunnel: the host's BGP neighbor. */
export const LAB_PEER = '169.254.101.1';

export interface LabInventoryOptions {
  vpcCidrs?: string[];
  /** The host's tunnelProvisioning; absent: the API's default. */
  tunnelProvisioning?: 'external';
  /** Further fields of the BGP session (e.g. gracefulRestartSeconds). */
  session?: Record<string, unknown>;
}

export interface LabInventory {
  regionId: number;
  hostId: number;
  peId: number;
  vpcId: number;
  tunnelId: number;
  sessionId: number;
}

export async function createLabInventory(http: ReturnType<typeof api>, options: LabInventoryOptions = {}): Promise<LabInventory> {
  const created = async (path: string, body: object): Promise<number> =>
    ((await http.operator.post(path, body).expect(201)).body as { id: number }).id;
  const regionId = await created('/regions', { code: 'cn-gd' });
  const hostId = await created('/hosts', {
    name: LAB_HOST,
    regionId,
    zone: 'lab',
    managementAddress: '127.0.0.1',
    underlayAddress: uplinkHostAddress(1),
    routerId: '10.0.0.11',
    asn: 64512,
    ...(options.tunnelProvisioning ? { tunnelProvisioning: options.tunnelProvisioning } : {}),
  });
  const peId = await created('/pes', { name: LAB_PE, underlayAddress: uplinkRootAddress(1), asn: 65001, owner: 'acme' });
  const vpcId = await created('/hosted-vpcs', { name: 'acme', regionId, owner: 'acme', cidrs: options.vpcCidrs ?? ['10.10.0.0/16'] });
  const tunnelId = await created('/gre-tunnels', {
    hostId,
    peId,
    interfaceName: 't-pe',
    tunnelKey: 101,
    localInnerAddress: '169.254.101.2',
    remoteInnerAddress: LAB_PEER,
    innerPrefixLength: 30,
  });
  const sessionId = await created('/bgp-sessions', {
    tunnelId,
    hostedVpcId: vpcId,
    peerAsn: 65001,
    peerAddress: LAB_PEER,
    ...options.session,
  });
  return { regionId, hostId, peId, vpcId, tunnelId, sessionId };
}
