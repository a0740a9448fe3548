/**
 * renderHostConfig: golden files (byte for byte; UPDATE_GOLDEN=1 rewrites them), determinism,
 * validation of every field with its path, and that nothing user-supplied can add a line.
 * That the output is what FRR 8.4 prints back is test/integration/frr-render-roundtrip.spec.ts.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { HostDesiredState, SessionDesiredState, TunnelDesiredState } from './desired-state.js';
import { desiredStateFromInventory } from './desired-state.js';
import { policyName, renderHostConfig } from './render-frr-config.js';
import { DesiredStateError, desiredStateProblems, validateDesiredState } from './validate-desired-state.js';

const GOLDEN_DIR = fileURLToPath(new URL('../../../test/golden/frr/', import.meta.url));
const UPDATE = process.env.UPDATE_GOLDEN === '1';

function expectGolden(name: string, actual: string): void {
  const path = `${GOLDEN_DIR}${name}`;
  if (UPDATE) {
    mkdirSync(GOLDEN_DIR, { recursive: true });
    writeFileSync(path, actual);
  }
  if (!existsSync(path)) throw new Error(`golden file ${path} missing: run with UPDATE_GOLDEN=1 to create it`);
  // Compared as bytes: a missing trailing newline or a stray space is a difference too.
  expect(Buffer.from(actual).equals(readFileSync(path))).toBe(true);
  expect(actual).toBe(readFileSync(path, 'utf8')); // the same check again, for a readable diff
}

const BMP = { name: 'collector', address: '10.255.1.1', port: 11019, minRetryMs: 1000, maxRetryMs: 30000 };

function session(overrides: Partial<SessionDesiredState> & Pick<SessionDesiredState, 'peerAddress'>): SessionDesiredState {
  return {
    localAsn: 64512,
    peerAsn: 65001,
    description: '',
    md5Password: null,
    keepaliveSeconds: 30,
    holdTimeSeconds: 90,
    bfd: false,
    gracefulRestart: true,
    ipv4Unicast: null,
    ipv6Unicast: null,
    ...overrides,
  };
}

function tunnel(index: number, overrides: Partial<TunnelDesiredState> = {}): TunnelDesiredState {
  // 169.254.<hi>.<lo*4>/30 per tunnel: index up to 16383.
  const base = index * 4;
  const inner = `169.254.${Math.floor(base / 256)}.${base % 256}`.split('.');
  const address = (last: number) => [...inner.slice(0, 3), String(Number(inner[3]) + last)].join('.');
  return {
    interfaceName: `gre-pe${index}`,
    tunnelKey: 1000 + index,
    localUnderlay: '192.0.2.10',
    remoteUnderlay: `198.18.${Math.floor(index / 250)}.${(index % 250) + 1}`,
    mtu: 1476,
    ttl: 255,
    ipv4: { localAddress: address(2), remoteAddress: address(1), prefixLength: 30 },
    ipv6: null,
    sessions: [],
    ...overrides,
  };
}

function singleIpv4(): HostDesiredState {
  return {
    host: { name: 'host-a', routerId: '10.0.0.11', asn: 64512 },
    gracefulRestart: { restartTimeSeconds: 120 },
    bmp: BMP,
    tunnels: [
      tunnel(1, {
        sessions: [
          session({
            peerAddress: '169.254.0.5',
            description: 'Customer A',
            ipv4Unicast: {
              importPrefixes: [{ prefix: '10.20.0.0/16', le: 24 }],
              exportPrefixes: [{ prefix: '203.0.113.0/24' }],
              maxPrefix: 1000,
            },
          }),
        ],
      }),
    ],
  };
}

function dualStack(): HostDesiredState {
  return {
    host: { name: 'host-b', routerId: '10.0.0.12', asn: 64513 },
    gracefulRestart: { restartTimeSeconds: 300 },
    bmp: { ...BMP, address: 'fd00:ff::1' },
    tunnels: [
      tunnel(2, {
        ipv6: { localAddress: 'fd00:2::2', remoteAddress: 'fd00:2::1', prefixLength: 126 },
        sessions: [
          session({
            peerAddress: 'fd00:2::1',
            localAsn: 64513,
            description: 'Customer B v6',
            md5Password: 'v6-s3cret!',
            bfd: true,
            ipv6Unicast: {
              importPrefixes: [{ prefix: '2001:db8:100::/40', ge: 48, le: 64 }, { prefix: '::/0' }],
              exportPrefixes: [{ prefix: '2001:db8:ff::/48' }],
              maxPrefix: 200,
            },
          }),
          session({
            peerAddress: '169.254.0.9',
            localAsn: 64513,
            description: 'Customer B v4',
            md5Password: 'v4-s3cret#',
            bfd: true,
            keepaliveSeconds: 10,
            holdTimeSeconds: 30,
            ipv4Unicast: {
              importPrefixes: [{ prefix: '198.51.100.0/24' }, { prefix: '10.0.0.0/8', ge: 16, le: 24 }],
              exportPrefixes: [{ prefix: '203.0.113.0/24' }, { prefix: '203.0.113.128/25', le: 32 }],
              maxPrefix: 1000,
            },
          }),
        ],
      }),
      tunnel(1, {
        sessions: [
          session({
            peerAddress: '169.254.0.5',
            localAsn: 64513,
            peerAsn: 65002,
            gracefulRestart: false,
            ipv4Unicast: { importPrefixes: [], exportPrefixes: [], maxPrefix: 10 },
          }),
        ],
      }),
    ],
  };
}

/** 250 tunnels, each with an IPv4 and an IPv6 session: 500 sessions, generated deterministically. */
function manySessions(tunnels: number): HostDesiredState {
  return {
    host: { name: 'host-big', routerId: '10.0.0.99', asn: 4200000000 },
    gracefulRestart: { restartTimeSeconds: 240 },
    bmp: BMP,
    tunnels: Array.from({ length: tunnels }, (_, i) => {
      const hex = (i + 1).toString(16);
      return tunnel(i + 1, {
        ipv6: { localAddress: `fd00:${hex}::2`, remoteAddress: `fd00:${hex}::1`, prefixLength: 126 },
        sessions: [
          session({
            peerAddress: tunnel(i + 1).ipv4!.remoteAddress,
            localAsn: 4200000000,
            peerAsn: 65000 + (i % 100),
            description: `vpc-${i + 1} v4`,
            md5Password: i % 3 === 0 ? `key-${i + 1}` : null,
            bfd: i % 2 === 0,
            ipv4Unicast: {
              importPrefixes: [{ prefix: `10.${i % 256}.0.0/16`, le: 24 }],
              exportPrefixes: [{ prefix: `100.${64 + (i % 64)}.${i % 256}.0/24` }],
              maxPrefix: 1000,
            },
          }),
          session({
            peerAddress: `fd00:${hex}::1`,
            localAsn: 4200000000,
            peerAsn: 65000 + (i % 100),
            description: `vpc-${i + 1} v6`,
            gracefulRestart: i % 5 !== 0,
            ipv6Unicast: {
              importPrefixes: [{ prefix: `2001:db8:${hex}::/48`, le: 64 }],
              exportPrefixes: [{ prefix: `2001:db8:ff${(i % 256).toString(16).padStart(2, '0')}::/48` }],
              maxPrefix: 500,
            },
          }),
        ],
      });
    }),
  };
}

/** A copy with every list reversed: the output must not depend on input order. */
function reversed(state: HostDesiredState): HostDesiredState {
  const copy = structuredClone(state);
  copy.tunnels.reverse();
  for (const t of copy.tunnels) {
    t.sessions.reverse();
    for (const s of t.sessions) {
      for (const policy of [s.ipv4Unicast, s.ipv6Unicast]) {
        policy?.importPrefixes.reverse();
        policy?.exportPrefixes.reverse();
      }
    }
  }
  return copy;
}

function problemsOf(state: HostDesiredState): string[] {
  return desiredStateProblems(state).map((p) => `${p.path}: ${p.message}`);
}

describe('golden files', () => {
  it.each([
    ['single-ipv4', singleIpv4],
    ['dual-stack-bfd-md5', dualStack],
    ['500-sessions', () => manySessions(250)],
  ])('%s', (name, make) => {
    const state = make();
    const rendered = renderHostConfig(state);
    expectGolden(`${name}.frr.conf`, rendered.frrConf);
    expectGolden(`${name}.gre.sh`, rendered.greSetup);
    expect(Buffer.byteLength(rendered.frrConf) + Buffer.byteLength(rendered.greSetup)).toBeLessThan(1024 * 1024);
  });

  it('the 500-session host has 500 neighbors', () => {
    const { frrConf } = renderHostConfig(manySessions(250));
    expect(frrConf.match(/^ neighbor \S+ remote-as /gm)).toHaveLength(500);
    expect(frrConf.match(/^route-map /gm)).toHaveLength(1000);
  });
});

describe('determinism', () => {
  it('renders the same bytes for the same input, and for the input in any order', () => {
    const state = dualStack();
    const first = renderHostConfig(state);
    expect(renderHostConfig(structuredClone(state))).toEqual(first);
    expect(renderHostConfig(reversed(state))).toEqual(first);
    expect(renderHostConfig(reversed(manySessions(40)))).toEqual(renderHostConfig(manySessions(40)));
  });

  it('does not modify its input', () => {
    const state = dualStack();
    const copy = structuredClone(state);
    renderHostConfig(state);
    expect(state).toEqual(copy);
  });

  it('writes neighbors in FRR order (IPv4 before IPv6, numeric), policies by interface then peer', () => {
    const state = singleIpv4();
    state.tunnels = [
      tunnel(9, {
        sessions: [session({ peerAddress: '169.254.0.37', ipv4Unicast: { importPrefixes: [], exportPrefixes: [], maxPrefix: 1 } })],
      }),
      tunnel(10, {
        sessions: [session({ peerAddress: '169.254.0.41', ipv4Unicast: { importPrefixes: [], exportPrefixes: [], maxPrefix: 1 } })],
      }),
    ];
    const { frrConf } = renderHostConfig(state);
    expect(frrConf.match(/^ neighbor (\S+) remote-as/gm)).toEqual([' neighbor 169.254.0.37 remote-as', ' neighbor 169.254.0.41 remote-as']);
    // 'gre-pe10' < 'gre-pe9' as strings
    expect(frrConf.match(/^route-map \S+/gm)).toEqual([
      'route-map RB-gre-pe10-169_254_0_41-V4-IN',
      'route-map RB-gre-pe10-169_254_0_41-V4-OUT',
      'route-map RB-gre-pe9-169_254_0_37-V4-IN',
      'route-map RB-gre-pe9-169_254_0_37-V4-OUT',
    ]);
  });

  it('numbers prefix-list entries explicitly, in steps of 5, sorted by prefix', () => {
    const { frrConf } = renderHostConfig(dualStack());
    expect(frrConf).toContain(
      [
        'ip prefix-list RB-gre-pe2-169_254_0_9-V4-IN seq 5 permit 10.0.0.0/8 ge 16 le 24',
        'ip prefix-list RB-gre-pe2-169_254_0_9-V4-IN seq 10 permit 198.51.100.0/24',
      ].join('\n'),
    );
    expect(frrConf).not.toMatch(/prefix-list \S+ permit/); // never without seq
  });

  it('omits restart-time when it is FRR default 120, and writes it before bgp graceful-restart otherwise', () => {
    expect(renderHostConfig(singleIpv4()).frrConf).not.toContain('restart-time');
    expect(renderHostConfig(dualStack()).frrConf).toContain(' bgp graceful-restart restart-time 300\n bgp graceful-restart\n');
  });

  it('an empty policy is a deny route-map with no prefix-list', () => {
    const { frrConf } = renderHostConfig(dualStack());
    expect(frrConf).toContain('route-map RB-gre-pe1-169_254_0_5-V4-IN deny 10\nexit\n');
    expect(frrConf).not.toContain('prefix-list RB-gre-pe1-169_254_0_5-V4-IN');
  });
});

describe('policyName', () => {
  it('is one safe word per session, family and direction', () => {
    expect(policyName('gre-pe1', '169.254.1.1', 'V4', 'IN')).toBe('RB-gre-pe1-169_254_1_1-V4-IN');
    expect(policyName('gre_x-1', 'fd00:1::1', 'V6', 'OUT')).toBe('RB-gre_x-1-fd00_1__1-V6-OUT');
  });
});

describe('validateDesiredState', () => {
  it('accepts the golden inputs', () => {
    expect(problemsOf(singleIpv4())).toEqual([]);
    expect(problemsOf(dualStack())).toEqual([]);
    expect(problemsOf(manySessions(250))).toEqual([]);
  });

  it('lists every problem with its path', () => {
    const state = dualStack();
    state.host.asn = 0;
    state.host.routerId = 'fd00::1';
    state.bmp = { ...BMP, port: 70000, name: '1bad', maxRetryMs: 500 };
    const t0 = state.tunnels[0]!;
    t0.interfaceName = 'GRE-PE2';
    t0.ttl = 0;
    const [v6, v4] = t0.sessions as [SessionDesiredState, SessionDesiredState];
    v6.description = 'x'.repeat(81);
    v6.ipv6Unicast!.importPrefixes.push({ prefix: '2001:db8:100::/40', ge: 32 }, { prefix: '10.0.0.0/8' }, { prefix: '2001:DB8::/32' });
    v4.peerAddress = '169.254.0.200';
    v4.holdTimeSeconds = 2;
    v4.ipv4Unicast!.importPrefixes.push({ prefix: '10.0.0.0/8', ge: 24, le: 16 }, { prefix: '10.0.0.1/8' }, { prefix: '198.51.100.0/24' });
    state.tunnels[1]!.sessions[0]!.peerAddress = 'fd00:9::1';

    expect(() => validateDesiredState(state)).toThrow(DesiredStateError);
    expect(problemsOf(state)).toEqual([
      'host.asn: must be an ASN, an integer 1..4294967295',
      'host.routerId: must be an IPv4 address in dotted-quad form',
      'bmp.name: must match ^[A-Za-z][A-Za-z0-9_-]{0,63}$',
      'bmp.port: must be an integer 1..65535',
      'bmp.maxRetryMs: must not be less than minRetryMs',
      'tunnels[0].interfaceName: must match ^[a-z][a-z0-9_-]{0,14}$',
      'tunnels[0].ttl: must be an integer 1..255',
      'tunnels[0].sessions[0].description: is longer than 80 characters',
      'tunnels[0].sessions[0].ipv6Unicast.importPrefixes[2].ge: must be at least the prefix length 40',
      'tunnels[0].sessions[0].ipv6Unicast.importPrefixes[3].prefix: 10.0.0.0/8 is an IPv4 prefix in an IPv6 list',
      'tunnels[0].sessions[0].ipv6Unicast.importPrefixes[4].prefix: must be written 2001:db8::/32 (FRR prints it so)',
      'tunnels[0].sessions[1].holdTimeSeconds: must be 0 or at least 3 (RFC 4271)',
      'tunnels[0].sessions[1].ipv4Unicast.importPrefixes[2].le: must be at least ge',
      'tunnels[0].sessions[1].ipv4Unicast.importPrefixes[3].prefix: "10.0.0.1/8" has host bits set: did you mean 10.0.0.0/8?',
      'tunnels[0].sessions[1].ipv4Unicast.importPrefixes[4]: duplicates importPrefixes[0]',
      "tunnels[0].sessions[1].peerAddress: 169.254.0.200 is not in the tunnel's subnet 169.254.0.8/30",
      'tunnels[1].sessions[0].peerAddress: an IPv6 peer address needs IPv6 inner addressing on tunnels[1] (it has IPv4 only)',
    ]);
  });

  it('checks tunnels against each other and peers across tunnels', () => {
    const state = dualStack();
    const copy = structuredClone(state.tunnels[1]!);
    copy.sessions[0]!.peerAddress = '169.254.0.9';
    copy.sessions[0]!.localAsn = 65555;
    state.tunnels.push(copy);
    expect(problemsOf(state)).toEqual([
      'tunnels[2].interfaceName: gre-pe1 is already used by tunnels[1]',
      'tunnels[2].tunnelKey: 1001 is already used by tunnels[1]',
      'tunnels[2].sessions[0].localAsn: must equal host.asn 64513 (per-neighbor local-as is not supported)',
      'tunnels[2].sessions[0].peerAddress: 169.254.0.9 is already the peer of tunnels[0].sessions[1]',
      "tunnels[2].sessions[0].peerAddress: 169.254.0.9 is not in the tunnel's subnet 169.254.0.4/30",
      'tunnels[2].ipv4: subnet 169.254.0.4/30 overlaps the one of tunnels[1]',
    ]);
  });

  it('refuses addresses FRR would print differently, and sessions with no address family', () => {
    const state = dualStack();
    state.tunnels[0]!.ipv6 = { localAddress: 'FD00:2::2', remoteAddress: 'fd00:2:0::1', prefixLength: 126 };
    state.tunnels[1]!.sessions[0]!.ipv4Unicast = null;
    state.tunnels[1]!.sessions[0]!.ipv6Unicast = { importPrefixes: [{ prefix: '::ffff:0:0/96' }], exportPrefixes: [], maxPrefix: 0 };
    expect(problemsOf(state)).toEqual([
      'tunnels[0].ipv6.localAddress: must be written fd00:2::2 (FRR prints it so)',
      'tunnels[0].ipv6.remoteAddress: must be written fd00:2::1 (FRR prints it so)',
      'tunnels[1].sessions[0].ipv6Unicast.maxPrefix: must be an integer 1..4294967295',
      'tunnels[1].sessions[0].ipv6Unicast.importPrefixes[0].prefix: IPv4-compatible and IPv4-mapped IPv6 prefixes (inside ::/80) are not supported',
      'tunnels[1].sessions[0].ipv6Unicast: IPv6 unicast needs IPv6 inner addressing on tunnels[1] (for the next hop)',
    ]);
    state.tunnels[0]!.sessions[0]!.peerAddress = 'fd00:2::1%gre-pe2';
    expect(problemsOf(state)).toContain('tunnels[0].sessions[0].peerAddress: must be an IPv4 or IPv6 address');
    state.tunnels[0]!.sessions[0]!.peerAddress = 'fd00:2::1';
    state.tunnels[0]!.sessions[0]!.ipv6Unicast!.exportPrefixes = [{ prefix: '::ffff:1.2.3.4/128' }];
    expect(problemsOf(state)).toContain(
      'tunnels[0].sessions[0].ipv6Unicast.exportPrefixes[0].prefix: "::ffff:1.2.3.4/128" is not a prefix: write the IPv6 address in hexadecimal groups',
    );
    state.tunnels[1]!.sessions[0]!.ipv6Unicast = null;
    expect(problemsOf(state)).toContain('tunnels[1].sessions[0]: activates no address family (set ipv4Unicast and/or ipv6Unicast)');
  });

  it('checks every address for its family, its written form, ::/80 and the IPv6 tunnel subnet', () => {
    const state = dualStack();
    state.host.routerId = '10.0.0.012';
    state.bmp = { ...BMP, address: '::ffff:1.2.3.4' };
    const [t0, t1] = state.tunnels as [TunnelDesiredState, TunnelDesiredState];
    t0.localUnderlay = 'fd00::1';
    t0.remoteUnderlay = '198.018.0.1';
    t0.ipv6 = { localAddress: 'fd00:2::2', remoteAddress: 'fd00:2::8000:0:0:1', prefixLength: 65 };
    t1.sessions[0]!.peerAddress = '::102:304';
    expect(problemsOf(state)).toEqual([
      'host.routerId: must be an IPv4 address in dotted-quad form',
      'bmp.address: must be written ::ffff:102:304 (FRR prints it so)',
      'tunnels[0].localUnderlay: must be an IPv4 address, not IPv6',
      'tunnels[0].remoteUnderlay: must be an IPv4 address',
      'tunnels[0].ipv6.remoteAddress: fd00:2::8000:0:0:1 is not in fd00:2::/65, the subnet of localAddress',
      'tunnels[1].sessions[0].peerAddress: IPv4-compatible and IPv4-mapped IPv6 addresses (inside ::/80) are not supported',
    ]);

    const other = dualStack();
    // A valid IPv6 address, but longer than the 39 characters of eight full groups.
    other.bmp = { ...BMP, address: 'ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255' };
    other.tunnels[0]!.ipv6 = { localAddress: 'fd00:2::2', remoteAddress: 'fd00:2::2', prefixLength: 126 };
    other.tunnels[1]!.ipv4 = { localAddress: '169.254.0.6', remoteAddress: '169.254.0.7', prefixLength: 30 };
    expect(problemsOf(other)).toEqual([
      'bmp.address: must be an IPv4 or IPv6 address',
      'tunnels[0].ipv6: localAddress and remoteAddress must differ',
      'tunnels[1].ipv4: remoteInnerAddress 169.254.0.7 is the network or broadcast address of 169.254.0.4/30',
    ]);
  });

  it.each([
    ['a newline', 'abc\ndef'],
    ['a newline', 'abc\rdef'],
    ['a quote', 'abc"def'],
    ['a quote', "abc'def"],
    ['a backslash', 'abc\\def'],
    ['a space (FRR takes a single word)', 'abc def'],
    ['a non-printable or non-ASCII character', 'abc\tdef'],
    ['a non-printable or non-ASCII character', 'abc\u0000def'],
    ['a non-printable or non-ASCII character', 'pässword'],
  ])('says the md5Password contains %s, never what it is', (what, password) => {
    const state = singleIpv4();
    state.tunnels[0]!.sessions[0]!.md5Password = password;
    let error: unknown;
    try {
      renderHostConfig(state);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(DesiredStateError);
    const message = (error as Error).message;
    expect(message).toContain(`tunnels[0].sessions[0].md5Password: contains ${what}`);
    expect(message).not.toContain(password);
    expect(message).not.toContain('abc');
    expect(message).not.toContain('def');
    expect(JSON.stringify((error as DesiredStateError).problems)).not.toContain('abc');
  });

  it('refuses descriptions FRR would print differently', () => {
    for (const [description, message] of [
      [' lead', 'has leading or trailing spaces (FRR drops them)'],
      ['two  spaces', 'contains two spaces in a row (FRR prints one)'],
      ['tab\there', 'contains a non-printable or non-ASCII character'],
      ['naïve', 'contains a non-printable or non-ASCII character'],
    ] as const) {
      const state = singleIpv4();
      state.tunnels[0]!.sessions[0]!.description = description;
      expect(problemsOf(state)).toEqual([`tunnels[0].sessions[0].description: ${message}`]);
    }
  });
});

describe('injection', () => {
  const payloads = [
    'x\nneighbor 6.6.6.6 remote-as 666',
    'x\r\nexit\nrouter bgp 666',
    'x\u2028neighbor 6.6.6.6 remote-as 666',
    'x; reboot',
    '$(reboot)',
  ];

  /** Every free-text or typed field of the state, as a setter that puts the payload there. */
  const fields: [string, (state: HostDesiredState, value: string) => void][] = [
    ['host.name', (s, v) => (s.host.name = v)],
    ['host.routerId', (s, v) => (s.host.routerId = v)],
    ['host.asn', (s, v) => (s.host.asn = v as unknown as number)],
    ['gracefulRestart.restartTimeSeconds', (s, v) => (s.gracefulRestart = { restartTimeSeconds: v as unknown as number })],
    ['bmp.name', (s, v) => (s.bmp!.name = v)],
    ['bmp.address', (s, v) => (s.bmp!.address = v)],
    ['bmp.port', (s, v) => (s.bmp!.port = v as unknown as number)],
    ['bmp.minRetryMs', (s, v) => (s.bmp!.minRetryMs = v as unknown as number)],
    ['bmp.maxRetryMs', (s, v) => (s.bmp!.maxRetryMs = v as unknown as number)],
    ['tunnels[0].interfaceName', (s, v) => (s.tunnels[0]!.interfaceName = v)],
    ['tunnels[0].tunnelKey', (s, v) => (s.tunnels[0]!.tunnelKey = v as unknown as number)],
    ['tunnels[0].localUnderlay', (s, v) => (s.tunnels[0]!.localUnderlay = v)],
    ['tunnels[0].remoteUnderlay', (s, v) => (s.tunnels[0]!.remoteUnderlay = v)],
    ['tunnels[0].mtu', (s, v) => (s.tunnels[0]!.mtu = v as unknown as number)],
    ['tunnels[0].ttl', (s, v) => (s.tunnels[0]!.ttl = v as unknown as number)],
    ['tunnels[0].ipv4.localAddress', (s, v) => (s.tunnels[0]!.ipv4!.localAddress = v)],
    ['tunnels[0].ipv4.remoteAddress', (s, v) => (s.tunnels[0]!.ipv4!.remoteAddress = v)],
    ['tunnels[0].ipv4.prefixLength', (s, v) => (s.tunnels[0]!.ipv4!.prefixLength = v as unknown as number)],
    ['tunnels[0].ipv6.localAddress', (s, v) => (s.tunnels[0]!.ipv6!.localAddress = v)],
    ['tunnels[0].ipv6.remoteAddress', (s, v) => (s.tunnels[0]!.ipv6!.remoteAddress = v)],
    ['tunnels[0].ipv6.prefixLength', (s, v) => (s.tunnels[0]!.ipv6!.prefixLength = v as unknown as number)],
    ['tunnels[0].sessions[0].peerAddress', (s, v) => (s.tunnels[0]!.sessions[0]!.peerAddress = v)],
    ['tunnels[0].sessions[0].localAsn', (s, v) => (s.tunnels[0]!.sessions[0]!.localAsn = v as unknown as number)],
    ['tunnels[0].sessions[0].peerAsn', (s, v) => (s.tunnels[0]!.sessions[0]!.peerAsn = v as unknown as number)],
    ['tunnels[0].sessions[0].description', (s, v) => (s.tunnels[0]!.sessions[0]!.description = v)],
    ['tunnels[0].sessions[0].md5Password', (s, v) => (s.tunnels[0]!.sessions[0]!.md5Password = v)],
    ['tunnels[0].sessions[0].keepaliveSeconds', (s, v) => (s.tunnels[0]!.sessions[0]!.keepaliveSeconds = v as unknown as number)],
    ['tunnels[0].sessions[0].holdTimeSeconds', (s, v) => (s.tunnels[0]!.sessions[0]!.holdTimeSeconds = v as unknown as number)],
    ['tunnels[0].sessions[0].bfd', (s, v) => (s.tunnels[0]!.sessions[0]!.bfd = v as unknown as boolean)],
    ['tunnels[0].sessions[0].gracefulRestart', (s, v) => (s.tunnels[0]!.sessions[0]!.gracefulRestart = v as unknown as boolean)],
    [
      'tunnels[0].sessions[0].ipv6Unicast.maxPrefix',
      (s, v) => (s.tunnels[0]!.sessions[0]!.ipv6Unicast!.maxPrefix = v as unknown as number),
    ],
    [
      'tunnels[0].sessions[0].ipv6Unicast.importPrefixes[0].prefix',
      (s, v) => (s.tunnels[0]!.sessions[0]!.ipv6Unicast!.importPrefixes[0]!.prefix = v),
    ],
    [
      'tunnels[0].sessions[0].ipv6Unicast.importPrefixes[0].ge',
      (s, v) => (s.tunnels[0]!.sessions[0]!.ipv6Unicast!.importPrefixes[0]!.ge = v as unknown as number),
    ],
    [
      'tunnels[0].sessions[0].ipv6Unicast.importPrefixes[0].le',
      (s, v) => (s.tunnels[0]!.sessions[0]!.ipv6Unicast!.importPrefixes[0]!.le = v as unknown as number),
    ],
    [
      'tunnels[0].sessions[0].ipv6Unicast.exportPrefixes[0].prefix',
      (s, v) => (s.tunnels[0]!.sessions[0]!.ipv6Unicast!.exportPrefixes[0]!.prefix = v),
    ],
  ];

  it.each(fields)('%s cannot add a line', (path, set) => {
    const baseline = renderHostConfig(dualStack());
    const lines = (text: string) => text.split('\n').length;
    const verdicts = payloads.map((payload) => {
      const state = dualStack();
      set(state, payload);
      let rendered: ReturnType<typeof renderHostConfig>;
      try {
        rendered = renderHostConfig(state);
      } catch (error) {
        if (!(error instanceof DesiredStateError)) return `threw ${String(error)}`;
        const named = error.problems.some((p) => p.path === path || path.startsWith(`${p.path}.`) || p.path.startsWith(`${path}.`));
        if (!named) return `refused without naming ${path}: ${error.message}`;
        if (/6\.6\.6\.6|reboot/.test(error.message)) return `refused, but echoes the text: ${error.message}`;
        return 'refused';
      }
      // Punctuation that is valid free text (a description, a password) stays inside its one line
      // of frr.conf, and free text never reaches the shell script.
      const oneLine = lines(rendered.frrConf) === lines(baseline.frrConf) && rendered.greSetup === baseline.greSetup;
      return oneLine && /\.(description|md5Password)$/.test(path) ? 'kept on its line' : `ACCEPTED: ${JSON.stringify(rendered)}`;
    });
    // A line break is refused in every field; nothing else gets through either, except as text.
    expect(verdicts.filter((_, i) => /[\r\n\u2028]/.test(payloads[i]!))).toEqual(['refused', 'refused', 'refused']);
    expect(verdicts.filter((verdict) => verdict !== 'refused' && verdict !== 'kept on its line')).toEqual([]);
  });

  it('valid text that looks like configuration stays on its own line', () => {
    const state = dualStack();
    const plain = renderHostConfig(state);
    state.tunnels[0]!.sessions[0]!.description = '! exit router bgp 666 # neighbor 6.6.6.6 remote-as 666';
    state.tunnels[0]!.sessions[0]!.md5Password = '!#exit;$(x)`y`|&';
    const tricky = renderHostConfig(state);
    expect(tricky.frrConf.split('\n')).toHaveLength(plain.frrConf.split('\n').length);
    expect(tricky.frrConf).toContain(' neighbor fd00:2::1 description ! exit router bgp 666 # neighbor 6.6.6.6 remote-as 666\n');
    expect(tricky.greSetup).toBe(plain.greSetup);
  });
});

describe('desiredStateFromInventory', () => {
  const host = { name: 'host-a', routerId: '10.0.0.11', asn: 64512, underlayAddress: '192.0.2.10' };
  const platform = { reservedRanges: ['100.64.0.0/10'], prefixLength: { ipv4: { min: 8, max: 24 }, ipv6: { min: 16, max: 48 } } };
  const tunnelRow = {
    interfaceName: 'gre-pe1',
    tunnelKey: 1001,
    localInnerAddress: '169.254.1.2',
    remoteInnerAddress: '169.254.1.1',
    innerPrefixLength: 30,
    localInnerAddressV6: 'fd00:1::2',
    remoteInnerAddressV6: 'fd00:1::1',
    innerPrefixLengthV6: 126,
    mtu: 1476,
    ttl: 255,
  };
  const sessionRow = {
    localAsn: 64512,
    peerAsn: 65001,
    peerAddress: '169.254.1.1',
    md5Password: 'k3y',
    keepaliveSeconds: 30,
    holdTimeSeconds: 90,
    maxPrefix: 1000,
    gracefulRestartSeconds: 180,
    description: 'Customer A',
  };
  const vpc = { id: 7, cidrs: ['203.0.113.0/24', '2001:db8:ff::/48'] };

  it('builds a valid state: families, the session policy with the shared refusals, exports, the largest restart time', () => {
    const state = desiredStateFromInventory(
      host,
      [
        {
          tunnel: tunnelRow,
          pe: { underlayAddress: '192.0.2.1' },
          sessions: [
            {
              session: { ...sessionRow, importPolicy: { allowedPrefixes: [{ prefix: '10.0.0.0/8', le: 28 }], localPref: 200 } },
              hostedVpc: vpc,
            },
            {
              session: {
                ...sessionRow,
                peerAddress: 'fd00:1::1',
                gracefulRestartSeconds: 0,
                md5Password: null,
                addressFamilies: ['ipv4-unicast', 'ipv6-unicast'],
                importPolicy: { prefixLength: { ipv4: { min: 16 } } },
              },
              hostedVpc: vpc,
            },
          ],
        },
      ],
      { bmp: BMP, bfd: (s) => s.peerAsn === 65001, platform },
    );
    expect(problemsOf(state)).toEqual([]);
    expect(state.gracefulRestart).toEqual({ restartTimeSeconds: 180 });
    expect(state.tunnels[0]).toMatchObject({
      localUnderlay: '192.0.2.10',
      remoteUnderlay: '192.0.2.1',
      ipv6: { localAddress: 'fd00:1::2', remoteAddress: 'fd00:1::1', prefixLength: 126 },
    });
    expect(state.importRefusals!.map((list) => [list.name, list.family])).toEqual([
      ['RB-REFUSED-V4', 4],
      ['RB-VPC-7-V4', 4],
      ['RB-REFUSED-V6', 6],
      ['RB-VPC-7-V6', 6],
    ]);
    // The shortest accepted IPv4 length on this host is the platform's 8: supernets of the VPC's /24 from /8.
    expect(state.importRefusals![1]!.entries).toHaveLength(1 + 16);
    const [v4, dual] = state.tunnels[0]!.sessions;
    expect(v4).toMatchObject({
      bfd: true,
      gracefulRestart: true,
      md5Password: 'k3y',
      ipv6Unicast: null,
      ipv4Unicast: {
        importPrefixes: [{ prefix: '10.0.0.0/8', le: 24 }],
        importRefusedBy: ['RB-REFUSED-V4', 'RB-VPC-7-V4'],
        localPref: 200,
        exportPrefixes: [{ prefix: '203.0.113.0/24' }],
        maxPrefix: 1000,
      },
    });
    expect(dual).toMatchObject({
      gracefulRestart: false,
      ipv4Unicast: { importPrefixes: [{ prefix: '0.0.0.0/0', ge: 16, le: 24 }], localPref: null },
      ipv6Unicast: {
        importPrefixes: [{ prefix: '::/0', ge: 16, le: 48 }],
        importRefusedBy: ['RB-REFUSED-V6', 'RB-VPC-7-V6'],
        exportPrefixes: [{ prefix: '2001:db8:ff::/48' }],
      },
    });
    const { frrConf } = renderHostConfig(state);
    expect(frrConf).toContain(' neighbor fd00:1::1 graceful-restart-disable\n');
    expect(frrConf).toContain(
      [
        'route-map RB-gre-pe1-169_254_1_1-V4-IN deny 10',
        ' match ip address prefix-list RB-REFUSED-V4',
        'exit',
        '!',
        'route-map RB-gre-pe1-169_254_1_1-V4-IN deny 20',
        ' match ip address prefix-list RB-VPC-7-V4',
        'exit',
        '!',
        'route-map RB-gre-pe1-169_254_1_1-V4-IN permit 30',
        ' match ip address prefix-list RB-gre-pe1-169_254_1_1-V4-IN',
        ' set local-preference 200',
        'exit',
      ].join('\n'),
    );
    expect(frrConf).toContain('ip prefix-list RB-VPC-7-V4 seq 5 permit 203.0.0.0/8\n');
    expect(frrConf).toContain('ipv6 prefix-list RB-REFUSED-V6 seq 5 permit ::/8 le 128\n');
  });

  it('renders an IPv6-only tunnel without IPv4 lines', () => {
    const state = desiredStateFromInventory(
      host,
      [
        {
          tunnel: { ...tunnelRow, localInnerAddress: null, remoteInnerAddress: null, innerPrefixLength: null },
          pe: { underlayAddress: '192.0.2.1' },
          sessions: [{ session: { ...sessionRow, peerAddress: 'fd00:1::1' }, hostedVpc: vpc }],
        },
      ],
      { bmp: null, platform },
    );
    expect(problemsOf(state)).toEqual([]);
    const rendered = renderHostConfig(state);
    expect(rendered.frrConf).not.toContain('ip prefix-list');
    expect(rendered.frrConf).toContain('address-family ipv6 unicast\n  neighbor fd00:1::1 activate\n');
    expect(rendered.greSetup).not.toContain('ip addr replace');
    expect(rendered.greSetup).toContain('ip -6 addr replace fd00:1::2/126 dev gre-pe1 nodad');
  });

  it('leaves problems in the rows to validation', () => {
    const state = desiredStateFromInventory(
      host,
      [
        {
          tunnel: { ...tunnelRow, innerPrefixLength: 29, localInnerAddressV6: null, remoteInnerAddressV6: null, innerPrefixLengthV6: null },
          pe: { underlayAddress: 'pe1' },
          sessions: [{ session: { ...sessionRow, addressFamilies: ['ipv6-unicast'] }, hostedVpc: vpc }],
        },
      ],
      { bmp: null, platform },
    );
    expect(problemsOf(state)).toEqual([
      'tunnels[0].remoteUnderlay: must be an IPv4 address',
      'tunnels[0].ipv4.prefixLength: must be an integer 30..31',
      'tunnels[0].sessions[0].ipv6Unicast: IPv6 unicast needs IPv6 inner addressing on tunnels[0] (for the next hop)',
    ]);
  });
});
