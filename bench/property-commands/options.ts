import { Command, InvalidArgumentError } from 'commander';
import { nonNegativeNumber, positiveInt } from '../support/bench-cli';
import { kinds, type Kind, type Mix } from '../support/http-commands';

export const pathNames = ['api', 'api-preverified', 'raw'] as const;
export type PathName = (typeof pathNames)[number];
const isPathName = (name: string): name is PathName => (pathNames as readonly string[]).includes(name);

export interface Options {
  concurrency: number;
  duration: number;
  rounds: number;
  warmup: number;
  properties: number;
  mix: Mix;
  pool?: number;
  paths: PathName[];
  longStream: number;
  streamSamples: number;
  processes: number[];
  json: boolean;
}

function parseMix(value: string): Mix {
  const mix: Mix = { list: 0, price: 0, offer: 0 };
  for (const part of value.split(',')) {
    const [name, weight] = part.split('=');
    const w = Number(weight);
    if (!kinds.includes(name as Kind) || !Number.isFinite(w) || w < 0) {
      throw new InvalidArgumentError(`expected e.g. list=10,price=45,offer=45, got "${part}"`);
    }
    mix[name as Kind] = w;
  }
  if (kinds.every((k) => mix[k] === 0)) throw new InvalidArgumentError('at least one weight must be > 0');
  return mix;
}

function parsePaths(value: string): PathName[] {
  const paths = value.split(',').map((p) => p.trim());
  const unknown = paths.find((p) => !isPathName(p));
  if (unknown !== undefined)
    throw new InvalidArgumentError(`unknown path "${unknown}" (known: ${pathNames.join(', ')})`);
  return paths.filter(isPathName);
}

function parseProcesses(value: string): number[] {
  if (value === 'none') return [];
  return value.split(',').map((part) => positiveInt('processes')(part.trim()));
}

export function parseOptions(argv: string[]): Options {
  const program = new Command('bench:commands')
    .description('Property command throughput through the REST API versus raw SQL, in one run')
    .option(
      '-c, --concurrency <n>',
      'concurrent clients (and raw-path workers)',
      positiveInt('concurrency'),
      32,
    )
    .option('-d, --duration <s>', 'measured seconds per path', nonNegativeNumber, 15)
    .option('-r, --rounds <n>', 'alternate the paths in this many measured rounds', positiveInt('rounds'), 3)
    .option('-w, --warmup <s>', 'unmeasured warm-up seconds per path', nonNegativeNumber, 3)
    .option(
      '-p, --properties <n>',
      'properties listed per path before the warm-up',
      positiveInt('properties'),
      1000,
    )
    .option('-m, --mix <weights>', 'command mix weights', parseMix, parseMix('list=10,price=45,offer=45'))
    .option(
      '--pool <n>',
      'Postgres pool size of the service and the raw path (default PROPERTY_DB_POOL or 20)',
      positiveInt('pool'),
    )
    .option('--paths <list>', `which paths to run: ${pathNames.join(',')}`, parsePaths, [...pathNames])
    .option(
      '--long-stream <n>',
      'events of the long stream in the stream-length phase (0 skips the phase)',
      nonNegativeNumber,
      5000,
    )
    .option(
      '--stream-samples <n>',
      'sequential operations per figure of the stream-length phase',
      positiveInt('stream-samples'),
      200,
    )
    .option(
      '--processes <list>',
      'also run the service as supervised processes, e.g. 1,2 (processes×1, processes×2); "none" skips',
      parseProcesses,
      [1, 2],
    )
    .option('--json', 'print the result as JSON instead of a table', false)
    .parse(argv);
  return program.opts<Options>();
}
