/**
 * POSIX shell quoting for everything route-broker interpolates into a remote command line.
 * The remote side runs the command through the login user's shell (sshd does `$SHELL -c`), so a
 * path, a vtysh command or a peer address must reach it as exactly one word, whatever it contains.
 */

/** Characters that never need quoting in a POSIX shell word. */
const SAFE_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

/**
 * One shell word that the shell turns back into exactly `value`: left bare when it is made only of
 * harmless characters, otherwise wrapped in single quotes with every `'` spelled `'\''`.
 * NUL cannot be passed through a shell at all and is refused.
 */
export function shellQuote(value: string): string {
  if (value.includes('\0')) {
    throw new Error('shellQuote: a NUL byte cannot be passed to a shell');
  }
  if (value !== '' && SAFE_WORD.test(value)) {
    return value;
  }
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/** Several words, each quoted, joined by spaces. */
export function shellJoin(words: readonly string[]): string {
  return words.map(shellQuote).join(' ');
}
