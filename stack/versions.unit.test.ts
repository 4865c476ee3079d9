import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from './paths';
import { connectorEnvAllowlist } from './components/connect';
import { stackPorts, stackPostgres } from './ports';
import { pinnedVersions } from './versions';

/** Image tags in docker-compose.yml, by service. */
function composeImages(): Record<string, string> {
  const compose = fs.readFileSync(path.join(repoRoot, 'docker-compose.yml'), 'utf8');
  const images: Record<string, string> = {};
  let service: string | undefined;
  for (const line of compose.split('\n')) {
    const serviceMatch = /^ {2}([a-z-]+):\s*$/.exec(line);
    if (serviceMatch) service = serviceMatch[1];
    const imageMatch = /^ {4}image:\s*(\S+)/.exec(line);
    if (imageMatch?.[1] && service) images[service] = imageMatch[1];
  }
  return images;
}

describe('docker-compose.yml and the native stack pin the same versions', () => {
  const pinned = pinnedVersions();
  const images = composeImages();

  it.each([
    ['kafka', 'apache/kafka', pinned.kafka],
    ['connect', 'quay.io/debezium/connect', pinned.debezium],
    ['registry', 'apicurio/apicurio-registry', pinned.apicurio],
    ['elasticsearch', 'docker.elastic.co/elasticsearch/elasticsearch', pinned.elasticsearch],
    ['keycloak', 'quay.io/keycloak/keycloak', pinned.keycloak],
    ['zipkin', 'openzipkin/zipkin', pinned.zipkin],
  ])('%s runs %s:<native version>', (service, repository, version) => {
    expect(images[service]).toBe(`${repository}:${version}`);
  });

  it('uses the Elasticsearch client of the same major as the server', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    const clientMajor = pkg.dependencies['@elastic/elasticsearch']?.split('.')[0];
    expect(clientMajor).toBe(pinned.elasticsearch.split('.')[0]);
  });

  it('publishes Keycloak on the native ports and imports the same realm file', () => {
    const compose = fs.readFileSync(path.join(repoRoot, 'docker-compose.yml'), 'utf8');
    expect(compose).toContain(`'127.0.0.1:${stackPorts.keycloak}:${stackPorts.keycloak}'`);
    expect(compose).toContain(`--hostname=http://127.0.0.1:${stackPorts.keycloak}`);
    expect(compose).toContain('./stack/keycloak/deedstream-realm.json:/opt/keycloak/data/import/');
    const init = fs.readFileSync(path.join(repoRoot, 'stack', 'docker', 'postgres-init.sql'), 'utf8');
    expect(init).toContain(`CREATE DATABASE ${stackPostgres.keycloakDatabase};`);
  });

  it('gives Connect the same env allowlist and no automatic config providers in compose', () => {
    const compose = fs.readFileSync(path.join(repoRoot, 'docker-compose.yml'), 'utf8');
    expect(compose).toContain(
      `CONNECT_CONFIG_PROVIDERS_ENV_PARAM_ALLOWLIST_PATTERN: ${connectorEnvAllowlist}\n`,
    );
    expect(compose).toContain('CONNECT_CONFIG_PROVIDERS: env\n');
    expect(compose).toContain('-Dorg.apache.kafka.automatic.config.providers=none');
  });

  it('publishes Zipkin on the native port with in-memory storage, as natively', () => {
    const compose = fs.readFileSync(path.join(repoRoot, 'docker-compose.yml'), 'utf8');
    expect(compose).toContain(`'127.0.0.1:${stackPorts.zipkin}:${stackPorts.zipkin}'`);
    expect(compose).toContain('STORAGE_TYPE: mem\n');
  });

  it('runs PostgreSQL with logical WAL in compose, as natively', () => {
    expect(images.postgres).toMatch(/^postgres:\d+$/);
    const compose = fs.readFileSync(path.join(repoRoot, 'docker-compose.yml'), 'utf8');
    expect(compose).toContain('wal_level=logical');
  });
});
