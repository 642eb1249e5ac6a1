'use strict';
// Run by access-hours-timezone.test.ts as its own process with TZ=America/New_York (jest's
// sandbox cannot change the zone of its own process): the real service from dist/, a real
// HTTP server, an injected clock, a partner whose hour list denies 02:00-03:00 Jakarta time.
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const dist = path.join(__dirname, '..', '..', 'dist');
const { loadConfig } = require(path.join(dist, 'config', 'load-config'));
const { createLogger } = require(path.join(dist, 'logging', 'create-logger'));
const { filePartnerSource } = require(path.join(dist, 'partners', 'partner-source'));
const { startService } = require(path.join(dist, 'service'));
const { formatJakarta } = require(path.join(dist, 'snap', 'timestamp'));

(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'snap-tz-'));
  const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  fs.writeFileSync(path.join(dir, 'pub.pem'), publicKey.export({ type: 'spki', format: 'pem' }));
  const file = path.join(dir, 'partners.yaml');
  fs.writeFileSync(file, `partners:\n  - name: night-off\n    partnerId: "82150"\n    auth: faspay-rsa\n    publicKeys: [{ file: ${path.join(dir, 'pub.pem')} }]\n    hourList: { mode: deny, hours: ["02:00-03:00"] }\n`);
  const ns = crypto.randomBytes(4).toString('hex');
  const config = loadConfig({ HOST: '127.0.0.1', PORT: '0', ADMIN_PORT: '0', ROLE: 'api', REDIS_URL: process.env.REDIS_URL, REDIS_KEY_PREFIX: `{tz${ns}}:`, QUEUE_PREFIX: `{tzq${ns}}`, INTERNAL_API_TOKEN: 'x'.repeat(32), LOG_LEVEL: 'error' });
  const clock = { now: 0 };
  const logger = createLogger('error');
  const svc = await startService({ config, logger, clock: () => clock.now, internalApiToken: 'x'.repeat(32), partners: filePartnerSource(config, file, {}) });
  const out = { hostHour: new Date(Date.parse('2026-11-22T02:00:00+07:00')).getHours(), codes: {} };
  for (const time of ['01:59:59', '02:00:00', '02:59:59', '03:00:00']) {
    clock.now = Date.parse(`2026-11-22T${time}+07:00`);
    const body = JSON.stringify({ partnerServiceId: '  088899', customerNo: '5500000001', virtualAccountNo: '  0888995500000001', inquiryRequestId: `tz-${time}` });
    const ts = formatJakarta(clock.now);
    const sts = `POST:/v1.0/transfer-va/inquiry:${crypto.createHash('sha256').update(body).digest('hex')}:${ts}`;
    const res = await fetch(`http://127.0.0.1:${svc.publicPort}/v1.0/transfer-va/inquiry`, {
      method: 'POST', body,
      headers: { 'Content-Type': 'application/json', 'X-TIMESTAMP': ts, 'X-SIGNATURE': crypto.sign('sha256', Buffer.from(sts), privateKey).toString('base64'), 'X-PARTNER-ID': '82150', 'X-EXTERNAL-ID': `${Date.now()}${time.replace(/:/g, '')}`, 'CHANNEL-ID': '77001' },
    });
    out.codes[time] = (await res.json()).responseCode;
  }
  await svc.stop();
  const Redis = require('ioredis');
  const r = new Redis(process.env.REDIS_URL);
  for (const p of [`{tz${ns}}:*`, `{tzq${ns}}:*`]) for (const k of await r.keys(p)) await r.del(k);
  await r.quit();
  process.stdout.write(JSON.stringify(out));
})().catch((e) => {
  process.stderr.write(String(e.stack));
  process.exit(1);
});
