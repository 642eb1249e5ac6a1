import { createHash, timingSafeEqual } from 'node:crypto';
import type { Queue } from 'bullmq';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { Logger } from 'winston';
import { maskName } from '../logging/mask-pii';
import type { ServiceMetrics } from '../metrics/service-metrics';
import { OPENAPI_DOCUMENT } from './openapi';
import type { BillStore } from '../redis/bill-store';
import { readBillRegistration } from '../snap/bill';
import { parseBodyObject, SnapFieldError } from '../snap/request-fields';
import type { RecurringService } from '../recurring/recurring-service';
import type { MemberStore } from '../redis/member-store';
import type { RecurringOperation } from '../legacy/recurring-update';
import type { VaService } from '../virtual-accounts/va-service';
import { queueBoard } from './queue-board';

export interface AdminAppOptions {
  readonly bills: BillStore;
  readonly token: string;
  readonly bodyLimitBytes: number;
  readonly logger: Logger;
  readonly clock: () => number;
  /** Resolves true when the service can take traffic (Redis reachable, not draining). */
  /** Named readiness checks, each 'ok' or what is wrong. */
  readonly ready: () => Promise<Readonly<Record<string, string>>>;
  /** Queues shown in the bull-board UI at /admin/queues. */
  readonly queues?: readonly Queue[];
  readonly metrics?: ServiceMetrics | undefined;
  /** Update Card / Update Member toward Faspay, and the members they keep. */
  readonly recurring?: RecurringService | undefined;
  readonly members?: MemberStore | undefined;
  /** Dynamic VAs at Faspay (create-va 27, delete-va 31) with their bills. */
  readonly virtualAccounts?: VaService | undefined;
}

const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

/**
 * `Authorization: Bearer $INTERNAL_API_TOKEN`; with `allowBasic`, also HTTP Basic with the
 * token as password, so a browser can open the queue UI.
 */
function requireToken(token: string, allowBasic = false) {
  const expected = digest(token);
  return (req: Request, res: Response, next: NextFunction): void => {
    const header = req.get('Authorization') ?? '';
    let presented = /^Bearer (.+)$/.exec(header)?.[1];
    const basic = /^Basic ([A-Za-z0-9+/=]+)$/.exec(header)?.[1];
    if (presented === undefined && allowBasic && basic !== undefined) {
      const decoded = Buffer.from(basic, 'base64').toString('utf8');
      presented = decoded.slice(decoded.indexOf(':') + 1);
    }
    if (presented === undefined || !timingSafeEqual(digest(presented), expected)) {
      if (allowBasic) res.setHeader('WWW-Authenticate', 'Basic realm="snap-receiver"');
      res.status(401).json({ error: 'unauthorized', message: 'send Authorization: Bearer $INTERNAL_API_TOKEN' });
      return;
    }
    next();
  };
}

/** Internal port: bill API for the merchant's services, and health. Never exposed to the internet. */
export function createAdminApp(opts: AdminAppOptions): express.Express {
  const { bills, logger, clock } = opts;
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);

  app.get('/livez', (_req, res) => {
    res.json({ status: 'ok' });
  });
  const metrics = opts.metrics;
  if (metrics !== undefined) {
    app.get('/metrics', async (_req, res) => {
      res.setHeader('Content-Type', metrics.registry.contentType);
      res.end(await metrics.registry.metrics());
    });
  }
  app.get('/openapi.json', (_req, res) => {
    res.json(OPENAPI_DOCUMENT);
  });
  app.get('/readyz', async (_req, res) => {
    const checks = await opts.ready().catch((e: Error) => ({ checks: e.message }));
    const ok = Object.values(checks).every((v) => v === 'ok');
    res.status(ok ? 200 : 503).json({ status: ok ? 'ready' : 'not ready', checks });
  });

  const api = express.Router();
  api.use(requireToken(opts.token));
  api.put('/bills', express.raw({ type: () => true, limit: opts.bodyLimitBytes }), async (req: Request, res: Response) => {
    const now = clock();
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const reg = readBillRegistration(parseBodyObject(raw), new Date(now).toISOString());
    const r = await bills.register(reg, new Date(now).toISOString());
    if (r.result === 'paid') {
      res.status(409).json({ error: 'bill_paid', message: 'this virtual account has a paid bill; it cannot be replaced' });
      return;
    }
    logger.info('bill registered', { virtualAccountNo: reg.vaDigits, virtualAccountName: maskName(reg.view.virtualAccountName), result: r.result });
    res.status(r.result === 'created' ? 201 : 200).json(r.record);
  });
  api.get('/bills/:va', async (req: Request, res: Response) => {
    const va = String(req.params.va);
    if (!/^\d{1,28}$/.test(va)) {
      res.status(400).json({ error: 'invalid_field', field: 'virtualAccountNo', message: 'use the digits of the virtual account number' });
      return;
    }
    const record = await bills.get(va, clock());
    if (record === undefined) res.status(404).json({ error: 'not_found', message: 'no bill for this virtual account' });
    else res.json(record);
  });
  api.delete('/bills/:va', async (req: Request, res: Response) => {
    const va = String(req.params.va);
    const result = /^\d{1,28}$/.test(va) ? await bills.cancel(va, new Date(clock()).toISOString()) : 'missing';
    if (result === 'missing') res.status(404).json({ error: 'not_found', message: 'no bill for this virtual account' });
    else if (result === 'paid') res.status(409).json({ error: 'bill_paid', message: 'a paid bill cannot be cancelled' });
    else res.json(await bills.get(va, clock()));
  });
  const { recurring, members } = opts;
  if (recurring !== undefined && members !== undefined) {
    for (const op of ['update-card', 'update-member'] as RecurringOperation[]) {
      api.post(`/recurring/members/:memberId/${op}`, express.raw({ type: () => true, limit: opts.bodyLimitBytes }), async (req: Request, res: Response) => {
        const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
        const mode = typeof req.query.mode === 'string' ? req.query.mode : undefined;
        const a = await recurring.update(op, String(req.params.memberId), raw, mode, req.get('Idempotency-Key'));
        res.status(a.status).json(a.body);
      });
    }
    api.get('/recurring/members/:memberId', async (req: Request, res: Response) => {
      const m = await members.get(String(req.params.memberId));
      if (m === undefined) res.status(404).json({ error: 'not_found', message: 'no recurring member with this id' });
      else res.json(m);
    });
  }
  const vas = opts.virtualAccounts;
  if (vas !== undefined) {
    const body = express.raw({ type: () => true, limit: opts.bodyLimitBytes });
    api.post('/virtual-accounts', body, async (req: Request, res: Response) => {
      const a = await vas.create(Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0));
      res.status(a.status).json(a.body);
    });
    api.delete('/virtual-accounts/:va', body, async (req: Request, res: Response) => {
      const a = await vas.remove(String(req.params.va), Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0));
      res.status(a.status).json(a.body);
    });
  }
  app.use('/internal/v1', api);

  if (opts.queues !== undefined && opts.queues.length > 0) {
    app.use('/admin/queues', requireToken(opts.token, true), queueBoard(opts.queues, '/admin/queues'));
  }

  app.use((_req: Request, res: Response) => {
    res.status(404).json({ error: 'not_found' });
  });
  app.use((err: Error & { type?: string; status?: number }, _req: Request, res: Response, _next: NextFunction) => {
    if (err instanceof SnapFieldError) {
      const message = err.problem === 'invalidMandatoryField' ? `${err.field} is required`
        : err.problem === 'invalidFieldFormat' ? `${err.field} has an invalid format` : 'the body is not a JSON object';
      res.status(400).json({ error: err.problem === 'badRequest' ? 'bad_request' : 'invalid_field', field: err.field, message });
      return;
    }
    if (err.type === 'entity.too.large') {
      res.status(413).json({ error: 'too_large' });
      return;
    }
    logger.error('admin request failed', { error: err.message });
    res.status(500).json({ error: 'internal' });
  });
  return app;
}
