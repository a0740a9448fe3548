import { checkSubscriptionChanged, SUBSCRIPTION_CHANGED } from './hrm-events.js';

describe('checkSubscriptionChanged', () => {
  it('gives the data of a well-formed event', () => {
    expect(checkSubscriptionChanged(SUBSCRIPTION_CHANGED, { subscriptionId: 7, action: 'resync' })).toEqual({
      subscriptionId: 7,
      action: 'resync',
    });
    expect(checkSubscriptionChanged(SUBSCRIPTION_CHANGED, { subscriptionId: 1, action: 'changed', extra: true })).toEqual({
      subscriptionId: 1,
      action: 'changed',
    });
  });

  it('says what is wrong with anything else', () => {
    expect(checkSubscriptionChanged('net.route-broker.other.v1', { subscriptionId: 7, action: 'resync' })).toBe(
      'unexpected event type net.route-broker.other.v1',
    );
    expect(checkSubscriptionChanged(SUBSCRIPTION_CHANGED, null)).toBe('data must be an object');
    for (const subscriptionId of [undefined, '7', 0, -1, 1.5])
      expect(checkSubscriptionChanged(SUBSCRIPTION_CHANGED, { subscriptionId, action: 'changed' })).toBe(
        'data.subscriptionId must be a subscription id',
      );
    expect(checkSubscriptionChanged(SUBSCRIPTION_CHANGED, { subscriptionId: 7, action: 'delete' })).toBe(
      'data.action must be changed or resync',
    );
  });
});
