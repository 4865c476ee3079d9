import { z } from 'zod';
import type { ApiDescription, ApiHeader, ApiOperation, ApiResponse } from './api-description';
import { problemSchema } from './problem-schema';
import { serviceEndpoints } from './service-endpoints';

/** A JSON Schema (draft 2020-12, the dialect of OpenAPI 3.1). */
export type JsonSchema = Record<string, unknown>;

export interface OpenApiParameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  description?: string;
  schema: JsonSchema;
}

export interface OpenApiResponse {
  description: string;
  headers?: Record<string, { description: string; required?: boolean; schema: JsonSchema }>;
  content?: Record<string, { schema: JsonSchema }>;
}

export interface OpenApiOperation {
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  security: Array<Record<string, string[]>>;
  parameters: OpenApiParameter[];
  requestBody?: { required: boolean; content: Record<string, { schema: JsonSchema }> };
  responses: Record<string, OpenApiResponse>;
}

export interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string; description: string };
  tags: Array<{ name: string; description: string }>;
  jsonSchemaDialect: string;
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: {
    schemas: Record<string, JsonSchema>;
    securitySchemes: Record<string, Record<string, string>>;
  };
}

export const PROBLEM_REF = '#/components/schemas/Problem';
const PROBLEM_MEDIA_TYPE = 'application/problem+json';
const BEARER = 'bearerAuth';
const SERVICE_TAG = 'service';
const PARAM = /:([A-Za-z0-9_]+)/g;

/** `/properties/:id` as OpenAPI writes it: `/properties/{id}`. */
export function openApiPath(expressPath: string): string {
  return expressPath.replace(PARAM, '{$1}');
}

/**
 * A zod schema as JSON Schema 2020-12: requests as the client sends them (`input`, before
 * coercion and transforms), responses as the service writes them (`output`). Refinements
 * that JSON Schema cannot say (min ≤ max, the geo trio) stay in prose and in the 400s.
 */
export function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _dialect, ...json } = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io,
    unrepresentable: 'any',
  }) as JsonSchema;
  // "#/$defs/…" would resolve against the whole document once embedded: keep schemas inline.
  if ('$defs' in json) throw new Error('a documented schema must not use shared definitions ($defs)');
  return json;
}

/**
 * The OpenAPI 3.1 document of one service: the endpoints every service serves (health,
 * metrics, this document, its docs) and the operations the service describes, with the
 * responses the shared middleware adds to each (a refused token, a malformed body, an
 * identity provider out of reach).
 */
export function buildOpenApiDocument(api: ApiDescription, version: string): OpenApiDocument {
  const paths: OpenApiDocument['paths'] = {};
  const add = (operation: ApiOperation, tag: string, behindTokenCheck: boolean) => {
    const path = openApiPath(operation.path);
    const item = (paths[path] ??= {});
    if (item[operation.method])
      throw new Error(`${operation.method.toUpperCase()} ${path} is described twice`);
    item[operation.method] = toOperation(operation, tag, behindTokenCheck);
  };
  for (const operation of api.operations) add(operation, api.title, true);
  for (const operation of serviceEndpoints) add(operation, SERVICE_TAG, false);
  return {
    openapi: '3.1.1',
    info: { title: api.title, version, description: api.description },
    tags: [
      { name: api.title, description: api.description },
      {
        name: SERVICE_TAG,
        description: 'What every service serves: health, metrics, this document and its docs.',
      },
    ],
    jsonSchemaDialect: 'https://spec.openapis.org/oas/3.1/dialect/base',
    paths,
    components: {
      schemas: { Problem: jsonSchemaOf(problemSchema, 'output') },
      securitySchemes: {
        [BEARER]: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description:
            'An OIDC access token from the Keycloak realm "deedstream" (`npm run token -- <user>` prints one). ' +
            'Role names in a security requirement are the realm roles an operation needs (any one of them).',
        },
      },
    },
  };
}

function toOperation(operation: ApiOperation, tag: string, behindTokenCheck: boolean): OpenApiOperation {
  const roles = operation.roles ?? [];
  const access =
    operation.token === 'required'
      ? `Requires a bearer token${roles.length > 0 ? ` with the role ${roles.join(' or ')}` : ''}.`
      : operation.token === 'optional'
        ? 'Open; a bearer token, if sent, decides what the caller may see.'
        : undefined;
  const description = [operation.description, access].filter(Boolean).join('\n\n');
  return {
    operationId: operation.operationId,
    summary: operation.summary,
    ...(description ? { description } : {}),
    tags: [tag],
    security:
      operation.token === 'required'
        ? [{ [BEARER]: [...roles] }]
        : operation.token === 'optional'
          ? [{}, { [BEARER]: [] }]
          : [],
    parameters: [...pathParameters(operation), ...queryParameters(operation), ...headerParameters(operation)],
    ...(operation.body
      ? {
          requestBody: {
            required: !operation.bodyOptional,
            content: { 'application/json': { schema: jsonSchemaOf(operation.body, 'input') } },
          },
        }
      : {}),
    responses: Object.fromEntries(
      Object.entries(withSharedResponses(operation, behindTokenCheck))
        .sort(([a], [b]) => Number(a) - Number(b))
        .map(([status, response]) => [status, toResponse(response)]),
    ),
  };
}

function pathParameters(operation: ApiOperation): OpenApiParameter[] {
  const names = [...operation.path.matchAll(PARAM)].map((match) => match[1] ?? '');
  const described = Object.keys(operation.params ?? {});
  const unmatched = [
    ...names.filter((n) => !described.includes(n)),
    ...described.filter((n) => !names.includes(n)),
  ];
  if (unmatched.length > 0) {
    throw new Error(
      `${operation.path}: describe exactly its path parameters (mismatch: ${unmatched.join(', ')})`,
    );
  }
  return names.map((name) => {
    const schema = operation.params?.[name];
    if (!schema) throw new Error(`${operation.path}: no schema for :${name}`);
    return { name, in: 'path', required: true, schema: jsonSchemaOf(schema, 'input') };
  });
}

function queryParameters(operation: ApiOperation): OpenApiParameter[] {
  if (!operation.query) return [];
  const json = jsonSchemaOf(operation.query, 'input');
  const properties = json.properties;
  if (json.type !== 'object' || typeof properties !== 'object' || properties === null) {
    throw new Error(`${operation.path}: a query schema must be an object schema`);
  }
  const required = Array.isArray(json.required) ? json.required : [];
  return Object.entries(properties as Record<string, JsonSchema>).map(([name, schema]) => {
    const { description, ...rest } = schema;
    return {
      name,
      in: 'query',
      required: required.includes(name),
      ...(typeof description === 'string' ? { description } : {}),
      schema: rest,
    };
  });
}

function headerParameters(operation: ApiOperation): OpenApiParameter[] {
  return Object.entries(operation.headers ?? {}).map(([name, header]) => ({
    name,
    in: 'header',
    required: header.required ?? false,
    description: header.description,
    schema: header.schema ? jsonSchemaOf(header.schema, 'input') : { type: 'string' },
  }));
}

const problem = (description: string, headers?: Record<string, ApiHeader>): ApiResponse => ({
  description,
  problem: true,
  ...(headers ? { headers } : {}),
});

/**
 * The operation's own responses plus what is answered in front of every route: a request
 * head over 16 KB (431, by Node), a refused bearer token (401, on any route, since a bad
 * token never passes for none), an identity provider out of reach (503), text that cannot
 * be stored or a malformed body (400), a body over 1 MB (413) or not UTF-8 JSON (415).
 */
function withSharedResponses(
  operation: ApiOperation,
  behindTokenCheck: boolean,
): Record<number, ApiResponse> {
  const responses: Record<number, ApiResponse> = { ...operation.responses };
  const addOr = (status: number, extra: ApiResponse) => {
    const own = responses[status];
    responses[status] = own
      ? { ...own, description: `${own.description} Also: ${extra.description}` }
      : extra;
  };
  // Node itself refuses a request head over 16 KB, before any route (see client-error.ts).
  addOr(431, problem('The request line and headers exceed 16 KB.'));
  if (behindTokenCheck) {
    addOr(
      401,
      problem(
        operation.token === 'required'
          ? 'No bearer token, or one that was refused (malformed, expired, wrongly signed or issued).'
          : 'A bearer token was sent and refused (malformed, expired, wrongly signed or issued).',
        { 'WWW-Authenticate': { description: 'The Bearer challenge (RFC 6750).', required: true } },
      ),
    );
    addOr(
      503,
      problem('A dependency (the identity provider, the database, …) is unavailable; nothing was changed.', {
        'Retry-After': { description: 'Seconds to wait before retrying.', required: true },
      }),
    );
  }
  if (behindTokenCheck) {
    // The shared middleware reads any body and checks every request's text before the route.
    addOr(
      400,
      problem(
        operation.body
          ? 'The body is not valid JSON (or nests deeper than 32 levels, or claims a content encoding it is not in), or not what this operation accepts; or text in the path, query or body cannot be stored (U+0000, a lone surrogate, bad percent-encoding).'
          : 'Text in the path or query cannot be stored (U+0000, a lone surrogate, bad percent-encoding), or a body was sent that is not valid JSON.',
      ),
    );
    addOr(413, problem('A body over 1 MB.'));
    addOr(415, problem('A body that is not UTF-8 JSON.'));
  }
  return responses;
}

function toResponse(response: ApiResponse): OpenApiResponse {
  const headers = response.headers
    ? Object.fromEntries(
        Object.entries(response.headers).map(([name, header]) => [
          name,
          {
            description: header.description,
            ...(header.required ? { required: true } : {}),
            schema: header.schema ? jsonSchemaOf(header.schema, 'output') : { type: 'string' },
          },
        ]),
      )
    : undefined;
  const content = response.problem
    ? { [PROBLEM_MEDIA_TYPE]: { schema: { $ref: PROBLEM_REF } } }
    : response.body
      ? { [response.mediaType ?? 'application/json']: { schema: jsonSchemaOf(response.body, 'output') } }
      : undefined;
  return {
    description: response.description,
    ...(headers ? { headers } : {}),
    ...(content ? { content } : {}),
  };
}
