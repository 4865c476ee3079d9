/**
 * Projections: projector throughput against plain `_bulk` loading of the same documents,
 * rebuild rate, and commit→applied/searchable latency at a fixed offered load, in one run.
 *
 *   npm run bench:projections -- [--properties 4000] [--changes 4] [--batch-size 2000] [--json]
 *
 * Everything runs against an isolated copy of the property-search projection (its own name,
 * alias, consumer group and indices), so the live projections of `npm start` are untouched;
 * its indices and consumer group are deleted at the end. Events are committed through the
 * property service's `repository.save` in this process (as bench/outbox-relay.ts does) and
 * relayed to `property.events` by the running `outbox-relay` connector.
 *
 * The phases live in bench/projections/: seed, projector and baseline (throughput), rebuild,
 * latency, then cleanup and the report. See bench/README.md for what the figures mean and
 * the results measured so far.
 */
import { randomUUID } from 'node:crypto';
import { propertySearchProjection } from '../services/search/projections/property-search-projection';
import { loadConfig } from '../services/shared/config/load-config';
import { defaultGroupSettings } from '../services/shared/kafka/group-consumer';
import type { Projection } from '../services/shared/projection/projection';
import { projectionConfigSchema } from '../services/shared/projection/projection-config';
import { createProjectionDeps } from '../services/shared/projection/projection-deps';
import { ProjectionRunner } from '../services/shared/projection/projection-runner';
import { kafka } from '../test/support/pipeline';
import { startPropertyService } from '../test/support/property-harness';
import { baselinePhase } from './projections/baseline-phase';
import { cleanup } from './projections/cleanup';
import type { Context, Doc } from './projections/context';
import { freshnessGoalMs, latencyPhase, requireLiveProjector } from './projections/latency-phase';
import { parseOptions } from './projections/options';
import { projectorPhase } from './projections/projector-phase';
import { rebuildPhase } from './projections/rebuild-phase';
import { printReport, type BenchResult } from './projections/report';
import { seed } from './projections/seed';
import { progressReporter, runBench } from './support/bench-cli';
import { describeMachine } from './support/machine';
import { commandLine, sleep, withMachineCpu } from './support/measure';

async function main(): Promise<void> {
  const options = parseOptions(process.argv);
  const progress = progressReporter(options.json);
  const config = loadConfig(projectionConfigSchema, { ...process.env, LOG_LEVEL: 'silent' });
  const { deps, runnerOptions } = createProjectionDeps(
    'bench-projections',
    config,
    propertySearchProjection.streams,
  );
  const suffix = randomUUID().slice(0, 8);
  const projection: Projection<Doc> = {
    ...propertySearchProjection,
    name: `bench-projections-${suffix}`,
    alias: `properties-bench-${suffix}`,
  };
  const admin = kafka.admin();
  await admin.connect();
  const ctx: Context = {
    options,
    admin,
    deps,
    runnerOptions: { ...runnerOptions, batchSize: options.batchSize },
    projection,
    created: new Set(),
  };
  const harness = await startPropertyService();
  const repository = harness.service.repository;
  const { machineCpuBusy: background } = await withMachineCpu(() => sleep(1000));
  const result: BenchResult = {
    commandLine: commandLine('bench:projections', 'bench/projections.ts'),
    startedAt: new Date().toISOString(),
    machine: describeMachine(background),
    projection: {
      name: projection.name,
      alias: projection.alias,
      batchSize: ctx.runnerOptions.batchSize,
      fetchWaitMs: (ctx.runnerOptions.group ?? defaultGroupSettings).fetchWaitMs,
      partitionsConcurrently: ctx.runnerOptions.partitionsConcurrently,
    },
    options,
    projectorToPlain: null,
    latency: [],
    goals: { ratio: null, rebuild: null, latencyP99: null },
  };
  const runner = new ProjectionRunner(deps, projection, ctx.runnerOptions);
  try {
    const live = options.observe === 'live';
    if (live) await requireLiveProjector(admin);
    if (options.properties > 0) result.seed = await seed(repository, admin, options, progress);
    // The isolated projector replays the topic for throughput and rebuild, and is the one
    // observed unless the live one is; observing the live one alone, it does not run at all.
    const needsIsolated = !live || options.phases.some((phase) => phase !== 'latency');
    if (needsIsolated) {
      result.projector = await projectorPhase(ctx, runner, progress);
      const aliased = Object.keys(await deps.es.indices.getAlias({ name: projection.alias }));
      for (const index of aliased) ctx.created.add(index);
    }
    if (options.phases.includes('throughput') && result.projector) {
      const projector = result.projector;
      result.baseline = await baselinePhase(ctx, projector, progress);
      result.projectorToPlain = projector.eventsPerSecond / result.baseline.eventsEquivalentPerSecond;
      result.goals.ratio = result.projectorToPlain >= 0.8;
    }
    if (options.phases.includes('rebuild')) {
      result.rebuild = await rebuildPhase(ctx, progress);
      result.goals.rebuild = result.rebuild.eventsPerSecond >= 10_000;
    }
    if (options.phases.includes('latency')) {
      // Observing the live projector, the isolated one would only compete with it for the cores.
      if (live) await runner.stop();
      for (const rate of options.rates)
        result.latency.push(await latencyPhase(ctx, repository, rate, progress));
      result.goals.latencyP99 = result.latency.every(
        (l) => l.notSearchable === 0 && l.commitToSearchable.p99Ms <= freshnessGoalMs,
      );
    }
  } finally {
    await cleanup(ctx, runner);
    await admin.disconnect();
    await harness.close();
    await deps.es.close();
  }
  if (options.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else printReport(result);
}

runBench(main);
