import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { DataSource } from 'typeorm';
import { probeDatabase } from '../database/database-probe.store.js';
import { KafkaGateway } from '../kafka/kafka.gateway.js';
import { Public } from './auth.guard.js';
import { StartupProgress } from './startup-progress.js';

/**
 * Liveness and readiness. While the process starts, main.ts's start-up gate answers both (the
 * application is not there yet); these handlers answer once it runs.
 */
@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly dataSource: DataSource,
    private readonly kafka: KafkaGateway,
    @Inject(StartupProgress) private readonly progress: StartupProgress,
  ) {}

  @Get()
  @Public()
  @ApiOperation({ summary: 'Liveness (no token): 200 while the process runs, at once, whatever it is still starting or waiting for' })
  live() {
    return { status: 'ok', ...this.progress.report() };
  }

  @Get('ready')
  @Public()
  @HealthCheck()
  @ApiOperation({ summary: 'Readiness (no token): started, database and Kafka reachable; 503 naming what is not' })
  ready() {
    return this.health.check([
      () =>
        this.indicators
          .check('database')
          .attempt(async () => {
            await probeDatabase(this.dataSource.manager);
          })
          .withTimeout(2000),
      () =>
        this.indicators
          .check('kafka')
          .attempt(async () => this.kafka.ping(2000))
          .withTimeout(2500),
    ]);
  }
}
