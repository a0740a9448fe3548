import { Logger, Module, type OnModuleInit } from '@nestjs/common';

/** BGP route manager (issue #5). Not built yet: the role starts, says so, and does nothing else. */
@Module({})
export class BrmModule implements OnModuleInit {
  onModuleInit(): void {
    new Logger('brm').warn('brm role: the hosted VPC route table is not implemented yet (issue #5)');
  }
}
