/**
 * Builds a host's desired FRR state from the inventory and renders it. The database is read
 * here; rendering and validation are the pure functions beside this file.
 */
import { Inject, Injectable, NotFoundException, UnprocessableEntityException } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { APP_CONFIG } from '../../common/config/config.module.js';
import type { AppConfig } from '../../common/config/config.js';
import { BgpSessionEntity, GreTunnelEntity, HostEntity, type TunnelProvisioning } from '../../common/inventory/inventory.entities.js';
import { configEntries, missingEntries } from '../apply/frr-config-text.js';
import { desiredStateFromInventory } from './desired-state.js';
import { renderHostConfig, type RenderedHostConfig } from './render-frr-config.js';
import { DesiredStateError } from './validate-desired-state.js';

/** MD5 passwords never leave route-broker in API output, logs or history. */
export function redactPasswords(config: string): string {
  return config.replace(/^(\s*neighbor \S+ password )\S+$/gm, '$1<redacted>');
}

/** A host's rendered configuration and who runs its GRE setup (an apply does when `managed`). */
export interface HostRendering extends RenderedHostConfig {
  tunnelProvisioning: TunnelProvisioning;
}

/** Context-qualified config entries (`router bgp 64512 › neighbor … activate`) a change adds and removes. */
export interface ConfigChange {
  add: string[];
  remove: string[];
}

@Injectable()
export class HostConfigService {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** `manager`: read the inventory inside that transaction (a what-if sees its own uncommitted change). */
  async render(hostId: number, manager: EntityManager = this.dataSource.manager): Promise<HostRendering> {
    const host = await manager.getRepository(HostEntity).findOneBy({ id: hostId });
    if (!host) throw new NotFoundException({ statusCode: 404, error: 'Not Found', message: `host ${hostId} does not exist` });
    const tunnels = await manager.getRepository(GreTunnelEntity).find({ where: { hostId }, relations: { pe: true }, order: { id: 'ASC' } });
    // An empty `where` list would match every session: a host without tunnels has none.
    const sessions =
      tunnels.length === 0
        ? []
        : await manager.getRepository(BgpSessionEntity).find({
            where: tunnels.map((tunnel) => ({ tunnelId: tunnel.id })),
            relations: { hostedVpc: true },
            order: { id: 'ASC' },
          });
    const { bmp } = this.config;
    const state = desiredStateFromInventory(
      host,
      tunnels.map((tunnel) => ({
        tunnel,
        pe: tunnel.pe!,
        sessions: sessions
          .filter((session) => session.tunnelId === tunnel.id)
          .map((session) => ({ session, hostedVpc: session.hostedVpc! })),
      })),
      {
        bmp: bmp.connectAddress
          ? { name: 'route-broker', address: bmp.connectAddress, port: bmp.port, minRetryMs: 1000, maxRetryMs: 10000 }
          : null,
        platform: this.config.policy,
      },
    );
    try {
      return { ...renderHostConfig(state), tunnelProvisioning: host.tunnelProvisioning };
    } catch (error) {
      if (!(error instanceof DesiredStateError)) throw error;
      throw new UnprocessableEntityException({
        statusCode: 422,
        error: 'Unprocessable Entity',
        message: `host ${host.name} cannot be rendered: ${error.problems.length} problem(s) in its inventory`,
        problems: error.problems,
      });
    }
  }

  /**
   * The entries of the host's rendered config that an uncommitted change would add and remove: the
   * config as committed (read on another connection) against the config as `manager`'s transaction
   * sees it. A what-if shows an operator these lines before the change is made. MD5 passwords are
   * redacted on both sides: they never leave route-broker (a changed password shows no line).
   */
  async configChange(hostId: number, manager: EntityManager): Promise<ConfigChange> {
    const current = configEntries(redactPasswords((await this.render(hostId)).frrConf));
    const candidate = configEntries(redactPasswords((await this.render(hostId, manager)).frrConf));
    return { add: missingEntries(candidate, current), remove: missingEntries(current, candidate) };
  }
}
