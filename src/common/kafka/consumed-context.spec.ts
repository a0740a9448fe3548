import { consumedNow, detached, handlingConsumed, type ConsumedMessages } from './consumed-context.js';

const batch: ConsumedMessages = { consumer: 'route-broker-brm', topic: 'bgp.route-events.v1', partition: 3, offsets: '120-180' };
const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('the messages being handled', () => {
  it('are known inside the handler, across awaits and in what it starts, and not outside', async () => {
    expect(consumedNow()).toBeUndefined();
    let started: Promise<ConsumedMessages | undefined> = Promise.resolve(undefined);
    const seen = await handlingConsumed(batch, async () => {
      await tick();
      started = new Promise((resolve) => setTimeout(() => resolve(consumedNow()), 5));
      return consumedNow();
    });
    expect(seen).toEqual(batch);
    // A timer the handler armed still runs as its handling (detach such work, see below).
    expect(await started).toEqual(batch);
    expect(consumedNow()).toBeUndefined();
  });

  it('are not worn by work started detached from the handler', async () => {
    let later: Promise<ConsumedMessages | undefined> = Promise.resolve(batch);
    let inside: ConsumedMessages | undefined = batch;
    await handlingConsumed(batch, async () => {
      await tick();
      inside = detached(() => consumedNow());
      later = detached(() => new Promise((resolve) => setTimeout(() => resolve(consumedNow()), 5)));
    });
    expect(inside).toBeUndefined();
    expect(await later).toBeUndefined();
  });

  it('are the innermost handling when two overlap', async () => {
    const other: ConsumedMessages = { ...batch, partition: 4, offsets: '7', eventId: 'e-1' };
    const seen = await Promise.all([
      handlingConsumed(batch, async () => {
        await tick();
        return consumedNow();
      }),
      handlingConsumed(other, async () => {
        await tick();
        return consumedNow();
      }),
    ]);
    expect(seen).toEqual([batch, other]);
  });
});
