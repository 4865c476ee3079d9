import fs from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import draft7 from 'ajv/dist/refs/json-schema-draft-07.json';
import { parse } from 'yaml';
import { z } from 'zod';
import { version } from '../../package.json';
import { serviceNamed, serviceNames } from '../../services/catalog';

/**
 * docker-compose.yml as Docker would take it, checked without Docker (there is none on the
 * project's machines): valid against the Compose Specification's own schema (vendored in
 * schemas/), the infrastructure alone by default with a healthcheck on every component, and
 * every deedstream service from the one image with settings its own configuration accepts.
 */
const root = path.join(__dirname, '..', '..');
// Compose resolves YAML merge keys (<<: *anchor); so does this parse.
const document: unknown = parse(fs.readFileSync(path.join(root, 'docker-compose.yml'), 'utf8'), {
  merge: true,
});

const composeService = z.object({
  image: z.string().optional(),
  profiles: z.array(z.string()).optional(),
  command: z.array(z.string()).optional(),
  entrypoint: z.array(z.string()).optional(),
  restart: z.string().optional(),
  ports: z.array(z.string()).optional(),
  environment: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
  depends_on: z
    .union([z.array(z.string()), z.record(z.string(), z.object({ condition: z.string() }))])
    .optional(),
  healthcheck: z.object({ test: z.array(z.string()) }).optional(),
});
const compose = z.object({ services: z.record(z.string(), composeService) }).parse(document);
const services = compose.services;
const infrastructure = ['postgres', 'kafka', 'connect', 'registry', 'elasticsearch', 'keycloak', 'zipkin'];

function service(name: string): z.infer<typeof composeService> {
  const found = services[name];
  if (!found) throw new Error(`docker-compose.yml has no service ${name}`);
  return found;
}

/** A service's environment as the process sees it: every value a string. */
function environmentOf(name: string): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(service(name).environment ?? {}).map(([k, v]) => [k, String(v)]));
}

describe('docker-compose.yml', () => {
  it('is valid against the Compose Specification', () => {
    const schema: unknown = JSON.parse(
      fs.readFileSync(path.join(__dirname, 'schemas', 'compose-spec.json'), 'utf8'),
    );
    const ajv = new Ajv({ allErrors: true, strict: false });
    // The schema names draft-07 by its https address, which Ajv knows by the http one.
    ajv.addMetaSchema(draft7, 'https://json-schema.org/draft-07/schema');
    const validate = ajv.compile(z.record(z.string(), z.unknown()).parse(schema));
    expect(validate(document) ? [] : validate.errors).toEqual([]);
  });

  it('starts the infrastructure alone by default, each component with a healthcheck', () => {
    const byDefault = Object.entries(services)
      .filter(([, s]) => s.profiles === undefined)
      .map(([name]) => name);
    expect(byDefault.sort()).toEqual([...infrastructure].sort());
    for (const name of infrastructure)
      expect([name, service(name).healthcheck?.test[0]]).toEqual([name, expect.stringMatching(/^CMD/)]);
  });

  it('provisions once, after the infrastructure is healthy, with the one image', () => {
    const provision = service('provision');
    expect(provision.image).toBe(`deedstream:${version}`);
    expect(provision.restart).toBe('no');
    expect(provision.entrypoint).toEqual(['node', 'dist/services/provision-job.js']);
    expect(fs.existsSync(path.join(root, 'services', 'provision-job.ts'))).toBe(true);
    expect(provision.depends_on).toEqual(
      Object.fromEntries(
        ['postgres', 'kafka', 'connect', 'registry'].map((name) => [name, { condition: 'service_healthy' }]),
      ),
    );
    expect(environmentOf('provision').CONNECTORS_STATE_DIR).toBeDefined();
  });

  it.each(serviceNames)('runs %s from the image, after provisioning, ready-checked on its port', (name) => {
    const definition = serviceNamed(name);
    const entry = service(name);
    const env = environmentOf(name);
    // Its own configuration accepts the settings, and they point inside the compose network.
    const config = definition.loadConfig(env);
    const port = definition.port(config);
    expect(entry).toMatchObject({
      image: `deedstream:${version}`,
      profiles: ['services'],
      command: [name],
      ports: [`127.0.0.1:${port}:${port}`],
      depends_on: {
        provision: { condition: 'service_completed_successfully' },
        keycloak: { condition: 'service_healthy' },
      },
    });
    expect(env).toMatchObject({
      HTTP_HOST: '0.0.0.0',
      DATABASE_URL: expect.stringContaining('@postgres:5432/'),
      KAFKA_BROKERS: 'kafka:19092',
      ELASTICSEARCH_URL: 'http://elasticsearch:9200',
    });
    expect(entry.healthcheck?.test.join(' ')).toContain(`http://127.0.0.1:${port}/health/ready`);
  });

  it('lets tokens name the public issuer while the services read its keys inside the network', () => {
    const keycloak = service('keycloak');
    const hostname = keycloak.command
      ?.find((arg) => arg.startsWith('--hostname='))
      ?.slice('--hostname='.length);
    expect(keycloak.command).toContain('--hostname-backchannel-dynamic=true');
    for (const name of serviceNames) {
      const env = environmentOf(name);
      expect([name, env.OIDC_ISSUER_URL]).toEqual([name, `${hostname}/realms/deedstream`]);
      expect([name, env.OIDC_DISCOVERY_URL]).toEqual([name, 'http://keycloak:8180/realms/deedstream']);
    }
  });

  it('points the console at each service by its compose name', () => {
    expect(environmentOf('console').CONSOLE_UPSTREAM_HOST).toBe('{service}');
  });
});
