import type { ServiceName } from '../pipeline/service-name';

/**
 * Every key the receiver writes, under one prefix. The default prefix `{snap}:` is a
 * Redis Cluster hash tag, so the multi-key scripts below always stay in one slot.
 */
export class RedisKeys {
  constructor(readonly prefix: string) {}
  /** X-EXTERNAL-ID record: (service, partner, external id, Jakarta day), spec §2.3. */
  dedup(service: ServiceName, partnerId: string, externalId: string, day: string): string {
    return `${this.prefix}xid:${service}:${day}:${partnerId.length}:${partnerId}:${externalId}`;
  }
  bill(vaDigits: string): string {
    return `${this.prefix}bill:${vaDigits}`;
  }
  /** The most recent payments of a bill (capped list). */
  billPayments(vaDigits: string): string {
    return `${this.prefix}billpay:${vaDigits}`;
  }
  /** Replay record of a notification without X-EXTERNAL-ID, by the identity of what it notifies. */
  notificationDedup(service: ServiceName, eventId: string): string {
    return `${this.prefix}ntf:${service}:${eventId}`;
  }
  /** The event record of a notification (the outbox names it `@` + this key without the prefix). */
  notificationRecord(eventId: string): string {
    return `${this.prefix}evt:${eventId}`;
  }
  paymentRequest(paymentRequestId: string): string {
    return `${this.prefix}payreq:${paymentRequestId}`;
  }
  /** Rate-limit bucket of one partner at one client address. */
  rateLimit(partnerName: string, clientIp: string): string {
    return `${this.prefix}rl:${partnerName}:${clientIp}`;
  }
  /** A recurring card member as last set at Faspay. */
  member(memberId: string): string {
    return `${this.prefix}member:${memberId}`;
  }
  /** An Idempotency-Key of the internal recurring API. */
  idempotency(key: string): string {
    return `${this.prefix}idem:${key}`;
  }
  /** Bills to ask Faspay about (reconciliation): member = bill key, score = when it became due (ms). */
  recon(): string {
    return `${this.prefix}recon`;
  }
  /** One sweeper at a time across replicas. */
  reconLock(): string {
    return `${this.prefix}recon:lock`;
  }
  outbox(): string {
    return `${this.prefix}outbox`;
  }
}
