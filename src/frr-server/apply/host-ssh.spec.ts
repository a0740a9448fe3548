import { spawnSync } from 'node:child_process';
import { HostKeyMismatchError, fingerprintOf, parsePinnedHostKey, withRemoteTimeout } from './host-ssh.js';

// Keys generated for this test with ssh-keygen; fingerprints as `ssh-keygen -lf` printed them.
const ED25519 = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDqOIcJw91uLs4tbbQVjUHEP4BY2VNnb+yIJaZG3ZQM1 unit-test';
const ED25519_FP = 'SHA256:X2GPpREm2rGWBg7vhdTIvHMt3Uik6kQ+736vn4K/YLk';
const RSA =
  'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQDU2HYf1ZQNdI/XX7o8nj1sOn6iYfnJxZ4GOrzSEMQ2p3wy91B42Dyf3F9OCxr++5pEEpal6YOVo43Vr1AV5iXUuDlt4tP6iZ+nFn4lfT2txnIbD76Vv2DKz46dWXXjVi5G5zpxe8+TgLnbJyw8rbM4gVeQ30+7b/Rh34Xa4ofRuw== r';
const RSA_FP = 'SHA256:OzNtCkRkBRA2vuOQEMrkfSkYOxBMGfy8i9WV4SxV53U';

describe('parsePinnedHostKey / fingerprintOf', () => {
  it('reads a public key line and fingerprints it as ssh-keygen -l does', () => {
    const key = parsePinnedHostKey(ED25519);
    expect(key.type).toBe('ssh-ed25519');
    expect(fingerprintOf(key.blob)).toBe(ED25519_FP);
    expect(fingerprintOf(parsePinnedHostKey(RSA).blob)).toBe(RSA_FP);
  });

  it('reads a known_hosts line', () => {
    const key = parsePinnedHostKey(`[127.0.0.1]:2222 ${ED25519.split(' ').slice(0, 2).join(' ')}\n`);
    expect(fingerprintOf(key.blob)).toBe(ED25519_FP);
  });

  it('refuses lines without a key, and a blob of another type than the line claims', () => {
    expect(() => parsePinnedHostKey('')).toThrow(/OpenSSH public key line/);
    expect(() => parsePinnedHostKey('ssh-ed25519')).toThrow(/OpenSSH public key line/);
    expect(() => parsePinnedHostKey('ssh-ed25519 not*base64')).toThrow(/OpenSSH public key line/);
    const rsaBlob = RSA.split(' ')[1] ?? '';
    expect(() => parsePinnedHostKey(`ssh-ed25519 ${rsaBlob}`)).toThrow(/not a ssh-ed25519 key/);
  });
});

describe('HostKeyMismatchError', () => {
  it('names the presented and the expected fingerprint', () => {
    const error = new HostKeyMismatchError('10.0.0.1:22', RSA_FP, ED25519_FP);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('HostKeyMismatchError');
    expect(error.message).toBe(`host key of 10.0.0.1:22 does not match the pinned key: presented ${RSA_FP}, expected ${ED25519_FP}`);
  });

  it('says when nothing is pinned', () => {
    expect(new HostKeyMismatchError('h:22', RSA_FP, null).message).toMatch(/no key is pinned.*presented SHA256:OzNt/);
  });
});

describe('withRemoteTimeout', () => {
  it('wraps the command, quoted, in timeout with the grace period added', () => {
    expect(withRemoteTimeout(`echo "it's"`, 500)).toBe(`timeout -k 1 1.5 sh -c 'echo "it'\\''s"'`);
    expect(withRemoteTimeout('true', 30000)).toBe('timeout -k 1 31 sh -c true');
  });

  it('runs the command unchanged and keeps its exit status', () => {
    const run = (command: string) => spawnSync('/bin/sh', ['-c', withRemoteTimeout(command, 5000)], { encoding: 'utf8' });
    const result = run(`printf '%s|' "a b" '$x'; exit 7`);
    expect(result.stdout).toBe('a b|$x|');
    expect(result.status).toBe(7);
  });
});
