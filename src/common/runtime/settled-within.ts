/**
 * Waits for `work` to settle, at most `ms`: true when it did (fulfilled or rejected), false when the
 * time ran out first. For shutdowns, which must not hang on a start that never ends (a kafkajs
 * consumer's first run can stay pending after a crash in its group join).
 */
export async function settledWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([
      work.then(
        () => true,
        () => true,
      ),
      late,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * How long a role waits at shutdown for its consumer's start: longer than a group join normally
 * takes (well under a second here, a few with a coordinator still loading), so only a start that
 * hangs is cut short; a start that ends later stops its consumer itself (KafkaGateway). The roles
 * wait one after another and the gateway's own wait follows, and all of it must fit in
 * RB_SHUTDOWN_TIMEOUT_MS: at 20 s, a SIGTERM just after start-up, while a follower was still
 * joining its group, ran into that limit and exited with code 1 without saying why.
 */
export const START_WAIT_AT_SHUTDOWN_MS = 5000;
