import path from 'node:path';
import { Command } from 'commander';
import { ConnectClient } from '../shared/connect/connect-client';
import { diffConfig, formatChange } from '../shared/connect/config-diff';
import {
  applyConnector,
  desiredConfig,
  resetOffsets,
  rollbackConnector,
  validateConnector,
  waitForRunning,
} from '../shared/connect/connector-deployment';
import { connectorNames, loadConnector } from '../shared/connect/connector-file';
import { postgresSourceOffset } from '../shared/connect/debezium-offset';
import { readReplicationSlot } from '../shared/connect/replication-slot';
import { assessSlot, describeSlotHealth } from '../shared/connect/slot-health';
import { recoverSlot } from '../shared/connect/slot-recovery';
import { createDatabase } from '../shared/db/database';
import { connectorsCliConfig } from './connectors-config';
import { slotRecoveryDeps } from './slot-recovery-deps';
import { messageOf } from '../shared/errors/message-of';
import { defaultStrimziTargets } from '../shared/connect/strimzi-resources';
import { strimziManifestsDir, writeStrimziManifests } from './strimzi-manifests';

const config = () => connectorsCliConfig();
const client = () => ConnectClient.of(config());

/** `npm run connectors -- <command> [name]`: deploys and operates the Debezium outbox connectors. */
const program = new Command('connectors').description(
  'Deploys and operates the connectors in connectors/*.json on a Kafka Connect cluster (CONNECT_URL)',
);

/** Runs `action` for the named connector, or for every connector file when no name is given. */
const eachConnector = (action: (name: string) => Promise<void>) => async (name?: string) => {
  for (const n of name ? [name] : connectorNames()) await action(n);
};

program
  .command('validate [name]')
  .description("check the config with Connect's validate endpoint; print every error by field")
  .action(
    eachConnector(async (name) => {
      const errors = await validateConnector(client(), loadConnector(name));
      if (errors.length === 0) {
        console.log(`${name}: valid`);
        return;
      }
      for (const e of errors) console.log(`${name}: ${e.field}: ${e.message}`);
      throw new Error(`${name}: ${errors.length} invalid field(s): ${errors.map((e) => e.field).join(', ')}`);
    }),
  );

program
  .command('diff [name]')
  .description('show desired vs running config, key by key (changes nothing)')
  .action(
    eachConnector(async (name) => {
      const definition = loadConnector(name);
      const running = await client().connectorConfig(name);
      const changes = diffConfig(running, desiredConfig(definition));
      if (!running)
        console.log(
          `${name}: not deployed; apply would create it with ${Object.keys(definition.config).length} keys`,
        );
      else if (changes.length === 0)
        console.log(`${name}: running config matches ${path.basename(definition.file)}`);
      for (const change of running ? changes : []) console.log(`${name}: ${formatChange(change)}`);
    }),
  );

program
  .command('apply [name]')
  .description(
    'PUT the config if it changed (no-op otherwise), then wait until connector and tasks are RUNNING',
  )
  .option('--timeout <seconds>', 'how long to wait for RUNNING', '90')
  .action(async (name: string | undefined, options: { timeout: string }) => {
    const db = createDatabase<unknown>({ connectionString: config().DATABASE_URL, maxConnections: 1 });
    try {
      await eachConnector(async (n) => {
        const result = await applyConnector(
          client(),
          db,
          loadConnector(n),
          config().CONNECTORS_STATE_DIR,
          Number(options.timeout) * 1000,
        );
        if (!result.changed) console.log(`${n}: unchanged (no-op); ${result.status.connector.state}`);
        else for (const change of result.changes) console.log(`${n}: ${formatChange(change)}`);
        console.log(`${n}: RUNNING with ${result.status.tasks.length} task(s)`);
      })(name);
    } finally {
      await db.destroy();
    }
  });

program
  .command('rollback <name>')
  .description('restore the config that the last changing apply replaced')
  .action(async (name: string) => {
    const status = await rollbackConnector(client(), name, config().CONNECTORS_STATE_DIR);
    console.log(`${name}: rolled back; ${status.connector.state}`);
  });

program
  .command('status [name]')
  .description(
    'connector and task states, and the replication slot: present, wal_status, lag; exits 3 if a slot is lost, 2 on a warning',
  )
  .action(
    eachConnector(async (name) => {
      const slotName = loadConnector(name).config['slot.name'];
      const status = await client().status(name);
      console.log(
        `${name}: connector ${status.connector.state}; tasks ${status.tasks.map((t) => `${t.id}:${t.state}`).join(' ')}`,
      );
      for (const failed of [status.connector, ...status.tasks].filter((s) => s.state === 'FAILED')) {
        console.log(failed.trace?.split('\n').slice(0, 8).join('\n'));
      }
      if (slotName) await reportSlot(name, slotName);
    }),
  );

/** Exit status of `status`: 2 = a warning (lag, WAL at risk), 3 = a slot is lost. */
const EXIT_WARNING = 2;
const EXIT_SLOT_LOST = 3;

async function reportSlot(name: string, slotName: string): Promise<void> {
  const { DATABASE_URL, SLOT_LAG_WARN_BYTES } = config();
  const db = createDatabase<unknown>({ connectionString: DATABASE_URL, maxConnections: 1 });
  try {
    const offset = postgresSourceOffset(await client().offsets(name));
    const health = assessSlot(await readReplicationSlot(db, slotName), offset);
    const { lines, severity } = describeSlotHealth(name, slotName, health, SLOT_LAG_WARN_BYTES);
    for (const line of lines) console.log(line);
    if (severity === 'lost') process.exitCode = EXIT_SLOT_LOST;
    else if (severity === 'warning' && process.exitCode !== EXIT_SLOT_LOST) process.exitCode = EXIT_WARNING;
  } finally {
    await db.destroy();
  }
}

program
  .command('recover <name>')
  .description(
    'after the replication slot was dropped or invalidated: stop, create the slot again, republish what Kafka lacks, resume',
  )
  .option('--since <instant>', "point of loss (ISO 8601); default: the connector's last committed offset")
  .option('--timeout <seconds>', 'how long to wait for each state change', '90')
  .action(async (name: string, options: { since?: string; timeout: string }) => {
    const definition = loadConnector(name);
    const since = options.since === undefined ? undefined : instant('--since', options.since);
    const c = config();
    const deps = slotRecoveryDeps(c, (line) => console.log(line));
    try {
      await recoverSlot(deps, definition, {
        ...(since ? { since } : {}),
        marginMs: c.SLOT_RECOVERY_MARGIN_SECONDS * 1000,
        retentionHours: c.OUTBOX_RETENTION_HOURS,
        timeoutMs: Number(options.timeout) * 1000,
      });
    } finally {
      await deps.close();
    }
  });

function instant(option: string, text: string): Date {
  const date = new Date(text);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(text) || Number.isNaN(date.getTime()))
    throw new Error(`${option}: not an ISO 8601 instant: "${text}" (e.g. 2026-11-30T14:00:00Z)`);
  return date;
}

const simple = (
  command: string,
  description: string,
  act: (c: ConnectClient, name: string) => Promise<void>,
  done: string,
) =>
  program
    .command(`${command} <name>`)
    .description(description)
    .action(async (name: string) => {
      loadConnector(name);
      await act(client(), name);
      console.log(`${name}: ${done}`);
    });

simple(
  'restart',
  'restart failed connector and tasks only',
  (c, n) => c.restartFailed(n).then(() => waitForRunning(c, n, 90_000).then(() => undefined)),
  'failed parts restarted; RUNNING',
);
simple('pause', 'pause the connector (tasks stay assigned)', (c, n) => c.pause(n), 'pause requested');
simple('resume', 'resume a paused or stopped connector', (c, n) => c.resume(n), 'resume requested');
simple(
  'stop',
  'stop the connector (tasks are shut down; offsets can then be altered)',
  (c, n) => c.stop(n),
  'stop requested',
);
simple(
  'delete',
  'delete the connector (its offsets and replication slot remain)',
  (c, n) => c.delete(n),
  'deleted',
);

program
  .command('render')
  .description(
    'write the topics and connectors as Kubernetes resources of an operator (changes nothing live)',
  )
  .requiredOption(
    '--target <operator>',
    'strimzi: KafkaTopic and KafkaConnector resources (kafka.strimzi.io/v1)',
  )
  .option('--out <dir>', 'folder to write them to', strimziManifestsDir)
  .option(
    '--kafka-cluster <name>',
    'the Kafka resource the topics belong to',
    defaultStrimziTargets.kafkaCluster,
  )
  .option('--connect-cluster <name>', 'the KafkaConnect resource', defaultStrimziTargets.connectCluster)
  .option('--replicas <n>', 'replicas of every topic', String(defaultStrimziTargets.replicas))
  .option(
    '--min-insync-replicas <n>',
    'min.insync.replicas of every topic',
    String(defaultStrimziTargets.minInsyncReplicas),
  )
  .action(
    (options: {
      target: string;
      out: string;
      kafkaCluster: string;
      connectCluster: string;
      replicas: string;
      minInsyncReplicas: string;
    }) => {
      if (options.target !== 'strimzi')
        throw new Error(`--target ${options.target}: only strimzi is supported`);
      const count = (flag: string, value: string) => {
        const n = Number(value);
        if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} ${value}: expected a whole number ≥ 1`);
        return n;
      };
      const written = writeStrimziManifests(options.out, {
        kafkaCluster: options.kafkaCluster,
        connectCluster: options.connectCluster,
        replicas: count('--replicas', options.replicas),
        minInsyncReplicas: count('--min-insync-replicas', options.minInsyncReplicas),
      });
      for (const file of written) console.log(`render: wrote ${path.relative(process.cwd(), file)}`);
    },
  );

const offsets = program.command('offsets').description('read or reset a connector’s source offsets');
offsets
  .command('show <name>', { isDefault: true })
  .description('print the committed source offsets')
  .action(async (name: string) => {
    loadConnector(name);
    console.log(JSON.stringify(await client().offsets(name), null, 2));
  });
offsets
  .command('reset <name>')
  .description('stop → delete offsets → resume (refuses unless the connector can be stopped)')
  .action(async (name: string) => {
    loadConnector(name);
    await resetOffsets(client(), name);
    console.log(`${name}: offsets reset; connector RUNNING (it starts over per its snapshot.mode)`);
  });

program.parseAsync().catch((error: unknown) => {
  const message = messageOf(error);
  console.error(`connectors: ${message.split('\n')[0]}`);
  const rest = message.split('\n').slice(1).join('\n');
  if (rest) console.error(rest);
  process.exit(1);
});
