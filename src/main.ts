import { ConfigError, loadConfig } from './config/load-config';
import { loadConfiguredPublicKeys } from './config/load-public-keys';
import { loadFaspayCredentials } from './config/load-faspay-credentials';
import { loadSubscribers } from './config/load-subscribers';
import { ensureDevKeyPair, ensureDevMerchantKeyPair, ensureDevToken, ensureDevTokenSigningKey } from './dev/dev-keys';
import { loadMerchantKey } from './config/load-merchant-key';
import { redisAnswers, startPrivateRedis, type PrivateRedis } from './dev/private-redis';
import { createLogger } from './logging/create-logger';
import { EvictionPolicyError } from './redis/eviction-policy';
import { describeRedisTarget, type RedisTarget } from './redis/redis-target';
import { PartnersFileError } from './partners/load-partners';
import { envPartnerSource, filePartnerSource, type PartnerSource } from './partners/partner-source';
import { startService } from './service';
import { parsePublicKeys } from './snap/public-keys';

function fatal(message: string): never {
  process.stderr.write(`snap-receiver: ${message}\n`);
  process.exit(78); // EX_CONFIG
}

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (e) {
    if (e instanceof ConfigError) fatal(e.message);
    throw e;
  }
  const logger = createLogger(config.logLevel);

  let partners: PartnerSource;
  if (config.partnersFile !== undefined) {
    try {
      const devTokenKey = config.production ? undefined : () => {
        logger.warn('PARTNERS_FILE names no tokens.signingKeys: signing B2B tokens with a DEVELOPMENT key (never use in production)');
        return ensureDevTokenSigningKey(config.varDir);
      };
      partners = filePartnerSource(config, config.partnersFile, process.env, devTokenKey);
    } catch (e) {
      fatal(e instanceof PartnersFileError ? e.message : `PARTNERS_FILE=${config.partnersFile}: ${(e as Error).message}`);
    }
  } else {
    let publicKeys;
    try {
      publicKeys = loadConfiguredPublicKeys(config);
    } catch (e) {
      fatal(`cannot load the Faspay public key: ${(e as Error).message}`);
    }
    if (publicKeys === undefined) {
      const dev = ensureDevKeyPair(config.varDir);
      publicKeys = parsePublicKeys(dev.publicKeyPem);
      logger.warn('no FASPAY_PUBLIC_KEY configured: verifying with a DEVELOPMENT key pair (never use in production)', {
        privateKeyPath: dev.privateKeyPath, publicKeyPath: dev.publicKeyPath, created: dev.created,
      });
    }
    partners = envPartnerSource(config, publicKeys);
  }
  let internalApiToken = config.internalApiToken;
  if (internalApiToken === undefined) {
    const dev = ensureDevToken(config.varDir);
    internalApiToken = dev.token;
    logger.warn('no INTERNAL_API_TOKEN configured: using a development token', { tokenPath: dev.path });
  }

  let faspay;
  try {
    faspay = loadFaspayCredentials(config);
  } catch (e) {
    fatal((e as Error).message);
  }
  if (faspay.missing.length > 0) {
    logger.info('some Faspay card settings are missing: their routes answer "not configured"', { missing: faspay.missing });
  }

  let merchantKey;
  try {
    merchantKey = loadMerchantKey(config);
  } catch (e) {
    fatal((e as Error).message);
  }
  if (merchantKey === undefined && !config.production) {
    const dev = ensureDevMerchantKeyPair(config.varDir);
    merchantKey = loadMerchantKey(config, dev.privateKeyPath);
    logger.warn('no MERCHANT_PRIVATE_KEY_FILE: the merchant\'s calls to Faspay are signed with a DEVELOPMENT key pair; register its public key with Faspay for the sandbox', {
      privateKeyPath: dev.privateKeyPath, created: dev.created, publicKeyPem: dev.publicKeyPem,
    });
  }

  let subscribers;
  try {
    subscribers = loadSubscribers(config);
  } catch (e) {
    fatal((e as Error).message);
  }
  if (config.role !== 'api' && subscribers.length === 0) {
    logger.warn('no ORDER_WEBHOOK_URL or SUBSCRIBERS_FILE: payment events are queued and logged but delivered nowhere');
  }

  let redis: RedisTarget = config.redis;
  let privateRedis: PrivateRedis | undefined;
  if (redis.kind === 'standalone' && !(await redisAnswers(redis.url, 3_000))) {
    if (config.production || !config.redisDefaulted) fatal(`no Redis answers at ${describeRedisTarget(redis)}: start it or fix REDIS_URL`);
    try {
      privateRedis = await startPrivateRedis(config.varDir, logger);
    } catch (e) {
      fatal((e as Error).message);
    }
    redis = { kind: 'standalone', url: privateRedis.url, auth: {} };
  }

  let service;
  try {
    service = await startService({ config, redis, partners, internalApiToken, logger, subscribers, faspay, merchantKey });
  } catch (e) {
    if (e instanceof EvictionPolicyError) fatal(e.message);
    if (e instanceof Error && /^Redis not ready/.test(e.message)) fatal(`${e.message} at ${describeRedisTarget(redis)}: check the REDIS_* settings`);
    throw e;
  }
  let signals = 0;
  const shutdown = (signal: string): void => {
    if (++signals > 1) return;
    logger.info('shutting down', { signal });
    void service.stop()
      .then(() => privateRedis?.stop())
      .then(() => process.exit(0), (err: Error) => {
        logger.error('shutdown failed', { error: err.message });
        process.exit(1);
      });
  };
  process.on('SIGHUP', () => service.reloadPartners('sighup'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err: Error) => fatal(err.stack ?? err.message));
