import { createHmac } from 'node:crypto';

export class WebhookSecretError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebhookSecretError';
  }
}

/** A Standard Webhooks secret: `whsec_` + base64 of 24 to 64 random bytes. */
export function decodeWebhookSecret(secret: string): Buffer {
  const m = /^whsec_([A-Za-z0-9+/]+={0,2})$/.exec(secret.trim());
  if (m === null) throw new WebhookSecretError('a webhook secret must look like whsec_<base64> (generate one with `echo whsec_$(openssl rand -base64 32)`)');
  const key = Buffer.from(m[1]!, 'base64');
  if (key.length < 24 || key.length > 64) throw new WebhookSecretError('a webhook secret must hold 24 to 64 bytes');
  return key;
}

/**
 * `webhook-signature` header of the Standard Webhooks spec: `v1,<base64 HMAC-SHA256>` over
 * `id.timestamp.body`, one per secret, space-separated, so a receiver can rotate secrets.
 */
export function webhookSignature(keys: readonly Buffer[], id: string, timestampSeconds: number, body: string): string {
  const content = `${id}.${timestampSeconds}.${body}`;
  return keys.map((k) => `v1,${createHmac('sha256', k).update(content, 'utf8').digest('base64')}`).join(' ');
}
