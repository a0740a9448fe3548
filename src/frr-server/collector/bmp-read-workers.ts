/**
 * The collector's BMP read workers: worker threads that decode the routers' streams and serialise
 * their events (RouterStream), so that the thread owning the sockets and the Kafka client is not
 * also the one decoding, and several routers' dumps use several cores. Each connection stays on one
 * worker, whose requests are answered in order, so a router's events keep the stream's order.
 *
 * A worker that dies (a bug, not a router's bad bytes, which RouterStream reports as malformed)
 * fails the reads of its connections, which the collector then closes; a new worker takes its
 * place for new connections.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { RouterIdentity } from './bmp-events.js';
import type { ReadRequest, ReadResponse } from './bmp-read-protocol.js';
import type { ReadOutcome, RouterStreamOptions } from './router-stream.js';

interface WorkerSlot {
  worker: Worker;
  /** False once the worker died: its connections' reads fail. */
  alive: boolean;
  pending: Map<number, { resolve: (outcome: ReadOutcome) => void; reject: (error: Error) => void }>;
  connections: number;
}

/**
 * The worker's script, the compiled bmp-read-worker.js beside this file. jest runs the TypeScript
 * sources, which a worker thread cannot load: there the build's copy of the same file is used
 * (`npm test` builds first).
 */
function workerScript(): URL {
  const beside = new URL('./bmp-read-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(beside))) return beside;
  return new URL(beside.href.replace('/src/frr-server/collector/', '/dist/frr-server/collector/'));
}

export class BmpReadWorkers {
  private readonly slots: WorkerSlot[] = [];
  private nextConnection = 1;
  private nextRequest = 1;
  private stopping = false;

  /**
   * `onWorkerLost` is told why a worker died, once its readers say `lost` and their reads fail:
   * the collector closes those connections.
   */
  constructor(
    size: number,
    private readonly onWorkerLost: (reason: string) => void,
  ) {
    for (let index = 0; index < size; index++) this.slots.push(this.startWorker());
  }

  /** A connection's reader on the worker with the fewest connections. */
  open(options: RouterStreamOptions): RouterReader {
    const slot = this.slots.reduce((least, candidate) => (candidate.connections < least.connections ? candidate : least));
    const connection = this.nextConnection++;
    slot.connections++;
    this.post(slot, { kind: 'open', connection, options });
    return new RouterReader(this, slot, connection);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all(this.slots.map((slot) => slot.worker.terminate()));
  }

  /** @internal RouterReader's way in. */
  request(slot: WorkerSlot, request: ReadRequest & { request: number }): Promise<ReadOutcome> {
    if (!slot.alive) return Promise.reject(new Error('its BMP read worker stopped'));
    return new Promise<ReadOutcome>((resolve, reject) => {
      slot.pending.set(request.request, { resolve, reject });
      this.post(slot, request);
    });
  }

  /** @internal */
  newRequestId(): number {
    return this.nextRequest++;
  }

  /** @internal */
  post(slot: WorkerSlot, request: ReadRequest): void {
    if (slot.alive) slot.worker.postMessage(request);
  }

  /** @internal */
  closed(slot: WorkerSlot, connection: number): void {
    if (!slot.alive) return;
    slot.connections--;
    this.post(slot, { kind: 'close', connection });
  }

  private startWorker(): WorkerSlot {
    const slot: WorkerSlot = { worker: new Worker(workerScript()), alive: true, pending: new Map(), connections: 0 };
    // The sockets and servers keep the process running; a worker alone must not (stop() ends them).
    slot.worker.unref();
    slot.worker.on('message', (response: ReadResponse) => {
      const waiting = slot.pending.get(response.request);
      if (!waiting) return;
      slot.pending.delete(response.request);
      if ('failure' in response) waiting.reject(new Error(response.failure));
      else waiting.resolve(withBuffers(response.outcome));
    });
    slot.worker.on('error', (error) => this.lost(slot, error.stack ?? error.message));
    slot.worker.on('exit', (code) => this.lost(slot, `exited with code ${code}`));
    return slot;
  }

  private lost(slot: WorkerSlot, reason: string): void {
    const index = this.slots.indexOf(slot);
    if (this.stopping || index < 0) return;
    slot.alive = false;
    this.onWorkerLost(reason);
    const error = new Error(`its BMP read worker stopped: ${reason}`);
    for (const waiting of slot.pending.values()) waiting.reject(error);
    slot.pending.clear();
    slot.worker.removeAllListeners();
    void slot.worker.terminate();
    this.slots[index] = this.startWorker();
  }
}

/** One connection's stream on its worker. */
export class RouterReader {
  constructor(
    private readonly workers: BmpReadWorkers,
    private readonly slot: WorkerSlot,
    private readonly connection: number,
  ) {}

  read(chunk: Buffer, receivedAt: Date): Promise<ReadOutcome> {
    const request = this.workers.newRequestId();
    return this.workers.request(this.slot, {
      kind: 'read',
      request,
      connection: this.connection,
      chunk,
      receivedAt: receivedAt.getTime(),
    });
  }

  /** Its worker died: nothing more can be read (the collector closes the connection). */
  get lost(): boolean {
    return !this.slot.alive;
  }

  /** The rest of a read that stopped at an Initiation. */
  continueRead(): Promise<ReadOutcome> {
    return this.workers.request(this.slot, { kind: 'continue', request: this.workers.newRequestId(), connection: this.connection });
  }

  identify(identity: RouterIdentity, hostAsn: number | null): void {
    this.workers.post(this.slot, { kind: 'identify', connection: this.connection, identity, hostAsn });
  }

  close(): void {
    this.workers.closed(this.slot, this.connection);
  }
}

/** Message bodies arrive as Uint8Arrays: the Kafka client wants Buffers (the same memory). */
function withBuffers(outcome: ReadOutcome): ReadOutcome {
  for (const event of outcome.events) event.value = Buffer.from(event.value.buffer, event.value.byteOffset, event.value.byteLength);
  return outcome;
}
