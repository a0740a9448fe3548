/**
 * Messages Kafka will never take, however often they are retried: the broker refuses a record
 * batch over the topic's `max.message.bytes` (default: the broker's `message.max.bytes`, 1 MiB)
 * with MESSAGE_TOO_LARGE (error code 10), and one over the topic's `segment.bytes` with
 * RECORD_LIST_TOO_LARGE (18); both are non-retriable for kafkajs, which throws them at once. A
 * request over the broker's `socket.request.max.bytes` (100 MiB) is not answered at all: the broker
 * closes the connection, and kafkajs sees `write EPIPE` and retries it as an outage (about 47 s
 * with the gateway's retry settings) before giving up. Measured against Kafka 4.4 in
 * test/integration/oversize-events.spec.ts and docs/events.md ("Oversize events").
 *
 * The limits apply to the batch as sent, gzip-compressed: an event of several times the limit in
 * JSON may pass, so the gateway reacts to the broker's answer rather than guessing.
 *
 * Plain TypeScript (no kafkajs, no I/O): the gateway uses it in its send path.
 */

import type { DeadLetter } from './topics.js';

/** Why a message cannot go to Kafka as it is. */
export type TooLargeReason = 'MESSAGE_TOO_LARGE' | 'RECORD_LIST_TOO_LARGE' | 'REQUEST_TOO_LARGE';

const PROTOCOL_CODES: Record<number, TooLargeReason> = { 10: 'MESSAGE_TOO_LARGE', 18: 'RECORD_LIST_TOO_LARGE' };

/**
 * The size refusal an error from kafkajs stands for, or null for any other error (retriable or
 * not). Looks through `cause` (kafkajs wraps some errors, e.g. KafkaJSNonRetriableError).
 */
export function tooLargeReasonOf(error: unknown): TooLargeReason | null {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    const { type, code, name, cause } = current as { type?: unknown; code?: unknown; name?: unknown; cause?: unknown };
    if (type === 'MESSAGE_TOO_LARGE' || type === 'RECORD_LIST_TOO_LARGE') return type;
    if (name === 'KafkaJSProtocolError' && typeof code === 'number' && PROTOCOL_CODES[code]) return PROTOCOL_CODES[code];
    current = cause;
  }
  return null;
}

/** A message the broker refused (or would refuse) for its size, alone in its request. */
export interface RefusedMessage {
  topic: string;
  key: string | null;
  /** The CloudEvent's `id` and `type` (its ce_id / ce_type headers); null when it has none. */
  id: string | null;
  type: string | null;
  /** The message as it was sent (uncompressed). */
  value: Buffer;
  reason: TooLargeReason;
  /** The topic's `max.message.bytes` as Kafka reported it; null when it could not be read. */
  limitBytes: number | null;
  /** For REQUEST_TOO_LARGE: the broker's `socket.request.max.bytes` and the message's size compressed. */
  requestLimitBytes?: number;
  compressedBytes?: number;
}

/** The dead letter's and the log's one-line account of a refusal. */
export function refusalText(refused: RefusedMessage): string {
  const limit = refused.limitBytes === null ? 'unknown' : `${refused.limitBytes} bytes`;
  const what = `${refused.value.length} bytes uncompressed`;
  switch (refused.reason) {
    case 'MESSAGE_TOO_LARGE':
      return `MESSAGE_TOO_LARGE: Kafka refused the message (${what}): its compressed record batch is over the topic's max.message.bytes (${limit})`;
    case 'RECORD_LIST_TOO_LARGE':
      return `RECORD_LIST_TOO_LARGE: Kafka refused the message (${what}): its record batch is over the topic's segment.bytes (max.message.bytes ${limit})`;
    case 'REQUEST_TOO_LARGE':
      return (
        `REQUEST_TOO_LARGE: not sent: the message is ${what}, ${refused.compressedBytes ?? '?'} compressed, over the broker's ` +
        `socket.request.max.bytes (${refused.requestLimitBytes ?? '?'} bytes: the broker would close the connection instead of answering)`
      );
  }
}

/**
 * What a record batch carries besides its records' framing, which messageBytes counts per message:
 * the batch header (61 bytes) and gzip's framing (about 20 bytes, and 5 per 64 KiB of data that
 * does not compress). Generous.
 */
export const BATCH_MARGIN_BYTES = 1024;

/**
 * How many bytes of messages (as messageBytes counts them, uncompressed) one request may carry on
 * a topic: `maxRequestBytes`, or less when the topic's limit is lower. Compression only shrinks
 * JSON, so a request planned under this is never refused for its size; only a message larger than
 * the budget on its own (sent alone) can be.
 */
export function requestBudget(limitBytes: number | null, maxRequestBytes: number): number {
  if (limitBytes === null) return maxRequestBytes;
  return Math.max(1, Math.min(maxRequestBytes, limitBytes - BATCH_MARGIN_BYTES));
}

/** The first `maxBytes` bytes of a UTF-8 text, cut before a partial character, with an ellipsis when cut. */
export function headOf(value: Buffer, maxBytes: number): string {
  if (value.length <= maxBytes) return value.toString('utf8');
  let end = maxBytes;
  // Back up over continuation bytes (10xxxxxx) to the start of the cut character.
  while (end > 0 && (value[end]! & 0xc0) === 0x80) end--;
  return `${value.subarray(0, end).toString('utf8')}…`;
}

/**
 * A dead letter Kafka refused for its size, made smaller: first without the original value (its
 * size and first `headBytes` bytes kept), then without any excerpt and with the reason cut; null
 * when nothing more can go (it is then dropped, with an error logged, rather than retried).
 */
export function shrunkDeadLetter(letter: DeadLetter, headBytes: number): DeadLetter | null {
  if (letter.value !== null) {
    const value = Buffer.from(letter.value, 'utf8');
    const where =
      letter.partition === null ? 'it never reached Kafka' : `the original is at ${letter.topic}/${letter.partition}/${letter.offset}`;
    return {
      ...letter,
      value: null,
      valueOmitted: {
        bytes: value.length,
        head: headOf(value, headBytes),
        note: `left out: the dead letter was too large for the dead-letter topic; ${where}`,
      },
    };
  }
  const cutReason = Buffer.byteLength(letter.reason) > headBytes ? headOf(Buffer.from(letter.reason), headBytes) : letter.reason;
  const hasExcerpts = (letter.valueOmitted?.head ?? '') !== '' || (letter.refused?.valueHead ?? '') !== '';
  if (!hasExcerpts && cutReason === letter.reason) return null;
  return {
    ...letter,
    reason: cutReason,
    ...(letter.valueOmitted ? { valueOmitted: { ...letter.valueOmitted, head: '' } } : {}),
    ...(letter.refused ? { refused: { ...letter.refused, valueHead: '' } } : {}),
  };
}

/**
 * Shared/exclusive lock in arrival order. The gateway sends to one topic under it: a request to one
 * partition shares it, a request to several holds it alone. Why: when the broker refuses one
 * partition's batch of a request, it has appended the other partitions' batches, yet kafkajs
 * rolls back every partition's sequence number. The very next batch to an appended partition
 * must then be the same batch again (the broker recognises it as a duplicate and answers with
 * success); any other batch there gets OUT_OF_ORDER_SEQUENCE_NUMBER, forever. Holding the topic
 * alone from the multi-partition send through those identical re-sends keeps every other send
 * of this process off those partitions meanwhile.
 */
export class SharedExclusiveLock {
  private sharedHolders = 0;
  private exclusiveHeld = false;
  private readonly waiting: { exclusive: boolean; grant: () => void }[] = [];

  async run<T>(exclusive: boolean, work: () => Promise<T>): Promise<T> {
    await new Promise<void>((grant) => {
      this.waiting.push({ exclusive, grant });
      this.grantWaiting();
    });
    try {
      return await work();
    } finally {
      if (exclusive) this.exclusiveHeld = false;
      else this.sharedHolders--;
      this.grantWaiting();
    }
  }

  /** Holders and waiters, for tests. */
  get state(): { shared: number; exclusive: boolean; waiting: number } {
    return { shared: this.sharedHolders, exclusive: this.exclusiveHeld, waiting: this.waiting.length };
  }

  private grantWaiting(): void {
    while (this.waiting.length > 0) {
      const next = this.waiting[0]!;
      if (this.exclusiveHeld) return;
      if (next.exclusive) {
        if (this.sharedHolders > 0) return;
        this.exclusiveHeld = true;
      } else {
        this.sharedHolders++;
      }
      this.waiting.shift();
      next.grant();
    }
  }
}

/** How much of a refused value a dead letter quotes. */
export const DEAD_LETTER_HEAD_BYTES = 1024;

/** The dead letter of a message Kafka refused for its size and that cannot be split. */
export function refusedDeadLetter(refused: RefusedMessage, producer: string): DeadLetter {
  return {
    reason: refusalText(refused),
    topic: refused.topic,
    partition: null,
    offset: null,
    key: refused.key,
    value: null,
    consumerGroup: null,
    refused: {
      producer,
      error: refused.reason,
      eventId: refused.id,
      eventType: refused.type,
      valueBytes: refused.value.length,
      limitBytes: refused.limitBytes,
      valueHead: headOf(refused.value, DEAD_LETTER_HEAD_BYTES),
    },
  };
}
