/**
 * The probe of sampleHeap (route-table-events.mjs), in a worker thread of its own: the bench
 * process also runs receivers (hrm-fanout: 100 HTTP servers checking signatures) whose work would
 * otherwise delay reading route-broker's answers, and count against route-broker.
 */
import { parentPort, workerData } from 'node:worker_threads';

const { port, readToken } = workerData;
const heapMb = [];
const answerMs = { metrics: [], health: [] };
let stopped = false;
parentPort.once('message', () => (stopped = true));

const timed = async (series, url, headers) => {
  const started = performance.now();
  const text = await fetch(url, { headers }).then(
    (response) => (response.ok ? response.text() : ''),
    () => '',
  );
  series.push(performance.now() - started);
  return text;
};

while (!stopped) {
  await timed(answerMs.health, `http://127.0.0.1:${port}/health`, {});
  const text = await timed(answerMs.metrics, `http://127.0.0.1:${port}/metrics`, { authorization: `Bearer ${readToken}` });
  const used = /^route_broker_nodejs_heap_size_used_bytes(?:\{[^}]*\})? (\S+)$/m.exec(text);
  if (used) heapMb.push(Number(used[1]) / 1e6);
  await new Promise((resolve) => setTimeout(resolve, 500));
}
parentPort.postMessage({ heapMb, answerMs });
