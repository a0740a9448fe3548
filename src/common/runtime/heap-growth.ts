/**
 * How far V8 lets the old generation grow past the live heap before a full collection. Left to
 * itself it allowed about 2.6 times: BRM holding a full table (about 450 MB live per million
 * routes) peaked at 1.4 GB of RSS, most of it garbage awaiting collection. Collecting at 1.5 times
 * kept the peak near 860 MB for a few percent of throughput (docs/benchmarks.md, BRM).
 */
export const HEAP_GROWING_PERCENT = 50;

const FLAG = /^--heap[-_]growing[-_]percent(=|$)/;

/** The V8 flag to set at start-up, or null when node's command line or NODE_OPTIONS already sets one (the operator's choice wins). */
export function heapGrowthFlag(execArgv: readonly string[], nodeOptions: string | undefined): string | null {
  const given = [...execArgv, ...(nodeOptions ?? '').split(/\s+/)].some((argument) => FLAG.test(argument));
  return given ? null : `--heap-growing-percent=${HEAP_GROWING_PERCENT}`;
}
