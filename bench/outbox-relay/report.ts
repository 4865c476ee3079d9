import { int, percent } from '../support/format';
import { machineLine, type Machine } from '../support/machine';
import { table, type Distribution } from '../support/measure';
import type { BacklogReport } from './backlog-phase';
import type { BaselineReport } from './baseline-phase';
import type { LatencyReport } from './latency-phase';

/** Everything a run measured, as `--json` prints it. */
export interface BenchResult {
  commandLine: string;
  startedAt: string;
  machine: Machine;
  connector: { name: string; settings: Record<string, string> };
  topic: { name: string; timestampType: string };
  latency?: LatencyReport;
  backlog?: BacklogReport;
  baseline?: BaselineReport;
  relayToBrokerRatio: number | null;
  /** Goal from the issue: p99 commit→Kafka ≤ 250 ms at 1,000 events/s. */
  goal: { p99Ms: number; rate: number; met: boolean | null };
}

const ms = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : '-');

export function printReport(result: BenchResult): void {
  const { connector } = result;
  const lines = [
    `command: ${result.commandLine}`,
    machineLine(result.machine, 'the load'),
    `connector ${connector.name}: ${Object.entries(connector.settings)
      .map(([k, v]) => `${k}=${v}`)
      .join(', ')}`,
    `topic ${result.topic.name}: message.timestamp.type=${result.topic.timestampType} ` +
      '(the outbox router stamps each message with the time Debezium processed the change)',
    '',
    ...latencyLines(result),
    ...throughputLines(result),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** Commit → Kafka at the offered rate, and how exactly that rate was offered. */
function latencyLines(result: BenchResult): string[] {
  const l = result.latency;
  if (!l) return [];
  const lines = [
    `latency: ${int(l.offeredRate)} events/s offered for ${l.durationS}s (open loop, after ${l.warmupS}s warm-up), ` +
      `${int(l.committed)} committed (${int(l.committedPerSecond)}/s), relayed ${int(l.relayedPerSecond)}/s; ` +
      `machine ${percent(l.machineCpuBusy)} busy`,
    '',
  ];
  const row = (name: string, d: Distribution) => [
    name,
    int(d.count),
    ms(d.minMs),
    ms(d.p50Ms),
    ms(d.p95Ms),
    ms(d.p99Ms),
    ms(d.maxMs),
  ];
  lines.push(
    ...table(
      ['latency', 'events', 'min ms', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms'],
      [
        row('commit → Kafka timestamp (CreateTime = Debezium ts_ms)', l.commitToCreateTime),
        row('commit → consumer received', l.commitToReceive),
        row('save start → consumer received (upper bound)', l.saveStartToReceive),
      ],
    ),
    '',
    `duplicates ${l.duplicates}, missing ${l.missing}, save errors ${l.errors}; ` +
      `save p50/p99 ${ms(l.save.p50Ms)}/${ms(l.save.p99Ms)} ms; dispatch lag p99/max ${ms(l.dispatchLagP99Ms)}/${ms(l.dispatchLagMaxMs)} ms; ` +
      `max ${l.maxInFlight} saves in flight`,
  );
  for (const [detail, count] of Object.entries(l.errorSamples)) lines.push(`  ${count}× ${detail}`);
  if (result.goal.met !== null)
    lines.push(
      `goal p99 ≤ ${result.goal.p99Ms} ms at ${int(result.goal.rate)}/s (consumer-received): ${result.goal.met ? 'met' : 'MISSED'}`,
    );
  lines.push('');
  return lines;
}

/** The relay's backlog drain against the broker's own produce rate for the same messages. */
function throughputLines(result: BenchResult): string[] {
  const lines: string[] = [];
  const rows: string[][] = [];
  const b = result.backlog;
  if (b)
    rows.push([
      'relay: drain a paused backlog',
      int(b.events),
      b.drainSeconds.toFixed(2),
      int(b.relayedPerSecond),
    ]);
  const base = result.baseline;
  if (base)
    rows.push([
      `broker: kafkajs produce (${base.partitions} partitions)`,
      int(base.messages),
      base.seconds.toFixed(2),
      int(base.messagesPerSecond),
    ]);
  if (rows.length === 0) return lines;
  lines.push(...table(['throughput', 'messages', 'seconds', 'per second'], rows), '');
  if (b)
    lines.push(
      `backlog: committed in ${b.commitSeconds.toFixed(1)} s; first event ${b.firstEventAfterS.toFixed(2)} s after the resume request; ` +
        `${int(b.relayedPerSecondByCreateTime)}/s by CreateTime; duplicates ${b.duplicates}, missing ${b.missing}, save errors ${b.errors}; ` +
        `machine ${percent(b.machineCpuBusy)} busy while draining`,
    );
  if (base)
    lines.push(
      `baseline: ${base.batch} messages per request, mean value ${base.meanValueBytes.toFixed(0)} bytes, idempotent, acks=all; ` +
        `machine ${percent(base.machineCpuBusy)} busy`,
    );
  if (result.relayToBrokerRatio !== null) lines.push(`relay/broker: ${result.relayToBrokerRatio.toFixed(2)}`);
  return lines;
}
