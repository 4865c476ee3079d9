import { Router, type Request, type Response } from 'express';
import type { Kafka } from 'kafkajs';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { IssuerUnavailableError } from '../../shared/auth/oidc-discovery';
import { authorizationCodeGrant, TokenRequestRefusedError } from '../../shared/auth/token-grants';
import type { ConnectClient } from '../../shared/connect/connect-client';
import { forbidden, unauthenticated } from '../../shared/http/caller';
import { HttpProblem } from '../../shared/http/problem';
import { parseOr400 } from '../../shared/http/validation';
import { upstreamNames, type UpstreamName } from '../console-config';
import type { ConsumerLagHistory } from '../pipeline/consumer-lag-history';
import { relayStatuses } from '../pipeline/relay-status';
import type { PendingSignIns } from '../session/pending-sign-ins';
import { SessionEndedError, type SessionStore } from '../session/session-store';
import { requireSameOrigin } from './same-origin';
import { callUpstream, upstreamJson } from '../upstream';
import type { WebBundle } from '../web-bundle';
import { whereaboutsOf } from '../whereabouts/whereabouts';
import {
  aggregateIdParam,
  anyIdParam,
  assetParam,
  cityParam,
  propertyIdParam,
  readModelParam,
  signInCallbackQuery,
  signInQuery,
  type pipelineSchema,
  type sessionView,
} from './console-schemas';
import { messageOf } from '../../shared/errors/message-of';

export interface ConsoleRoutesDeps {
  sessions: SessionStore;
  bundle: WebBundle;
  upstreams: Record<UpstreamName, string>;
  kafka: Kafka;
  db: Kysely<unknown>;
  connect: ConnectClient;
  lagHistory: ConsumerLagHistory;
  sessionMaxAgeSeconds: number;
  /** Sign-in at the identity provider: authorization code flow with PKCE. */
  signIn: {
    issuerUrl: string;
    /** Where this process reaches the issuer (OIDC_DISCOVERY_URL), if not at issuerUrl. */
    discoveryUrl?: string;
    clientId: string;
    authorizationEndpoint: () => Promise<string>;
    pending: PendingSignIns;
  };
}

export const SESSION_COOKIE = 'deedstream_console';
const SIGN_IN_COOKIE = 'deedstream_console_sign_in';
/** How long a sign-in at the identity provider may take. */
const SIGN_IN_SECONDS = 600;
const OPS_RULE = 'console-ops-only';
const BEARER = /^Bearer\s+(\S+)\s*$/i;
/** The parts of a service's /health/ready answer the pipeline shows. */
const readinessAnswer = z.looseObject({ checks: z.record(z.string(), z.string()).optional() });
const jsonObject = z.looseObject({});

/** The value of one cookie of the request (no cookie parser: one cookie is all the console reads). */
function cookieOf(req: Request, name: string): string | undefined {
  for (const part of (req.header('cookie') ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

function sessionCookie(value: string, maxAgeSeconds: number): string {
  return `${SESSION_COOKIE}=${value}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${maxAgeSeconds}`;
}

/**
 * Binds a sign-in's `state` to the browser that started it, so a callback URL made by
 * someone else cannot sign this browser in as them (login CSRF). Lax: the callback is a
 * navigation back from the identity provider, which may be another site.
 */
function signInCookie(state: string, maxAgeSeconds: number): string {
  return `${SIGN_IN_COOKIE}=${state}; HttpOnly; SameSite=Lax; Path=/session; Max-Age=${maxAgeSeconds}`;
}

function identityProviderUnavailable(error: unknown): HttpProblem {
  return new HttpProblem(
    503,
    'Service unavailable',
    `the identity provider cannot be reached (${messageOf(error)}); try again shortly`,
    { dependency: 'the identity provider' },
    undefined,
    { 'Retry-After': '5' },
  );
}

/** The raw query string of the request ("?a=1&b=2", or ""), passed on as it came. */
function queryStringOf(req: Request): string {
  const at = req.originalUrl.indexOf('?');
  return at === -1 ? '' : req.originalUrl.slice(at);
}

/**
 * The console's routes: the page and its bundle, sign-in and sign-out, the reads the pages
 * make (passed to the services with the user's token) and the pipeline operations (ops).
 */
export function consoleRoutes(deps: ConsoleRoutesDeps): Router {
  const router = Router();
  const { sessions, upstreams } = deps;
  router.use(requireSameOrigin);

  /** The caller's access token and roles: the session's, else a bearer token's (scripts). */
  const credential = async (req: Request): Promise<{ token: string; roles: readonly string[] }> => {
    const id = cookieOf(req, SESSION_COOKIE);
    const session = sessions.find(id);
    if (session && id) {
      try {
        return { token: await sessions.accessToken(id), roles: session.roles };
      } catch (error) {
        if (error instanceof SessionEndedError) throw unauthenticated(error.message);
        throw error;
      }
    }
    const bearer = BEARER.exec(req.header('authorization') ?? '')?.[1];
    if (req.caller && bearer) return { token: bearer, roles: req.caller.roles };
    throw unauthenticated('sign in to the console first (POST /session), or send a bearer token');
  };
  const opsCredential = async (req: Request) => {
    const found = await credential(req);
    if (!found.roles.includes('ops')) {
      throw forbidden(OPS_RULE, 'the Pipeline page and its operations need the ops role');
    }
    return found;
  };

  router.get('/', (_req, res) => {
    res
      .type('html')
      .set('Content-Security-Policy', deps.bundle.contentSecurityPolicy)
      .set('Cache-Control', 'no-store')
      .send(deps.bundle.page);
  });

  router.get('/assets/:file', (req: Request<{ file: string }>, res) => {
    const file = parseOr400(assetParam, req.params.file, 'path.file');
    const asset = deps.bundle.assets.get(file);
    if (!asset) throw HttpProblem.notFound(`asset ${file}`);
    res.type(asset.contentType).set('Cache-Control', 'no-cache').send(asset.body);
  });

  router.get('/session/login', async (req, res) => {
    const { returnTo } = parseOr400(signInQuery, req.query, 'query');
    const authorizationEndpoint = await deps.signIn.authorizationEndpoint().catch((error: unknown) => {
      throw identityProviderUnavailable(error);
    });
    // Keycloak lets a loopback redirect URI take any port (RFC 8252): the console's own, as reached.
    const redirectUri = `${req.protocol}://${req.get('host') ?? ''}/session/callback`;
    const pending = deps.signIn.pending.start(redirectUri, returnTo);
    const authorize = new URL(authorizationEndpoint);
    authorize.search = new URLSearchParams({
      client_id: deps.signIn.clientId,
      response_type: 'code',
      scope: 'openid',
      redirect_uri: redirectUri,
      state: pending.state,
      code_challenge: pending.codeChallenge,
      code_challenge_method: 'S256',
    }).toString();
    res
      .set('Cache-Control', 'no-store')
      .set('Set-Cookie', signInCookie(pending.state, SIGN_IN_SECONDS))
      .status(303)
      .location(authorize.toString())
      .end();
  });

  router.get('/session/callback', async (req, res) => {
    const query = parseOr400(signInCallbackQuery, req.query, 'query');
    // The state must be one this console started, for this browser (its cookie), once.
    const pending =
      cookieOf(req, SIGN_IN_COOKIE) === query.state ? deps.signIn.pending.take(query.state) : undefined;
    if (!pending) {
      throw new HttpProblem(
        400,
        'Invalid request',
        'this sign-in was not started here, or has expired or been used: sign in again',
        {
          rule: 'console-sign-in-state',
        },
      );
    }
    if (query.error || !query.code) {
      throw unauthenticated(
        `the identity provider did not sign you in (${query.error ?? 'no code'}); sign in again`,
      );
    }
    let session;
    try {
      session = await sessions.open(
        await authorizationCodeGrant({
          issuerUrl: deps.signIn.issuerUrl,
          discoveryUrl: deps.signIn.discoveryUrl,
          clientId: deps.signIn.clientId,
          code: query.code,
          redirectUri: pending.redirectUri,
          codeVerifier: pending.codeVerifier,
        }),
      );
    } catch (error) {
      if (error instanceof TokenRequestRefusedError || error instanceof SessionEndedError) {
        throw unauthenticated('the identity provider refused the sign-in; sign in again');
      }
      if (error instanceof IssuerUnavailableError) throw identityProviderUnavailable(error);
      throw error;
    }
    res
      .set('Cache-Control', 'no-store')
      .append('Set-Cookie', sessionCookie(session.id, deps.sessionMaxAgeSeconds))
      .append('Set-Cookie', signInCookie('', 0))
      .status(303)
      .location(`/${pending.returnTo}`)
      .end();
  });

  router.get('/session', (req, res) => {
    const session = sessions.find(cookieOf(req, SESSION_COOKIE));
    // Not signed in is an answer, not an error: the page asks on every load.
    if (!session) {
      res.status(204).end();
      return;
    }
    res.json({
      username: session.username,
      subject: session.subject,
      roles: [...session.roles],
    } satisfies z.output<typeof sessionView>);
  });

  router.delete('/session', (req, res) => {
    sessions.signOut(cookieOf(req, SESSION_COOKIE));
    res.set('Set-Cookie', sessionCookie('', 0)).status(204).end();
  });

  /** A read passed on with the user's token; the answer comes back as the service gave it. */
  const passOn = async (req: Request, res: Response, service: UpstreamName, path: string) => {
    const { token } = await credential(req);
    const answer = await callUpstream(service, upstreams[service], `${path}${queryStringOf(req)}`, { token });
    if (answer.retryAfter) res.set('Retry-After', answer.retryAfter);
    res.status(answer.status).type(answer.contentType).send(answer.body);
  };

  router.get('/api/search/properties', (req, res) => passOn(req, res, 'search', '/search/properties'));
  router.get('/api/property/properties/:id', (req: Request<{ id: string }>, res) => {
    const id = parseOr400(anyIdParam, req.params.id, 'path.id');
    return passOn(req, res, 'property', `/properties/${encodeURIComponent(id)}`);
  });
  router.get('/api/property/properties/:id/events', (req: Request<{ id: string }>, res) => {
    const id = parseOr400(anyIdParam, req.params.id, 'path.id');
    return passOn(req, res, 'property', `/properties/${encodeURIComponent(id)}/events`);
  });
  router.get('/api/analytics/markets/:city', (req: Request<{ city: string }>, res) => {
    const city = parseOr400(cityParam, req.params.city, 'path.city');
    return passOn(req, res, 'analytics', `/analytics/markets/${encodeURIComponent(city)}`);
  });

  router.get('/api/console/pipeline', async (req, res) => {
    const { token } = await opsCredential(req);
    const [services, relays, projections] = await Promise.all([
      Promise.all(
        upstreamNames.map(async (name) => {
          try {
            const answer = await callUpstream(name, upstreams[name], '/health/ready', { timeoutMs: 3_000 });
            const body = readinessAnswer.parse(JSON.parse(answer.body));
            return {
              name,
              url: upstreams[name],
              ready: answer.status === 200 ? ('ready' as const) : ('unavailable' as const),
              checks: body.checks ?? {},
            };
          } catch {
            return { name, url: upstreams[name], ready: 'unreachable' as const, checks: {} };
          }
        }),
      ),
      relayStatuses(deps.db, deps.connect),
      Promise.all(
        (['search', 'analytics'] as const).map(async (service) => {
          try {
            const status = jsonObject.parse(
              await upstreamJson(service, upstreams[service], '/ops/projection', { token }),
            );
            return { service, status, error: null };
          } catch (error) {
            return { service, status: null, error: messageOf(error) };
          }
        }),
      ),
    ]);
    res.json({
      checkedAt: new Date().toISOString(),
      services,
      relays,
      projections,
      consumerLag: { sampleMs: deps.lagHistory.sampleMs, samples: deps.lagHistory.history() },
    } satisfies z.output<typeof pipelineSchema>);
  });

  router.get('/api/console/whereabouts/:propertyId', async (req: Request<{ propertyId: string }>, res) => {
    const { token } = await opsCredential(req);
    const propertyId = parseOr400(propertyIdParam, req.params.propertyId, 'path.propertyId');
    res.json(await whereaboutsOf({ kafka: deps.kafka, upstreams, token }, propertyId));
  });

  router.post(
    '/api/console/projections/:service/parked/:aggregateId/replay',
    async (req: Request<{ service: string; aggregateId: string }>, res) => {
      const { token } = await opsCredential(req);
      const service = parseOr400(readModelParam, req.params.service, 'path.service');
      const aggregateId = parseOr400(aggregateIdParam, req.params.aggregateId, 'path.aggregateId');
      const answer = await callUpstream(
        service,
        upstreams[service],
        `/ops/projection/parked/${encodeURIComponent(aggregateId)}/replay`,
        { method: 'POST', token },
      );
      res.status(answer.status).type(answer.contentType).send(answer.body);
    },
  );

  return router;
}
