import {
  BATCH_MARGIN_BYTES,
  headOf,
  refusalText,
  requestBudget,
  SharedExclusiveLock,
  shrunkDeadLetter,
  tooLargeReasonOf,
  type RefusedMessage,
} from './oversize.js';
import type { DeadLetter } from './topics.js';

/** What kafkajs 2.2.4 throws, as measured against Kafka 4.4 (test/integration/oversize-events.spec.ts). */
const protocolError = (type: string, code: number, retriable = false) =>
  Object.assign(new Error('The request included a message larger than the max message size the server will accept'), {
    name: 'KafkaJSProtocolError',
    type,
    code,
    retriable,
  });

describe('tooLargeReasonOf', () => {
  it('recognises MESSAGE_TOO_LARGE and RECORD_LIST_TOO_LARGE, by type or by code, also wrapped in a cause', () => {
    expect(tooLargeReasonOf(protocolError('MESSAGE_TOO_LARGE', 10))).toBe('MESSAGE_TOO_LARGE');
    expect(tooLargeReasonOf(protocolError('RECORD_LIST_TOO_LARGE', 18))).toBe('RECORD_LIST_TOO_LARGE');
    expect(tooLargeReasonOf(protocolError('SOMETHING', 10))).toBe('MESSAGE_TOO_LARGE');
    const wrapped = Object.assign(new Error('wrapped'), {
      name: 'KafkaJSNonRetriableError',
      cause: protocolError('MESSAGE_TOO_LARGE', 10),
    });
    expect(tooLargeReasonOf(wrapped)).toBe('MESSAGE_TOO_LARGE');
  });

  it('leaves every other error to the caller’s retry: outages, other protocol errors, a closed connection', () => {
    expect(tooLargeReasonOf(protocolError('OUT_OF_ORDER_SEQUENCE_NUMBER', 45))).toBeNull();
    expect(tooLargeReasonOf(protocolError('NOT_LEADER_FOR_PARTITION', 6, true))).toBeNull();
    // What a request over socket.request.max.bytes gives: the broker closes the connection.
    const epipe = Object.assign(new Error('Connection error: write EPIPE'), { name: 'KafkaJSConnectionError', code: 'EPIPE' });
    expect(
      tooLargeReasonOf(Object.assign(new Error('retries exceeded'), { name: 'KafkaJSNumberOfRetriesExceeded', cause: epipe })),
    ).toBeNull();
    expect(tooLargeReasonOf(new Error('plain'))).toBeNull();
    expect(tooLargeReasonOf(null)).toBeNull();
    expect(tooLargeReasonOf('MESSAGE_TOO_LARGE')).toBeNull();
  });
});

describe('requestBudget', () => {
  it('stays under the topic’s limit by the batch margin, never above the gateway’s own request size', () => {
    expect(requestBudget(null, 786432)).toBe(786432);
    expect(requestBudget(1048588, 786432)).toBe(786432);
    expect(requestBudget(20000, 786432)).toBe(20000 - BATCH_MARGIN_BYTES);
    expect(requestBudget(100, 786432)).toBe(1);
  });
});

describe('headOf', () => {
  it('keeps a short text whole and cuts a long one before a partial character', () => {
    expect(headOf(Buffer.from('short'), 10)).toBe('short');
    expect(headOf(Buffer.from('abcdef'), 3)).toBe('abc…');
    // 'é' is two bytes: cutting after 'ab' + one byte of it keeps 'ab'.
    expect(headOf(Buffer.from('abéd'), 3)).toBe('ab…');
    expect(headOf(Buffer.from('€€'), 4)).toBe('€…');
  });
});

describe('refusalText', () => {
  const refused: RefusedMessage = {
    topic: 't',
    key: 'k',
    id: 'i',
    type: 'x',
    value: Buffer.alloc(50000),
    reason: 'MESSAGE_TOO_LARGE',
    limitBytes: 20000,
  };
  it('names the reason, the size and the limit', () => {
    expect(refusalText(refused)).toBe(
      "MESSAGE_TOO_LARGE: Kafka refused the message (50000 bytes uncompressed): its compressed record batch is over the topic's max.message.bytes (20000 bytes)",
    );
    expect(refusalText({ ...refused, limitBytes: null })).toContain('(unknown)');
    expect(refusalText({ ...refused, reason: 'RECORD_LIST_TOO_LARGE' })).toMatch(/^RECORD_LIST_TOO_LARGE: .*segment\.bytes/);
    expect(refusalText({ ...refused, reason: 'REQUEST_TOO_LARGE', requestLimitBytes: 104857600, compressedBytes: 110000000 })).toMatch(
      /^REQUEST_TOO_LARGE: not sent: .*110000000 compressed.*104857600/,
    );
  });
});

describe('shrunkDeadLetter', () => {
  const consumed: DeadLetter = {
    reason: 'value is not JSON: …',
    topic: 'bgp.route-events.v1',
    partition: 3,
    offset: '1234',
    key: 'k',
    value: 'x'.repeat(5000),
    consumerGroup: 'route-broker-brm',
  };

  it('first leaves the value out (its size and head kept, and where the original is), then the excerpts, then gives up', () => {
    const first = shrunkDeadLetter(consumed, 100)!;
    expect(first.value).toBeNull();
    expect(first.valueOmitted).toEqual({
      bytes: 5000,
      head: `${'x'.repeat(100)}…`,
      note: 'left out: the dead letter was too large for the dead-letter topic; the original is at bgp.route-events.v1/3/1234',
    });
    const second = shrunkDeadLetter(first, 100)!;
    expect(second.valueOmitted!.head).toBe('');
    expect(second.valueOmitted!.bytes).toBe(5000);
    expect(shrunkDeadLetter(second, 100)).toBeNull();
  });

  it('cuts a long reason and a producer’s excerpt of a refused message', () => {
    const refused: DeadLetter = {
      ...consumed,
      reason: 'r'.repeat(300),
      partition: null,
      offset: null,
      value: null,
      consumerGroup: null,
      refused: {
        producer: 'p',
        error: 'MESSAGE_TOO_LARGE',
        eventId: 'id',
        eventType: 'type',
        valueBytes: 9,
        limitBytes: 5,
        valueHead: 'head',
      },
    };
    const smaller = shrunkDeadLetter(refused, 100)!;
    expect(smaller.reason).toBe(`${'r'.repeat(100)}…`);
    expect(smaller.refused).toEqual({ ...refused.refused, valueHead: '' });
    expect(shrunkDeadLetter(smaller, 100)).toBeNull();
  });
});

describe('SharedExclusiveLock', () => {
  const tick = () => new Promise((resolve) => setImmediate(resolve));

  it('lets shared holders run together, an exclusive one alone, in arrival order (a waiting exclusive holds back later shared ones)', async () => {
    const lock = new SharedExclusiveLock();
    const log: string[] = [];
    const gates = new Map<string, () => void>();
    const hold = (name: string, exclusive: boolean) =>
      lock.run(exclusive, async () => {
        log.push(`start ${name}`);
        await new Promise<void>((resolve) => gates.set(name, resolve));
        log.push(`end ${name}`);
      });
    const runs = [hold('s1', false), hold('s2', false), hold('x', true), hold('s3', false)];
    await tick();
    expect(log).toEqual(['start s1', 'start s2']);
    expect(lock.state).toEqual({ shared: 2, exclusive: false, waiting: 2 });
    gates.get('s1')!();
    await tick();
    expect(log).toEqual(['start s1', 'start s2', 'end s1']);
    gates.get('s2')!();
    await tick();
    expect(log.slice(3)).toEqual(['end s2', 'start x']);
    expect(lock.state).toEqual({ shared: 0, exclusive: true, waiting: 1 });
    gates.get('x')!();
    await tick();
    expect(log.slice(5)).toEqual(['end x', 'start s3']);
    gates.get('s3')!();
    await Promise.all(runs);
    expect(lock.state).toEqual({ shared: 0, exclusive: false, waiting: 0 });
  });

  it('releases the lock when the work fails', async () => {
    const lock = new SharedExclusiveLock();
    await expect(lock.run(true, () => Promise.reject(new Error('refused')))).rejects.toThrow('refused');
    await expect(lock.run(false, () => Promise.resolve(7))).resolves.toBe(7);
    expect(lock.state).toEqual({ shared: 0, exclusive: false, waiting: 0 });
  });
});
