import { ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { Ingress, NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ConfigMap, Namespace, Secret, Service } from 'kubernetes-models/v1';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';

import { validateEnvironment } from '../../api/src/config/env.validation';
import { HealthController } from '../../api/src/health/health.controller';

/**
 * The Kubernetes manifests as an operator applies them: the example overlay rendered by kustomize
 * (`kubectl kustomize`, offline; KUBECTL names another binary), every object checked against the
 * Kubernetes schemas shipped in kubernetes-models (the ServiceMonitor against prometheus-operator's),
 * then what the schemas cannot know: that the Deployment fits this application.
 */
const ROOT = resolve(__dirname, '../..');
const OVERLAY = resolve(__dirname, 'overlays/example');

interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  [field: string]: any;
}

/** One model per kind the manifests use; a new kind must be added here to be validated. */
const MODELS: Record<string, new (data: any) => { validate(): void }> = {
  'v1/Namespace': Namespace,
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
  'networking.k8s.io/v1/Ingress': Ingress,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'monitoring.coreos.com/v1/ServiceMonitor': ServiceMonitor,
};

function render(): K8sObject[] {
  const kubectl = process.env.KUBECTL ?? 'kubectl';
  let output: string;
  try {
    output = execFileSync(kubectl, ['kustomize', OVERLAY], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (error) {
    throw new Error(
      `"${kubectl} kustomize" failed (kubectl missing? Debian: apt-get install kubernetes-client): ${(error as Error).message}`,
      { cause: error },
    );
  }
  const objects = parseAllDocuments(output).map((document) => document.toJS() as K8sObject);
  // kustomize folds long base64 values over lines; the API server's decoder skips the line breaks.
  for (const secret of objects.filter((o) => o.kind === 'Secret')) {
    for (const key of Object.keys(secret.data ?? {})) secret.data[key] = secret.data[key].replace(/\s/g, '');
  }
  return objects;
}

/** A constant of a source file the manifests must agree with, read as the code declares it. */
function constantIn(file: string, name: string): number {
  const match = new RegExp(`const ${name} = ([\\d_]+);`).exec(readFileSync(resolve(ROOT, file), 'utf8'));
  if (!match) throw new Error(`${name} not found in ${file}: check the manifests against its replacement`);
  return Number(match[1].replace(/_/g, ''));
}

/** The route of a controller method, with the global prefix set in app.setup.ts. */
function routeOf(method: keyof HealthController): string {
  const setup = readFileSync(resolve(ROOT, 'api/src/app.setup.ts'), 'utf8');
  const prefix = /setGlobalPrefix\('([^']+)'/.exec(setup)![1];
  const controllerPath = Reflect.getMetadata('path', HealthController) as string;
  const methodPath = Reflect.getMetadata('path', HealthController.prototype[method]) as string;
  return (
    '/' +
    [prefix, controllerPath, methodPath]
      .map((part) => part.replace(/^\/|\/$/g, ''))
      .filter(Boolean)
      .join('/')
  );
}

const matches = (selector: Record<string, string>, labels: Record<string, string> = {}) =>
  Object.entries(selector).every(([key, value]) => labels[key] === value);

describe('Kubernetes manifests (deploy/k8s, example overlay)', () => {
  const objects = render();
  const find = (kind: string, name = 'chat-api') => {
    const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
    if (!found) throw new Error(`no ${kind} ${name} in the rendered overlay`);
    return found;
  };
  const deployment = find('Deployment');
  const pod = deployment.spec.template;
  const container = pod.spec.containers[0];
  const portNamed = (name: string) => container.ports.find((port: any) => port.name === name);

  it('renders every kind the deployment needs', () => {
    expect(objects.map((o) => o.kind).sort()).toEqual(
      [
        'ConfigMap',
        'Deployment',
        'HorizontalPodAutoscaler',
        'Ingress',
        'Namespace',
        'NetworkPolicy',
        'NetworkPolicy',
        'PodDisruptionBudget',
        'Secret',
        'Service',
        'ServiceMonitor',
      ].sort(),
    );
    for (const object of objects)
      if (object.kind !== 'Namespace') expect(object.metadata.namespace).toBe('chat');
  });

  it.each(objects.map((o) => [`${o.kind} ${o.metadata.name}`, o] as const))(
    '%s is valid against its schema',
    (_name, object) => {
      const Model = MODELS[`${object.apiVersion}/${object.kind}`];
      expect(Model).toBeDefined();
      expect(() => new Model(object).validate()).not.toThrow();
    },
  );

  it('probes the routes the API serves: readiness on /api/health, liveness and start-up on /api/health/live', () => {
    expect(routeOf('readiness')).toBe('/api/health');
    expect(routeOf('liveness')).toBe('/api/health/live');
    expect(container.readinessProbe.httpGet).toEqual({ path: routeOf('readiness'), port: 'http' });
    expect(container.livenessProbe.httpGet).toEqual({ path: routeOf('liveness'), port: 'http' });
    expect(container.startupProbe.httpGet).toEqual({ path: routeOf('liveness'), port: 'http' });
    expect(String(portNamed('http').containerPort)).toBe(
      container.env.find((e: any) => e.name === 'PORT').value,
    );
  });

  it('gives the drain time to finish: grace period > preStop + the API shutdown limit', () => {
    const shutdownLimitS = constantIn('api/src/main.ts', 'SHUTDOWN_LIMIT_MS') / 1000;
    const drainGraceS = constantIn('api/src/realtime/drain.service.ts', 'IN_FLIGHT_GRACE_MS') / 1000;
    const [sleep, seconds] = container.lifecycle.preStop.exec.command;
    expect(sleep).toBe('sleep');
    expect(drainGraceS).toBeLessThan(shutdownLimitS);
    expect(pod.spec.terminationGracePeriodSeconds).toBeGreaterThan(Number(seconds) + shutdownLimitS);
  });

  it('starts with what the application requires: the configuration passes its own validation at boot', () => {
    const env: Record<string, string> = {};
    for (const source of container.envFrom) {
      if (source.configMapRef) Object.assign(env, find('ConfigMap', source.configMapRef.name).data);
      if (source.secretRef) {
        const { data } = find('Secret', source.secretRef.name);
        for (const [key, value] of Object.entries<string>(data))
          env[key] = Buffer.from(value, 'base64').toString('utf8');
      }
    }
    for (const variable of container.env) env[variable.name] = variable.value ?? 'chat-api-5d9c7-abcde';

    expect(() => validateEnvironment(env)).not.toThrow();
    // Several replicas need the shared services; without them each pod would run on its own.
    expect(env).toMatchObject({ NODE_ENV: 'production', HOST: '0.0.0.0' });
    expect(env.DATABASE_URL).toMatch(/^postgres:\/\//);
    expect(env.REDIS_URL).toMatch(/^rediss?:\/\//);
    expect(env.JWT_SECRET.length).toBeGreaterThanOrEqual(32);
    expect(String(portNamed('metrics').containerPort)).toBe(env.METRICS_PORT);
  });

  it('runs as non-root on a read-only root filesystem, writing only to emptyDir volumes', () => {
    expect(pod.spec.securityContext).toMatchObject({
      runAsNonRoot: true,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(pod.spec.securityContext.runAsUser).toBeGreaterThan(0);
    expect(container.securityContext).toMatchObject({
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
    });
    expect(container.volumeMounts.map((mount: any) => mount.mountPath)).toContain('/tmp');
    for (const mount of container.volumeMounts) {
      expect(pod.spec.volumes.find((volume: any) => volume.name === mount.name)).toHaveProperty('emptyDir');
    }
    expect(container.resources.requests).toEqual(
      expect.objectContaining({ cpu: expect.any(String), memory: expect.any(String) }),
    );
    expect(container.resources.limits.memory).toEqual(expect.any(String));
  });

  it('wires the objects together: Service, Ingress, autoscaler, disruption budget, policies, scraping', () => {
    const podLabels = pod.metadata.labels;
    const service = find('Service');
    expect(matches(service.spec.selector, podLabels)).toBe(true);
    for (const port of service.spec.ports) expect(portNamed(port.targetPort)).toBeDefined();

    const ingress = find('Ingress');
    const backend = ingress.spec.rules[0].http.paths[0].backend.service;
    expect(backend.name).toBe(service.metadata.name);
    expect(service.spec.ports.map((port: any) => port.name)).toContain(backend.port.name);
    const annotations = ingress.metadata.annotations!;
    expect(ingress.spec.ingressClassName).toBe('nginx');
    expect(annotations['nginx.ingress.kubernetes.io/affinity']).toBe('cookie');
    // Above Socket.IO's pingInterval + pingTimeout (25 s + 20 s), or idle WebSockets are cut.
    expect(Number(annotations['nginx.ingress.kubernetes.io/proxy-read-timeout'])).toBeGreaterThan(45);

    const hpa = find('HorizontalPodAutoscaler');
    expect(hpa.spec.scaleTargetRef).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: deployment.metadata.name,
    });
    expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(2);
    expect(matches(find('PodDisruptionBudget').spec.selector.matchLabels, podLabels)).toBe(true);

    const apiPolicy = find('NetworkPolicy');
    expect(matches(apiPolicy.spec.podSelector.matchLabels, podLabels)).toBe(true);
    expect(
      apiPolicy.spec.ingress.flatMap((rule: any) => rule.ports.map((port: any) => port.port)).sort(),
    ).toEqual(['http', 'metrics']);
    const datastores = find('NetworkPolicy', 'chat-datastores');
    expect(datastores.spec.ingress).toHaveLength(1);
    expect(matches(datastores.spec.ingress[0].from[0].podSelector.matchLabels, podLabels)).toBe(true);
    expect(datastores.spec.ingress[0].from).toHaveLength(1);

    const monitor = find('ServiceMonitor');
    expect(matches(monitor.spec.selector.matchLabels, service.metadata.labels)).toBe(true);
    expect(monitor.spec.endpoints.map((endpoint: any) => endpoint.port)).toEqual(['metrics']);
  });
});
