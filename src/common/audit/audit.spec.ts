import { REDACTED, redactFields } from './audit.js';

describe('redactFields', () => {
  it('redacts secret fields at any depth and keeps the rest', () => {
    const value = {
      id: 3,
      md5Password: 'hunter2',
      secret: 's3cr3t-signing-key',
      sshHostKey: 'ssh-ed25519 AAAAC3Nz',
      tunnelKey: 1001,
      nested: { apiToken: 'abc', list: [{ privateKey: 'PEM', private_key: 'PEM', name: 'x' }] },
    };
    expect(redactFields(value)).toEqual({
      id: 3,
      md5Password: REDACTED,
      secret: REDACTED,
      sshHostKey: 'ssh-ed25519 AAAAC3Nz',
      tunnelKey: 1001,
      nested: { apiToken: REDACTED, list: [{ privateKey: REDACTED, private_key: REDACTED, name: 'x' }] },
    });
    expect(JSON.stringify(redactFields(value))).not.toMatch(/hunter2|s3cr3t|PEM/);
  });

  it('keeps an absent secret visible as absent', () => {
    expect(redactFields({ md5Password: null, secret: '', password: undefined })).toEqual({
      md5Password: null,
      secret: '',
      password: undefined,
    });
  });

  it('writes dates as ISO text and leaves the input unchanged', () => {
    const input = { at: new Date('2026-01-02T03:04:05.006Z'), password: 'p' };
    expect(redactFields(input)).toEqual({ at: '2026-01-02T03:04:05.006Z', password: REDACTED });
    expect(input.password).toBe('p');
  });
});
