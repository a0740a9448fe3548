import { producerStateLossOf, RenewableProducer, type ProducerStateLoss } from './producer-renewal.js';

/** The error kafkajs 2.2.4 throws for a refused sequence (a KafkaJSProtocolError), optionally wrapped as its retrier does. */
const refusal = (type: string, wrapped = false): Error => {
  const protocolError = Object.assign(new Error('The broker received an out of order sequence number'), {
    name: 'KafkaJSProtocolError',
    type,
    retriable: false,
  });
  return wrapped
    ? Object.assign(new Error(protocolError.message), { name: 'KafkaJSNonRetriableError', cause: protocolError })
    : protocolError;
};

/** A stand-in for a kafkajs producer: what it was asked, and a send whose outcome the test decides. */
let producersMade = 0;
class FakeProducer {
  readonly id = ++producersMade;
  connected = false;
  disconnects = 0;
  failConnect: Error | null = null;
  connect(): Promise<void> {
    if (this.failConnect) return Promise.reject(this.failConnect);
    this.connected = true;
    return Promise.resolve();
  }
  disconnect(): Promise<void> {
    this.connected = false;
    this.disconnects++;
    return Promise.resolve();
  }
}

function deferred(): { promise: Promise<string>; resolve: (value: string) => void; reject: (error: Error) => void } {
  let resolve!: (value: string) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<string>((yes, no) => ((resolve = yes), (reject = no)));
  return { promise, resolve, reject };
}

function renewable(setUp: (producer: FakeProducer, before: number) => void = () => undefined) {
  const made: FakeProducer[] = [];
  const reports: string[] = [];
  const producer = new RenewableProducer(
    () => {
      const next = new FakeProducer();
      setUp(next, made.length);
      made.push(next);
      return next;
    },
    {
      renewing: (loss: ProducerStateLoss) => reports.push(`renewing ${loss}`),
      renewed: () => reports.push('renewed'),
      renewalFailed: (error) => reports.push(`failed: ${(error as Error).message}`),
    },
  );
  return { producer, made, reports };
}

describe('producerStateLossOf', () => {
  it('recognises the refusals of a lost producer state, also wrapped in a cause', () => {
    expect(producerStateLossOf(refusal('OUT_OF_ORDER_SEQUENCE_NUMBER'))).toBe('OUT_OF_ORDER_SEQUENCE_NUMBER');
    expect(producerStateLossOf(refusal('UNKNOWN_PRODUCER_ID', true))).toBe('UNKNOWN_PRODUCER_ID');
    expect(producerStateLossOf(refusal('INVALID_PRODUCER_EPOCH', true))).toBe('INVALID_PRODUCER_EPOCH');
  });

  it('leaves every other error alone', () => {
    expect(producerStateLossOf(refusal('NOT_LEADER_FOR_PARTITION'))).toBeNull();
    expect(producerStateLossOf(refusal('MESSAGE_TOO_LARGE', true))).toBeNull();
    expect(producerStateLossOf(new Error('Connection error: connect ECONNREFUSED'))).toBeNull();
    expect(producerStateLossOf('OUT_OF_ORDER_SEQUENCE_NUMBER')).toBeNull();
    expect(producerStateLossOf(null)).toBeNull();
  });
});

describe('RenewableProducer', () => {
  it('replaces a producer whose send was refused for its sequence, and the retry goes out on the new one', async () => {
    const { producer, made, reports } = renewable();
    await producer.connect();
    const refused = refusal('OUT_OF_ORDER_SEQUENCE_NUMBER', true);
    await expect(producer.send(() => Promise.reject(refused))).rejects.toBe(refused);
    expect(made.map((each) => [each.id, each.connected, each.disconnects])).toEqual([
      [made[0]!.id, false, 1],
      [made[1]!.id, true, 0],
    ]);
    const usedBy: number[] = [];
    await producer.send((each) => Promise.resolve(usedBy.push(each.id)));
    expect(usedBy).toEqual([made[1]!.id]);
    expect(reports).toEqual(['renewing OUT_OF_ORDER_SEQUENCE_NUMBER', 'renewed']);
  });

  it('keeps the producer through other errors', async () => {
    const { producer, made, reports } = renewable();
    await producer.connect();
    await expect(producer.send(() => Promise.reject(new Error('ECONNREFUSED')))).rejects.toThrow('ECONNREFUSED');
    await expect(producer.send(() => Promise.reject(refusal('MESSAGE_TOO_LARGE')))).rejects.toThrow();
    expect(made).toHaveLength(1);
    expect(reports).toEqual([]);
  });

  it('renews once when several sends are refused together, and sends wait for the renewal', async () => {
    const { producer, made, reports } = renewable();
    await producer.connect();
    const first = deferred();
    const second = deferred();
    const sendOne = producer.send(() => first.promise);
    const sendTwo = producer.send(() => second.promise);
    first.reject(refusal('OUT_OF_ORDER_SEQUENCE_NUMBER'));
    second.reject(refusal('OUT_OF_ORDER_SEQUENCE_NUMBER'));
    await expect(sendOne).rejects.toThrow();
    await expect(sendTwo).rejects.toThrow();
    expect(made).toHaveLength(2);
    expect(reports).toEqual(['renewing OUT_OF_ORDER_SEQUENCE_NUMBER', 'renewed']);
  });

  it('disconnects a replaced producer only once the sends still under way on it have settled', async () => {
    const { producer, made } = renewable();
    await producer.connect();
    const slow = deferred();
    const slowSend = producer.send(() => slow.promise);
    await expect(producer.send(() => Promise.reject(refusal('UNKNOWN_PRODUCER_ID')))).rejects.toThrow();
    expect(made).toHaveLength(2);
    expect(made[0]!.disconnects).toBe(0);
    slow.resolve('appended');
    await expect(slowSend).resolves.toBe('appended');
    await new Promise((resolve) => setImmediate(resolve));
    expect(made[0]!.disconnects).toBe(1);
  });

  it('keeps the refused producer when the new one cannot connect, and tries again at the next refusal', async () => {
    let failing = true;
    const { producer, made, reports } = renewable((next, before) => {
      if (before > 0 && failing) next.failConnect = new Error('no broker answers');
    });
    await producer.connect();
    await expect(producer.send(() => Promise.reject(refusal('OUT_OF_ORDER_SEQUENCE_NUMBER')))).rejects.toThrow();
    const usedBy: number[] = [];
    await producer.send((each) => Promise.resolve(usedBy.push(each.id)));
    expect(usedBy).toEqual([made[0]!.id]);
    failing = false;
    await expect(producer.send(() => Promise.reject(refusal('OUT_OF_ORDER_SEQUENCE_NUMBER')))).rejects.toThrow();
    await producer.send((each) => Promise.resolve(usedBy.push(each.id)));
    expect(usedBy).toEqual([made[0]!.id, made[2]!.id]);
    expect(made.map((each) => each.connected)).toEqual([false, false, true]);
    expect(reports).toEqual([
      'renewing OUT_OF_ORDER_SEQUENCE_NUMBER',
      'failed: no broker answers',
      'renewing OUT_OF_ORDER_SEQUENCE_NUMBER',
      'renewed',
    ]);
  });

  it('does not renew once closed, and close disconnects the producer in use', async () => {
    const { producer, made, reports } = renewable();
    await producer.connect();
    await producer.close();
    await expect(producer.send(() => Promise.reject(refusal('OUT_OF_ORDER_SEQUENCE_NUMBER')))).rejects.toThrow();
    expect(made).toHaveLength(1);
    expect(made[0]!.disconnects).toBe(1);
    expect(reports).toEqual([]);
  });
});
