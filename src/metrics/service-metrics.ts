import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Partner, PartnerRegistry } from '../partners/partner';

export interface QueueCounts {
  (): Promise<Record<string, Record<string, number>>>;
}

/** Prometheus metrics of one process, served on ADMIN_PORT at /metrics. */
export class ServiceMetrics {
  readonly registry = new Registry();
  readonly requests = new Counter({ name: 'snap_requests_total', help: 'SNAP requests by service and responseCode', labelNames: ['service', 'response_code'], registers: [this.registry] });
  readonly latency = new Histogram({
    name: 'snap_request_duration_seconds', help: 'SNAP request latency by service', labelNames: ['service'],
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5], registers: [this.registry],
  });
  readonly authFailures = new Counter({ name: 'snap_auth_failures_total', help: 'Rejected requests by reason (signature, timestamp, headers, partner)', labelNames: ['reason'], registers: [this.registry] });
  readonly accessDenied = new Counter({ name: 'snap_access_denied_total', help: 'Requests refused by a partner\'s IP, hour or service list, or its rate limit', labelNames: ['partner', 'rule'], registers: [this.registry] });
  readonly legacyShape = new Counter({ name: 'snap_legacy_shape_total', help: 'Legacy-shaped notifications that arrived on a SNAP URL and were handled as legacy', labelNames: ['kind'], registers: [this.registry] });
  readonly faspayApiCalls = new Counter({ name: 'snap_faspay_api_calls_total', help: 'The merchant\'s calls to Faspay\'s SNAP API by service and answer (responseCode, HTTP status, unreachable)', labelNames: ['service', 'response_code'], registers: [this.registry] });
  readonly reconciledPayments = new Counter({ name: 'snap_reconciled_payments_total', help: 'Payments found by reconciliation that no notification told of (should stay 0)', registers: [this.registry] });
  readonly reconcileRuns = new Counter({ name: 'snap_reconcile_runs_total', help: 'Reconciliation sweeps by outcome (done, locked, faspay_unavailable, failed)', labelNames: ['outcome'], registers: [this.registry] });
  readonly partnerReloads = new Counter({ name: 'snap_partner_reloads_total', help: 'Reloads of PARTNERS_FILE by outcome (ok, failed: the old registry stays in force)', labelNames: ['outcome'], registers: [this.registry] });
  readonly signatureMatches = new Counter({ name: 'snap_signature_matches_total', help: 'Which key, path and body candidate verified', labelNames: ['key_id', 'path', 'body'], registers: [this.registry] });
  readonly dedup = new Counter({ name: 'snap_dedup_total', help: 'X-EXTERNAL-ID ledger outcomes (new, replay, conflict, inflight)', labelNames: ['outcome'], registers: [this.registry] });
  readonly enqueueLatency = new Histogram({
    name: 'snap_enqueue_duration_seconds', help: 'Time a request waited for Queue.add of its event (events queued inside the ledger script have no add of their own)',
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5], registers: [this.registry],
  });
  readonly eventsQueued = new Counter({ name: 'snap_events_queued_total', help: 'Events queued by requests: inside the ledger script (script) or with Queue.add after it (add)', labelNames: ['how'], registers: [this.registry] });
  readonly deliveries = new Counter({ name: 'snap_delivery_attempts_total', help: 'Delivery attempts by subscriber and outcome', labelNames: ['subscriber', 'outcome'], registers: [this.registry] });
  readonly replicationShortfalls = new Counter({ name: 'snap_replication_shortfalls_total', help: 'Paid answers held back because too few Redis replicas confirmed the write, or the primary they confirmed for did not hold it (REDIS_WAIT_REPLICAS)', registers: [this.registry] });
  readonly redisErrors = new Counter({ name: 'snap_redis_errors_total', help: 'Redis connection errors by connection', labelNames: ['connection'], registers: [this.registry] });

  /** snap_partner_valid_keys{partner}: public keys inside their validity window, read at scrape time. */
  watchPartners(registry: () => PartnerRegistry, valid: (p: Partner) => number): void {
    new Gauge({
      name: 'snap_partner_valid_keys', help: 'Public keys of each partner valid now (0: that partner is refused until a key is fixed)', labelNames: ['partner'], registers: [this.registry],
      collect() {
        this.reset();
        for (const p of registry().partners) this.set({ partner: p.name }, valid(p));
      },
    });
  }

  constructor(queueCounts?: QueueCounts) {
    collectDefaultMetrics({ register: this.registry });
    if (queueCounts !== undefined) {
      new Gauge({
        name: 'snap_queue_jobs', help: 'Jobs per queue and state (read at scrape time)', labelNames: ['queue', 'state'], registers: [this.registry],
        async collect() {
          try {
            for (const [queue, counts] of Object.entries(await queueCounts())) {
              for (const [state, n] of Object.entries(counts)) this.set({ queue, state }, n);
            }
          } catch {
            // Redis away: the gauge keeps its last values; snap_redis_errors_total tells
          }
        },
      });
    }
  }
}
