import { Command, InvalidArgumentError } from 'commander';
import { nonNegativeNumber, phaseList, positiveInt, positiveNumber } from '../support/bench-cli';

export type Phase = 'latency' | 'backlog' | 'baseline';
const allPhases: readonly Phase[] = ['latency', 'backlog', 'baseline'];

export interface Options {
  rate: number;
  duration: number;
  warmup: number;
  backlog: number;
  concurrency: number;
  baselineBatch: number;
  stragglerTimeout: number;
  drainTimeout: number;
  connector: string;
  phases: Phase[];
  json: boolean;
}

export function parseOptions(argv: string[]): Options {
  const program = new Command('bench:relay')
    .description(
      'Debezium outbox relay: commit→Kafka latency at a fixed rate, backlog drain, broker baseline',
    )
    .option('-r, --rate <n>', 'offered load of the latency phase, events/s', positiveNumber('rate'), 1000)
    .option('-d, --duration <s>', 'measured seconds at that rate', positiveNumber('duration'), 20)
    .option('-w, --warmup <s>', 'unmeasured seconds at that rate first', nonNegativeNumber, 5)
    .option(
      '-n, --backlog <n>',
      'events committed while the connector is paused',
      positiveInt('backlog'),
      20000,
    )
    .option(
      '-c, --concurrency <n>',
      'concurrent saves while building the backlog',
      positiveInt('concurrency'),
      16,
    )
    .option('--baseline-batch <n>', 'messages per produce request of the baseline', positiveInt('batch'), 500)
    .option(
      '--straggler-timeout <s>',
      'longest wait for the last events of the latency phase',
      positiveNumber('timeout'),
      60,
    )
    .option('--drain-timeout <s>', 'longest wait for the backlog to arrive', positiveNumber('timeout'), 300)
    .option('--connector <name>', 'the outbox connector to pause and resume', 'outbox-relay')
    .option('--phases <list>', 'which phases to run: latency,backlog,baseline', phaseList(allPhases), [
      ...allPhases,
    ])
    .option('--json', 'print the result as JSON instead of a table', false)
    .parse(argv);
  const options = program.opts<Options>();
  if (
    options.phases.includes('baseline') &&
    !options.phases.includes('backlog') &&
    !options.phases.includes('latency')
  )
    throw new InvalidArgumentError(
      'the baseline produces the relayed messages again: run latency or backlog too',
    );
  return options;
}
