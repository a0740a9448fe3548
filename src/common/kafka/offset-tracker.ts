/**
 * Which offset of one partition may be committed when messages finish out of order (HRM hands
 * one message to many subscribers, each at its own pace): the lowest offset still in progress,
 * or one past the last message taken when nothing is. Committing it means a restart redelivers
 * every message some subscriber has not finished, and nothing else.
 */
export class OffsetTracker {
  /** Offsets taken and not finished (a rebalance can hand back lower ones: no order assumed). */
  private readonly open = new Set<bigint>();
  private next: bigint | null = null;
  private committed: bigint | null = null;

  /** A message was taken; call the returned function once when it is finished. */
  take(offset: string): () => void {
    const value = BigInt(offset);
    this.open.add(value);
    if (this.next === null || value + 1n > this.next) this.next = value + 1n;
    let finished = false;
    return () => {
      if (finished) return;
      finished = true;
      this.open.delete(value);
    };
  }

  get inProgress(): number {
    return this.open.size;
  }

  /** The offset to commit now, or null when it is not past the last `committedAt`. */
  committable(): string | null {
    if (this.next === null) return null;
    let lowest = this.next;
    for (const value of this.open) if (value < lowest) lowest = value;
    if (this.committed !== null && lowest <= this.committed) return null;
    return lowest.toString();
  }

  committedAt(offset: string): void {
    const value = BigInt(offset);
    if (this.committed === null || value > this.committed) this.committed = value;
  }
}
