import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { createApp } from '../../../src/bootstrap.js';
import { OPERATOR_TOKEN, READ_TOKEN, resetDatabase, testConfig } from './environment.js';

/** The real application on a fresh test database (migrations run at start-up) and the real Kafka. */
export async function startTestApp(overrides: Record<string, string> = {}): Promise<INestApplication> {
  await resetDatabase();
  const app = await createApp(testConfig({ RB_ROLES: 'admin', ...overrides }));
  await app.init();
  return app;
}

/** The application again on the same database (a restart: nothing is reset). */
export async function restartTestApp(overrides: Record<string, string> = {}): Promise<INestApplication> {
  const app = await createApp(testConfig({ RB_ROLES: 'admin', ...overrides }));
  await app.init();
  return app;
}

export function api(app: INestApplication) {
  const server = app.getHttpServer();
  const as = (token: string) => ({
    get: (path: string) => request(server).get(`/api/v1${path}`).set('Authorization', `Bearer ${token}`),
    post: (path: string, body: object) => request(server).post(`/api/v1${path}`).set('Authorization', `Bearer ${token}`).send(body),
    patch: (path: string, body: object) => request(server).patch(`/api/v1${path}`).set('Authorization', `Bearer ${token}`).send(body),
    delete: (path: string) => request(server).delete(`/api/v1${path}`).set('Authorization', `Bearer ${token}`),
  });
  return { operator: as(OPERATOR_TOKEN), reader: as(READ_TOKEN), anonymous: request(server) };
}
