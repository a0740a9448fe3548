/**
 * Real FRR routers in a test's own network namespaces (never the shared lab's rb-*): zebra + bgpd
 * with pathspace -N <ns> as scripts/lab starts them, each in a UTS namespace named after the router
 * (FRR 8.4 prints the kernel host name as `hostname`, frr-templates/README.md). Needs root and FRR.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const FRR_BIN = process.env.RB_FRR_BIN ?? '/usr/lib/frr';

export const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

export async function sh(command: string): Promise<string> {
  const { stdout } = await run('/bin/sh', ['-c', command]);
  return stdout;
}

/** vtysh of one of the test's routers, locally (not through the code under test). */
export async function routerVtysh(ns: string, ...commands: string[]): Promise<string> {
  const { stdout } = await run('ip', ['netns', 'exec', ns, 'vtysh', '-N', ns, ...commands.flatMap((command) => ['-c', command])], {
    maxBuffer: 16 * 1024 * 1024,
  });
  return stdout;
}

/**
 * Starts zebra and bgpd in `ns` (which must exist) with per-daemon configs under labDir/<ns>/;
 * `bgpdModules` e.g. ['bmp'] loads bgpd modules (`-M bmp`).
 */
export async function startRouter(labDir: string, ns: string, bgpdConfig: string, bgpdModules: readonly string[] = []): Promise<void> {
  const dir = join(labDir, ns);
  await mkdir(dir, { recursive: true });
  await mkdir(`/var/run/frr/${ns}`, { recursive: true });
  await mkdir(`/etc/frr/${ns}`, { recursive: true });
  await writeFile(`/etc/frr/${ns}/vtysh.conf`, `no service integrated-vtysh-config\nhostname ${ns}\n`);
  await writeFile(join(dir, 'zebra.conf'), `frr defaults traditional\nhostname ${ns}\n!\n`);
  await writeFile(join(dir, 'bgpd.conf'), bgpdConfig);
  await sh(`chown -R frr:frr ${dir} /var/run/frr/${ns} /etc/frr/${ns}`);
  for (const daemon of ['zebra', 'bgpd']) {
    const args = [
      `${FRR_BIN}/${daemon}`,
      '-d',
      '-N',
      ns,
      '-u',
      'frr',
      '-g',
      'frr',
      '-P',
      '0',
      '-f',
      join(dir, `${daemon}.conf`),
      '-i',
      `/var/run/frr/${ns}/${daemon}.pid`,
      '--log',
      `file:${join(dir, `${daemon}.log`)}`,
      '--log-level',
      'info',
      ...(daemon === 'bgpd' ? bgpdModules.flatMap((module) => ['-M', module]) : []),
    ];
    await run('ip', ['netns', 'exec', ns, 'unshare', '--uts', 'sh', '-c', `hostname ${ns} && exec "$@"`, 'sh', ...args]);
    for (let i = 0; i < 100 && !existsSync(`/var/run/frr/${ns}/${daemon}.vty`); i += 1) await sleep(100);
  }
}

/** Stops the routers and removes their namespaces and files; never throws (also clears leftovers). */
export async function teardownRouters(namespaces: readonly string[], labDir: string | undefined): Promise<void> {
  for (const ns of namespaces) {
    for (const daemon of ['bgpd', 'zebra']) {
      try {
        const pid = Number((await readFile(`/var/run/frr/${ns}/${daemon}.pid`, 'utf8')).trim());
        if (pid > 1) process.kill(pid, 'SIGTERM');
      } catch {
        // not running
      }
    }
  }
  await sleep(500);
  for (const ns of namespaces) {
    if (existsSync(`/var/run/netns/${ns}`)) {
      // Anything still inside the test's own namespaces is the test's (a daemon that ignored SIGTERM).
      await sh(`for pid in $(ip netns pids ${ns}); do kill -9 "$pid"; done; ip netns del ${ns}`).catch(() => undefined);
    }
    await rm(`/var/run/frr/${ns}`, { recursive: true, force: true });
    await rm(`/etc/frr/${ns}`, { recursive: true, force: true });
  }
  if (labDir) await rm(labDir, { recursive: true, force: true });
}
