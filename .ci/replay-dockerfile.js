#!/usr/bin/env node
// Replays the Dockerfile's build without a container engine: every stage gets its own
// directory standing in for its root filesystem; WORKDIR, ENV, COPY (from the build context
// minus .dockerignore, or --from an earlier stage) and RUN are carried out in order with the
// node/npm on PATH. RUN steps that install OS packages (apt-get) need the base image and are
// skipped, saying so. Then the final stage's CMD runs as an unprivileged user (nobody) over
// files it cannot write, in production mode against the local Redis: it must answer /readyz
// and exit 0 on SIGTERM. Usage: node .ci/replay-dockerfile.js [context-dir]
'use strict';
const { execFileSync, spawn } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const crypto = require('node:crypto');
const { DockerfileParser } = require('dockerfile-ast');

const context = path.resolve(process.argv[2] ?? path.join(__dirname, '..'));
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'dockerfile-replay-'));
fs.chmodSync(work, 0o755);
const log = (msg) => console.log(`replay: ${msg}`);

const ignored = fs.readFileSync(path.join(context, '.dockerignore'), 'utf8').split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'))
  .map((glob) => new RegExp(`^${glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')}(/|$)`));
const isIgnored = (rel) => ignored.some((re) => re.test(rel));

function copy(from, to, filter) {
  const target = fs.existsSync(to) && fs.statSync(to).isDirectory() ? path.join(to, path.basename(from)) : to;
  fs.cpSync(from, target, { recursive: true, filter });
}

const dockerfile = DockerfileParser.parse(fs.readFileSync(path.join(context, 'Dockerfile'), 'utf8'));
const stages = [];
let stage;
for (const ins of dockerfile.getInstructions()) {
  const kw = ins.getKeyword();
  const args = ins.getArguments().map((a) => a.getValue());
  if (kw === 'FROM') {
    const name = dockerfile.getFROMs()[stages.length].getBuildStage() ?? String(stages.length);
    stage = { name, root: path.join(work, name), cwd: '/', env: {}, user: 'root', cmd: [], entrypoint: [] };
    fs.mkdirSync(stage.root, { recursive: true });
    stages.push(stage);
    log(`stage ${name}`);
  } else if (stage === undefined) {
    continue; // ARG before the first FROM
  } else if (kw === 'WORKDIR') {
    stage.cwd = path.posix.resolve(stage.cwd, args[0]);
    fs.mkdirSync(path.join(stage.root, stage.cwd), { recursive: true });
  } else if (kw === 'ENV') {
    for (const p of ins.getProperties()) stage.env[p.getName()] = p.getValue();
  } else if (kw === 'COPY') {
    const fromFlag = ins.getFromFlag?.()?.getValue();
    const paths = args.filter((a) => !a.startsWith('--'));
    const dest = path.join(stage.root, path.posix.resolve(stage.cwd, paths.pop()));
    if (paths.length > 1 || dest.endsWith('/')) fs.mkdirSync(dest, { recursive: true });
    for (const src of paths) {
      if (fromFlag !== undefined) {
        const source = stages.find((s) => s.name === fromFlag);
        copy(path.join(source.root, src), dest);
      } else {
        copy(path.join(context, src), dest, (p) => !isIgnored(path.relative(context, p)));
      }
    }
    log(`  COPY ${fromFlag === undefined ? '' : `--from=${fromFlag} `}${paths.join(' ')}`);
  } else if (kw === 'RUN') {
    const command = ins.getArgumentsContent();
    if (/^apt-get\b/.test(command)) {
      log(`  RUN ${command.slice(0, 60)}... skipped (OS packages come with the base image)`);
      continue;
    }
    log(`  RUN ${command}`);
    execFileSync('sh', ['-c', command], { cwd: path.join(stage.root, stage.cwd), env: { ...process.env, ...stage.env }, stdio: ['ignore', 'inherit', 'inherit'] });
  } else if (kw === 'USER') {
    stage.user = args[0];
  } else if (kw === 'CMD' || kw === 'ENTRYPOINT') {
    stage[kw === 'CMD' ? 'cmd' : 'entrypoint'] = JSON.parse(ins.getArgumentsContent());
  }
}

const final = stages.at(-1);
if (final.user === 'root') throw new Error('the final stage runs as root');
const command = [...(fs.existsSync(final.entrypoint[0] ?? '') ? final.entrypoint : []), ...final.cmd];
const freePort = () => new Promise((resolve) => {
  const s = require('node:net').createServer().listen(0, '127.0.0.1', () => {
    const { port } = s.address();
    s.close(() => resolve(port));
  });
});

(async () => {
  const [port, adminPort] = [await freePort(), await freePort()];
  const { publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const varDir = fs.mkdtempSync(path.join(os.tmpdir(), 'replay-var-'));
  fs.chmodSync(varDir, 0o777);
  const env = {
    PATH: process.env.PATH, ...final.env, PORT: String(port), ADMIN_PORT: String(adminPort), ADMIN_HOST: '127.0.0.1', VAR_DIR: varDir,
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', REDIS_KEY_PREFIX: `{replay${process.pid}}:`, QUEUE_PREFIX: `{replayq${process.pid}}`,
    FASPAY_PUBLIC_KEY: publicKey.export({ type: 'spki', format: 'pem' }), INTERNAL_API_TOKEN: crypto.randomBytes(24).toString('hex'),
  };
  // as root, drop to nobody, who cannot write the stage's files (a read-only root filesystem)
  const asUser = process.getuid() === 0 ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', '--'] : [];
  const argv = [...asUser, ...command];
  log(`CMD ${command.join(' ')} (as ${asUser.length > 0 ? 'nobody' : os.userInfo().username}, NODE_ENV=${env.NODE_ENV}${env.NODE_OPTIONS ? `, NODE_OPTIONS=${env.NODE_OPTIONS}` : ''})`);
  const child = spawn(argv[0], argv.slice(1), { cwd: path.join(final.root, final.cwd), env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  const readyz = () => new Promise((resolve) => {
    http.get(`http://127.0.0.1:${adminPort}/readyz`, (r) => { r.resume(); resolve(r.statusCode); }).on('error', () => resolve(0));
  });
  let status = 0;
  for (let i = 0; i < 150 && status !== 200 && child.exitCode === null; i++) {
    status = await readyz();
    if (status !== 200) await new Promise((r) => setTimeout(r, 200));
  }
  const fail = (msg) => {
    console.error(output);
    console.error(`replay: ${msg}`);
    child.kill('SIGKILL');
    process.exit(1);
  };
  if (status !== 200) fail('/readyz never answered 200');
  log('/readyz 200');
  child.kill('SIGTERM');
  const code = await exited;
  if (code !== 0 || !output.includes('"message":"snap-receiver stopped"')) fail(`no clean stop after SIGTERM (exit code ${code})`);
  log('SIGTERM -> drained and exited 0');
  fs.rmSync(work, { recursive: true, force: true });
  fs.rmSync(varDir, { recursive: true, force: true });
  log('ok');
})();
