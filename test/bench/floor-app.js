'use strict';
// The floor of an inquiry on this machine: the work no SNAP receiver can skip, and nothing else, on plain
// node:http. Per request: read the body, hash it, verify one RSA signature (SHA256withRSA over
// POST:path:sha256(body):X-TIMESTAMP with a KeyObject parsed once), parse the JSON, make one Redis script call
// with ioredis (claim the X-EXTERNAL-ID, return a stored view), and answer the same JSON as bare-app.js.
// No validation, access policy, rate limit, logging, metrics or security headers: the service minus this
// app's CPU per request is what our own code costs. FLOOR_PUBLIC_KEY (PEM), FLOOR_PREFIX (inside the bench's
// namespace, so it drops these keys too) and REDIS_URL come from the bench.
const crypto = require('node:crypto');
const http = require('node:http');
const Redis = require('ioredis');

const key = crypto.createPublicKey(process.env.FLOOR_PUBLIC_KEY);
const prefix = process.env.FLOOR_PREFIX;
const redis = new Redis(process.env.REDIS_URL, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
redis.defineCommand('claim', { numberOfKeys: 1, lua: "redis.call('SET', KEYS[1], ARGV[1], 'EX', 600) return ARGV[2]" });
const view = JSON.stringify({ virtualAccountName: 'Jokul Doe', totalAmount: { value: '150000.00', currency: 'IDR' }, status: 'open' });
const body = require('./inquiry-answer');

const refuse = (res, status) => { res.statusCode = status; res.end(); };

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const raw = Buffer.concat(chunks);
    const path = req.url;
    const sts = `POST:${path}:${crypto.createHash('sha256').update(raw).digest('hex')}:${req.headers['x-timestamp']}`;
    if (!crypto.verify('sha256', Buffer.from(sts), key, Buffer.from(String(req.headers['x-signature']), 'base64'))) return refuse(res, 401);
    const parsed = JSON.parse(raw.toString('utf8'));
    redis.claim(`${prefix}${req.headers['x-external-id']}`, parsed.customerNo ?? '', view).then(() => {
      res.setHeader('Content-Type', 'application/json');
      res.end(body);
    }, () => refuse(res, 500));
  });
});
server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
process.on('SIGTERM', () => { server.close(); redis.disconnect(); process.exit(0); });
