/**
 * Outbox relay: commit→Kafka latency at a fixed offered load, backlog drain throughput, and
 * the broker's own produce rate as a baseline, in one run.
 *
 *   npm run bench:relay -- [--rate 1000] [--duration 20] [--warmup 5] [--backlog 20000] [--json]
 *
 * Events are committed through the property service's real write path: `repository.save`
 * of Property aggregates (Avro encoding, then the event store's one-statement append of the
 * events and outbox rows) with the service's pool, in this process and without HTTP, so the
 * offered load is exactly what the open-loop schedule asks for rather than what the REST API
 * can sustain on a shared 2-core box. The running `outbox-relay` Debezium connector relays
 * the rows to `property.events`; a kafkajs consumer in a worker thread (so its receive times
 * do not wait on the load generator's event loop) reads the topic from the end offsets taken
 * before the load and matches every message to its commit by the `eventId` header.
 *
 * The phases live in bench/outbox-relay/: latency, backlog and baseline, then the report.
 * See bench/README.md for what the figures mean and the results measured so far.
 */
import { randomUUID } from 'node:crypto';
import { propertyTopic } from '../services/property/published';
import { infrastructureConfig } from '../services/shared/service/infrastructure';
import { endOffsets } from '../test/support/pipeline';
import { startPropertyService } from '../test/support/property-harness';
import { backlogPhase } from './outbox-relay/backlog-phase';
import { baselinePhase } from './outbox-relay/baseline-phase';
import { latencyPhase } from './outbox-relay/latency-phase';
import { parseOptions } from './outbox-relay/options';
import { PropertyEventWriter } from './outbox-relay/property-event-writer';
import { RelayConsumer, type Relayed } from './outbox-relay/relay-consumer';
import { runningConnectorSettings, topicTimestampType } from './outbox-relay/relay-setup';
import { printReport, type BenchResult } from './outbox-relay/report';
import { progressReporter, runBench } from './support/bench-cli';
import { describeMachine } from './support/machine';
import { backgroundCpu, commandLine } from './support/measure';

async function main(): Promise<void> {
  const options = parseOptions(process.argv);
  const progress = progressReporter(options.json);
  const settings = await runningConnectorSettings(options.connector);

  const harness = await startPropertyService();
  const writer = new PropertyEventWriter(harness.service.repository, randomUUID().slice(0, 8));
  const background = await backgroundCpu(1000);
  const timestampType = await topicTimestampType(propertyTopic);
  const from = await endOffsets(propertyTopic);
  progress('starting the consumer at the end of property.events…');
  const consumer = await RelayConsumer.start(
    { brokers: infrastructureConfig().KAFKA_BROKERS, topic: propertyTopic, from },
    60_000,
  );
  const result: BenchResult = {
    commandLine: commandLine('bench:relay', 'bench/outbox-relay.ts'),
    startedAt: new Date().toISOString(),
    machine: describeMachine(background),
    connector: { name: options.connector, settings },
    topic: { name: propertyTopic, timestampType },
    relayToBrokerRatio: null,
    goal: { p99Ms: 250, rate: 1000, met: null },
  };
  try {
    let relayed: Relayed[] = [];
    if (options.phases.includes('latency')) {
      result.latency = await latencyPhase(writer, consumer, options, progress);
      result.goal.met =
        options.rate >= 1000 && result.latency.missing === 0
          ? result.latency.commitToReceive.p99Ms <= result.goal.p99Ms
          : null;
    }
    if (options.phases.includes('backlog')) {
      const backlog = await backlogPhase(writer, consumer, options, progress);
      result.backlog = backlog.report;
      relayed = backlog.messages;
    }
    if (options.phases.includes('baseline')) {
      // Without a backlog, the latency phase's arrivals are the messages produced again.
      if (relayed.length === 0) relayed = [...consumer.arrivals.values()].map((a) => a.message);
      result.baseline = await baselinePhase(relayed, options, progress);
      if (result.backlog)
        result.relayToBrokerRatio = result.backlog.relayedPerSecond / result.baseline.messagesPerSecond;
    }
  } finally {
    await consumer.stop();
    await harness.close();
  }
  if (options.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else printReport(result);
}

runBench(main);
