/**
 * Search API against Elasticsearch itself, in one run.
 *
 *   npm run bench:search -- [--listings 20000] [--connections 16] [--duration 15] [--rate 200] [--json]
 *
 * A seeded index of `--listings` search documents (cities across Europe, every type and
 * status, prices, areas, descriptions) behind its own alias, and the search service (the
 * same definition `npm run service -- search` runs, API only) pointed at it. A fixed query
 * mix (free text, filters, geo radius with distance sort, price and date sorts, facets,
 * second pages by cursor) is sent:
 *
 *   - closed loop, `--connections` keep-alive clients, to the API (GET /search/properties)
 *     and the same Elasticsearch requests (the body `buildSearchRequest` makes for that
 *     query) straight to Elasticsearch, alternating in `--rounds` rounds;
 *   - open loop at `--rate` requests/s to the API, latency measured from each request's
 *     scheduled start (a slow answer cannot hide the queue behind it).
 *
 * Clients run in a worker thread; CPU per request is reported for this process (service
 * and clients) and for Elasticsearch (from /proc). The index is deleted at the end.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import os from 'node:os';
import { parentPort } from 'node:worker_threads';
import { Client } from '@elastic/elasticsearch';
import { Command } from 'commander';
import { buildSearchRequest, searchQuerySchema } from '../services/search/api/search-query';
import { searchApi } from '../services/search/api/search-openapi';
import { searchRoutes } from '../services/search/api/search-routes';
import { searchConfig } from '../services/search/search-config';
import {
  propertySearchMappings,
  type PropertySearchDocument,
} from '../services/search/projections/property-search-document';
import { propertySearchProjection } from '../services/search/projections/property-search-projection';
import { infrastructureConfig } from '../services/shared/service/infrastructure';
import { readModelService } from '../services/shared/projection/read-model-service';
import { startService } from '../services/shared/service/start-service';
import { runningPid } from '../stack/process';
import { commandLine, percentile } from './support/measure';
import { processCpuMicros } from './support/process-cpu';
import { positiveInt, runBench } from './support/bench-cli';
import { tsxWorker } from './support/tsx-worker';
import { FieldCipher } from '../services/shared/privacy/field-cipher';
import { MemoryKeyStore } from '../services/shared/privacy/memory-key-store';
import { messageOf } from '../services/shared/errors/message-of';
import { commaSeparated } from '../services/shared/config/variables';
import { elasticsearchClient } from '../services/shared/elasticsearch/elasticsearch-client';

// ---------------------------------------------------------------------------------------------
// The index: synthetic listings
// ---------------------------------------------------------------------------------------------

const cities = [
  { city: 'Amsterdam', region: 'Noord-Holland', country: 'NL', lat: 52.37, lon: 4.9 },
  { city: 'Rotterdam', region: 'Zuid-Holland', country: 'NL', lat: 51.92, lon: 4.48 },
  { city: 'Utrecht', region: 'Utrecht', country: 'NL', lat: 52.09, lon: 5.12 },
  { city: 'Berlin', region: 'Berlin', country: 'DE', lat: 52.52, lon: 13.4 },
  { city: 'Hamburg', region: 'Hamburg', country: 'DE', lat: 53.55, lon: 9.99 },
  { city: 'Paris', region: 'Île-de-France', country: 'FR', lat: 48.86, lon: 2.35 },
  { city: 'Lyon', region: 'Auvergne-Rhône-Alpes', country: 'FR', lat: 45.76, lon: 4.84 },
  { city: 'Madrid', region: 'Madrid', country: 'ES', lat: 40.42, lon: -3.7 },
  { city: 'Lisbon', region: 'Lisboa', country: 'PT', lat: 38.72, lon: -9.14 },
  { city: 'Vienna', region: 'Wien', country: 'AT', lat: 48.21, lon: 16.37 },
] as const;
const streets = [
  'Keizersgracht',
  'Prinsengracht',
  'Hauptstraße',
  'Rue de la Paix',
  'Calle Mayor',
  'Ringstraße',
];
const types = ['house', 'apartment', 'condo', 'townhouse', 'land', 'commercial'] as const;
const statuses = ['listed', 'listed', 'listed', 'listed', 'reserved', 'sold', 'withdrawn'] as const;
const phrases = [
  'Bright canal-side apartment with a roof terrace',
  'Family house with a garden and a garage',
  'Renovated townhouse near the park',
  'Quiet condo with a balcony and a lift',
  'Building plot with planning permission',
  'Shop with living space above',
];

/** A deterministic pseudo-random sequence, so every run seeds the same index. */
function sequence(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

function listingDocument(i: number, random: () => number): PropertySearchDocument {
  const place = cities[i % cities.length]!;
  const street = `${streets[Math.floor(random() * streets.length)]} ${1 + Math.floor(random() * 400)}`;
  const postalCode = String(1000 + Math.floor(random() * 9000));
  const listedAt = new Date(Date.UTC(2025, 0, 1) + Math.floor(random() * 365 * 86_400_000)).toISOString();
  const type = types[Math.floor(random() * types.length)]!;
  return {
    id: `bench-search-${i}`,
    version: 1 + Math.floor(random() * 6),
    status: statuses[Math.floor(random() * statuses.length)]!,
    street,
    city: place.city,
    postalCode,
    region: place.region,
    country: place.country,
    address: `${street}, ${postalCode} ${place.city}, ${place.region}, ${place.country}`,
    location: { lat: place.lat + (random() - 0.5) * 0.3, lon: place.lon + (random() - 0.5) * 0.4 },
    price: { amount: 100_000 + Math.floor(random() * 1_900) * 1_000, currency: 'EUR' },
    bedrooms: Math.floor(random() * 6),
    bathrooms: 1 + Math.floor(random() * 3),
    areaSqm: 30 + Math.floor(random() * 250),
    type,
    description: `${phrases[Math.floor(random() * phrases.length)]} in ${place.city}`,
    listedAt,
    updatedAt: listedAt,
    priceChangeCount: Math.floor(random() * 3),
    offerCount: Math.floor(random() * 5),
    agentId: null,
    agency: null,
    agentName: null,
  };
}

async function seedIndex(es: Client, index: string, alias: string, listings: number): Promise<void> {
  await es.indices.create({
    index,
    mappings: propertySearchMappings,
    settings: { number_of_shards: 1, number_of_replicas: 0, refresh_interval: '-1' },
    aliases: { [alias]: {} },
  });
  const random = sequence(42);
  for (let from = 0; from < listings; from += 2_000) {
    const operations = Array.from({ length: Math.min(2_000, listings - from) }, (_, k) => {
      const document = listingDocument(from + k, random);
      return [{ index: { _index: index, _id: document.id } }, document];
    }).flat();
    const response = await es.bulk({ operations });
    if (response.errors) throw new Error(`seeding ${index} failed: ${JSON.stringify(response.items[0])}`);
  }
  await es.indices.putSettings({ index, settings: { refresh_interval: '1s' } });
  await es.indices.refresh({ index });
  await es.indices.forcemerge({ index, max_num_segments: 1 });
}

// ---------------------------------------------------------------------------------------------
// The query mix: each query as the API takes it and as Elasticsearch takes it
// ---------------------------------------------------------------------------------------------

interface MixedQuery {
  name: string;
  /** The API's query string. */
  query: Record<string, string>;
}

const firstPages: MixedQuery[] = [
  { name: 'text', query: { q: 'canal apartment terrace' } },
  { name: 'text + city', query: { q: 'garden', city: 'Berlin' } },
  {
    name: 'filters',
    query: { minPrice: '300000', maxPrice: '900000', minBedrooms: '2', type: 'house,townhouse' },
  },
  { name: 'status + price sort', query: { status: 'listed', sort: 'price' } },
  { name: 'newest', query: { sort: '-listedAt', type: 'apartment' } },
  { name: 'geo radius + distance', query: { lat: '48.86', lon: '2.35', radiusKm: '10', sort: 'distance' } },
  { name: 'facets by price', query: { city: 'Madrid', priceInterval: '250000' } },
  {
    name: 'text + filters + facets',
    query: { q: 'house', minBathrooms: '2', maxPrice: '1500000', limit: '50' },
  },
];

/** The Elasticsearch request body the API builds for a query string (same validation, same builder). */
function elasticsearchBody(query: Record<string, string>): object {
  const parsed = searchQuerySchema.safeParse(query);
  if (!parsed.success) throw new Error(`the mix holds an invalid query: ${parsed.error.message}`);
  return buildSearchRequest(parsed.data);
}

/** Second pages: the API's own cursor after page one of each sorted query. */
async function withSecondPages(apiPort: number): Promise<MixedQuery[]> {
  const pages = [...firstPages];
  for (const first of firstPages.filter((q) => q.query.sort)) {
    const response = await fetch(
      `http://127.0.0.1:${apiPort}/search/properties?${new URLSearchParams(first.query)}`,
    );
    const body = (await response.json()) as { nextCursor?: string | null };
    if (response.status !== 200 || !body.nextCursor)
      throw new Error(`${first.name}: no second page (HTTP ${response.status})`);
    pages.push({ name: `${first.name}, page 2`, query: { ...first.query, cursor: body.nextCursor } });
  }
  return pages;
}

/** One HTTP request of the mix, for the client worker: method, path and body for either side. */
interface Request {
  method: 'GET' | 'POST';
  port: number;
  path: string;
  body?: string;
}

function requestsFor(
  mix: MixedQuery[],
  side: 'api' | 'direct',
  apiPort: number,
  esPort: number,
  alias: string,
): Request[] {
  return mix.map((q) =>
    side === 'api'
      ? { method: 'GET', port: apiPort, path: `/search/properties?${new URLSearchParams(q.query)}` }
      : {
          method: 'POST',
          port: esPort,
          path: `/${alias}/_search`,
          body: JSON.stringify(elasticsearchBody(q.query)),
        },
  );
}

// ---------------------------------------------------------------------------------------------
// Client worker: closed and open loop
// ---------------------------------------------------------------------------------------------

type Load =
  | { kind: 'closed'; requests: Request[]; connections: number; durationMs: number }
  | { kind: 'open'; requests: Request[]; rate: number; durationMs: number };

interface LoadResult {
  requests: number;
  errors: number;
  errorSample?: string;
  elapsedMs: number;
  latenciesMs: Float64Array;
}

function send(agent: http.Agent, request: Request): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: request.port,
        path: request.path,
        method: request.method,
        agent,
        headers: request.body
          ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(request.body) }
          : {},
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(request.body);
  });
}

async function runLoad(load: Load): Promise<LoadResult> {
  const agent = new http.Agent({
    keepAlive: true,
    maxSockets: load.kind === 'closed' ? load.connections : 256,
  });
  const latencies: number[] = [];
  let errors = 0;
  let errorSample: string | undefined;
  let next = 0;
  const one = async (scheduledAt: number) => {
    const request = load.requests[next++ % load.requests.length]!;
    try {
      const status = await send(agent, request);
      if (status !== 200) {
        errors++;
        errorSample ??= `HTTP ${status} for ${request.method} ${request.path.slice(0, 120)}`;
      }
    } catch (error) {
      errors++;
      errorSample ??= messageOf(error);
    }
    latencies.push(performance.now() - scheduledAt);
  };
  const started = performance.now();
  const deadline = started + load.durationMs;
  if (load.kind === 'closed') {
    await Promise.all(
      Array.from({ length: load.connections }, async () => {
        while (performance.now() < deadline) await one(performance.now());
      }),
    );
  } else {
    const interval = 1_000 / load.rate;
    const inFlight: Array<Promise<void>> = [];
    for (let i = 0; started + i * interval < deadline; i++) {
      const scheduledAt = started + i * interval;
      const wait = scheduledAt - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      inFlight.push(one(scheduledAt));
    }
    await Promise.all(inFlight);
  }
  agent.destroy();
  return {
    requests: latencies.length,
    errors,
    ...(errorSample ? { errorSample } : {}),
    elapsedMs: performance.now() - started,
    latenciesMs: Float64Array.from(latencies).sort(),
  };
}

function clientWorkerMain(): void {
  parentPort?.on('message', (load: Load) => {
    runLoad(load).then(
      (result) => parentPort?.postMessage({ result }, [result.latenciesMs.buffer as ArrayBuffer]),
      (error: unknown) => parentPort?.postMessage({ failure: String(error) }),
    );
  });
}

class ClientWorker {
  // The clients run this file again, in their own thread (runBench dispatches to clientWorkerMain).
  private readonly worker = tsxWorker(__filename);

  run(load: Load): Promise<LoadResult> {
    return new Promise((resolve, reject) => {
      const onError = (error: Error) => {
        this.worker.off('message', onMessage);
        reject(error);
      };
      const onMessage = (message: { result?: LoadResult; failure?: string }) => {
        this.worker.off('error', onError);
        if (message.result) resolve(message.result);
        else reject(new Error(message.failure));
      };
      this.worker.once('message', onMessage);
      this.worker.once('error', onError);
      this.worker.postMessage(load);
    });
  }

  stop(): Promise<number> {
    return this.worker.terminate();
  }
}

// ---------------------------------------------------------------------------------------------
// Orchestration and report
// ---------------------------------------------------------------------------------------------

interface Options {
  listings: number;
  connections: number;
  duration: number;
  rounds: number;
  rate: number;
  openDuration: number;
  json: boolean;
}

function parseOptions(argv: string[]): Options {
  return new Command('bench:search')
    .description('The search API against the same requests sent straight to Elasticsearch, in one run')
    .option('-l, --listings <n>', 'listings in the seeded index', positiveInt('listings'), 20_000)
    .option('-c, --connections <n>', 'closed-loop keep-alive connections', positiveInt('connections'), 16)
    .option('-d, --duration <s>', 'closed-loop seconds per side', positiveInt('duration'), 15)
    .option('-r, --rounds <n>', 'alternate the sides in this many rounds', positiveInt('rounds'), 3)
    .option('--rate <n>', 'open-loop requests per second to the API', positiveInt('rate'), 200)
    .option('--open-duration <s>', 'open-loop seconds', positiveInt('open-duration'), 15)
    .option('--json', 'print the result as JSON', false)
    .parse(argv)
    .opts<Options>();
}

interface SideReport {
  side: 'api' | 'direct';
  requests: number;
  errors: number;
  errorSample?: string;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** This process (the service and the client worker) per request. */
  cpuMsPerRequest: number;
  /** Elasticsearch's JVM per request. */
  elasticsearchCpuMsPerRequest: number;
}

class SideMeter {
  private readonly results: LoadResult[] = [];
  private cpuMicros = 0;
  private esMicros = 0;

  constructor(
    readonly side: 'api' | 'direct',
    private readonly esPid: number | undefined,
  ) {}

  async round(run: () => Promise<LoadResult>): Promise<void> {
    const cpu0 = process.cpuUsage();
    const es0 = this.esPid ? processCpuMicros(this.esPid) : 0;
    this.results.push(await run());
    const cpu = process.cpuUsage(cpu0);
    this.cpuMicros += cpu.user + cpu.system;
    this.esMicros += (this.esPid ? processCpuMicros(this.esPid) : 0) - es0;
  }

  report(): SideReport {
    const latencies = Float64Array.from(this.results.flatMap((r) => [...r.latenciesMs])).sort();
    const requests = latencies.length;
    const errors = this.results.reduce((n, r) => n + r.errors, 0);
    const seconds = this.results.reduce((s, r) => s + r.elapsedMs, 0) / 1000;
    const errorSample = this.results.find((r) => r.errorSample)?.errorSample;
    return {
      side: this.side,
      requests,
      errors,
      ...(errorSample ? { errorSample } : {}),
      requestsPerSecond: (requests - errors) / seconds,
      p50Ms: percentile(latencies, 0.5),
      p99Ms: percentile(latencies, 0.99),
      cpuMsPerRequest: this.cpuMicros / 1000 / requests,
      elasticsearchCpuMsPerRequest: this.esMicros / 1000 / requests,
    };
  }
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv);
  const progress = (text: string) => {
    if (!options.json) process.stderr.write(`${text}\n`);
  };
  const infrastructure = infrastructureConfig();
  const es = elasticsearchClient(infrastructure.ELASTICSEARCH_URL);
  const suffix = randomUUID().slice(0, 8);
  const alias = `properties-bench-search-${suffix}`;
  const index = `${alias}-v1`;
  const esPort = Number(new URL(commaSeparated(infrastructure.ELASTICSEARCH_URL)[0] ?? '').port || 9200);
  const esPid = runningPid('elasticsearch');
  // The search service as it is defined, its query API on the seeded alias.
  const benchSearch = readModelService({
    service: 'search',
    summary: 'bench:search',
    api: searchApi,
    projection: { ...propertySearchProjection, name: `property-search-bench-${suffix}`, alias },
    loadConfig: searchConfig,
    port: () => 0,
    // Bench listings have no agents: an empty key store decrypts nothing.
    routes: ({ es: client, waitForToken }) =>
      searchRoutes({ es: client, alias, waitForToken, cipher: new FieldCipher(new MemoryKeyStore()) }),
  });
  const client = new ClientWorker();
  try {
    progress(`seeding ${options.listings} listings into ${index}…`);
    await seedIndex(es, index, alias, options.listings);
    const service = await startService(benchSearch, {
      env: { ...process.env, LOG_LEVEL: 'silent', TRACING_ENABLED: 'false' },
      port: 0,
      workers: false,
    });
    try {
      const mix = await withSecondPages(service.port);
      const sides = {
        api: requestsFor(mix, 'api', service.port, esPort, alias),
        direct: requestsFor(mix, 'direct', service.port, esPort, alias),
      };
      progress(`warming up (${mix.length} queries in the mix)…`);
      for (const side of ['api', 'direct'] as const)
        await client.run({
          kind: 'closed',
          requests: sides[side],
          connections: options.connections,
          durationMs: 3_000,
        });
      const meters = { api: new SideMeter('api', esPid), direct: new SideMeter('direct', esPid) };
      const roundMs = (options.duration * 1000) / options.rounds;
      for (let round = 1; round <= options.rounds; round++) {
        for (const side of ['api', 'direct'] as const) {
          progress(`${side}: closed loop, round ${round}/${options.rounds}…`);
          await meters[side].round(() =>
            client.run({
              kind: 'closed',
              requests: sides[side],
              connections: options.connections,
              durationMs: roundMs,
            }),
          );
        }
      }
      progress(`api: open loop at ${options.rate} requests/s for ${options.openDuration} s…`);
      const open = new SideMeter('api', esPid);
      await open.round(() =>
        client.run({
          kind: 'open',
          requests: sides.api,
          rate: options.rate,
          durationMs: options.openDuration * 1000,
        }),
      );
      const api = meters.api.report();
      const direct = meters.direct.report();
      const result = {
        commandLine: commandLine('bench:search', 'bench/search.ts'),
        machine: {
          cores: os.availableParallelism(),
          cpu: os.cpus()[0]?.model ?? 'unknown',
          node: process.version,
        },
        settings: { ...options, mix: mix.map((q) => q.name) },
        closedLoop: { api, direct, apiToDirect: api.requestsPerSecond / direct.requestsPerSecond },
        openLoop: { rate: options.rate, ...open.report() },
      };
      if (options.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      else printReport(result);
    } finally {
      await service.stop();
    }
  } finally {
    await client.stop();
    await es.indices.delete({ index }, { ignore: [404] });
    await es.close();
  }
}

function printReport(result: {
  commandLine: string;
  machine: { cores: number; cpu: string; node: string };
  settings: Options & { mix: string[] };
  closedLoop: { api: SideReport; direct: SideReport; apiToDirect: number };
  openLoop: SideReport & { rate: number };
}): void {
  const { settings, closedLoop, openLoop } = result;
  const row = (r: SideReport, label: string) =>
    `${label.padEnd(28)} ${String(r.requests).padStart(8)} ${r.requestsPerSecond.toFixed(0).padStart(8)} ` +
    `${r.p50Ms.toFixed(2).padStart(8)} ${r.p99Ms.toFixed(2).padStart(8)} ${r.cpuMsPerRequest.toFixed(2).padStart(10)} ` +
    `${r.elasticsearchCpuMsPerRequest.toFixed(2).padStart(9)} ${String(r.errors).padStart(6)}`;
  const lines = [
    `command: ${result.commandLine}`,
    `machine: ${result.machine.cores} cores (${result.machine.cpu}), node ${result.machine.node}`,
    `settings: ${settings.listings} listings, ${settings.connections} connections, ${settings.duration} s closed loop per side in ${settings.rounds} alternating rounds, open loop ${settings.rate}/s for ${settings.openDuration} s`,
    `mix (${settings.mix.length}): ${settings.mix.join('; ')}`,
    '',
    `${'load'.padEnd(28)} ${'requests'.padStart(8)} ${'req/s'.padStart(8)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'CPU ms/req'.padStart(10)} ${'ES CPU ms'.padStart(9)} ${'errors'.padStart(6)}`,
    row(closedLoop.api, 'api, closed loop'),
    row(closedLoop.direct, 'direct, closed loop'),
    row(openLoop, `api, open loop ${openLoop.rate}/s`),
    '',
    `api/direct (closed loop): ${closedLoop.apiToDirect.toFixed(2)}`,
    ...cpuAccount(closedLoop.api, closedLoop.direct),
  ];
  for (const r of [closedLoop.api, closedLoop.direct, openLoop])
    if (r.errorSample) lines.push(`  ${r.side}: ${r.errors} errors, e.g. ${r.errorSample}`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

/**
 * Where the closed loop's CPU goes. The clients do the same work on both sides, so the
 * service's own CPU per request is api minus direct. On two cores shared by Elasticsearch,
 * the service and the clients, throughput is bound by the CPU each request costs in all,
 * so the ratio of those totals predicts api/direct.
 */
function cpuAccount(api: SideReport, direct: SideReport): string[] {
  const service = api.cpuMsPerRequest - direct.cpuMsPerRequest;
  const apiTotal = api.cpuMsPerRequest + api.elasticsearchCpuMsPerRequest;
  const directTotal = direct.cpuMsPerRequest + direct.elasticsearchCpuMsPerRequest;
  return [
    `service CPU per request (api − direct): ${service.toFixed(2)} ms = ${((100 * service) / direct.elasticsearchCpuMsPerRequest).toFixed(0)} % of Elasticsearch's per direct request`,
    `CPU per request in all (this process + Elasticsearch): api ${apiTotal.toFixed(2)} ms, direct ${directTotal.toFixed(2)} ms; CPU-bound prediction of api/direct ${(directTotal / apiTotal).toFixed(2)}`,
  ];
}

runBench(main, clientWorkerMain);
