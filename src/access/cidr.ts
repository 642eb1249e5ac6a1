import { MAPPED_PREFIX, parseIp, type IpAddress } from './ip-address';

/** An address block: `149.129.213.81/32`, `10.0.0.0/8`, `2001:db8::/32`. */
export interface Cidr {
  readonly family: 4 | 6;
  readonly base: bigint;
  readonly bits: number;
  /** As configured, for logs. */
  readonly text: string;
}

/**
 * Parses a CIDR block; a bare address is a single-host block. The address must be the
 * block's first one (`10.0.0.1/8` is refused: it usually means a typo in the prefix).
 */
export function parseCidr(input: string): Cidr | undefined {
  const text = input.trim();
  const slash = text.indexOf('/');
  const addrText = slash < 0 ? text : text.slice(0, slash);
  const bitsText = slash < 0 ? undefined : text.slice(slash + 1);
  if (/%/.test(addrText)) return undefined;
  const addr = parseIp(addrText);
  if (addr === undefined) return undefined;
  const writtenAsV6 = addrText.includes(':');
  const max = writtenAsV6 ? 128 : 32;
  if (bitsText !== undefined && !/^\d{1,3}$/.test(bitsText)) return undefined;
  let bits = bitsText === undefined ? max : Number(bitsText);
  if (bits > max) return undefined;
  if (writtenAsV6 && addr.family === 4) {
    // ::ffff:10.0.0.0/104 is the IPv4 block 10.0.0.0/8; a shorter prefix would cut into ffff
    if (bits < 96) return undefined;
    bits -= 96;
  }
  const width = addr.family === 4 ? 32 : 128;
  const hostMask = (1n << BigInt(width - bits)) - 1n;
  if ((addr.value & hostMask) !== 0n) return undefined;
  return { family: addr.family, base: addr.value, bits, text };
}

export function cidrContains(block: Cidr, ip: IpAddress): boolean {
  const width = block.family === 4 ? 32 : 128;
  let value = ip.value;
  let family = ip.family;
  if (block.family === 6 && ip.family === 4) {
    value = MAPPED_PREFIX | ip.value;
    family = 6;
  }
  if (family !== block.family) return false;
  const shift = BigInt(width - block.bits);
  return value >> shift === block.base >> shift;
}

export function anyContains(blocks: readonly Cidr[], ip: IpAddress): Cidr | undefined {
  return blocks.find((b) => cidrContains(b, ip));
}
