#!/usr/bin/env node
import { Queue } from 'bullmq';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config/load-config';
import { loadSubscribers } from '../config/load-subscribers';
import { DELIVERY_QUEUE_NAME, type DeliveryJobData } from '../delivery/delivery-queue';
import { PAYMENT_QUEUE_NAME } from '../queue/payment-queue';
import { closeRedis, createQueueRedis } from '../redis/redis-connections';
import type { ServiceEvent } from '../queue/service-event';
import { PAYMENT_EVENT_TYPE, type PaymentReceivedEvent } from '../snap/payment-event';
import { EventAdmin, parseDuration, parseSince } from './event-admin';
import type { Config } from '../config/load-config';
import { loadMerchantKey } from '../config/load-merchant-key';
import { ensureDevMerchantKeyPair } from '../dev/dev-keys';
import { createLogger } from '../logging/create-logger';
import { makeRegistry } from '../partners/partner';
import { PaymentQueue } from '../queue/payment-queue';
import { faspaySnapClient, sweepDeps } from '../reconcile/reconcile-deps';
import { sweep } from '../reconcile/sweeper';
import type { RedisClient } from '../redis/redis-connections';
import { RedisKeys } from '../redis/redis-keys';

const USAGE = `usage: snap-events <command>
  list --failed [--limit N] [--json]        dead-lettered deliveries, newest first
  show <eventId> [--json]                   the event and every delivery attempt
  replay <eventId> [--subscriber NAME]      deliver an event again
  replay --failed [--since TIME] [--subscriber NAME]
                                            retry dead letters (TIME: ISO-8601 or 2h, 3d ago)
  purge --older-than DURATION               remove finished jobs older than e.g. 30d
  reconcile [--since DATE] [--dry-run]      ask Faspay (Inquiry Status) about inquired, unpaid bills now
                                            (--since: those inquired since DATE, due or not); prints what it found
Reads REDIS_URL, QUEUE_PREFIX, REDIS_KEY_PREFIX, ORDER_WEBHOOK_URL/SUBSCRIBERS_FILE like the service.`;

class UsageError extends Error {}

function bar(done: number, total: number): void {
  if (!process.stderr.isTTY) return;
  const width = 30;
  const filled = total === 0 ? width : Math.round((done / total) * width);
  process.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`);
  if (done === total) process.stderr.write('\n');
}

async function run(argv: string[], out: (line: string) => void): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      failed: { type: 'boolean' }, json: { type: 'boolean' }, limit: { type: 'string' },
      since: { type: 'string' }, subscriber: { type: 'string' }, 'older-than': { type: 'string' }, help: { type: 'boolean', short: 'h' },
      'dry-run': { type: 'boolean' },
    },
  });
  const [command, arg] = positionals;
  if (values.help === true || command === undefined) {
    out(USAGE);
    return command === undefined && values.help !== true ? 2 : 0;
  }
  const config = loadConfig(process.env);
  const subscribers = loadSubscribers(config).filter((s) => s.kind === 'webhook').map((s) => s.name);
  const redis = createQueueRedis(config.redis);
  const payments = new Queue<ServiceEvent>(PAYMENT_QUEUE_NAME, { connection: redis, prefix: config.queuePrefix });
  const deliveries = new Queue<DeliveryJobData>(DELIVERY_QUEUE_NAME, { connection: redis, prefix: config.queuePrefix });
  const admin = new EventAdmin(payments, deliveries, redis, config.keyPrefix, subscribers, {
    attempts: config.deliveryMaxAttempts, backoffBaseMs: config.deliveryBackoffBaseMs,
    backoffCapMs: config.deliveryBackoffCapMs, completedRetentionDays: config.completedJobRetentionDays,
  });
  try {
    switch (command) {
      case 'list': {
        if (values.failed !== true) throw new UsageError('list needs --failed');
        const rows = await admin.listFailed(Number(values.limit ?? 50));
        if (values.json === true) out(JSON.stringify(rows, null, 2));
        else if (rows.length === 0) out('no dead-lettered deliveries');
        else for (const r of rows) out(`${new Date(r.finishedOn ?? 0).toISOString()}  ${r.jobId}  ${r.subscriber}  attempts=${r.attemptsMade}  ${r.failedReason ?? ''}`);
        return 0;
      }
      case 'show': {
        if (arg === undefined) throw new UsageError('show needs an event id');
        const s = await admin.show(arg);
        if (values.json === true) {
          out(JSON.stringify(s, null, 2));
          return 0;
        }
        out(`event ${s.event.id}  ${describeEvent(s.event)}  received ${String(s.event.receivedAt)}`);
        for (const d of s.deliveries) {
          out(`  ${d.subscriber}: ${d.state}${d.failedReason ? ` (${d.failedReason})` : ''}  job ${d.jobId}`);
          for (const a of d.attempts) out(`    #${a.attempt} ${a.at}  ${a.status ?? a.error}  ${a.latencyMs} ms`);
        }
        return 0;
      }
      case 'replay': {
        if (values.failed === true) {
          const since = values.since === undefined ? 0 : parseSince(values.since, Date.now());
          if (since === undefined) throw new UsageError(`--since ${values.since}: give an ISO-8601 time or a duration like 2h`);
          const r = await admin.replayFailed(since, values.subscriber, bar);
          out(`replayed ${r.replayed} dead-lettered deliveries${r.errors.length > 0 ? `, ${r.errors.length} failed:\n  ${r.errors.join('\n  ')}` : ''}`);
          return r.errors.length > 0 ? 1 : 0;
        }
        if (arg === undefined) throw new UsageError('replay needs an event id or --failed');
        const jobs = await admin.replay(arg, values.subscriber);
        out(`replaying ${arg}: ${jobs.join(', ') || 'no subscribers configured'}`);
        return 0;
      }
      case 'purge': {
        const ms = values['older-than'] === undefined ? undefined : parseDuration(values['older-than']);
        if (ms === undefined) throw new UsageError('purge needs --older-than DURATION (e.g. 30d)');
        const r = await admin.purge(ms);
        out(`purged ${r.deliveries} delivery jobs and ${r.payments} payment jobs older than ${values['older-than']}`);
        return 0;
      }
      case 'reconcile':
        return await reconcile(config, redis, values.since, values['dry-run'] === true, out);
      default:
        throw new UsageError(`unknown command ${command}`);
    }
  } finally {
    await payments.close();
    await deliveries.close();
    await closeRedis(redis);
  }
}

if (require.main === module) {
  run(process.argv.slice(2), (l) => process.stdout.write(`${l}\n`)).then(
    (code) => process.exit(code),
    (e: Error) => {
      process.stderr.write(`snap-events: ${e instanceof ConfigError || e instanceof UsageError ? e.message : e.message}\n`);
      if (e instanceof UsageError) process.stderr.write(`${USAGE}\n`);
      process.exit(e instanceof UsageError ? 2 : 1);
    },
  );
}

export { run };

/** One line about an event, by its type. */
function describeEvent(e: ServiceEvent): string {
  if (e.type === PAYMENT_EVENT_TYPE) {
    const p = e as unknown as PaymentReceivedEvent;
    return `VA ${p.virtualAccountNo.trim()}  paid ${p.paidAmount.value} ${p.paidAmount.currency}`;
  }
  const f = e as Record<string, unknown>;
  const who = f.memberId ?? f.transactionId ?? f.originalPartnerReferenceNo ?? f.billNo;
  const what = f.paymentStatus ?? f.txnStatus ?? f.status ?? f.expiredDate;
  return `${e.type}${who === undefined ? '' : `  ${String(who)}`}${what === undefined ? '' : `  ${String(what)}`}`;
}

/** `snap-events reconcile`: one sweep by hand, through the same code as the worker's scheduled one. */
async function reconcile(config: Config, redis: RedisClient, since: string | undefined, dryRun: boolean, out: (line: string) => void): Promise<number> {
  let sinceMs: number | undefined;
  if (since !== undefined) {
    sinceMs = parseSince(since, Date.now());
    if (sinceMs === undefined) throw new UsageError('--since takes an ISO-8601 date or a duration ago (e.g. 2026-12-01, 3d)');
  }
  let key = loadMerchantKey(config);
  if (key === undefined && !config.production) key = loadMerchantKey(config, ensureDevMerchantKeyPair(config.varDir).privateKeyPath);
  const logger = createLogger('warn');
  const client = faspaySnapClient(config, key, logger, Date.now);
  if (client === undefined) throw new UsageError('reconcile needs FASPAY_API_BASE_URL, MERCHANT_PRIVATE_KEY_FILE and FASPAY_PARTNER_ID like the service');
  const queue = new PaymentQueue(redis, config.queuePrefix, config.completedJobRetentionDays);
  try {
    const registry = makeRegistry('cli', [], []);
    const r = await sweep(sweepDeps({ config, redis, keys: new RedisKeys(config.keyPrefix), client, queue, registry: () => registry, logger, clock: Date.now }),
      { sinceMs, dryRun, onProgress: bar });
    out(`${dryRun ? 'dry run: ' : ''}${r.outcome}: asked Faspay about ${r.checked} bills, ${r.found.length} payment(s) no notification told of${r.dropped > 0 ? `, ${r.dropped} given up` : ''}`);
    for (const f of r.found) out(`  VA ${f.virtualAccountNo}  paymentRequestId ${f.paymentRequestId}  paid ${f.paidAmount} (minor units)${f.eventId === undefined ? '' : `  event ${f.eventId}`}`);
    return r.outcome === 'done' ? 0 : 1;
  } finally {
    await queue.close();
  }
}
