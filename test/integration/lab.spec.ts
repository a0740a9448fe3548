/**
 * The FRR lab (scripts/lab) and the lab's sshd (scripts/sshd), as route-broker will meet them:
 * real bgpd in network namespaces with every PE<->host session Established in both address
 * families, the PE's prefixes on the hosts, the hosts' bgpd with the BMP module, and vtysh
 * reachable through sshd only when the host key matches the pinned one.
 * Needs `scripts/lab up` and `scripts/sshd up` first (scripts/test does both).
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { LAB_HOST1, LAB_HOST2, LAB_PE, SSHD } from './support/lab.js';

const run = promisify(execFile);

const PE = LAB_PE;
const HOST1 = LAB_HOST1;
const HOST2 = LAB_HOST2;
const SSHD_HOST = SSHD.host;
const SSHD_PORT = String(SSHD.port);
const SSHD_DIR = SSHD.dir;
const CLIENT_KEY = join(SSHD_DIR, 'id_ed25519');
const KNOWN_HOSTS = join(SSHD_DIR, 'known_hosts');

/**
 * The sessions scripts/lab sets up (docs/lab.md): per host, one IPv4 and one IPv6 session over the
 * tunnel; `pe` is the PE's tunnel address (the host's neighbor), `local` the host's (the PE's neighbor).
 */
const SESSIONS = [
  {
    host: HOST1,
    asn: 64512,
    pe: { ipv4Unicast: '169.254.101.1', ipv6Unicast: 'fd00:101::1' },
    local: { ipv4Unicast: '169.254.101.2', ipv6Unicast: 'fd00:101::2' },
  },
  {
    host: HOST2,
    asn: 64513,
    pe: { ipv4Unicast: '169.254.102.1', ipv6Unicast: 'fd00:102::1' },
    local: { ipv4Unicast: '169.254.102.2', ipv6Unicast: 'fd00:102::2' },
  },
] as const;
const PE_ASN = 65001;
const PE_PREFIXES = { ipv4: ['198.51.100.0/24', '203.0.113.0/24'], ipv6: ['2001:db8:1::/48', '2001:db8:2::/48'] } as const;
const AFIS = ['ipv4Unicast', 'ipv6Unicast'] as const;

interface PeerSummary {
  remoteAs: number;
  state: string;
  pfxRcd?: number;
  pfxSnt?: number;
}
interface AfiSummary {
  routerId: string;
  as: number;
  peers: Record<string, PeerSummary>;
}
type Summary = Partial<Record<(typeof AFIS)[number], AfiSummary>>;

/** vtysh of one lab router, from the root namespace as scripts/lab does it. */
async function vtysh(ns: string, command: string): Promise<string> {
  const { stdout } = await run('ip', ['netns', 'exec', ns, 'vtysh', '-N', ns, '-c', command]);
  return stdout;
}

function sshArgs(knownHosts: string): string[] {
  return [
    '-F',
    '/dev/null',
    '-i',
    CLIENT_KEY,
    '-p',
    SSHD_PORT,
    '-o',
    'IdentitiesOnly=yes',
    '-o',
    'BatchMode=yes',
    '-o',
    'StrictHostKeyChecking=yes',
    '-o',
    `UserKnownHostsFile=${knownHosts}`,
    '-o',
    'GlobalKnownHostsFile=/dev/null',
    '-o',
    'ConnectTimeout=5',
  ];
}

/** One command through the lab's sshd (a single remote shell line). */
async function ssh(knownHosts: string, command: string, extra: string[] = []): Promise<string> {
  const { stdout } = await run('ssh', [...sshArgs(knownHosts), ...extra, `root@${SSHD_HOST}`, command]);
  return stdout;
}

/** The parts of a summary that do not move between two reads (no uptimes, message counters). */
function stable(summary: Summary) {
  return Object.fromEntries(
    AFIS.map((afi) => [
      afi,
      {
        routerId: summary[afi]?.routerId,
        as: summary[afi]?.as,
        peers: Object.fromEntries(
          Object.entries(summary[afi]?.peers ?? {}).map(([peer, info]) => [
            peer,
            { remoteAs: info.remoteAs, state: info.state, pfxRcd: info.pfxRcd, pfxSnt: info.pfxSnt },
          ]),
        ),
      },
    ]),
  );
}

/** Rejects with the command's stderr, for asserting on why it failed. */
async function failure(promise: Promise<unknown>): Promise<{ code: unknown; stderr: string; stdout: string }> {
  try {
    await promise;
  } catch (error) {
    const { code, stderr, stdout } = error as { code: unknown; stderr?: string; stdout?: string };
    return { code, stderr: String(stderr ?? ''), stdout: String(stdout ?? '') };
  }
  throw new Error('expected the command to fail, but it succeeded');
}

describe('the FRR lab', () => {
  beforeAll(async () => {
    for (const ns of [PE, HOST1, HOST2]) {
      if (!existsSync(`/var/run/netns/${ns}`)) throw new Error(`namespace ${ns} is missing: run scripts/lab up first`);
      try {
        await vtysh(ns, 'show version');
      } catch (error) {
        throw new Error(`vtysh -N ${ns} does not answer (${String(error)}): run scripts/lab up first`, { cause: error });
      }
    }
    for (const file of [CLIENT_KEY, KNOWN_HOSTS]) {
      if (!existsSync(file)) throw new Error(`${file} is missing: run scripts/sshd up first`);
    }
  });

  describe.each(SESSIONS)('$host', ({ host, asn, pe, local }) => {
    it.each(AFIS)('has its %s session to the PE Established, with the PE prefixes received', async (afi) => {
      const summary = JSON.parse(await vtysh(host, 'show bgp summary json')) as Summary;
      expect(summary[afi]).toMatchObject({ as: asn });
      expect(summary[afi]?.peers[pe[afi]]).toMatchObject({ remoteAs: PE_ASN, state: 'Established', pfxRcd: 2 });
    });

    it.each(AFIS)('is seen Established on the PE for %s', async (afi) => {
      const summary = JSON.parse(await vtysh(PE, 'show bgp summary json')) as Summary;
      expect(summary[afi]?.peers[local[afi]]).toMatchObject({ remoteAs: asn, state: 'Established' });
    });

    it('runs bgpd with the BMP module loaded', async () => {
      expect(await vtysh(host, 'show modules')).toMatch(/bgpd_bmp\s+8\.\d+\.\d+\s+bgpd BMP module/);
      // `show bmp` exists only with the module: it answers on the host and is unknown on the PE.
      await expect(vtysh(host, 'show bmp')).resolves.toBeDefined();
      const { stdout, stderr } = await failure(vtysh(PE, 'show bmp'));
      expect(stdout + stderr).toContain('Unknown command');
    });
  });

  it.each([
    ['ipv4', PE_PREFIXES.ipv4],
    ['ipv6', PE_PREFIXES.ipv6],
  ] as const)('gives host1 the PE %s prefixes, with AS path 65001 and the tunnel as next hop', async (afi, prefixes) => {
    const table = JSON.parse(await vtysh(HOST1, `show bgp ${afi} unicast json`)) as {
      routes: Record<string, { valid: boolean; bestpath?: boolean; path: string; peerId: string }[]>;
    };
    for (const prefix of prefixes) {
      const paths = table.routes[prefix];
      expect(paths).toBeDefined();
      expect(paths).toContainEqual(
        expect.objectContaining({ valid: true, bestpath: true, path: String(PE_ASN), peerId: SESSIONS[0].pe[`${afi}Unicast`] }),
      );
    }
  });

  describe('through the lab sshd', () => {
    const command = `ip netns exec ${HOST1} vtysh -N ${HOST1} -c 'show bgp summary json'`;

    it('answers vtysh with the pinned host key, with the same summary as locally', async () => {
      const [remote, local] = await Promise.all([ssh(KNOWN_HOSTS, command), vtysh(HOST1, 'show bgp summary json')]);
      expect(stable(JSON.parse(remote) as Summary)).toEqual(stable(JSON.parse(local) as Summary));
      expect(stable(JSON.parse(remote) as Summary).ipv4Unicast?.peers[SESSIONS[0].pe.ipv4Unicast]?.state).toBe('Established');
    });

    it('refuses to talk to a server whose host key is not the pinned one', async () => {
      const dir = await mkdtemp(join(tmpdir(), 'rb-lab-spec-'));
      try {
        await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'other')]);
        const { stdout: otherKey } = await run('cat', [join(dir, 'other.pub')]);
        const wrongKnownHosts = join(dir, 'known_hosts');
        const entry = SSHD_PORT === '22' ? SSHD_HOST : `[${SSHD_HOST}]:${SSHD_PORT}`;
        await writeFile(wrongKnownHosts, `${entry} ${otherKey.split(' ').slice(0, 2).join(' ')}\n`);

        const refused = await failure(ssh(wrongKnownHosts, 'echo reached-the-shell'));
        expect(refused.code).toBe(255);
        expect(refused.stderr).toContain('REMOTE HOST IDENTIFICATION HAS CHANGED');
        expect(refused.stderr).toContain('Host key verification failed');
        expect(refused.stdout).not.toContain('reached-the-shell');
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });

    it('refuses a login without the key (no passwords)', async () => {
      const refused = await failure(ssh(KNOWN_HOSTS, 'echo reached-the-shell', ['-o', 'PubkeyAuthentication=no']));
      expect(refused.code).toBe(255);
      expect(refused.stderr).toContain('Permission denied');
      expect(refused.stdout).not.toContain('reached-the-shell');
    });
  });
});
