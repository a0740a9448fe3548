/**
 * The built entry point as an operator runs it (`node dist/main.js`): a bad variable stops it
 * with a message naming the variable; /health answers at once, before Kafka or the database are
 * there, and /health/ready once it has started; SIGTERM stops it cleanly with exit code 0.
 * Needs `npm run build` first (scripts/test does it).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { sessionKey } from '../../src/common/events/bgp-events.js';
import { createCloudEvent } from '../../src/common/kafka/cloud-event.js';
import { TOPICS } from '../../src/common/kafka/topics.js';
import { READ_TOKEN, resetDatabase, testConfig, testEnv } from './support/environment.js';
import { groupAtTopicEnd, peSessionRef, routeEvents } from './support/route-events.js';

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

  it('starts all roles, answers /health/ready, names the Kafka message a warning is about, and stops cleanly on SIGTERM', async () => {
    await resetDatabase();
    // BRM's own group, at the end of the route stream: it reads only what this test publishes.
    const brmGroup = `process-spec-brm-${randomUUID()}`;
    const kafka = new Kafka({ clientId: 'process-spec', brokers: [...testConfig().kafka.brokers], logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    await groupAtTopicEnd(admin, brmGroup).finally(() => admin.disconnect());
    const run = start(testEnv({ RB_HTTP_PORT: PORT, RB_HTTP_HOST: '127.0.0.1', RB_LOG_LEVEL: 'info', RB_BRM_CONSUMER_GROUP: brmGroup }));
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

      // A session no inventory knows: BRM warns once, naming the message to look it up by.
      const router = `process-spec-router-${randomUUID().slice(0, 8)}`;
      const ref = (peer: string) => peSessionRef(router, 999, peer);
      const up = routeEvents(ref).up('192.0.2.99');
      const event = createCloudEvent({ type: up.type, source: 'process-spec', data: up.data });
      const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
      await producer.connect();
      const [sent] = await producer
        .send({ topic: TOPICS.routeEvents.name, acks: -1, messages: [{ key: sessionKey(ref(up.peer)), value: JSON.stringify(event) }] })
        .finally(() => producer.disconnect());
      const warned = () =>
        run
          .output()
          .split('\n')
          .filter((line) => line.includes(`no configured BGP session for ${router}`));
      const warnDeadline = Date.now() + 30000;
      while (warned().length === 0 && Date.now() < warnDeadline) await new Promise((resolve) => setTimeout(resolve, 100));
      expect({ warned: warned().length, output: warned().length ? '' : run.output().slice(-3000) }).toEqual({ warned: 1, output: '' });
      expect((JSON.parse(warned()[0]!) as { msg: string }).msg).toContain(
        `first seen in ${TOPICS.routeEvents.name}/${sent!.partition}@${sent!.baseOffset}, event ${event.id}`,
      );
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
