/**
 * A consumer's offset commits, sent behind its batches rather than between them: the next batch is
 * applied while the last one's offsets travel to the group coordinator, instead of waiting a round
 * trip per batch. A request made while a commit is in flight joins the next one, the newest offset
 * of each partition winning, so commits go out one at a time and in order.
 *
 * A failed commit is reported and not retried: the next request carries a later offset. The batch
 * was applied either way, so the cost of a lost commit is the one any crash between applying and
 * committing already has: the batch is delivered again (BRM recognises it by its stored offset).
 */
export interface PartitionOffset {
  topic: string;
  partition: number;
  /** The next offset to read, as Kafka commits it. */
  offset: string;
}

export class OffsetCommits {
  private readonly wanted = new Map<string, PartitionOffset>();
  private running: Promise<void> | null = null;

  constructor(
    private readonly commit: (offsets: PartitionOffset[]) => Promise<void>,
    private readonly reportFailure: (error: Error, offsets: PartitionOffset[]) => void,
  ) {}

  /** Commits `offset` soon; resolves once a commit that includes it has been tried. */
  request(offset: PartitionOffset): Promise<void> {
    this.wanted.set(`${offset.topic}|${offset.partition}`, offset);
    this.running ??= this.drain();
    return this.running;
  }

  /** Resolves when nothing is waiting or in flight. */
  settled(): Promise<void> {
    return this.running ?? Promise.resolve();
  }

  private async drain(): Promise<void> {
    try {
      while (this.wanted.size > 0) {
        const offsets = [...this.wanted.values()];
        this.wanted.clear();
        try {
          await this.commit(offsets);
        } catch (error) {
          this.reportFailure(error instanceof Error ? error : new Error(String(error)), offsets);
        }
      }
    } finally {
      this.running = null;
    }
  }
}
