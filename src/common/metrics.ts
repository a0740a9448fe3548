/** One Prometheus registry for the process; every role registers its metrics here. */
import { Registry, collectDefaultMetrics, Histogram } from 'prom-client';

export const metricsRegistry = new Registry();
metricsRegistry.setDefaultLabels({ app: 'route-broker' });
collectDefaultMetrics({ register: metricsRegistry, prefix: 'route_broker_' });

export const httpRequestDuration = new Histogram({
  name: 'route_broker_http_request_duration_seconds',
  help: 'HTTP requests served, by method, route pattern and status code',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  registers: [metricsRegistry],
});

/**
 * How old a route change is when it passes each hop of its way to UXR, from the moment its cause
 * happened: for a router's update, when the collector read the BMP message off the socket (the
 * change's `cause.at`). One observation per unit of work at each hop (the collector's Kafka batch,
 * BRM's commit of one VPC, one published notification, one delivery to UXR), of its oldest change:
 * the worst case of the unit, never a flattering average. The hops run in different processes:
 * across hosts, the clocks' offset (NTP) is in the figures.
 */
export const ROUTE_CHANGE_HOPS = ['on_kafka', 'committed', 'notified', 'delivered'] as const;
export type RouteChangeHop = (typeof ROUTE_CHANGE_HOPS)[number];
export const routeChangeAge = new Histogram({
  name: 'route_broker_route_change_age_seconds',
  help: 'Age of the oldest route change of a unit of work when it passes a hop (on_kafka: the collector has the ack; committed: BRM committed the VPC table; notified: the interconnect notification is on Kafka; delivered: UXR took it), since its cause (the BMP message read by the collector)',
  labelNames: ['hop'] as const,
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.015, 0.02, 0.03, 0.05, 0.075, 0.1, 0.15, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
  registers: [metricsRegistry],
});

/** Records that a unit of work whose oldest change was caused at `causedAtMs` passed `hop` now. */
export function observeRouteChangeAge(hop: RouteChangeHop, causedAtMs: number, nowMs = Date.now()): void {
  // A clock stepped back between two hosts would give a negative age: count it as zero.
  routeChangeAge.observe({ hop }, Math.max(0, nowMs - causedAtMs) / 1000);
}

/** Observes `hop` for a unit of changes: the age of its oldest cause; nothing when no change says its cause. */
export function observeOldestChangeAge(
  hop: RouteChangeHop,
  changes: readonly { cause?: { at: number } | null }[],
  nowMs = Date.now(),
): void {
  let oldest = Infinity;
  for (const change of changes) {
    const at = change.cause?.at;
    if (at !== undefined && at < oldest) oldest = at;
  }
  if (oldest !== Infinity) observeRouteChangeAge(hop, oldest, nowMs);
}
