import { Command, Option } from 'commander';
import fs from 'node:fs';
import { StackError } from './errors';
import { stackHome, stackPaths } from './paths';
import { activeProfile, parseProfile, stackProfiles } from './profile';
import { clientEnvOf } from './topology';
import { componentByName, components, down, reset, status, up, type ComponentStatus } from './stack';
import { logTail } from './process';
import { messageOf } from '../services/shared/errors/message-of';

/** `npm run stack -- up|down|status|logs <component>|reset` */
const program = new Command('stack')
  .description(
    'Runs the native deedstream stack: PostgreSQL, Kafka, Kafka Connect + Debezium, Apicurio Registry, Elasticsearch, Keycloak',
  )
  .showHelpAfterError();

program
  .command('up')
  .description('start every component (no-op for those already healthy) and wait until all are healthy')
  .addOption(
    new Option(
      '--profile <profile>',
      'light: one of each; cluster: 3 brokers, 2 Connect workers, 2+1 Elasticsearch nodes',
    )
      .choices(stackProfiles)
      .default(undefined, 'the profile last started, else light'),
  )
  .action(async (options: { profile?: string }) => {
    const began = Date.now();
    const result = await up(options.profile ? { profile: parseProfile(options.profile) } : {});
    printStatus(result);
    console.log(`stack up in ${((Date.now() - began) / 1000).toFixed(1)} s`);
  });

program
  .command('down')
  .description('stop every component cleanly; data is kept')
  .action(async () => {
    await down((name) => console.log(`stopped ${name}`));
  });

program
  .command('status')
  .description("report each component's health")
  .option('--json', 'machine-readable output')
  .action(async (options: { json?: boolean }) => {
    const result = await status();
    if (options.json) console.log(JSON.stringify(result, null, 2));
    else printStatus(result);
    if (result.some((s) => s.state !== 'healthy')) process.exitCode = 3;
  });

program
  .command('env')
  .description("print what services and tests need to reach the active profile's components, as export lines")
  .action(() => {
    const profile = activeProfile(stackHome);
    console.log(
      `# the ${profile} profile: eval "$(npm run --silent stack -- env)" before npm start or npm test`,
    );
    for (const [name, value] of Object.entries(clientEnvOf(profile))) console.log(`export ${name}=${value}`);
  });

program
  .command('logs')
  .description("print the tail of a component's log")
  .argument(
    '<component>',
    components()
      .map((c) => c.name)
      .join(' | '),
  )
  .option('-n, --lines <n>', 'how many lines', '100')
  .action((name: string, options: { lines: string }) => {
    const component = componentByName(name);
    const lines = Number(options.lines);
    if (!Number.isInteger(lines) || lines <= 0)
      throw new StackError(`--lines ${options.lines} is not a positive number`, 'e.g. --lines 200');
    if (!fs.existsSync(stackPaths.logOf(component.name))) {
      throw new StackError(`${component.name} has no log yet`, 'run `npm run stack -- up` first');
    }
    console.log(`# ${stackPaths.logOf(component.name)}`);
    console.log(logTail(component.name, lines));
  });

program
  .command('reset')
  .description('stop everything and delete all data and logs (downloaded artifacts stay cached)')
  .action(async () => {
    await reset();
    console.log(`stack data wiped under ${stackPaths.data}`);
  });

function printStatus(result: ComponentStatus[]): void {
  const profile = activeProfile(stackHome);
  if (profile !== 'light') console.log(`profile ${profile}`);
  const width = Math.max(...result.map((s) => s.name.length));
  for (const s of result) {
    const memory = s.rssMiB === undefined ? '' : ` rss ${s.rssMiB} MiB`;
    console.log(`${s.name.padEnd(width)}  ${s.state.padEnd(8)} ${s.endpoint}${memory}  ${s.detail}`);
  }
  const total = result.reduce((sum, s) => sum + (s.rssMiB ?? 0), 0);
  if (total > 0) console.log(`${'total'.padEnd(width)}  resident memory ${total} MiB`);
}

program.parseAsync().catch((error: unknown) => {
  if (error instanceof StackError) {
    console.error(`stack: ${error.oneLine()}`);
  } else {
    console.error(`stack: ${messageOf(error)}`);
  }
  process.exit(1);
});
