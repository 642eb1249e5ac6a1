import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { ensureBuilt, ROOT } from '../helpers/spawned-service';
import { REDIS_URL } from '../helpers/test-redis';

// In a process of its own: jest keeps its own module registry, so only Node's require.cache tells what was loaded.
const probe = `
const http = require('node:http');
const loaded = () => Object.keys(require.cache).some((k) => k.includes('@bull-board'));
require(${JSON.stringify(join(ROOT, 'dist', 'service.js'))});
const atBoot = loaded();
const express = require('express');
const { Queue } = require('bullmq');
const { queueBoard } = require(${JSON.stringify(join(ROOT, 'dist', 'http', 'queue-board.js'))});
const url = new URL(process.env.PROBE_REDIS_URL);
const queue = new Queue('board-probe', { connection: { host: url.hostname, port: Number(url.port || 6379), maxRetriesPerRequest: null } });
const app = express();
app.use('/q', queueBoard([queue], '/q'));
const server = app.listen(0, '127.0.0.1', () => {
  http.get({ host: '127.0.0.1', port: server.address().port, path: '/q' }, (res) => {
    let body = '';
    res.on('data', (d) => { body += d; });
    res.on('end', async () => {
      process.stdout.write(JSON.stringify({ atBoot, status: res.statusCode, page: body.includes('<html'), afterFirstRequest: loaded() }));
      server.close();
      await queue.close();
    });
  });
});
`;

describe('the queue UI (bull-board)', () => {
  beforeAll(() => ensureBuilt());

  it('is not loaded with the service, and is loaded and served on its first request', () => {
    const out = execFileSync(process.execPath, ['-e', probe], { cwd: ROOT, env: { ...process.env, PROBE_REDIS_URL: REDIS_URL }, timeout: 20_000 }).toString();
    expect(JSON.parse(out)).toEqual({ atBoot: false, status: 200, page: true, afterFirstRequest: true });
  });
});
