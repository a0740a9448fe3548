/**
 * The built entry point as an operator runs it (`node dist/main.js`): a bad variable stops it
 * with a message naming the variable; SIGTERM stops it cleanly with exit code 0.
 * Needs `npm run build` first (scripts/test does it).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resetDatabase, testEnv } from './support/environment.js';

const MAIN = 'dist/main.js';
const PORT = '18080';

function start(env: Record<string, string>): {
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: string | null }>;
} {
  const child = spawn(process.execPath, [MAIN], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, output: () => output, exited };
}

describe('the route-broker process', () => {
  beforeAll(() => {
    if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run npm run build first`);
  });

  it('refuses to start on a bad variable, naming it', async () => {
    const run = start(testEnv({ RB_HTTP_PORT: 'eighty', RB_KAFKA_BROKERS: 'nowhere' }));
    const { code } = await run.exited;
    expect(code).toBe(78);
    expect(run.output()).toContain('RB_HTTP_PORT="eighty" is invalid: expected an integer from 1 to 65535');
    expect(run.output()).toContain('RB_KAFKA_BROKERS contains "nowhere": expected host:port');
  });

  it('starts all roles, answers /health, and stops cleanly on SIGTERM', async () => {
    await resetDatabase();
    const run = start(testEnv({ RB_HTTP_PORT: PORT, RB_HTTP_HOST: '127.0.0.1', RB_LOG_LEVEL: 'info' }));
    try {
      const deadline = Date.now() + 60000;
      let healthy = false;
      while (!healthy && Date.now() < deadline && run.child.exitCode === null) {
        healthy = await fetch(`http://127.0.0.1:${PORT}/health`).then(
          (response) => response.ok,
          () => false,
        );
        if (!healthy) await new Promise((resolve) => setTimeout(resolve, 250));
      }
      expect({ healthy, output: healthy ? '' : run.output() }).toEqual({ healthy: true, output: '' });
      run.child.kill('SIGTERM');
      const { code } = await run.exited;
      expect(code).toBe(0);
      expect(run.output()).toContain('SIGTERM received');
      expect(run.output()).toContain('stopped cleanly');
    } finally {
      if (run.child.exitCode === null) run.child.kill('SIGKILL');
    }
  }, 90000);
});
