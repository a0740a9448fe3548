/**
 * Drift checks: read a host over SSH (bgpd's running config, the BGP summary, the links), compare
 * it with what route-broker would apply (drift.ts), and keep the history of what changed
 * (host_drift_reports). HostDriftService checks one host (the admin API's "check now", and each
 * host of a round); DriftScheduler (frr-server role) runs a round over every host with a pinned
 * host key every RB_DRIFT_INTERVAL_SECONDS.
 */
import { readFile } from 'node:fs/promises';
import {
  ConflictException,
  HttpException,
  Inject,
  Injectable,
  Logger,
  NotFoundException,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { Counter, Gauge, Histogram } from 'prom-client';
import { DataSource, IsNull, Not } from 'typeorm';
import { recordAudit, type Actor } from '../../common/audit/audit.js';
import { APP_CONFIG } from '../../common/config/config.module.js';
import type { AppConfig } from '../../common/config/config.js';
import { BgpSessionEntity, GreTunnelEntity, HostEntity } from '../../common/inventory/inventory.entities.js';
import { metricsRegistry } from '../../common/metrics.js';
import { interfacesCommand } from '../apply/host-commands.js';
import { APPLIED_DAEMON } from '../apply/frr-apply.service.js';
import { CommandTimeoutError, HostKeyMismatchError, connectToHost, type HostSsh } from '../apply/host-ssh.js';
import { redactSecrets, truncateOutput } from '../apply/redact.js';
import { shellQuote } from '../apply/shell-quote.js';
import { HostConfigService } from '../config/host-config.service.js';
import {
  ObservedOutputError,
  computeDrift,
  driftFingerprint,
  failureFingerprint,
  type DesiredHostState,
  type DriftReport,
  type ObservedHostState,
} from './drift.js';
import { countDriftedHosts, lockHost } from './drift.store.js';
import { HostDriftReportEntity } from './host-drift-report.entity.js';

const driftedHosts = new Gauge({
  name: 'route_broker_drifted_hosts',
  help: 'Hosts whose latest drift check found drift (failed checks not included); updated after each check by the process that ran it',
  registers: [metricsRegistry],
});

const driftCheckFailures = new Counter({
  name: 'route_broker_drift_check_failures_total',
  help: 'Drift checks that could not read or compare a host, by reason (host-key, connect, timeout, command, output, inventory, other)',
  labelNames: ['reason'] as const,
  registers: [metricsRegistry],
});

const driftCheckDuration = new Histogram({
  name: 'route_broker_drift_check_duration_seconds',
  help: 'Drift checks of one host, by result (in-sync, drifted, failed); from rendering to the recorded result',
  labelNames: ['result'] as const,
  buckets: [0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
  registers: [metricsRegistry],
});

export type DriftFailureReason = 'host-key' | 'connect' | 'timeout' | 'command' | 'output' | 'inventory' | 'other';

/** Why one host could not be checked; recorded as that host's result, the round goes on. */
export class DriftCheckError extends Error {
  override readonly name = 'DriftCheckError';
  constructor(
    readonly reason: DriftFailureReason,
    message: string,
  ) {
    super(message);
  }
}

/** The check was stopped because the process is shutting down; nothing is recorded. */
class DriftCheckAborted extends Error {}

export type DriftStatus = 'in-sync' | 'drifted' | 'check-failed' | 'never-checked';

/** What the API shows of a host's drift. */
export interface HostDriftView {
  hostId: number;
  hostName: string;
  status: DriftStatus;
  /** The latest check; null when never checked. */
  checkedAt: Date | null;
  /** Since when the host has been in this state (the history row's checkedAt). */
  since: Date | null;
  fingerprint: string | null;
  report: DriftReport | null;
  error: string | null;
  /** The history row that holds this state. */
  reportId: number | null;
}

export interface DriftCheckResult extends HostDriftView {
  /** Whether this check wrote a history row (its result differs from the previous one). */
  recorded: boolean;
}

/** The remote commands of one check. bgpd only: the rendered config is bgpd's (see APPLIED_DAEMON). */
export function driftCommands(vtyshCommand: string): Record<keyof ObservedHostState, string> {
  return {
    runningConfig: `${vtyshCommand} -c ${shellQuote(`show running-config ${APPLIED_DAEMON} no-header`)}`,
    bgpSummaryJson: `${vtyshCommand} -c ${shellQuote('show bgp summary json')}`,
    interfacesJson: interfacesCommand(vtyshCommand),
  };
}

/**
 * `work` with a time limit and an abort signal. When either ends it early, `stop` runs (it closes
 * the SSH connection, which ends the commands) and the promise rejects; `work`'s own late
 * rejection is swallowed.
 */
export function withDeadline<T>(work: Promise<T>, timeoutMs: number, what: string, stop: () => void, signal?: AbortSignal): Promise<T> {
  work.catch(() => undefined);
  return new Promise<T>((resolve, reject) => {
    const finish = (error: Error | null, value?: T): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      if (error) {
        stop();
        reject(error);
      } else {
        resolve(value as T);
      }
    };
    const onAbort = (): void => finish(new DriftCheckAborted(`${what}: aborted`));
    const timer = setTimeout(() => finish(new DriftCheckError('timeout', `${what} timed out after ${timeoutMs} ms`)), timeoutMs);
    if (signal?.aborted) {
      onAbort();
      return;
    }
    signal?.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => finish(null, value),
      (error: unknown) => finish(error instanceof Error ? error : new Error(String(error))),
    );
  });
}

function failureOf(error: unknown): DriftCheckError {
  if (error instanceof DriftCheckError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof HostKeyMismatchError) return new DriftCheckError('host-key', message);
  if (error instanceof CommandTimeoutError) return new DriftCheckError('timeout', message);
  if (error instanceof ObservedOutputError) return new DriftCheckError('output', message);
  if (error instanceof HttpException) {
    // HostConfigService.render: 422 when the inventory cannot be rendered (with its problems).
    const body = error.getResponse();
    const problems =
      typeof body === 'object' && body !== null && Array.isArray((body as { problems?: unknown }).problems)
        ? ` ${JSON.stringify((body as { problems: unknown[] }).problems)}`
        : '';
    return new DriftCheckError('inventory', `${message}${problems}`);
  }
  return new DriftCheckError('other', message);
}

function viewOf(host: Pick<HostEntity, 'id' | 'name'>, row: HostDriftReportEntity | null): HostDriftView {
  if (!row) {
    return {
      hostId: host.id,
      hostName: host.name,
      status: 'never-checked',
      checkedAt: null,
      since: null,
      fingerprint: null,
      report: null,
      error: null,
      reportId: null,
    };
  }
  return {
    hostId: host.id,
    hostName: host.name,
    status: row.error !== null ? 'check-failed' : row.drifted ? 'drifted' : 'in-sync',
    checkedAt: row.lastCheckedAt,
    since: row.checkedAt,
    fingerprint: row.fingerprint,
    report: row.report,
    error: row.error,
    reportId: row.id,
  };
}

@Injectable()
export class HostDriftService {
  private readonly logger = new Logger('HostDrift');

  constructor(
    private readonly dataSource: DataSource,
    private readonly hostConfig: HostConfigService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Checks one host now and records the result (the API's drift-check). 404 for an unknown host;
   * 409 when it has no pinned host key or route-broker has no SSH key. Anything else that goes
   * wrong is the check's result (status check-failed), recorded like a round's.
   */
  async checkNow(hostId: number, actor: Actor): Promise<DriftCheckResult> {
    const host = await this.findHost(hostId);
    if (!host.sshHostKey) {
      throw new ConflictException({
        statusCode: 409,
        error: 'Conflict',
        message: `host ${host.name} has no pinned SSH host key: pin the host key first (PATCH /api/v1/hosts/${host.id} {"sshHostKey": "ssh-ed25519 AAAA…"})`,
      });
    }
    const privateKey = await this.privateKey();
    if (typeof privateKey === 'string') throw new ConflictException({ statusCode: 409, error: 'Conflict', message: privateKey });
    const result = await this.check(hostId, privateKey, undefined, actor);
    await this.refreshDriftedHosts();
    // Null only when the host was deleted or unpinned in the meantime.
    if (!result)
      throw new NotFoundException({ statusCode: 404, error: 'Not Found', message: `host ${hostId} is gone or no longer pinned` });
    return result;
  }

  async latest(hostId: number): Promise<HostDriftView> {
    const host = await this.findHost(hostId);
    const row = await this.dataSource.getRepository(HostDriftReportEntity).findOne({ where: { hostId }, order: { id: 'DESC' } });
    return viewOf(host, row);
  }

  /** The host's history, newest first: one row per change. */
  async history(hostId: number, limit = 100, offset = 0): Promise<HostDriftReportEntity[]> {
    await this.findHost(hostId);
    return this.dataSource
      .getRepository(HostDriftReportEntity)
      .find({ where: { hostId }, order: { id: 'DESC' }, take: limit, skip: offset });
  }

  /** The hosts a round checks: those with a pinned host key (route-broker connects to no other). */
  hostsToCheck(): Promise<HostEntity[]> {
    return this.dataSource.getRepository(HostEntity).find({ where: { sshHostKey: Not(IsNull()) }, order: { id: 'ASC' } });
  }

  /** route-broker's SSH private key, or why it cannot be had (a sentence). */
  async privateKey(): Promise<Buffer | string> {
    const file = this.config.apply.sshPrivateKeyFile;
    if (file === null) {
      return 'route-broker cannot check drift: RB_SSH_PRIVATE_KEY_FILE (the SSH key it logs in to hosts with) is not set';
    }
    try {
      return await readFile(file);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'error';
      return `route-broker cannot check drift: RB_SSH_PRIVATE_KEY_FILE ${JSON.stringify(file)} cannot be read (${code})`;
    }
  }

  /**
   * Checks one host and records the result. Never throws for the host's own problems (unreachable,
   * wrong host key, a command failing, an inventory that cannot be rendered): they are its result.
   * Throws when `signal` aborts (nothing recorded) or the database fails. The host is read afresh
   * (a round's list may be minutes old: a key re-pinned since must not look like a mismatch); null
   * when it is gone or no longer has a pinned key. With `actor` (a check asked for through the
   * API) the check is also recorded in the audit trail, in the same transaction as its result.
   */
  async check(hostId: number, privateKey: Buffer, signal?: AbortSignal, actor?: Actor): Promise<DriftCheckResult | null> {
    const started = Date.now();
    const host = await this.dataSource.getRepository(HostEntity).findOneBy({ id: hostId });
    if (!host?.sshHostKey) return null;
    let report: DriftReport | null = null;
    let failure: DriftCheckError | null = null;
    try {
      const desired = await this.desiredState(host.id);
      const observed = await this.observe(host, privateKey, signal);
      report = computeDrift(desired, observed);
    } catch (error) {
      if (error instanceof DriftCheckAborted || signal?.aborted) throw error;
      failure = failureOf(error);
    }
    const observedAt = new Date();
    // One line, led by the reason (`timeout: …`), which dashboards and the operator both read.
    const errorText = failure
      ? truncateOutput(`${failure.reason}: ${redactSecrets(failure.message).replace(/\s*\n\s*/g, ' ')}`, 2000)
      : null;
    const fingerprint = report ? driftFingerprint(report) : failureFingerprint(errorText ?? '');
    const recorded = await this.record(host.id, {
      observedAt,
      drifted: report?.drifted ?? false,
      fingerprint,
      report,
      error: errorText,
      actor,
    });

    const result = report === null ? 'failed' : report.drifted ? 'drifted' : 'in-sync';
    driftCheckDuration.observe({ result }, (Date.now() - started) / 1000);
    if (failure) driftCheckFailures.inc({ reason: failure.reason });
    if (recorded?.recorded) {
      const what = failure
        ? `check failed: ${errorText ?? ''}`
        : report?.drifted
          ? `drifted: ${report.config.missing.length} config line(s) missing, ${report.config.extra.length} extra, ${report.sessions.length} session(s) not Established, ${report.tunnels.length} tunnel problem(s)`
          : 'in sync';
      if (result === 'in-sync') this.logger.log(`host ${host.name}: ${what}`);
      else this.logger.warn(`host ${host.name}: ${what}`);
    }

    const view = viewOf(host, recorded?.row ?? null);
    // The response shows this check's own findings; the row may hold an equal earlier one.
    return {
      ...view,
      status: failure ? 'check-failed' : report?.drifted ? 'drifted' : 'in-sync',
      report,
      error: errorText,
      fingerprint,
      recorded: recorded?.recorded ?? false,
    };
  }

  /** Recounts route_broker_drifted_hosts from every host's latest history row. */
  async refreshDriftedHosts(): Promise<void> {
    driftedHosts.set(await countDriftedHosts(this.dataSource.manager));
  }

  private async findHost(hostId: number): Promise<HostEntity> {
    const host = await this.dataSource.getRepository(HostEntity).findOneBy({ id: hostId });
    if (!host) throw new NotFoundException({ statusCode: 404, error: 'Not Found', message: `host ${hostId} does not exist` });
    return host;
  }

  /** The rendered config (as an apply would send it) and the inventory's tunnels and sessions. */
  private async desiredState(hostId: number): Promise<DesiredHostState> {
    const rendered = await this.hostConfig.render(hostId);
    const tunnels = await this.dataSource.getRepository(GreTunnelEntity).find({ where: { hostId }, order: { id: 'ASC' } });
    // An empty `where` list would match every session: a host without tunnels has none.
    const sessions =
      tunnels.length === 0
        ? []
        : await this.dataSource.getRepository(BgpSessionEntity).find({
            where: tunnels.map((tunnel) => ({ tunnelId: tunnel.id })),
            order: { id: 'ASC' },
          });
    const interfaceOf = new Map(tunnels.map((tunnel) => [tunnel.id, tunnel.interfaceName]));
    return {
      frrConf: rendered.frrConf,
      tunnelProvisioning: rendered.tunnelProvisioning,
      tunnels: rendered.tunnels,
      sessions: sessions.map((session) => ({ peerAddress: session.peerAddress, interfaceName: interfaceOf.get(session.tunnelId) ?? '' })),
    };
  }

  /** Reads the host, within RB_DRIFT_HOST_TIMEOUT_MS from connect to the last command. */
  private observe(host: HostEntity, privateKey: Buffer, signal?: AbortSignal): Promise<ObservedHostState> {
    const { apply, drift } = this.config;
    let ssh: HostSsh | null = null;
    let stopped = false;
    const work = (async (): Promise<ObservedHostState> => {
      const connected = await connectToHost({
        address: host.managementAddress,
        port: host.sshPort,
        username: host.sshUser,
        privateKey,
        pinnedHostKey: host.sshHostKey ?? '',
        connectTimeoutMs: Math.min(apply.sshConnectTimeoutMs, drift.hostTimeoutMs),
        commandTimeoutMs: Math.min(apply.sshCommandTimeoutMs, drift.hostTimeoutMs),
      }).catch((error: unknown) => {
        if (error instanceof HostKeyMismatchError) throw error;
        const message = error instanceof Error ? error.message : String(error);
        // parsePinnedHostKey's refusal of a mangled pinned key is a host-key problem too.
        throw new DriftCheckError(message.startsWith('pinned host key:') ? 'host-key' : 'connect', message);
      });
      ssh = connected;
      if (stopped) connected.close();
      try {
        const commands = driftCommands(host.vtyshCommand);
        const observed: Partial<ObservedHostState> = {};
        for (const key of ['runningConfig', 'bgpSummaryJson', 'interfacesJson'] as const) {
          const command = commands[key];
          const result = await connected.exec(command);
          if (result.exitCode !== 0) {
            const output = (result.stderr.trim() || result.stdout.trim()).split('\n').slice(0, 3).join(' / ');
            throw new DriftCheckError(
              'command',
              `${command} exited with ${result.exitCode}${output ? `: ${truncateOutput(output, 500)}` : ''}`,
            );
          }
          observed[key] = result.stdout;
        }
        return observed as ObservedHostState;
      } finally {
        connected.close();
      }
    })();
    return withDeadline(
      work,
      drift.hostTimeoutMs,
      `drift check of host ${host.name}`,
      () => {
        stopped = true;
        ssh?.close();
      },
      signal,
    );
  }

  /**
   * Writes a history row when the result differs from the host's latest one; otherwise moves that
   * row's last_checked_at. The host row is locked meanwhile, so two checks of one host (a round
   * and an API call, or two processes) record one after the other. An observation older than the
   * latest recorded check is dropped. Null when the host was deleted meanwhile.
   */
  private record(
    hostId: number,
    result: {
      observedAt: Date;
      drifted: boolean;
      fingerprint: string;
      report: DriftReport | null;
      error: string | null;
      actor?: Actor | undefined;
    },
  ): Promise<{ row: HostDriftReportEntity; recorded: boolean } | null> {
    return this.dataSource.transaction(async (manager) => {
      if (!(await lockHost(manager, hostId))) return null;
      if (result.actor) {
        // What the check found, in short; the report itself is in host_drift_reports.
        await recordAudit(manager, result.actor, {
          action: 'drift.check',
          entityType: 'host',
          entityId: hostId,
          after: {
            status: result.error !== null ? 'check-failed' : result.drifted ? 'drifted' : 'in-sync',
            fingerprint: result.fingerprint,
            error: result.error,
          },
        });
      }
      const repository = manager.getRepository(HostDriftReportEntity);
      const latest = await repository.findOne({ where: { hostId }, order: { id: 'DESC' } });
      if (latest && (latest.fingerprint === result.fingerprint || latest.lastCheckedAt > result.observedAt)) {
        if (latest.fingerprint === result.fingerprint && latest.lastCheckedAt < result.observedAt) {
          await repository.update({ id: latest.id }, { lastCheckedAt: result.observedAt });
          latest.lastCheckedAt = result.observedAt;
        }
        return { row: latest, recorded: false };
      }
      const row = await repository.save(
        repository.create({
          hostId,
          checkedAt: result.observedAt,
          lastCheckedAt: result.observedAt,
          drifted: result.drifted,
          fingerprint: result.fingerprint,
          report: result.report,
          error: result.error,
        }),
      );
      return { row, recorded: true };
    });
  }
}

/** Runs `task` over `items`, at most `limit` at a time; a task's rejection goes to `onError` and the others carry on. */
export async function forEachBounded<T>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<void>,
  onError: (item: T, error: unknown) => void,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++] as T;
      try {
        await task(item);
      } catch (error) {
        onError(item, error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, worker));
}

export interface DriftRound {
  hosts: number;
  inSync: number;
  drifted: number;
  failed: number;
  /** Hosts deleted or unpinned since the round listed them. */
  skipped: number;
  /** Hosts whose result was not recorded (the database failed, or the round was stopped). */
  unrecorded: number;
  durationMs: number;
}

/**
 * The periodic drift report (frr-server role): a round over every host with a pinned key every
 * RB_DRIFT_INTERVAL_SECONDS (0: none), the next one scheduled when the previous has ended, so
 * rounds never overlap; at most RB_DRIFT_MAX_CONCURRENT_HOSTS hosts at once. The first round runs
 * one interval after start-up.
 */
@Injectable()
export class DriftScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('DriftScheduler');
  private timer: NodeJS.Timeout | null = null;
  private current: Promise<DriftRound | null> | null = null;
  private readonly stopping = new AbortController();

  constructor(
    private readonly drift: HostDriftService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    const { intervalSeconds } = this.config.drift;
    if (intervalSeconds === 0) {
      this.logger.log('periodic drift report off (RB_DRIFT_INTERVAL_SECONDS=0)');
      return;
    }
    this.logger.log(`drift report every ${intervalSeconds} s`);
    this.scheduleNext();
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.stopping.abort();
    await this.current?.catch(() => undefined);
  }

  /**
   * One round now. A round already running is joined, not doubled. Null when it did not run (no
   * SSH key, or stopping).
   */
  runRound(): Promise<DriftRound | null> {
    this.current ??= this.round().finally(() => {
      this.current = null;
    });
    return this.current;
  }

  private scheduleNext(): void {
    if (this.stopping.signal.aborted) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.runRound()
        .catch((error: unknown) => this.logger.error(`drift round failed: ${error instanceof Error ? error.message : String(error)}`))
        .finally(() => this.scheduleNext());
    }, this.config.drift.intervalSeconds * 1000);
    // A pending round must not keep the process alive.
    this.timer.unref();
  }

  private async round(): Promise<DriftRound | null> {
    const signal = this.stopping.signal;
    if (signal.aborted) return null;
    const started = Date.now();
    const hosts = await this.drift.hostsToCheck();
    const tally: DriftRound = { hosts: hosts.length, inSync: 0, drifted: 0, failed: 0, skipped: 0, unrecorded: 0, durationMs: 0 };
    if (hosts.length === 0) return tally;
    const privateKey = await this.drift.privateKey();
    if (typeof privateKey === 'string') {
      this.logger.warn(`drift round skipped: ${privateKey}`);
      return null;
    }
    await forEachBounded(
      hosts,
      this.config.drift.maxConcurrentHosts,
      async (host) => {
        if (signal.aborted) {
          tally.unrecorded += 1;
          return;
        }
        const result = await this.drift.check(host.id, privateKey, signal);
        if (result === null) tally.skipped += 1;
        else if (result.status === 'drifted') tally.drifted += 1;
        else if (result.status === 'in-sync') tally.inSync += 1;
        else tally.failed += 1;
      },
      (host, error) => {
        tally.unrecorded += 1;
        if (!signal.aborted)
          this.logger.error(`drift check of host ${host.name} not recorded: ${error instanceof Error ? error.message : String(error)}`);
      },
    );
    if (!signal.aborted) await this.drift.refreshDriftedHosts();
    tally.durationMs = Date.now() - started;
    this.logger.log(
      `drift round: ${tally.hosts} host(s), ${tally.inSync} in sync, ${tally.drifted} drifted, ${tally.failed} failed` +
        (tally.skipped > 0 ? `, ${tally.skipped} skipped (deleted or unpinned)` : '') +
        (tally.unrecorded > 0 ? `, ${tally.unrecorded} not recorded` : '') +
        ` in ${tally.durationMs} ms`,
    );
    return tally;
  }
}
