import { Inject, Injectable, Module, type DynamicModule, type OnApplicationBootstrap, type Type } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LoggerModule } from 'nestjs-pino';
import { AdminModule } from './admin/admin.module.js';
import { BrmModule } from './brm/brm.module.js';
import type { AppConfig, Role } from './common/config/config.js';
import { ConfigModule } from './common/config/config.module.js';
import { DatabaseModule } from './common/database/database.module.js';
import { BearerAuthGuard } from './common/http/auth.guard.js';
import { AuthModule } from './common/http/auth.module.js';
import { principalOf } from './common/http/principal.js';
import { HealthController } from './common/http/health.controller.js';
import { StartupProgress } from './common/http/startup-progress.js';
import { HttpMetricsInterceptor } from './common/http/http-metrics.interceptor.js';
import { MetricsController } from './common/http/metrics.controller.js';
import { KafkaModule } from './common/kafka/kafka.module.js';
import { OutboxModule } from './common/outbox/outbox.module.js';
import { RouteTableNotifications } from './brm/route-table-notifications.service.js';
import { RouteTableNotificationsModule } from './brm/route-table-notifications.module.js';
import { FrrServerModule } from './frr-server/frr-server.module.js';
import { HrmModule } from './hrm/hrm.module.js';

const ROLE_MODULES: Record<Role, Type> = {
  'frr-server': FrrServerModule,
  brm: BrmModule,
  hrm: HrmModule,
  admin: AdminModule,
};

/** Marks the start-up finished: the root module's hooks run after every role's (Nest calls the deepest modules first). */
@Injectable()
class StartupCompletion implements OnApplicationBootstrap {
  constructor(@Inject(StartupProgress) private readonly progress: StartupProgress) {}

  onApplicationBootstrap(): void {
    this.progress.finish();
  }
}

/** Every process serves /health and /metrics; the roles in RB_ROLES decide what else runs. */
@Module({})
export class AppModule {
  /** `progress`: main.ts's, which its start-up gate showed until now; tests start without one. */
  static forRoot(config: AppConfig, progress?: StartupProgress): DynamicModule {
    const startup = progress ?? new StartupProgress();
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot({
          pinoHttp: {
            level: config.logLevel,
            base: { instance: config.instanceId },
            // Honour a caller's request id so one request can be followed across services.
            genReqId: (request: IncomingMessage, response: ServerResponse) => {
              const given = request.headers['x-request-id'];
              const id = typeof given === 'string' && /^[\w.:-]{1,128}$/.test(given) ? given : randomUUID();
              response.setHeader('X-Request-Id', id);
              return id;
            },
            // The token's name on the request's log line ("request completed"), as the audit trail records it.
            customProps: (request: IncomingMessage) => {
              const principal = principalOf(request);
              return principal ? { actor: principal.name } : {};
            },
            redact: {
              paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]', '*.md5Password'],
              censor: '[redacted]',
            },
            autoLogging: {
              ignore: (request) => request.url === '/health' || request.url === '/health/ready' || request.url === '/metrics',
            },
          },
        }),
        AuthModule.forRoot(config.auth.tokens),
        DatabaseModule,
        KafkaModule,
        // Only the roles that enqueue (BRM, admin) run a relay.
        ...(config.roles.has('brm') || config.roles.has('admin')
          ? [OutboxModule.forRoot({ imports: [RouteTableNotificationsModule], expansions: [RouteTableNotifications] })]
          : []),
        TerminusModule,
        ...[...config.roles].map((role) => ROLE_MODULES[role]),
      ],
      controllers: [HealthController, MetricsController],
      providers: [
        { provide: StartupProgress, useValue: startup },
        StartupCompletion,
        { provide: APP_GUARD, useClass: BearerAuthGuard },
        { provide: APP_INTERCEPTOR, useClass: HttpMetricsInterceptor },
      ],
    };
  }
}
