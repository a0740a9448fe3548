/**
 * The inventory behind one hosted VPC, created through the real admin API: a region, a host, a
 * PE, the VPC and one GRE tunnel + BGP session per peer address (x.x.x.1, the host side being .2).
 */
import type { api } from './app.js';

export interface VpcInventory {
  regionId: number;
  hostId: number;
  vpcId: number;
  sessionIds: Record<string, number>;
}

export async function createVpcInventory(
  http: ReturnType<typeof api>,
  options: { hostName: string; peers: readonly string[]; cidrs?: string[]; maxPrefix?: number },
): Promise<VpcInventory> {
  const regionId = (await http.operator.post('/regions', { code: 'cn-gd' }).expect(201)).body.id as number;
  const hostId = (
    await http.operator
      .post('/hosts', {
        name: options.hostName,
        regionId,
        zone: 'a',
        managementAddress: '127.0.0.1',
        underlayAddress: '192.0.2.11',
        routerId: '192.0.2.11',
        asn: 64512,
      })
      .expect(201)
  ).body.id as number;
  const peId = (await http.operator.post('/pes', { name: 'pe', underlayAddress: '198.51.100.1', asn: 65001, owner: 'acme' }).expect(201))
    .body.id as number;
  const vpcId = (
    await http.operator.post('/hosted-vpcs', { name: 'vpc', regionId, owner: 'acme', cidrs: options.cidrs ?? ['10.10.0.0/16'] }).expect(201)
  ).body.id as number;
  const sessionIds: Record<string, number> = {};
  for (const [index, peer] of options.peers.entries()) {
    const tunnelId = (
      await http.operator
        .post('/gre-tunnels', {
          hostId,
          peId,
          interfaceName: `gre-t${index}`,
          tunnelKey: 100 + index,
          localInnerAddress: peer.replace(/\.1$/, '.2'),
          remoteInnerAddress: peer,
          innerPrefixLength: 30,
        })
        .expect(201)
    ).body.id as number;
    sessionIds[peer] = (
      await http.operator
        .post('/bgp-sessions', {
          tunnelId,
          hostedVpcId: vpcId,
          peerAsn: 65001,
          peerAddress: peer,
          ...(options.maxPrefix === undefined ? {} : { maxPrefix: options.maxPrefix }),
        })
        .expect(201)
    ).body.id as number;
  }
  return { regionId, hostId, vpcId, sessionIds };
}
