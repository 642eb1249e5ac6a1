export * from './snap';
export { PAYMENT_QUEUE_NAME } from './queue/payment-queue';
export { loadConfig, type Config } from './config/load-config';
export { startService, type RunningService, type ServiceOptions } from './service';
