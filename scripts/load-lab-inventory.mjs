// Loads the lab's topology (scripts/lab) into route-broker's inventory through the admin API, then
// has route-broker configure the lab's hosts: per host, a dual-stack tunnel with an IPv4 and an
// IPv6 session (each with its import policy), an apply of the rendered FRR configuration over SSH
// (the hosts of `scripts/lab up --bare` start with no BGP configuration), and a drift check.
// Idempotent: objects that exist (by name) are brought up to date (PATCH), an apply with nothing to
// change answers `unchanged`. Exits non-zero when an apply does not end `applied` or `unchanged`.
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
    localV6: 'fd00:101::2',
    remoteV6: 'fd00:101::1',
  },
  {
    name: 'rb-host2',
    underlay: '10.255.2.2',
    routerId: '10.0.0.12',
    asn: 64513,
    key: 102,
    local: '169.254.102.2',
    remote: '169.254.102.1',
    localV6: 'fd00:102::2',
    remoteV6: 'fd00:102::1',
  },
];
// What each session lets into the lab VPC (BRM) and, rendered as prefix-lists, into the host's bgpd.
const IMPORT_POLICY_V4 = { allowedPrefixes: [{ prefix: '45.64.0.0/16', le: 24 }] };
const IMPORT_POLICY_V6 = { allowedPrefixes: [{ prefix: '2a05:d000::/32', le: 48 }] };

const hostIds = new Map();
for (const spec of hosts) {
  const host = await ensure('/hosts', (h) => h.name === spec.name, {
    name: spec.name,
    regionId: region.id,
    zone: 'cn-gd-lab',
    managementAddress: '127.0.0.1',
    sshPort: Number(process.env.RB_SSHD_PORT ?? 2222),
    sshUser: 'root',
    sshHostKey: readFileSync(new URL('../.cache/sshd/ssh_host_ed25519_key.pub', import.meta.url), 'utf8').trim(),
    // The lab runs each host's FRR with pathspace -N <namespace>. vtysh runs inside the namespace
    // so that the drift check's `ip -d -j addr show` (run under the same wrapper) sees the tunnel.
    vtyshCommand: `ip netns exec ${spec.name} vtysh -N ${spec.name}`,
    // The lab's tunnels are veths made by scripts/lab, not by route-broker.
    tunnelProvisioning: 'external',
    frrReloadCommand: `/usr/lib/frr/frr-reload.py -N ${spec.name}`,
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
    localInnerAddressV6: spec.localV6,
    remoteInnerAddressV6: spec.remoteV6,
    innerPrefixLengthV6: 126,
    // The lab's "tunnel" is a veth pair (no GRE module): its MTU is 1500, not GRE's 1476, and the
    // drift check compares the two.
    mtu: 1500,
  });
  for (const [peerAddress, importPolicy, family] of [
    [spec.remote, IMPORT_POLICY_V4, 'IPv4'],
    [spec.remoteV6, IMPORT_POLICY_V6, 'IPv6'],
  ]) {
    await ensure('/bgp-sessions', (s) => s.tunnelId === tunnel.id && s.peerAddress === peerAddress, {
      tunnelId: tunnel.id,
      hostedVpcId: vpc.id,
      peerAsn: 65001,
      peerAddress,
      keepaliveSeconds: 3,
      holdTimeSeconds: 9,
      importPolicy,
      description: `lab ${spec.name} to rb-pe ${family}`,
    });
  }
  hostIds.set(spec.name, host.id);
}
const sessions = await call('GET', '/bgp-sessions?limit=1000');
console.log(`inventory: region cn-gd, PE rb-pe, ${hosts.length} hosts, ${sessions.length} BGP sessions, hosted VPC lab-vpc`);

// route-broker configures the hosts: rendered config → SSH → vtysh --dryrun, frr-reload, verify.
let failed = false;
for (const [name, id] of hostIds) {
  const record = await call('POST', `/hosts/${id}/apply`, { dryRun: false });
  const seconds = ((record.durationMs ?? 0) / 1000).toFixed(1);
  if (record.result === 'applied' || record.result === 'unchanged') {
    console.log(`apply ${name}: ${record.result} in ${seconds} s (apply record ${record.id})`);
    continue;
  }
  failed = true;
  console.error(`apply ${name}: ${record.result} in ${seconds} s (apply record ${record.id}): ${record.error ?? '(no error given)'}`);
  for (const step of record.steps ?? []) {
    console.error(`  step ${step.step} (exit ${step.exitCode}, ${step.durationMs} ms): ${step.command}`);
    if (step.output) console.error(step.output.replace(/^/gm, '    '));
  }
  if (record.renderedDiff) console.error(`  diff:\n${record.renderedDiff.replace(/^/gm, '    ')}`);
}
if (failed) {
  console.error('route-broker could not configure the lab hosts (see above and .cache/route-broker/route-broker.log)');
  process.exit(1);
}

// Does each host now run what route-broker would apply (config, sessions, tunnels)?
for (const [name, id] of hostIds) {
  const drift = await call('POST', `/hosts/${id}/drift-check`);
  console.log(`drift ${name}: ${drift.status}${drift.error ? ` (${drift.error})` : ''}`);
  if (drift.status === 'drifted') console.log(JSON.stringify(drift.report, null, 2).replace(/^/gm, '  '));
}
