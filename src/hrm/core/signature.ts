/**
 * How HRM signs what it delivers, and how a receiver (UXR) checks it: HMAC-SHA256 over
 * `<timestamp>.<body>` with the subscription's secret, sent as
 * `X-Route-Broker-Signature: t=<unix ms>,v1=<hex>`. The timestamp is inside the MAC, so a
 * receiver that refuses timestamps older than a few minutes refuses replays.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-route-broker-signature';

export function signatureOf(secret: string, timestampMs: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestampMs}.`).update(body).digest('hex');
}

export function signatureHeader(secret: string, timestampMs: number, body: string): string {
  return `t=${timestampMs},v1=${signatureOf(secret, timestampMs, body)}`;
}

export type SignatureCheck = { ok: true; timestampMs: number } | { ok: false; problem: string };

/** What a receiver does with the header; kept here so the documented check and ours agree. */
export function checkSignature(
  secret: string,
  header: string | undefined,
  body: string,
  nowMs: number,
  toleranceMs: number,
): SignatureCheck {
  if (!header) return { ok: false, problem: 'no signature header' };
  const parts = new Map(
    header.split(',').map((part) => {
      const at = part.indexOf('=');
      return [part.slice(0, at).trim(), part.slice(at + 1).trim()] as const;
    }),
  );
  const timestamp = parts.get('t');
  const given = parts.get('v1');
  if (!timestamp || !/^\d{1,16}$/.test(timestamp) || !given || !/^[0-9a-f]{64}$/.test(given)) {
    return { ok: false, problem: 'malformed signature header' };
  }
  const timestampMs = Number(timestamp);
  if (Math.abs(nowMs - timestampMs) > toleranceMs)
    return { ok: false, problem: 'timestamp outside the tolerance (replayed or clock skew)' };
  const expected = Buffer.from(signatureOf(secret, timestampMs, body), 'hex');
  if (!timingSafeEqual(expected, Buffer.from(given, 'hex'))) return { ok: false, problem: 'signature does not match' };
  return { ok: true, timestampMs };
}
