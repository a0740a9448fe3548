/** Bearer tokens and their roles: `read` may look, `operator` may also change. */
import { timingSafeEqual, createHash } from 'node:crypto';

export type ApiRole = 'read' | 'operator';

export class ApiTokens {
  private readonly digests: { digest: Buffer; role: ApiRole }[];

  constructor(tokens: { readTokens: readonly string[]; operatorTokens: readonly string[] }) {
    // Compare fixed-length digests so neither the length nor the content leaks through timing.
    this.digests = [
      ...tokens.operatorTokens.map((token) => ({ digest: sha256(token), role: 'operator' as const })),
      ...tokens.readTokens.map((token) => ({ digest: sha256(token), role: 'read' as const })),
    ];
  }

  /** The role of the bearer token in an Authorization header, or null when it is missing or unknown. */
  roleOf(authorization: string | undefined): ApiRole | null {
    const match = /^Bearer ([^\s]+)$/i.exec(authorization ?? '');
    if (!match) return null;
    const presented = sha256(match[1]!);
    let role: ApiRole | null = null;
    for (const candidate of this.digests) {
      if (timingSafeEqual(candidate.digest, presented) && role !== 'operator') role = candidate.role;
    }
    return role;
  }
}

export function mayAccess(role: ApiRole, method: string): boolean {
  return role === 'operator' || ['GET', 'HEAD', 'OPTIONS'].includes(method.toUpperCase());
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
