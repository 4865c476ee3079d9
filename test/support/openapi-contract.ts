import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type {
  JsonSchema,
  OpenApiDocument,
  OpenApiOperation,
  OpenApiResponse,
} from '../../services/shared/http/openapi/openapi-document';
import { messageOf } from '../../services/shared/errors/message-of';

const COMPONENT = '#/components/schemas/';
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/** `schema` with every reference to a component schema replaced by the component itself. */
export function inlineComponents(schema: unknown, document: OpenApiDocument): unknown {
  if (Array.isArray(schema)) return schema.map((item) => inlineComponents(item, document));
  if (typeof schema !== 'object' || schema === null) return schema;
  const ref = (schema as { $ref?: unknown }).$ref;
  if (typeof ref === 'string' && ref.startsWith(COMPONENT)) {
    const component = document.components.schemas[ref.slice(COMPONENT.length)];
    if (!component) throw new Error(`${ref} names no component`);
    return inlineComponents(component, document);
  }
  return Object.fromEntries(
    Object.entries(schema).map(([key, value]) => [key, inlineComponents(value, document)]),
  );
}

/** Compiles JSON Schemas of one document (strict: an unknown keyword is an error, not ignored). */
export class SchemaCompiler {
  private readonly ajv = new Ajv2020({ strict: true, allErrors: true, allowUnionTypes: true });
  private readonly compiled = new Map<JsonSchema, ValidateFunction>();

  constructor(private readonly document: OpenApiDocument) {
    addFormats(this.ajv);
  }

  compile(schema: JsonSchema): ValidateFunction {
    let validate = this.compiled.get(schema);
    if (!validate) {
      validate = this.ajv.compile(inlineComponents(schema, this.document) as JsonSchema);
      this.compiled.set(schema, validate);
    }
    return validate;
  }

  errorsOf(validate: ValidateFunction): string {
    return this.ajv.errorsText(validate.errors, { dataVar: 'body' });
  }
}

/** Every operation of a document with its method and path template. */
export function operationsOf(
  document: OpenApiDocument,
): Array<{ method: string; path: string; operation: OpenApiOperation }> {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, operation]) => ({ method, path, operation })),
  );
}

/**
 * What is wrong with a document as OpenAPI 3.1 (empty when nothing): the version, the
 * info, the paths and their parameters, responses on every operation, unique operation
 * ids, security requirements that name a scheme, and every schema compiling as JSON
 * Schema 2020-12. The structural rules are those of the OpenAPI 3.1 specification that a
 * generator can get wrong; the schemas are compiled by ajv.
 */
export function documentProblems(document: OpenApiDocument): string[] {
  const problems: string[] = [];
  const compiler = new SchemaCompiler(document);
  const compiles = (where: string, schema: JsonSchema) => {
    try {
      compiler.compile(schema);
    } catch (error) {
      problems.push(`${where}: the schema does not compile: ${messageOf(error)}`);
    }
  };
  if (!/^3\.1\.\d+$/.test(document.openapi)) problems.push(`openapi is "${document.openapi}", not 3.1.x`);
  if (!document.info.title || !document.info.version) problems.push('info needs a title and a version');
  const ids = new Set<string>();
  for (const [name, schema] of Object.entries(document.components.schemas)) {
    compiles(`components.schemas.${name}`, schema);
  }
  for (const [path, item] of Object.entries(document.paths)) {
    if (!path.startsWith('/')) problems.push(`${path}: a path starts with "/"`);
    const templated = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
    for (const [method, operation] of Object.entries(item)) {
      const where = `${method.toUpperCase()} ${path}`;
      if (!(METHODS as readonly string[]).includes(method)) problems.push(`${where}: not an HTTP method`);
      if (ids.has(operation.operationId))
        problems.push(`${where}: operationId ${operation.operationId} repeats`);
      ids.add(operation.operationId);
      const inPath = operation.parameters.filter((p) => p.in === 'path');
      for (const name of templated) {
        if (!inPath.some((p) => p.name === name && p.required)) {
          problems.push(`${where}: path parameter {${name}} is not declared (required)`);
        }
      }
      for (const p of inPath) {
        if (!templated.includes(p.name))
          problems.push(`${where}: path parameter ${p.name} is not in the path`);
      }
      const seen = new Set<string>();
      for (const p of operation.parameters) {
        const key = `${p.in}:${p.name.toLowerCase()}`;
        if (seen.has(key)) problems.push(`${where}: parameter ${p.name} in ${p.in} repeats`);
        seen.add(key);
        compiles(`${where} parameter ${p.name}`, p.schema);
      }
      for (const [mediaType, content] of Object.entries(operation.requestBody?.content ?? {})) {
        compiles(`${where} request body ${mediaType}`, content.schema);
      }
      const statuses = Object.keys(operation.responses);
      if (statuses.length === 0) problems.push(`${where}: no responses`);
      for (const status of statuses) {
        if (!/^[1-5]\d\d$/.test(status) && status !== 'default')
          problems.push(`${where}: bad status ${status}`);
        const response = operation.responses[status];
        if (!response?.description) problems.push(`${where} ${status}: no description`);
        for (const [mediaType, content] of Object.entries(response?.content ?? {})) {
          compiles(`${where} ${status} ${mediaType}`, content.schema);
        }
        for (const [name, header] of Object.entries(response?.headers ?? {})) {
          compiles(`${where} ${status} header ${name}`, header.schema);
        }
      }
      for (const requirement of operation.security) {
        for (const scheme of Object.keys(requirement)) {
          if (!document.components.securitySchemes[scheme])
            problems.push(`${where}: unknown security scheme ${scheme}`);
        }
      }
    }
  }
  return problems;
}

/** One request a test made and the response it got. */
export interface Exchange {
  method: string;
  /** The request path with its query string, as sent: `/properties/abc?version=2`. */
  url: string;
  status: number;
  headers: Headers;
  /** The parsed JSON body (undefined without one). */
  body: unknown;
}

function templateMatches(template: string, path: string): boolean {
  const pattern = template
    .split(/\{[^}]+\}/)
    .map((literal) => literal.replace(/[.*+?^$()|[\]\\]/g, '\\$&'))
    .join('[^/]+');
  return new RegExp(`^${pattern}$`).test(path);
}

/** The operation a request is for: the template that matches, literal segments first (as express routes). */
export function operationFor(
  document: OpenApiDocument,
  method: string,
  path: string,
): { template: string; operation: OpenApiOperation } | undefined {
  const candidates = Object.entries(document.paths)
    .filter(([template, item]) => item[method.toLowerCase()] && templateMatches(template, path))
    .sort(([a], [b]) => (a.match(/\{/g)?.length ?? 0) - (b.match(/\{/g)?.length ?? 0));
  const found = candidates[0];
  const operation = found?.[1][method.toLowerCase()];
  return found && operation ? { template: found[0], operation } : undefined;
}

const compilers = new WeakMap<OpenApiDocument, SchemaCompiler>();

/**
 * Fails (throws, naming the request) unless the document says the response can happen: an
 * operation for the route, the status among its responses, the documented required headers
 * present, and the body valid against the documented schema of its media type. A request
 * no operation covers must have been answered with the 404 problem of an unknown route,
 * or the service serves a route its document leaves out.
 */
export function expectDocumented(document: OpenApiDocument, exchange: Exchange): void {
  let compiler = compilers.get(document);
  if (!compiler) {
    compiler = new SchemaCompiler(document);
    compilers.set(document, compiler);
  }
  const path = new URL(exchange.url, 'http://service').pathname;
  const request = `${exchange.method.toUpperCase()} ${exchange.url} → ${exchange.status}`;
  const found = operationFor(document, exchange.method, path);
  if (!found) {
    const title = (exchange.body as { title?: unknown } | undefined)?.title;
    if (exchange.status === 404 && title === 'Not found') return;
    throw new Error(`${request}: undocumented route (${document.info.title} has no operation for it)`);
  }
  const response: OpenApiResponse | undefined = found.operation.responses[String(exchange.status)];
  if (!response) {
    throw new Error(
      `${request}: undocumented status for ${found.operation.operationId} (documented: ${Object.keys(found.operation.responses).join(', ')}); body ${JSON.stringify(exchange.body)}`,
    );
  }
  for (const [name, header] of Object.entries(response.headers ?? {})) {
    if (header.required && !exchange.headers.has(name)) {
      throw new Error(`${request}: the documented header ${name} is missing`);
    }
  }
  const contentType = exchange.headers.get('content-type')?.split(';')[0]?.trim();
  const media = response.content;
  if (!media) {
    if (exchange.body !== undefined) throw new Error(`${request}: a body where the document says none`);
    return;
  }
  const content = contentType ? media[contentType] : undefined;
  if (!content) {
    throw new Error(
      `${request}: content type ${contentType ?? '(none)'} is not documented (documented: ${Object.keys(media).join(', ')})`,
    );
  }
  const validate = compiler.compile(content.schema);
  if (!validate(exchange.body)) {
    throw new Error(
      `${request}: the body does not match the documented schema of ${found.operation.operationId}: ${compiler.errorsOf(validate)}; body ${JSON.stringify(exchange.body)}`,
    );
  }
}

const documents = new Map<string, OpenApiDocument>();

/**
 * The document the service at `baseUrl` serves now. Fetched on every call (ports picked by
 * the OS are reused by the next service a test starts) and parsed once per distinct text.
 */
export async function servedDocument(baseUrl: string): Promise<OpenApiDocument> {
  const response = await fetch(`${baseUrl}/openapi.json`);
  if (response.status !== 200) throw new Error(`${baseUrl}/openapi.json answered ${response.status}`);
  const text = await response.text();
  let document = documents.get(text);
  if (!document) {
    document = JSON.parse(text) as OpenApiDocument;
    documents.set(text, document);
  }
  return document;
}

/** expectDocumented against the document the service at `baseUrl` serves. */
export async function expectServedDocumented(baseUrl: string, exchange: Exchange): Promise<void> {
  expectDocumented(await servedDocument(baseUrl), exchange);
}
