/**
 * The stream-length phase of bench:commands: does a property get slower as its stream
 * grows? One sequential client (keep-alive) against a property service measures a price
 * change and a `GET /properties/:id` on short streams (listing + 4 events) and on one long
 * stream (`--long-stream` events, written in batches through the service's repository),
 * with the service's snapshots and, for contrast in the same run, on a service without them.
 */
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { localUser } from '../../test/support/identities';
import { listing, startPropertyService, type PropertyHarness } from '../../test/support/property-harness';
import { listedProperty } from '../../services/property/domain/property';
import { moneyFromMajor } from '../../services/shared/domain/money';
import { percentile } from '../support/measure';
import type { Options } from './options';

export interface OperationFigures {
  p50Ms: number;
  p99Ms: number;
  /** This process's CPU (service + client) per operation. */
  cpuMs: number;
}

export interface StreamLengthReport {
  service: string;
  longStreamEvents: number;
  samples: number;
  short: { command: OperationFigures; read: OperationFigures };
  long: { command: OperationFigures; read: OperationFigures };
  /** long ÷ short: the goal is ≤ 1.2 for p50 and CPU, command and read. */
  ratios: { commandP50: number; commandCpu: number; readP50: number; readCpu: number };
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

function request(
  port: number,
  method: 'GET' | 'POST',
  path: string,
  token: string,
  body?: object,
): Promise<number> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path,
        method,
        agent,
        headers: {
          authorization: `Bearer ${token}`,
          ...(payload === undefined
            ? {}
            : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }),
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** Runs `operation` `samples` times in sequence; latency percentiles and CPU per operation. */
async function measure(samples: number, operation: (i: number) => Promise<void>): Promise<OperationFigures> {
  const latencies = new Float64Array(samples);
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < samples; i++) {
    const t0 = process.hrtime.bigint();
    await operation(i);
    latencies[i] = Number(process.hrtime.bigint() - t0) / 1e6;
  }
  const cpu = process.cpuUsage(cpu0);
  latencies.sort();
  return {
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    cpuMs: (cpu.user + cpu.system) / 1000 / samples,
  };
}

const expectStatus = (expected: number, actual: number, what: string) => {
  if (actual !== expected) throw new Error(`${what} answered ${actual}, expected ${expected}`);
};

/**
 * A listing owned by the seller with `events` events in all: price changes after the
 * listing, written in batches of 100. Price changes keep the state (and the response) the
 * same size however long the stream is, so the figures show the cost of the stream itself;
 * thousands of offers would also grow every response by the offers it lists.
 */
async function seededStream(harness: PropertyHarness, ownerId: string, events: number): Promise<string> {
  const { repository } = harness.service;
  const id = randomUUID();
  const input = listing();
  const property = listedProperty(
    id,
    {
      address: input.address,
      price: moneyFromMajor(input.price.amount, input.price.currency),
      bedrooms: input.bedrooms,
      bathrooms: input.bathrooms,
      areaSqm: input.areaSqm,
      propertyType: 'apartment',
      ownerId,
    },
    new Date(),
  );
  const context = {
    correlationId: `bench-stream-${id}`,
    causationId: null,
    traceparent: null,
    actor: ownerId,
  };
  for (;;) {
    while (property.version < events && property.uncommittedEvents.length < 100)
      property.execute({ type: 'ChangePrice', price: moneyFromMajor(500_000 + property.version, 'EUR') });
    // Saved and committed, the same aggregate takes the next batch.
    await repository.save(property, property.persistedVersion, context);
    if (property.version >= events) return id;
  }
}

async function streamLengthPhase(
  service: string,
  harness: PropertyHarness,
  sellerToken: string,
  sellerId: string,
  longStreamEvents: number,
  samples: number,
): Promise<StreamLengthReport> {
  const port = Number(new URL(harness.baseUrl).port);
  const long = await seededStream(harness, sellerId, longStreamEvents);
  // Short streams stay short: each gets at most 5 of the measured price changes.
  const shorts = await Promise.all(
    Array.from({ length: Math.ceil(samples / 5) }, () => seededStream(harness, sellerId, 5)),
  );
  let price = 700_000;
  const changePrice = async (id: string) => {
    price += 100;
    const status = await request(port, 'POST', `/properties/${id}/price`, sellerToken, {
      price: { amount: price, currency: 'EUR' },
    });
    expectStatus(200, status, `price change of ${id}`);
  };
  const read = async (id: string) =>
    expectStatus(200, await request(port, 'GET', `/properties/${id}`, sellerToken), `GET ${id}`);
  // Warm-up of the code paths (the long stream's snapshots were written as it was seeded).
  for (let i = 0; i < 20; i++) {
    await read(long);
    await read(shorts[i % shorts.length]!);
  }
  const shortCommand = await measure(samples, (i) => changePrice(shorts[i % shorts.length]!));
  const longCommand = await measure(samples, () => changePrice(long));
  const shortRead = await measure(samples, (i) => read(shorts[i % shorts.length]!));
  const longRead = await measure(samples, () => read(long));
  return {
    service,
    longStreamEvents,
    samples,
    short: { command: shortCommand, read: shortRead },
    long: { command: longCommand, read: longRead },
    ratios: {
      commandP50: longCommand.p50Ms / shortCommand.p50Ms,
      commandCpu: longCommand.cpuMs / shortCommand.cpuMs,
      readP50: longRead.p50Ms / shortRead.p50Ms,
      readCpu: longRead.cpuMs / shortRead.cpuMs,
    },
  };
}

/**
 * The phase on two property services side by side: one with the configured snapshots and
 * one without any, so the report shows what snapshots save. `--long-stream 0` skips it.
 */
export async function streamLengthPhases(
  options: Options,
  progress: (text: string) => void,
): Promise<StreamLengthReport[]> {
  const streamLength: StreamLengthReport[] = [];
  if (options.longStream <= 0) return streamLength;
  const seller = await localUser('seller1');
  const configured = await startPropertyService();
  const unsnapshotted = await startPropertyService({ env: { PROPERTY_SNAPSHOT_EVERY: '0' } });
  try {
    for (const [name, service] of [
      [`snapshots every ${configured.running.config.PROPERTY_SNAPSHOT_EVERY}`, configured],
      ['no snapshots', unsnapshotted],
    ] as const) {
      progress(
        `stream length (${name}): ${options.longStream} events against 5, ${options.streamSamples} samples…`,
      );
      streamLength.push(
        await streamLengthPhase(
          name,
          service,
          await seller.token(),
          seller.subject,
          options.longStream,
          options.streamSamples,
        ),
      );
    }
  } finally {
    await configured.close();
    await unsnapshotted.close();
  }
  return streamLength;
}
