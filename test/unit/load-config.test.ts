import { ConfigError, loadConfig } from '../../src/config/load-config';
import { describeRedisTarget } from '../../src/redis/redis-target';

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
      redis: { kind: 'standalone', url: 'redis://127.0.0.1:6379' }, redisDefaulted: true, keyPrefix: '{snap}:', queuePrefix: '{snap}',
      maxClockSkewSeconds: 300, repadCandidate: true, dedupTtlSeconds: 172_800, faspayPartnerIds: [],
    });
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('reads every kind of value', () => {
    const c = loadConfig({
      ROLE: 'worker', PORT: '8081', BASE_PATH: '/snap/', SNAP_MAX_CLOCK_SKEW_SECONDS: 'off', SNAP_REPAD_CANDIDATE: 'false',
      FASPAY_PARTNER_ID: '82150, 99999', REDIS_URL: 'rediss://r:6380', TRUST_PROXY: 'yes',
    });
    expect(c).toMatchObject({ role: 'worker', port: 8081, basePath: '/snap', maxClockSkewSeconds: 'off', repadCandidate: false, faspayPartnerIds: ['82150', '99999'], redisDefaulted: false, deprecations: [expect.stringContaining('TRUST_PROXY is ignored')] });
  });

  it('queues events inside the ledger script unless told not to, and names a bad ENQUEUE_IN_SCRIPT', () => {
    expect(loadConfig({}).enqueueInScript).toBe('auto');
    expect(loadConfig({ ENQUEUE_IN_SCRIPT: 'off' }).enqueueInScript).toBe('off');
    expect(problems({ ENQUEUE_IN_SCRIPT: 'on' })).toEqual(['ENQUEUE_IN_SCRIPT=on must be one of: auto, off']);
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
      'FASPAY_PUBLIC_KEY or FASPAY_PUBLIC_KEY_FILE is required in production (the RSA public key Faspay gave you; or list partners in PARTNERS_FILE)',
      'INTERNAL_API_TOKEN is required in production (it guards the bill API on ADMIN_PORT)',
    ]);
  });

  it('refuses both key settings at once', () => {
    expect(problems({ FASPAY_PUBLIC_KEY: 'a', FASPAY_PUBLIC_KEY_FILE: 'b' })).toEqual(['set FASPAY_PUBLIC_KEY or FASPAY_PUBLIC_KEY_FILE, not both']);
  });

  describe('Redis Cluster and Sentinel', () => {
    it('reads cluster nodes (IPv4, names, [IPv6]) with credentials kept apart from the URL', () => {
      const c = loadConfig({ REDIS_CLUSTER_NODES: '10.0.0.1:7001, redis-1.redis:7002,[::1]:7003', REDIS_USERNAME: 'snap', REDIS_PASSWORD: 's3cret', REDIS_TLS: 'true' });
      expect(c.redis).toEqual({
        kind: 'cluster', tls: true, auth: { username: 'snap', password: 's3cret' },
        nodes: [{ host: '10.0.0.1', port: 7001 }, { host: 'redis-1.redis', port: 7002 }, { host: '::1', port: 7003 }],
      });
      expect(c.redisDefaulted).toBe(false);
    });

    it('refuses cluster mode when a prefix has no hash tag, naming the prefix', () => {
      expect(problems({ REDIS_CLUSTER_NODES: '127.0.0.1:7001', QUEUE_PREFIX: 'snap', REDIS_KEY_PREFIX: 'snap:' })).toEqual([
        'REDIS_KEY_PREFIX=snap: needs a hash tag such as {snap} on a Redis Cluster (keys must share one slot)',
        'QUEUE_PREFIX=snap needs a hash tag such as {snap} on a Redis Cluster (keys must share one slot)',
      ]);
      expect(problems({ REDIS_CLUSTER_NODES: '127.0.0.1:7001', QUEUE_PREFIX: 'x{q1}', REDIS_KEY_PREFIX: '{k}:' })).toEqual([]);
      expect(problems({ REDIS_CLUSTER_NODES: '127.0.0.1:7001', QUEUE_PREFIX: '{}' })).toHaveLength(1);
    });

    it('refuses malformed node lists and ports out of range', () => {
      expect(problems({ REDIS_CLUSTER_NODES: '127.0.0.1, h:0, h:65536, h:65535' })).toEqual([
        'REDIS_CLUSTER_NODES: 127.0.0.1 must be host:port',
        'REDIS_CLUSTER_NODES: h:0 must be host:port',
        'REDIS_CLUSTER_NODES: h:65536 must be host:port',
      ]);
      expect(problems({ REDIS_CLUSTER_NODES: ' , ' })).toEqual(['REDIS_CLUSTER_NODES must list at least one host:port']);
    });

    it('reads sentinels and requires the monitored primary name', () => {
      const c = loadConfig({ REDIS_SENTINELS: 's1:26379,s2:26379', REDIS_SENTINEL_NAME: 'mymaster', REDIS_SENTINEL_PASSWORD: 'p', REDIS_PASSWORD: 'q' });
      expect(c.redis).toEqual({
        kind: 'sentinel', name: 'mymaster', sentinelPassword: 'p', tls: false, auth: { username: undefined, password: 'q' },
        sentinels: [{ host: 's1', port: 26379 }, { host: 's2', port: 26379 }],
      });
      expect(problems({ REDIS_SENTINELS: 's1:26379' })).toEqual(["REDIS_SENTINELS needs REDIS_SENTINEL_NAME (the monitored primary's name, e.g. mymaster)"]);
    });

    it('waits for one replica by default under Sentinel, and for none with one Redis or a cluster, unless told', () => {
      const sentinel = { REDIS_SENTINELS: 's1:26379', REDIS_SENTINEL_NAME: 'mymaster' };
      expect(loadConfig(sentinel).waitReplicas).toBe(1);
      expect(loadConfig({ ...sentinel, REDIS_WAIT_REPLICAS: '0' }).waitReplicas).toBe(0);
      expect(loadConfig({ ...sentinel, REDIS_WAIT_REPLICAS: '2' }).waitReplicas).toBe(2);
      expect(loadConfig({ REDIS_URL: 'redis://r:6379' }).waitReplicas).toBe(0);
      expect(loadConfig({ REDIS_CLUSTER_NODES: 'a:7001' }).waitReplicas).toBe(0);
      expect(loadConfig({ REDIS_URL: 'redis://r:6379', REDIS_WAIT_REPLICAS: '1' }).waitReplicas).toBe(1);
    });

    it('accepts one way to reach Redis, not two', () => {
      expect(problems({ REDIS_URL: 'redis://r:6379', REDIS_CLUSTER_NODES: 'a:1', REDIS_SENTINELS: 'b:2', REDIS_SENTINEL_NAME: 'm' }))
        .toContain('set only one of REDIS_URL, REDIS_CLUSTER_NODES, REDIS_SENTINELS (one way to reach Redis)');
    });

    it('names the Redis in messages without its password', () => {
      expect(describeRedisTarget(loadConfig({ REDIS_URL: 'rediss://snap:s3cret@r.example:6380/0' }).redis)).toBe('rediss://***@r.example:6380/0');
      expect(describeRedisTarget(loadConfig({ REDIS_CLUSTER_NODES: 'a:7001,b:7002', REDIS_PASSWORD: 's3cret' }).redis)).toBe('cluster a:7001,b:7002');
      expect(describeRedisTarget(loadConfig({ REDIS_SENTINELS: 's:26379', REDIS_SENTINEL_NAME: 'mymaster', REDIS_SENTINEL_PASSWORD: 'x' }).redis)).toBe('sentinel mymaster via s:26379');
    });

    it('asks for rediss:// rather than REDIS_TLS with a plain URL', () => {
      expect(problems({ REDIS_URL: 'redis://r:6379', REDIS_TLS: 'on' })).toEqual(['REDIS_TLS=true with REDIS_URL: use a rediss:// URL instead']);
      expect(problems({ REDIS_URL: 'rediss://r:6379', REDIS_TLS: 'on' })).toEqual([]);
    });
  });
});
