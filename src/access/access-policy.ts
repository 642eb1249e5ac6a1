import { anyContains, type Cidr } from './cidr';
import type { ClientAddress } from './client-address';
import { inHourRange, jakartaMinuteOfDay, type HourRange } from './hour-ranges';

export type ListMode = 'allow' | 'deny';

/** The three API-security list modes of seed 000, each a whitelist (allow) or a blacklist (deny). */
export interface AccessPolicy {
  readonly ipList?: { readonly mode: ListMode; readonly cidrs: readonly Cidr[] } | undefined;
  readonly hourList?: { readonly mode: ListMode; readonly hours: readonly HourRange[] } | undefined;
  readonly services?: { readonly mode: ListMode; readonly list: readonly string[] } | undefined;
}

export type AccessRule = 'ip-list' | 'hour-list' | 'service-list';

export type AccessDecision =
  | { readonly allowed: true }
  | { readonly allowed: false; readonly rule: AccessRule; readonly detail: string };

export interface AccessRequest {
  readonly client: ClientAddress;
  readonly nowMs: number;
  /** Service name as the partners file writes it: inquiry, payment, access-token, … */
  readonly service: string;
}

const ALLOWED: AccessDecision = Object.freeze({ allowed: true });

/**
 * Checks the lists in the order IP → hour → service. Pure and cheap: it runs before the
 * signature and before anything touches Redis. An absent list restricts nothing.
 */
export function checkAccess(policy: AccessPolicy, req: AccessRequest): AccessDecision {
  const { ipList, hourList, services } = policy;
  if (ipList !== undefined) {
    const ip = req.client.ip;
    if (ip === undefined) return { allowed: false, rule: 'ip-list', detail: 'client address unreadable' };
    const hit = anyContains(ipList.cidrs, ip);
    if (ipList.mode === 'allow' && hit === undefined) return { allowed: false, rule: 'ip-list', detail: `${ip.text} is in no allowed block` };
    if (ipList.mode === 'deny' && hit !== undefined) return { allowed: false, rule: 'ip-list', detail: `${ip.text} is in denied block ${hit.text}` };
  }
  if (hourList !== undefined) {
    const minute = jakartaMinuteOfDay(req.nowMs);
    const hit = hourList.hours.find((r) => inHourRange(r, minute));
    if (hourList.mode === 'allow' && hit === undefined) return { allowed: false, rule: 'hour-list', detail: 'outside the allowed hours (Asia/Jakarta)' };
    if (hourList.mode === 'deny' && hit !== undefined) return { allowed: false, rule: 'hour-list', detail: `inside denied hours ${hit.text} (Asia/Jakarta)` };
  }
  if (services !== undefined) {
    const listed = services.list.includes(req.service);
    if (services.mode === 'allow' && !listed) return { allowed: false, rule: 'service-list', detail: `${req.service} is not an allowed service` };
    if (services.mode === 'deny' && listed) return { allowed: false, rule: 'service-list', detail: `${req.service} is a denied service` };
  }
  return ALLOWED;
}
