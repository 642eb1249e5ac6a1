import { anyContains, type Cidr } from './cidr';
import { parseForwardedHop, parseIp, type IpAddress } from './ip-address';

// Peers repeat (Faspay's few addresses, the ingress' pods): parse each once. Bounded, so a
// flood of distinct addresses costs a cleared map, never memory.
const PEER_CACHE_MAX = 1024;
const peers = new Map<string, IpAddress | undefined>();

function parsePeer(peer: string): IpAddress | undefined {
  if (peers.has(peer)) return peers.get(peer);
  const ip = parseIp(peer);
  if (peers.size >= PEER_CACHE_MAX) peers.clear();
  peers.set(peer, ip);
  return ip;
}

export interface ClientAddress {
  /** undefined when the peer or the hop that names the client is not an address: no IP rule can allow it. */
  readonly ip: IpAddress | undefined;
  /** Where the address came from, for logs. */
  readonly source: 'peer' | 'forwarded';
}

/**
 * The caller's address: the socket peer, unless the peer is a trusted proxy; then the
 * right-most X-Forwarded-For hop that is not itself a trusted proxy. Hops left of it are
 * whatever the client wrote and are never believed, so spoofing X-Forwarded-For from an
 * untrusted peer (or through the proxy) changes nothing.
 */
export function clientAddress(peer: string | undefined, forwardedFor: string | undefined, trusted: readonly Cidr[]): ClientAddress {
  const peerIp = peer === undefined ? undefined : parsePeer(peer);
  if (peerIp === undefined || anyContains(trusted, peerIp) === undefined || forwardedFor === undefined) {
    return { ip: peerIp, source: 'peer' };
  }
  const hops = forwardedFor.split(',').map((h) => h.trim()).filter((h) => h !== '');
  let last: IpAddress = peerIp;
  for (let i = hops.length - 1; i >= 0; i--) {
    const ip = parseForwardedHop(hops[i]!);
    if (ip === undefined) return { ip: undefined, source: 'forwarded' };
    if (anyContains(trusted, ip) === undefined) return { ip, source: 'forwarded' };
    last = ip;
  }
  // every hop is a trusted proxy: the left-most one is as close to the client as we can know
  return { ip: last, source: hops.length === 0 ? 'peer' : 'forwarded' };
}
