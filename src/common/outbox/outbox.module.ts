import { Module, type DynamicModule, type Type } from '@nestjs/common';
import { OUTBOX_EXPANSIONS, OutboxRelay, type OutboxExpansion } from './outbox-relay.js';

/**
 * One outbox relay per process, for every feature that enqueues (BRM, admin; a process with
 * neither role has none). The root module names the expansions and the modules that provide them:
 * common/ imports no feature.
 */
@Module({})
export class OutboxModule {
  static forRoot(options: { imports: Type[]; expansions: Type<OutboxExpansion>[] }): DynamicModule {
    return {
      module: OutboxModule,
      global: true,
      imports: options.imports,
      providers: [
        { provide: OUTBOX_EXPANSIONS, useFactory: (...expansions: OutboxExpansion[]) => expansions, inject: options.expansions },
        OutboxRelay,
      ],
      exports: [OutboxRelay],
    };
  }
}
