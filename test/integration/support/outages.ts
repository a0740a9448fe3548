/**
 * Stops and starts the real Kafka (scripts/kafka) and the real MariaDB for the outage suites.
 * scripts/kafka stops only the broker its own checkout started; if another checkout's broker
 * serves the port, the "outage" would silently not happen, so stopping checks that the port is
 * really closed. MariaDB is the tests' private server when RB_MYSQL_HOME is set (scripts/mysql
 * down/up stop and start it; the machine's server, which the local system of scripts/up uses, is
 * left alone), else the machine's local server (/usr/sbin/mariadbd, as scripts/mysql starts it);
 * these suites must not run in parallel with others.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { testConfig } from './environment.js';
import { portAnswers } from './ports.js';

const run = promisify(execFile);

export async function stopKafka(): Promise<void> {
  await run('scripts/kafka', ['down'], { timeout: 60000 });
  for (const broker of testConfig().kafka.brokers) {
    if (await portAnswers(broker)) {
      throw new Error(
        `Kafka on ${broker} is still up after scripts/kafka down: it was started by another checkout; stop it there (scripts/kafka down) so this suite can take Kafka down`,
      );
    }
  }
}

export async function startKafka(): Promise<void> {
  await run('scripts/kafka', ['up'], { timeout: 150000 });
}

const MARIADBD = '/usr/sbin/mariadbd';

/** The tests' own MariaDB server's state directory (scripts/mysql), if they have one. */
function privateMariaDbHome(): string | undefined {
  return process.env.RB_MYSQL_HOME || undefined;
}

export async function stopMariaDb(): Promise<void> {
  const { host, port } = testConfig().database;
  if (host !== '127.0.0.1' && host !== 'localhost')
    throw new Error(`cannot stop MariaDB on ${host}: the outage suites need the local server`);
  const home = privateMariaDbHome();
  if (home) {
    // A clean stop (TERM, waited for; SIGKILL after 30 s), as an operator's restart would be.
    await run('scripts/mysql', ['down'], { timeout: 60000 });
    if (await portAnswers(`${host}:${port}`))
      throw new Error(`MariaDB on ${host}:${port} still answers after scripts/mysql down: it is not the private server of ${home}`);
    return;
  }
  // TERM, then wait up to 30 s for it to be gone (a clean stop, as an operator's restart would be).
  await run('start-stop-daemon', ['--stop', '--exec', MARIADBD, '--retry', 'TERM/30'], { timeout: 60000 });
  if (await portAnswers(`${host}:${port}`)) throw new Error(`MariaDB on ${host}:${port} still answers after stopping ${MARIADBD}`);
}

export async function startMariaDb(): Promise<void> {
  const home = privateMariaDbHome();
  // A private server's start waits up to 60 s for it (crash recovery after a SIGKILL'd stop).
  await run('scripts/mysql', ['up'], { timeout: home ? 90000 : 60000 });
  const { host, port } = testConfig().database;
  if (home && !(await portAnswers(`${host}:${port}`))) throw new Error(`MariaDB on ${host}:${port} does not answer after scripts/mysql up`);
}
