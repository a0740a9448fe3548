import { Global, Module } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { KafkaGateway } from './kafka.gateway.js';

@Global()
@Module({
  providers: [
    {
      provide: KafkaGateway,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => new KafkaGateway({ ...config.kafka, instanceId: config.instanceId }),
    },
  ],
  exports: [KafkaGateway],
})
export class KafkaModule {}
