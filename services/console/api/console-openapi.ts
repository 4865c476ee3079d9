import { z } from 'zod';
import {
  jsonResponse,
  problemResponse,
  retryAfterHeader,
  type ApiDescription,
  type ApiOperation,
  type ApiResponse,
} from '../../shared/http/openapi/api-description';
import {
  aggregateIdParam,
  anyIdParam,
  assetParam,
  cityParam,
  passedAnswer,
  passedQuery,
  pipelineSchema,
  propertyIdParam,
  readModelParam,
  sessionView,
  signInCallbackQuery,
  signInQuery,
  whereaboutsSchema,
} from './console-schemas';

const signedOut = problemResponse(
  'Not signed in: no session cookie (nor bearer token), or an ended session.',
  {
    'WWW-Authenticate': { description: 'The Bearer challenge (RFC 6750).', required: true },
  },
);
const opsOnly = problemResponse('The user lacks the ops role (rule `console-ops-only`).');
const crossOrigin = problemResponse(
  'A browser sent it from another origin (rule `console-same-origin`): only the console itself changes anything.',
);
const opsOnlyOrCrossOrigin = problemResponse(
  'The user lacks the ops role (rule `console-ops-only`), or a browser sent it from another origin (rule `console-same-origin`).',
);
const unreachable = problemResponse('The service behind cannot be reached.');
const unavailable = problemResponse('The service behind is unavailable (its read model, a dependency).', {
  'Retry-After': retryAfterHeader,
});

/** A read passed on to another service with the user's token; its answers pass back unchanged. */
function passThrough(
  path: string,
  operationId: string,
  service: string,
  upstream: string,
  params: Record<string, z.ZodType>,
  extra: Record<number, ApiResponse> = {},
): ApiOperation {
  return {
    method: 'get',
    path,
    operationId,
    summary: `The ${service} service's GET ${upstream}, with the signed-in user's token`,
    description: `Query and answer as the ${service} service documents them (its /openapi.json); the console passes both on unchanged.`,
    token: 'optional',
    ...(Object.keys(params).length > 0 ? { params } : {}),
    query: passedQuery,
    responses: {
      200: jsonResponse(`The ${service} service's answer.`, passedAnswer(service, `GET ${upstream}`)),
      400: problemResponse(`The ${service} service refused the query or path.`),
      401: signedOut,
      502: unreachable,
      503: unavailable,
      ...extra,
    },
  };
}

/** The web console (BFF): its pages and bundle, sessions, and the reads and operations the pages use. */
export const consoleApi: ApiDescription = {
  title: 'console',
  description:
    'The web console: Listings, Markets, Pipeline and Audit pages (preact, bundled at start), sign-in with the identity provider (tokens stay on the server; the browser holds an HttpOnly SameSite=Strict session cookie), and the calls the pages make. Every /api route takes the session cookie, or a bearer token for scripts.',
  operations: [
    {
      method: 'get',
      path: '/',
      operationId: 'consolePage',
      summary: 'The console (a single page: #/listings, #/markets, #/pipeline, #/audit)',
      token: 'none',
      responses: { 200: { description: 'The HTML page.', body: z.string(), mediaType: 'text/html' } },
    },
    {
      method: 'get',
      path: '/assets/:file',
      operationId: 'consoleAsset',
      summary: "The console's script and stylesheet, as bundled at start",
      token: 'none',
      params: { file: assetParam },
      responses: {
        200: {
          description: 'The file (text/javascript or text/css).',
          body: z.string(),
          mediaType: 'text/javascript',
        },
        400: problemResponse('Not a file name of the bundle.'),
        404: problemResponse('No such file in the bundle.'),
      },
    },
    {
      method: 'get',
      path: '/session/login',
      operationId: 'signIn',
      summary:
        "Sign in: redirects to the identity provider's login page (authorization code flow with PKCE); it sends the browser back to /session/callback",
      token: 'none',
      query: signInQuery,
      responses: {
        303: {
          description: 'To the identity provider; a short-lived cookie binds this sign-in to the browser.',
          headers: {
            Location: { description: "The identity provider's authorization endpoint.", required: true },
            'Set-Cookie': {
              description: 'deedstream_console_sign_in=<state>; HttpOnly; SameSite=Lax; Path=/session',
              required: true,
            },
          },
        },
        400: problemResponse('`returnTo` is not a route of the console.'),
        503: problemResponse('The identity provider cannot be reached.', { 'Retry-After': retryAfterHeader }),
      },
    },
    {
      method: 'get',
      path: '/session/callback',
      operationId: 'signInCallback',
      summary:
        'Where the identity provider sends the browser back: redeems the code (with the PKCE verifier), sets the session cookie, goes to `returnTo`',
      token: 'none',
      query: signInCallbackQuery,
      responses: {
        303: {
          description: 'Signed in; to the console page the sign-in started from.',
          headers: {
            Location: { description: 'The console, at `returnTo`.', required: true },
            'Set-Cookie': {
              description: 'deedstream_console=<session>; HttpOnly; SameSite=Strict; Path=/',
              required: true,
            },
          },
        },
        400: problemResponse(
          'Not a sign-in this console started for this browser, or expired or used (rule `console-sign-in-state`), or a malformed query.',
        ),
        401: signedOut,
        503: problemResponse('The identity provider cannot be reached.', { 'Retry-After': retryAfterHeader }),
      },
    },
    {
      method: 'get',
      path: '/session',
      operationId: 'getSession',
      summary: 'Who is signed in',
      token: 'none',
      responses: {
        200: jsonResponse('The session user.', sessionView),
        204: { description: 'Nobody is signed in (no session cookie, or an ended session).' },
      },
    },
    {
      method: 'delete',
      path: '/session',
      operationId: 'signOut',
      summary: 'Sign out (the session is forgotten; the cookie cleared)',
      token: 'none',
      responses: { 204: { description: 'Signed out (also when no session was there).' }, 403: crossOrigin },
    },
    passThrough('/api/search/properties', 'consoleSearchProperties', 'search', '/search/properties', {}),
    passThrough(
      '/api/property/properties/:id',
      'consoleGetProperty',
      'property',
      '/properties/:id',
      { id: anyIdParam },
      {
        404: problemResponse('No such property.'),
      },
    ),
    passThrough(
      '/api/property/properties/:id/events',
      'consoleGetPropertyEvents',
      'property',
      '/properties/:id/events',
      { id: anyIdParam },
      { 404: problemResponse('No such property.') },
    ),
    passThrough('/api/analytics/markets/:city', 'consoleGetMarket', 'analytics', '/analytics/markets/:city', {
      city: cityParam,
    }),
    passThrough(
      '/api/valuation/valuations/:id',
      'consoleGetValuation',
      'valuation',
      '/valuations/:propertyId',
      { id: anyIdParam },
      { 404: problemResponse('The valuation read model holds no such property (yet).') },
    ),
    passThrough(
      '/api/audit/audit',
      'consoleReadAuditTrail',
      'audit',
      '/audit',
      {},
      {
        403: problemResponse(
          'The user has neither the compliance nor the ops role (rule `audit-compliance-or-ops`).',
        ),
      },
    ),
    passThrough(
      '/api/property/ops/feeds',
      'consoleGetListingFeedReport',
      'property',
      '/ops/feeds',
      {},
      { 403: problemResponse('The user lacks the ops role (rule `feeds-ops-only`).') },
    ),
    {
      method: 'get',
      path: '/api/console/pipeline',
      operationId: 'getPipeline',
      summary:
        'Every service (readiness), outbox relay (connector, tasks, slot, outbox backlog), projection (lag, parked, last rebuild) and the consumer lag of the last minutes',
      token: 'optional',
      roles: ['ops'],
      responses: { 200: jsonResponse('The pipeline now.', pipelineSchema), 401: signedOut, 403: opsOnly },
    },
    {
      method: 'get',
      path: '/api/console/whereabouts/:propertyId',
      operationId: 'getWhereabouts',
      summary:
        "Where is my event? A property's latest version: commit time, its Kafka offset and timestamp, and the version each read model holds",
      token: 'optional',
      roles: ['ops'],
      params: { propertyId: propertyIdParam },
      responses: {
        200: jsonResponse('Where the latest version is.', whereaboutsSchema),
        400: problemResponse('Not a property id.'),
        401: signedOut,
        403: opsOnly,
        404: problemResponse('No such property.'),
        502: unreachable,
      },
    },
    {
      method: 'post',
      path: '/api/console/projections/:service/parked/:aggregateId/replay',
      operationId: 'replayParked',
      summary:
        'Replays a parked aggregate of a read model (its POST /ops/projection/parked/:aggregateId/replay)',
      token: 'optional',
      roles: ['ops'],
      params: { service: readModelParam, aggregateId: aggregateIdParam },
      responses: {
        200: jsonResponse('Replayed.', passedAnswer('read model', 'the replay')),
        400: problemResponse('Unknown read model or invalid id.'),
        401: signedOut,
        403: opsOnlyOrCrossOrigin,
        404: problemResponse('The aggregate is not parked.'),
        409: problemResponse('A message still fails; it stays parked.'),
        502: unreachable,
      },
    },
  ],
};
