/**
 * Every collector instance hears BRM's requests for fresh dumps (route-broker.collector-control.v1,
 * see src/common/events/collector-events.ts): its own consumer group, fixed at the topic's end when
 * it starts, in the background (joining takes seconds and the BMP listener does not wait for it).
 */
import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { Counter } from 'prom-client';
import { APP_CONFIG } from '../../common/config/config.module.js';
import type { AppConfig } from '../../common/config/config.js';
import { checkRedumpRequested, type RedumpRequestedData } from '../../common/events/collector-events.js';
import { KafkaGateway } from '../../common/kafka/kafka.gateway.js';
import { TOPICS } from '../../common/kafka/topics.js';
import { metricsRegistry } from '../../common/metrics.js';
import { BmpCollectorService } from './bmp-collector.service.js';
import { retryUntilDone } from '../../common/runtime/retry-until-done.js';
import { settledWithin, START_WAIT_AT_SHUTDOWN_MS } from '../../common/runtime/settled-within.js';

const bmpRedumps = new Counter({
  name: 'route_broker_bmp_redumps_total',
  help: "Times this collector closed its routers' BMP connections so that they send their tables again (BRM found a route-events partition that lost events)",
  registers: [metricsRegistry],
});

@Injectable()
export class CollectorControlService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('BmpCollector');
  private stopped = false;
  private following: Promise<void> = Promise.resolve();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly kafka: KafkaGateway,
    private readonly collector: BmpCollectorService,
  ) {}

  onApplicationBootstrap(): void {
    this.following = this.follow();
  }

  /**
   * Before Kafka's clients close: a consumer still joining its group finishes first (kafkajs cannot
   * stop a join), for a few seconds at most: a start that never ends (seen after a crash in the
   * join while the group coordinator was loading) must not hold the shutdown; the gateway then
   * stops the consumer regardless.
   */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (!(await settledWithin(this.following, START_WAIT_AT_SHUTDOWN_MS)))
      this.logger.error(
        `shutdown: the dump-request consumer was still starting after ${START_WAIT_AT_SHUTDOWN_MS} ms; stopping regardless`,
      );
  }

  private async follow(): Promise<void> {
    const groupId = `route-broker.collector-control.${this.config.instanceId}.${randomUUID().slice(0, 8)}`;
    await retryUntilDone(
      async () => {
        await this.kafka.startConsumer({
          groupId,
          topics: [TOPICS.collectorControl.name],
          fromBeginning: false,
          fromNow: true,
          check: (incoming) => checkRedumpRequested(incoming.event.type, incoming.event.data),
          // One dump answers every request of a batch (BRM asks once per partition it found lost).
          handleBatch: (events) => {
            this.redump(events.map((incoming) => incoming.checked));
            return Promise.resolve();
          },
        });
      },
      () => !this.stopped && !this.kafka.closed,
      (error, attempt, delayMs) =>
        this.logger.error(`cannot follow dump requests yet (${error.message}); attempt ${attempt}, retrying in ${delayMs} ms`),
    );
  }

  private redump(requests: readonly RedumpRequestedData[]): void {
    // Each partition's reason once: several BRM instances (or retries) may ask for the same one.
    const why = [...new Set(requests.map((request) => `${request.topic} partition ${request.partition}: ${request.detail}`))].join('; ');
    const closed = this.collector.closeAllForRedump();
    bmpRedumps.inc();
    this.logger.warn(`closed ${closed} BMP connection(s) so that the routers send their tables again, as BRM asked (${why})`);
  }
}
