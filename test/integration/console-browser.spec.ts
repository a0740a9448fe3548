/**
 * The web console in a real browser (Debian's Chromium driven by playwright-core), on the user's
 * whole path: the inventory is made through the API; then, in the console, an operator dry-runs and
 * applies the host's configuration (real SSH, a real bgpd that starts with no BGP configuration),
 * the session comes up, BMP reaches the collector, BRM fills the VPC table, and the page shows the
 * routes as they arrive, without a reload. Also: prefix search, the diff of two revisions, refused
 * routes, and a read token that can look but not apply.
 *
 *   con-host (AS 64531)  c-pe ──── c-host  con-pe (AS 65231)
 *   169.254.231.2/30                       169.254.231.1/30
 *   uplink 10.255.231.2/30 ── con-up 10.255.231.1/30 (root namespace: the BMP collector)
 *
 * Screenshots go to .cache/console/. Needs root, FRR, `scripts/sshd up`, Kafka, MariaDB and
 * /usr/bin/chromium (scripts/deps installs it; RB_CHROMIUM overrides the path).
 */
import type { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { chown, mkdir, mkdtemp, readFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { TOPICS } from '../../src/common/kafka/topics.js';
import { api, startTestApp } from './support/app.js';
import { groupAtTopicEnd } from './support/consumer-groups.js';
import { OPERATOR_TOKEN, READ_TOKEN } from './support/environment.js';
import { FRR_BIN, routerVtysh, sh, startRouter, teardownRouters } from './support/frr-routers.js';
import { SSHD } from './support/lab.js';
import { until } from './support/until.js';

const CHROMIUM = process.env.RB_CHROMIUM ?? '/usr/bin/chromium';
const SCREENSHOTS = join(process.cwd(), '.cache', 'console');
const NS_HOST = 'con-host';
const NS_PE = 'con-pe';
const NAMESPACES = [NS_HOST, NS_PE];
const HOST_ASN = 64531;
const PE_ASN = 65231;
const PEER = '169.254.231.1';
const COLLECTOR_ADDRESS = '10.255.231.1';
const COLLECTOR_PORT = 11231;
const VPC_CIDR = '10.231.0.0/16';
const ACCEPTED = ['45.64.20.0/24', '45.64.21.0/24'];
const LATER = '45.64.22.0/24';
const REFUSED = '10.231.5.0/24'; // inside the VPC

const PE_CONFIG = `frr defaults traditional
hostname ${NS_PE}
!
router bgp ${PE_ASN}
 bgp router-id 10.231.0.254
 no bgp ebgp-requires-policy
 no bgp network import-check
 neighbor 169.254.231.2 remote-as ${HOST_ASN}
 neighbor 169.254.231.2 timers 3 9
 neighbor 169.254.231.2 timers connect 2
 neighbor 169.254.231.2 advertisement-interval 0
 !
 address-family ipv4 unicast
${[...ACCEPTED, REFUSED].map((prefix) => `  network ${prefix}\n`).join('')} exit-address-family
exit
!
`;

describe('web console in a real browser, on the real lab path', () => {
  let app: INestApplication;
  let http: ReturnType<typeof api>;
  let labDir: string | undefined;
  let baseUrl: string;
  let browser: Browser;
  let operator: Page;
  let hostId: number;
  let vpcId: number;

  const prefixesOn = async (page: Page) =>
    Promise.all((await page.locator('#routes tbody tr[data-prefix]').all()).map((row) => row.getAttribute('data-prefix')));
  const screenshot = (page: Page, name: string) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });

  async function signIn(token: string): Promise<Page> {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${baseUrl}/console`);
    expect(new URL(page.url()).pathname).toBe('/console/sign-in');
    await page.getByLabel('API token').fill(token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${baseUrl}/console`);
    return page;
  }

  beforeAll(async () => {
    await teardownRouters(NAMESPACES, undefined);
    await sh('ip link del con-up 2>/dev/null || true');
    await mkdir(SCREENSHOTS, { recursive: true });
    labDir = await mkdtemp(join(tmpdir(), 'console-'));
    await chown(labDir, 0, 0);
    await sh(`chmod 755 ${labDir}`);
    for (const ns of NAMESPACES) await sh(`ip netns add ${ns} && ip -n ${ns} link set lo up`);
    await sh(
      [
        `ip link add c-pe netns ${NS_HOST} type veth peer name c-host netns ${NS_PE}`,
        `ip -n ${NS_PE} addr add ${PEER}/30 dev c-host`,
        `ip -n ${NS_PE} link set c-host up`,
        `ip -n ${NS_HOST} addr add 169.254.231.2/30 dev c-pe`,
        `ip -n ${NS_HOST} link set c-pe up`,
        'ip link add con-up type veth peer name uplink netns con-host',
        `ip addr add ${COLLECTOR_ADDRESS}/30 dev con-up`,
        'ip link set con-up up',
        `ip -n ${NS_HOST} addr add 10.255.231.2/30 dev uplink`,
        `ip -n ${NS_HOST} link set uplink up`,
      ].join(' && '),
    );
    await startRouter(labDir, NS_HOST, `frr defaults traditional\nhostname ${NS_HOST}\n!\n`, ['bmp']);
    await startRouter(labDir, NS_PE, PE_CONFIG);

    app = await startTestApp({
      RB_ROLES: 'frr-server,admin,brm,hrm',
      RB_BMP_HOST: COLLECTOR_ADDRESS,
      RB_BMP_PORT: String(COLLECTOR_PORT),
      RB_BMP_CONNECT_ADDRESS: COLLECTOR_ADDRESS,
      RB_BRM_CONSUMER_GROUP: await groupAtTopicEnd('console-spec', TOPICS.routeEvents.name),
      RB_HRM_CONSUMER_GROUP: `console-spec-hrm-${randomUUID()}`,
      RB_SSH_PRIVATE_KEY_FILE: join(SSHD.dir, 'id_ed25519'),
      RB_APPLY_STAGING_DIR: join(labDir, 'staging'),
      RB_APPLY_ESTABLISH_TIMEOUT_MS: '30000',
      RB_DRIFT_INTERVAL_SECONDS: '0',
    });
    await app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${((app.getHttpServer() as Server).address() as AddressInfo).port}`;
    http = api(app);

    const created = async (path: string, body: object): Promise<number> =>
      ((await http.operator.post(path, body).expect(201)).body as { id: number }).id;
    const regionId = await created('/regions', { code: 'cn-gd' });
    hostId = await created('/hosts', {
      name: NS_HOST,
      regionId,
      zone: 'cn-gd-a',
      managementAddress: '127.0.0.1',
      sshPort: SSHD.port,
      sshUser: 'root',
      sshHostKey: (await readFile(join(SSHD.dir, 'ssh_host_ed25519_key.pub'), 'utf8')).trim(),
      vtyshCommand: `ip netns exec ${NS_HOST} vtysh -N ${NS_HOST}`,
      tunnelProvisioning: 'external',
      frrReloadCommand: `${FRR_BIN}/frr-reload.py -N ${NS_HOST}`,
      underlayAddress: '10.255.231.2',
      routerId: '10.231.0.1',
      asn: HOST_ASN,
    });
    const peId = await created('/pes', { name: NS_PE, underlayAddress: '198.51.100.231', asn: PE_ASN, owner: 'acme' });
    vpcId = await created('/hosted-vpcs', { name: 'console-vpc', regionId, owner: 'acme', cidrs: [VPC_CIDR] });
    const tunnelId = await created('/gre-tunnels', {
      hostId,
      peId,
      interfaceName: 'c-pe',
      tunnelKey: 2310,
      localInnerAddress: '169.254.231.2',
      remoteInnerAddress: PEER,
      innerPrefixLength: 30,
      mtu: 1500,
    });
    await created('/bgp-sessions', {
      tunnelId,
      hostedVpcId: vpcId,
      peerAsn: PE_ASN,
      peerAddress: PEER,
      keepaliveSeconds: 3,
      holdTimeSeconds: 9,
    });

    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  }, 120000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    if (process.env.KEEP) return;
    await teardownRouters(NAMESPACES, labDir);
    await sh('ip link del con-up 2>/dev/null || true');
  }, 30000);

  it('signs in with a token that never appears in a URL or a cookie; a wrong token is refused', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${baseUrl}/console/hosted-vpcs/${vpcId}`);
    expect(new URL(page.url()).pathname).toBe('/console/sign-in');
    await page.getByLabel('API token').fill('not-a-token-of-this-system');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('not a token this route-broker knows');

    await page.getByLabel('API token').fill(OPERATOR_TOKEN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    // Back where it was going.
    await page.waitForURL(`${baseUrl}/console/hosted-vpcs/${vpcId}`);
    const cookies = await context.cookies();
    expect(cookies.map((cookie) => cookie.name)).toEqual(['rb_console']);
    expect(cookies[0]).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    expect(cookies[0]!.value).not.toContain(OPERATOR_TOKEN);
    expect(page.url()).not.toContain(OPERATOR_TOKEN);
    await context.close();
  });

  it('dry-runs, then applies the host from the console; the apply record shows its steps and who asked', async () => {
    operator = await signIn(OPERATOR_TOKEN);
    await operator.getByRole('link', { name: NS_HOST }).first().click();
    await operator.waitForURL(`${baseUrl}/console/hosts/${hostId}`);
    await expect(operator.locator('pre.config').first().textContent()).resolves.toContain(`neighbor ${PEER} remote-as ${PE_ASN}`);

    await operator.getByRole('button', { name: 'Dry-run' }).click();
    await operator.waitForURL(/\/console\/applies\/\d+$/);
    await expect(operator.locator('#apply-result').textContent()).resolves.toBe('dry-run');
    // What the apply would add, as frr-reload --test printed it.
    await expect(operator.locator('pre.diff').textContent()).resolves.toContain(`neighbor ${PEER} remote-as ${PE_ASN}`);
    await expect(operator.locator('main').textContent()).resolves.toContain('asked by operator-1');

    await operator.goto(`${baseUrl}/console/hosts/${hostId}`);
    operator.once('dialog', (dialog) => void dialog.accept());
    await operator.getByRole('button', { name: 'Apply…' }).click();
    await operator.waitForURL(/\/console\/applies\/\d+$/, { timeout: 90000 });
    await expect(operator.locator('#apply-result').textContent()).resolves.toBe('applied');
    expect(await operator.locator('ol.steps > li').count()).toBeGreaterThan(2);
    await screenshot(operator, 'apply');

    const applies = (await http.reader.get(`/hosts/${hostId}/applies`).expect(200)).body as {
      requestedBy: string;
      dryRun: boolean;
      result: string;
    }[];
    expect(applies.map(({ requestedBy, dryRun, result }) => ({ requestedBy, dryRun, result }))).toEqual([
      { requestedBy: 'operator-1', dryRun: false, result: 'applied' },
      { requestedBy: 'operator-1', dryRun: true, result: 'dry-run' },
    ]);
  }, 120000);

  it("shows the VPC's routes arriving live, without a reload, as BGP and BMP deliver them", async () => {
    await operator.goto(`${baseUrl}/console/hosted-vpcs/${vpcId}`);
    // A mark on this document: a reload or navigation would lose it.
    await operator.evaluate(() => Object.assign(globalThis, { consoleMark: 'same page' }));
    const rows = operator.locator('#routes tbody tr[data-prefix]');
    await until('the accepted routes on the page', async () => ((await rows.count()) === ACCEPTED.length ? true : undefined), 60000, 250);
    expect(await prefixesOn(operator)).toEqual(ACCEPTED);
    await expect(operator.locator('tr[data-session] .badge').first().textContent()).resolves.toBe('established');
    // Since when: the session-up BMP reported during this test.
    const since = await operator.locator('tr[data-session] td.since time').getAttribute('datetime');
    expect(Date.now() - Date.parse(since!)).toBeLessThan(5 * 60_000);

    await routerVtysh(NS_PE, 'configure terminal', `router bgp ${PE_ASN}`, 'address-family ipv4 unicast', `network ${LATER}`, 'end');
    await until(
      'the new route on the page',
      async () => ((await operator.locator(`tr[data-prefix="${LATER}"]`).count()) === 1 ? true : undefined),
      30000,
      250,
    );
    await expect(operator.evaluate(() => (globalThis as { consoleMark?: string }).consoleMark)).resolves.toBe('same page');
    await expect(operator.locator(`tr[data-prefix="${LATER}"]`).textContent()).resolves.toContain(`${PEER}`);
    await screenshot(operator, 'vpc-table');
  }, 120000);

  it('finds a prefix (equal or inside), and shows the refused announcement with its reason', async () => {
    await operator.getByLabel('Prefix (equal or inside)').fill('45.64.21.0/24');
    await operator.getByRole('button', { name: 'Search' }).click();
    await operator.waitForURL(/prefix=45\.64\.21\.0%2F24/);
    expect(await prefixesOn(operator)).toEqual(['45.64.21.0/24']);
    await operator.getByLabel('Prefix (equal or inside)').fill('45.64.0.0/16');
    await operator.getByRole('button', { name: 'Search' }).click();
    await operator.waitForURL(/prefix=45\.64\.0\.0%2F16/);
    await expect(operator.locator('#routes tbody tr[data-prefix]').count()).resolves.toBe(3);

    // FRR 8.4 reports an announcement its inbound route-map refuses (the rendered policy refuses
    // what route-broker refuses) with its attributes only in the dump at the start of a BMP
    // session (docs/bmp.md): start one, as a collector restart would.
    const bmp = [`router bgp ${HOST_ASN}`, 'bmp targets route-broker'];
    await routerVtysh(
      NS_HOST,
      'configure terminal',
      ...bmp,
      `no bmp connect ${COLLECTOR_ADDRESS} port ${COLLECTOR_PORT} min-retry 1000 max-retry 10000`,
      'end',
    );
    await routerVtysh(
      NS_HOST,
      'configure terminal',
      ...bmp,
      `bmp connect ${COLLECTOR_ADDRESS} port ${COLLECTOR_PORT} min-retry 1000 max-retry 10000`,
      'end',
    );
    await until('the refusal in the API', async () => {
      const body = (await http.reader.get(`/hosted-vpcs/${vpcId}/rejected-routes`).expect(200)).body as { rejected: { prefix: string }[] };
      return body.rejected.some((row) => row.prefix === REFUSED) ? true : undefined;
    });
    await operator.goto(`${baseUrl}/console/hosted-vpcs/${vpcId}/refused`);
    await screenshot(operator, 'refused');
    const refused = operator.locator('tbody tr', { hasText: REFUSED });
    await expect(refused.textContent()).resolves.toContain('overlaps-vpc-cidr');
  });

  it('diffs two revisions: the one that added the later prefix', async () => {
    const changes = (await http.reader.get(`/hosted-vpcs/${vpcId}/route-changes?prefix=${encodeURIComponent(LATER)}`).expect(200)).body as {
      changes: { revision: number; action: string }[];
    };
    const added = changes.changes.find((change) => change.action === 'add')!;
    await operator.goto(`${baseUrl}/console/hosted-vpcs/${vpcId}/revisions`);
    await operator.getByLabel('Diff from revision').fill(String(added.revision - 1));
    await operator.getByLabel('to revision').fill(String(added.revision));
    await operator.getByRole('button', { name: 'Diff revisions' }).click();
    const diff = operator.locator('#diff');
    await expect(diff.locator('h2').textContent()).resolves.toContain('1 added, 0 changed, 0 removed');
    await expect(diff.locator('tbody tr td:first-child').allTextContents()).resolves.toEqual([LATER]);
    await screenshot(operator, 'diff');
    // The change log says what caused each change: the add came with the session's announcement.
    const logged = operator
      .locator('section', { hasText: 'Change log' })
      .locator('tbody tr', { hasText: LATER })
      .filter({ hasText: 'add' });
    await expect(logged.locator('td.cause').textContent()).resolves.toMatch(/^announce \(session \d+\)$/);

    // The same question by time (UTC, to the second): the table just before the add against now.
    const addedAt = Date.parse(
      (
        (
          await http.reader
            .get(`/hosted-vpcs/${vpcId}/route-changes?fromRevision=${added.revision}&toRevision=${added.revision}`)
            .expect(200)
        ).body as { changes: { recordedAt: string }[] }
      ).changes[0]!.recordedAt,
    );
    const second = (ms: number) => new Date(ms).toISOString().slice(0, 19);
    await operator.getByLabel('or the table at (UTC)').fill(second(addedAt - 1000));
    await operator.getByLabel('against the table at (UTC)').fill(second(Date.now() + 1000));
    await operator.getByRole('button', { name: 'Diff times' }).click();
    await operator.waitForURL(/fromTime=/);
    await expect(operator.locator('#diff').textContent()).resolves.toMatch(/The table at .* was revision \d+; at .*, revision \d+\./);
    const byTime = operator.locator('#diff tbody tr', { hasText: LATER });
    await expect(byTime.locator('td').nth(1).textContent()).resolves.toBe('add');
  });

  it('shows the overview (session up, host, VPC counts) and the audit trail of the console actions', async () => {
    await operator.goto(`${baseUrl}/console`);
    const session = operator.locator('section', { hasText: 'BGP sessions' }).locator('tbody tr').first();
    await expect(session.textContent()).resolves.toMatch(/console-vpc[\s\S]*con-host[\s\S]*169\.254\.231\.1 AS65231[\s\S]*established/);
    const vpc = operator.locator('section', { hasText: 'Hosted VPCs' }).locator('tbody tr').first();
    // Three routes active, one refused, one of one session up.
    await expect(vpc.locator('td.num').allTextContents()).resolves.toEqual([expect.any(String), '3', '1', '1 / 1']);
    await screenshot(operator, 'overview');

    await operator.goto(`${baseUrl}/console/audit?entityType=host`);
    const actions = await operator.locator('tbody tr td:nth-child(3)').allTextContents();
    const actors = await operator.locator('tbody tr td:nth-child(2)').allTextContents();
    // Newest first: the apply, the dry-run (both from the console), the host's creation (through the API).
    expect(actions).toEqual(['frr.apply', 'frr.dry-run', 'host.create']);
    expect(actors.map((actor) => actor.split(' ')[0])).toEqual(['operator-1', 'operator-1', 'operator-1']);
  });

  it('lets a read token look but not apply', async () => {
    const reader = await signIn(READ_TOKEN);
    await reader.goto(`${baseUrl}/console/hosts/${hostId}`);
    await expect(reader.getByRole('button', { name: 'Apply…' }).count()).resolves.toBe(0);
    await expect(reader.locator('main').textContent()).resolves.toContain('you can look, not apply');
    // Posting the form anyway (as a crafted request from the signed-in browser) is refused.
    const before = ((await http.reader.get(`/hosts/${hostId}/applies`).expect(200)).body as unknown[]).length;
    const response = await reader.request.post(`${baseUrl}/console/hosts/${hostId}/apply`, { form: { mode: 'apply', _csrf: 'x' } });
    expect(response.status()).toBe(403);
    expect(await response.text()).toContain('the read role may look but not act');
    expect(((await http.reader.get(`/hosts/${hostId}/applies`).expect(200)).body as unknown[]).length).toBe(before);
  });

  it("refuses an operator's write without the session's CSRF token", async () => {
    const before = ((await http.reader.get(`/hosts/${hostId}/applies`).expect(200)).body as unknown[]).length;
    const response = await operator.request.post(`${baseUrl}/console/hosts/${hostId}/apply`, {
      form: { mode: 'dry-run', _csrf: 'forged' },
    });
    expect(response.status()).toBe(403);
    // The session cookie reads the API (the live table's stream) but never writes through it.
    const throughApi = await operator.request.post(`${baseUrl}/api/v1/hosts/${hostId}/apply`, { data: { dryRun: true } });
    expect(throughApi.status()).toBe(401);
    const read = await operator.request.get(`${baseUrl}/api/v1/hosted-vpcs/${vpcId}/routes`);
    expect(read.status()).toBe(200);
    expect(((await http.reader.get(`/hosts/${hostId}/applies`).expect(200)).body as unknown[]).length).toBe(before);
  });

  it('answers an unknown VPC with a page that says so', async () => {
    const response = await operator.goto(`${baseUrl}/console/hosted-vpcs/99999`);
    expect(response?.status()).toBe(404);
    await expect(operator.getByRole('alert').textContent()).resolves.toContain('99999');
  });
});
