/**
 * Collector liveness (issue #23): a collector process killed with SIGKILL never says its routers'
 * sessions down. BRM finds its run silent (no heartbeat for RB_BRM_COLLECTOR_LOST_AFTER_SECONDS)
 * and says them down for it: stale under graceful restart, then withdrawn when the router does
 * not come back. A router that moved to another collector in time keeps its routes: the down
 * names the dead collector's connection, which the session has left.
 *
 * Real parts: the lab's FRR (the PE announces to host 1, whose bgpd streams BMP), collectors as
 * separate node processes killed with SIGKILL, BRM in the test application, Kafka and MariaDB.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/common/database/data-source-options.js';
import { TOPICS } from '../../src/common/kafka/topics.js';
import { api, startTestApp } from './support/app.js';
import { groupAtTopicEnd } from './support/consumer-groups.js';
import { READ_TOKEN, testConfig, testEnv } from './support/environment.js';
import { createLabInventory, LAB_HOST as HOST_NS, LAB_PE as PE_NS } from './support/lab-inventory.js';
import { configure, vtysh } from './support/lab-vtysh.js';
import { storedRoutes } from './support/stored-routes.js';
import { until } from './support/until.js';
import { uplinkRootAddress } from './support/lab.js';

const MAIN = 'dist/main.js';
const PREFIX = '45.67.1.0/24';
/** Withdrawn while no collector watches: the next collector's dump must make it leave the table. */
const WITHDRAWN_UNSEEN = '45.67.2.0/24';
const LOST_AFTER_SECONDS = 3;
const GRACEFUL_RESTART_SECONDS = 6;

interface Collector {
  name: string;
  port: number;
  child: ChildProcess;
  exited: Promise<unknown>;
}

describe('a BMP collector that dies', () => {
  let brm: INestApplication;
  let db: DataSource;
  let vpcId: number;
  let sessionId: number;
  const collectors: Collector[] = [];
  const targets: string[] = [];

  function startCollector(name: string, port: number): Collector {
    const child = spawn(process.execPath, [MAIN], {
      env: {
        PATH: process.env.PATH ?? '',
        ...testEnv({
          RB_ROLES: 'frr-server',
          RB_INSTANCE_ID: `liveness-${name}`,
          RB_HTTP_PORT: String(port + 1000),
          RB_HTTP_HOST: '127.0.0.1',
          RB_BMP_PORT: String(port),
          RB_BMP_HOST: '0.0.0.0',
          RB_BMP_HEARTBEAT_SECONDS: '1',
          RB_DRIFT_INTERVAL_SECONDS: '0',
        }),
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const collector = { name, port, child, exited: new Promise((resolve) => child.once('exit', resolve)) };
    collectors.push(collector);
    return collector;
  }

  async function killCollector(collector: Collector): Promise<void> {
    collector.child.kill('SIGKILL');
    await collector.exited;
  }

  /** The host's bgpd streams BMP to this collector (and, once the old target is removed, only to it). */
  async function streamTo(collector: Collector, previous?: Collector): Promise<void> {
    const lines = ['router bgp 64512'];
    if (previous) lines.push(`no bmp targets live${previous.name}`);
    lines.push(
      `bmp targets live${collector.name}`,
      `bmp connect ${uplinkRootAddress(1)} port ${collector.port} min-retry 100 max-retry 1000`,
      'bmp monitor ipv4 unicast pre-policy',
      'exit',
    );
    await configure(HOST_NS, ...lines);
    targets.push(`live${collector.name}`);
  }

  async function reporter(): Promise<string | null> {
    const rows: { bmp_connection: string | null }[] = await db.query(
      'SELECT bmp_connection FROM vpc_route_sessions WHERE hosted_vpc_id = ? AND session_id = ?',
      [vpcId, sessionId],
    );
    return rows[0]?.bmp_connection ?? null;
  }

  /** The session's path for a prefix in the VPC table: 'active', 'stale', or 'absent'. */
  async function pathState(prefix = PREFIX): Promise<'active' | 'stale' | 'absent'> {
    const route = (await storedRoutes(db, vpcId)).get(prefix);
    const path = route?.entry.paths.find((candidate) => candidate.sessionId === sessionId);
    if (!path) return 'absent';
    return path.stale ? 'stale' : 'active';
  }

  async function lostAt(instance: string): Promise<Date | null> {
    const rows: { lost_at: Date | null }[] = await db.query('SELECT lost_at FROM bmp_collectors WHERE instance_id = ?', [instance]);
    return rows[0]?.lost_at ?? null;
  }

  beforeAll(async () => {
    await vtysh(HOST_NS, 'show bgp summary json').catch(() => {
      throw new Error('the FRR lab is not up: run scripts/lab up first');
    });
    const group = await groupAtTopicEnd('collector-liveness-spec', TOPICS.routeEvents.name);
    brm = await startTestApp({
      RB_ROLES: 'brm,admin',
      RB_BRM_CONSUMER_GROUP: group,
      RB_BRM_COLLECTOR_LOST_AFTER_SECONDS: String(LOST_AFTER_SECONDS),
    });
    db = await new DataSource(dataSourceOptions(testConfig().database)).initialize();
    ({ vpcId, sessionId } = await createLabInventory(api(brm), {
      tunnelProvisioning: 'external',
      session: { gracefulRestartSeconds: GRACEFUL_RESTART_SECONDS },
    }));
    for (const prefix of [PREFIX, WITHDRAWN_UNSEEN]) {
      await configure(PE_NS, `ip route ${prefix} blackhole`, 'router bgp 65001', 'address-family ipv4 unicast', `network ${prefix}`);
    }
  }, 90000);

  afterAll(async () => {
    const undo = async (namespace: string, ...lines: string[]) => configure(namespace, ...lines).catch(() => undefined);
    for (const target of targets) await undo(HOST_NS, 'router bgp 64512', `no bmp targets ${target}`);
    for (const prefix of [PREFIX, WITHDRAWN_UNSEEN]) {
      await undo(PE_NS, 'router bgp 65001', 'address-family ipv4 unicast', `no network ${prefix}`);
      await undo(PE_NS, `no ip route ${prefix} blackhole`);
    }
    for (const collector of collectors) {
      collector.child.kill('SIGKILL');
      await collector.exited;
    }
    await db?.destroy();
    await brm?.close();
  });

  it('a router that moved to another collector in time keeps its routes, and its new dump replaces what the dead one reported', async () => {
    const first = startCollector('a', 11141);
    await streamTo(first);
    await until(
      'both routes active in the VPC table, reported through collector a',
      async () =>
        (await pathState(PREFIX)) === 'active' &&
        (await pathState(WITHDRAWN_UNSEEN)) === 'active' &&
        (await reporter())?.startsWith('liveness-a.')
          ? true
          : undefined,
      60000,
      250,
    );

    await killCollector(first);
    // Withdrawn while no collector listens: nobody tells BRM.
    await configure(PE_NS, 'router bgp 65001', 'address-family ipv4 unicast', `no network ${WITHDRAWN_UNSEEN}`);
    await until('the host to lose the withdrawn route', async () =>
      JSON.parse(await vtysh(HOST_NS, 'show bgp ipv4 unicast json')).routes?.[WITHDRAWN_UNSEEN] ? undefined : true,
    );
    const second = startCollector('b', 11142);
    await streamTo(second, first);
    await until(
      'the session reported through collector b',
      async () => ((await reporter())?.startsWith('liveness-b.') ? true : undefined),
      60000,
      250,
    );
    // Up through b while still up through a: the down a never said is taken, and b's End-of-RIB sweeps what its dump left out.
    await until(
      'the unseen withdrawal to reach the table',
      async () => ((await pathState(WITHDRAWN_UNSEEN)) === 'absent' ? true : undefined),
      60000,
      250,
    );
    await until('collector a declared lost', async () => ((await lostAt('liveness-a')) ? true : undefined), 30000, 250);
    // Past the graceful-restart time of a down that would have been applied.
    const watchUntil = Date.now() + (GRACEFUL_RESTART_SECONDS + 3) * 1000;
    while (Date.now() < watchUntil) {
      expect(await pathState()).toBe('active');
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(await reporter()).toMatch(/^liveness-b\./);
  }, 180000);

  it('a router that does not come back: its routes go stale, then are withdrawn', async () => {
    const second = collectors.find((collector) => collector.name === 'b')!;
    await until('the route active through collector b', async () => ((await pathState()) === 'active' ? true : undefined), 60000, 250);
    const killedAt = Date.now();
    await killCollector(second);
    await until('the route stale', async () => ((await pathState()) === 'stale' ? true : undefined), 30000, 100);
    const staleAfter = Date.now() - killedAt;
    await until('the route withdrawn', async () => ((await pathState()) === 'absent' ? true : undefined), 60000, 250);
    const withdrawnAfter = Date.now() - killedAt;
    // Not before the collector was silent long enough (its last heartbeat up to 1 s before the kill), nor a graceful-restart time too early.
    expect(staleAfter).toBeGreaterThanOrEqual((LOST_AFTER_SECONDS - 1) * 1000);
    expect(withdrawnAfter - staleAfter).toBeGreaterThanOrEqual((GRACEFUL_RESTART_SECONDS - 1) * 1000);
    expect(await lostAt('liveness-b')).not.toBeNull();
    const metrics = (await request(brm.getHttpServer()).get('/metrics').set('Authorization', `Bearer ${READ_TOKEN}`).expect(200)).text;
    expect(metrics).toMatch(/route_broker_brm_collectors_lost_total(\{[^}]*\})? [1-9]/);
    expect(metrics).toMatch(/route_broker_brm_collector_lost_sessions_total(\{[^}]*\})? [1-9]/);
  }, 180000);
});
