import { renderedNeighbors } from './frr-apply.service.js';

describe('renderedNeighbors', () => {
  it('lists the neighbors of the rendered router bgp block, once each, in order', () => {
    const conf = [
      'frr defaults traditional',
      'hostname hv-1',
      '!',
      'router bgp 64512',
      ' bgp router-id 10.0.0.1',
      ' neighbor 169.254.1.1 remote-as 65001',
      ' neighbor 169.254.1.1 password <redacted>',
      ' neighbor fd00::1 remote-as 65002',
      ' !',
      ' address-family ipv4 unicast',
      '  neighbor 169.254.1.1 activate',
      ' exit-address-family',
      'exit',
      '',
    ].join('\n');
    expect(renderedNeighbors(conf)).toEqual(['169.254.1.1', 'fd00::1']);
  });

  it('finds none in a config without BGP neighbors', () => {
    expect(renderedNeighbors('frr defaults traditional\nhostname hv-1\n!\nrouter bgp 64512\nexit\n')).toEqual([]);
  });
});
