/**
 * Applies a host's rendered FRR configuration over SSH and records every attempt in frr_applies.
 * The work itself is the applier's (frr-applier.ts, see README.md); this service picks the host's
 * SSH settings, serialises applies through one ApplyQueue per process, keeps the record and the
 * metrics.
 */
import { readFile } from 'node:fs/promises';
import { ConflictException, Inject, Injectable, Logger, NotFoundException, type OnApplicationBootstrap } from '@nestjs/common';
import { Counter, Histogram } from 'prom-client';
import { DataSource } from 'typeorm';
import { recordAudit, type Actor } from '../../common/audit/audit.js';
import { APP_CONFIG } from '../../common/config/config.module.js';
import type { AppConfig } from '../../common/config/config.js';
import { HostEntity } from '../../common/inventory/inventory.entities.js';
import { metricsRegistry } from '../../common/metrics.js';
import { HostConfigService, type HostRendering } from '../config/host-config.service.js';
import { ApplyQueue } from './apply-queue.js';
import { applyFrrConfig, type ApplyOutcome, type FrrHostSettings } from './frr-applier.js';
import { FrrApplyEntity, type StoredApplyStep } from './frr-apply.entity.js';
import { markInterruptedApplies } from './frr-apply.store.js';
import { interfacesCommand, tunnelScriptCommand } from './host-commands.js';
import { connectToHost, type HostSsh } from './host-ssh.js';
import { redactSecrets, sanitizeOutput } from './redact.js';

const applyDuration = new Histogram({
  name: 'route_broker_frr_apply_duration_seconds',
  help: 'FRR configuration applies (and dry runs), by result; from SSH connect to the last step',
  labelNames: ['result'] as const,
  buckets: [0.5, 1, 2.5, 5, 10, 20, 30, 60, 120, 300],
  registers: [metricsRegistry],
});

const applyTotal = new Counter({
  name: 'route_broker_frr_apply_total',
  help: 'FRR configuration applies (and dry runs), by result',
  labelNames: ['result'] as const,
  registers: [metricsRegistry],
});

const rollbacksTotal = new Counter({
  name: 'route_broker_frr_rollbacks_total',
  help: 'FRR applies that failed after validation and were rolled back to the last known good config',
  registers: [metricsRegistry],
});

/**
 * The rendered config is for bgpd alone (router bgp, its prefix-lists and route-maps, BMP), so
 * the applier always works on bgpd: it reads `show running-config bgpd` and runs frr-reload with
 * `--daemon bgpd`. Without it frr-reload compares against every daemon and would delete what the
 * rendered config lacks (zebra's `ip forwarding`, interfaces…) on a host with an integrated
 * frr.conf, and refuses to reload at all on a host with per-daemon files. The pathspace (or any
 * other wrapper) is part of the host's own vtyshCommand / frrReloadCommand.
 */
export const APPLIED_DAEMON = 'bgpd';

/** What an apply came to, whether the applier ran or the connection failed first. */
interface Outcome {
  result: ApplyOutcome;
  rolledBack: boolean;
  steps: StoredApplyStep[];
  diff?: string;
  reason?: string;
}

export interface ApplyRequest {
  dryRun: boolean;
  /** Who asked: the API token's name becomes the record's requested_by; the request id its request_id. */
  actor: Actor;
}

/** Neighbor addresses of the rendered config: every one of them must be Established after an apply. */
export function renderedNeighbors(frrConf: string): string[] {
  return [...frrConf.matchAll(/^ neighbor (\S+) remote-as /gm)].map((match) => match[1] ?? '').filter((peer) => peer !== '');
}

@Injectable()
export class FrrApplyService implements OnApplicationBootstrap {
  private readonly logger = new Logger(FrrApplyService.name);
  private readonly queue: ApplyQueue;

  constructor(
    private readonly dataSource: DataSource,
    private readonly hostConfig: HostConfigService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.queue = new ApplyQueue(config.apply.maxConcurrentHosts);
  }

  /**
   * Closes the rows this instance left open when it stopped in the middle of an apply (a crash, a
   * kill, a shutdown that did not wait): they would otherwise show as running forever. Applies
   * run in admin processes only; a frr-server process (which has this service through
   * FrrConfigModule) must not close the rows of an admin process that shares its RB_INSTANCE_ID.
   */
  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.roles.has('admin')) return;
    const interrupted = await markInterruptedApplies(this.dataSource.manager, this.config.instanceId);
    if (interrupted > 0) this.logger.warn(`${interrupted} apply(s) of this instance were interrupted by its last stop: marked interrupted`);
  }

  /**
   * Applies (or dry-runs) the host's rendered config and returns the record. Refused before
   * anything is recorded (409) when no client key is configured or the host has no pinned key;
   * 404 and 422 (inventory cannot be rendered) come from HostConfigService.
   */
  async apply(hostId: number, request: ApplyRequest): Promise<FrrApplyEntity> {
    const host = await this.findHost(hostId);
    if (!host.sshHostKey) {
      throw new ConflictException({
        statusCode: 409,
        error: 'Conflict',
        message: `host ${host.name} has no pinned SSH host key: pin the host key first (PATCH /api/v1/hosts/${host.id} {"sshHostKey": "ssh-ed25519 AAAA…"})`,
      });
    }
    const privateKey = await this.privateKey();
    return this.queue.run(String(hostId), () => this.run(hostId, request, privateKey));
  }

  async list(hostId: number, limit = 100, offset = 0): Promise<FrrApplyEntity[]> {
    await this.findHost(hostId);
    return this.dataSource.getRepository(FrrApplyEntity).find({ where: { hostId }, order: { id: 'DESC' }, take: limit, skip: offset });
  }

  async get(id: number): Promise<FrrApplyEntity> {
    const row = await this.dataSource.getRepository(FrrApplyEntity).findOneBy({ id });
    if (!row) throw new NotFoundException({ statusCode: 404, error: 'Not Found', message: `apply ${id} does not exist` });
    return row;
  }

  private async findHost(hostId: number): Promise<HostEntity> {
    const host = await this.dataSource.getRepository(HostEntity).findOneBy({ id: hostId });
    if (!host) throw new NotFoundException({ statusCode: 404, error: 'Not Found', message: `host ${hostId} does not exist` });
    return host;
  }

  private async privateKey(): Promise<Buffer> {
    const file = this.config.apply.sshPrivateKeyFile;
    if (file === null) {
      throw new ConflictException({
        statusCode: 409,
        error: 'Conflict',
        message: 'route-broker cannot apply configuration: RB_SSH_PRIVATE_KEY_FILE (the SSH key it logs in to hosts with) is not set',
      });
    }
    try {
      return await readFile(file);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'error';
      throw new ConflictException({
        statusCode: 409,
        error: 'Conflict',
        message: `route-broker cannot apply configuration: RB_SSH_PRIVATE_KEY_FILE ${JSON.stringify(file)} cannot be read (${code})`,
      });
    }
  }

  /** One apply, inside the queue: the host is re-read and rendered now, when its turn has come. */
  private async run(hostId: number, request: ApplyRequest, privateKey: Buffer): Promise<FrrApplyEntity> {
    const host = await this.findHost(hostId);
    const rendered = await this.hostConfig.render(hostId);
    const repository = this.dataSource.getRepository(FrrApplyEntity);
    const started = Date.now();
    // The record and its audit entry in one transaction: an apply is never run unaccounted for.
    const record = await this.dataSource.transaction(async (manager) => {
      const saved = await manager.save(
        manager.create(FrrApplyEntity, {
          hostId,
          requestedBy: request.actor.name,
          requestId: request.actor.requestId,
          instanceId: this.config.instanceId,
          dryRun: request.dryRun,
          startedAt: new Date(started),
          steps: [],
        }),
      );
      await recordAudit(manager, request.actor, {
        action: request.dryRun ? 'frr.dry-run' : 'frr.apply',
        entityType: 'host',
        entityId: hostId,
        after: { applyId: saved.id, hostName: host.name, dryRun: request.dryRun },
      });
      return saved;
    });

    const outcome = await this.connectAndApply(host, rendered, request.dryRun, privateKey);

    const durationMs = Date.now() - started;
    record.finishedAt = new Date();
    record.result = outcome.result;
    record.durationMs = durationMs;
    record.renderedDiff = outcome.diff === undefined ? null : redactSecrets(outcome.diff);
    record.steps = outcome.steps;
    record.error = outcome.reason ?? null;
    await repository.save(record);

    applyDuration.observe({ result: outcome.result }, durationMs / 1000);
    applyTotal.inc({ result: outcome.result });
    if (outcome.rolledBack) rollbacksTotal.inc();
    this.logger.log(
      `apply ${record.id} on host ${host.name}: ${outcome.result} in ${durationMs} ms` + (record.error ? ` (${record.error})` : ''),
    );
    return record;
  }

  /** Never throws: a failure to connect (wrong host key included) is a `failed` outcome with a `connect` step. */
  private async connectAndApply(host: HostEntity, rendered: HostRendering, dryRun: boolean, privateKey: Buffer): Promise<Outcome> {
    const { frrConf } = rendered;
    const { apply } = this.config;
    const connectStarted = Date.now();
    let ssh: HostSsh;
    try {
      ssh = await connectToHost({
        address: host.managementAddress,
        port: host.sshPort,
        username: host.sshUser,
        privateKey,
        pinnedHostKey: host.sshHostKey ?? '',
        connectTimeoutMs: apply.sshConnectTimeoutMs,
        commandTimeoutMs: apply.sshCommandTimeoutMs,
      });
    } catch (error) {
      const message = redactSecrets(error instanceof Error ? error.message : String(error));
      const step: StoredApplyStep = {
        step: 'connect',
        command: `ssh -p ${host.sshPort} ${host.sshUser}@${host.managementAddress}`,
        exitCode: -1,
        output: sanitizeOutput(message),
        durationMs: Date.now() - connectStarted,
      };
      return { result: 'failed', rolledBack: false, steps: [step], reason: message };
    }
    const settings: FrrHostSettings = {
      vtysh: host.vtyshCommand,
      reloadCommand: host.frrReloadCommand,
      daemon: APPLIED_DAEMON,
      stagingDir: apply.stagingDir,
    };
    try {
      return await applyFrrConfig(ssh, settings, frrConf, {
        dryRun,
        verifySessions: renderedNeighbors(frrConf).map((peer) => ({ peer })),
        establishTimeoutMs: apply.establishTimeoutMs,
        commandTimeoutMs: apply.sshCommandTimeoutMs,
        // frr-reload --daemon does not save; without this the config would not survive a bgpd restart.
        persist: true,
        ...(host.tunnelProvisioning === 'managed'
          ? {
              tunnels: {
                script: rendered.greSetup,
                tunnels: rendered.tunnels,
                interfacesCommand: interfacesCommand(host.vtyshCommand),
                runScript: (quotedPath: string) => tunnelScriptCommand(host.vtyshCommand, quotedPath),
              },
            }
          : {}),
      });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return { result: 'failed', rolledBack: false, steps: [], reason: redactSecrets(`unexpected error: ${message}`) };
    } finally {
      ssh.close();
    }
  }
}
