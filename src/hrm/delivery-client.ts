/**
 * One signed HTTP POST to a UXR endpoint. The receiver answers 2xx (taken), 409 (it holds a
 * different state than the delivery assumes: send a snapshot), or anything else (retried).
 */
import type { DeltaDelivery, Delivery } from '../common/events/hrm-events.js';
import type { VpcRouteChange } from '../common/events/vpc-events.js';
import { SIGNATURE_HEADER, signatureHeader } from './core/signature.js';

/**
 * Each change serialised once, however many subscribers it goes to: a VPC with 100 subscribers
 * would otherwise turn every change into JSON 100 times. (The change objects are shared: they come
 * from one parsed Kafka message.)
 */
const serialisedChanges = new WeakMap<VpcRouteChange, string>();

/** The JSON text of a delta, the same as JSON.stringify would give, with each change's text cached. */
export function deltaBody(delivery: DeltaDelivery): string {
  const changes = delivery.changes.map((change) => {
    let text = serialisedChanges.get(change);
    if (text === undefined) serialisedChanges.set(change, (text = JSON.stringify(change)));
    return text;
  });
  const { kind, subscriptionId, vpcId, fromRevision, toRevision } = delivery;
  return `${JSON.stringify({ kind, subscriptionId, vpcId, fromRevision, toRevision }).slice(0, -1)},"changes":[${changes.join(',')}]}`;
}

export type DeliveryOutcome = { kind: 'taken' } | { kind: 'resync'; detail: string } | { kind: 'failed'; detail: string };

export async function deliver(
  target: { callbackUrl: string; secret: string },
  delivery: Delivery,
  idempotencyKey: string,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<DeliveryOutcome> {
  const body = delivery.kind === 'delta' ? deltaBody(delivery) : JSON.stringify(delivery);
  const timeout = AbortSignal.timeout(timeoutMs);
  try {
    const response = await fetch(target.callbackUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'idempotency-key': idempotencyKey,
        [SIGNATURE_HEADER]: signatureHeader(target.secret, Date.now(), body),
      },
      body,
      redirect: 'error',
      signal: signal ? AbortSignal.any([timeout, signal]) : timeout,
    });
    // Read (and bound) the answer so the connection can be reused.
    const text = (await response.text()).slice(0, 200);
    if (response.ok) return { kind: 'taken' };
    if (response.status === 409) return { kind: 'resync', detail: `receiver answered 409: ${text}` };
    return { kind: 'failed', detail: `HTTP ${response.status}${text ? `: ${text}` : ''}` };
  } catch (error) {
    if (timeout.aborted) return { kind: 'failed', detail: `no answer within ${timeoutMs} ms` };
    const cause = (error as Error & { cause?: Error }).cause;
    return { kind: 'failed', detail: cause ? `${(error as Error).message}: ${cause.message}` : (error as Error).message };
  }
}
