/** Where the service's Redis is: one server (URL), a Redis Cluster, or a Sentinel-watched primary. */
export type RedisTarget =
  | { readonly kind: 'standalone'; readonly url: string; readonly auth: RedisAuth }
  | { readonly kind: 'cluster'; readonly nodes: readonly HostPort[]; readonly auth: RedisAuth; readonly tls: boolean }
  | {
      readonly kind: 'sentinel';
      readonly sentinels: readonly HostPort[];
      readonly name: string;
      readonly sentinelPassword?: string | undefined;
      readonly auth: RedisAuth;
      readonly tls: boolean;
    };

export interface HostPort {
  readonly host: string;
  readonly port: number;
}

/** Credentials kept apart from REDIS_URL so a Secret can carry them while the URL sits in a ConfigMap. */
export interface RedisAuth {
  readonly username?: string | undefined;
  readonly password?: string | undefined;
}

/** For logs and error messages: never a password. */
export function describeRedisTarget(t: RedisTarget): string {
  const list = (hs: readonly HostPort[]): string => hs.map((h) => `${h.host}:${h.port}`).join(',');
  switch (t.kind) {
    case 'standalone':
      return t.url.replace(/\/\/[^@/]*@/, '//***@');
    case 'cluster':
      return `cluster ${list(t.nodes)}`;
    case 'sentinel':
      return `sentinel ${t.name} via ${list(t.sentinels)}`;
  }
}
