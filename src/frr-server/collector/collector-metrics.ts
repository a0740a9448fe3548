import { Counter, Gauge, Histogram } from 'prom-client';
import { metricsRegistry } from '../../common/metrics.js';

const registers = [metricsRegistry];

export const bmpMessages = new Counter({
  name: 'route_broker_bmp_messages_total',
  help: 'BMP messages decoded, by router and message kind',
  labelNames: ['router', 'kind'] as const,
  registers,
});
export const bmpRoutes = new Counter({
  name: 'route_broker_bmp_routes_total',
  help: 'Prefixes announced or withdrawn in Route Monitoring messages, by router',
  labelNames: ['router', 'action'] as const,
  registers,
});
export const bmpParseErrors = new Counter({
  name: 'route_broker_bmp_parse_errors_total',
  help: 'BMP connections closed because a message could not be decoded, by router',
  labelNames: ['router'] as const,
  registers,
});
export const bmpConnectedRouters = new Gauge({
  name: 'route_broker_bmp_connected_routers',
  help: 'Routers with an open BMP connection to this collector',
  registers,
});
export const bmpPublishSeconds = new Histogram({
  name: 'route_broker_bmp_kafka_publish_seconds',
  help: 'Time to publish the events of one TCP read to Kafka (acks=all)',
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers,
});
export const bmpPausedRouters = new Gauge({
  name: 'route_broker_bmp_paused_routers',
  help: 'Router sockets this collector holds paused right now, waiting for Kafka to take their route events (or, for a moment, for their read worker): set when a socket pauses and when it reads again, so a pause that lasts (Kafka down) shows while it lasts',
  registers,
});
export const bmpPausedSeconds = new Counter({
  name: 'route_broker_bmp_paused_seconds_total',
  help: 'Time router sockets spent paused waiting for Kafka, by router',
  labelNames: ['router'] as const,
  registers,
});
