/**
 * CloudEvents 1.0, structured JSON mode: every message on every topic is one of these.
 * Parsing never throws: a bad message becomes a list of problems, each naming the field, so the
 * consumer can dead-letter it with the reason and move on.
 */
import { randomUUID } from 'node:crypto';

export interface CloudEvent<T = unknown> {
  specversion: '1.0';
  id: string;
  source: string;
  type: string;
  time: string;
  subject?: string;
  datacontenttype: 'application/json';
  data: T;
}

export interface NewCloudEvent<T> {
  type: string;
  source: string;
  data: T;
  subject?: string;
  id?: string;
  time?: Date;
}

export function createCloudEvent<T>(event: NewCloudEvent<T>): CloudEvent<T> {
  return {
    specversion: '1.0',
    id: event.id ?? randomUUID(),
    source: event.source,
    type: event.type,
    time: (event.time ?? new Date()).toISOString(),
    ...(event.subject === undefined ? {} : { subject: event.subject }),
    datacontenttype: 'application/json',
    data: event.data,
  };
}

export type ParseResult<T> = { ok: true; event: CloudEvent<T> } | { ok: false; problems: string[] };

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** Parses and checks the envelope; `expectedType`, when given, must match `type` exactly. */
export function parseCloudEvent(bytes: Buffer | string | null, expectedType?: string): ParseResult<unknown> {
  if (bytes === null || bytes.length === 0) return { ok: false, problems: ['message has no value'] };
  let value: unknown;
  try {
    value = JSON.parse(typeof bytes === 'string' ? bytes : bytes.toString('utf8'));
  } catch (error) {
    return { ok: false, problems: [`value is not JSON: ${(error as Error).message}`] };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, problems: ['value is not a JSON object'] };
  }
  const envelope = value as Record<string, unknown>;
  const problems: string[] = [];
  if (envelope.specversion !== '1.0') problems.push('specversion must be "1.0"');
  for (const field of ['id', 'source', 'type'] as const) {
    if (typeof envelope[field] !== 'string' || envelope[field] === '') problems.push(`${field} must be a non-empty string`);
  }
  if (typeof envelope.time !== 'string' || !RFC3339.test(envelope.time) || Number.isNaN(Date.parse(envelope.time))) {
    problems.push('time must be an RFC 3339 timestamp');
  }
  if (envelope.subject !== undefined && typeof envelope.subject !== 'string') problems.push('subject must be a string');
  if (envelope.datacontenttype !== undefined && envelope.datacontenttype !== 'application/json') {
    problems.push('datacontenttype must be application/json');
  }
  if (!('data' in envelope)) problems.push('data is missing');
  if (expectedType !== undefined && typeof envelope.type === 'string' && envelope.type !== expectedType) {
    problems.push(`type must be ${JSON.stringify(expectedType)}, got ${JSON.stringify(envelope.type)}`);
  }
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, event: envelope as unknown as CloudEvent<unknown> };
}
