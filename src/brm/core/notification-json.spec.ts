import { decodeChangeSegment, encodeChangeSegments } from './change-segment.js';
import { compilePlatformPolicy, compileSessionPolicy, compileVpcPolicy } from '../../common/policy/import-policy.js';
import { notifiedChange, NotifiedChangesWriter } from './notification-json.js';
import { sessionConfigOf, VpcRouteTable, type RouteChange, type SessionConfig, type TableChange, type TableEvent } from './route-table.js';

/** A session as BRM builds one from the inventory: tunnel 100 + id, graceful restart 120 s. */
const session = (sessionId: number, localPref: number | null = null): SessionConfig =>
  sessionConfigOf(
    { id: sessionId, tunnelId: 100 + sessionId, maxPrefix: null, gracefulRestartSeconds: 120 },
    compileSessionPolicy(),
    localPref,
  );

const announce = (
  sessionId: number,
  prefix: string,
  extra: { localPref?: number; med?: number; pathId?: number; asPath?: (number | number[])[] } = {},
): TableEvent => ({
  kind: 'announce',
  at: 1_000,
  sessionId,
  family: prefix.includes(':') ? 'ipv6-unicast' : 'ipv4-unicast',
  prefix,
  pathId: extra.pathId ?? null,
  attributes: {
    origin: 'igp',
    asPath: extra.asPath ?? [65001, [64512, 64513]],
    nextHop: prefix.includes(':') ? `fd00::${sessionId}` : `169.254.${sessionId}.1`,
    med: extra.med ?? null,
    localPref: extra.localPref ?? null,
  },
});

const newTable = () =>
  new VpcRouteTable({
    vpcId: 7,
    vpcPolicy: compileVpcPolicy({ cidrs: ['10.1.0.0/16'] }),
    platformPolicy: compilePlatformPolicy(),
    bestPath: { ecmpWidth: 2 },
    // Session 3 overrides LOCAL_PREF, so its stored paths keep the received value as an eleventh element.
    sessions: [session(1), session(2), session(3, 50)],
  });

/** What the notification carried when it was built with JSON.stringify: the reference. */
const reference = (changes: readonly RouteChange[]) => JSON.stringify(changes.map(notifiedChange));

const logged = (changes: readonly TableChange[]) =>
  encodeChangeSegments(changes).flatMap((segment) => decodeChangeSegment(7, segment.changes));

describe('NotifiedChangesWriter', () => {
  it('writes what JSON.stringify gives, for the changes as the table emits them and as the change log gives them back', () => {
    const table = newTable();
    const emitted = [
      table.apply([
        announce(1, '11.0.0.0/8', { med: 5 }),
        announce(2, '11.0.0.0/8', { med: 5 }),
        announce(3, '11.0.0.0/8', { localPref: 300 }),
        announce(1, '2001:db8:1::/48'),
        announce(1, '12.0.0.0/8', { pathId: 1 }),
        announce(1, '12.0.0.0/8', { pathId: 2, localPref: 200 }),
        announce(2, '10.1.2.0/24'),
        announce(2, '0.0.0.0/0'),
        // As received, quotes, a newline and a line separator included: the rejection names it.
        announce(2, '10.0.0.0/8"\n\u2028x'),
        announce(1, '13.0.0.0/24'),
        announce(1, '13.0.1.0/24'),
        announce(1, '13.0.2.0/24', { asPath: [65001] }),
        announce(1, '13.0.3.0/24'),
      ]).changes,
      table.apply([{ kind: 'session-down', at: 2_000, sessionId: 1 }]).changes,
      table.apply([{ kind: 'expiry', at: 200_000 }]).changes,
    ].flat();
    expect(new Set(emitted.map((change) => change.action))).toEqual(new Set(['add', 'update', 'remove', 'reject']));
    expect(emitted.some((change) => change.after?.paths.some((path) => path.stale))).toBe(true);
    expect(emitted.some((change) => change.prefix.includes('\n'))).toBe(true);

    const writer = new NotifiedChangesWriter();
    expect(writer.write(emitted)).toBe(reference(emitted));
    expect(writer.write(logged(emitted))).toBe(reference(emitted));
    expect(reference(logged(emitted))).toBe(reference(emitted));
  });

  it('says each change’s cause: the event, its session and its time', () => {
    const table = newTable();
    const changes = [
      ...table.apply([announce(1, '11.0.0.0/8')]).changes,
      ...table.apply([{ kind: 'session-down', at: 2_000, sessionId: 1 }]).changes,
      ...table.apply([{ kind: 'expiry', at: 200_000 }]).changes,
    ];
    const written = JSON.parse(new NotifiedChangesWriter().write(changes)) as { cause: unknown }[];
    expect(written.map((change) => change.cause)).toEqual(
      changes.map((change) => ({ event: change.cause.event, sessionId: change.cause.sessionId, at: change.cause.at })),
    );
    expect(written.map((change) => change.cause)).toContainEqual({ event: 'session-down', sessionId: 1, at: 2_000 });
    expect(written.map((change) => change.cause)).toContainEqual({ event: 'expiry', sessionId: 1, at: 200_000 });
  });

  it('reuses a route body only for the same stored text, over many random batches', () => {
    // Deterministic pseudo-random events: announcements with a few attribute sets on a few
    // prefixes, withdrawals, sessions going down and up, restart windows expiring.
    let seed = 42;
    const random = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed % n;
    };
    const table = newTable();
    const writer = new NotifiedChangesWriter();
    let at = 1_000;
    let changesSeen = 0;
    for (let batch = 0; batch < 60; batch++) {
      const events: TableEvent[] = [];
      for (let i = 0; i < 20; i++) {
        const sessionId = 1 + random(3);
        const prefix = `20.${random(4)}.${random(3)}.0/24`;
        const roll = random(20);
        at += 1_000;
        if (roll < 12) {
          events.push({ ...announce(sessionId, prefix, { med: random(2), asPath: [65000 + random(2)] }), at });
        } else if (roll < 17) {
          events.push({ kind: 'withdraw', at, sessionId, family: 'ipv4-unicast', prefix, pathId: null });
        } else if (roll === 17) {
          events.push({ kind: 'session-down', at, sessionId });
        } else if (roll === 18) {
          events.push({ kind: 'session-up', at, sessionId });
        } else {
          events.push({ kind: 'expiry', at: at + 200_000 });
        }
      }
      const { changes } = table.apply(events);
      changesSeen += changes.length;
      expect(writer.write(changes)).toBe(reference(changes));
    }
    expect(changesSeen).toBeGreaterThan(300);
  });
});
