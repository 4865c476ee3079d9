import fs from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import { ConfigMap, Service } from 'kubernetes-models/v1';
import { Deployment } from 'kubernetes-models/apps/v1';
import { Job } from 'kubernetes-models/batch/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { parse, parseAllDocuments } from 'yaml';
import { z } from 'zod';
import { serviceNamed, serviceNames } from '../services/catalog';
import {
  renderStrimziManifests,
  strimziManifestFiles,
  strimziManifestsDir,
} from '../services/cli/strimzi-manifests';
import { defaultStrimziTargets } from '../services/shared/connect/strimzi-resources';
import { renderServiceManifests, serviceHostOf, servicesManifestFile } from './kubernetes-manifests';

/**
 * deploy/kubernetes as a cluster would take it, checked without one: the rendered files are
 * fresh, every core resource is valid by Kubernetes' own schemas (kubernetes-models), every
 * Strimzi resource by Strimzi's CRDs (vendored in test/deploy/schemas/), each service's settings
 * pass its configuration, and the overlays point at what the base has.
 */
const deployDir = path.join(__dirname, '..', 'deploy', 'kubernetes');
const read = (file: string) => fs.readFileSync(file, 'utf8');
const documentsOf = (text: string): unknown[] => parseAllDocuments(text).map((document) => document.toJS());

const resource = z
  .object({
    apiVersion: z.string(),
    kind: z.string(),
    metadata: z.object({ name: z.string() }).loose(),
  })
  .loose();
type Resource = z.infer<typeof resource>;
const base: Resource[] = [
  ...documentsOf(read(path.join(deployDir, 'base', 'config.yaml'))),
  ...documentsOf(read(servicesManifestFile)),
].map((document) => resource.parse(document));
const configMap = z
  .object({ data: z.record(z.string(), z.string()) })
  .loose()
  .parse(parse(read(path.join(deployDir, 'base', 'config.yaml'))));
const named = (kind: string, name: string) => base.find((r) => r.kind === kind && r.metadata.name === name);

/** Kubernetes' schema of each core kind deedstream uses: its validate() throws what is wrong. */
const models: Record<string, (document: Resource) => { validate(): void }> = {
  ConfigMap: (d) => new ConfigMap(d),
  Service: (d) => new Service(d),
  Deployment: (d) => new Deployment(d),
  Job: (d) => new Job(d),
  HorizontalPodAutoscaler: (d) => new HorizontalPodAutoscaler(d),
  PodDisruptionBudget: (d) => new PodDisruptionBudget(d),
};

const deploymentSpec = z.object({
  spec: z.object({
    template: z.object({
      spec: z.object({
        securityContext: z.object({ runAsNonRoot: z.literal(true) }).loose(),
        containers: z.array(
          z
            .object({
              args: z.array(z.string()),
              ports: z.array(z.object({ containerPort: z.number() })),
              env: z.array(z.object({ name: z.string() }).loose()),
              readinessProbe: z.object({ httpGet: z.object({ path: z.string() }).loose() }).loose(),
              livenessProbe: z.object({ httpGet: z.object({ path: z.string() }).loose() }).loose(),
            })
            .loose(),
        ),
      }),
    }),
  }),
});

describe('the Kubernetes manifests', () => {
  it('are rendered from the catalog and connectors/ as committed', () => {
    expect(read(servicesManifestFile)).toBe(renderServiceManifests());
    for (const [file, text] of Object.entries(renderStrimziManifests(defaultStrimziTargets))) {
      expect([file, read(path.join(strimziManifestsDir, file))]).toEqual([file, text]);
    }
  });

  it("are valid by Kubernetes' schemas", () => {
    const invalid = base.flatMap((document) => {
      const model = models[document.kind];
      if (!model) return [`${document.kind} ${document.metadata.name}: no schema here`];
      try {
        model(document).validate();
        return [];
      } catch (error) {
        return [`${document.kind} ${document.metadata.name}: ${String(error)}`];
      }
    });
    expect(invalid).toEqual([]);
  });

  it.each(serviceNames)('run %s on its port, probed on /health, not as root, with a budget', (name) => {
    const definition = serviceNamed(name);
    const deployment = named('Deployment', serviceHostOf(name));
    const [container] = deploymentSpec.parse(deployment).spec.template.spec.containers;
    // The settings the service would run with: the ConfigMap and a value for each secret it reads.
    const env = {
      ...configMap.data,
      ...Object.fromEntries(
        (container?.env ?? []).map((e) => [e.name, 'c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LTEyMzQ=']),
      ),
    };
    const port = definition.port(definition.loadConfig(env));
    expect(container).toMatchObject({
      args: [name],
      ports: [{ containerPort: port }],
      readinessProbe: { httpGet: { path: '/health/ready' } },
      livenessProbe: { httpGet: { path: '/health/live' } },
    });
    expect(named('Service', serviceHostOf(name))).toMatchObject({ spec: { ports: [{ port }] } });
    expect(named('PodDisruptionBudget', serviceHostOf(name))).toBeDefined();
  });

  it("are valid Strimzi resources by Strimzi's own CRDs", () => {
    const ajv = new Ajv({ allErrors: true, strict: false });
    const crd = z
      .object({
        spec: z
          .object({
            names: z.object({ kind: z.string() }).loose(),
            versions: z.array(
              z.object({
                name: z.string(),
                schema: z.object({ openAPIV3Schema: z.record(z.string(), z.unknown()) }),
              }),
            ),
          })
          .loose(),
      })
      .loose();
    const schemas = new Map(
      ['kafkatopic', 'kafkaconnector'].map((kind) => {
        const definition = crd.parse(
          parse(
            read(path.join(__dirname, '..', 'test', 'deploy', 'schemas', `strimzi-1.2.0-${kind}.crd.yaml`)),
          ),
        );
        const v1 = definition.spec.versions.find((v) => v.name === 'v1');
        if (!v1) throw new Error(`${kind}: no v1 in the CRD`);
        const validate = ajv.compile(v1.schema.openAPIV3Schema);
        // What is wrong with a document, or nothing.
        const problems = (document: unknown): string[] =>
          validate(document) ? [] : [ajv.errorsText(validate.errors)];
        return [definition.spec.names.kind, problems];
      }),
    );
    const rendered = Object.values(strimziManifestFiles).flatMap((file) =>
      documentsOf(read(path.join(strimziManifestsDir, file))).map((document) => resource.parse(document)),
    );
    expect(rendered.filter((r) => r.kind === 'KafkaConnector').map((r) => r.metadata.name)).toEqual([
      'listing-feed-sample-mls',
      'outbox-relay',
    ]);
    const invalid = rendered.flatMap((document) => {
      const problems = schemas.get(document.kind);
      if (!problems) return [`${document.kind}: no CRD`];
      return problems(document).map((problem) => `${document.kind} ${document.metadata.name}: ${problem}`);
    });
    expect(invalid).toEqual([]);
  });

  it('have overlays that change only what the base has, and secrets for every key the base reads', () => {
    const overlay = (name: string) =>
      z
        .object({
          resources: z.array(z.string()),
          patches: z.array(z.object({ patch: z.string() })).optional(),
          replicas: z.array(z.object({ name: z.string(), count: z.number() })).optional(),
          secretGenerator: z.array(z.object({ name: z.string(), literals: z.array(z.string()) })).optional(),
        })
        .loose()
        .parse(parse(read(path.join(deployDir, 'overlays', name, 'kustomization.yaml'))));
    for (const name of ['local', 'production']) {
      const kustomization = overlay(name);
      for (const folder of kustomization.resources)
        expect(fs.existsSync(path.join(deployDir, 'overlays', name, folder, 'kustomization.yaml'))).toBe(
          true,
        );
      for (const { patch } of kustomization.patches ?? []) {
        const target = resource.parse(parse(patch));
        expect([name, named(target.kind, target.metadata.name)?.kind]).toEqual([name, target.kind]);
      }
      for (const { name: deployment } of kustomization.replicas ?? [])
        expect([name, named('Deployment', deployment)?.kind]).toEqual([name, 'Deployment']);
    }
    const secretKeys = base
      .flatMap((r) => JSON.stringify(r).match(/"key":"[^"]+"/g) ?? [])
      .map((k) => k.slice(7, -1));
    const local = (overlay('local').secretGenerator ?? []).flatMap((s) =>
      s.literals.map((l) => l.split('=')[0]),
    );
    expect(
      [...new Set(secretKeys)].filter((key) => !local.includes(key) && key !== 'keystore-master-key'),
    ).toEqual([]);
  });
});
