/**
 * Runs `work` until it succeeds or `wanted()` turns false, `delayMs` apart, telling `failed` of each
 * failure. For work a role needs at start or after a rebalance (following a topic, judging tables
 * again) that must neither crash the process nor be given up while MariaDB or Kafka is away.
 */
export async function retryUntilDone(
  work: () => Promise<void>,
  wanted: () => boolean,
  failed: (error: Error, attempt: number, delayMs: number) => void,
  delayMs = 5000,
): Promise<void> {
  for (let attempt = 1; wanted(); attempt++) {
    try {
      await work();
      return;
    } catch (error) {
      if (!wanted()) return;
      failed(error as Error, attempt, delayMs);
      await new Promise((resolve) => setTimeout(resolve, delayMs).unref());
    }
  }
}
