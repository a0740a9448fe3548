/**
 * Retry delays for failed deliveries: exponential with full jitter (a random delay between 0 and
 * the exponential bound), so many subscribers failing at once do not retry in lock-step.
 */
export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
}

/** Delay before retry number `attempt` (1 = first retry). `random` is Math.random in production. */
export function retryDelayMs(policy: BackoffPolicy, attempt: number, random: () => number = Math.random): number {
  const bound = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(Math.max(attempt - 1, 0), 30));
  // Never zero: a receiver that fails instantly must not be hammered in a tight loop.
  return Math.max(Math.min(policy.baseMs, bound), Math.round(random() * bound));
}
