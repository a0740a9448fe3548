/**
 * The built entry point as an operator runs it (`node dist/main.js`): a bad variable stops it
 * with a message naming the variable; /health answers at once, before Kafka or the database are
 * there, and /health/ready once it has started; SIGTERM stops it cleanly with exit code 0.
 * Needs `npm run build` first (scripts/test does it).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { READ_TOKEN, resetDatabase, testEnv } from './support/environment.js';

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

  it('answers /health while it cannot reach Kafka, and /health/ready says what it waits for', async () => {
    await resetDatabase();
    // Nothing listens on port 1: the Kafka client retries, as it would during a broker outage.
    const run = start(testEnv({ RB_HTTP_PORT: PORT, RB_HTTP_HOST: '127.0.0.1', RB_LOG_LEVEL: 'info', RB_KAFKA_BROKERS: '127.0.0.1:1' }));
    try {
      const deadline = Date.now() + 15000;
      let live: Response | null = null;
      while (!live && Date.now() < deadline && run.child.exitCode === null) {
        live = await fetch(`http://127.0.0.1:${PORT}/health`).catch(() => null);
        if (!live) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect({ status: live?.status, output: live ? '' : run.output() }).toEqual({ status: 200, output: '' });
      expect(await live!.json()).toMatchObject({ status: 'ok', state: 'starting' });
      // The migrations are quick on an empty database: wait for the Kafka step.
      let ready: { status: number; body: { status: string; stage: string } } | null = null;
      while (Date.now() < deadline && run.child.exitCode === null) {
        const response = await fetch(`http://127.0.0.1:${PORT}/health/ready`);
        ready = { status: response.status, body: (await response.json()) as { status: string; stage: string } };
        if (ready.body.stage.includes('Kafka')) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(ready).toEqual({
        status: 503,
        body: expect.objectContaining({ status: 'starting', stage: expect.stringContaining('connecting to Kafka') }),
      });
      expect((await fetch(`http://127.0.0.1:${PORT}/api/v1/hosts`)).status).toBe(503);
      expect(run.output()).toContain('start-up: connecting to Kafka and starting the roles');
    } finally {
      if (run.child.exitCode === null) run.child.kill('SIGKILL');
      await run.exited;
    }
  }, 60000);

  it('starts all roles, answers /health/ready, and stops cleanly on SIGTERM', async () => {
    await resetDatabase();
    const run = start(testEnv({ RB_HTTP_PORT: PORT, RB_HTTP_HOST: '127.0.0.1', RB_LOG_LEVEL: 'info' }));
    try {
      const deadline = Date.now() + 60000;
      let healthy = false;
      while (!healthy && Date.now() < deadline && run.child.exitCode === null) {
        healthy = await fetch(`http://127.0.0.1:${PORT}/health/ready`).then(
          (response) => response.ok,
          () => false,
        );
        if (!healthy) await new Promise((resolve) => setTimeout(resolve, 250));
      }
      expect({ healthy, output: healthy ? '' : run.output() }).toEqual({ healthy: true, output: '' });
      // The request's log line names the token (a bare read token is read-1), as the audit trail does.
      const listed = await fetch(`http://127.0.0.1:${PORT}/api/v1/regions`, {
        headers: { authorization: `Bearer ${READ_TOKEN}`, 'x-request-id': 'process-spec-who' },
      });
      expect(listed.status).toBe(200);
      const logged = () =>
        run
          .output()
          .split('\n')
          .filter((line) => line.includes('"process-spec-who"') && line.includes('request completed'));
      const logDeadline = Date.now() + 5000;
      while (logged().length === 0 && Date.now() < logDeadline) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(logged().map((line) => (JSON.parse(line) as { actor?: string }).actor)).toEqual(['read-1']);
      run.child.kill('SIGTERM');
      const { code } = await run.exited;
      expect({ code, output: code === 0 ? '' : run.output().slice(-3000) }).toEqual({ code: 0, output: '' });
      expect(run.output()).toContain('SIGTERM received');
      expect(run.output()).toContain('stopped cleanly');
    } finally {
      if (run.child.exitCode === null) run.child.kill('SIGKILL');
    }
  }, 90000);
});
