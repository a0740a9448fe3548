import { Logger, Module, type OnModuleInit } from '@nestjs/common';

/**
 * The FRR adapter: BMP collector (issue #3) and configuration applier (issue #4).
 * Not built yet: the role starts, says so, and does nothing else.
 */
@Module({})
export class FrrServerModule implements OnModuleInit {
  onModuleInit(): void {
    new Logger('frr-server').warn('frr-server role: BMP collector and config applier are not implemented yet (issues #3, #4)');
  }
}
