/** vtysh against the lab's FRR instances (scripts/lab): `-N <namespace>` picks the instance. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export async function vtysh(namespace: string, ...commands: string[]): Promise<string> {
  const { stdout } = await run('vtysh', ['-N', namespace, ...commands.flatMap((command) => ['-c', command])], {
    maxBuffer: 16 * 1024 * 1024,
  });
  return stdout;
}

/** One configuration session; vtysh stops at the first line FRR refuses (and the call fails). */
export const configure = (namespace: string, ...lines: string[]): Promise<string> =>
  vtysh(namespace, 'configure terminal', ...lines, 'end');
