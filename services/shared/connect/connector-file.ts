import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

import { stackHome } from '../../../stack/paths';

/** The folder of connector configs; CONNECTORS_DIR points the CLI at another one. */
export const connectorsDir = path.resolve(
  process.env.CONNECTORS_DIR ?? path.join(__dirname, '../../../connectors'),
);

/** Where `apply` keeps each replaced config, per Connect cluster, for `rollback` (git-ignored). */
export const defaultConnectorStateDir = path.join(stackHome, 'state', 'connectors');

const connectorFile = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and "-"'),
  config: z.record(z.string(), z.string()),
});

export interface ConnectorDefinition {
  name: string;
  file: string;
  config: Record<string, string>;
}

/** Connect config providers configured on the worker (stack/config/connect-distributed.properties). */
const KNOWN_PROVIDERS = ['env', 'file'];
// Connect's own syntax: ${provider:[path:]key}. ${routedByValue} (no colon) is Debezium's, not a provider's.
const PLACEHOLDER = /\$\{([^}:]*):(?:([^}:]*):)?([^}]*)\}/g;

export function connectorNames(): string[] {
  return fs
    .readdirSync(connectorsDir)
    .filter((file) => file.endsWith('.json') && file !== 'topics.json')
    .map((file) => file.replace(/\.json$/, ''))
    .sort();
}

/** Reads connectors/<name>.json, or fails with one line naming the problem. */
export function loadConnector(name: string): ConnectorDefinition {
  const file = path.join(connectorsDir, `${name}.json`);
  if (!fs.existsSync(file)) {
    throw new Error(
      `unknown connector "${name}": no ${path.relative(process.cwd(), file)} (known: ${connectorNames().join(', ')})`,
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${path.relative(process.cwd(), file)} is not valid JSON: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const parsed = connectorFile.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
      .join('; ');
    throw new Error(`${path.relative(process.cwd(), file)}: ${problems}`);
  }
  if (parsed.data.name !== name)
    throw new Error(
      `${path.relative(process.cwd(), file)} declares name "${parsed.data.name}", expected "${name}"`,
    );
  const definition = { name, file, config: parsed.data.config };
  assertPlaceholders(definition);
  return definition;
}

/** Every ${provider:…} placeholder must name a provider the worker has, with a key. */
export function assertPlaceholders(definition: ConnectorDefinition): void {
  for (const [key, value] of Object.entries(definition.config)) {
    for (const match of value.matchAll(PLACEHOLDER)) {
      const [placeholder, provider, , variable] = match;
      if (!KNOWN_PROVIDERS.includes(provider ?? '')) {
        throw new Error(
          `${definition.name}: ${key} uses ${placeholder}, but the worker has no "${provider}" config provider (use env or file)`,
        );
      }
      if (!variable)
        throw new Error(`${definition.name}: ${key} uses ${placeholder}, which names no variable`);
    }
  }
}

/** The placeholders a config uses, to explain an error on a field that holds one. */
export function placeholdersIn(value: string | null | undefined): string[] {
  return value ? [...value.matchAll(PLACEHOLDER)].map((m) => m[0]) : [];
}
