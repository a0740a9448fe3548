/**
 * An idempotent producer that is replaced when the brokers stop taking its sequence numbers.
 *
 * The broker keeps, per producer id and partition, the sequence number of the last batch it
 * appended, and takes only the next one (or answers a repeat of one of the last five batches as a
 * duplicate). kafkajs advances its own count only when a send succeeds. When a send's outcome is
 * unknown (the leader died after its followers had copied the batch, but before it answered) and
 * kafkajs gives up retrying, the caller's next send carries other messages from the same sequence
 * number; the new leader has that number already and refuses the batch with
 * OUT_OF_ORDER_SEQUENCE_NUMBER, and every send after it the same way, for as long as the process
 * lives (kafka-cluster.spec found it: the outbox relay stuck, 657 refusals). The Java client bumps
 * its epoch and starts the sequences again (KIP-360); kafkajs cannot, so a new producer (a new
 * producer id, sequences from 0) takes over and the caller retries. What the broker had appended of
 * the failed send may then be on Kafka twice, with the same CloudEvent ids: the at-least-once that
 * consumers already handle.
 *
 * Plain TypeScript (no kafkajs import): the gateway gives it a factory of kafkajs producers.
 */

/** The broker's refusals that mean it no longer knows this producer's sequence (kafkajs error types). */
export const PRODUCER_STATE_LOST = ['OUT_OF_ORDER_SEQUENCE_NUMBER', 'INVALID_PRODUCER_EPOCH', 'UNKNOWN_PRODUCER_ID'] as const;
export type ProducerStateLoss = (typeof PRODUCER_STATE_LOST)[number];

/** The refusal a kafkajs error stands for, or null for any other error. Looks through `cause` (kafkajs wraps errors it gave up on). */
export function producerStateLossOf(error: unknown): ProducerStateLoss | null {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    const { type, cause } = current as { type?: unknown; cause?: unknown };
    if ((PRODUCER_STATE_LOST as readonly unknown[]).includes(type)) return type as ProducerStateLoss;
    current = cause;
  }
  return null;
}

export interface ConnectableProducer {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
}

export interface RenewalReport {
  /** A producer is being replaced: its sends were refused with `loss`. */
  renewing(loss: ProducerStateLoss, error: unknown): void;
  /** The new producer is connected and takes the next sends. */
  renewed(): void;
  /** The new producer could not connect; the next refusal tries again. */
  renewalFailed(error: unknown): void;
}

export class RenewableProducer<Producer extends ConnectableProducer> {
  private current: Producer;
  /** Sends under way per producer: a replaced one is disconnected once its own have settled. */
  private readonly inFlight = new Map<Producer, Set<Promise<unknown>>>();
  private renewal: Promise<void> | null = null;
  /** Replaced producers still disconnecting. */
  private readonly retiring = new Set<Promise<void>>();
  private closed = false;

  constructor(
    private readonly create: () => Producer,
    private readonly report: RenewalReport,
  ) {
    this.current = create();
  }

  connect(): Promise<void> {
    return this.current.connect();
  }

  /**
   * Runs one send on the producer in use (the new one once a renewal under way has ended). When the
   * brokers refuse it for a lost sequence, the producer is replaced before the error is thrown, so
   * the caller's retry goes out on the new one.
   */
  async send<T>(sending: (producer: Producer) => Promise<T>): Promise<T> {
    if (this.renewal) await this.renewal;
    const producer = this.current;
    const sent = sending(producer);
    let sends = this.inFlight.get(producer);
    if (!sends) this.inFlight.set(producer, (sends = new Set()));
    sends.add(sent);
    try {
      return await sent;
    } catch (error) {
      const loss = producerStateLossOf(error);
      if (loss !== null) await this.renew(producer, loss, error);
      throw error;
    } finally {
      sends.delete(sent);
    }
  }

  /** Disconnects the producer in use and any replaced one (after the renewal under way, if any). */
  async close(): Promise<void> {
    this.closed = true;
    if (this.renewal) await this.renewal;
    await Promise.allSettled([this.current.disconnect(), ...this.retiring]);
  }

  /** Replaces `refused` unless it is already replaced; one renewal at a time. Never throws. */
  private renew(refused: Producer, loss: ProducerStateLoss, error: unknown): Promise<void> {
    if (this.renewal) return this.renewal;
    if (this.closed || this.current !== refused) return Promise.resolve();
    this.report.renewing(loss, error);
    this.renewal = (async () => {
      const next = this.create();
      try {
        await next.connect();
      } catch (connectError) {
        await next.disconnect().catch(() => undefined);
        this.report.renewalFailed(connectError);
        return;
      }
      if (this.closed) {
        await next.disconnect().catch(() => undefined);
        return;
      }
      this.current = next;
      this.report.renewed();
      this.retire(refused);
    })().finally(() => (this.renewal = null));
    return this.renewal;
  }

  /** Disconnects a replaced producer once the sends still under way on it have settled. */
  private retire(producer: Producer): void {
    // No send starts on it any more (send() takes the current producer and registers in one step).
    const retired = (async () => {
      await Promise.allSettled([...(this.inFlight.get(producer) ?? [])]);
      this.inFlight.delete(producer);
      await producer.disconnect().catch(() => undefined);
    })();
    this.retiring.add(retired);
    void retired.finally(() => this.retiring.delete(retired));
  }
}
