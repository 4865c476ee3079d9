import { Command, InvalidArgumentError } from 'commander';
import { nonNegativeInt, phaseList, positiveInt } from '../support/bench-cli';

export type Phase = 'throughput' | 'rebuild' | 'latency';
export const allPhases: readonly Phase[] = ['throughput', 'rebuild', 'latency'];

export interface Options {
  properties: number;
  changes: number;
  concurrency: number;
  batchSize: number;
  rates: number[];
  latencyDuration: number;
  sample: number;
  phases: Phase[];
  /** Whose index the latency phase polls: this run's isolated projector, or the live one of `npm start`. */
  observe: 'isolated' | 'live';
  json: boolean;
}

export function parseOptions(argv: string[]): Options {
  return new Command('bench:projections')
    .description('Projector throughput vs plain _bulk, rebuild rate, commit→searchable latency')
    .option('-p, --properties <n>', 'properties to seed', nonNegativeInt, 4000)
    .option('--changes <n>', 'price changes per seeded property', nonNegativeInt, 4)
    .option('-c, --concurrency <n>', 'concurrent saves while seeding', positiveInt('concurrency'), 16)
    .option(
      '-b, --batch-size <n>',
      'runner batch size and documents per baseline _bulk',
      positiveInt('batch'),
      2000,
    )
    .option(
      '--rates <list>',
      'offered loads of the latency phase, saves/s',
      (v: string) => v.split(',').map((r) => positiveInt('rate')(r.trim())),
      [500, 1000],
    )
    .option('--latency-duration <s>', 'seconds per offered load', positiveInt('duration'), 15)
    .option('--sample <n>', 'poll for every n-th commit of the latency phase', positiveInt('sample'), 10)
    .option('--phases <list>', 'throughput,rebuild,latency', phaseList(allPhases), [...allPhases])
    .option(
      '--observe <projector>',
      "latency phase: poll the isolated projector's index, or the live one (`npm start` must run search)",
      (v: string) => {
        if (v !== 'isolated' && v !== 'live') throw new InvalidArgumentError('isolated or live');
        return v;
      },
      'isolated',
    )
    .option('--json', 'print the result as JSON', false)
    .parse(argv)
    .opts<Options>();
}
