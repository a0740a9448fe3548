import { ROUTE_TABLE_CHANGED } from '../../common/events/vpc-events.js';
import { checkRouteTableChanged } from './route-table-changed-schema.js';

describe('checkRouteTableChanged', () => {
  const valid = {
    vpcId: 3,
    fromRevision: 7,
    toRevision: 8,
    changes: [
      { revision: 7, prefix: '45.64.1.0/24', family: 'ipv4-unicast', action: 'add', route: { prefix: '45.64.1.0/24' }, rejection: null },
      { revision: 8, prefix: '45.64.2.0/24', family: 'ipv4-unicast', action: 'remove', route: null, rejection: null },
    ],
  };

  it('accepts a message with every revision in order', () => {
    expect(checkRouteTableChanged(ROUTE_TABLE_CHANGED, valid)).toBe(valid);
  });

  it('accepts changes that say their cause', () => {
    const withCause = {
      ...valid,
      changes: valid.changes.map((change) => ({ ...change, cause: { event: 'announce', sessionId: 1, at: 1_795_597_487_374 } })),
    };
    expect(checkRouteTableChanged(ROUTE_TABLE_CHANGED, withCause)).toBe(withCause);
  });

  it.each([
    ['another type', 'x', valid, 'unexpected event type'],
    ['no vpcId', ROUTE_TABLE_CHANGED, { ...valid, vpcId: 0 }, 'data.vpcId'],
    ['toRevision before fromRevision', ROUTE_TABLE_CHANGED, { ...valid, toRevision: 6 }, 'data.toRevision'],
    ['a missing revision', ROUTE_TABLE_CHANGED, { ...valid, toRevision: 9 }, 'expected 3 changes'],
    [
      'revisions out of order',
      ROUTE_TABLE_CHANGED,
      { ...valid, changes: [valid.changes[1], valid.changes[0]] },
      'data.changes[0].revision',
    ],
    [
      'an add without the route',
      ROUTE_TABLE_CHANGED,
      { ...valid, changes: [{ ...valid.changes[0], route: null }, valid.changes[1]] },
      'data.changes[0].route',
    ],
    [
      'an unknown action',
      ROUTE_TABLE_CHANGED,
      { ...valid, changes: [{ ...valid.changes[0], action: 'flap' }, valid.changes[1]] },
      'data.changes[0].action',
    ],
    [
      'a cause without its time',
      ROUTE_TABLE_CHANGED,
      { ...valid, changes: [{ ...valid.changes[0], cause: { event: 'announce', sessionId: 1, at: 'soon' } }, valid.changes[1]] },
      'data.changes[0].cause.at',
    ],
  ])('refuses %s, naming the field', (_, type, data, problem) => {
    expect(checkRouteTableChanged(type, data)).toEqual(expect.stringContaining(problem));
  });
});
