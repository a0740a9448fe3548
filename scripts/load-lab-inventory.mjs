// Loads the lab's topology (scripts/lab) into route-broker's inventory through the admin API,
// so the API shows what runs in the namespaces. Idempotent: objects that exist (by name) are kept.
// Usage: RB_URL=http://127.0.0.1:8080 RB_TOKEN=<operator token> node scripts/load-lab-inventory.mjs
import { readFileSync } from 'node:fs';

const base = `${process.env.RB_URL ?? 'http://127.0.0.1:8080'}/api/v1`;
const headers = { Authorization: `Bearer ${process.env.RB_TOKEN ?? ''}`, 'Content-Type': 'application/json' };

async function call(method, path, body) {
  const response = await fetch(`${base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return text === '' ? null : JSON.parse(text);
}

/** Creates the object, or brings the existing one (found by `match`) up to date. */
async function ensure(path, match, body) {
  const existing = (await call('GET', `${path}?limit=1000`)).find(match);
  return existing ? await call('PATCH', `${path}/${existing.id}`, body) : await call('POST', path, body);
}

const region = await ensure('/regions', (r) => r.code === 'cn-gd', { code: 'cn-gd', description: 'lab region' });
const vpc = await ensure('/hosted-vpcs', (v) => v.name === 'lab-vpc', {
  name: 'lab-vpc',
  regionId: region.id,
  owner: 'lab-customer',
  cidrs: ['10.10.0.0/16', 'fd10::/48'],
});
const pe = await ensure('/pes', (p) => p.name === 'rb-pe', {
  name: 'rb-pe',
  underlayAddress: '10.0.0.1',
  asn: 65001,
  owner: 'lab-customer',
  description: 'lab PE (namespace rb-pe)',
});

const hosts = [
  {
    name: 'rb-host1',
    underlay: '10.255.1.2',
    routerId: '10.0.0.11',
    asn: 64512,
    key: 101,
    local: '169.254.101.2',
    remote: '169.254.101.1',
  },
  {
    name: 'rb-host2',
    underlay: '10.255.2.2',
    routerId: '10.0.0.12',
    asn: 64513,
    key: 102,
    local: '169.254.102.2',
    remote: '169.254.102.1',
  },
];
for (const spec of hosts) {
  const host = await ensure('/hosts', (h) => h.name === spec.name, {
    name: spec.name,
    regionId: region.id,
    zone: 'cn-gd-lab',
    managementAddress: '127.0.0.1',
    sshPort: Number(process.env.RB_SSHD_PORT ?? 2222),
    sshUser: 'root',
    sshHostKey: readFileSync(new URL('../.cache/sshd/ssh_host_ed25519_key.pub', import.meta.url), 'utf8').trim(),
    vtyshCommand: `vtysh -N ${spec.name}`,
    underlayAddress: spec.underlay,
    routerId: spec.routerId,
    asn: spec.asn,
  });
  const tunnel = await ensure('/gre-tunnels', (t) => t.hostId === host.id && t.interfaceName === 't-pe', {
    hostId: host.id,
    peId: pe.id,
    interfaceName: 't-pe',
    tunnelKey: spec.key,
    localInnerAddress: spec.local,
    remoteInnerAddress: spec.remote,
    innerPrefixLength: 30,
  });
  await ensure('/bgp-sessions', (s) => s.tunnelId === tunnel.id && s.peerAddress === spec.remote, {
    tunnelId: tunnel.id,
    hostedVpcId: vpc.id,
    peerAsn: 65001,
    peerAddress: spec.remote,
    keepaliveSeconds: 3,
    holdTimeSeconds: 9,
    description: `lab ${spec.name} to rb-pe`,
  });
}
const sessions = await call('GET', '/bgp-sessions');
console.log(`inventory: region cn-gd, PE rb-pe, ${hosts.length} hosts, ${sessions.length} BGP sessions, hosted VPC lab-vpc`);
