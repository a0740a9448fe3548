/**
 * docs/monitoring/ (issue #22): the Prometheus alert rules pass `promtool check rules` and their
 * unit tests (`promtool test rules`), each alert has a case where it fires and one where it does
 * not, the Grafana dashboard has what Grafana needs and only valid PromQL, and every
 * `route_broker_*` metric the three files name is one the code registers.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { metricsRegistry } from './metrics.js';

const SRC = fileURLToPath(new URL('..', import.meta.url));
const MONITORING = fileURLToPath(new URL('../../docs/monitoring/', import.meta.url));
const RULES = 'route-broker-alerts.yml';
const RULE_TESTS = 'route-broker-alerts.test.yml';
const DASHBOARD = 'route-broker-dashboard.json';

const run = promisify(execFile);

/** Runs promtool in docs/monitoring/; its output, or an error that says what failed. Never skips. */
async function promtool(...args: string[]): Promise<string> {
  try {
    const { stdout, stderr } = await run('promtool', args, { cwd: MONITORING });
    return stdout + stderr;
  } catch (error) {
    const failure = error as NodeJS.ErrnoException & { stdout?: string; stderr?: string };
    if (failure.code === 'ENOENT') {
      throw new Error("promtool is not installed: run scripts/deps (it installs Debian's prometheus package, which has promtool)", {
        cause: error,
      });
    }
    throw new Error(`promtool ${args.join(' ')} failed (${String(failure.code)}):\n${failure.stdout ?? ''}${failure.stderr ?? ''}`, {
      cause: error,
    });
  }
}

function read(name: string): string {
  return readFileSync(join(MONITORING, name), 'utf8');
}

/**
 * Every module under src/ (not a test) that makes metrics for the registry, loaded (which starts
 * nothing: Nest services run only in an application): their metrics are then registered.
 */
async function registeredMetricNames(): Promise<Set<string>> {
  const files = readdirSync(SRC, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.spec.ts'))
    .map((file) => join(SRC, file))
    .filter((file) => {
      const text = readFileSync(file, 'utf8');
      return text.includes('metricsRegistry') && /\bnew (Counter|Gauge|Histogram|Summary)\(/.test(text);
    });
  expect(files.length).toBeGreaterThan(10);
  for (const file of files) await import(pathToFileURL(file).href);
  const names = new Set<string>();
  for (const metric of await metricsRegistry.getMetricsAsJSON()) {
    names.add(metric.name);
    // The series a histogram or summary exposes besides its name (`type` is a string at run time).
    const suffixes: Record<string, string[]> = { histogram: ['_bucket', '_sum', '_count'], summary: ['_sum', '_count'] };
    for (const suffix of suffixes[String(metric.type)] ?? []) names.add(metric.name + suffix);
  }
  return names;
}

const metricNamesIn = (text: string): string[] => [...new Set(text.match(/\broute_broker_[a-z0-9_]+/g) ?? [])].sort();

interface GridPos {
  h: number;
  w: number;
  x: number;
  y: number;
}
interface Panel {
  id: number;
  type: string;
  title: string;
  gridPos: GridPos;
  datasource?: { type?: string; uid?: string };
  targets?: { refId?: string; expr?: string }[];
}
interface Dashboard {
  title: string;
  uid: string;
  schemaVersion: number;
  panels: Panel[];
  templating: { list: { name: string; type: string; query: unknown }[] };
}

/** What Grafana needs to load the dashboard, as a list of problems (empty: none). */
function dashboardProblems(dashboard: Dashboard): string[] {
  const problems: string[] = [];
  const isInt = (value: unknown): value is number => Number.isInteger(value);
  if (typeof dashboard.title !== 'string' || dashboard.title === '') problems.push('no title');
  if (typeof dashboard.uid !== 'string' || !/^[A-Za-z0-9_-]{1,40}$/.test(dashboard.uid)) problems.push('uid missing or invalid');
  if (!isInt(dashboard.schemaVersion) || dashboard.schemaVersion < 36) problems.push('schemaVersion missing or older than 36');
  const datasource = dashboard.templating?.list?.find((variable) => variable.name === 'datasource');
  if (datasource?.type !== 'datasource' || datasource.query !== 'prometheus')
    problems.push('no Prometheus datasource variable `datasource`');
  if (!Array.isArray(dashboard.panels) || dashboard.panels.length === 0) return [...problems, 'no panels'];
  const ids = new Set<number>();
  const placed: { title: string; grid: GridPos }[] = [];
  for (const panel of dashboard.panels) {
    const name = `panel ${String(panel.id)} (${panel.title})`;
    if (!isInt(panel.id) || ids.has(panel.id)) problems.push(`${name}: id missing or not unique`);
    ids.add(panel.id);
    if (typeof panel.type !== 'string' || typeof panel.title !== 'string' || panel.title === '') problems.push(`${name}: no type or title`);
    const grid = panel.gridPos;
    if (!grid || ![grid.h, grid.w, grid.x, grid.y].every(isInt) || grid.w < 1 || grid.h < 1 || grid.x < 0 || grid.x + grid.w > 24) {
      problems.push(`${name}: gridPos missing or outside the 24 columns`);
    } else {
      for (const other of placed) {
        const o = other.grid;
        if (grid.x < o.x + o.w && o.x < grid.x + grid.w && grid.y < o.y + o.h && o.y < grid.y + grid.h) {
          problems.push(`${name} overlaps ${other.title}`);
        }
      }
      placed.push({ title: panel.title, grid });
    }
    if (panel.type === 'row') continue;
    if (panel.datasource?.uid !== '${datasource}') problems.push(`${name}: datasource is not \${datasource}`);
    const targets = panel.targets ?? [];
    if (targets.length === 0) problems.push(`${name}: no targets`);
    const refIds = new Set(targets.map((target) => target.refId));
    if (refIds.size !== targets.length || refIds.has(undefined)) problems.push(`${name}: refIds missing or not unique`);
    for (const target of targets)
      if (typeof target.expr !== 'string' || target.expr.trim() === '') problems.push(`${name}: a target without expr`);
  }
  return problems;
}

describe('docs/monitoring', () => {
  it('alert rules pass promtool check rules', async () => {
    const output = await promtool('check', 'rules', RULES);
    expect(output).toContain('SUCCESS');
  });

  it('alert rules pass their promtool unit tests', async () => {
    const output = await promtool('test', 'rules', RULE_TESTS);
    expect(output).toContain('SUCCESS');
    expect(output).not.toContain('FAILED');
  });

  it('tests every alert at least once firing and once not firing', () => {
    const alerts = [...read(RULES).matchAll(/^\s*- alert: (\w+)\s*$/gm)].map((match) => match[1]!);
    expect(alerts.length).toBeGreaterThan(10);
    const cases = [...read(RULE_TESTS).matchAll(/alertname: (\w+)\s*\n\s*exp_alerts:( \[\])?/g)].map((match) => ({
      alert: match[1]!,
      fires: match[2] === undefined,
    }));
    const untested = alerts.flatMap((alert) =>
      [true, false]
        .filter((fires) => !cases.some((test) => test.alert === alert && test.fires === fires))
        .map((fires) => `${alert} (${fires ? 'firing' : 'not firing'})`),
    );
    expect(untested).toEqual([]);
    expect(cases.filter((test) => !alerts.includes(test.alert))).toEqual([]);
  });

  it('dashboard is a Grafana dashboard: title, uid, schemaVersion, panels with unique ids, gridPos and targets', () => {
    const dashboard = JSON.parse(read(DASHBOARD)) as Dashboard;
    expect(dashboardProblems(dashboard)).toEqual([]);
    // The check itself finds what is wrong.
    const broken = structuredClone(dashboard);
    broken.panels[2]!.id = broken.panels[1]!.id;
    delete broken.panels[3]!.targets![0]!.expr;
    expect(dashboardProblems(broken)).toHaveLength(2);
  });

  it("dashboard's queries are valid PromQL (promtool check rules)", async () => {
    const dashboard = JSON.parse(read(DASHBOARD)) as Dashboard;
    const exprs = dashboard.panels.flatMap((panel) => (panel.targets ?? []).map((target) => target.expr ?? ''));
    const rules = exprs.map((expr, index) => ({
      record: `dashboard:query:${index}`,
      // Grafana's variables, as Grafana would put them in.
      expr: expr.replace(/\$__(rate_)?interval/g, '5m').replace(/\$\{?\w+\}?/g, '.*'),
    }));
    const dir = mkdtempSync(join(tmpdir(), 'rb-dashboard-'));
    try {
      // JSON is YAML.
      writeFileSync(join(dir, 'dashboard-queries.yml'), JSON.stringify({ groups: [{ name: 'dashboard', rules }] }));
      expect(await promtool('check', 'rules', join(dir, 'dashboard-queries.yml'))).toContain(`SUCCESS: ${rules.length} rules found`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names only metrics that route-broker registers', async () => {
    const registered = await registeredMetricNames();
    expect(registered).toContain('route_broker_http_request_duration_seconds_bucket');
    expect(registered).toContain('route_broker_process_cpu_seconds_total');
    for (const file of [RULES, RULE_TESTS, DASHBOARD]) {
      const used = metricNamesIn(read(file));
      expect(used.length).toBeGreaterThan(5);
      expect({ file: relative(SRC, join(MONITORING, file)), unknown: used.filter((name) => !registered.has(name)) }).toEqual({
        file: relative(SRC, join(MONITORING, file)),
        unknown: [],
      });
    }
  });
});
