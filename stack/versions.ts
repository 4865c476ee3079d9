import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from './paths';

/**
 * The component versions the native stack pins, read from the Maven poms that resolve
 * them (the single place each is written down). docker-compose.yml must match them.
 */
export interface PinnedVersions {
  kafka: string;
  debezium: string;
  apicurio: string;
  elasticsearch: string;
  keycloak: string;
  zipkin: string;
}

function pomProperty(module: string, property: string): string {
  const pom = fs.readFileSync(path.join(repoRoot, 'stack', module, 'pom.xml'), 'utf8');
  const match = new RegExp(`<${property.replace(/\./g, '\\.')}>([^<]+)</`).exec(pom);
  if (!match?.[1]) throw new Error(`stack/${module}/pom.xml has no <${property}>`);
  return match[1].trim();
}

export function pinnedVersions(): PinnedVersions {
  return {
    kafka: pomProperty('kafka', 'kafka.version'),
    debezium: pomProperty('debezium', 'debezium.version'),
    apicurio: pomProperty('apicurio', 'apicurio.version'),
    elasticsearch: pomProperty('elasticsearch', 'elasticsearch.version'),
    keycloak: pomProperty('keycloak', 'keycloak.version'),
    zipkin: pomProperty('zipkin', 'zipkin.version'),
  };
}
