import type { SnapService } from '../snap/response-codes';

/**
 * Every key the receiver writes, under one prefix. The default prefix `{snap}:` is a
 * Redis Cluster hash tag, so the multi-key scripts below always stay in one slot.
 */
export class RedisKeys {
  constructor(readonly prefix: string) {}
  /** X-EXTERNAL-ID record: (service, partner, external id, Jakarta day), spec §2.3. */
  dedup(service: SnapService, partnerId: string, externalId: string, day: string): string {
    return `${this.prefix}xid:${service}:${day}:${partnerId.length}:${partnerId}:${externalId}`;
  }
  bill(vaDigits: string): string {
    return `${this.prefix}bill:${vaDigits}`;
  }
  /** The most recent payments of a bill (capped list). */
  billPayments(vaDigits: string): string {
    return `${this.prefix}billpay:${vaDigits}`;
  }
  paymentRequest(paymentRequestId: string): string {
    return `${this.prefix}payreq:${paymentRequestId}`;
  }
  /** Rate-limit bucket of one partner at one client address. */
  rateLimit(partnerName: string, clientIp: string): string {
    return `${this.prefix}rl:${partnerName}:${clientIp}`;
  }
  outbox(): string {
    return `${this.prefix}outbox`;
  }
}
