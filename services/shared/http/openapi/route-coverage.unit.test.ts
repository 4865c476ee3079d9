import { Router } from 'express';
import { z } from 'zod';
import type { ApiDescription, ApiOperation } from './api-description';
import { assertRoutesDescribed, registeredRoutes, routeCoverage } from './route-coverage';

const handler = () => undefined;
const operation = (method: ApiOperation['method'], path: string): ApiOperation => ({
  method,
  path,
  operationId: `${method}${path}`,
  summary: path,
  token: 'none',
  ...(path.includes(':id') ? { params: { id: z.string() } } : {}),
  responses: { 200: { description: 'ok' } },
});
const api = (...operations: ApiOperation[]): ApiDescription => ({
  title: 'test',
  description: 'test',
  operations,
});

function router(): Router {
  const routes = Router();
  routes.use(handler);
  routes.get('/things', handler);
  routes.post('/things', handler);
  routes.get('/things/:id', handler);
  return routes;
}

describe('route coverage', () => {
  it('lists every method and path a router registers, skipping middleware', () => {
    expect(registeredRoutes(router()).sort()).toEqual(['GET /things', 'GET /things/:id', 'POST /things']);
  });

  it('accepts a description of exactly the registered routes', () => {
    const described = api(
      operation('get', '/things'),
      operation('post', '/things'),
      operation('get', '/things/:id'),
    );
    expect(routeCoverage(router(), described)).toEqual({ undocumented: [], unserved: [] });
    expect(() => assertRoutesDescribed(router(), described)).not.toThrow();
  });

  it('refuses a route the description leaves out and an operation no route serves', () => {
    const described = api(
      operation('get', '/things'),
      operation('get', '/things/:id'),
      operation('delete', '/things/:id'),
    );
    expect(routeCoverage(router(), described)).toEqual({
      undocumented: ['POST /things'],
      unserved: ['DELETE /things/:id'],
    });
    expect(() => assertRoutesDescribed(router(), described)).toThrow(
      'the OpenAPI description of test does not match its routes: undocumented POST /things; described but not served DELETE /things/:id',
    );
  });
});
