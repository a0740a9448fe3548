import { createCloudEvent, parseCloudEvent } from './cloud-event.js';

describe('CloudEvents envelope', () => {
  it('round-trips through JSON unchanged', () => {
    const event = createCloudEvent({
      type: 'net.route-broker.test.v1',
      source: 'route-broker/test',
      subject: 's',
      data: { prefix: '10.0.0.0/8', asPath: [65001] },
    });
    expect(event).toMatchObject({ specversion: '1.0', datacontenttype: 'application/json' });
    expect(event.id).toMatch(/^[0-9a-f-]{36}$/);
    const parsed = parseCloudEvent(Buffer.from(JSON.stringify(event)), 'net.route-broker.test.v1');
    expect(parsed).toEqual({ ok: true, event });
  });

  it.each([
    [null, 'message has no value'],
    ['{not json', 'value is not JSON'],
    ['[1,2]', 'value is not a JSON object'],
    ['{"specversion":"0.3","id":"1","source":"s","type":"t","time":"2026-01-01T00:00:00Z","data":1}', 'specversion must be "1.0"'],
    ['{"specversion":"1.0","source":"s","type":"t","time":"2026-01-01T00:00:00Z","data":1}', 'id must be a non-empty string'],
    ['{"specversion":"1.0","id":"1","source":"s","type":"t","time":"yesterday","data":1}', 'time must be an RFC 3339 timestamp'],
    ['{"specversion":"1.0","id":"1","source":"s","type":"t","time":"2026-01-01T00:00:00Z"}', 'data is missing'],
    ['{"specversion":"1.0","id":"1","source":"s","type":"other","time":"2026-01-01T00:00:00Z","data":1}', 'type must be "t", got "other"'],
  ])('refuses %s with a reason', (text, problem) => {
    const parsed = parseCloudEvent(text === null ? null : Buffer.from(text), 't');
    expect(parsed).toEqual({ ok: false, problems: expect.arrayContaining([expect.stringContaining(problem)]) });
  });
});
