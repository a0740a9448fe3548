/**
 * Stops and starts the real Kafka with scripts/kafka for the outage suites. scripts/kafka stops
 * only the broker its own checkout started; if another checkout's broker serves the port, the
 * "outage" would silently not happen, so stopping checks that the port is really closed.
 */
import { execFile } from 'node:child_process';
import { connect } from 'node:net';
import { promisify } from 'node:util';
import { testConfig } from './environment.js';

const run = promisify(execFile);

function answers(hostPort: string): Promise<boolean> {
  const [host, port] = hostPort.split(':') as [string, string];
  return new Promise((resolve) => {
    const socket = connect(Number(port), host);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export async function stopKafka(): Promise<void> {
  await run('scripts/kafka', ['down'], { timeout: 60000 });
  for (const broker of testConfig().kafka.brokers) {
    if (await answers(broker)) {
      throw new Error(
        `Kafka on ${broker} is still up after scripts/kafka down: it was started by another checkout; stop it there (scripts/kafka down) so this suite can take Kafka down`,
      );
    }
  }
}

export async function startKafka(): Promise<void> {
  await run('scripts/kafka', ['up'], { timeout: 150000 });
}
