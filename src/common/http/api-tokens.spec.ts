import { ApiTokens, duplicateTokenProblems, mayAccess, parseTokenEntries } from './api-tokens.js';

describe('ApiTokens', () => {
  const tokens = new ApiTokens([
    { name: 'dashboard', role: 'read', token: 'read-token-0123456789' },
    { name: 'alice', role: 'operator', token: 'operator-token-0123456789' },
    { name: 'operator-2', role: 'operator', token: 'second-operator-token-0123' },
  ]);

  it('maps bearer tokens to their name and role', () => {
    expect(tokens.principalOf('Bearer read-token-0123456789')).toEqual({ name: 'dashboard', role: 'read' });
    expect(tokens.principalOf('bearer operator-token-0123456789')).toEqual({ name: 'alice', role: 'operator' });
    expect(tokens.principalOf('Bearer second-operator-token-0123')).toEqual({ name: 'operator-2', role: 'operator' });
  });

  it.each([undefined, '', 'Bearer', 'Bearer wrong-token-0123456789', 'Basic b3BlcmF0b3I=', 'Bearer read-token-0123456789 extra'])(
    'refuses %j',
    (header) => expect(tokens.principalOf(header)).toBeNull(),
  );

  it('does not take the name as the token', () => {
    expect(tokens.principalOf('Bearer alice:operator-token-0123456789')).toBeNull();
  });

  it('lets readers only read', () => {
    expect(mayAccess('read', 'GET')).toBe(true);
    expect(mayAccess('read', 'POST')).toBe(false);
    expect(mayAccess('read', 'DELETE')).toBe(false);
    expect(mayAccess('operator', 'PATCH')).toBe(true);
  });
});

describe('parseTokenEntries', () => {
  it('reads name:token and names a bare token after its role and position', () => {
    const { tokens, problems } = parseTokenEntries('RB_API_OPERATOR_TOKENS', 'operator', [
      'alice:operator-token-0123456789',
      'bare-operator-token-0123456789',
      'ci.deploy_1:ci-token-0123456789abc',
    ]);
    expect(problems).toEqual([]);
    expect(tokens).toEqual([
      { name: 'alice', role: 'operator', token: 'operator-token-0123456789' },
      { name: 'operator-2', role: 'operator', token: 'bare-operator-token-0123456789' },
      { name: 'ci.deploy_1', role: 'operator', token: 'ci-token-0123456789abc' },
    ]);
  });

  it.each([
    ['Alice:read-token-0123456789', 'entry #1 has an invalid name:'],
    [':read-token-0123456789', 'entry #1 has an invalid name:'],
    ['-x:read-token-0123456789', 'entry #1 has an invalid name:'],
    [`${'a'.repeat(64)}:read-token-0123456789`, 'entry #1 has an invalid name:'],
    ['bob:short', 'entry #1 is invalid: expected a token'],
    ['bob:read:token-0123456789', 'entry #1 is invalid: expected a token'],
  ])('refuses %j', (entry, problem) => {
    const { problems } = parseTokenEntries('RB_API_READ_TOKENS', 'read', [entry]);
    expect(problems.join('\n')).toContain(`RB_API_READ_TOKENS ${problem}`);
  });

  it('never quotes a token in a problem', () => {
    const secret = 'Secret-Looking-Token-0123456789-0123456789-0123456789-0123456789-0123';
    const { problems } = parseTokenEntries('RB_API_READ_TOKENS', 'read', [`${secret}:x`, `${secret}!`]);
    expect(problems).toHaveLength(3);
    expect(problems.join('\n')).not.toContain(secret);
  });
});

describe('duplicateTokenProblems', () => {
  const at = (variable: string, position: number, name: string, token: string) => ({
    variable,
    position,
    name,
    token,
    role: 'read' as const,
  });

  it('refuses a name used twice, across both lists', () => {
    const problems = duplicateTokenProblems([
      at('RB_API_OPERATOR_TOKENS', 1, 'alice', 'token-a-0123456789'),
      at('RB_API_READ_TOKENS', 1, 'alice', 'token-b-0123456789'),
    ]);
    expect(problems).toEqual([
      'RB_API_READ_TOKENS entry #1 is named "alice" like RB_API_OPERATOR_TOKENS entry #1: token names must be unique',
    ]);
  });

  it('refuses a token listed twice, without quoting it', () => {
    const problems = duplicateTokenProblems([
      at('RB_API_OPERATOR_TOKENS', 1, 'alice', 'token-a-0123456789'),
      at('RB_API_READ_TOKENS', 2, 'bob', 'token-a-0123456789'),
    ]);
    expect(problems).toEqual([
      'RB_API_READ_TOKENS entry #2 is the same token as RB_API_OPERATOR_TOKENS entry #1: each token must be listed once, under one name',
    ]);
  });

  it('accepts distinct names and tokens', () => {
    expect(
      duplicateTokenProblems([
        at('RB_API_OPERATOR_TOKENS', 1, 'alice', 'token-a-0123456789'),
        at('RB_API_READ_TOKENS', 1, 'read-1', 'token-b-0123456789'),
      ]),
    ).toEqual([]);
  });
});
