/**
 * The inventory API end to end: HTTP → validation → MariaDB, with the real migrations.
 * Every rejected request is also checked to have stored nothing.
 */
import type { INestApplication } from '@nestjs/common';
import { api, startTestApp } from './support/app.js';

describe('inventory API', () => {
  let app: INestApplication;
  let http: ReturnType<typeof api>;
  let regionId: number;
  let otherRegionId: number;
  let hostId: number;
  let peId: number;
  let vpcId: number;
  let tunnelId: number;

  const count = async (path: string): Promise<number> => ((await http.reader.get(path).expect(200)).body as unknown[]).length;

  /** A 400 that names the field, and nothing stored. */
  async function refused(path: string, body: object, field: string, status = 400): Promise<string[]> {
    const before = await count(path);
    const response = await http.operator.post(path, body).expect(status);
    const messages = ([] as string[]).concat(response.body.message);
    expect(messages.join('\n')).toContain(field);
    expect(await count(path)).toBe(before);
    return messages;
  }

  beforeAll(async () => {
    app = await startTestApp();
    http = api(app);
  });
  afterAll(async () => app.close());

  describe('authentication', () => {
    it('serves /health without a token', async () => {
      const response = await http.anonymous.get('/health').expect(200);
      expect(response.body).toMatchObject({ status: 'ok', info: { database: { status: 'up' }, kafka: { status: 'up' } } });
    });

    it('refuses anonymous and unknown tokens with 401 everywhere else', async () => {
      for (const path of ['/api/v1/hosts', '/metrics', '/docs-json']) {
        await http.anonymous.get(path).expect(401);
        await http.anonymous.get(path).set('Authorization', 'Bearer not-a-known-token-000').expect(401);
      }
    });

    it('lets a read token read but not write (403)', async () => {
      await http.reader.get('/regions').expect(200);
      const response = await http.reader.post('/regions', { code: 'cn-gd' }).expect(403);
      expect(response.body.message).toContain('operator token is required');
      expect(await count('/regions')).toBe(0);
    });

    it('gives every response a request id, keeping a sane one from the caller', async () => {
      const fresh = await http.reader.get('/regions').expect(200);
      expect(fresh.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      const given = await http.reader.get('/regions').set('X-Request-Id', 'incident-42.step-1').expect(200);
      expect(given.headers['x-request-id']).toBe('incident-42.step-1');
      const hostile = await http.reader.get('/regions').set('X-Request-Id', 'a b\tc').expect(200);
      expect(hostile.headers['x-request-id']).not.toBe('a b\tc');
    });

    it('serves metrics and the OpenAPI document to a token holder', async () => {
      const metrics = await http.anonymous.get('/metrics').set('Authorization', 'Bearer test-read-token-0123456789').expect(200);
      expect(metrics.text).toContain('route_broker_http_request_duration_seconds');
      const docs = await http.anonymous.get('/docs-json').set('Authorization', 'Bearer test-read-token-0123456789').expect(200);
      expect(Object.keys(docs.body.paths)).toEqual(expect.arrayContaining(['/api/v1/gre-tunnels', '/api/v1/bgp-sessions/{id}']));
    });
  });

  describe('regions, hosts, PEs and hosted VPCs', () => {
    it('creates, reads, updates and lists', async () => {
      regionId = (await http.operator.post('/regions', { code: 'cn-gd', description: 'Guangzhou' }).expect(201)).body.id;
      otherRegionId = (await http.operator.post('/regions', { code: 'hk' }).expect(201)).body.id;
      const host = await http.operator
        .post('/hosts', {
          name: 'hv-gd1-001',
          regionId,
          zone: 'cn-gd-a',
          managementAddress: '127.0.0.1',
          underlayAddress: '192.0.2.11',
          routerId: '192.0.2.11',
          asn: 64512,
        })
        .expect(201);
      hostId = host.body.id;
      expect(host.body).toMatchObject({ sshPort: 22, asn: 64512, sshUser: 'route-broker', sshHostKey: null, vtyshCommand: 'vtysh' });
      const pinned = await http.operator
        .patch(`/hosts/${hostId}`, {
          sshHostKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHx0cGluuedkeyforthetest0000 root@hv',
          vtyshCommand: 'ip netns exec fabric vtysh -N fabric',
        })
        .expect(200);
      expect(pinned.body).toMatchObject({
        sshHostKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHx0cGluuedkeyforthetest0000',
        vtyshCommand: 'ip netns exec fabric vtysh -N fabric',
      });
      peId = (
        await http.operator.post('/pes', { name: 'acme-pe-1', underlayAddress: '198.51.100.1', asn: 4200000001, owner: 'acme' }).expect(201)
      ).body.id;
      const vpc = await http.operator
        .post('/hosted-vpcs', { name: 'acme-vpc', regionId, owner: 'acme', cidrs: ['10.10.0.0/16', 'FD10:0::/48'] })
        .expect(201);
      vpcId = vpc.body.id;
      expect(vpc.body.cidrs).toEqual(['10.10.0.0/16', 'fd10::/48']);

      await http.operator.patch(`/hosts/${hostId}`, { zone: 'cn-gd-b' }).expect(200);
      expect((await http.reader.get(`/hosts/${hostId}`).expect(200)).body).toMatchObject({ zone: 'cn-gd-b', name: 'hv-gd1-001' });
      expect(await count('/hosts')).toBe(1);
    });

    it('refuses bad fields with a 400 naming the field', async () => {
      const host = {
        name: 'hv-2',
        regionId,
        zone: 'a',
        managementAddress: '10.0.0.1',
        underlayAddress: '192.0.2.12',
        routerId: '192.0.2.12',
        asn: 64512,
      };
      await refused('/hosts', { ...host, asn: 0 }, 'asn');
      await refused('/hosts', { ...host, asn: 4294967296 }, 'asn');
      await refused('/hosts', { ...host, asn: '64512' }, 'asn');
      await refused('/hosts', { ...host, routerId: 'fd00::1' }, 'routerId');
      await refused('/hosts', { ...host, managementAddress: '10.0.0.256' }, 'managementAddress');
      await refused('/hosts', { ...host, name: 'Bad Name' }, 'name');
      await refused('/hosts', { ...host, regionId: 999 }, 'regionId: region 999 does not exist');
      await refused('/hosts', { ...host, colour: 'blue' }, 'colour');
      await refused('/hosts', { ...host, vtyshCommand: 'vtysh; rm -rf /' }, 'vtyshCommand');
      await refused('/hosts', { ...host, frrReloadCommand: '/usr/lib/frr/frr-reload.py $(id)' }, 'frrReloadCommand');
      await refused('/hosts', { ...host, sshHostKey: 'ssh-ed25519 AAAA\nPermitRootLogin yes' }, 'sshHostKey');
      await refused('/hosts', { ...host, sshUser: 'root;id' }, 'sshUser');
      await refused(
        '/pes',
        { name: 'pe-x', underlayAddress: '198.51.100.9', asn: 65001, owner: 'acme', description: 'line one\n neighbor x' },
        'description',
      );
    });

    it('refuses overlapping or malformed VPC CIDRs', async () => {
      const vpc = { name: 'vpc-2', regionId, owner: 'acme' };
      await refused('/hosted-vpcs', { ...vpc, cidrs: ['10.0.0.0/8', '10.1.0.0/16'] }, 'cidrs: 10.0.0.0/8 and 10.1.0.0/16 overlap');
      await refused('/hosted-vpcs', { ...vpc, cidrs: ['10.0.0.0/16', '10.0.0.0/16'] }, 'cidrs');
      await refused('/hosted-vpcs', { ...vpc, cidrs: ['10.0.0.0/16', '10.1.0.1/16'] }, 'cidrs[1]: "10.1.0.1/16" has host bits set');
      await refused('/hosted-vpcs', { ...vpc, cidrs: [] }, 'cidrs');
      const patched = await http.operator.patch(`/hosted-vpcs/${vpcId}`, { cidrs: ['10.10.0.0/16', '10.10.5.0/24'] }).expect(400);
      expect(patched.body.fields).toEqual([{ field: 'cidrs', problem: '10.10.0.0/16 and 10.10.5.0/24 overlap' }]);
      expect((await http.reader.get(`/hosted-vpcs/${vpcId}`).expect(200)).body.cidrs).toEqual(['10.10.0.0/16', 'fd10::/48']);
    });

    it('answers 409 on duplicates and 404 on missing objects', async () => {
      await refused('/regions', { code: 'cn-gd' }, 'a region with this code already exists', 409);
      await http.reader.get('/hosts/424242').expect(404);
      await http.operator.patch('/hosts/424242', { zone: 'x' }).expect(404);
      await http.operator.delete('/pes/424242').expect(404);
      await http.reader.get('/hosts/abc').expect(400);
    });
  });

  describe('GRE tunnels', () => {
    const tunnel = () => ({
      hostId,
      peId,
      interfaceName: 'gre-acme1',
      tunnelKey: 1001,
      localInnerAddress: '169.254.101.2',
      remoteInnerAddress: '169.254.101.1',
      innerPrefixLength: 30,
    });

    it('creates a tunnel with defaults', async () => {
      const created = await http.operator.post('/gre-tunnels', tunnel()).expect(201);
      tunnelId = created.body.id;
      expect(created.body).toMatchObject({ mtu: 1476, ttl: 255, innerPrefixLength: 30 });
    });

    it('requires both inner addresses in one /30 or /31', async () => {
      const next = { ...tunnel(), interfaceName: 'gre-acme2', tunnelKey: 1002 };
      await refused(
        '/gre-tunnels',
        { ...next, localInnerAddress: '169.254.102.2', remoteInnerAddress: '169.254.103.1' },
        'remoteInnerAddress 169.254.103.1 is not in 169.254.102.0/30',
      );
      await refused(
        '/gre-tunnels',
        { ...next, localInnerAddress: '169.254.102.0', remoteInnerAddress: '169.254.102.1' },
        'localInnerAddress 169.254.102.0 is the network or broadcast address',
      );
      await refused('/gre-tunnels', { ...next, innerPrefixLength: 29 }, 'innerPrefixLength');
      await refused('/gre-tunnels', { ...next, localInnerAddress: 'fd00::2' }, 'localInnerAddress');
      await refused('/gre-tunnels', { ...next, hostId: 999 }, 'hostId');
      await refused('/gre-tunnels', { ...next, interfaceName: 'gre-name-too-long-x' }, 'interfaceName');
    });

    it('refuses a reused key or inner address on the same host with 409', async () => {
      await refused(
        '/gre-tunnels',
        { ...tunnel(), interfaceName: 'gre-acme2', localInnerAddress: '169.254.102.2', remoteInnerAddress: '169.254.102.1' },
        'tunnelKey 1001 is already used',
        409,
      );
      await refused(
        '/gre-tunnels',
        {
          ...tunnel(),
          interfaceName: 'gre-acme2',
          tunnelKey: 1002,
          localInnerAddress: '169.254.101.1',
          remoteInnerAddress: '169.254.101.2',
        },
        'overlaps 169.254.101.0/30',
        409,
      );
      await refused(
        '/gre-tunnels',
        {
          ...tunnel(),
          interfaceName: 'gre-acme2',
          tunnelKey: 1002,
          localInnerAddress: '169.254.101.0',
          remoteInnerAddress: '169.254.101.1',
          innerPrefixLength: 31,
        },
        'overlaps',
        409,
      );
      await http.operator
        .post('/gre-tunnels', {
          ...tunnel(),
          interfaceName: 'gre-acme2',
          tunnelKey: 1002,
          localInnerAddress: '169.254.102.0',
          remoteInnerAddress: '169.254.102.1',
          innerPrefixLength: 31,
        })
        .expect(201);
    });
  });

  describe('BGP sessions', () => {
    const session = () => ({
      tunnelId,
      hostedVpcId: vpcId,
      peerAsn: 4200000001,
      peerAddress: '169.254.101.1',
      md5Password: 's3cret!Pass',
      description: 'acme primary',
    });

    it('creates a session, fills the local ASN from the host and never returns the password', async () => {
      const created = await http.operator.post('/bgp-sessions', session()).expect(201);
      expect(created.body).toMatchObject({
        localAsn: 64512,
        peerAsn: 4200000001,
        md5PasswordSet: true,
        keepaliveSeconds: 30,
        holdTimeSeconds: 90,
        maxPrefix: 1000,
        gracefulRestartSeconds: 120,
      });
      expect(JSON.stringify(created.body)).not.toContain('s3cret');
      const listed = await http.reader.get('/bgp-sessions').expect(200);
      expect(JSON.stringify(listed.body)).not.toContain('s3cret');
      await http.operator.patch(`/bgp-sessions/${created.body.id}`, { md5Password: null }).expect(200);
      expect((await http.reader.get(`/bgp-sessions/${created.body.id}`).expect(200)).body.md5PasswordSet).toBe(false);
    });

    it('refuses values that could inject configuration or break the session', async () => {
      await refused('/bgp-sessions', { ...session(), md5Password: 'pass\nword' }, 'md5Password');
      await refused('/bgp-sessions', { ...session(), md5Password: 'pass"word' }, 'md5Password');
      await refused('/bgp-sessions', { ...session(), description: 'x\n neighbor 1.2.3.4 remote-as 1' }, 'description');
      await refused('/bgp-sessions', { ...session(), peerAsn: 4294967296 }, 'peerAsn');
      await refused('/bgp-sessions', { ...session(), localAsn: 0 }, 'localAsn');
      await refused('/bgp-sessions', { ...session(), peerAddress: '169.254.101.9' }, 'peerAddress');
      await refused('/bgp-sessions', { ...session(), keepaliveSeconds: 60, holdTimeSeconds: 30 }, 'holdTimeSeconds');
      await refused('/bgp-sessions', { ...session(), hostedVpcId: 999 }, 'hostedVpcId');
      const elsewhere = (
        await http.operator
          .post('/hosted-vpcs', { name: 'hk-vpc', regionId: otherRegionId, owner: 'acme', cidrs: ['10.20.0.0/16'] })
          .expect(201)
      ).body.id;
      await refused('/bgp-sessions', { ...session(), hostedVpcId: elsewhere }, 'is in another region');
      await refused('/bgp-sessions', session(), 'this tunnel already has a session with this peerAddress', 409);
    });

    it("renders the host's FRR configuration and GRE setup from the inventory, passwords redacted", async () => {
      const [session] = (await http.reader.get('/bgp-sessions').expect(200)).body as { id: number }[];
      await http.operator.patch(`/bgp-sessions/${session!.id}`, { md5Password: 'r3nder-Secret' }).expect(200);
      const rendered = await http.reader.get(`/hosts/${hostId}/rendered-config`).expect(200);
      expect(rendered.body.frrConf).toContain('router bgp 64512');
      expect(rendered.body.frrConf).toContain(' neighbor 169.254.101.1 remote-as 4200000001');
      expect(rendered.body.frrConf).toContain(' neighbor 169.254.101.1 password <redacted>');
      expect(rendered.body.frrConf).not.toContain('r3nder-Secret');
      expect(rendered.body.frrConf).not.toContain('bmp targets');
      expect(rendered.body.greSetup).toContain('key 1001');
      await http.reader.get('/hosts/424242/rendered-config').expect(404);
    });

    it('refuses to delete what is still referenced, with 409', async () => {
      const response = await http.operator.delete(`/gre-tunnels/${tunnelId}`).expect(409);
      expect(response.body.message).toContain('still in use');
      await http.reader.get(`/gre-tunnels/${tunnelId}`).expect(200);
    });
  });
});
