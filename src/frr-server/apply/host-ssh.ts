/**
 * A small adapter over ssh2 for reaching one host: key authentication only, the host key pinned
 * (an unknown or changed key refuses the connection), commands with a time limit, and atomic file
 * uploads. Everything interpolated into a remote command line is shell-quoted.
 */
import { createHash, randomBytes } from 'node:crypto';
import { Client, type ClientChannel, type ConnectConfig } from 'ssh2';
import { shellQuote } from './shell-quote.js';

export interface SshTarget {
  address: string;
  port: number;
  username: string;
  /** The client's private key (OpenSSH or PEM format), unencrypted. */
  privateKey: Buffer | string;
  /**
   * The host key we expect, as an OpenSSH public key line: `ssh-ed25519 AAAA… [comment]`; a
   * known_hosts line (`[host]:port ssh-ed25519 AAAA…`) is accepted too. Empty: no key is trusted.
   */
  pinnedHostKey: string;
  connectTimeoutMs: number;
  /** Default time limit of `exec` (and `writeFile`) when the call does not give one. */
  commandTimeoutMs: number;
}

export interface ExecOptions {
  /** Written to the command's standard input, which is then closed. */
  stdin?: string | Buffer;
  timeoutMs?: number;
}

export interface ExecResult {
  stdout: string;
  stderr: string;
  /** The remote exit status; -1 when the command died of a signal (see `signal`). */
  exitCode: number;
  signal?: string;
}

/** What the FRR applier needs from a connection to a host (HostSsh implements it). */
export interface RemoteShell {
  exec(command: string, options?: ExecOptions): Promise<ExecResult>;
  writeFile(path: string, content: string | Buffer, mode?: number): Promise<void>;
}

/** The host presented a key other than the pinned one (or nothing is pinned). */
export class HostKeyMismatchError extends Error {
  override readonly name = 'HostKeyMismatchError';
  constructor(
    readonly host: string,
    /** SHA256 fingerprint of the key the host presented, as `ssh-keygen -l` prints it. */
    readonly presentedFingerprint: string,
    /** SHA256 fingerprint of the pinned key, or null when nothing is pinned. */
    readonly expectedFingerprint: string | null,
  ) {
    super(
      expectedFingerprint === null
        ? `host key of ${host} is unknown: no key is pinned for it; it presented ${presentedFingerprint}`
        : `host key of ${host} does not match the pinned key: presented ${presentedFingerprint}, expected ${expectedFingerprint}`,
    );
  }
}

/** A command ran past its time limit; its channel was killed. */
export class CommandTimeoutError extends Error {
  override readonly name = 'CommandTimeoutError';
  constructor(
    readonly command: string,
    readonly timeoutMs: number,
  ) {
    super(`command timed out after ${timeoutMs} ms and was killed: ${command}`);
  }
}

/** SHA256 fingerprint of a public key blob, as `ssh-keygen -l` prints it (`SHA256:…`, no padding). */
export function fingerprintOf(keyBlob: Buffer): string {
  return `SHA256:${createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '')}`;
}

export interface PinnedKey {
  /** The key type, e.g. `ssh-ed25519`. */
  type: string;
  blob: Buffer;
}

const KEY_TYPE = /^(ssh-(ed25519|rsa|dss)|ecdsa-sha2-nistp(256|384|521)|sk-[a-z0-9-]+@openssh\.com)$/;

/**
 * The key type and blob of an OpenSSH public key line or known_hosts line; throws when there is
 * no key in it, or when the blob does not start with the type it claims (a mangled line).
 */
export function parsePinnedHostKey(line: string): PinnedKey {
  const words = line.trim().split(/\s+/);
  const at = words.findIndex((word) => KEY_TYPE.test(word));
  const type = at >= 0 ? words[at] : undefined;
  const base64 = at >= 0 ? words[at + 1] : undefined;
  if (type === undefined || base64 === undefined || !/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) {
    throw new Error('pinned host key: expected an OpenSSH public key line such as "ssh-ed25519 AAAA…"');
  }
  const blob = Buffer.from(base64, 'base64');
  // The blob starts with the key type as an SSH string (uint32 length + bytes).
  const typeLength = blob.length >= 4 ? blob.readUInt32BE(0) : -1;
  if (typeLength !== type.length || blob.subarray(4, 4 + typeLength).toString('latin1') !== type) {
    throw new Error(`pinned host key: the key data is not a ${type} key`);
  }
  return { type, blob };
}

/** Which ssh2 host key algorithms make the server present a key of this type. */
function hostKeyAlgorithms(type: string): ConnectConfig['algorithms'] {
  const serverHostKey = type === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'] : [type];
  return { serverHostKey: serverHostKey as NonNullable<ConnectConfig['algorithms']>['serverHostKey'] };
}

/** How much longer than the client's time limit the remote `timeout` wrapper waits. */
export const REMOTE_TIMEOUT_GRACE_MS = 1000;

/**
 * The command as sent: under GNU `timeout`, so the host itself kills it (its whole process group;
 * SIGTERM, then SIGKILL a second later) shortly after the client has given up on it. Closing the
 * channel alone does not end a command that never writes (e.g. `sleep`), and the SSH `signal`
 * request is no help for root logins: OpenSSH (9.2 here) refuses it with "session signalling
 * requires privilege separation", since a root session is not privilege-separated.
 */
export function withRemoteTimeout(command: string, timeoutMs: number): string {
  const seconds = Math.ceil((timeoutMs + REMOTE_TIMEOUT_GRACE_MS) / 100) / 10;
  return `timeout -k 1 ${seconds} sh -c ${shellQuote(command)}`;
}

/**
 * Asks the server to SIGKILL the command's process group (the SSH `signal` request; OpenSSH
 * honours it for non-root users only). ssh2's public `channel.signal()` sends nothing once our
 * side of the channel is closed for writing, which `exec` always does (stdin is ended at once),
 * so this goes through the channel's protocol object when it is there. The remote `timeout`
 * wrapper (withRemoteTimeout) is what is relied on; this only makes the kill quicker where allowed.
 */
function killRemote(channel: ClientChannel): void {
  const internals = channel as unknown as {
    outgoing?: { id?: unknown; state?: unknown };
    _client?: { _protocol?: { signal?: (id: number, signal: string) => void } };
  };
  const id = internals.outgoing?.id;
  const protocol = internals._client?._protocol;
  try {
    if (
      typeof id === 'number' &&
      (internals.outgoing?.state === 'open' || internals.outgoing?.state === 'eof') &&
      typeof protocol?.signal === 'function'
    ) {
      protocol.signal(id, 'KILL');
    } else {
      channel.signal('KILL');
    }
  } catch {
    // The connection is going away anyway; closing the channel is all that is left to do.
  }
}

/** One authenticated SSH connection to one host. */
export class HostSsh implements RemoteShell {
  private closed = false;

  constructor(
    private readonly client: Client,
    readonly target: SshTarget,
  ) {
    client.on('close', () => {
      this.closed = true;
    });
  }

  /**
   * Runs `command` with `sh -c` on the host (under `timeout`, see withRemoteTimeout). Resolves
   * with its output and exit status, whatever the status; rejects when the channel cannot be
   * opened or the time limit passes (CommandTimeoutError: the channel is closed at once, and the
   * host kills the command at the latest REMOTE_TIMEOUT_GRACE_MS + 1 s later).
   */
  exec(command: string, options: ExecOptions = {}): Promise<ExecResult> {
    const timeoutMs = options.timeoutMs ?? this.target.commandTimeoutMs;
    return new Promise<ExecResult>((resolve, reject) => {
      if (this.closed) {
        reject(new Error(`ssh connection to ${this.target.address} is closed; cannot run: ${command}`));
        return;
      }
      let channel: ClientChannel | undefined;
      let settled = false;
      const timer = setTimeout(() => {
        if (settled) return;
        settled = true;
        if (channel) {
          killRemote(channel);
          channel.close();
        }
        reject(new CommandTimeoutError(command, timeoutMs));
      }, timeoutMs);
      const fail = (error: Error): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        reject(error);
      };

      this.client.exec(withRemoteTimeout(command, timeoutMs), (error, stream) => {
        if (error) {
          fail(new Error(`ssh exec failed (${error.message}): ${command}`));
          return;
        }
        channel = stream;
        if (settled) {
          // The time limit passed while the channel was being opened.
          stream.close();
          return;
        }
        const stdout: Buffer[] = [];
        const stderr: Buffer[] = [];
        let exitCode = -1;
        let signal: string | undefined;
        stream.on('data', (chunk: Buffer) => stdout.push(chunk));
        stream.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
        stream.on('exit', (code: number | null, signalName?: string) => {
          if (typeof code === 'number') exitCode = code;
          if (signalName) signal = signalName;
        });
        stream.on('error', (streamError: Error) => fail(new Error(`ssh channel error (${streamError.message}): ${command}`)));
        stream.on('close', () => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          resolve({
            stdout: Buffer.concat(stdout).toString('utf8'),
            stderr: Buffer.concat(stderr).toString('utf8'),
            exitCode,
            ...(signal === undefined ? {} : { signal }),
          });
        });
        stream.end(options.stdin ?? '');
      });
    });
  }

  /**
   * Writes `content` to `path` atomically: into a temporary file next to it (created with `mode`
   * under umask 077, so it is never readable by others even for a moment), then `mv` over `path`.
   * A reader sees the old file or the whole new one, never a partial one.
   */
  async writeFile(path: string, content: string | Buffer, mode = 0o600): Promise<void> {
    if (!Number.isInteger(mode) || mode < 0 || mode > 0o7777) {
      throw new Error(`writeFile: invalid mode ${mode}`);
    }
    const temp = `${path}.tmp-${randomBytes(6).toString('hex')}`;
    const octal = mode.toString(8).padStart(4, '0');
    const command =
      `umask 077 && cat > ${shellQuote(temp)} && chmod ${octal} ${shellQuote(temp)} && mv -f ${shellQuote(temp)} ${shellQuote(path)}` +
      ` || { status=$?; rm -f ${shellQuote(temp)}; exit $status; }`;
    const result = await this.exec(command, { stdin: content });
    if (result.exitCode !== 0) {
      throw new Error(`writeFile ${path} on ${this.target.address} failed (exit ${result.exitCode}): ${result.stderr.trim()}`);
    }
  }

  close(): void {
    if (!this.closed) {
      this.closed = true;
      this.client.end();
    }
  }
}

/**
 * Connects and authenticates with the private key. Rejects with HostKeyMismatchError when the
 * host presents a key other than the pinned one (before anything is sent to it).
 */
export function connectToHost(target: SshTarget): Promise<HostSsh> {
  const where = `${target.address}:${target.port}`;
  let pinned: PinnedKey | null = null;
  if (target.pinnedHostKey.trim() !== '') {
    try {
      pinned = parsePinnedHostKey(target.pinnedHostKey);
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  return new Promise<HostSsh>((resolve, reject) => {
    const client = new Client();
    let mismatch: HostKeyMismatchError | null = null;
    let settled = false;
    const finish = (error: Error | null): void => {
      if (settled) return;
      settled = true;
      if (error) {
        client.end();
        reject(error);
      } else {
        resolve(new HostSsh(client, target));
      }
    };

    client.on('ready', () => finish(null));
    client.on('error', (error: Error) => finish(mismatch ?? new Error(`ssh connection to ${where} failed: ${error.message}`)));
    client.on('close', () => finish(mismatch ?? new Error(`ssh connection to ${where} closed before it was ready`)));

    client.connect({
      host: target.address,
      port: target.port,
      username: target.username,
      privateKey: target.privateKey,
      readyTimeout: target.connectTimeoutMs,
      // Key authentication only: no password, no keyboard-interactive, no agent.
      tryKeyboard: false,
      authHandler: ['publickey'],
      ...(pinned ? { algorithms: hostKeyAlgorithms(pinned.type) } : {}),
      hostVerifier: (presented: Buffer): boolean => {
        if (pinned && presented.equals(pinned.blob)) return true;
        mismatch = new HostKeyMismatchError(where, fingerprintOf(presented), pinned ? fingerprintOf(pinned.blob) : null);
        return false;
      },
    });
  });
}
