import { compilePlatformPolicy, compileSessionPolicy, compileVpcPolicy } from './import-policy.js';
import { joinImpact, policyImpact } from './policy-impact.js';

describe('policyImpact', () => {
  const vpc = compileVpcPolicy({ cidrs: ['10.221.0.0/16'] });
  const platform = compilePlatformPolicy();

  it('lists held routes the new policy refuses, and refusals it would accept', () => {
    const impact = policyImpact({
      held: ['45.64.10.0/24', '45.64.12.0/23', '2a05:d000:10::/48'],
      refused: [
        { prefix: '46.1.0.0/24', reason: 'not-allowed' },
        { prefix: '192.0.2.0/24', reason: 'bogon' },
        { prefix: '47.0.0.0/24', reason: 'max-prefix' },
        { prefix: '45.64.11.0/25', reason: 'prefix-length' },
      ],
      after: compileSessionPolicy({
        allowedPrefixes: [{ prefix: '45.64.10.0/24' }, { prefix: '46.1.0.0/24' }, { prefix: '2a05:d000::/32', le: 48 }],
      }),
      vpc,
      platform,
    });
    expect(impact.leave).toEqual([
      { prefix: '45.64.12.0/23', reason: 'not-allowed', detail: "45.64.12.0/23 matches no entry of the session's allowed-prefix list" },
    ]);
    expect(impact.enter).toEqual([{ prefix: '46.1.0.0/24', refusedAs: 'not-allowed' }]);
    // Still refused, now for another reason; the bogon and the too-long prefix stay as they were.
    expect(impact.refusedOtherwise).toEqual([
      { prefix: '47.0.0.0/24', refusedAs: 'max-prefix', reason: 'not-allowed', detail: expect.stringContaining('47.0.0.0/24') },
    ]);
  });

  it('finds nothing to do when the policy does not change the outcome', () => {
    const impact = policyImpact({
      held: ['45.64.10.0/24'],
      refused: [{ prefix: '10.221.1.0/24', reason: 'overlaps-vpc-cidr' }],
      after: compileSessionPolicy(),
      vpc,
      platform,
    });
    expect(impact).toEqual({ leave: [], enter: [], refusedOtherwise: [] });
  });
});

describe('joinImpact', () => {
  it('judges everything a moving session announced, held or refused, by the VPC it joins', () => {
    const impact = joinImpact({
      held: ['45.64.10.0/24', '10.222.3.0/24'],
      refused: [
        { prefix: '10.221.1.0/24', reason: 'overlaps-vpc-cidr' },
        { prefix: '192.0.2.0/24', reason: 'bogon' },
        { prefix: 'not a prefix', reason: 'invalid-prefix' },
      ],
      after: compileSessionPolicy(),
      // The VPC it joins has the other CIDR.
      vpc: compileVpcPolicy({ cidrs: ['10.222.0.0/16'] }),
      platform: compilePlatformPolicy(),
    });
    expect(impact.leave).toEqual([]);
    expect(impact.enter).toEqual([
      { prefix: '45.64.10.0/24', refusedAs: null },
      { prefix: '10.221.1.0/24', refusedAs: 'overlaps-vpc-cidr' },
    ]);
    expect(impact.refusedOtherwise).toEqual([
      { prefix: '10.222.3.0/24', refusedAs: null, reason: 'overlaps-vpc-cidr', detail: expect.stringContaining('10.222.0.0/16') },
      { prefix: '192.0.2.0/24', refusedAs: 'bogon', reason: 'bogon', detail: expect.any(String) },
    ]);
  });
});
