import {
  CONTEXT_SEPARATOR as S,
  configEntries,
  missingEntries,
  reloadDiffHasChanges,
  sessionsToVerify,
  routerBgpEntries,
  sameConfig,
  sameEntries,
  vtyshServiceLine,
} from './frr-config-text.js';

const RUNNING = `Building configuration...

Current configuration:
!
frr version 8.4.4
frr defaults traditional
hostname rb-host1
no service integrated-vtysh-config
!
router bgp 64512
 bgp router-id 10.0.0.11
 neighbor 169.254.101.1 remote-as 65001
 !
 address-family ipv4 unicast
  neighbor 169.254.101.1 activate
 exit-address-family
 !
 address-family ipv6 unicast
  neighbor fd00:101::1 activate
 exit-address-family
exit
!
route-map RM-IN permit 10
 match ip address prefix-list PL
exit
!
end
`;

/** The same configuration as a template might write it: other indentation, comments, no exits. */
const RENDERED = `! rendered by route-broker
frr defaults traditional
hostname rb-host1
no service integrated-vtysh-config
router bgp 64512
    bgp router-id   10.0.0.11
    neighbor 169.254.101.1 remote-as 65001
    address-family ipv4 unicast
        neighbor 169.254.101.1 activate
    exit-address-family
    address-family ipv6 unicast
        neighbor fd00:101::1 activate
    exit-address-family
route-map RM-IN permit 10
    match ip address prefix-list PL
`;

describe('configEntries', () => {
  it('qualifies each line with its context and drops headers, comments and exits', () => {
    expect(configEntries(RUNNING)).toEqual([
      'frr defaults traditional',
      'hostname rb-host1',
      'no service integrated-vtysh-config',
      'router bgp 64512',
      `router bgp 64512${S}bgp router-id 10.0.0.11`,
      `router bgp 64512${S}neighbor 169.254.101.1 remote-as 65001`,
      `router bgp 64512${S}address-family ipv4 unicast`,
      `router bgp 64512${S}address-family ipv4 unicast${S}neighbor 169.254.101.1 activate`,
      `router bgp 64512${S}address-family ipv6 unicast`,
      `router bgp 64512${S}address-family ipv6 unicast${S}neighbor fd00:101::1 activate`,
      'route-map RM-IN permit 10',
      `route-map RM-IN permit 10${S}match ip address prefix-list PL`,
    ]);
  });

  it('tells the same activate line in two address families apart', () => {
    const entries = configEntries(
      'router bgp 1\n address-family ipv4 unicast\n  neighbor X activate\n exit-address-family\n neighbor X remote-as 2\n',
    );
    expect(entries).toContain(`router bgp 1${S}address-family ipv4 unicast${S}neighbor X activate`);
    expect(entries).toContain(`router bgp 1${S}neighbor X remote-as 2`);
  });
});

describe('sameConfig / sameEntries', () => {
  it('sees through indentation, comments, the header and exits', () => {
    expect(sameConfig(RUNNING, RENDERED)).toBe(true);
  });

  it('notices a changed, added or removed line', () => {
    expect(sameConfig(RUNNING, RENDERED.replace('65001', '65002'))).toBe(false);
    expect(sameConfig(RUNNING, `${RENDERED}ip prefix-list PL seq 5 permit 10.0.0.0/8\n`)).toBe(false);
    expect(sameConfig(RUNNING, RENDERED.replace('    bgp router-id   10.0.0.11\n', ''))).toBe(false);
  });

  it('sameEntries ignores order, sameConfig does not', () => {
    const a = 'router bgp 1\n neighbor A remote-as 2\n neighbor B remote-as 3\n';
    const b = 'router bgp 1\n neighbor B remote-as 3\n neighbor A remote-as 2\n';
    expect(sameConfig(a, b)).toBe(false);
    expect(sameEntries(a, b)).toBe(true);
  });
});

describe('routerBgpEntries / missingEntries', () => {
  it('lists what the running config lacks of the rendered router bgp blocks', () => {
    const rendered = `${RENDERED}router bgp 64512\n neighbor 10.9.9.9 remote-as 65009\n`;
    const wanted = routerBgpEntries(rendered);
    expect(wanted.every((entry) => entry.startsWith('router bgp '))).toBe(true);
    expect(missingEntries(wanted, configEntries(RUNNING))).toEqual([`router bgp 64512${S}neighbor 10.9.9.9 remote-as 65009`]);
    expect(missingEntries(routerBgpEntries(RENDERED), configEntries(RUNNING))).toEqual([]);
  });
});

describe('vtyshServiceLine / reloadDiffHasChanges', () => {
  it('finds vtysh’s own service line', () => {
    expect(vtyshServiceLine(RUNNING)).toBe('no service integrated-vtysh-config');
    expect(vtyshServiceLine('hostname x\nservice integrated-vtysh-config\n')).toBe('service integrated-vtysh-config');
    expect(vtyshServiceLine('hostname x\n')).toBeNull();
  });

  it('reads frr-reload.py --test output', () => {
    expect(reloadDiffHasChanges('')).toBe(false);
    expect(reloadDiffHasChanges('\nLines To Add\n============\nrouter bgp 1\n neighbor X remote-as 2\n')).toBe(true);
    expect(reloadDiffHasChanges('\nLines To Delete\n===============\nno hostname vm\n')).toBe(true);
  });
});

describe('sessionsToVerify', () => {
  const peers = ['169.254.101.1', '169.254.102.1', '169.254.103.1'];
  const diff = (...lines: string[]) => ['Lines To Add', '============', 'router bgp 64512', ...lines].join('\n');

  it('checks the neighbors whose lines change, added or deleted', () => {
    expect(sessionsToVerify(diff(' neighbor 169.254.102.1 remote-as 65001', ' neighbor 169.254.102.1 description x'), peers)).toEqual([
      '169.254.102.1',
    ]);
    const both =
      'Lines To Delete\n===============\nrouter bgp 64512\n no neighbor 169.254.101.1 timers connect 2\n\n' +
      diff(' address-family ipv4 unicast', '  neighbor 169.254.103.1 activate');
    expect(sessionsToVerify(both, peers)).toEqual(['169.254.101.1', '169.254.103.1']);
  });

  it('checks none for policy-only changes, and all for an instance-wide change or a peer group', () => {
    expect(
      sessionsToVerify('Lines To Add\n============\nip prefix-list PL seq 5 permit 10.0.0.0/8\nroute-map RM permit 10\n', peers),
    ).toEqual([]);
    expect(sessionsToVerify(diff(' bgp graceful-restart'), peers)).toEqual(peers);
    expect(sessionsToVerify(diff(' timers bgp 3 9'), peers)).toEqual(peers);
    expect(sessionsToVerify(diff(' neighbor CUSTOMERS timers 3 9'), peers)).toEqual(peers);
    expect(sessionsToVerify('', peers)).toEqual([]);
  });
});
