import { consumerGroupLabel, consumerLag } from './consumer-metrics.js';

describe('consumerLag', () => {
  it('counts the messages from the next one to handle up to the high watermark, never below 0', () => {
    expect(consumerLag('120', '100')).toBe(20);
    expect(consumerLag('120', 120n)).toBe(0);
    // A high watermark older than what was handled (an earlier fetch's): nothing behind.
    expect(consumerLag('120', 125n)).toBe(0);
    expect(consumerLag('9007199254741000', '9007199254740000')).toBe(1000);
  });
});

describe('consumerGroupLabel', () => {
  it("names an instance's own groups (made anew at each start) by their common name, and leaves the others", () => {
    expect(consumerGroupLabel('route-broker-brm.inventory.rb-1.0f3a9c2e', 'rb-1')).toBe('route-broker-brm.inventory');
    expect(consumerGroupLabel('route-broker-hrm.control.host.example.a1b2c3d4', 'host.example')).toBe('route-broker-hrm.control');
    expect(consumerGroupLabel('route-broker-brm', 'rb-1')).toBe('route-broker-brm');
    // Another instance's suffix, or no random part: kept.
    expect(consumerGroupLabel('route-broker-brm.inventory.rb-2.0f3a9c2e', 'rb-1')).toBe('route-broker-brm.inventory.rb-2.0f3a9c2e');
    expect(consumerGroupLabel('route-broker-brm.inventory.rb-1', 'rb-1')).toBe('route-broker-brm.inventory.rb-1');
    // A dot in the instance id is a dot, not any character.
    expect(consumerGroupLabel('g.rbx1.0f3a9c2e', 'rb.1')).toBe('g.rbx1.0f3a9c2e');
  });
});
