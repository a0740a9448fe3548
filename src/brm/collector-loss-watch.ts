/**
 * Collector liveness, BRM's side (docs/bmp.md "A collector that dies"). A collector that dies
 * (kill -9, OOM, its host gone) never says its routers' sessions down, and if a router does not
 * reconnect elsewhere its routes would stay active forever. Every collector run writes a heartbeat
 * (src/frr-server/collector/collector-liveness.service.ts); here, a run silent for longer than
 * RB_BRM_COLLECTOR_LOST_AFTER_SECONDS is declared lost, and for every session a VPC table holds as
 * up through one of its BMP connections, a session-down (reason `collector-lost`, naming that
 * connection) goes into the outbox in the same transaction, keyed like the collector's own events.
 * BRM applies it like any down: stale under graceful restart, withdrawn at the deadline unless the
 * router comes back. A router that already came up through another collector is unaffected: the
 * down names the old connection, and the table ignores a down from a connection the session left.
 * With several BRM instances, one of them marks the run (`lost_by`) and says the downs, once.
 * BRM judges only once it has itself reached the database for that long without a gap
 * (core/collector-silence.ts): a database outage must not make every collector look dead.
 */
import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Counter } from 'prom-client';
import { DataSource } from 'typeorm';
import { APP_CONFIG } from '../common/config/config.module.js';
import type { AppConfig } from '../common/config/config.js';
import { COLLECTOR_LOST, SESSION_DOWN, sessionKey, type SessionDownData, type SessionRef } from '../common/events/bgp-events.js';
import { createCloudEvent } from '../common/kafka/cloud-event.js';
import { TOPICS } from '../common/kafka/topics.js';
import { metricsRegistry } from '../common/metrics.js';
import { PeriodicTask } from '../common/runtime/periodic-task.js';
import { SilenceJudge } from './core/collector-silence.js';
import { OutboxRelay } from '../common/outbox/outbox-relay.js';
import { enqueueOutbox, type OutboxMessage } from '../common/outbox/outbox.js';
import {
  markSilentRuns,
  pingDatabase,
  purgeLostRuns,
  runsMarkedBy,
  sessionsUpThrough,
  type HeldSession,
  type SilentRun,
} from './collector-loss.store.js';

const collectorsLost = new Counter({
  name: 'route_broker_brm_collectors_lost_total',
  help: 'Collector runs BRM declared lost (no heartbeat in time) while VPC tables held sessions up through them: their sessions were said down',
  registers: [metricsRegistry],
});
const sessionsSaidDown = new Counter({
  name: 'route_broker_brm_collector_lost_sessions_total',
  help: 'Session-downs BRM said on behalf of lost collectors',
  registers: [metricsRegistry],
});

/** Lost runs' rows are kept this long for operators (SELECT * FROM bmp_collectors), then deleted. */
const KEEP_LOST_RUNS_DAYS = 7;
const PURGE_EVERY_MS = 3_600_000;

@Injectable()
export class CollectorLossWatch implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('BrmService');
  private readonly source: string;
  private readonly watch: PeriodicTask;
  private failing = false;
  /** When old lost runs were last deleted; the first check does it. */
  private purgedAt = 0;
  private readonly judge: SilenceJudge;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly relay: OutboxRelay,
  ) {
    this.source = `route-broker/${config.instanceId}/brm`;
    this.judge = new SilenceJudge(config.brm.collectorLostAfterSeconds * 1000);
    // A fifth of the allowed silence (1-10 s): a lost run is found at most that late.
    const everyMs = Math.min(10_000, Math.max(1000, (config.brm.collectorLostAfterSeconds * 1000) / 5));
    this.watch = new PeriodicTask(everyMs, () => this.checkAndReport());
  }

  onApplicationBootstrap(): void {
    this.watch.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.watch.stop();
  }

  /** One check; never throws (its failure is logged once until checks work again). */
  private async checkAndReport(): Promise<void> {
    try {
      await this.check();
      if (this.failing) this.logger.log('collector liveness checks work again');
      this.failing = false;
    } catch (error) {
      if (!this.failing) this.logger.error(`cannot check collector liveness (${(error as Error).message}); retrying`);
      this.failing = true;
    }
  }

  /**
   * Declares every run silent for too long lost, and says its sessions down, in one transaction.
   * While all is well this is one UPDATE that matches nothing (no reads: an idle system must not
   * poll the database). With several BRM instances, each run is marked by one of them only.
   */
  async check(): Promise<void> {
    if (!this.judge.mayJudge(Date.now())) {
      // Just started, or the database was out of reach for BRM too: only note that it answers.
      await pingDatabase(this.dataSource.manager);
      this.judge.contact(Date.now());
      return;
    }
    const mark = `${this.config.instanceId}.${randomUUID().slice(0, 8)}`;
    const lost: { run: SilentRun; held: HeldSession[] }[] = [];
    await this.dataSource.transaction(async (manager) => {
      if ((await markSilentRuns(manager, mark, this.config.brm.collectorLostAfterSeconds)) === 0) return;
      const runs = await runsMarkedBy(manager, mark);
      const downs: OutboxMessage[] = [];
      for (const run of runs) {
        const held = await sessionsUpThrough(manager, run.run_id);
        for (const row of held) downs.push(...this.sessionDown(row));
        lost.push({ run, held });
      }
      if (downs.length > 0) await enqueueOutbox(manager, downs);
    });
    this.judge.contact(Date.now());
    for (const { run, held } of lost) this.report(run, held);
    if (Date.now() - this.purgedAt > PURGE_EVERY_MS) {
      await purgeLostRuns(this.dataSource.manager, KEEP_LOST_RUNS_DAYS);
      this.purgedAt = Date.now();
    }
  }

  private report(run: SilentRun, held: readonly HeldSession[]): void {
    const lastSeen = run.last_seen_at instanceof Date ? run.last_seen_at.toISOString() : String(run.last_seen_at);
    if (held.length === 0) {
      this.logger.log(
        `collector run ${run.run_id} (instance ${run.instance_id}) stopped, last heartbeat ${lastSeen}: no VPC table holds a session up through it`,
      );
      return;
    }
    collectorsLost.inc();
    sessionsSaidDown.inc(held.length);
    this.relay.kick();
    this.logger.error(
      `collector run ${run.run_id} (instance ${run.instance_id}) lost: no heartbeat since ${lastSeen}. ` +
        `Said ${held.length} session(s) it reported down (kept stale under graceful restart, withdrawn unless the routers come back): ` +
        held.map((row) => `VPC ${row.hosted_vpc_id} session ${row.session_id}`).join(', '),
    );
  }

  /** The down the collector would have said, on both topics it says downs on. */
  private sessionDown(row: HeldSession): OutboxMessage[] {
    const session = (typeof row.bmp_session === 'string' ? JSON.parse(row.bmp_session) : row.bmp_session) as SessionRef;
    const event = createCloudEvent<SessionDownData>({
      type: SESSION_DOWN,
      source: this.source,
      subject: sessionKey(session),
      data: { session, reason: COLLECTOR_LOST, notification: null, receivedAt: new Date().toISOString(), connection: row.bmp_connection },
    });
    const key = sessionKey(session);
    return [
      { topic: TOPICS.routeEvents.name, key, event },
      { topic: TOPICS.sessionEvents.name, key, event },
    ];
  }
}
