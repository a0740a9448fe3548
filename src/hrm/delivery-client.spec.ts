import type { DeltaDelivery } from '../common/events/hrm-events.js';
import { deltaBody } from './delivery-client.js';

describe('deltaBody', () => {
  const delta: DeltaDelivery = {
    kind: 'delta',
    subscriptionId: 3,
    vpcId: 12,
    fromRevision: 7,
    toRevision: 8,
    changes: [
      { revision: 7, prefix: '45.64.1.0/24', family: 'ipv4-unicast', action: 'remove', route: null, rejection: null },
      {
        revision: 8,
        prefix: '2001:db8::/32',
        family: 'ipv6-unicast',
        action: 'reject',
        route: null,
        rejection: { sessionId: 1, reason: 'bogon', detail: 'inside "2001:db8::/32"' },
      },
    ],
  };

  it('is exactly what JSON.stringify gives, the first time and from the cache', () => {
    expect(deltaBody(delta)).toBe(JSON.stringify(delta));
    expect(deltaBody({ ...delta, subscriptionId: 4 })).toBe(JSON.stringify({ ...delta, subscriptionId: 4 }));
  });

  it('handles an empty change list', () => {
    const empty = { ...delta, changes: [] };
    expect(deltaBody(empty)).toBe(JSON.stringify(empty));
  });
});
