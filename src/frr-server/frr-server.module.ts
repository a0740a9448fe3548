import { Logger, Module, type OnModuleInit } from '@nestjs/common';
import { BmpCollectorService } from './collector/bmp-collector.service.js';

/**
 * The FRR adapter: the BMP collector (watch side, issue #3). The configuration applier (issue #4)
 * is not wired yet.
 */
@Module({ providers: [BmpCollectorService], exports: [BmpCollectorService] })
export class FrrServerModule implements OnModuleInit {
  onModuleInit(): void {
    new Logger('frr-server').warn('frr-server role: the configuration applier is not wired yet (issue #4)');
  }
}
