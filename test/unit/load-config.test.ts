import { ConfigError, loadConfig } from '../../src/config/load-config';

const problems = (env: Record<string, string>): string[] => {
  try {
    loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) return [...e.problems];
    throw e;
  }
  return [];
};

describe('loadConfig', () => {
  it('runs on embedded defaults with nothing set', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      production: false, role: 'all', port: 8080, adminPort: 9090, adminHost: '127.0.0.1', basePath: '',
      redisUrl: 'redis://127.0.0.1:6379', redisUrlDefaulted: true, keyPrefix: '{snap}:', queuePrefix: 'snap',
      maxClockSkewSeconds: 300, repadCandidate: true, dedupTtlSeconds: 172_800, faspayPartnerIds: [],
    });
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('reads every kind of value', () => {
    const c = loadConfig({
      ROLE: 'worker', PORT: '8081', BASE_PATH: '/snap/', SNAP_MAX_CLOCK_SKEW_SECONDS: 'off', SNAP_REPAD_CANDIDATE: 'false',
      FASPAY_PARTNER_ID: '82150, 99999', REDIS_URL: 'rediss://r:6380', TRUST_PROXY: 'yes',
    });
    expect(c).toMatchObject({ role: 'worker', port: 8081, basePath: '/snap', maxClockSkewSeconds: 'off', repadCandidate: false, faspayPartnerIds: ['82150', '99999'], redisUrlDefaulted: false, trustProxy: true });
  });

  it('collects every problem and says how to fix each', () => {
    const p = problems({ ROLE: 'both', PORT: 'http', SNAP_REPAD_CANDIDATE: 'maybe', QUEUE_PREFIX: 'a:b', REDIS_URL: 'localhost', BASE_PATH: 'snap', SNAP_DEDUP_TTL_SECONDS: '3600', INTERNAL_API_TOKEN: 'short', LOG_LEVEL: 'loud' });
    expect(p).toEqual(expect.arrayContaining([
      'ROLE=both must be one of: api, worker, all',
      'PORT=http must be a whole number from 0 to 65535',
      'SNAP_REPAD_CANDIDATE=maybe must be true or false',
      "QUEUE_PREFIX=a:b must not contain ':' (BullMQ adds its own separators)",
      'REDIS_URL must start with redis://, rediss:// or unix://',
      'BASE_PATH=snap must start with / and hold only path characters',
      'SNAP_DEDUP_TTL_SECONDS=3600 must be a whole number from 172800 to 2592000',
      'INTERNAL_API_TOKEN must be at least 32 characters (e.g. `openssl rand -hex 32`)',
      'LOG_LEVEL=loud must be one of: error, warn, info, debug',
    ]));
    expect(p).toHaveLength(9);
  });

  it('requires the Faspay key and the internal token in production', () => {
    expect(problems({ NODE_ENV: 'production' })).toEqual([
      'FASPAY_PUBLIC_KEY or FASPAY_PUBLIC_KEY_FILE is required in production (the RSA public key Faspay gave you)',
      'INTERNAL_API_TOKEN is required in production (it guards the bill API on ADMIN_PORT)',
    ]);
  });

  it('refuses both key settings at once', () => {
    expect(problems({ FASPAY_PUBLIC_KEY: 'a', FASPAY_PUBLIC_KEY_FILE: 'b' })).toEqual(['set FASPAY_PUBLIC_KEY or FASPAY_PUBLIC_KEY_FILE, not both']);
  });
});
