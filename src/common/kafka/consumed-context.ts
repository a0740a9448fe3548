/**
 * Which Kafka messages the code running now is handling, so that a handler's log lines say what
 * they are about without every handler passing it along: the logger adds it to each line
 * (app.module.ts, pino's mixin). The gateway sets it around each handler call. Work a handler
 * starts that outlives the message (the outbox relay's rounds, timers, HRM's delivery loops) is
 * started `detached`, so it does not wear that message's coordinates later.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export interface ConsumedMessages {
  consumer: string;
  topic: string;
  partition: number;
  /** One offset, or `first-last` for a batch. */
  offsets: string;
  /** The CloudEvent id, when one message is handled. */
  eventId?: string;
}

const handling = new AsyncLocalStorage<ConsumedMessages>();

/** Runs `work` as the handling of `messages` (and everything it awaits or starts). */
export function handlingConsumed<T>(messages: ConsumedMessages, work: () => Promise<T>): Promise<T> {
  return handling.run(messages, work);
}

/** The messages being handled by the code running now, if any. */
export function consumedNow(): ConsumedMessages | undefined {
  return handling.getStore();
}

/** Runs `start` outside any message's handling: for work that goes on after the message. */
export function detached<T>(start: () => T): T {
  return handling.exit(start);
}
