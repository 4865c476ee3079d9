import { Registry } from 'prom-client';
import { capturedLogger, logLevels } from '../../../test/support/captured-logger';
import { stuckPartitionHooks, stuckPartitionsOf } from './stuck-partitions';

async function gaugeValues(registry: Registry, name: string) {
  const metric = await registry.getSingleMetric(name)?.get();
  return (metric?.values ?? []).map((v) => ({ labels: v.labels, value: v.value }));
}

describe('stuck partitions', () => {
  const at = { consumer: 'payment.commands', topic: 'payment.commands', partition: 3 };

  it('counts a stuck partition and its seconds, logs it once, then goes back to 0 and logs the recovery', async () => {
    const registry = new Registry();
    const { logger, lines } = capturedLogger();
    const hooks = stuckPartitionHooks(stuckPartitionsOf(registry), logger, at);
    const stall = {
      since: Date.now() - 42_000,
      firstError: new Error('Connection terminated unexpectedly'),
      retries: 17,
    };

    hooks.onStuck(stall);
    expect(await gaugeValues(registry, 'deedstream_consumer_stuck_partitions')).toEqual([
      { labels: { consumer: 'payment.commands' }, value: 1 },
    ]);
    const [seconds] = await gaugeValues(registry, 'deedstream_consumer_partition_stuck_seconds');
    expect(seconds?.labels).toEqual({
      consumer: 'payment.commands',
      topic: 'payment.commands',
      partition: '3',
    });
    expect(seconds?.value).toBeGreaterThanOrEqual(42);
    const warning = lines.find((l) => l.level === logLevels.warn);
    expect(warning?.msg).toBe(
      'payment.commands: payment.commands[3] stuck for 42 s, still retrying; first error: Connection terminated unexpectedly',
    );
    expect(warning).toMatchObject({ consumer: 'payment.commands', topic: 'payment.commands', partition: 3 });

    hooks.onStuckEnded(stall, 'succeeded');
    expect(await gaugeValues(registry, 'deedstream_consumer_stuck_partitions')).toEqual([
      { labels: { consumer: 'payment.commands' }, value: 0 },
    ]);
    expect((await gaugeValues(registry, 'deedstream_consumer_partition_stuck_seconds'))[0]?.value).toBe(0);
    expect(lines.at(-1)?.msg).toBe('payment.commands: payment.commands[3] recovered after 42 s, 17 retries');
  });

  it('keeps one tracker per registry, so several consumers of one process can share it', () => {
    const registry = new Registry();
    expect(stuckPartitionsOf(registry)).toBe(stuckPartitionsOf(registry));
    expect(stuckPartitionsOf(new Registry())).not.toBe(stuckPartitionsOf(registry));
  });
});
