/** The one entry point: `node dist/main.js`. RB_ROLES chooses what this process runs. */
import { setFlagsFromString } from 'node:v8';
import { createServer, type RequestListener } from 'node:http';
import { ConsoleLogger, Logger } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import { ConfigError, loadConfig, type AppConfig } from './common/config/config.js';
import { createApp } from './bootstrap.js';
import { StartupProgress, startupGate } from './common/http/startup-progress.js';
import { heapGrowthFlag } from './common/runtime/heap-growth.js';

// Before the heap holds anything: V8 reads the factor at each full collection.
const heapFlag = heapGrowthFlag(process.execArgv, process.env.NODE_OPTIONS);
if (heapFlag) setFlagsFromString(heapFlag);

async function main(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`route-broker: ${error.message}\nSee docs/configuration.md.`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
  // JSON lines from the first one, as the application's logger writes them once it exists.
  const quiet = ['fatal', 'error', 'warn'].includes(config.logLevel);
  Logger.overrideLogger(
    new ConsoleLogger({ json: true, logLevels: quiet ? ['warn', 'error', 'fatal'] : ['log', 'warn', 'error', 'fatal'] }),
  );
  const logger = new Logger('main');
  // Listening comes first: /health answers while the database, the migrations, Kafka and the
  // roles' consumers start (a probe must not restart a process that is busy starting), and
  // /health/ready says which step it is in until the application takes over the same server.
  const progress = new StartupProgress();
  const httpAdapter = new ExpressAdapter();
  const express = httpAdapter.getInstance<RequestListener & { use(handler: ReturnType<typeof startupGate>): void }>();
  express.use(startupGate(progress));
  const server = createServer(express);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.http.port, config.http.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  logger.log(`route-broker listening on ${config.http.host}:${config.http.port} (starting: /health answers, /health/ready once started)`);
  const enter = (stage: string) => {
    const took = progress.enter(stage);
    logger.log(`start-up: ${stage} (previous step took ${took} ms)`);
  };
  const reminder = setInterval(() => {
    const { stage, stageSeconds } = progress.report();
    logger.log(`start-up: still ${stage} after ${stageSeconds} s`);
  }, 10000).unref();

  enter('connecting to MySQL and running the migrations');
  const app = await createApp(config, { httpAdapter, progress });
  // The application serves (and on close, closes) the server that already listens.
  httpAdapter.setHttpServer(server);
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      logger.log(`${signal} received: stopping (consumers commit what they processed)`);
      // A stuck shutdown must not hang a deploy: give up after RB_SHUTDOWN_TIMEOUT_MS.
      setTimeout(() => {
        logger.error(`shutdown took longer than ${config.http.shutdownTimeoutMs} ms: exiting anyway`);
        process.exit(1);
      }, config.http.shutdownTimeoutMs).unref();
      app.close().then(
        () => {
          logger.log('stopped cleanly');
          process.exit(0);
        },
        (error: unknown) => {
          logger.error(`shutdown failed: ${String(error)}`);
          process.exit(1);
        },
      );
    });
  }
  enter(`connecting to Kafka and starting the roles (${[...config.roles].join(', ')})`);
  await app.init();
  clearInterval(reminder);
  logger.log(`route-broker started with roles ${[...config.roles].join(', ')} in ${Math.round(process.uptime() * 1000)} ms`);
}

main().catch((error: unknown) => {
  console.error('route-broker: failed to start:', error);
  process.exit(1);
});
