import { redactSecrets, sanitizeOutput, truncateOutput } from './redact.js';

describe('redactSecrets', () => {
  it('hides neighbor passwords in config lines, no-lines and diffs', () => {
    const text = [
      'router bgp 64512',
      ' neighbor 169.254.101.1 password s3cr3t',
      ' neighbor fd00:101::1 password with spaces and $pecial chars',
      'no neighbor PEERS password old-one',
      '  neighbor 10.0.0.1   password\ttabbed',
      ' neighbor 10.0.0.1 remote-as 65001',
    ].join('\n');
    const redacted = redactSecrets(text);
    expect(redacted).toBe(
      [
        'router bgp 64512',
        ' neighbor 169.254.101.1 password <redacted>',
        ' neighbor fd00:101::1 password <redacted>',
        'no neighbor PEERS password <redacted>',
        '  neighbor 10.0.0.1   password <redacted>',
        ' neighbor 10.0.0.1 remote-as 65001',
      ].join('\n'),
    );
    for (const secret of ['s3cr3t', 'spaces', '$pecial', 'old-one', 'tabbed']) expect(redacted).not.toContain(secret);
  });

  it('keeps CRLF line ends and the following line', () => {
    expect(redactSecrets('neighbor a password x\r\nneighbor a remote-as 1')).toBe(
      'neighbor a password <redacted>\r\nneighbor a remote-as 1',
    );
  });

  it('leaves text without passwords alone', () => {
    expect(redactSecrets('show bgp summary json')).toBe('show bgp summary json');
  });
});

describe('truncateOutput', () => {
  it('keeps short text and cuts long text to head and tail', () => {
    expect(truncateOutput('short', 10)).toBe('short');
    const long = 'a'.repeat(50) + 'b'.repeat(50);
    const cut = truncateOutput(long, 40);
    expect(cut.startsWith('a'.repeat(30))).toBe(true);
    expect(cut.endsWith('b'.repeat(10))).toBe(true);
    expect(cut).toContain('[60 characters left out]');
  });

  it('redacts before truncating', () => {
    const text = `${'x'.repeat(20)}\nneighbor 1.1.1.1 password topsecretvalue\n${'y'.repeat(20)}`;
    expect(sanitizeOutput(text, 50)).not.toContain('topsecret');
  });
});
