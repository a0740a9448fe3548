import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { ExpressAdapter } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module.js';
import type { AppConfig } from './common/config/config.js';
import { ApiTokens } from './common/http/api-tokens.js';
import type { StartupProgress } from './common/http/startup-progress.js';
import { createValidationPipe } from './common/http/validation.js';

export const API_PREFIX = 'api/v1';

export interface AppStart {
  /** main.ts's HTTP adapter, whose server already listens behind the start-up gate. */
  httpAdapter: ExpressAdapter;
  progress: StartupProgress;
}

/** Builds the application (without listening), as main.ts and the tests both need it. */
export async function createApp(config: AppConfig, start?: AppStart): Promise<INestApplication> {
  const module = AppModule.forRoot(config, start?.progress);
  const app = start
    ? await NestFactory.create(module, start.httpAdapter, { bufferLogs: true })
    : await NestFactory.create(module, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  // From here on straight to pino: what the roles log while they start is seen while they start.
  app.flushLogs();
  app.setGlobalPrefix(API_PREFIX, { exclude: ['health', 'health/ready', 'metrics', 'console', 'console/{*path}'] });
  app.useGlobalPipes(createValidationPipe());
  if (config.roles.has('admin')) mountOpenApi(app, app.get(ApiTokens));
  return app;
}

/** OpenAPI at /docs (UI) and /docs-json; like the API itself, not for anonymous callers. */
function mountOpenApi(app: INestApplication, tokens: ApiTokens): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('route-broker admin API')
      .setDescription('Inventory of regions, hypervisor hosts, PEs, GRE tunnels, BGP sessions and hosted VPCs.')
      .setVersion('v1')
      .addBearerAuth()
      .build(),
  );
  app.use(['/docs', '/docs-json'], (request: Request, response: Response, next: NextFunction) => {
    if (tokens.principalOf(request.headers.authorization) !== null) return next();
    response.status(401).json({ statusCode: 401, error: 'Unauthorized', message: 'a valid bearer token is required' });
  });
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}
