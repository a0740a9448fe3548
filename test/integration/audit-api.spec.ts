/**
 * The audit trail end to end (issue #22 item 4): named tokens, a record per write in the write's
 * own transaction (secrets redacted), GET /api/v1/audit with its filters and keyset pages, and
 * the apply and drift-check records naming the token. Apply and drift run against a host whose
 * SSH port refuses connections: the recording path is the same as against a real host
 * (apply-api.spec.ts and frr-drift.spec.ts cover the SSH side).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { DataSource } from 'typeorm';
import type { AuditRecordView } from '../../src/admin/audit.controller.js';
import { AuditRetention } from '../../src/admin/audit-retention.service.js';
import { dataSourceOptions } from '../../src/common/database/data-source-options.js';
import { startTestApp } from './support/app.js';
import { testConfig } from './support/environment.js';

const ALICE = 'alice-operator-token-0123456789';
const BARE_OPERATOR = 'bare-operator-token-0123456789';
const GRAFANA = 'grafana-read-token-0123456789';
const SUBSCRIPTION_SECRET = 'whsec-Do-Not-Store-0123456789';
const MD5 = 'md5-Do-Not-Store!';

/** What GET /audit returns, with before/after as the objects these tests look into. */
type AuditRecord = Omit<AuditRecordView, 'before' | 'after'> & {
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
};

describe('audit trail', () => {
  let app: INestApplication;
  let database: DataSource;
  let keyDir: string;
  let regionId: number;
  let vpcId: number;
  let hostId: number;

  const as = (token: string) => {
    const server = app.getHttpServer();
    const auth = (test: request.Test) => test.set('Authorization', `Bearer ${token}`);
    return {
      get: (path: string) => auth(request(server).get(`/api/v1${path}`)),
      post: (path: string, body: object) => auth(request(server).post(`/api/v1${path}`)).send(body),
      patch: (path: string, body: object) => auth(request(server).patch(`/api/v1${path}`)).send(body),
      delete: (path: string) => auth(request(server).delete(`/api/v1${path}`)),
    };
  };
  const alice = () => as(ALICE);
  const reader = () => as(GRAFANA);
  const audit = async (query = ''): Promise<AuditRecord[]> => (await reader().get(`/audit${query}`).expect(200)).body as AuditRecord[];
  const recordCount = async (): Promise<number> => Number((await database.query('SELECT COUNT(*) AS n FROM audit_records'))[0].n);

  beforeAll(async () => {
    keyDir = mkdtempSync(join(tmpdir(), 'rb-audit-'));
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'audit', '-f', join(keyDir, 'id_ed25519')]);
    app = await startTestApp({
      RB_API_OPERATOR_TOKENS: `alice:${ALICE},${BARE_OPERATOR}`,
      RB_API_READ_TOKENS: `grafana:${GRAFANA}`,
      RB_SSH_PRIVATE_KEY_FILE: join(keyDir, 'id_ed25519'),
      RB_SSH_CONNECT_TIMEOUT_MS: '2000',
    });
    database = await new DataSource(dataSourceOptions(testConfig().database)).initialize();
  });
  afterAll(async () => {
    await database?.destroy();
    await app?.close();
    rmSync(keyDir, { recursive: true, force: true });
  });

  it('records a write with the token name, role and request id (sent and echoed)', async () => {
    const response = await alice()
      .post('/regions', { code: 'cn-gd', description: 'Guangzhou' })
      .set('X-Request-Id', 'audit-test.1')
      .expect(201);
    regionId = response.body.id;
    expect(response.headers['x-request-id']).toBe('audit-test.1');
    const [record] = await audit('?actor=alice');
    expect(record).toMatchObject({
      actor: 'alice',
      role: 'operator',
      requestId: 'audit-test.1',
      action: 'region.create',
      entityType: 'region',
      entityId: String(regionId),
      before: null,
      after: { id: regionId, code: 'cn-gd', description: 'Guangzhou' },
    });
    expect(Date.now() - Date.parse(record!.recordedAt)).toBeLessThan(60_000);
  });

  it('names a bare token <role>-<n> and records before and after of an update', async () => {
    const response = await as(BARE_OPERATOR).patch(`/regions/${regionId}`, { description: 'Canton' }).expect(200);
    const [record] = await audit(`?entityType=region&entityId=${regionId}&limit=1`);
    expect(record).toMatchObject({
      actor: 'operator-2',
      action: 'region.update',
      requestId: response.headers['x-request-id'],
      before: { description: 'Guangzhou' },
      after: { description: 'Canton' },
    });
  });

  it('redacts the BGP session password and the subscription secret', async () => {
    vpcId = (
      await alice()
        .post('/hosted-vpcs', { name: 'acme-vpc', regionId, owner: 'acme', cidrs: ['10.10.0.0/16'] })
        .expect(201)
    ).body.id;
    hostId = (
      await alice()
        .post('/hosts', {
          name: 'hv-audit-1',
          regionId,
          zone: 'cn-gd-a',
          // Nothing listens on port 1: apply and drift fail to connect, and are recorded.
          managementAddress: '127.0.0.1',
          sshPort: 1,
          underlayAddress: '192.0.2.11',
          routerId: '192.0.2.11',
          asn: 64512,
          sshHostKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHx0cGluuedkeyforthetest0000',
        })
        .expect(201)
    ).body.id;
    const peId = (
      await alice().post('/pes', { name: 'acme-pe-1', underlayAddress: '198.51.100.1', asn: 4200000001, owner: 'acme' }).expect(201)
    ).body.id;
    const tunnelId = (
      await alice()
        .post('/gre-tunnels', {
          hostId,
          peId,
          interfaceName: 'gre-acme1',
          tunnelKey: 1001,
          localInnerAddress: '169.254.101.2',
          remoteInnerAddress: '169.254.101.1',
          innerPrefixLength: 30,
        })
        .expect(201)
    ).body.id;
    const sessionId = (
      await alice()
        .post('/bgp-sessions', { tunnelId, hostedVpcId: vpcId, peerAsn: 4200000001, peerAddress: '169.254.101.1', md5Password: MD5 })
        .expect(201)
    ).body.id;
    await alice().patch(`/bgp-sessions/${sessionId}`, { md5Password: null }).expect(200);
    const [update, create] = await audit(`?entityType=bgp-session&entityId=${sessionId}`);
    expect(create).toMatchObject({ action: 'bgp-session.create', after: { md5Password: '[redacted]', peerAsn: 4200000001 } });
    expect(update).toMatchObject({ action: 'bgp-session.update', before: { md5Password: '[redacted]' }, after: { md5Password: null } });

    const subscription = await alice()
      .post('/subscriptions', {
        name: 'uxr-1',
        region: 'cn-gd',
        callbackUrl: 'http://127.0.0.1:9/uxr',
        secret: SUBSCRIPTION_SECRET,
        hostedVpcIds: [vpcId],
      })
      .expect(201);
    await alice()
      .patch(`/subscriptions/${subscription.body.id}`, { secret: `${SUBSCRIPTION_SECRET}-2` })
      .expect(200);
    await alice().post(`/subscriptions/${subscription.body.id}/resync`, {}).expect(202);
    const [resync, changed, created] = await audit(`?entityType=subscription&entityId=${subscription.body.id}`);
    expect(created).toMatchObject({ action: 'subscription.create', before: null, after: { name: 'uxr-1', secret: '[redacted]' } });
    expect(changed).toMatchObject({ action: 'subscription.update', after: { secret: '[redacted]' } });
    expect(changed!.before).not.toHaveProperty('secret');
    expect(resync).toMatchObject({ action: 'subscription.resync', actor: 'alice', after: { id: subscription.body.id } });

    // Neither secret is anywhere in the table, in any form the API or the database gives.
    const raw = JSON.stringify(await database.query('SELECT * FROM audit_records'));
    expect(raw).not.toContain('Do-Not-Store');
  });

  it('records nothing for a refused write', async () => {
    const before = await recordCount();
    await alice().post('/regions', { code: 'Not A Code' }).expect(400);
    await alice().post('/regions', { code: 'cn-gd' }).expect(409);
    await alice().patch('/hosts/424242', { zone: 'x' }).expect(404);
    await alice()
      .post('/subscriptions', {
        name: 'uxr-2',
        region: 'cn-gd',
        callbackUrl: 'http://127.0.0.1:9/uxr',
        secret: SUBSCRIPTION_SECRET,
        hostedVpcIds: [424242],
      })
      .expect(400);
    expect(await recordCount()).toBe(before);
  });

  it('records nothing when the transaction fails after the audit insert (same transaction)', async () => {
    // The outbox row is written after the audit record: refusing it rolls both back with the VPC.
    await database.query(
      "CREATE TRIGGER audit_test_refuse_outbox BEFORE INSERT ON outbox FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'audit test: outbox refused'",
    );
    try {
      const before = await recordCount();
      await alice()
        .post('/hosted-vpcs', { name: 'rolled-back-vpc', regionId, owner: 'acme', cidrs: ['10.20.0.0/16'] })
        .expect(500);
      expect(await recordCount()).toBe(before);
      expect(await database.query("SELECT id FROM hosted_vpcs WHERE name = 'rolled-back-vpc'")).toEqual([]);
    } finally {
      await database.query('DROP TRIGGER audit_test_refuse_outbox');
    }
  });

  it('lets a read token read the trail but not write (403, nothing recorded)', async () => {
    const before = await recordCount();
    const refused = await reader().post('/regions', { code: 'hk' }).expect(403);
    expect(refused.body.message).toContain('operator token is required');
    await reader().post(`/hosts/${hostId}/drift-check`, {}).expect(403);
    expect(await recordCount()).toBe(before);
    expect((await audit('?limit=1')).length).toBe(1);
    await request(app.getHttpServer()).get('/api/v1/audit').expect(401);
  });

  it('records a drift check with who asked and what it found', async () => {
    const check = await alice().post(`/hosts/${hostId}/drift-check`, {}).set('X-Request-Id', 'drift-check.7').expect(200);
    expect(check.body.status).toBe('check-failed');
    const [record] = await audit('?action=drift.check');
    expect(record).toMatchObject({
      actor: 'alice',
      requestId: 'drift-check.7',
      entityType: 'host',
      entityId: String(hostId),
      before: null,
      after: { status: 'check-failed', fingerprint: check.body.fingerprint },
    });
  });

  it('names the token on the apply record and in the trail', async () => {
    const apply = await alice().post(`/hosts/${hostId}/apply`, { dryRun: false }).set('X-Request-Id', 'apply.9').expect(200);
    expect(apply.body).toMatchObject({ result: 'failed', requestedBy: 'alice', requestId: 'apply.9' });
    const [record] = await audit('?action=frr.apply');
    expect(record).toMatchObject({
      actor: 'alice',
      requestId: 'apply.9',
      entityType: 'host',
      entityId: String(hostId),
      after: { applyId: apply.body.id, dryRun: false, hostName: 'hv-audit-1' },
    });
    const dry = await as(BARE_OPERATOR).post(`/hosts/${hostId}/apply`, { dryRun: true }).expect(200);
    expect(dry.body.requestedBy).toBe('operator-2');
    expect((await audit('?actor=operator-2&action=frr.dry-run'))[0]).toMatchObject({ after: { applyId: dry.body.id } });
  });

  it('pages newest first by id and filters by actor, action, entity and time', async () => {
    const all = await audit('?limit=1000');
    expect(all.length).toBeGreaterThan(10);
    const ids = all.map((record) => record.id);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));

    const pages: number[] = [];
    let before = '';
    for (;;) {
      const page = await audit(`?limit=4${before}`);
      if (page.length === 0) break;
      expect(page.length).toBeLessThanOrEqual(4);
      pages.push(...page.map((record) => record.id));
      before = `&before=${page[page.length - 1]!.id}`;
    }
    expect(pages).toEqual(ids);

    expect((await audit('?actor=operator-2')).map((record) => record.action).sort()).toEqual(['frr.dry-run', 'region.update']);
    expect((await audit('?action=region.create')).map((record) => record.entityId)).toEqual([String(regionId)]);
    expect((await audit(`?entityType=host&entityId=${hostId}`)).map((record) => record.action)).toEqual([
      'frr.dry-run',
      'frr.apply',
      'drift.check',
      'host.create',
    ]);
    const oldest = all[all.length - 1]!;
    const newest = all[0]!;
    expect(await audit(`?since=${new Date(Date.parse(newest.recordedAt) + 1).toISOString()}`)).toEqual([]);
    expect(await audit(`?until=${oldest.recordedAt}`)).toEqual([]);
    const window = await audit(`?since=${oldest.recordedAt}&until=${new Date(Date.parse(newest.recordedAt) + 1).toISOString()}&limit=1000`);
    expect(window.map((record) => record.id)).toEqual(ids);
  });

  it.each([
    ['?limit=0', 'limit'],
    ['?limit=1001', 'limit'],
    ['?before=abc', 'before'],
    ['?since=yesterday', 'since'],
    ['?until=2026-13-01T00:00:00Z', 'until'],
    ['?since=2026-05-02T00:00:00Z&until=2026-05-01T00:00:00Z', 'until'],
    ['?actor=Alice', 'actor'],
    ['?colour=red', 'colour'],
  ])('refuses %s with a 400 naming the field', async (query, field) => {
    const response = await reader().get(`/audit${query}`).expect(400);
    expect((response.body.fields as { field: string }[]).map((problem) => problem.field)).toContain(field);
  });
  it('deletes records older than RB_AUDIT_RETENTION_DAYS (400 by default) and keeps the rest', async () => {
    const day = 24 * 3_600_000;
    const insert = (ageDays: number, entityId: string) =>
      database.query(
        `INSERT INTO audit_records (recorded_at, actor, actor_role, action, entity_type, entity_id)
         VALUES (?, 'alice', 'operator', 'region.update', 'region', ?)`,
        [new Date(Date.now() - ageDays * day), entityId],
      );
    await insert(401, 'expired');
    await insert(402, 'expired');
    await insert(399, 'kept');
    const before = await recordCount();
    expect(await app.get(AuditRetention).purge()).toBe(2);
    expect(await recordCount()).toBe(before - 2);
    const left = await database.query<{ entity_id: string }[]>(
      "SELECT entity_id FROM audit_records WHERE entity_id IN ('expired', 'kept')",
    );
    expect(left.map((row) => row.entity_id)).toEqual(['kept']);
    expect(await app.get(AuditRetention).purge()).toBe(0);
    await database.query("DELETE FROM audit_records WHERE entity_id = 'kept'");
  });
});
