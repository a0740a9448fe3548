/**
 * Bearer tokens, each with a name and a role: `read` may look, `operator` may also change. The
 * name is who the audit trail says acted (docs/security.md, "Who did what").
 */
import { timingSafeEqual, createHash } from 'node:crypto';

export type ApiRole = 'read' | 'operator';

/** A configured token (RB_API_READ_TOKENS, RB_API_OPERATOR_TOKENS). The token itself is a secret. */
export interface NamedToken {
  name: string;
  role: ApiRole;
  token: string;
}

/** Who presented a known token. */
export interface ApiPrincipal {
  name: string;
  role: ApiRole;
}

/** `[a-z0-9][a-z0-9._-]{0,62}`: fits frr_applies.requested_by and audit_records.actor (64). */
export const TOKEN_NAME = /^[a-z0-9][a-z0-9._-]{0,62}$/;
/** No `:` in it, so `name:token` splits unambiguously at the first colon. */
export const TOKEN_TEXT = /^[A-Za-z0-9._~+/=-]{16,}$/;

/**
 * Reads one variable's entries, `name:token` or a bare `token`. A bare token is named
 * `<role>-<n>` (its 1-based position in the list) so a list written before tokens had names keeps
 * working. Problems never quote a token, only its position.
 */
export function parseTokenEntries(
  variable: string,
  role: ApiRole,
  entries: readonly string[],
): { tokens: NamedToken[]; problems: string[] } {
  const tokens: NamedToken[] = [];
  const problems: string[] = [];
  entries.forEach((entry, index) => {
    const colon = entry.indexOf(':');
    const name = colon < 0 ? `${role}-${index + 1}` : entry.slice(0, colon);
    const token = colon < 0 ? entry : entry.slice(colon + 1);
    const where = `${variable} entry #${index + 1}`;
    if (!TOKEN_NAME.test(name)) {
      // Not quoted: what stands before the colon may be a token pasted by mistake.
      problems.push(
        `${where} has an invalid name: expected name:token with a name of 1-63 characters of [a-z0-9._-], starting with a letter or digit`,
      );
    }
    if (!TOKEN_TEXT.test(token)) {
      problems.push(`${where} is invalid: expected a token (or name:token) of at least 16 characters of [A-Za-z0-9._~+/=-]`);
    }
    tokens.push({ name, role, token });
  });
  return { tokens, problems };
}

/** Names and tokens must each be unique across both lists: one token, one name, one role. */
export function duplicateTokenProblems(tokens: readonly (NamedToken & { variable: string; position: number })[]): string[] {
  const problems: string[] = [];
  const names = new Map<string, string>();
  const texts = new Map<string, string>();
  for (const token of tokens) {
    const where = `${token.variable} entry #${token.position}`;
    const sameName = names.get(token.name);
    if (sameName !== undefined)
      problems.push(`${where} is named ${JSON.stringify(token.name)} like ${sameName}: token names must be unique`);
    else names.set(token.name, where);
    const sameToken = texts.get(token.token);
    if (sameToken !== undefined)
      problems.push(`${where} is the same token as ${sameToken}: each token must be listed once, under one name`);
    else texts.set(token.token, where);
  }
  return problems;
}

export class ApiTokens {
  private readonly digests: { digest: Buffer; principal: ApiPrincipal }[];

  constructor(tokens: readonly NamedToken[]) {
    // Compare fixed-length digests so neither the length nor the content leaks through timing.
    this.digests = tokens.map(({ name, role, token }) => ({ digest: sha256(token), principal: { name, role } }));
  }

  /** Who presented the bearer token in an Authorization header, or null when it is missing or unknown. */
  principalOf(authorization: string | undefined): ApiPrincipal | null {
    const match = /^Bearer ([^\s]+)$/i.exec(authorization ?? '');
    if (!match) return null;
    const presented = sha256(match[1]!);
    let found: ApiPrincipal | null = null;
    // Every candidate is compared (no early exit): the time does not say which one matched.
    for (const candidate of this.digests) {
      if (timingSafeEqual(candidate.digest, presented)) found = candidate.principal;
    }
    return found;
  }
}

export function mayAccess(role: ApiRole, method: string): boolean {
  return role === 'operator' || ['GET', 'HEAD', 'OPTIONS'].includes(method.toUpperCase());
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
