/**
 * How far V8 lets the old generation grow past the live heap before a full collection. Left to
 * itself it allowed about 2.6 times: BRM holding a full table (then about 450 MB live per million
 * routes) peaked at 1.4 GB of RSS, most of it garbage awaiting collection. At 1.5 times (50) the
 * peak fell, but once the table itself had shrunk (about 230 MB live) the frequent full
 * collections cost BRM 10-20% of its throughput; twice the live heap (100) measured 14,800-16,500
 * routes/s against 13,300-14,100 for 50, at 515-535 MB of peak RSS against 480 (docs/benchmarks.md, BRM).
 */
export const HEAP_GROWING_PERCENT = 100;

const FLAG = /^--heap[-_]growing[-_]percent(=|$)/;

/** The V8 flag to set at start-up, or null when node's command line or NODE_OPTIONS already sets one (the operator's choice wins). */
export function heapGrowthFlag(execArgv: readonly string[], nodeOptions: string | undefined): string | null {
  const given = [...execArgv, ...(nodeOptions ?? '').split(/\s+/)].some((argument) => FLAG.test(argument));
  return given ? null : `--heap-growing-percent=${HEAP_GROWING_PERCENT}`;
}
