import { Logger, Module, type OnModuleInit } from '@nestjs/common';

/** Hosted route manager (issue #6). Not built yet: the role starts, says so, and does nothing else. */
@Module({})
export class HrmModule implements OnModuleInit {
  onModuleInit(): void {
    new Logger('hrm').warn('hrm role: UXR subscriptions are not implemented yet (issue #6)');
  }
}
