import { isIPv4, isIPv6 } from 'node:net';

/** An IP address as a number: IPv4 in 32 bits, IPv6 in 128. IPv4-mapped IPv6 is stored as IPv4. */
export interface IpAddress {
  readonly family: 4 | 6;
  readonly value: bigint;
  /** Canonical text for logs and rate-limit keys (`10.0.0.1`, `2001:db8::1`). */
  readonly text: string;
}

/** The ::ffff:0:0/96 prefix of IPv4-mapped IPv6 addresses. */
export const MAPPED_PREFIX = 0xffffn << 32n;

function ipv4Value(text: string): bigint {
  return text.split('.').reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n);
}

function ipv6Value(text: string): bigint {
  let groups = text;
  const lastColon = groups.lastIndexOf(':');
  const tail = groups.slice(lastColon + 1);
  if (tail.includes('.')) {
    // embedded IPv4, e.g. ::ffff:10.0.0.1
    const v4 = ipv4Value(tail);
    groups = `${groups.slice(0, lastColon + 1)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const [head, rest] = groups.split('::') as [string, string | undefined];
  const left = head === '' ? [] : head.split(':');
  const right = rest === undefined || rest === '' ? [] : rest.split(':');
  const zeros = rest === undefined ? [] : new Array<string>(8 - left.length - right.length).fill('0');
  return [...left, ...zeros, ...right].reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
}

function formatIpv4(value: bigint): string {
  return [24n, 16n, 8n, 0n].map((s) => String((value >> s) & 0xffn)).join('.');
}

function formatIpv6(value: bigint): string {
  const groups = [];
  for (let s = 112n; s >= 0n; s -= 16n) groups.push(((value >> s) & 0xffffn).toString(16));
  // RFC 5952: the longest run of two or more zero groups becomes '::'
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j === i ? i + 1 : j;
  }
  if (best < 0) return groups.join(':');
  return `${groups.slice(0, best).join(':')}::${groups.slice(best + bestLen).join(':')}`;
}

/**
 * Parses an IPv4 or IPv6 address (a zone such as `%eth0` is dropped). IPv4-mapped IPv6
 * (`::ffff:127.0.0.1`, what a dual-stack socket reports for an IPv4 peer) becomes IPv4, so
 * one IPv4 rule covers both spellings.
 */
export function parseIp(input: string): IpAddress | undefined {
  const text = input.trim().replace(/%[0-9A-Za-z._~-]+$/, '');
  if (isIPv4(text)) {
    const value = ipv4Value(text);
    return { family: 4, value, text: formatIpv4(value) };
  }
  if (!isIPv6(text)) return undefined;
  const value = ipv6Value(text);
  if (value >> 32n === 0xffffn) {
    const v4 = value & 0xffffffffn;
    return { family: 4, value: v4, text: formatIpv4(v4) };
  }
  return { family: 6, value, text: formatIpv6(value) };
}

/** An address as written in X-Forwarded-For: bare, `[v6]:port` or `v4:port` (some proxies add ports). */
export function parseForwardedHop(hop: string): IpAddress | undefined {
  const text = hop.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(text);
  if (bracketed !== null) return parseIp(bracketed[1]!);
  const v4WithPort = /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(text);
  if (v4WithPort !== null) return parseIp(v4WithPort[1]!);
  return parseIp(text);
}

