/**
 * The drift computation against real FRR 8.4.4 output (test/fixtures/drift/, recorded by
 * record-frr.sh from a host whose bgpd was loaded with route-broker's rendering of FIXTURE_HOST).
 */
import { readFileSync } from 'node:fs';
import type { HostDesiredState, SessionDesiredState, TunnelDesiredState } from '../config/desired-state.js';
import { renderHostConfig } from '../config/render-frr-config.js';
import { routerBgpEntries } from '../apply/frr-config-text.js';
import {
  ABSENT,
  ObservedOutputError,
  computeDrift,
  configDrift,
  describeTunnelDrift,
  greKeyText,
  driftFingerprint,
  failureFingerprint,
  isLinkUp,
  linkStates,
  peerStates,
  sessionStateClass,
  type DesiredHostState,
  type DesiredTunnel,
  type DriftReport,
  type ObservedHostState,
} from './drift.js';

const FIXTURES = new URL('../../../test/fixtures/drift/', import.meta.url);
const fixture = (name: string): string => readFileSync(new URL(name, FIXTURES), 'utf8');
const observed = (scenario: string): ObservedHostState => ({
  runningConfig: fixture(`${scenario}.running-config.txt`),
  bgpSummaryJson: fixture(`${scenario}.bgp-summary.json`),
  interfacesJson: fixture(`${scenario}.interfaces.json`),
});

const PASSWORD = 'Dr1ftS3cret';

const session = (peerAddress: string, description: string, md5Password: string | null): SessionDesiredState => ({
  peerAddress,
  localAsn: 64512,
  peerAsn: 65301,
  description,
  md5Password,
  keepaliveSeconds: 3,
  holdTimeSeconds: 9,
  bfd: false,
  gracefulRestart: true,
  ipv4Unicast: { importPrefixes: [{ prefix: '10.99.0.0/16', le: 24 }], exportPrefixes: [{ prefix: '10.31.0.0/16' }], maxPrefix: 1000 },
  ipv6Unicast: null,
});

const tunnel = (n: number, local: string, remote: string, sessions: SessionDesiredState[]): TunnelDesiredState => ({
  interfaceName: `dr-pe${n}`,
  tunnelKey: 3100 + n,
  localUnderlay: '192.0.2.31',
  remoteUnderlay: '198.51.100.31',
  mtu: 1476,
  ttl: 255,
  ipv4: { localAddress: local, remoteAddress: remote, prefixLength: 30 },
  ipv6: null,
  sessions,
});

/** The host record-frr.sh ran: three tunnels, one session each, the first with MD5. */
const FIXTURE_HOST: HostDesiredState = {
  host: { name: 'driftrec-host', routerId: '10.31.0.1', asn: 64512 },
  gracefulRestart: { restartTimeSeconds: 120 },
  bmp: null,
  tunnels: [
    tunnel(1, '169.254.231.2', '169.254.231.1', [session('169.254.231.1', 'acme primary', PASSWORD)]),
    tunnel(2, '169.254.231.6', '169.254.231.5', [session('169.254.231.5', 'acme backup', null)]),
    tunnel(3, '169.254.231.10', '169.254.231.9', [session('169.254.231.9', '', null)]),
  ],
};

/** What HostDriftService hands drift.ts for a host: the rendering and the inventory's tunnels and sessions. */
function desiredOf(state: HostDesiredState): DesiredHostState {
  const rendered = renderHostConfig(state);
  return {
    frrConf: rendered.frrConf,
    tunnelProvisioning: 'managed',
    tunnels: rendered.tunnels,
    sessions: state.tunnels.flatMap((t) => t.sessions.map((s) => ({ peerAddress: s.peerAddress, interfaceName: t.interfaceName }))),
  };
}

const DESIRED = desiredOf(FIXTURE_HOST);
const EMPTY: DriftReport = { drifted: false, config: { missing: [], extra: [] }, sessions: [], tunnels: [] };

describe('drift fixtures', () => {
  it('were recorded from the current rendering (re-run record-frr.sh after a template change)', () => {
    expect(DESIRED.frrConf).toBe(fixture('desired.frr.conf'));
  });
});

describe('computeDrift on real FRR 8.4 output', () => {
  it('finds nothing on a host that runs what route-broker renders (header, vtysh service line, end do not count)', () => {
    expect(computeDrift(DESIRED, observed('in-sync'))).toEqual(EMPTY);
  });

  it('reports exactly what was changed behind route-broker’s back', () => {
    expect(computeDrift(DESIRED, observed('drifted'))).toEqual({
      drifted: true,
      config: {
        missing: [
          'ip prefix-list RB-dr-pe1-169_254_231_1-V4-OUT seq 5 permit 10.31.0.0/16',
          'router bgp 64512 › neighbor 169.254.231.1 description acme primary',
        ],
        extra: [
          'router bgp 64512 › neighbor 169.254.231.1 description changed by hand',
          'router bgp 64512 › neighbor 169.254.231.5 shutdown',
        ],
      },
      sessions: [
        { peerAddress: '169.254.231.5', interfaceName: 'dr-pe2', state: 'Idle (Admin)' },
        { peerAddress: '169.254.231.9', interfaceName: 'dr-pe3', state: 'Idle' },
      ],
      tunnels: [
        {
          interfaceName: 'dr-pe1',
          problem: 'address',
          family: 'ipv4',
          expected: '169.254.231.2/30',
          observed: ['169.254.231.2/30', '169.254.232.2/30'],
        },
        { interfaceName: 'dr-pe2', problem: 'mtu', expectedMtu: 1476, observedMtu: 1500 },
        { interfaceName: 'dr-pe3', problem: 'down', adminUp: false, operState: 'DOWN' },
      ],
    });
  });

  it('a host whose router bgp was removed: every bgp line missing, every session absent', () => {
    const report = computeDrift(DESIRED, observed('no-router-bgp'));
    expect(report.config.missing).toEqual(
      [...routerBgpEntries(DESIRED.frrConf), 'ip prefix-list RB-dr-pe1-169_254_231_1-V4-OUT seq 5 permit 10.31.0.0/16']
        .map((entry) => entry.replace(/(password) \S+$/, '$1 <redacted>'))
        .sort(),
    );
    expect(report.config.extra).toEqual([]);
    expect(report.sessions.map((s) => s.state)).toEqual([ABSENT, ABSENT, ABSENT]);
    expect(peerStates(fixture('no-router-bgp.bgp-summary.json')).size).toBe(0);
  });

  it('never puts a password in the report; a changed password shows as <redacted> on both sides', () => {
    for (const scenario of ['in-sync', 'drifted', 'no-router-bgp']) {
      expect(JSON.stringify(computeDrift(DESIRED, observed(scenario)))).not.toContain(PASSWORD);
    }
    const changed = (password: string): ObservedHostState => ({
      ...observed('in-sync'),
      runningConfig: fixture('in-sync.running-config.txt').replace(`password ${PASSWORD}`, `password ${password}`),
    });
    const report = computeDrift(DESIRED, changed('0ther$ecret'));
    expect(report.config).toEqual({
      missing: ['router bgp 64512 › neighbor 169.254.231.1 password <redacted>'],
      extra: ['router bgp 64512 › neighbor 169.254.231.1 password <redacted>'],
    });
    expect(JSON.stringify(report)).not.toContain('0ther$ecret');
    // The fingerprint does not depend on (and so cannot reveal) the password either.
    expect(driftFingerprint(computeDrift(DESIRED, changed('Y3tAnother')))).toBe(driftFingerprint(report));
  });

  it('reports a tunnel that does not exist, and a session of it that bgpd does not know', () => {
    const extra = tunnel(4, '169.254.231.14', '169.254.231.13', [session('169.254.231.13', 'acme extra', null)]);
    const state = { ...FIXTURE_HOST, tunnels: [...FIXTURE_HOST.tunnels, extra] };
    const report = computeDrift(desiredOf(state), observed('in-sync'));
    expect(report.tunnels).toEqual([{ interfaceName: 'dr-pe4', problem: 'missing' }]);
    expect(report.sessions).toEqual([{ peerAddress: '169.254.231.13', interfaceName: 'dr-pe4', state: ABSENT }]);
    expect(report.config.missing).toContain('router bgp 64512 › neighbor 169.254.231.13 remote-as 65301');
    expect(report.config.extra).toEqual([]);
  });

  it('on the shared lab host (configured by scripts/lab, not by route-broker) sees the difference from the inventory', () => {
    // An inventory of one IPv4 session over a dual-stack t-pe with the default MTU 1476 (the lab's is 1500).
    const lab: HostDesiredState = {
      host: { name: 'rb-host1', routerId: '10.0.0.11', asn: 64512 },
      gracefulRestart: { restartTimeSeconds: 120 },
      bmp: null,
      tunnels: [
        {
          ...tunnel(0, '169.254.101.2', '169.254.101.1', []),
          ipv6: { localAddress: 'fd00:101::2', remoteAddress: 'fd00:101::1', prefixLength: 126 },
          interfaceName: 't-pe',
          sessions: [
            {
              ...session('169.254.101.1', 'lab rb-host1 to rb-pe', null),
              peerAsn: 65001,
              ipv4Unicast: { importPrefixes: [], exportPrefixes: [{ prefix: '10.10.0.0/16' }], maxPrefix: 1000 },
            },
          ],
        },
      ],
    };
    const report = computeDrift(desiredOf(lab), observed('lab-rb-host1'));
    expect(report.drifted).toBe(true);
    // The lab's IPv6 session is not in the inventory: the next apply would remove it.
    expect(report.config.extra).toEqual(expect.arrayContaining(['router bgp 64512 › neighbor fd00:101::1 remote-as 65001']));
    expect(report.config.missing).toEqual(
      expect.arrayContaining(['router bgp 64512 › neighbor 169.254.101.1 description lab rb-host1 to rb-pe']),
    );
    expect(report.sessions).toEqual([]);
    expect(report.tunnels).toEqual([{ interfaceName: 't-pe', problem: 'mtu', expectedMtu: 1476, observedMtu: 1500 }]);
  });
});

describe('config comparison', () => {
  const rendered = DESIRED.frrConf;

  it('ignores indentation, repeated spaces, comments, exit lines and block order', () => {
    const blocks = rendered.split(/\n!\n/);
    const reshuffled = [...blocks]
      .reverse()
      .join('\n!\n')
      .replace(/^ +/gm, (indent) => '   '.repeat(indent.length))
      .replace(/ remote-as /g, '   remote-as ')
      .replace(/^exit$/gm, '! nothing here\nexit');
    expect(configDrift(rendered, reshuffled)).toEqual({ missing: [], extra: [] });
  });

  it('ignores vtysh’s own service line unless the rendered config has one; a second hostname counts', () => {
    expect(configDrift(rendered, `${rendered}service integrated-vtysh-config\n`)).toEqual({ missing: [], extra: [] });
    expect(configDrift(`${rendered}no service integrated-vtysh-config\n`, `${rendered}service integrated-vtysh-config\n`)).toEqual({
      missing: ['no service integrated-vtysh-config'],
      extra: ['service integrated-vtysh-config'],
    });
    // vtysh's hostname when vtysh.conf has none (apply/README.md): frr-reload would remove it.
    expect(configDrift(rendered, `${rendered}hostname vm\n`).extra).toEqual(['hostname vm']);
  });

  it('compares a 500-session host quickly', () => {
    const golden = readFileSync(new URL('../../../test/golden/frr/500-sessions.frr.conf', import.meta.url), 'utf8');
    const running = golden.replace(/^ neighbor (\S+) timers 30 90\n/m, '');
    const started = performance.now();
    const found = configDrift(golden, `frr version 8.4.4\n${running}no service integrated-vtysh-config\nend\n`);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(found.extra).toEqual([]);
    expect(found.missing).toHaveLength(1);
    expect(found.missing[0]).toMatch(/^router bgp \d+ › neighbor \S+ timers 30 90$/);
  });

  it('a line in another context is a different line', () => {
    const moved = rendered.replace(
      '  neighbor 169.254.231.9 maximum-prefix 1000\n',
      '  neighbor 169.254.231.9 maximum-prefix 1000\n exit-address-family\n address-family ipv6 unicast\n  neighbor 169.254.231.9 activate\n',
    );
    expect(configDrift(rendered, moved).extra).toEqual([
      'router bgp 64512 › address-family ipv6 unicast',
      'router bgp 64512 › address-family ipv6 unicast › neighbor 169.254.231.9 activate',
      'router bgp 64512 › address-family ipv6 unicast › neighbor 169.254.231.9 route-map RB-dr-pe3-169_254_231_9-V4-IN in',
      'router bgp 64512 › address-family ipv6 unicast › neighbor 169.254.231.9 route-map RB-dr-pe3-169_254_231_9-V4-OUT out',
    ]);
  });
});

/** A tunnel as renderHostConfig().tunnels has it, with what a test changes. */
const greTunnel = (change: Partial<DesiredTunnel> = {}): DesiredTunnel => ({
  interfaceName: 'gre-pe1',
  localUnderlay: '192.0.2.10',
  remoteUnderlay: '198.51.100.1',
  key: 1001,
  ttl: 255,
  mtu: 1476,
  ipv4: '169.254.1.2/30',
  ipv6: null,
  ...change,
});

/**
 * `ip -d -j addr show` of one GRE tunnel, in the shape iproute2's link_gre.c prints (keys as
 * dotted quads, `ttl` a number). This kernel has no GRE module, so it is written from that source.
 */
const greLink = (info: Record<string, unknown>, addresses: { family: string; local: string; prefixlen: number; scope?: string }[]) =>
  JSON.stringify([
    {
      ifname: 'gre-pe1',
      flags: ['POINTOPOINT', 'NOARP', 'UP', 'LOWER_UP'],
      mtu: 1476,
      operstate: 'UNKNOWN',
      linkinfo: { info_kind: 'gre', info_data: info },
      addr_info: addresses.map((address) => ({ scope: 'global', ...address })),
    },
  ]);

const GRE_AS_RENDERED = { remote: '198.51.100.1', local: '192.0.2.10', ttl: 255, pmtudisc: true, ikey: '0.0.3.233', okey: '0.0.3.233' };

describe('tunnels', () => {
  const check = (provisioning: 'managed' | 'external', tunnel: DesiredTunnel, interfacesJson: string) =>
    computeDrift(
      { frrConf: '', tunnelProvisioning: provisioning, tunnels: [tunnel], sessions: [] },
      { runningConfig: '', bgpSummaryJson: '{}', interfacesJson },
    ).tunnels;

  it('prints GRE keys as iproute2 does', () => {
    expect([0, 1, 1001, 0x01020304, 0xffffffff].map(greKeyText)).toEqual(['0.0.0.0', '0.0.0.1', '0.0.3.233', '1.2.3.4', '255.255.255.255']);
  });

  it('a managed GRE tunnel as rendered has no drift; each parameter that differs is one problem', () => {
    const v4 = [{ family: 'inet', local: '169.254.1.2', prefixlen: 30 }];
    expect(check('managed', greTunnel(), greLink(GRE_AS_RENDERED, v4))).toEqual([]);
    const changed = greLink({ ...GRE_AS_RENDERED, remote: '198.51.100.9', ttl: 64, okey: '0.0.3.234' }, v4);
    expect(check('managed', greTunnel(), changed)).toEqual([
      { interfaceName: 'gre-pe1', problem: 'gre', parameter: 'okey', expected: '0.0.3.233', observed: '0.0.3.234' },
      { interfaceName: 'gre-pe1', problem: 'gre', parameter: 'remote', expected: '198.51.100.1', observed: '198.51.100.9' },
      { interfaceName: 'gre-pe1', problem: 'gre', parameter: 'ttl', expected: '255', observed: '64' },
    ]);
    // A tunnel without a key prints none: that differs too.
    const { ikey: _ikey, okey: _okey, ...keyless } = GRE_AS_RENDERED;
    expect(check('managed', greTunnel(), greLink(keyless, v4)).map((problem) => 'observed' in problem && problem.observed)).toEqual([
      'none',
      'none',
    ]);
    // Someone else's tunnel: its GRE parameters are theirs.
    expect(check('external', greTunnel(), changed)).toEqual([]);
  });

  it('the inner addresses must be exactly the inventory’s, per family; link-local ones do not count', () => {
    const tunnel = greTunnel({ ipv6: 'fd00:1::2/126' });
    const addresses = [
      { family: 'inet', local: '169.254.1.2', prefixlen: 30 },
      { family: 'inet6', local: 'fd00:1:0:0::2', prefixlen: 126 },
      { family: 'inet6', local: 'fe80::1', prefixlen: 64, scope: 'link' },
    ];
    expect(check('external', tunnel, greLink(GRE_AS_RENDERED, addresses))).toEqual([]);
    expect(
      check('external', tunnel, greLink(GRE_AS_RENDERED, [addresses[0]!, { family: 'inet6', local: 'fd00:1::2', prefixlen: 64 }])),
    ).toEqual([{ interfaceName: 'gre-pe1', problem: 'address', family: 'ipv6', expected: 'fd00:1::2/126', observed: ['fd00:1::2/64'] }]);
    // An IPv6-only tunnel with an IPv4 address left over from before.
    expect(check('managed', greTunnel({ ipv4: null, ipv6: 'fd00:1::2/126' }), greLink(GRE_AS_RENDERED, addresses))).toEqual([
      { interfaceName: 'gre-pe1', problem: 'address', family: 'ipv4', expected: null, observed: ['169.254.1.2/30'] },
    ]);
  });

  it('describes each problem in one line', () => {
    const problems = check('managed', greTunnel({ mtu: 1400 }), greLink({ ...GRE_AS_RENDERED, ttl: 64 }, []));
    expect(problems.map(describeTunnelDrift)).toEqual([
      'gre-pe1: mtu 1476, expected 1400',
      'gre-pe1: ipv4 addresses [], expected [169.254.1.2/30]',
      'gre-pe1: gre ttl 64, expected 255',
    ]);
  });
});

describe('sessions and links', () => {
  it('reads every address family of the BGP summary (the lab host has IPv4 and IPv6)', () => {
    expect(peerStates(fixture('lab-rb-host1.bgp-summary.json'))).toEqual(
      new Map([
        ['169.254.101.1', 'Established'],
        ['fd00:101::1', 'Established'],
      ]),
    );
  });

  it('a peer in two families keeps the state that is not Established', () => {
    const summary = JSON.stringify({
      ipv4Unicast: { peers: { '10.0.0.1': { state: 'Established' } } },
      ipv6Unicast: { peers: { '10.0.0.1': { state: 'Idle (PfxCt)' } } },
      l2VpnEvpn: { peers: { '10.0.0.1': { state: 'Established' } } },
    });
    expect(peerStates(summary).get('10.0.0.1')).toBe('Idle (PfxCt)');
  });

  it('lists sessions in FRR’s peer order (IPv4 before IPv6, numerically), whatever the inventory order', () => {
    const summary = JSON.stringify({ ipv4Unicast: { peers: {} } });
    const sessions = ['fd00::2', '10.0.0.10', 'fd00::1', '10.0.0.9'].map((peerAddress) => ({ peerAddress, interfaceName: 'gre-x' }));
    const report = computeDrift(
      { frrConf: '', tunnelProvisioning: 'managed', tunnels: [], sessions },
      { runningConfig: '', bgpSummaryJson: summary, interfacesJson: '[]' },
    );
    expect(report.sessions.map((s) => s.peerAddress)).toEqual(['10.0.0.9', '10.0.0.10', 'fd00::1', 'fd00::2']);
  });

  it('a GRE tunnel that is up reports operstate UNKNOWN: that is up; no carrier or DOWN is down', () => {
    const links = linkStates(
      JSON.stringify([
        { ifname: 'gre-up', flags: ['POINTOPOINT', 'NOARP', 'UP', 'LOWER_UP'], mtu: 1476, operstate: 'UNKNOWN' },
        { ifname: 'veth-nc', flags: ['NO-CARRIER', 'BROADCAST', 'MULTICAST', 'UP'], mtu: 1476, operstate: 'LOWERLAYERDOWN' },
        { ifname: 'gre-off', flags: ['POINTOPOINT', 'NOARP'], mtu: 1476, operstate: 'DOWN' },
      ]),
    );
    expect([...links.entries()].map(([name, link]) => [name, isLinkUp(link)])).toEqual([
      ['gre-up', true],
      ['veth-nc', false],
      ['gre-off', false],
    ]);
  });

  it('a down tunnel with the wrong MTU is reported twice, down first', () => {
    const link = JSON.stringify([{ ifname: 'gre-a', flags: ['POINTOPOINT', 'NOARP', 'UP'], mtu: 1400, operstate: 'LOWERLAYERDOWN' }]);
    const report = computeDrift(
      { frrConf: '', tunnelProvisioning: 'external', tunnels: [greTunnel({ interfaceName: 'gre-a', ipv4: null })], sessions: [] },
      { runningConfig: '', bgpSummaryJson: '{}', interfacesJson: link },
    );
    expect(report.tunnels).toEqual([
      { interfaceName: 'gre-a', problem: 'down', adminUp: true, operState: 'LOWERLAYERDOWN' },
      { interfaceName: 'gre-a', problem: 'mtu', expectedMtu: 1476, observedMtu: 1400 },
    ]);
  });

  it('refuses output that is not what the command prints', () => {
    const bad = (change: Partial<ObservedHostState>) => () => computeDrift(DESIRED, { ...observed('in-sync'), ...change });
    expect(bad({ bgpSummaryJson: '% Unknown command: show bgp summary json' })).toThrow(ObservedOutputError);
    expect(bad({ bgpSummaryJson: '[]' })).toThrow('expected an object');
    expect(bad({ interfacesJson: '{"ifname":"lo"}' })).toThrow('expected an array');
    expect(bad({ interfacesJson: 'Object "addr" is unknown, try "ip help".' })).toThrow(/ip -d -j addr show is not JSON/);
  });
});

describe('fingerprint', () => {
  const drifted = computeDrift(DESIRED, observed('drifted'));

  it('is the same for the same findings, whatever the order of the outputs and of the inventory', () => {
    const links = JSON.parse(fixture('drifted.interfaces.json')) as unknown[];
    const summary = JSON.parse(fixture('drifted.bgp-summary.json')) as { ipv4Unicast: { peers: Record<string, unknown> } };
    summary.ipv4Unicast.peers = Object.fromEntries(Object.entries(summary.ipv4Unicast.peers).reverse());
    const reversedDesired: DesiredHostState = {
      ...DESIRED,
      tunnels: [...DESIRED.tunnels].reverse(),
      sessions: [...DESIRED.sessions].reverse(),
    };
    const again = computeDrift(reversedDesired, {
      runningConfig: fixture('drifted.running-config.txt').split(/\n!\n/).reverse().join('\n!\n'),
      bgpSummaryJson: JSON.stringify(summary),
      interfacesJson: JSON.stringify(links.reverse()),
    });
    expect(again).toEqual(drifted);
    expect(driftFingerprint(again)).toBe(driftFingerprint(drifted));
    expect(driftFingerprint(drifted)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('differs when anything found differs', () => {
    const inSync = driftFingerprint(computeDrift(DESIRED, observed('in-sync')));
    expect(inSync).toBe(driftFingerprint(EMPTY));
    expect(driftFingerprint(drifted)).not.toBe(inSync);
    const mtu = structuredClone(drifted);
    mtu.tunnels[0] = { interfaceName: 'dr-pe2', problem: 'mtu', expectedMtu: 1476, observedMtu: 9000 };
    expect(driftFingerprint(mtu)).not.toBe(driftFingerprint(drifted));
    const fewer = structuredClone(drifted);
    fewer.config.extra.pop();
    expect(driftFingerprint(fewer)).not.toBe(driftFingerprint(drifted));
  });

  it('a session trying to come up (Idle, Connect, Active…) is one state; shut down, max-prefix and absent are not', () => {
    const withState = (state: string): string => {
      const report = structuredClone(drifted);
      report.sessions[1]!.state = state;
      return driftFingerprint(report);
    };
    expect(new Set(['Idle', 'Connect', 'Active', 'OpenSent', 'OpenConfirm'].map(withState)).size).toBe(1);
    expect(new Set(['Idle', 'Idle (Admin)', 'Idle (PfxCt)', ABSENT].map(withState)).size).toBe(4);
    expect(['Established', 'Active', 'Idle (Admin)', 'Idle (PfxCt)', ABSENT].map(sessionStateClass)).toEqual([
      'Established',
      'down',
      'admin-down',
      'max-prefix',
      ABSENT,
    ]);
  });

  it('a failed check has its own fingerprint, the same for the same failure', () => {
    expect(failureFingerprint('connection refused')).toBe(failureFingerprint('connection refused'));
    expect(failureFingerprint('connection refused')).not.toBe(failureFingerprint('host key mismatch'));
    expect(failureFingerprint('')).not.toBe(driftFingerprint(EMPTY));
  });
});
