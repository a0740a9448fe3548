/** What the collector's thread and its BMP read workers say to each other (bmp-read-workers.ts, bmp-read-worker.ts). */
import type { RouterIdentity } from './bmp-events.js';
import type { ReadOutcome, RouterStreamOptions } from './router-stream.js';

/** To a worker, about one connection; requests are handled in the order posted. */
export type ReadRequest =
  | { kind: 'open'; connection: number; options: RouterStreamOptions }
  | { kind: 'identify'; connection: number; identity: RouterIdentity; hostAsn: number | null }
  | { kind: 'read'; request: number; connection: number; chunk: Uint8Array; receivedAt: number }
  | { kind: 'continue'; request: number; connection: number }
  | { kind: 'close'; connection: number };

/** A worker's answer to a read or continue. */
export type ReadResponse = { request: number; outcome: ReadOutcome } | { request: number; failure: string };
