/**
 * An apply cut short by the process stopping (crash, kill) leaves its history row without a result;
 * when the same instance starts again it marks its own such rows `interrupted`, with what to do
 * next, and leaves other instances' rows alone (they may still be running). Real MariaDB.
 */
import type { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { createApp } from '../../src/bootstrap.js';
import { dataSourceOptions } from '../../src/common/database/data-source-options.js';
import { api, startTestApp } from './support/app.js';
import { testConfig } from './support/environment.js';

describe('applies interrupted by a stop', () => {
  let db: DataSource;
  let app: INestApplication | null = null;

  afterAll(async () => {
    await app?.close();
    await db?.destroy();
  });

  it('are marked interrupted when their instance starts again; other instances’ open applies are left alone', async () => {
    const first = await startTestApp({ RB_ROLES: 'admin', RB_INSTANCE_ID: 'apply-node-a' });
    const http = api(first);
    const regionId = (await http.operator.post('/regions', { code: 'cn-gd' }).expect(201)).body.id;
    const hostId = (
      await http.operator
        .post('/hosts', {
          name: 'hv-interrupted',
          regionId,
          zone: 'a',
          managementAddress: '127.0.0.1',
          underlayAddress: '192.0.2.21',
          routerId: '192.0.2.21',
          asn: 64512,
        })
        .expect(201)
    ).body.id;
    await first.close();

    db = await new DataSource(dataSourceOptions(testConfig().database)).initialize();
    // As a process killed in the middle of two applies (its own and another instance's) leaves them.
    for (const instance of ['apply-node-a', 'apply-node-b']) {
      await db.query(
        `INSERT INTO frr_applies (host_id, requested_by, instance_id, dry_run, started_at, steps) VALUES (?, 'operator', ?, 0, NOW(3), '[]')`,
        [hostId, instance],
      );
    }

    app = await createApp(testConfig({ RB_ROLES: 'admin', RB_INSTANCE_ID: 'apply-node-a' }));
    await app.init();
    const applies = (await api(app).reader.get(`/hosts/${hostId}/applies`).expect(200)).body as {
      result: string | null;
      error: string | null;
      finishedAt: string | null;
    }[];
    expect(applies).toHaveLength(2);
    const [other, own] = applies; // newest first
    expect(own).toMatchObject({ result: 'interrupted', finishedAt: expect.any(String) });
    expect(own!.error).toContain(`route-broker instance apply-node-a stopped during this apply`);
    expect(own!.error).toContain(`/api/v1/hosts/${hostId}/drift`);
    expect(other).toMatchObject({ result: null, finishedAt: null });
  });
});
