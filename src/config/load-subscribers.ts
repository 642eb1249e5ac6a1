import { readFileSync } from 'node:fs';
import { decodeWebhookSecret } from '../delivery/webhook-signature';
import type { Config } from './load-config';

export interface WebhookSubscriber {
  readonly kind: 'webhook';
  readonly name: string;
  readonly url: URL;
  /** Decoded secrets; every delivery carries one signature per secret (rotation). */
  readonly keys: readonly Buffer[];
  readonly timeoutMs: number;
}

export interface QueueSubscriber {
  readonly kind: 'queue';
  readonly name: string;
  /** BullMQ queue (same prefix) that receives a copy of every event for an internal consumer. */
  readonly queue: string;
}

export type Subscriber = WebhookSubscriber | QueueSubscriber;

const NAME = /^[a-z0-9][a-z0-9-]{0,39}$/;

function parseEntry(entry: unknown, index: number, defaultTimeoutMs: number): Subscriber {
  const where = `subscriber #${index + 1}`;
  if (typeof entry !== 'object' || entry === null) throw new Error(`${where} must be an object`);
  const e = entry as Record<string, unknown>;
  if (typeof e.name !== 'string' || !NAME.test(e.name)) throw new Error(`${where}: "name" must be 1-40 lowercase letters, digits or dashes`);
  if (typeof e.queue === 'string') {
    if (!/^[A-Za-z0-9._-]{1,80}$/.test(e.queue)) throw new Error(`${where} (${e.name}): "queue" must be a BullMQ queue name without ':'`);
    return { kind: 'queue', name: e.name, queue: e.queue };
  }
  if (typeof e.url !== 'string' || !/^https?:\/\//.test(e.url)) throw new Error(`${where} (${e.name}): "url" must be an http(s) URL, or give "queue"`);
  const secrets = Array.isArray(e.secrets) ? e.secrets : typeof e.secret === 'string' ? [e.secret] : [];
  if (secrets.length === 0 || !secrets.every((x): x is string => typeof x === 'string')) {
    throw new Error(`${where} (${e.name}): give "secrets": ["whsec_..."]`);
  }
  const timeoutMs = e.timeoutMs === undefined ? defaultTimeoutMs : Number(e.timeoutMs);
  if (!Number.isInteger(timeoutMs) || timeoutMs < 100) throw new Error(`${where} (${e.name}): "timeoutMs" must be a whole number ≥ 100`);
  try {
    return { kind: 'webhook', name: e.name, url: new URL(e.url), keys: secrets.map(decodeWebhookSecret), timeoutMs };
  } catch (err) {
    throw new Error(`${where} (${e.name}): ${(err as Error).message}`);
  }
}

/**
 * Subscribers that receive every payment event: ORDER_WEBHOOK_URL/SECRET (named
 * `order-system`) plus the entries of SUBSCRIBERS_FILE (a JSON array).
 */
export function loadSubscribers(config: Config): Subscriber[] {
  const entries: unknown[] = [];
  if (config.orderWebhookUrl !== undefined) {
    entries.push({ name: 'order-system', url: config.orderWebhookUrl, secrets: config.orderWebhookSecret!.split(/[\s,]+/).filter(Boolean) });
  }
  if (config.subscribersFile !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(config.subscribersFile, 'utf8'));
    } catch (e) {
      throw new Error(`SUBSCRIBERS_FILE=${config.subscribersFile}: ${(e as Error).message}`);
    }
    if (!Array.isArray(parsed)) throw new Error(`SUBSCRIBERS_FILE=${config.subscribersFile} must hold a JSON array`);
    entries.push(...parsed);
  }
  const subs = entries.map((e, i) => parseEntry(e, i, config.deliveryTimeoutMs));
  const names = new Set<string>();
  for (const s of subs) {
    if (names.has(s.name)) throw new Error(`subscriber name "${s.name}" is used twice`);
    names.add(s.name);
  }
  return subs;
}
