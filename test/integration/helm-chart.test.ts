import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { NetworkPolicy, Ingress } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ConfigMap, Service } from 'kubernetes-models/v1';
import { ServiceMetrics } from '../../src/metrics/service-metrics';
import { CHART, FULL_VALUES, helm, render, type K8sObject } from '../helpers/helm';

// Kubernetes 1.27 schemas (kubernetes-models); KEDA and Prometheus-operator CRDs are not in them.
const MODELS: Record<string, new (o: never) => { validate(): void }> = {
  Deployment, HorizontalPodAutoscaler, NetworkPolicy, Ingress, PodDisruptionBudget, ConfigMap, Service,
} as never;

jest.setTimeout(120_000);

type Container = { name: string; envFrom: Array<{ secretRef?: { name: string }; configMapRef?: { name: string } }>; env: Array<{ name: string; value: string }>; livenessProbe?: unknown; readinessProbe?: unknown; startupProbe?: unknown; securityContext: Record<string, unknown> };
const podSpec = (d: K8sObject) => (d.spec as { template: { spec: { containers: Container[]; securityContext: Record<string, unknown>; terminationGracePeriodSeconds: number } } }).template.spec;

/** helm template refuses these --set values (values.schema.json or a template's fail). */
const refused = (...set: string[]): boolean => helm(['template', 'rel', CHART, ...set.flatMap((x) => ['--set', x])]).code !== 0;

describe('Helm chart', () => {
  it('passes helm lint --strict with default and with full values', () => {
    for (const args of [[], ['-f', FULL_VALUES]]) {
      const r = helm(['lint', '--strict', CHART, ...args]);
      expect(r.out).toContain('0 chart(s) failed');
      expect(r.code).toBe(0);
    }
  });

  it('renders an api and a worker Deployment from one image, each with probes, non-root and a read-only root fs', () => {
    const objects = render();
    const deployments = objects.filter((o) => o.kind === 'Deployment');
    expect(deployments.map((d) => d.metadata.name).sort()).toEqual(['rel-snap-receiver-api', 'rel-snap-receiver-worker']);
    for (const d of deployments) {
      const spec = podSpec(d);
      const c = spec.containers[0]!;
      expect(c.livenessProbe).toBeDefined();
      expect(c.readinessProbe).toBeDefined();
      expect(c.startupProbe).toBeDefined();
      expect(spec.securityContext.runAsNonRoot).toBe(true);
      expect(c.securityContext).toMatchObject({ runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
      expect(spec.terminationGracePeriodSeconds).toBeGreaterThan(10); // longer than SHUTDOWN_GRACE_MS
      expect(c.envFrom).toContainEqual({ secretRef: { name: 'snap-receiver' } });
    }
    expect(podSpec(deployments.find((d) => d.metadata.name.endsWith('-api'))!).containers[0]!.env).toContainEqual({ name: 'ROLE', value: 'api' });
  });

  it('hands the service exactly one way to Redis, from redis.*', () => {
    const data = (objects: K8sObject[]): Record<string, string> => objects.find((o) => o.kind === 'ConfigMap')!.data!;
    const redisOf = (d: Record<string, string>) => Object.fromEntries(Object.entries(d).filter(([k]) => /^REDIS_(URL|CLUSTER|SENTINEL|TLS)/.test(k)));
    expect(redisOf(data(render()))).toEqual({ REDIS_URL: 'redis://redis:6379' });
    expect(redisOf(data(render([], [FULL_VALUES])))).toEqual({ REDIS_CLUSTER_NODES: 'redis-0.redis:6379,redis-1.redis:6379,redis-2.redis:6379', REDIS_TLS: 'true' });
    expect(redisOf(data(render(['redis.mode=sentinel', 'redis.sentinels=s0:26379\\,s1:26379', 'redis.sentinelName=mymaster']))))
      .toEqual({ REDIS_SENTINELS: 's0:26379,s1:26379', REDIS_SENTINEL_NAME: 'mymaster' });
  });

  it('never inlines a secret: no Secret object and no key or token in the ConfigMap', () => {
    const objects = render();
    expect(objects.filter((o) => o.kind === 'Secret')).toEqual([]);
    const cm = objects.find((o) => o.kind === 'ConfigMap')!;
    expect(Object.keys(cm.data!).filter((k) => /KEY|TOKEN|SECRET/.test(k) && k !== 'REDIS_KEY_PREFIX')).toEqual([]);
  });

  it('renders ingress, network policy, service monitor, HPA, KEDA and disruption budgets when asked', () => {
    const kinds = render(['ingress.enabled=true', 'ingress.tlsSecretName=tls', 'networkPolicy.enabled=true', 'serviceMonitor.enabled=true',
      'api.autoscaling.enabled=true', 'worker.keda.enabled=true']).map((o) => o.kind).sort();
    expect(kinds).toEqual(['ConfigMap', 'Deployment', 'Deployment', 'HorizontalPodAutoscaler', 'Ingress', 'NetworkPolicy', 'PodDisruptionBudget', 'PodDisruptionBudget', 'ScaledObject', 'Service', 'Service', 'ServiceMonitor']);
  });

  it('renders manifests that validate against the Kubernetes schemas, with default and full values', () => {
    const checked: string[] = [];
    for (const o of [...render(), ...render([], [FULL_VALUES]), ...render(['worker.keda.enabled=false'], [FULL_VALUES])]) {
      const Model = MODELS[o.kind];
      if (Model === undefined) continue;
      expect(() => new Model(o as never).validate()).not.toThrow();
      checked.push(o.kind);
    }
    expect(new Set(checked)).toEqual(new Set(Object.keys(MODELS)));
  });

  it('exposes only the two SNAP paths through the ingress', () => {
    const ingress = render(['ingress.enabled=true']).find((o) => o.kind === 'Ingress')!;
    const paths = (ingress.spec as { rules: Array<{ http: { paths: Array<{ path: string }> } }> }).rules[0]!.http.paths.map((p) => p.path);
    expect(paths).toEqual(['/v1.0/transfer-va/inquiry', '/v1.0/transfer-va/payment']);
  });

  it('mounts the partners file as a ConfigMap directory, sets PARTNERS_FILE, and opens the token endpoint only for token mode', () => {
    expect(render().filter((o) => o.metadata.name.endsWith('-partners'))).toEqual([]);
    const objects = render([], [FULL_VALUES]);
    const cm = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'rel-snap-receiver-partners')!;
    const { parse } = require('yaml') as typeof import('yaml');
    const file = parse(cm.data!['partners.yaml']!) as { partners: Array<{ name: string; auth: string }> };
    expect(file.partners.map((p) => [p.name, p.auth])).toEqual([['faspay', 'faspay-rsa'], ['other-pjp', 'snap-symmetric']]);
    const api = objects.find((o) => o.kind === 'Deployment' && o.metadata.name.endsWith('-api'))!;
    const spec = podSpec(api) as ReturnType<typeof podSpec> & { volumes: Array<{ name: string; configMap?: { name: string } }> };
    expect(spec.containers[0]!.env).toContainEqual({ name: 'PARTNERS_FILE', value: '/etc/snap-receiver/partners.yaml' });
    expect(spec.volumes).toContainEqual({ name: 'partners', configMap: { name: 'rel-snap-receiver-partners' } });
    const paths = (o: K8sObject[]) => (o.find((x) => x.kind === 'Ingress')!.spec as { rules: Array<{ http: { paths: Array<{ path: string }> } }> }).rules[0]!.http.paths.map((p) => p.path);
    expect(paths(objects)).toContain('/v1.0/access-token/b2b');
    expect(paths(render(['ingress.enabled=true']))).not.toContain('/v1.0/access-token/b2b');
    expect(helm(['template', 'rel', CHART, '--set', 'partners.partners[0].name=x', '--set', 'partners.partners[0].partnerId=1', '--set', 'partners.partners[0].auth=snap-symmetric',
      '--set', 'partners.partners[0].publicKeys[0].env=K', '--set', 'partners.partners[0].clientSecret.value=hunter2']).code).not.toBe(0);
  });

  it('mounts the merchant key Secret read-only and names it in MERCHANT_PRIVATE_KEY_FILE only when one is given', () => {
    const apiSpec = (objects: K8sObject[]) => podSpec(objects.find((o) => o.kind === 'Deployment' && o.metadata.name.endsWith('-worker'))!) as ReturnType<typeof podSpec> & {
      volumes: Array<{ name: string; secret?: { secretName: string } }>;
    };
    expect(apiSpec(render()).containers[0]!.env).not.toContainEqual(expect.objectContaining({ name: 'MERCHANT_PRIVATE_KEY_FILE' }));
    expect(apiSpec(render()).volumes.map((v) => v.name)).not.toContain('merchant-key');
    const spec = apiSpec(render(['merchantKey.secretName=snap-merchant-key']));
    expect(spec.containers[0]!.env).toContainEqual({ name: 'MERCHANT_PRIVATE_KEY_FILE', value: '/etc/snap-merchant-key/private.pem' });
    expect(spec.volumes).toContainEqual({ name: 'merchant-key', secret: { secretName: 'snap-merchant-key', defaultMode: 0o440 } });
    expect(helm(['template', 'rel', CHART, '--set', 'merchantKey.key=../etc/passwd']).code).not.toBe(0);
  });

  it('refuses bad values at install time through values.schema.json', () => {
    expect(helm(['template', 'rel', CHART, '--set', 'config.INTERNAL_API_TOKEN=abc']).out).toContain("'/config/INTERNAL_API_TOKEN': 'not' failed");
    expect(refused('config.REDIS_PASSWORD=hunter2')).toBe(true);
    expect(refused('redis.url=localhost')).toBe(true);
    expect(refused('config.REDIS_URL=redis://r:6379')).toBe(true); // redis.* is the one place
    expect(refused('terminationGracePeriodSeconds=5')).toBe(true);
    expect(refused('config.ENQUEUE_IN_SCRIPT=maybe')).toBe(true);
    expect(refused('config.ENQUEUE_IN_SCRIPT=off')).toBe(false);
    // a cluster needs its nodes and hash-tagged prefixes; a sentinel its primary's name
    expect(refused('redis.mode=cluster')).toBe(true);
    expect(refused('redis.mode=cluster', 'redis.clusterNodes=r0:6379')).toBe(false);
    expect(refused('redis.mode=cluster', 'redis.clusterNodes=r0')).toBe(true);
    expect(refused('redis.mode=cluster', 'redis.clusterNodes=r0:6379', 'config.QUEUE_PREFIX=snap')).toBe(true);
    expect(refused('redis.mode=sentinel', 'redis.sentinels=s0:26379')).toBe(true);
    expect(refused('redis.mode=sentinel', 'redis.sentinels=s0:26379', 'redis.sentinelName=mymaster')).toBe(false);
  });

  it("runs node with the V8 flags a role asks for (tini stays the entrypoint), and the image's own command otherwise", () => {
    const argsOf = (objects: K8sObject[], role: string) => (podSpec(objects.find((o) => o.kind === 'Deployment' && o.metadata.name.endsWith(`-${role}`))!).containers[0] as { args?: string[] }).args;
    const plain = render();
    expect(argsOf(plain, 'api')).toBeUndefined();
    expect(argsOf(plain, 'worker')).toBeUndefined();
    const tuned = render(['api.nodeArgs={--max-semi-space-size=8,--heap-growing-percent=50}']);
    expect(argsOf(tuned, 'api')).toEqual(['node', '--max-semi-space-size=8', '--heap-growing-percent=50', 'dist/main.js']);
    expect(argsOf(tuned, 'worker')).toBeUndefined();
    // a flag, not a shell word or a second program
    expect(refused('api.nodeArgs={--max-semi-space-size=8}')).toBe(false);
    expect(refused('api.nodeArgs={-e}')).toBe(true);
    expect(refused('api.nodeArgs={--eval=1;2}')).toBe(true);
  });

  it('points the KEDA trigger at the same Redis as the service, on the hash-tagged wait list', () => {
    type Trigger = { type: string; metadata: Record<string, string>; authenticationRef?: { name: string } };
    const trigger = (objects: K8sObject[]): Trigger => (objects.find((o) => o.kind === 'ScaledObject')!.spec as { triggers: Trigger[] }).triggers[0]!;
    expect(trigger(render(['worker.keda.enabled=true']))).toEqual({
      type: 'redis', metadata: { address: 'redis:6379', listName: '{snap}:snap-deliveries:wait', listLength: '500' },
    });
    expect(trigger(render([], [FULL_VALUES]))).toEqual({
      type: 'redis-cluster',
      metadata: { addresses: 'redis-0.redis:6379,redis-1.redis:6379,redis-2.redis:6379', listName: '{snap}:snap-deliveries:wait', listLength: '200' },
      authenticationRef: { name: 'snap-redis-auth' },
    });
    expect(trigger(render(['worker.keda.enabled=true', 'redis.mode=sentinel', 'redis.sentinels=s0:26379', 'redis.sentinelName=mymaster'])))
      .toMatchObject({ type: 'redis-sentinel', metadata: { addresses: 's0:26379', sentinelMaster: 'mymaster' } });
  });

  it('alerts only on metrics the service exports, and only when asked', async () => {
    expect(render().filter((o) => o.kind === 'PrometheusRule')).toEqual([]);
    const rule = render([], [FULL_VALUES]).find((o) => o.kind === 'PrometheusRule')!;
    const rules = (rule.spec as { groups: Array<{ rules: Array<{ alert: string; expr: string; labels: { severity: string } }> }> }).groups[0]!.rules;
    expect(rules.map((r) => r.alert)).toEqual(expect.arrayContaining(['SnapPaymentCallbacksFailing', 'SnapRedisErrors', 'SnapDeliveriesDeadLettered', 'SnapPaymentsFoundByReconciliation', 'SnapReconciliationFailing']));
    expect(rules.find((r) => r.alert === 'SnapDeliveryBacklog')!.expr).toContain('> 500'); // from the values
    const exported = await new ServiceMetrics(async () => ({})).registry.metrics();
    for (const name of new Set(rules.flatMap((r) => r.expr.match(/snap_[a-z_]+/g) ?? []))) {
      expect(exported).toContain(`# TYPE ${name.replace(/_(bucket|count|sum)$/, '')} `);
    }
    expect(rules.every((r) => ['page', 'warning'].includes(r.labels.severity))).toBe(true);
  });

  it('meets the restricted Pod Security Standard and keeps the service account token out of the pods', () => {
    for (const d of render().filter((o) => o.kind === 'Deployment')) {
      const spec = podSpec(d) as ReturnType<typeof podSpec> & { automountServiceAccountToken: boolean };
      expect(spec.automountServiceAccountToken).toBe(false);
      expect(spec.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
      expect(spec.containers[0]!.securityContext).toMatchObject({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    }
  });

  it('rolls the pods when a setting changes, and pins the image by digest when one is given', () => {
    const checksum = (set: string[]): string => {
      const d = render(set).find((o) => o.kind === 'Deployment')!;
      return (d.spec as { template: { metadata: { annotations: Record<string, string> } } }).template.metadata.annotations['checksum/config']!;
    };
    expect(checksum([])).toMatch(/^[0-9a-f]{64}$/);
    expect(checksum([])).toBe(checksum([]));
    expect(checksum(['config.LOG_LEVEL=debug'])).not.toBe(checksum([]));
    const digest = `sha256:${'ab'.repeat(32)}`;
    const images = render([`image.digest=${digest}`]).filter((o) => o.kind === 'Deployment').map((d) => (podSpec(d).containers[0] as unknown as { image: string }).image);
    expect(images).toEqual([`snap-receiver@${digest}`, `snap-receiver@${digest}`]);
    expect(helm(['template', 'rel', CHART, '--set', 'image.digest=latest']).code).not.toBe(0);
  });
});
