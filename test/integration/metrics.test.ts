import request from 'supertest';
import { bill, INQUIRY, inquiryBody, PAYMENT, paymentBody, startHarness, type Harness } from '../helpers/harness';
import { externalId } from '../helpers/signer';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h.close());

const metrics = async (): Promise<string> => (await request(h.admin).get('/metrics').expect(200)).text;

describe('/metrics (Prometheus)', () => {
  it('counts requests by service and code, auth failures by reason, dedup outcomes, signature candidates, events queued and queue depth', async () => {
    await h.registerBill(bill({ customerNo: '2200000001' })).expect(201);
    const xid = externalId();
    await h.post(PAYMENT, paymentBody('2200000001'), { externalId: xid });
    await h.post(PAYMENT, paymentBody('2200000001'), { externalId: xid });
    await h.post(INQUIRY, inquiryBody('2200000001'), { signedBody: '{}' });
    const text = await metrics();
    expect(text).toContain('snap_requests_total{service="payment",response_code="2002500"} 2');
    expect(text).toContain('snap_requests_total{service="inquiry",response_code="4012400"} 1');
    expect(text).toContain('snap_auth_failures_total{reason="mismatch"} 1');
    expect(text).toContain('snap_dedup_total{outcome="new"} 1');
    expect(text).toContain('snap_dedup_total{outcome="replay"} 1');
    expect(text).toMatch(/snap_signature_matches_total\{key_id="[0-9a-f]{16}",path="canonical",body="raw"\} 2/);
    // queued inside the ledger script: one event, and no Queue.add for a request to wait for
    expect(text).toContain('snap_events_queued_total{how="script"} 1');
    expect(text).not.toContain('snap_events_queued_total{how="add"}');
    expect(text).toContain('snap_enqueue_duration_seconds_count 0');
    expect(text).toContain('snap_request_duration_seconds_count{service="payment"} 2');
    expect(text).toContain('snap_queue_jobs{queue="snap-payments",state="waiting"} 1');
    expect(text).toContain('process_resident_memory_bytes');
  });
});

describe('Grafana dashboard', () => {
  it('charts only metrics the service exports', async () => {
    const { readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const dash = JSON.parse(readFileSync(join(__dirname, '..', '..', 'config', 'grafana-dashboard.json'), 'utf8')) as { panels: Array<{ targets: Array<{ expr: string }> }> };
    const exported = await metrics();
    const used = new Set(dash.panels.flatMap((p) => p.targets.flatMap((t) => t.expr.match(/snap_[a-z_]+/g) ?? [])));
    expect(used.size).toBeGreaterThan(8);
    for (const name of used) expect(exported).toContain(`# TYPE ${name.replace(/_(bucket|count|sum)$/, '')} `);
  });
});
