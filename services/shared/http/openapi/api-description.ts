import type { z } from 'zod';

export type HttpMethod = 'get' | 'post' | 'put' | 'delete';

/**
 * Whether an operation needs a bearer token: `none` (open, and a token changes nothing),
 * `optional` (open, but the caller's token decides what they see) or `required`.
 */
export type TokenUse = 'none' | 'optional' | 'required';

/** A request or response header of an operation. */
export interface ApiHeader {
  description: string;
  schema?: z.ZodType;
  required?: boolean;
}

/** One documented response: a JSON body (or a problem), or nothing (204). */
export interface ApiResponse {
  description: string;
  /** The body; absent for a response without one. */
  body?: z.ZodType;
  /** `application/json` unless said otherwise (problems are `application/problem+json`). */
  mediaType?: string;
  /** The body is the shared RFC 9457 problem. */
  problem?: boolean;
  headers?: Record<string, ApiHeader>;
}

/**
 * One route of a service as its OpenAPI document shows it. The schemas are the very zod
 * schemas the route validates with, so what the document says a route accepts is what it
 * accepts.
 */
export interface ApiOperation {
  method: HttpMethod;
  /** The express path (`/properties/:id`); the document writes it `/properties/{id}`. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  token: TokenUse;
  /** With `token: 'required'`: the caller needs one of these roles (else 403). */
  roles?: readonly string[];
  /** One schema per `:param` of the path. */
  params?: Record<string, z.ZodType>;
  /** The query-string schema (an object schema, refinements and transforms allowed). */
  query?: z.ZodType;
  headers?: Record<string, ApiHeader>;
  /** The JSON request body. */
  body?: z.ZodType;
  /** The body may be left out (the route reads a missing body as `{}`). */
  bodyOptional?: boolean;
  /** Every status the route itself answers with; the shared middleware's are added (see buildOpenApiDocument). */
  responses: Record<number, ApiResponse>;
}

/** What one service serves: its name, what it does, and every route it registers. */
export interface ApiDescription {
  title: string;
  description: string;
  operations: readonly ApiOperation[];
}

/** A JSON response with `body` as its schema. */
export function jsonResponse(
  description: string,
  body: z.ZodType,
  headers?: Record<string, ApiHeader>,
): ApiResponse {
  return { description, body, ...(headers ? { headers } : {}) };
}

/** A problem response (RFC 9457), with the headers that come with it (Retry-After, WWW-Authenticate). */
export function problemResponse(description: string, headers?: Record<string, ApiHeader>): ApiResponse {
  return { description, problem: true, ...(headers ? { headers } : {}) };
}

export const retryAfterHeader: ApiHeader = {
  description: 'Seconds to wait before retrying.',
  required: true,
};
