/** The one entry point: `node dist/main.js`. RB_ROLES chooses what this process runs. */
import { setFlagsFromString } from 'node:v8';
import { Logger } from '@nestjs/common';
import { ConfigError, loadConfig, type AppConfig } from './common/config/config.js';
import { createApp } from './bootstrap.js';
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
  const app = await createApp(config);
  const logger = new Logger('main');
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
  await app.listen(config.http.port, config.http.host);
  logger.log(`route-broker listening on ${config.http.host}:${config.http.port} with roles ${[...config.roles].join(', ')}`);
}

main().catch((error: unknown) => {
  console.error('route-broker: failed to start:', error);
  process.exit(1);
});
