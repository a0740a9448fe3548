/**
 * `npm run migrate -- up|down|show`: runs the TypeORM migrations against RB_DB_* without
 * starting the application. `down` reverts the newest migration only.
 */
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { ConfigError, loadConfig } from '../config/config.js';
import { dataSourceOptions } from './data-source-options.js';

async function main(command: string | undefined): Promise<number> {
  if (command !== 'up' && command !== 'down' && command !== 'show') {
    console.error('usage: migrate up|down|show');
    return 2;
  }
  const config = loadConfig({ ...process.env, RB_ROLES: process.env.RB_ROLES ?? 'brm' });
  const dataSource = await new DataSource(dataSourceOptions(config.database)).initialize();
  try {
    if (command === 'up') {
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      console.log(applied.length === 0 ? 'migrations: nothing to apply' : `migrations applied: ${applied.map((m) => m.name).join(', ')}`);
    } else if (command === 'down') {
      await dataSource.undoLastMigration({ transaction: 'each' });
      console.log('migrations: reverted the newest one');
    } else {
      const pending = await dataSource.showMigrations();
      console.log(pending ? 'migrations: some are pending' : 'migrations: up to date');
    }
  } finally {
    await dataSource.destroy();
  }
  return 0;
}

main(process.argv[2]).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof ConfigError ? error.message : error);
    process.exit(1);
  },
);
