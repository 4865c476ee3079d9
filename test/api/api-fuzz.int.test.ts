import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { decodeJwt } from 'jose';
import { serviceNames, type ServiceName } from '../../services/catalog';
import type { OpenApiDocument, OpenApiOperation } from '../../services/shared/http/openapi/openapi-document';
import type { RunningService } from '../../services/shared/service/start-service';
import { startEveryApi } from '../support/every-api';
import { localUser } from '../support/identities';
import { ensureReadModelIndices } from '../support/projections-clean';
import {
  accessOf,
  callerArbitrary,
  describeRequest,
  OVERSIZED_TEXT_LENGTH,
  printable,
  requestArbitrary,
  SchemaArbitraries,
  tokensByParameter,
  tokensIn,
  truncated,
  type IssuedToken,
  type Caller,
  type FuzzFocus,
  type FuzzRequest,
} from '../support/openapi-arbitraries';
import { expectDocumented, operationFor, operationsOf, servedDocument } from '../support/openapi-contract';
import { messageOf } from '../../services/shared/errors/message-of';

/**
 * Property-based fuzzing of every REST API, driven by the OpenAPI document each service
 * serves: for every operation, fast-check generates requests from its parameters and body
 * schema — valid values, invalid ones and hostile ones for every field — sent by a user
 * holding the operation's role (so validation behind authentication is reached), and
 * sometimes by nobody or with a broken token. Whatever a request holds, the answer must be
 * below 500, a 4xx must be an RFC 9457 problem, and the status must be one the document
 * describes for the operation (with its headers and body schema). Parameters, bodies and
 * the tokens an API hands out (cursors) vary in properties of their own, and so does a
 * request head over the HTTP server's limit, so that one failure cannot hide another; each
 * service's failures are reported together. Afterwards every service must still be ready.
 *
 * Seeded and reproducible: API_FUZZ_SEED overrides the seed; a failure prints the command
 * replaying it (API_FUZZ_OPERATION, API_FUZZ_FOCUS and API_FUZZ_PATH pick the one failing
 * case; API_FUZZ_LOG_LEVEL=error shows what the service logged for a 500). API_FUZZ_RUNS
 * and API_FUZZ_BUDGET_MS trade depth for time.
 */

const DEFAULT_SEED = 20_260_601;
const seed = integerFromEnv('API_FUZZ_SEED', DEFAULT_SEED);
/** Runs per operation and focus; the service endpoints (health, metrics, docs) get a few only. */
const runsPerOperation = integerFromEnv('API_FUZZ_RUNS', 200);
const runsPerServiceEndpoint = Math.max(1, Math.round(runsPerOperation / 10));
/**
 * The whole file's time for fuzzing, shared out as it goes: an operation that finishes
 * early leaves its time to the next. It bounds the file on a slow machine (fewer runs,
 * same seed); on this project's 2-core CI machine the runs end well before it.
 */
const budgetMs = integerFromEnv('API_FUZZ_BUDGET_MS', 130_000);
const onlyOperation = process.env.API_FUZZ_OPERATION;
const onlyFocus = process.env.API_FUZZ_FOCUS;
const replayPath = process.env.API_FUZZ_PATH;

/** The local users requests are sent as; their roles are read from their tokens. */
const LOCAL_USERS = ['seller1', 'agent1', 'buyer1', 'ops1', 'compliance1', 'registrar1'];
/** The broken tokens are made from this user's real one. */
const TOKEN_DONOR = 'buyer1';
/** Fetch gives up on an answer after this long: a hung request is a failure too. */
const ANSWER_TIMEOUT_MS = 30_000;
const FILE = 'test/api/api-fuzz.int.test.ts';

const runId = randomUUID().slice(0, 8);
// The console last: it calls the others, at the ports they got.
const names = [...serviceNames.filter((name) => name !== 'console'), 'console' as const];
const running = new Map<ServiceName, RunningService>();
const userRoles = new Map<string, readonly string[]>();
/** Ids of things this run made, by the names of the parameters and fields that take them. */
const knownValues = new Map<string, string[]>();
/** By service, and by parameter name, the tokens its answers handed out for that parameter (cursors). */
const issuedTokens = new Map<ServiceName, Map<string, string[]>>();

/**
 * One property to check: an operation, and what varies (its parameters, its body, the tokens
 * issued for it, or the size of the request head).
 */
interface Task {
  service: ServiceName;
  method: string;
  template: string;
  operation: OpenApiOperation;
  focus: FuzzFocus | 'request head';
  numRuns: number;
}
const tasks = new Map<ServiceName, Task[]>();
let tasksLeft = 0;
let deadline = Number.POSITIVE_INFINITY;

function integerFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value)) throw new Error(`${name} must be an integer, not "${raw}"`);
  return value;
}

function urlOf(name: ServiceName): string {
  const service = running.get(name);
  if (!service) throw new Error(`${name} did not start`);
  return service.url;
}

beforeAll(async () => {
  // On a fresh stack no projector has run yet: without the indices every read-model query
  // is the documented 503, and the fuzzer would never reach the queries themselves.
  await ensureReadModelIndices();
  const started = await startEveryApi({
    LOG_LEVEL: process.env.API_FUZZ_LOG_LEVEL ?? 'silent',
    // Without workers nothing catches up: waits for a read model or an offer only slow the runs down.
    OFFER_WAIT_MS: '0',
    CONSISTENCY_WAIT_MS: '100',
    AGENT_CARD_WAIT_MS: '100',
  });
  for (const [name, service] of started) running.set(name, service);
  for (const username of LOCAL_USERS) {
    const token = await (await localUser(username)).token();
    userRoles.set(username, realmRoles(decodeJwt(token).realm_access));
  }
  for (const [name, values] of await createFixtures()) knownValues.set(name, values);
  for (const name of names) {
    const document = await servedDocument(urlOf(name));
    issuedTokens.set(name, tokensByParameter(document, await harvestTokens(name, document)));
    tasks.set(name, planTasks(name, document, arbitrariesFor(name, document)));
  }
  tasksLeft = [...tasks.values()].reduce((sum, list) => sum + list.length, 0);
  deadline = Date.now() + budgetMs;
}, 180_000);

afterAll(async () => {
  for (const service of running.values()) await service.stop();
});

function realmRoles(claim: unknown): readonly string[] {
  if (typeof claim !== 'object' || claim === null || !('roles' in claim) || !Array.isArray(claim.roles))
    return [];
  return claim.roles.filter((role): role is string => typeof role === 'string');
}

// ---------------------------------------------------------------------------------------------
// Things to point requests at
// ---------------------------------------------------------------------------------------------

/**
 * Makes, with valid requests, things the fuzzer's requests can name (a property with an
 * offer, an account, a compliance hold, a lien), so that they reach past "not found".
 * Returns their ids, unique to this run, by the names of the parameters and fields that take them.
 */
async function createFixtures(): Promise<Map<string, string[]>> {
  const eur = (amount: number) => ({ amount, currency: 'EUR' });
  const listed = await command('seller1', 'property', 'POST', '/properties', {
    address: {
      street: 'Fuzzstraat 1',
      city: 'Amsterdam',
      postalCode: '1011 AA',
      region: 'Noord-Holland',
      country: 'NL',
      lat: 52.37,
      lon: 4.89,
    },
    price: eur(350_000),
    bedrooms: 2,
    bathrooms: 1,
    areaSqm: 80,
    type: 'apartment',
    description: `listed by the API fuzz test ${runId}`,
  });
  const propertyId = stringField(listed, 'id');
  const offer = await command('buyer1', 'property', 'POST', `/properties/${propertyId}/offers`, {
    amount: eur(340_000),
  });
  const buyerId = `fuzz-buyer-${runId}`;
  await command('ops1', 'payment', 'POST', '/accounts', { buyerId, balance: eur(1_000) });
  const partyId = `fuzz-party-${runId}`;
  await command('compliance1', 'contract', 'PUT', `/compliance-holds/${partyId}`, { reason: 'fuzz' });
  const lienId = `fuzz-lien-${runId}`;
  await command('registrar1', 'title', 'PUT', `/titles/${propertyId}/liens/${lienId}`, { reason: 'fuzz' });
  return new Map([
    ['id', [propertyId]],
    ['propertyId', [propertyId]],
    ['aggregateId', [propertyId]],
    ['offerId', [stringField(offer, 'offerId')]],
    ['buyerId', [buyerId]],
    ['partyId', [partyId]],
    ['lienId', [lienId]],
    // A city the read models hold data for, so that market queries compute something.
    ['city', ['amsterdam']],
  ]);
}

async function command(
  username: string,
  service: ServiceName,
  method: string,
  path: string,
  body: unknown,
): Promise<unknown> {
  const response = await fetch(`${urlOf(service)}${path}`, {
    method,
    headers: { ...(await (await localUser(username)).headers()), 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  const answer: unknown = await response.json();
  if (!response.ok)
    throw new Error(`fixture ${method} ${path}: ${response.status} ${JSON.stringify(answer)}`);
  return answer;
}

function stringField(body: unknown, field: string): string {
  const value =
    typeof body === 'object' && body !== null && field in body ? Reflect.get(body, field) : undefined;
  if (typeof value !== 'string') throw new Error(`no ${field} in ${JSON.stringify(body)}`);
  return value;
}

/**
 * Tokens the service hands out (page cursors): one valid request of each of its GET
 * operations whose path parameters a known id fits, and every token in the answers.
 */
async function harvestTokens(name: ServiceName, document: OpenApiDocument): Promise<IssuedToken[]> {
  const values = new SchemaArbitraries(document, knownValues);
  const found: IssuedToken[] = [];
  for (const { method, path: template, operation } of operationsOf(document)) {
    if (method !== 'get' || operation.tags.includes('service')) continue;
    const pathParameters = operation.parameters.filter((parameter) => parameter.in === 'path');
    const fits = pathParameters.map(
      (parameter) =>
        (knownValues.get(parameter.name) ?? []).find((value) => values.accepts(parameter.schema, value)) ??
        '',
    );
    if (fits.includes('')) continue;
    let index = 0;
    const path = template.replace(/\{[^}]+\}/g, () => encodeURIComponent(fits[index++] ?? ''));
    const username = [...userRoles].find(([, roles]) =>
      accessOf(operation).roles.every((role) => roles.includes(role)),
    )?.[0];
    const response = await fetch(`${urlOf(name)}${path}`, {
      headers: username ? await (await localUser(username)).headers() : {},
    });
    if (response.ok && /json/.test(response.headers.get('content-type') ?? '')) {
      found.push(...tokensIn(await response.json()));
    }
  }
  return found;
}

// ---------------------------------------------------------------------------------------------
// The properties
// ---------------------------------------------------------------------------------------------

function arbitrariesFor(service: ServiceName, document: OpenApiDocument): SchemaArbitraries {
  return new SchemaArbitraries(document, knownValues, issuedTokens.get(service));
}

function planTasks(service: ServiceName, document: OpenApiDocument, values: SchemaArbitraries): Task[] {
  const planned: Task[] = [];
  for (const { method, path: template, operation } of operationsOf(document)) {
    if (onlyOperation !== undefined && operation.operationId !== onlyOperation) continue;
    // Health, metrics and the docs take no input: a few runs of junk query strings and tokens do.
    const numRuns = operation.tags.includes('service') ? runsPerServiceEndpoint : runsPerOperation;
    // Parameters, body and issued tokens vary apart, so a failure of one cannot hide another's.
    const focuses: FuzzFocus[] = [
      'parameters',
      ...(method === 'get' ? [] : ['body' as const]),
      ...(operation.parameters.some((parameter) => values.hasTokensFor(parameter))
        ? ['tokens' as const]
        : []),
    ];
    for (const focus of focuses) {
      if (onlyFocus === undefined || onlyFocus === focus) {
        planned.push({ service, method, template, operation, focus, numRuns });
      }
    }
  }
  const [first] = operationsOf(document).filter(({ operation }) => !operation.tags.includes('service'));
  if (first && onlyOperation === undefined && (onlyFocus === undefined || onlyFocus === 'request head')) {
    planned.push({
      service,
      method: first.method,
      template: first.path,
      operation: first.operation,
      focus: 'request head',
      numRuns: 3,
    });
  }
  return planned;
}

/** What came back for a request, as the document checks see it. */
interface Answer {
  /** The path and query as sent, after the URL parser's normalisation (dot segments). */
  url: string;
  status: number;
  headers: Headers;
  text: string;
  body: unknown;
}

async function authorizationOf(caller: Caller): Promise<string | undefined> {
  if (caller.kind === 'anonymous') return undefined;
  if (caller.kind === 'user') return `Bearer ${await (await localUser(caller.username)).token()}`;
  const token = await (await localUser(TOKEN_DONOR)).token();
  const [header = '', payload = '', signature = ''] = token.split('.');
  switch (caller.token) {
    case 'not a bearer token':
      return 'Basic dXNlcjpwYXNzd29yZA==';
    case 'garbage bearer':
      return 'Bearer not-a-token';
    case 'empty bearer':
      return 'Bearer ';
    case 'tampered signature':
      return `Bearer ${header}.${payload}.${[...signature].reverse().join('')}`;
    case 'unsigned (alg none)':
      return `Bearer ${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${payload}.`;
  }
}

async function send(baseUrl: string, request: FuzzRequest): Promise<Answer> {
  const headers = new Headers(request.headers);
  const authorization = await authorizationOf(request.caller);
  if (authorization !== undefined) headers.set('Authorization', authorization);
  if (request.body?.contentType !== undefined) headers.set('Content-Type', request.body.contentType);
  if (request.body?.contentEncoding !== undefined)
    headers.set('Content-Encoding', request.body.contentEncoding);
  const url = new URL(request.target, baseUrl);
  const response = await fetch(url, {
    method: request.method,
    headers,
    redirect: 'manual',
    signal: AbortSignal.timeout(ANSWER_TIMEOUT_MS),
    ...(request.body ? { body: request.body.bytes } : {}),
  });
  const text = await response.text();
  let body: unknown = text === '' ? undefined : text;
  if (text !== '' && /json/.test(response.headers.get('content-type') ?? '')) {
    try {
      body = JSON.parse(text);
    } catch {
      // Left as text: the checks report a JSON content type whose body is not JSON.
    }
  }
  return {
    url: `${url.pathname}${url.search}`,
    status: response.status,
    headers: response.headers,
    text,
    body,
  };
}

/** Everything wrong with an answer; empty when it is one the document allows. */
function answerProblems(document: OpenApiDocument, request: FuzzRequest, answer: Answer): string[] {
  const problems: string[] = [];
  const mediaType = answer.headers.get('content-type')?.split(';')[0]?.trim();
  if (answer.status >= 500) problems.push(`answered ${answer.status}: no request may cause a server error`);
  if (answer.status >= 400 && answer.status < 500) {
    if (mediaType !== 'application/problem+json') {
      problems.push(
        `a ${answer.status} must be application/problem+json, not ${mediaType ?? '(no content type)'}`,
      );
    }
    const body = answer.body;
    const isProblem =
      typeof body === 'object' &&
      body !== null &&
      'type' in body &&
      typeof body.type === 'string' &&
      'title' in body &&
      typeof body.title === 'string' &&
      'status' in body &&
      body.status === answer.status;
    if (!isProblem) {
      problems.push(
        `a ${answer.status} must be an RFC 9457 problem: type and title, and status ${answer.status}`,
      );
    }
  }
  // Express routes "/a/" as "/a" (strict routing is off): look the operation up the same way.
  const url = new URL(answer.url, 'http://service');
  const path = url.pathname.length > 1 ? url.pathname.replace(/\/$/, '') : url.pathname;
  if (!operationFor(document, request.method, path)) {
    // A fuzzed path parameter can take the URL off every template ("" or "..", which the URL
    // parser resolves): the checks ahead of routing (body, token, text) may refuse it before
    // the 404 of an unknown route, and any problem will do.
    if (answer.status < 400 || answer.status >= 500) {
      problems.push(
        `${request.method} ${truncated(answer.url, 300)} is no documented operation, yet answered ${answer.status}`,
      );
    }
    return problems;
  }
  const sent = `${path}${url.search}`;
  try {
    expectDocumented(document, {
      method: request.method,
      url: sent,
      status: answer.status,
      headers: answer.headers,
      body: answer.body,
    });
  } catch (error) {
    // The request line below shows the URL: a long one here would bury what is wrong.
    const message = messageOf(error);
    problems.push(truncated(message.replace(sent, truncated(sent, 120)), 600));
  }
  return problems;
}

/** A request of `task` with a 100 kB query parameter or header: past the HTTP server's 16 KB limit. */
function withOversizedHead(request: FuzzRequest, where: 'query' | 'header'): FuzzRequest {
  const oversized = 'x'.repeat(OVERSIZED_TEXT_LENGTH);
  return printable(
    where === 'header'
      ? { ...request, headers: { ...request.headers, 'X-Oversized': oversized } }
      : {
          ...request,
          target: `${request.target}${request.target.includes('?') ? '&' : '?'}oversized=${oversized}`,
        },
  );
}

function requestsOf(
  task: Task,
  document: OpenApiDocument,
  values: SchemaArbitraries,
): fc.Arbitrary<FuzzRequest> {
  const callers = callerArbitrary(task.operation, userRoles);
  if (task.focus !== 'request head') {
    return requestArbitrary(values, task.method, task.template, task.operation, {
      callers,
      focus: task.focus,
    });
  }
  // Valid parameters (focus "body" of a GET varies nothing else), then a head too large.
  return fc
    .tuple(
      requestArbitrary(values, 'get', task.template, task.operation, { callers, focus: 'body' }),
      fc.constantFrom<'query' | 'header'>('query', 'header'),
    )
    .map(([request, where]) => withOversizedHead({ ...request, method: task.method.toUpperCase() }, where));
}

/** Checks one task's property; returns its failure report, or undefined when it holds. */
async function fuzz(
  task: Task,
  document: OpenApiDocument,
  values: SchemaArbitraries,
): Promise<string | undefined> {
  const baseUrl = urlOf(task.service);
  const name = `${task.operation.operationId} (${task.focus})`;
  const property = fc.asyncProperty(requestsOf(task, document, values), async (request) => {
    let answer: Answer;
    try {
      answer = await send(baseUrl, request);
    } catch (error) {
      // A dropped connection or a hung request: the service crashed, hung or refused to answer.
      const why = error instanceof Error ? `${error.message}; ${String(error.cause)}` : String(error);
      throw new Error(`${name}, seed ${seed}: no answer (${why})\n  request:  ${describeRequest(request)}`, {
        cause: error,
      });
    }
    const problems = answerProblems(document, request, answer);
    if (problems.length > 0) {
      throw new Error(
        [
          `${name}, seed ${seed}: ${problems.join('\n    ')}`,
          `  request:  ${describeRequest(request)}`,
          `  response: ${answer.status} ${answer.headers.get('content-type') ?? '(no content type)'} ${truncated(answer.text, 500)}`,
        ].join('\n'),
      );
    }
  });
  // A slow operation (one that waits on the identity provider) may take a few tasks' share;
  // past the deadline each task still gets a moment, enough for a few runs, so the file stays bounded.
  const left = deadline - Date.now();
  const timeLimit = Math.max(250, Math.min(left, Math.max(10_000, (3 * left) / Math.max(1, tasksLeft))));
  tasksLeft -= 1;
  const details = await fc.check(property, {
    seed,
    numRuns: task.numRuns,
    plugins: [fc.interruptAfterTimeLimit(timeLimit)],
    ...(replayPath !== undefined ? { path: replayPath } : {}),
  });
  if (!details.failed) return undefined;
  if (details.counterexample === null) {
    return `${name}: the property could not be checked (${details.interrupted ? 'interrupted before any run' : 'too many skipped runs'})`;
  }
  const error =
    details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
  return [
    error,
    `  found after ${details.numRuns} run(s), shrunk ${details.numShrinks} time(s); replay:`,
    `  API_FUZZ_SEED=${seed} API_FUZZ_OPERATION=${task.operation.operationId} API_FUZZ_FOCUS='${task.focus}' API_FUZZ_PATH='${details.counterexamplePath}' npx jest ${FILE} -t 'the ${task.service} API'`,
  ].join('\n');
}

describe.each(names)('the %s API', (name) => {
  it(
    'answers every generated request of every documented operation below 500, with problems, as documented',
    async () => {
      const document = await servedDocument(urlOf(name));
      const values = arbitrariesFor(name, document);
      const failures: string[] = [];
      for (const task of tasks.get(name) ?? []) {
        const failure = await fuzz(task, document, values);
        if (failure) failures.push(failure);
      }
      if (failures.length > 0) {
        throw new Error(
          `${failures.length} propert${failures.length === 1 ? 'y' : 'ies'} failed:\n\n${failures.join('\n\n')}`,
        );
      }
    },
    budgetMs + 120_000,
  );
});

describe('after the fuzzing', () => {
  it('every service is still ready', async () => {
    const answers = await Promise.all(
      names.map(async (name) => ({ name, status: (await fetch(`${urlOf(name)}/health/ready`)).status })),
    );
    expect(answers).toEqual(names.map((name) => ({ name, status: 200 })));
  });
});
