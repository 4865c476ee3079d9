import { z } from 'zod';
import { jsonResponse, retryAfterHeader, type ApiOperation } from './api-description';

const checks = z
  .record(z.string(), z.string())
  .meta({ description: 'Each readiness check: "up", or why it failed.' });

const liveness = z.strictObject({
  status: z.literal('ok'),
  pid: z.number().int(),
  uptimeSeconds: z.number().int(),
});
const readiness = z.strictObject({
  status: z.enum(['ready', 'unavailable']),
  pid: z.number().int(),
  checks,
});
/** /health adds the service's own details (lag, consumer state), which differ by service. */
const health = z.looseObject({ status: z.enum(['ok', 'unavailable']), pid: z.number().int(), checks });
const notReadyHeaders = { 'Retry-After': retryAfterHeader };

/**
 * The endpoints every service serves ahead of its own routes (see createServiceApp): open,
 * outside bearer-token checks, so probes and people reach them without a token.
 */
export const serviceEndpoints: readonly ApiOperation[] = [
  {
    method: 'get',
    path: '/health/live',
    operationId: 'liveness',
    summary: 'Liveness: the process and its event loop work',
    token: 'none',
    responses: { 200: jsonResponse('Alive.', liveness) },
  },
  {
    method: 'get',
    path: '/health/ready',
    operationId: 'readiness',
    summary: 'Readiness: every dependency answers and every worker runs',
    token: 'none',
    responses: {
      200: jsonResponse('Ready to serve.', readiness),
      503: jsonResponse('Not ready: the failing checks say why.', readiness, notReadyHeaders),
    },
  },
  {
    method: 'get',
    path: '/health',
    operationId: 'health',
    summary: "Readiness plus the service's own details, for people",
    token: 'none',
    responses: {
      200: jsonResponse('Ready, with details.', health),
      503: jsonResponse('Not ready, with details.', health, notReadyHeaders),
    },
  },
  {
    method: 'get',
    path: '/metrics',
    operationId: 'metrics',
    summary: 'Prometheus metrics',
    token: 'none',
    responses: {
      200: {
        description: 'The Prometheus text exposition format.',
        body: z.string(),
        mediaType: 'text/plain',
      },
    },
  },
  {
    method: 'get',
    path: '/openapi.json',
    operationId: 'openApiDocument',
    summary: 'This document (OpenAPI 3.1)',
    token: 'none',
    responses: { 200: jsonResponse('The OpenAPI document.', z.looseObject({ openapi: z.string() })) },
  },
  {
    method: 'get',
    path: '/docs',
    operationId: 'apiDocs',
    summary: 'Interactive documentation of this document (Swagger UI)',
    token: 'none',
    responses: { 200: { description: 'An HTML page.', body: z.string(), mediaType: 'text/html' } },
  },
];
