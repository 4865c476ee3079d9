import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { repoRoot } from '../config/repo-root';
import { messageOf } from '../errors/message-of';

/** The folder of connector configs; CONNECTORS_DIR points the CLI at another one. */
export const connectorsDir = path.resolve(process.env.CONNECTORS_DIR ?? path.join(repoRoot, 'connectors'));

/** The subfolder of the connectors folder holding the templates (not connectors themselves). */
const TEMPLATES = 'templates';

const slug = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and "-"');
const stringMap = z.record(z.string(), z.string());
/**
 * Variable values end up in slot and publication names, table names, SQL and regex
 * patterns, so they are restricted to what is safe verbatim in all of them.
 */
const variableValue = z
  .string()
  .regex(/^[a-z][a-z0-9_]*$/, 'must match ^[a-z][a-z0-9_]*$ (lower-case letters, digits and "_")');
const variableName = z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'letters, digits and "_"');

/** A full connector file: the name and the whole config. */
const fullFile = z.strictObject({
  $comment: z.string().optional(),
  name: slug,
  config: stringMap,
});
/** A templated connector file: connectors/templates/<template>.json with variables, plus overrides. */
const templatedFile = z.strictObject({
  $comment: z.string().optional(),
  name: slug,
  template: slug,
  variables: z.record(variableName, variableValue),
  config: stringMap.optional(),
});
const templateFile = z.strictObject({
  $comment: z.string().optional(),
  config: stringMap,
});

/** `{{variable}}` in a template's (or an override's) config value. */
const TOKEN = /\{\{([^{}]*)\}\}/g;

export interface ConnectorDefinition {
  name: string;
  file: string;
  config: Record<string, string>;
}

/** Where connector templates come from: the templates folder, or memory in tests. */
export interface TemplateStore {
  /** Where template `name` is (or would be), for messages. */
  where(name: string): string;
  /** The template's parsed JSON, or undefined when there is no template by that name. */
  read(name: string): unknown;
  /** The names of all templates, for the message about an unknown one. */
  names(): string[];
}

/** Connect config providers configured on the worker (stack/config/connect-distributed.properties). */
const KNOWN_PROVIDERS = ['env', 'file'];
// Connect's own syntax: ${provider:[path:]key}. ${routedByValue} (no colon) is Debezium's, not a provider's.
const PLACEHOLDER = /\$\{([^}:]*):(?:([^}:]*):)?([^}]*)\}/g;

const relative = (file: string) => path.relative(process.cwd(), file);

/** The connectors in `dir`: its *.json files except topics.json (templates live in a subfolder). */
export function connectorNames(dir: string = connectorsDir): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.json') && entry.name !== 'topics.json')
    .map((entry) => entry.name.replace(/\.json$/, ''))
    .sort();
}

/** The templates in <dir>/templates/*.json. */
export function templateStore(dir: string = connectorsDir): TemplateStore {
  const folder = path.join(dir, TEMPLATES);
  const where = (name: string) => relative(path.join(folder, `${name}.json`));
  return {
    where,
    read: (name) => {
      const file = path.join(folder, `${name}.json`);
      return fs.existsSync(file) ? readJson(file) : undefined;
    },
    names: () =>
      fs.existsSync(folder)
        ? fs
            .readdirSync(folder)
            .filter((file) => file.endsWith('.json'))
            .map((file) => file.replace(/\.json$/, ''))
            .sort()
        : [],
  };
}

/** Reads <dir>/<name>.json (the connectors folder unless told), or fails with one line naming the problem. */
export function loadConnector(name: string, dir: string = connectorsDir): ConnectorDefinition {
  const file = path.join(dir, `${name}.json`);
  if (!fs.existsSync(file)) {
    throw new Error(
      `unknown connector "${name}": no ${relative(file)} (known: ${connectorNames(dir).join(', ')})`,
    );
  }
  const resolved = resolveConnectorFile(relative(file), readJson(file), templateStore(dir));
  if (resolved.name !== name)
    throw new Error(`${relative(file)} declares name "${resolved.name}", expected "${name}"`);
  const definition = { name, file, config: resolved.config };
  assertPlaceholders(definition);
  return definition;
}

/**
 * A connector file's name and fully resolved config (no I/O but the template store). A
 * templated file's config is the template's with every {{variable}} substituted, then its
 * own `config` entries (which may use the variables too) laid over it. `label` names the
 * file in every error.
 */
export function resolveConnectorFile(
  label: string,
  raw: unknown,
  templates: TemplateStore,
): { name: string; config: Record<string, string> } {
  const templated = typeof raw === 'object' && raw !== null && 'template' in raw;
  if (!templated) return parseOrThrow(fullFile, raw, label);

  const file = parseOrThrow(templatedFile, raw, label);
  const rawTemplate = templates.read(file.template);
  if (rawTemplate === undefined) {
    const known = templates.names();
    throw new Error(
      `${label}: template "${file.template}" not found: no ${templates.where(file.template)} (known: ${known.join(', ') || 'none'})`,
    );
  }
  const template = parseOrThrow(templateFile, rawTemplate, templates.where(file.template));

  const used = new Set<string>();
  const substitute = (config: Record<string, string>, where: string) => {
    const result: Record<string, string> = {};
    for (const [key, value] of Object.entries(config)) {
      if (key.includes('{{'))
        throw new Error(
          `${label}: key ${key} ${where} holds "{{", but variables are substituted in values only`,
        );
      if (value.replace(TOKEN, '').includes('{{'))
        throw new Error(`${label}: ${key} ${where} has an unclosed "{{": ${JSON.stringify(value)}`);
      result[key] = value.replace(TOKEN, (token, variable: string) => {
        const replacement = Object.hasOwn(file.variables, variable) ? file.variables[variable] : undefined;
        if (replacement === undefined)
          throw new Error(`${label}: ${key} ${where} uses ${token}, but "variables" has no "${variable}"`);
        used.add(variable);
        return replacement;
      });
    }
    return result;
  };
  const config = {
    ...substitute(template.config, `in template "${file.template}"`),
    ...substitute(file.config ?? {}, 'in the overrides'),
  };
  const unused = Object.keys(file.variables).filter((variable) => !used.has(variable));
  if (unused.length > 0)
    throw new Error(
      `${label}: variable ${unused.map((v) => `"${v}"`).join(', ')} is not used by template "${file.template}" (nor by the overrides)`,
    );
  return { name: file.name, config };
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${relative(file)} is not valid JSON: ${messageOf(error)}`, { cause: error });
  }
}

function parseOrThrow<T>(schema: z.ZodType<T>, raw: unknown, label: string): T {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
  throw new Error(`${label}: ${problems}`);
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
