import type { Router } from 'express';
import type { ApiDescription } from './api-description';

/** A route as express holds it: a path and the methods it answers. */
interface RegisteredRoute {
  path: string;
  methods: Record<string, boolean>;
}

function isRegisteredRoute(route: unknown): route is RegisteredRoute {
  if (typeof route !== 'object' || route === null) return false;
  const { path, methods } = route as { path?: unknown; methods?: unknown };
  return typeof path === 'string' && typeof methods === 'object' && methods !== null;
}

/** "METHOD /path" of every route registered on `router` (express path syntax). */
export function registeredRoutes(router: Router): string[] {
  return router.stack.flatMap((layer) => {
    if (!isRegisteredRoute(layer.route)) return [];
    const { path, methods } = layer.route;
    return Object.keys(methods)
      .filter((method) => methods[method])
      .map((method) => `${method.toUpperCase()} ${path}`);
  });
}

/**
 * The routes the router registers that the description leaves out, and the operations it
 * describes that no route serves. Both empty, or the service does not start: the document
 * cannot drift from the routes.
 */
export function routeCoverage(
  router: Router,
  api: ApiDescription,
): { undocumented: string[]; unserved: string[] } {
  const routes = registeredRoutes(router);
  const described = api.operations.map((op) => `${op.method.toUpperCase()} ${op.path}`);
  return {
    undocumented: routes.filter((route) => !described.includes(route)),
    unserved: described.filter((operation) => !routes.includes(operation)),
  };
}

/** Throws naming every route the description leaves out and every operation no route serves. */
export function assertRoutesDescribed(router: Router, api: ApiDescription): void {
  const { undocumented, unserved } = routeCoverage(router, api);
  if (undocumented.length === 0 && unserved.length === 0) return;
  throw new Error(
    `the OpenAPI description of ${api.title} does not match its routes:` +
      (undocumented.length > 0 ? ` undocumented ${undocumented.join(', ')};` : '') +
      (unserved.length > 0 ? ` described but not served ${unserved.join(', ')}` : ''),
  );
}
