/**
 * What may leave the applier in a step record: FRR output and commands with secrets removed and
 * their length bounded.
 */

/**
 * `neighbor <peer> password <secret>` (in a config line, a `no` line, a diff or an error message)
 * becomes `neighbor <peer> password <redacted>`. FRR 8.4 takes one word as the password, but
 * everything up to the end of the line goes, so a malformed line (a password with spaces, which
 * FRR rejects and echoes back in its error) does not leak either.
 */
export function redactSecrets(text: string): string {
  return text.replace(/(\bneighbor\s+\S+\s+password)[ \t]+[^\r\n]*/g, '$1 <redacted>');
}

export const DEFAULT_OUTPUT_LIMIT = 4000;

/** At most `limit` characters: the head and the tail, with a note of how much was left out. */
export function truncateOutput(text: string, limit = DEFAULT_OUTPUT_LIMIT): string {
  if (text.length <= limit) return text;
  const tail = Math.floor(limit / 4);
  const head = limit - tail;
  return `${text.slice(0, head)}\n… [${text.length - limit} characters left out] …\n${text.slice(text.length - tail)}`;
}

/** Redacts first, so a secret cut in half by truncation cannot leak its first part. */
export function sanitizeOutput(text: string, limit = DEFAULT_OUTPUT_LIMIT): string {
  return truncateOutput(redactSecrets(text), limit);
}
