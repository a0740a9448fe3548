/**
 * The worker thread that reads BMP streams for the collector (bmp-read-workers.ts posts to it):
 * one RouterStream per connection, requests handled in the order posted. An error that is not the
 * stream's fault (a bug) fails that request only; the collector closes that router's connection.
 */
import { parentPort, type TransferListItem } from 'node:worker_threads';
import { RouterStream, type ReadOutcome } from './router-stream.js';
import type { ReadRequest, ReadResponse } from './bmp-read-protocol.js';

if (!parentPort) throw new Error('bmp-read-worker runs as a worker thread');
const port = parentPort;
const streams = new Map<number, RouterStream>();

port.on('message', (request: ReadRequest) => {
  switch (request.kind) {
    case 'open':
      streams.set(request.connection, new RouterStream(request.options));
      return;
    case 'identify':
      streams.get(request.connection)?.identify(request.identity, request.hostAsn);
      return;
    case 'close':
      streams.delete(request.connection);
      return;
    case 'read':
    case 'continue': {
      let response: ReadResponse;
      try {
        const stream = streams.get(request.connection);
        if (!stream) throw new Error(`no stream for connection ${request.connection}`);
        const outcome = request.kind === 'read' ? stream.read(request.chunk, new Date(request.receivedAt)) : stream.continueRead();
        response = { request: request.request, outcome };
        port.postMessage(response, transferables(outcome));
      } catch (error) {
        response = { request: request.request, failure: error instanceof Error ? (error.stack ?? error.message) : String(error) };
        port.postMessage(response);
      }
      return;
    }
  }
});

/** Message bodies that own their whole memory move to the collector's thread instead of being copied. */
function transferables(outcome: ReadOutcome): TransferListItem[] {
  const moved: TransferListItem[] = [];
  for (const { value } of outcome.events) {
    if (value.byteOffset === 0 && value.byteLength === value.buffer.byteLength) moved.push(value.buffer as ArrayBuffer);
  }
  return moved;
}
