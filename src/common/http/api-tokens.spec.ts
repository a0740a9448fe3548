import { ApiTokens, mayAccess } from './api-tokens.js';

describe('ApiTokens', () => {
  const tokens = new ApiTokens({ readTokens: ['read-token-0123456789'], operatorTokens: ['operator-token-0123456789'] });

  it('maps bearer tokens to roles', () => {
    expect(tokens.roleOf('Bearer read-token-0123456789')).toBe('read');
    expect(tokens.roleOf('bearer operator-token-0123456789')).toBe('operator');
  });

  it.each([undefined, '', 'Bearer', 'Bearer wrong-token-0123456789', 'Basic b3BlcmF0b3I=', 'Bearer read-token-0123456789 extra'])(
    'refuses %j',
    (header) => expect(tokens.roleOf(header)).toBeNull(),
  );

  it('lets readers only read', () => {
    expect(mayAccess('read', 'GET')).toBe(true);
    expect(mayAccess('read', 'POST')).toBe(false);
    expect(mayAccess('read', 'DELETE')).toBe(false);
    expect(mayAccess('operator', 'PATCH')).toBe(true);
  });
});
