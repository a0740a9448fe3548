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
