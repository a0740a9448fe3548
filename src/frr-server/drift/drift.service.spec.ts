import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { loadConfig } from '../../common/config/config.js';
import type { HostEntity } from '../../common/inventory/inventory.entities.js';
import {
  DriftCheckError,
  DriftScheduler,
  driftCommands,
  forEachBounded,
  withDeadline,
  type DriftCheckResult,
  type HostDriftService,
} from './drift.service.js';
import { commandWrapper } from '../apply/host-commands.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('drift commands', () => {
  it('run ip under the same wrapper as vtysh, so it sees FRR’s network namespace', () => {
    expect(commandWrapper('vtysh')).toBe('');
    expect(commandWrapper('vtysh -N rb-host1')).toBe('');
    expect(commandWrapper('ip netns exec fabric vtysh -N fabric')).toBe('ip netns exec fabric');
    expect(commandWrapper('sudo -n /usr/bin/vtysh')).toBe('sudo -n');
    expect(commandWrapper('/opt/frr/bin/vtysh-wrapper')).toBe('');
    expect(driftCommands('ip netns exec fabric vtysh -N fabric')).toEqual({
      runningConfig: "ip netns exec fabric vtysh -N fabric -c 'show running-config bgpd no-header'",
      bgpSummaryJson: "ip netns exec fabric vtysh -N fabric -c 'show bgp summary json'",
      interfacesJson: 'ip netns exec fabric ip -d -j addr show',
    });
    expect(driftCommands('vtysh').interfacesJson).toBe('ip -d -j addr show');
  });
});

describe('withDeadline', () => {
  it('passes the result through, or fails as a timeout and stops the work', async () => {
    const stop = jest.fn();
    await expect(withDeadline(Promise.resolve(7), 1000, 'x', stop)).resolves.toBe(7);
    expect(stop).not.toHaveBeenCalled();

    const slow = sleep(500).then(() => {
      throw new Error('late failure, swallowed');
    });
    const failure = await withDeadline(slow, 20, 'drift check of host h1', stop).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(DriftCheckError);
    expect(failure).toMatchObject({ reason: 'timeout', message: 'drift check of host h1 timed out after 20 ms' });
    expect(stop).toHaveBeenCalledTimes(1);
    await sleep(550); // the late rejection is not an unhandled one
  });

  it('stops at once when the signal aborts', async () => {
    const stop = jest.fn();
    const controller = new AbortController();
    const pending = withDeadline(sleep(1000), 5000, 'x', stop, controller.signal);
    controller.abort();
    await expect(pending).rejects.toThrow('aborted');
    expect(stop).toHaveBeenCalledTimes(1);
  });
});

describe('forEachBounded', () => {
  it('runs at most `limit` at once, every item once, a failure does not stop the others', async () => {
    let running = 0;
    let peak = 0;
    const done: number[] = [];
    const failed: number[] = [];
    await forEachBounded(
      [1, 2, 3, 4, 5, 6, 7],
      3,
      async (item) => {
        running += 1;
        peak = Math.max(peak, running);
        await sleep(10 + (item % 3) * 5);
        running -= 1;
        if (item === 4) throw new Error('boom');
        done.push(item);
      },
      (item) => failed.push(item),
    );
    expect(peak).toBe(3);
    expect(done.sort()).toEqual([1, 2, 3, 5, 6, 7]);
    expect(failed).toEqual([4]);
    await expect(forEachBounded([], 3, () => Promise.resolve(), jest.fn())).resolves.toBeUndefined();
  });
});

describe('DriftScheduler', () => {
  beforeAll(() => {
    Logger.overrideLogger(false);
  });
  const hosts = [1, 2, 3, 4, 5].map((id) => ({ id, name: `h${id}` }) as HostEntity);
  const config = loadConfig({ RB_ROLES: 'frr-server', RB_DRIFT_MAX_CONCURRENT_HOSTS: '2', RB_DRIFT_INTERVAL_SECONDS: '0' });

  function fakeService(check: (host: HostEntity, signal?: AbortSignal) => Promise<Partial<DriftCheckResult> | null>) {
    const calls = { check: 0, refresh: 0, running: 0, peak: 0 };
    const service = {
      hostsToCheck: () => Promise.resolve(hosts),
      privateKey: () => Promise.resolve(Buffer.from('key')),
      check: async (hostId: number, _key: Buffer, signal?: AbortSignal) => {
        const host = hosts.find((candidate) => candidate.id === hostId)!;
        calls.check += 1;
        calls.running += 1;
        calls.peak = Math.max(calls.peak, calls.running);
        try {
          return await check(host, signal);
        } finally {
          calls.running -= 1;
        }
      },
      refreshDriftedHosts: () => {
        calls.refresh += 1;
        return Promise.resolve();
      },
    };
    return { service: service as unknown as HostDriftService, calls };
  }

  it('checks every host, two at a time; one host’s failure is counted, the round goes on', async () => {
    const { service, calls } = fakeService(async (host) => {
      await sleep(10);
      if (host.id === 2) throw new Error('database went away');
      if (host.id === 5) return null; // deleted since the round listed it
      return { status: host.id === 3 ? 'drifted' : host.id === 4 ? 'check-failed' : 'in-sync' };
    });
    const round = await new DriftScheduler(service, config).runRound();
    expect(round).toMatchObject({ hosts: 5, inSync: 1, drifted: 1, failed: 1, skipped: 1, unrecorded: 1 });
    expect(calls).toMatchObject({ check: 5, refresh: 1, peak: 2 });
  });

  it('never overlaps itself: a second call joins the running round', async () => {
    const { service, calls } = fakeService(async () => {
      await sleep(20);
      return { status: 'in-sync' };
    });
    const scheduler = new DriftScheduler(service, config);
    const [first, second] = [scheduler.runRound(), scheduler.runRound()];
    expect(second).toBe(first);
    await first;
    expect(calls.check).toBe(5);
    await scheduler.runRound();
    expect(calls.check).toBe(10);
  });

  it('skips the round without an SSH key', async () => {
    const { service, calls } = fakeService(() => Promise.resolve({ status: 'in-sync' }));
    (service as unknown as { privateKey: () => Promise<string> }).privateKey = () => Promise.resolve('RB_SSH_PRIVATE_KEY_FILE is not set');
    await expect(new DriftScheduler(service, config).runRound()).resolves.toBeNull();
    expect(calls.check).toBe(0);
  });

  it('on shutdown, stops the checks in flight and starts no more', async () => {
    const { service, calls } = fakeService(
      (_host, signal) =>
        new Promise((resolve, reject) => {
          const timer = setTimeout(() => resolve({ status: 'in-sync' }), 5000);
          signal?.addEventListener('abort', () => {
            clearTimeout(timer);
            reject(new Error('aborted'));
          });
        }),
    );
    const scheduler = new DriftScheduler(service, config);
    const round = scheduler.runRound();
    await sleep(20);
    const started = Date.now();
    await scheduler.beforeApplicationShutdown();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await round).toMatchObject({ hosts: 5, unrecorded: 5 });
    expect(calls).toMatchObject({ check: 2, refresh: 0 });
  });

  it('runs a round every interval once started, and none after shutdown', async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate'] });
    try {
      const { service, calls } = fakeService(() => Promise.resolve({ status: 'in-sync' }));
      const scheduler = new DriftScheduler(service, loadConfig({ RB_ROLES: 'frr-server', RB_DRIFT_INTERVAL_SECONDS: '60' }));
      scheduler.onApplicationBootstrap();
      expect(calls.check).toBe(0);
      await jest.advanceTimersByTimeAsync(60000);
      expect(calls.check).toBe(5);
      await jest.advanceTimersByTimeAsync(60000);
      expect(calls.check).toBe(10);
      await scheduler.beforeApplicationShutdown();
      await jest.advanceTimersByTimeAsync(180000);
      expect(calls.check).toBe(10);
    } finally {
      jest.useRealTimers();
    }
  });
});
