import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { shellJoin, shellQuote } from './shell-quote.js';

/** What /bin/sh makes of `printf %s <word>`: the word after the shell has parsed it. */
function throughShell(word: string): string {
  return execFileSync('/bin/sh', ['-c', `printf %s ${word}`], { encoding: 'utf8' });
}

describe('shellQuote', () => {
  it('leaves harmless words bare', () => {
    expect(shellQuote('vtysh')).toBe('vtysh');
    expect(shellQuote('/var/run/frr/rb-host1/')).toBe('/var/run/frr/rb-host1/');
    expect(shellQuote('fd00:101::1')).toBe('fd00:101::1');
  });

  it('quotes the empty string and anything with shell syntax', () => {
    expect(shellQuote('')).toBe("''");
    expect(shellQuote('show bgp summary json')).toBe("'show bgp summary json'");
    expect(shellQuote("it's")).toBe("'it'\\''s'");
    expect(shellQuote('$(reboot)')).toBe("'$(reboot)'");
  });

  const nasty = [
    "'; rm -rf / #",
    '$(touch /tmp/pwned)',
    '`id`',
    'a\nb',
    'tab\there',
    '"double" \'single\' \\back\\',
    '*?[a-z]{1,2}~',
    '-c',
    '--help',
    '!event',
    'x;y&z|w>v<u',
    "''''",
    '\\',
    'ünïcödé ☃',
    '${IFS}',
    'a b  c',
  ];

  it.each(nasty)('round-trips %j through /bin/sh unchanged', (value) => {
    expect(throughShell(shellQuote(value))).toBe(value);
  });

  it('round-trips arbitrary strings through /bin/sh', () => {
    expect(() =>
      fc.assert(
        fc.property(
          fc.string({ unit: 'binary', maxLength: 40 }).filter((value) => !value.includes('\0')),
          (value) => throughShell(shellQuote(value)) === value,
        ),
        { numRuns: 200 },
      ),
    ).not.toThrow();
  });

  it('refuses NUL, which no shell can carry', () => {
    expect(() => shellQuote('a\0b')).toThrow(/NUL/);
  });

  it('shellJoin quotes each word', () => {
    expect(shellJoin(['vtysh', '-c', 'show running-config'])).toBe("vtysh -c 'show running-config'");
    expect(throughShell(`"$(printf '%s|' ${shellJoin(['a b', "c'd", ''])})"`)).toBe("a b|c'd||");
  });
});
