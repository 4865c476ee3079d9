import path from 'node:path';
import { Command } from 'commander';
import { StackError } from '../stack/errors';
import { stackSetting } from '../stack/stack-settings';
import { up } from '../stack/stack';
import { stackHome } from '../stack/paths';
import { activeProfile } from '../stack/profile';
import { useProfileClientEnv } from '../stack/topology';
import { serviceNamed, serviceNames } from './catalog';
import { provision } from './provision';
import { infrastructureConfig } from './shared/service/infrastructure';
import { ConfigError } from './shared/config/load-config';
import { tracingConfig } from './shared/observability/tracing-config';
import { parseOnly, parseReplicas, planProcesses } from './supervisor/process-plan';
import { Supervisor } from './supervisor/supervisor';
import { messageOf } from './shared/errors/message-of';

interface StartOptions {
  only?: string;
  replicas: string[];
}

/**
 * The main job (`npm start`): brings the native stack up if it is not running, provisions
 * it (migrations, schemas, topics, connectors), then runs every service as its own
 * process under a supervisor. Ctrl-C stops the services; the stack keeps running until
 * `npm run stack -- down`.
 */
const program = new Command('start')
  .description('provision the stack and run every service as a supervised process')
  .option('--only <services>', `comma-separated subset of: ${serviceNames.join(', ')}`)
  .option(
    '--replicas <service=count>',
    'processes of a service (repeatable, or comma-separated; default from DEEDSTREAM_REPLICAS)',
    (value: string, previous: string[]) => [...previous, value],
    [] as string[],
  )
  .action(async (options: StartOptions) => {
    // On the native stack, the profile `up` last started says where its nodes are.
    if (stackSetting('DEEDSTREAM_EXTERNAL_STACK') === 'false') useProfileClientEnv(activeProfile(stackHome));
    const services = parseOnly(options.only, serviceNames);
    const replicaSpecs =
      options.replicas.length > 0 ? options.replicas : [stackSetting('DEEDSTREAM_REPLICAS') ?? ''];
    const plan = planProcesses(services, parseReplicas(replicaSpecs, serviceNames));
    // Every child's configuration is checked here first: one line now, not a restart loop later.
    const ports = new Map(
      services.map((name) => {
        const definition = serviceNamed(name);
        return [name, definition.port(definition.loadConfig(process.env))];
      }),
    );
    const config = infrastructureConfig();
    // Every child starts tracing from these variables before anything else.
    tracingConfig();

    if (stackSetting('DEEDSTREAM_EXTERNAL_STACK') === 'false') {
      console.log('» native stack (npm run stack -- up)');
      await up();
    }
    await provision(config, (line) => console.log(line));

    const supervisor = new Supervisor(plan, {
      // serve.ts under tsx, serve.js compiled (npm start runs dist/).
      entry: path.join(__dirname, `serve${path.extname(__filename)}`),
      stopTimeoutMs: config.SHUTDOWN_TIMEOUT_MS + 5_000,
      write: (line) => process.stdout.write(`${line}\n`),
    });
    let stopping = false;
    const stop = async (signal: string) => {
      if (stopping) {
        console.log(`${signal} again: exiting now`);
        process.exit(1);
      }
      stopping = true;
      console.log(`\n${signal}: stopping ${plan.length} processes (the stack keeps running)`);
      await supervisor.stop();
      process.exit(0);
    };
    process.on('SIGINT', () => void stop('SIGINT'));
    process.on('SIGTERM', () => void stop('SIGTERM'));

    console.log(`» services (${plan.length} processes)`);
    await supervisor.start();
    console.log('');
    for (const state of supervisor.processes()) {
      console.log(
        `  ${state.label.padEnd(12)} pid ${String(state.pid ?? '-').padEnd(7)} http://127.0.0.1:${ports.get(state.service)}  ${serviceNamed(state.service).summary}`,
      );
    }
    console.log('\nCtrl-C stops the services; the stack keeps running (npm run stack -- down stops it).');
  });

program.parseAsync().catch((error: unknown) => {
  const message =
    error instanceof ConfigError
      ? error.message
      : error instanceof StackError
        ? error.oneLine()
        : messageOf(error);
  console.error(`deedstream: ${message}`);
  process.exit(1);
});
