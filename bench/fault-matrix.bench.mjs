// The fault matrix at full size (issue #23): test/integration/fault-matrix.spec.ts — two
// collectors, two BRM, two HRM and an admin process on the lab's real FRR, one fault per row —
// with a larger table, the full number of BGP flaps and a minute without UXR; then the table the
// spec wrote. Each row: time from the fault until both VPC tables equal their host's RIB, the
// interconnect notifications are contiguous and the UXR receiver holds the tables.
//
//   npm run build && node bench/fault-matrix.bench.mjs [--routes 100000] [--flaps 100] [--cut-seconds 60] [--cluster]
//
//   --cluster   the Kafka row stops one broker of the three-broker cluster (scripts/kafka up
//               --cluster must be running; route-broker then uses it with replication factor 3)
//
// Needs what `npm test` starts: Kafka (scripts/kafka up), MariaDB (scripts/mysql up) and the lab
// (scripts/lab up). It uses the test database, restarts MariaDB and Kafka: not beside other tests.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args[at + 1] : fallback;
};
const cluster = args.includes('--cluster');
const report = '.cache/fault-matrix-bench.txt';
const routes = Number(option('routes', 100000));

const env = {
  ...process.env,
  RB_FAULT_MATRIX_ROUTES: String(routes),
  RB_FAULT_MATRIX_FLAPS: option('flaps', '100'),
  RB_FAULT_MATRIX_CUT_SECONDS: option('cut-seconds', '60'),
  RB_FAULT_MATRIX_SETTLE_SECONDS: String(Math.max(180, Math.ceil(routes / 500))),
  RB_FAULT_MATRIX_REPORT: report,
  ...(cluster
    ? {
        RB_FAULT_MATRIX_KAFKA_CLUSTER: '1',
        RB_KAFKA_BROKERS: option('brokers', '127.0.0.1:19092,127.0.0.1:19192,127.0.0.1:19292'),
        RB_KAFKA_REPLICATION_FACTOR: '3',
        RB_KAFKA_MIN_INSYNC_REPLICAS: '2',
      }
    : {}),
};
const started = Date.now();
const jest = spawnSync(
  process.execPath,
  ['--experimental-vm-modules', 'node_modules/jest/bin/jest.js', '--ci', '--runInBand', 'test/integration/fault-matrix.spec.ts'],
  { env, stdio: ['ignore', 'inherit', 'inherit'] },
);
console.log(`\n${readFileSync(report, 'utf8')}`);
console.log(`whole run: ${((Date.now() - started) / 1000).toFixed(0)} s, jest exit ${jest.status}`);
process.exit(jest.status ?? 1);
