/**
 * `npm run manifests`: writes deploy/kubernetes/base/services.yaml, the Kubernetes resources
 * of every service of services/catalog.ts (Deployment, Service, PodDisruptionBudget, a
 * HorizontalPodAutoscaler for the stateless APIs) and the provisioning Job, so the catalog and
 * each service's own port stay the one source. tools/kubernetes-manifests.unit.test.ts fails
 * when the committed file is stale, and validates every document against Kubernetes' schemas.
 */
import fs from 'node:fs';
import path from 'node:path';
import { version } from '../package.json';
import { serviceNamed, serviceNames, type ServiceName } from '../services/catalog';
import { yamlStream } from '../services/cli/yaml-stream';

const root = path.join(__dirname, '..');
export const servicesManifestFile = path.join(root, 'deploy', 'kubernetes', 'base', 'services.yaml');

/** The image every service runs (overlays point it at a registry with kustomize's `images`). */
const image = `deedstream:${version}`;
/** The services that hold no partition of their own state: more replicas serve more requests. */
const autoscaled: readonly ServiceName[] = ['property', 'search'];
/** The pod ends SHUTDOWN_TIMEOUT_MS (10 s) after SIGTERM; Kubernetes waits a little longer before SIGKILL. */
const terminationGraceSeconds = 20;

const labelsOf = (component: string) => ({
  'app.kubernetes.io/name': 'deedstream',
  'app.kubernetes.io/component': component,
  'app.kubernetes.io/version': version,
});
const selectorOf = (component: string) => ({
  'app.kubernetes.io/name': 'deedstream',
  'app.kubernetes.io/component': component,
});
/** The Service's name, which the console reaches each one by (CONSOLE_UPSTREAM_HOST=deedstream-{service}). */
export const serviceHostOf = (service: string) => `deedstream-${service}`;

/** A key of the deedstream-secrets Secret (docs/deploy.md#kubernetes lists them). */
const secret = (name: string, key: string, optional = false) => ({
  name,
  valueFrom: { secretKeyRef: { name: 'deedstream-secrets', key, optional } },
});

/** What every deedstream container shares: settings, no root, nothing writable but /tmp. */
function container(name: string, args: string[], env: object[]) {
  return {
    name,
    image,
    args,
    envFrom: [{ configMapRef: { name: 'deedstream-config' } }],
    env,
    securityContext: {
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    },
    volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
  };
}

const podSecurity = {
  runAsNonRoot: true,
  runAsUser: 10001,
  runAsGroup: 10001,
  seccompProfile: { type: 'RuntimeDefault' },
};

function deployment(service: ServiceName, port: number) {
  const probe = (pathname: string, periodSeconds: number, failureThreshold: number) => ({
    httpGet: { path: pathname, port: 'http' },
    periodSeconds,
    failureThreshold,
  });
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: serviceHostOf(service), labels: labelsOf(service) },
    spec: {
      replicas: 1,
      selector: { matchLabels: selectorOf(service) },
      template: {
        metadata: { labels: labelsOf(service) },
        spec: {
          securityContext: podSecurity,
          terminationGracePeriodSeconds: terminationGraceSeconds,
          containers: [
            {
              ...container(
                service,
                [service],
                [
                  secret('DATABASE_SERVICE_PASSWORD', `database-password-${service}`),
                  secret('KEYSTORE_MASTER_KEY', 'keystore-master-key', true),
                  secret('CONNECT_PASSWORD', 'connect-password', true),
                ],
              ),
              ports: [{ name: 'http', containerPort: port }],
              // Live: the process answers; ready: its dependencies answer and its consumers joined.
              startupProbe: probe('/health/live', 2, 30),
              livenessProbe: probe('/health/live', 10, 3),
              readinessProbe: probe('/health/ready', 5, 3),
              resources: { requests: { cpu: '50m', memory: '160Mi' }, limits: { memory: '384Mi' } },
            },
          ],
          volumes: [{ name: 'tmp', emptyDir: {} }],
        },
      },
    },
  };
}

function clusterService(service: ServiceName, port: number) {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: serviceHostOf(service), labels: labelsOf(service) },
    spec: { selector: selectorOf(service), ports: [{ name: 'http', port, targetPort: 'http' }] },
  };
}

/** A node drain takes one pod of a service at a time. */
function disruptionBudget(service: ServiceName) {
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: serviceHostOf(service), labels: labelsOf(service) },
    spec: { maxUnavailable: 1, selector: { matchLabels: selectorOf(service) } },
  };
}

function autoscaler(service: ServiceName) {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: serviceHostOf(service), labels: labelsOf(service) },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: serviceHostOf(service) },
      minReplicas: 2,
      maxReplicas: 6,
      metrics: [
        {
          type: 'Resource',
          resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } },
        },
      ],
    },
  };
}

/** Migrations, schemas, topics' and connectors' settings, before (and beside) the services. */
function provisionJob() {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'deedstream-provision', labels: labelsOf('provision') },
    spec: {
      backoffLimit: 6,
      ttlSecondsAfterFinished: 3600,
      template: {
        metadata: { labels: labelsOf('provision') },
        spec: {
          restartPolicy: 'OnFailure',
          securityContext: podSecurity,
          containers: [
            {
              ...container(
                'provision',
                ['dist/services/provision-job.js'],
                [
                  // The schemas' owner: migrations run as it (the services never see its password).
                  secret('DATABASE_URL', 'database-url'),
                  secret('CONNECT_PASSWORD', 'connect-password'),
                  { name: 'CONNECTORS_STATE_DIR', value: '/tmp/connectors' },
                ],
              ),
              command: ['node'],
            },
          ],
          volumes: [{ name: 'tmp', emptyDir: {} }],
        },
      },
    },
  };
}

/** Every document of services.yaml, in order. */
export function serviceManifests(): object[] {
  const documents: object[] = [provisionJob()];
  for (const service of serviceNames) {
    const definition = serviceNamed(service);
    const port = definition.port(definition.loadConfig({}));
    documents.push(deployment(service, port), clusterService(service, port), disruptionBudget(service));
    if (autoscaled.includes(service)) documents.push(autoscaler(service));
  }
  return documents;
}

export function renderServiceManifests(): string {
  return (
    '# The services and the provisioning Job, rendered from services/catalog.ts by `npm run manifests`: edit the tool, not this file.\n' +
    yamlStream(serviceManifests())
  );
}

if (require.main === module) {
  fs.writeFileSync(servicesManifestFile, renderServiceManifests());
  process.stdout.write(`manifests: wrote ${path.relative(process.cwd(), servicesManifestFile)}\n`);
}
