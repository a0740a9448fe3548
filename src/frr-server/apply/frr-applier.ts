/**
 * Applies a rendered FRR configuration to one host over an SSH connection, with FRR's own tools:
 * read the running config (the last known good), upload the new one, validate it with
 * `vtysh --dryrun`, diff and apply it incrementally with `frr-reload.py`, verify the result, and
 * on any failure after validation put the last known good config back. See README.md.
 */
import { randomBytes } from 'node:crypto';
import type { ExecResult, RemoteShell } from './host-ssh.js';
import {
  configEntries,
  missingEntries,
  reloadDiffHasChanges,
  sessionsToVerify,
  routerBgpEntries,
  sameConfig,
  sameEntries,
  vtyshServiceLine,
} from './frr-config-text.js';
import { describeTunnelDrift, tunnelDrift, type DesiredTunnel, type TunnelDrift } from '../drift/drift.js';
import { redactSecrets, sanitizeOutput } from './redact.js';
import { shellQuote } from './shell-quote.js';

/** How to reach one host's FRR; a per-host setting (see README.md). */
export interface FrrHostSettings {
  /**
   * The vtysh command line, without `-c`/`-f`; run through the remote shell, so it may be a
   * wrapper, e.g. `vtysh -N rb-host1` or `ip netns exec x vtysh -N x`.
   */
  vtysh: string;
  /**
   * frr-reload.py and the flags that address the instance, without `--test`/`--reload`/the file,
   * e.g. `/usr/lib/frr/frr-reload.py -N rb-host1` (frr-reload's own `-N/--pathspace`).
   */
  reloadCommand: string;
  /** Remote directory for the uploaded files (created with mode 0700 when missing). */
  stagingDir: string;
  /**
   * For hosts with per-daemon config files (`no service integrated-vtysh-config`): the daemon the
   * rendered config is for, e.g. `bgpd`. The running config is then read with
   * `show running-config bgpd` and frr-reload is given `--daemon bgpd` (it refuses to reload
   * without it on such hosts). Leave unset on hosts with an integrated frr.conf.
   */
  daemon?: string;
}

/**
 * A host whose tunnels route-broker makes (tunnelProvisioning `managed`): before FRR, the apply
 * reads the host's interfaces and, when a tunnel differs from the rendering, runs the GRE setup
 * script and checks the result. The script is idempotent (it changes tunnels in place, never
 * deletes them), so it is not rolled back when FRR is.
 */
export interface TunnelSetup {
  /** renderHostConfig().greSetup. */
  script: string;
  /** renderHostConfig().tunnels: what the script makes. */
  tunnels: DesiredTunnel[];
  /** `ip -d -j addr show` as run on the host (host-commands.ts). */
  interfacesCommand: string;
  /** The command that runs the uploaded script, given its shell-quoted path (host-commands.ts). */
  runScript: (quotedPath: string) => string;
}

export interface ApplyOptions {
  /**
   * The rendered sessions (peer address or interface name). Those the apply changes (per
   * frr-reload's diff: sessionsToVerify) must be Established after it.
   */
  verifySessions?: { peer: string }[];
  /** How long the sessions in verifySessions have to reach Established. */
  establishTimeoutMs: number;
  /** Stop after validation and return frr-reload's diff; nothing is changed. */
  dryRun: boolean;
  /** After a verified apply, `write memory` so the config survives a daemon restart. Default false. */
  persist?: boolean;
  /** Time limit of each remote command; default: the connection's own. */
  commandTimeoutMs?: number;
  /** Between two session checks; default 500 ms. */
  pollIntervalMs?: number;
  /** Characters kept of each step's output; default 4000. */
  outputLimit?: number;
  /** Managed tunnels: set them up before FRR. Absent: tunnels are not the apply's business. */
  tunnels?: TunnelSetup;
}

export type ApplyStepName =
  | 'read-running-config'
  | 'read-tunnels'
  | 'upload'
  | 'validate'
  | 'diff'
  | 'tunnel-setup'
  | 'verify-tunnels'
  | 'reload'
  | 'verify-config'
  | 'verify-sessions'
  | 'persist'
  | 'rollback-upload'
  | 'rollback-reload'
  | 'rollback-verify'
  | 'cleanup';

export interface ApplyStep {
  step: ApplyStepName;
  /** The remote command, as sent (config text never appears here: it travels on stdin). */
  command: string;
  /** The remote exit status; -1 when the command could not run or timed out. */
  exitCode: number;
  /** stdout and stderr (or what went wrong), secrets redacted, truncated. */
  output: string;
  durationMs: number;
}

/**
 * - applied: the new config runs and was verified (FRR's, the tunnels', or both).
 * - unchanged: the rendered config is what runs already (and, managed, the tunnels are as
 *   rendered); nothing was changed.
 * - dry-run: dry run with changes; `diff` says which.
 * - rejected: FRR refused the config in validation; nothing was changed.
 * - rolled-back: it failed after validation (reload or verification) and the last known good
 *   config was restored.
 * - failed: anything else (the running config could not be read, the upload failed, or the
 *   rollback itself failed — then the host may run a mix; see the steps).
 */
export type ApplyOutcome = 'applied' | 'unchanged' | 'dry-run' | 'rejected' | 'rolled-back' | 'failed';

export interface ApplyResult {
  result: ApplyOutcome;
  rolledBack: boolean;
  steps: ApplyStep[];
  durationMs: number;
  /** frr-reload.py --test output (lines to delete / to add), secrets redacted. */
  diff?: string;
  /** Managed tunnels: how they differed from the rendering before the apply (one line each). */
  tunnelChanges?: string[];
  /** One line on why it did not apply, secrets redacted. */
  reason?: string;
}

class StepFailed extends Error {}

/** Runs the steps of one apply and records them. */
class ApplyRun {
  readonly steps: ApplyStep[] = [];

  constructor(
    readonly session: RemoteShell,
    readonly options: ApplyOptions,
  ) {}

  /** Runs a remote command as a step; never throws: a failure to run is exit code -1. */
  async exec(step: ApplyStepName, command: string, stdin?: string): Promise<ExecResult> {
    const started = Date.now();
    let result: ExecResult;
    try {
      result = await this.session.exec(command, {
        ...(stdin === undefined ? {} : { stdin }),
        ...(this.options.commandTimeoutMs === undefined ? {} : { timeoutMs: this.options.commandTimeoutMs }),
      });
    } catch (error) {
      result = { stdout: '', stderr: error instanceof Error ? error.message : String(error), exitCode: -1 };
    }
    this.record(step, command, result.exitCode, joinOutput(result), Date.now() - started);
    return result;
  }

  /** Uploads a file as a step; never throws. */
  async upload(step: ApplyStepName, path: string, content: string): Promise<boolean> {
    const started = Date.now();
    const command = `write ${path} (mode 0600, temp file + mv)`;
    try {
      await this.session.writeFile(path, content, 0o600);
      this.record(step, command, 0, `${content.length} characters`, Date.now() - started);
      return true;
    } catch (error) {
      this.record(step, command, -1, error instanceof Error ? error.message : String(error), Date.now() - started);
      return false;
    }
  }

  record(step: ApplyStepName, command: string, exitCode: number, output: string, durationMs: number): void {
    this.steps.push({
      step,
      command: redactSecrets(command),
      exitCode,
      output: sanitizeOutput(output, this.options.outputLimit),
      durationMs,
    });
  }
}

function joinOutput(result: ExecResult): string {
  const parts = [result.stdout.trimEnd(), result.stderr.trimEnd()].filter((part) => part !== '');
  return parts.join('\n--- stderr ---\n');
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** `show running-config [daemon] no-header`: the config alone, as frr-reload itself reads it. */
function showRunningCommand(host: FrrHostSettings): string {
  return `${host.vtysh} -c ${shellQuote(`show running-config${host.daemon ? ` ${host.daemon}` : ''} no-header`)}`;
}

function reloadCommand(host: FrrHostSettings, mode: '--test' | '--reload', file: string): string {
  const daemon = host.daemon ? ` --daemon ${shellQuote(host.daemon)}` : '';
  return `${host.reloadCommand}${daemon} ${mode} ${shellQuote(file)}`;
}

/**
 * The file to hand FRR: the rendered config, plus vtysh's own `service integrated-vtysh-config`
 * line from the running config when the rendered one has none. vtysh prints that line (from
 * vtysh.conf) in every running config, and frr-reload would otherwise try to "delete" it on every
 * apply, so an unchanged config would never compare equal.
 */
function stagedText(rendered: string, running: string): string {
  const serviceLine = vtyshServiceLine(running);
  const text = rendered.endsWith('\n') ? rendered : `${rendered}\n`;
  if (serviceLine === null || vtyshServiceLine(rendered) !== null) return text;
  return `${text}${serviceLine}\n`;
}

export async function applyFrrConfig(
  session: RemoteShell,
  host: FrrHostSettings,
  renderedConfig: string,
  options: ApplyOptions,
): Promise<ApplyResult> {
  const started = Date.now();
  const run = new ApplyRun(session, options);
  const done = (result: ApplyOutcome, extra: Partial<ApplyResult> = {}): ApplyResult => ({
    result,
    rolledBack: false,
    steps: run.steps,
    durationMs: Date.now() - started,
    ...extra,
    ...(extra.reason === undefined ? {} : { reason: redactSecrets(extra.reason) }),
  });

  const id = `${new Date().toISOString().replace(/[-:.]/g, '')}-${randomBytes(4).toString('hex')}`;
  const stagingDir = host.stagingDir.replace(/\/+$/, '');
  const stagedFile = `${stagingDir}/route-broker-${id}.conf`;
  const lastGoodFile = `${stagingDir}/route-broker-${id}.last-good.conf`;
  const tunnelScript = `${stagingDir}/route-broker-${id}.gre-tunnels.sh`;
  const cleanup = async (): Promise<void> => {
    await run.exec('cleanup', `rm -f ${shellQuote(stagedFile)} ${shellQuote(lastGoodFile)} ${shellQuote(tunnelScript)}`);
  };

  // (a) The running config: the last known good.
  const current = await run.exec('read-running-config', showRunningCommand(host));
  if (current.exitCode !== 0) {
    return done('failed', { reason: 'could not read the running config' });
  }
  const lastKnownGood = current.stdout;
  const staged = stagedText(renderedConfig, lastKnownGood);

  // Managed tunnels: how they differ from the rendering now.
  const tunnels = options.tunnels;
  let tunnelChanges: string[] = [];
  if (tunnels) {
    const observed = await readTunnels(run, 'read-tunnels', tunnels);
    if (observed === null) return done('failed', { reason: "could not read the host's interfaces" });
    tunnelChanges = observed.map(describeTunnelDrift);
  }
  const withTunnels = (extra: Partial<ApplyResult>): Partial<ApplyResult> => (tunnels ? { ...extra, tunnelChanges } : extra);

  // (b) Upload.
  const mkdir = await run.exec('upload', `mkdir -p -m 0700 ${shellQuote(host.stagingDir)}`);
  if (mkdir.exitCode !== 0 || !(await run.upload('upload', stagedFile, staged))) {
    return done('failed', { reason: `could not upload the config to ${stagedFile}` });
  }
  if (tunnels && tunnelChanges.length > 0 && !(await run.upload('upload', tunnelScript, tunnels.script))) {
    return done('failed', withTunnels({ reason: `could not upload the GRE setup script to ${tunnelScript}` }));
  }

  try {
    // (c) Validate with FRR's own parser (vtysh --dryrun: syntax only, no daemon involved).
    const validation = await run.exec('validate', `${host.vtysh} --dryrun -f ${shellQuote(stagedFile)}`);
    if (validation.exitCode !== 0) {
      return done('rejected', withTunnels({ reason: `vtysh --dryrun refused the config (exit ${validation.exitCode})` }));
    }
    if (tunnels && tunnelChanges.length > 0) {
      const syntax = await run.exec('validate', `sh -n ${shellQuote(tunnelScript)}`);
      if (syntax.exitCode !== 0) {
        return done('rejected', withTunnels({ reason: `sh -n refused the GRE setup script (exit ${syntax.exitCode})` }));
      }
    }
    // What would change, per frr-reload.py (which also parses the file with vtysh -m).
    const diffRun = await run.exec('diff', reloadCommand(host, '--test', stagedFile));
    if (diffRun.exitCode !== 0) {
      return done('rejected', withTunnels({ reason: `frr-reload.py --test failed (exit ${diffRun.exitCode})` }));
    }
    const diff = redactSecrets(diffRun.stdout.trim());
    const frrUnchanged = sameConfig(staged, lastKnownGood) || !reloadDiffHasChanges(diffRun.stdout);
    if (frrUnchanged && tunnelChanges.length === 0) return done('unchanged', withTunnels({ diff }));
    if (options.dryRun) return done('dry-run', withTunnels({ diff }));

    // Tunnels first: FRR's sessions run over them. Nothing of FRR has changed if this fails.
    if (tunnels && tunnelChanges.length > 0) {
      const failure = await setUpTunnels(run, tunnels, tunnelScript);
      if (failure !== null) return done('failed', withTunnels({ diff, reason: `${failure}; FRR was not changed` }));
    }
    if (frrUnchanged) return done('applied', withTunnels({ diff }));

    // (d) Apply incrementally; from here on a failure restores the last known good config.
    const changedSessions = sessionsToVerify(
      diffRun.stdout,
      (options.verifySessions ?? []).map(({ peer }) => peer),
    );
    const failure = await applyAndVerify(run, host, renderedConfig, stagedFile, options, changedSessions);
    if (failure === null) {
      if (options.persist) {
        const write = await run.exec('persist', `${host.vtysh} -c ${shellQuote('write memory')}`);
        if (write.exitCode !== 0) return done('failed', withTunnels({ diff, reason: 'applied and verified, but write memory failed' }));
      }
      return done('applied', withTunnels({ diff }));
    }

    // (f) Roll back (FRR only: the tunnels stay as the script made them).
    const restored = await rollBack(run, host, lastKnownGood, lastGoodFile);
    return done(
      restored ? 'rolled-back' : 'failed',
      withTunnels({
        diff,
        rolledBack: restored,
        reason: restored ? failure : `${failure}; the rollback failed too`,
      }),
    );
  } finally {
    await cleanup();
  }
}

/**
 * The managed tunnels' differences from the rendering, recorded as a step; null when the
 * interfaces cannot be read (the step says why).
 */
async function readTunnels(run: ApplyRun, step: 'read-tunnels' | 'verify-tunnels', tunnels: TunnelSetup): Promise<TunnelDrift[] | null> {
  const started = Date.now();
  const result = await run.session
    .exec(tunnels.interfacesCommand, timeoutOption(run.options))
    .catch((error: unknown): ExecResult => ({ stdout: '', stderr: String(error), exitCode: -1 }));
  if (result.exitCode !== 0) {
    run.record(step, tunnels.interfacesCommand, result.exitCode, joinOutput(result), Date.now() - started);
    return null;
  }
  let problems: TunnelDrift[];
  try {
    problems = tunnelDrift(tunnels.tunnels, result.stdout, 'managed');
  } catch (error) {
    run.record(step, tunnels.interfacesCommand, 1, error instanceof Error ? error.message : String(error), Date.now() - started);
    return null;
  }
  const report =
    problems.length === 0
      ? `all ${tunnels.tunnels.length} tunnel(s) as rendered`
      : `${problems.length} difference(s) from the rendering:\n${problems.map(describeTunnelDrift).join('\n')}`;
  // Before the setup a difference is what the apply is for; after it, a failure.
  const exitCode = step === 'verify-tunnels' && problems.length > 0 ? 1 : 0;
  run.record(step, tunnels.interfacesCommand, exitCode, report, Date.now() - started);
  return problems;
}

/** Runs the uploaded GRE setup script and checks the tunnels after it; null when they are as rendered. */
async function setUpTunnels(run: ApplyRun, tunnels: TunnelSetup, scriptPath: string): Promise<string | null> {
  const setup = await run.exec('tunnel-setup', tunnels.runScript(shellQuote(scriptPath)));
  if (setup.exitCode !== 0) return `the GRE setup script failed (exit ${setup.exitCode})`;
  const after = await readTunnels(run, 'verify-tunnels', tunnels);
  if (after === null) return "could not read the host's interfaces after the GRE setup";
  if (after.length > 0) {
    return `${after.length} tunnel difference(s) remain after the GRE setup: ${after.map(describeTunnelDrift).join('; ')}`;
  }
  return null;
}

/** Steps (d) and (e): null when the config runs and the sessions are up, else what went wrong. */
async function applyAndVerify(
  run: ApplyRun,
  host: FrrHostSettings,
  renderedConfig: string,
  stagedFile: string,
  options: ApplyOptions,
  changedSessions: readonly string[],
): Promise<string | null> {
  try {
    const reload = await run.exec('reload', reloadCommand(host, '--reload', stagedFile));
    if (reload.exitCode !== 0) throw new StepFailed(`frr-reload.py --reload failed (exit ${reload.exitCode})`);

    // (e) Every line of the rendered router bgp blocks runs now.
    const started = Date.now();
    const command = showRunningCommand(host);
    const after = await run.session
      .exec(command, timeoutOption(options))
      .catch((error: unknown): ExecResult => ({ stdout: '', stderr: String(error), exitCode: -1 }));
    const missing = after.exitCode === 0 ? missingEntries(routerBgpEntries(renderedConfig), configEntries(after.stdout)) : [];
    run.record(
      'verify-config',
      command,
      after.exitCode === 0 && missing.length > 0 ? 1 : after.exitCode,
      after.exitCode !== 0
        ? joinOutput(after)
        : missing.length > 0
          ? `not in the running config:\n${missing.join('\n')}`
          : 'all router bgp lines present',
      Date.now() - started,
    );
    if (after.exitCode !== 0) throw new StepFailed('could not read the running config after the reload');
    if (missing.length > 0) throw new StepFailed(`${missing.length} line(s) of the rendered router bgp config are not running`);

    await verifySessions(run, host, options, changedSessions);
    return null;
  } catch (error) {
    if (error instanceof StepFailed) return error.message;
    throw error;
  }
}

function timeoutOption(options: ApplyOptions): { timeoutMs?: number } {
  return options.commandTimeoutMs === undefined ? {} : { timeoutMs: options.commandTimeoutMs };
}

/** The BGP state of one neighbor from `show bgp neighbors <peer> json`, or why there is none. */
function neighborState(json: string, peer: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return 'no JSON answer';
  }
  if (typeof parsed !== 'object' || parsed === null) return 'no JSON answer';
  const record = parsed as Record<string, unknown>;
  const entry = record[peer] ?? Object.values(record).find((value) => typeof value === 'object' && value !== null && 'bgpState' in value);
  if (typeof entry === 'object' && entry !== null && 'bgpState' in entry) {
    return String(entry.bgpState);
  }
  return 'not configured';
}

/** The state of every neighbor in `show bgp summary json` (any address family), by address or interface. */
function summaryStates(json: string): Map<string, string> {
  const states = new Map<string, string>();
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return states;
  }
  if (typeof parsed !== 'object' || parsed === null) return states;
  for (const family of Object.values(parsed as Record<string, unknown>)) {
    const peers = (family as { peers?: unknown } | null)?.peers;
    if (typeof peers !== 'object' || peers === null) continue;
    for (const [peer, info] of Object.entries(peers as Record<string, { state?: unknown }>)) {
      if (typeof info?.state === 'string' && states.get(peer) !== 'Established') states.set(peer, info.state);
    }
  }
  return states;
}

/**
 * (e) Polls until every changed session is Established, or establishTimeoutMs passes: one
 * `show bgp summary json` per round (one command for 200 sessions, not 200), and
 * `show bgp neighbors <peer> json` only for a peer the summary does not list (not activated in
 * any address family).
 */
async function verifySessions(run: ApplyRun, host: FrrHostSettings, options: ApplyOptions, peers: readonly string[]): Promise<void> {
  if (peers.length === 0) return;
  const started = Date.now();
  const deadline = started + options.establishTimeoutMs;
  const summaryCommand = `${host.vtysh} -c ${shellQuote('show bgp summary json')}`;
  const neighborCommand = (peer: string): string => `${host.vtysh} -c ${shellQuote(`show bgp neighbors ${peer} json`)}`;
  const exec = (command: string) =>
    run.session
      .exec(command, timeoutOption(options))
      .catch((error: unknown): ExecResult => ({ stdout: '', stderr: String(error), exitCode: -1 }));
  const states = new Map<string, string>();
  for (;;) {
    const summary = await exec(summaryCommand);
    const listed = summary.exitCode === 0 ? summaryStates(summary.stdout) : new Map<string, string>();
    for (const peer of peers) {
      const state = listed.get(peer);
      if (state !== undefined) {
        states.set(peer, state);
      } else if (states.get(peer) !== 'Established') {
        const answer = await exec(neighborCommand(peer));
        states.set(peer, answer.exitCode === 0 ? neighborState(answer.stdout, peer) : `vtysh failed: ${answer.stderr.trim()}`);
      }
    }
    const down = peers.filter((peer) => states.get(peer) !== 'Established');
    const report = peers.map((peer) => `${peer}: ${states.get(peer) ?? '?'}`).join('\n');
    if (down.length === 0) {
      run.record('verify-sessions', summaryCommand, 0, report, Date.now() - started);
      return;
    }
    if (Date.now() >= deadline) {
      run.record(
        'verify-sessions',
        summaryCommand,
        1,
        `not Established after ${options.establishTimeoutMs} ms:\n${report}`,
        Date.now() - started,
      );
      throw new StepFailed(`session(s) not Established within ${options.establishTimeoutMs} ms: ${down.join(', ')}`);
    }
    await sleep(Math.min(options.pollIntervalMs ?? 500, Math.max(0, deadline - Date.now())));
  }
}

/** (f) Puts the last known good config back with frr-reload; true when it runs again. */
async function rollBack(run: ApplyRun, host: FrrHostSettings, lastKnownGood: string, lastGoodFile: string): Promise<boolean> {
  if (!(await run.upload('rollback-upload', lastGoodFile, lastKnownGood))) return false;
  const reload = await run.exec('rollback-reload', reloadCommand(host, '--reload', lastGoodFile));
  if (reload.exitCode !== 0) return false;
  const started = Date.now();
  const command = showRunningCommand(host);
  const now = await run.session.exec(command).catch((error: unknown): ExecResult => ({ stdout: '', stderr: String(error), exitCode: -1 }));
  const same = now.exitCode === 0 && sameEntries(now.stdout, lastKnownGood);
  run.record(
    'rollback-verify',
    command,
    now.exitCode === 0 ? (same ? 0 : 1) : now.exitCode,
    now.exitCode !== 0
      ? joinOutput(now)
      : same
        ? 'running config equals the last known good'
        : 'running config differs from the last known good',
    Date.now() - started,
  );
  return same;
}
