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

  /** A refused PATCH: the status, a message containing `text`, and the object unchanged. */
  async function refusedChange(path: string, body: object, text: string, status = 400): Promise<string[]> {
    const before = (await http.reader.get(path).expect(200)).body;
    const response = await http.operator.patch(path, body).expect(status);
    const messages = ([] as string[]).concat(response.body.message);
    expect(messages.join('\n')).toContain(text);
    expect((await http.reader.get(path).expect(200)).body).toEqual(before);
    return messages;
  }

  beforeAll(async () => {
    app = await startTestApp();
    http = api(app);
  });
  afterAll(async () => app.close());

  describe('authentication', () => {
    it('serves /health and /health/ready without a token', async () => {
      expect((await http.anonymous.get('/health').expect(200)).body).toMatchObject({ status: 'ok', state: 'running' });
      const response = await http.anonymous.get('/health/ready').expect(200);
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

  describe('dual-stack tunnels', () => {
    let dualTunnelId: number;
    let v6OnlyTunnelId: number;
    const base = (n: number) => ({ hostId, peId, interfaceName: `gre-ds${n}`, tunnelKey: 2000 + n });

    it('creates a dual-stack tunnel and returns its IPv6 pair in RFC 5952 form', async () => {
      const created = await http.operator
        .post('/gre-tunnels', {
          ...base(1),
          localInnerAddress: '169.254.103.2',
          remoteInnerAddress: '169.254.103.1',
          innerPrefixLength: 30,
          localInnerAddressV6: 'FD00:0103:0:0::2',
          remoteInnerAddressV6: 'FD00:103::1',
          innerPrefixLengthV6: 126,
        })
        .expect(201);
      dualTunnelId = created.body.id;
      const expected = {
        localInnerAddress: '169.254.103.2',
        remoteInnerAddress: '169.254.103.1',
        innerPrefixLength: 30,
        localInnerAddressV6: 'fd00:103::2',
        remoteInnerAddressV6: 'fd00:103::1',
        innerPrefixLengthV6: 126,
      };
      expect(created.body).toMatchObject(expected);
      expect((await http.reader.get(`/gre-tunnels/${dualTunnelId}`).expect(200)).body).toMatchObject(expected);
      expect((await http.reader.get(`/gre-tunnels/${tunnelId}`).expect(200)).body).toMatchObject({
        localInnerAddress: '169.254.101.2',
        localInnerAddressV6: null,
        remoteInnerAddressV6: null,
        innerPrefixLengthV6: null,
      });
    });

    it('creates an IPv6-only tunnel (a /127 uses both addresses)', async () => {
      const created = await http.operator
        .post('/gre-tunnels', {
          ...base(2),
          localInnerAddressV6: 'fd00:104::',
          remoteInnerAddressV6: 'fd00:104::1',
          innerPrefixLengthV6: 127,
        })
        .expect(201);
      v6OnlyTunnelId = created.body.id;
      expect((await http.reader.get(`/gre-tunnels/${v6OnlyTunnelId}`).expect(200)).body).toMatchObject({
        localInnerAddress: null,
        remoteInnerAddress: null,
        innerPrefixLength: null,
        localInnerAddressV6: 'fd00:104::',
        remoteInnerAddressV6: 'fd00:104::1',
        innerPrefixLengthV6: 127,
      });
    });

    it('requires each inner pair whole, at least one of them, and two usable addresses of one /126 or /127', async () => {
      const v6 = { localInnerAddressV6: 'fd00:106::1', remoteInnerAddressV6: 'fd00:106::2', innerPrefixLengthV6: 126 };
      await refused('/gre-tunnels', { ...base(3), ...v6, innerPrefixLengthV6: undefined }, 'innerPrefixLengthV6: is missing');
      await refused('/gre-tunnels', { ...base(3), ...v6, localInnerAddress: '169.254.106.1' }, 'remoteInnerAddress: is missing');
      await refused('/gre-tunnels', base(3), 'a tunnel needs an inner pair');
      await refused(
        '/gre-tunnels',
        { ...base(3), localInnerAddress: null, remoteInnerAddress: null, innerPrefixLength: null },
        'a tunnel needs an inner pair',
      );
      await refused(
        '/gre-tunnels',
        { ...base(3), ...v6, remoteInnerAddressV6: 'FD00:106::5' },
        'remoteInnerAddressV6 fd00:106::5 is not in fd00:106::/126, the /126 of localInnerAddressV6 fd00:106::1',
      );
      await refused(
        '/gre-tunnels',
        { ...base(3), ...v6, localInnerAddressV6: 'fd00:106::' },
        'localInnerAddressV6 fd00:106:: is the subnet-router anycast address (the first) of fd00:106::/126',
      );
      await refused(
        '/gre-tunnels',
        { ...base(3), ...v6, remoteInnerAddressV6: 'fd00:106::3' },
        'remoteInnerAddressV6 fd00:106::3 is the last',
      );
      await refused('/gre-tunnels', { ...base(3), ...v6, remoteInnerAddressV6: 'fd00:106:0::1' }, 'must differ');
      await refused('/gre-tunnels', { ...base(3), ...v6, innerPrefixLengthV6: 64 }, 'innerPrefixLengthV6 must be 126 or 127');
      await refused(
        '/gre-tunnels',
        { ...base(3), ...v6, localInnerAddressV6: '169.254.106.1' },
        'localInnerAddressV6 must be an IPv6 address',
      );
      await refused('/gre-tunnels', { ...base(3), ...v6, localInnerAddressV6: '::ffff:169.254.106.1' }, 'localInnerAddressV6');
    });

    it('refuses an IPv6 inner subnet overlapping another tunnel of the same host with 409', async () => {
      await refused(
        '/gre-tunnels',
        { ...base(3), localInnerAddressV6: 'fd00:103::1', remoteInnerAddressV6: 'fd00:103::2', innerPrefixLengthV6: 126 },
        `inner subnet fd00:103::/126 overlaps fd00:103::/126 of tunnel ${dualTunnelId} (gre-ds1)`,
        409,
      );
      await refused(
        '/gre-tunnels',
        { ...base(3), localInnerAddressV6: 'fd00:104::1', remoteInnerAddressV6: 'fd00:104::2', innerPrefixLengthV6: 126 },
        `overlaps fd00:104::/127 of tunnel ${v6OnlyTunnelId}`,
        409,
      );
    });

    it('documents the new fields in the OpenAPI document', async () => {
      const docs = await http.anonymous.get('/docs-json').set('Authorization', 'Bearer test-read-token-0123456789').expect(200);
      const schemas = docs.body.components.schemas;
      expect(Object.keys(schemas.CreateGreTunnelDto.properties)).toEqual(
        expect.arrayContaining(['localInnerAddressV6', 'remoteInnerAddressV6', 'innerPrefixLengthV6']),
      );
      expect(schemas.CreateGreTunnelDto.required).not.toContain('localInnerAddress');
      expect(Object.keys(schemas.CreateBgpSessionDto.properties)).toEqual(expect.arrayContaining(['addressFamilies', 'importPolicy']));
      expect(Object.keys(schemas.ImportPolicyDto.properties).sort()).toEqual([
        'allowDefaultRoute',
        'allowedPrefixes',
        'localPref',
        'prefixLength',
      ]);
      expect(Object.keys(schemas.PrefixListEntryDto.properties).sort()).toEqual(['ge', 'le', 'prefix']);
    });

    describe('sessions over them', () => {
      let v6SessionId: number;
      let v4SessionId: number;
      let policyTunnelId: number;
      const session = (fields: object) => ({ hostedVpcId: vpcId, peerAsn: 65001, ...fields });

      it('lets a session peer over IPv6, and one carry both families over IPv4', async () => {
        const v6 = await http.operator.post('/bgp-sessions', session({ tunnelId: dualTunnelId, peerAddress: 'FD00:103:0::1' })).expect(201);
        v6SessionId = v6.body.id;
        expect(v6.body).toMatchObject({ peerAddress: 'fd00:103::1', addressFamilies: ['ipv6-unicast'], importPolicy: null });
        const both = await http.operator
          .post(
            '/bgp-sessions',
            session({ tunnelId: dualTunnelId, peerAddress: '169.254.103.1', addressFamilies: ['ipv6-unicast', 'ipv4-unicast'] }),
          )
          .expect(201);
        v4SessionId = both.body.id;
        expect(both.body.addressFamilies).toEqual(['ipv4-unicast', 'ipv6-unicast']);
        expect((await http.reader.get(`/bgp-sessions/${v4SessionId}`).expect(200)).body.addressFamilies).toEqual([
          'ipv4-unicast',
          'ipv6-unicast',
        ]);
        expect((await http.reader.get(`/bgp-sessions/${v6SessionId}`).expect(200)).body).toMatchObject({
          peerAddress: 'fd00:103::1',
          addressFamilies: ['ipv6-unicast'],
        });
        const [first] = (await http.reader.get('/bgp-sessions').expect(200)).body as { addressFamilies: string[] }[];
        expect(first!.addressFamilies).toEqual(['ipv4-unicast']);
        await refused('/bgp-sessions', session({ tunnelId: dualTunnelId, peerAddress: 'fd00:103::1' }), 'already has a session', 409);
      });

      it('refuses a peer or an address family the tunnel has no inner pair for, naming the field', async () => {
        await refused(
          '/bgp-sessions',
          session({ tunnelId, peerAddress: 'FD00:101::1' }),
          `peerAddress: fd00:101::1 is an IPv6 address and tunnel ${tunnelId} has no IPv6 inner pair`,
        );
        await refused(
          '/bgp-sessions',
          session({ tunnelId: v6OnlyTunnelId, peerAddress: '169.254.104.1' }),
          `peerAddress: 169.254.104.1 is an IPv4 address and tunnel ${v6OnlyTunnelId} has no IPv4 inner pair`,
        );
        await refused(
          '/bgp-sessions',
          session({ tunnelId: dualTunnelId, peerAddress: 'fd00:103::2' }),
          `peerAddress: must be the PE's inner address of tunnel ${dualTunnelId}: 169.254.103.1 or fd00:103::1`,
        );
        await refused(
          '/bgp-sessions',
          session({ tunnelId: v6OnlyTunnelId, peerAddress: 'fd00:104::1', addressFamilies: ['ipv6-unicast', 'ipv4-unicast'] }),
          `addressFamilies: ipv4-unicast needs an IPv4 next hop, and tunnel ${v6OnlyTunnelId} has no IPv4 inner pair`,
        );
        for (const addressFamilies of [[], ['ipv4-unicast', 'ipv4-unicast'], ['l2vpn-evpn'], null, 'ipv4-unicast']) {
          await refused(
            '/bgp-sessions',
            session({ tunnelId: v6OnlyTunnelId, peerAddress: 'fd00:104::1', addressFamilies }),
            'addressFamilies',
          );
        }
        const [first] = (await http.reader.get('/bgp-sessions').expect(200)).body as { id: number }[];
        await refusedChange(
          `/bgp-sessions/${first!.id}`,
          { addressFamilies: ['ipv4-unicast', 'ipv6-unicast'] },
          `addressFamilies: ipv6-unicast needs an IPv6 next hop, and tunnel ${tunnelId} has no IPv6 inner pair`,
        );
      });

      it('stores an import policy normalised, returns it, replaces it whole and clears it with null', async () => {
        policyTunnelId = (
          await http.operator
            .post('/gre-tunnels', {
              ...base(5),
              localInnerAddressV6: 'fd00:105::1',
              remoteInnerAddressV6: 'fd00:105::2',
              innerPrefixLengthV6: 126,
            })
            .expect(201)
        ).body.id;
        const created = await http.operator
          .post(
            '/bgp-sessions',
            session({
              tunnelId: policyTunnelId,
              peerAddress: 'fd00:105::2',
              addressFamilies: ['ipv6-unicast'],
              importPolicy: {
                allowedPrefixes: [
                  { prefix: '2001:DB8:100::/40', ge: 48, le: 48 },
                  { prefix: '203.0.113.0/24', le: 28 },
                  // Partly inside the VPC's 10.10.0.0/16: the rest of 10/8 can still come in.
                  { prefix: '10.0.0.0/8', le: 24, ge: null },
                ],
                prefixLength: { ipv4: { max: 28 }, ipv6: {} },
                allowDefaultRoute: false,
                localPref: null,
              },
            }),
          )
          .expect(201);
        const normalised = {
          allowedPrefixes: [
            { prefix: '2001:db8:100::/40', ge: 48, le: 48 },
            { prefix: '203.0.113.0/24', le: 28 },
            { prefix: '10.0.0.0/8', le: 24 },
          ],
          prefixLength: { ipv4: { max: 28 } },
          allowDefaultRoute: false,
        };
        expect(created.body.importPolicy).toStrictEqual(normalised);
        const path = `/bgp-sessions/${created.body.id}`;
        expect((await http.reader.get(path).expect(200)).body.importPolicy).toStrictEqual(normalised);

        await http.operator.patch(path, { description: 'policy kept' }).expect(200);
        expect((await http.reader.get(path).expect(200)).body.importPolicy).toStrictEqual(normalised);
        await http.operator.patch(path, { importPolicy: { localPref: 200, allowedPrefixes: [] } }).expect(200);
        expect((await http.reader.get(path).expect(200)).body.importPolicy).toStrictEqual({ allowedPrefixes: [], localPref: 200 });
        await http.operator.patch(path, { importPolicy: null }).expect(200);
        expect((await http.reader.get(path).expect(200)).body.importPolicy).toBeNull();
      });

      it('refuses policies FRR or BRM could not use, naming the field, and stores nothing', async () => {
        const withPolicy = (importPolicy: unknown) => session({ tunnelId: dualTunnelId, peerAddress: 'fd00:103::1', importPolicy });
        const allowing = (...allowedPrefixes: object[]) => withPolicy({ allowedPrefixes });
        await refused(
          '/bgp-sessions',
          allowing({ prefix: '10.0.0.0/8', ge: 4 }),
          'importPolicy.allowedPrefixes[0].ge: "10.0.0.0/8 ge 4" needs 8 <= ge <= le <= 32',
        );
        await refused('/bgp-sessions', allowing({ prefix: '10.0.0.0/8', ge: 24, le: 16 }), 'importPolicy.allowedPrefixes[0].le');
        await refused(
          '/bgp-sessions',
          allowing({ prefix: '10.0.0.0/8' }, { prefix: '10.0.0.0/8', le: 33 }),
          'importPolicy.allowedPrefixes[1].le',
        );
        await refused('/bgp-sessions', allowing({ prefix: '2001:db8::/32', le: 16 }), 'importPolicy.allowedPrefixes[0].le');
        await refused('/bgp-sessions', allowing({ prefix: '2001:db8::/32', ge: 129 }), 'importPolicy.allowedPrefixes');
        await refused(
          '/bgp-sessions',
          allowing({ prefix: '10.0.0.1/8' }),
          'importPolicy.allowedPrefixes[0].prefix: "10.0.0.1/8" has host bits set: did you mean 10.0.0.0/8?',
        );
        await refused('/bgp-sessions', allowing({ prefix: 'not-a-prefix' }), 'importPolicy.allowedPrefixes[0].prefix');
        await refused(
          '/bgp-sessions',
          allowing({ prefix: '10.0.0.0/8', le: 32 }, { prefix: '10.0.0.0/8', ge: 8, le: 32 }),
          'importPolicy.allowedPrefixes[1]: "10.0.0.0/8 ge 8 le 32" matches the same routes as allowedPrefixes[0]',
        );
        await refused(
          '/bgp-sessions',
          allowing({ prefix: '192.0.2.0/24' }, { prefix: '10.10.1.0/24', le: 28 }),
          `importPolicy.allowedPrefixes[1]: "10.10.1.0/24 le 28" overlaps the VPC's CIDR 10.10.0.0/16`,
        );
        await refused('/bgp-sessions', allowing({ prefix: 'FD10::/32' }), "overlaps the VPC's CIDR fd10::/48");
        await refused(
          '/bgp-sessions',
          withPolicy({ prefixLength: { ipv4: { min: 24, max: 16 } } }),
          'importPolicy.prefixLength.ipv4: min 24 is greater than max 16',
        );
        await refused('/bgp-sessions', withPolicy({ prefixLength: { ipv6: { max: 129 } } }), 'importPolicy.prefixLength.ipv6.max');
        await refused('/bgp-sessions', withPolicy({ prefixLength: { ipv4: { max: 0 } } }), 'importPolicy.prefixLength.ipv4.max');
        await refused('/bgp-sessions', withPolicy({ localPref: -1 }), 'importPolicy.localPref');
        await refused('/bgp-sessions', withPolicy({ localPref: 4294967296 }), 'importPolicy.localPref');
        await refused('/bgp-sessions', withPolicy({ allowDefaultRoute: 'yes' }), 'importPolicy.allowDefaultRoute');
        await refused('/bgp-sessions', withPolicy({ colour: 'blue' }), 'importPolicy.colour');
        await refused('/bgp-sessions', allowing({ prefix: '10.0.0.0/8', action: 'deny' }), 'action');
        await refused('/bgp-sessions', withPolicy([{ allowDefaultRoute: true }]), 'importPolicy');
        await refused('/bgp-sessions', withPolicy('permit any'), 'importPolicy');
        await refused('/bgp-sessions', withPolicy({ allowedPrefixes: 'any' }), 'importPolicy.allowedPrefixes');
        await refused(
          '/bgp-sessions',
          allowing(...Array.from({ length: 1001 }, (_, i) => ({ prefix: `11.${i >> 8}.${i & 255}.0/24` }))),
          'importPolicy.allowedPrefixes',
        );
        // Every problem at once.
        const all = await http.operator
          .post(
            '/bgp-sessions',
            withPolicy({ allowedPrefixes: [{ prefix: '10.0.0.0/8', ge: 4 }], prefixLength: { ipv6: { min: 64, max: 48 } } }),
          )
          .expect(400);
        expect((all.body.fields as { field: string }[]).map((problem) => problem.field)).toEqual([
          'importPolicy.allowedPrefixes[0].ge',
          'importPolicy.prefixLength.ipv6',
        ]);
        // A PATCH is checked the same way.
        await refusedChange(
          `/bgp-sessions/${v6SessionId}`,
          { importPolicy: { allowedPrefixes: [{ prefix: '10.10.0.0/16' }] } },
          'overlaps',
        );
      });

      it("refuses a VPC CIDR change that would make a session's allowed entry useless, with 409", async () => {
        await http.operator
          .patch(`/bgp-sessions/${v6SessionId}`, { importPolicy: { allowedPrefixes: [{ prefix: '10.20.0.0/16', le: 24 }] } })
          .expect(200);
        await refusedChange(
          `/hosted-vpcs/${vpcId}`,
          { cidrs: ['10.10.0.0/16', 'fd10::/48', '10.20.0.0/15'] },
          `cidrs 10.20.0.0/15 would make importPolicy.allowedPrefixes[0] (10.20.0.0/16 le 24) of BGP session ${v6SessionId} useless`,
          409,
        );
        // Covering only part of what the entry allows is fine.
        await http.operator.patch(`/hosted-vpcs/${vpcId}`, { cidrs: ['10.10.0.0/16', 'fd10::/48', '10.20.5.0/24'] }).expect(200);
        await http.operator.patch(`/hosted-vpcs/${vpcId}`, { cidrs: ['10.10.0.0/16', 'fd10::/48'] }).expect(200);
        await http.operator.patch(`/bgp-sessions/${v6SessionId}`, { importPolicy: null }).expect(200);
      });

      it('refuses a tunnel change that would strand one of its sessions, with 409', async () => {
        const tunnel = `/gre-tunnels/${dualTunnelId}`;
        const noV6 = { localInnerAddressV6: null, remoteInnerAddressV6: null, innerPrefixLengthV6: null };
        await refusedChange(
          tunnel,
          noV6,
          `BGP session ${v6SessionId} (peer fd00:103::1) peers over the tunnel's IPv6 inner pair, which would be gone`,
          409,
        );
        await refusedChange(
          tunnel,
          { localInnerAddressV6: 'fd00:103::1', remoteInnerAddressV6: 'fd00:103::2' },
          `BGP session ${v6SessionId} (peer fd00:103::1) peers with fd00:103::1, which would no longer be the PE's inner address (fd00:103::2)`,
          409,
        );
        await refusedChange(
          tunnel,
          { localInnerAddress: null, remoteInnerAddress: null, innerPrefixLength: null },
          `BGP session ${v4SessionId} (peer 169.254.103.1)`,
          409,
        );
        await refusedChange(tunnel, { remoteInnerAddressV6: null }, 'remoteInnerAddressV6: is missing');

        await http.operator.delete(`/bgp-sessions/${v6SessionId}`).expect(204);
        // The IPv4 session still carries ipv6-unicast, whose next hop is the tunnel's IPv6 address.
        await refusedChange(tunnel, noV6, `BGP session ${v4SessionId} (peer 169.254.103.1) carries ipv6-unicast`, 409);
        // null on a PATCH: back to the default, the peer's family.
        const reset = await http.operator.patch(`/bgp-sessions/${v4SessionId}`, { addressFamilies: null }).expect(200);
        expect(reset.body.addressFamilies).toEqual(['ipv4-unicast']);
        const changed = await http.operator.patch(tunnel, noV6).expect(200);
        expect(changed.body).toMatchObject({ localInnerAddress: '169.254.103.2', ...noV6 });
        expect((await http.reader.get(tunnel).expect(200)).body).toMatchObject(noV6);
      });
    });
  });
});
