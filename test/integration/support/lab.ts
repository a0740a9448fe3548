/**
 * The tests' FRR lab and sshd (scripts/lab, scripts/sshd) as scripts/test-env places them, apart
 * from the local system's lab: namespace names, the root-namespace addresses of the hosts'
 * uplinks, and where the sshd listens and keeps its keys. docs/lab.md has the topology.
 */
import { resolve } from 'node:path';

function setting(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: jest loads it from scripts/test-env (test/integration/support/test-env.ts)`);
  return value;
}

const PREFIX = setting('RB_LAB_PREFIX');
const UNDERLAY = setting('RB_LAB_UNDERLAY');

/** The customer PE's namespace (AS 65001). */
export const LAB_PE = `${PREFIX}-pe`;
/** The hypervisor hosts' namespaces: host 1 (AS 64512) and host 2 (AS 64513). */
export const LAB_HOST1 = `${PREFIX}-host1`;
export const LAB_HOST2 = `${PREFIX}-host2`;

/** Host n's uplink, root end: where a BMP collector in the root namespace is reached from host n. */
export const uplinkRootAddress = (host: 1 | 2): string => `${UNDERLAY}.${host}.1`;
/** Host n's uplink, host end: the host's underlay address. */
export const uplinkHostAddress = (host: 1 | 2): string => `${UNDERLAY}.${host}.2`;

/** The lab's sshd, by which route-broker reaches the hosts' vtysh. */
export const SSHD = {
  host: process.env.RB_SSHD_HOST ?? '127.0.0.1',
  port: Number(setting('RB_SSHD_PORT')),
  dir: resolve(setting('RB_SSHD_DIR')),
};
