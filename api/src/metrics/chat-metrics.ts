import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The instance's Prometheus metrics. Module-level rather than Nest providers: the error mapping (a
 * plain function) and the Socket.IO adapter (created in main.ts, outside the DI container) count into
 * them as well as providers do. One registry per process; every series carries `instance`.
 */
export const metricsRegistry = new Registry();

collectDefaultMetrics({ register: metricsRegistry, eventLoopMonitoringPrecision: 10 });

const ACK_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

export const chatMetrics = {
  connections: new Gauge({
    name: 'chat_connections',
    help: 'Socket.IO connections open on this instance',
    registers: [metricsRegistry],
  }),
  joins: new Counter({
    name: 'chat_room_joins_total',
    help: 'Successful room:join requests',
    registers: [metricsRegistry],
  }),
  messagesReceived: new Counter({
    name: 'chat_messages_received_total',
    help: 'message:send requests received',
    registers: [metricsRegistry],
  }),
  messagesAcked: new Counter({
    name: 'chat_messages_acked_total',
    help: 'message:send acks, by outcome: stored (new), duplicate (a resend of a stored one), error',
    labelNames: ['outcome'] as const,
    registers: [metricsRegistry],
  }),
  ackSeconds: new Histogram({
    name: 'chat_message_ack_seconds',
    help: 'Time from receiving message:send to sending its ack (validation, storage, broadcast)',
    labelNames: ['outcome'] as const,
    buckets: ACK_BUCKETS,
    registers: [metricsRegistry],
  }),
  messageBatchSize: new Histogram({
    name: 'chat_message_batch_size',
    help: 'Messages stored per database transaction by the group commit of message:send',
    buckets: [1, 2, 5, 10, 20, 50, 100, 200],
    registers: [metricsRegistry],
  }),
  broadcasts: new Counter({
    name: 'chat_broadcasts_total',
    help: 'Events emitted to rooms or users through the adapter, by event',
    labelNames: ['event'] as const,
    registers: [metricsRegistry],
  }),
  databaseErrors: new Counter({
    name: 'chat_database_errors_total',
    help: 'Requests that failed because the database was unavailable',
    registers: [metricsRegistry],
  }),
  redisErrors: new Counter({
    name: 'chat_redis_errors_total',
    help: 'Redis connection errors (each client counts its first error after being healthy)',
    labelNames: ['role'] as const,
    registers: [metricsRegistry],
  }),
  droppedPublishes: new Counter({
    name: 'chat_adapter_dropped_publishes_total',
    help: 'Cross-instance emits lost to a Redis failure (local delivery still happened)',
    registers: [metricsRegistry],
  }),
  slowConsumerDisconnects: new Counter({
    name: 'chat_slow_consumer_disconnects_total',
    help: 'Connections closed because more output was waiting for them than SOCKET_MAX_BUFFERED_BYTES',
    registers: [metricsRegistry],
  }),
  unhandledRejections: new Counter({
    name: 'chat_unhandled_rejections_total',
    help: 'Promise rejections nothing handled (logged; the instance kept serving)',
    registers: [metricsRegistry],
  }),
  adapter: new Gauge({
    name: 'chat_adapter_info',
    help: 'The Socket.IO adapter in use (value is always 1)',
    labelNames: ['adapter'] as const,
    registers: [metricsRegistry],
  }),
};

export function labelInstance(instanceId: string): void {
  metricsRegistry.setDefaultLabels({ instance: instanceId });
}
