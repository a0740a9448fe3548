import { checkSignature, signatureHeader } from './signature.js';

describe('delivery signature', () => {
  const secret = 'a-secret-of-sixteen+';
  const body = '{"kind":"delta","vpcId":1}';
  const now = 1_790_000_000_000;

  it('is accepted with the right secret, body and a fresh timestamp', () => {
    expect(checkSignature(secret, signatureHeader(secret, now, body), body, now + 1000, 300_000)).toEqual({ ok: true, timestampMs: now });
  });

  it('detects a changed body, a wrong secret and a replayed (old) request', () => {
    const header = signatureHeader(secret, now, body);
    expect(checkSignature(secret, header, body.replace('1', '2'), now, 300_000)).toEqual({
      ok: false,
      problem: 'signature does not match',
    });
    expect(checkSignature('another-secret-16ch', header, body, now, 300_000)).toEqual({ ok: false, problem: 'signature does not match' });
    expect(checkSignature(secret, header, body, now + 300_001, 300_000)).toMatchObject({
      ok: false,
      problem: expect.stringContaining('replayed'),
    });
  });

  it('cannot be moved to another timestamp: the timestamp is inside the MAC', () => {
    const header = signatureHeader(secret, now, body).replace(`t=${now}`, `t=${now + 5000}`);
    expect(checkSignature(secret, header, body, now + 5000, 300_000)).toEqual({ ok: false, problem: 'signature does not match' });
  });

  it.each([undefined, '', 't=1', 'v1=abc', `t=x,v1=${'0'.repeat(64)}`, `t=${now},v1=${'g'.repeat(64)}`])(
    'refuses a malformed header %p',
    (header) => {
      expect(checkSignature(secret, header, body, now, 300_000).ok).toBe(false);
    },
  );
});
