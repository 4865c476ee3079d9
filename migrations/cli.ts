import { Command } from 'commander';
import { infrastructureConfig } from '../services/shared/service/infrastructure';
import { createDatabase } from '../services/shared/db/database';
import { migrate, migrationStatus, type MigrationDirection } from './migrator';
import { serviceMigrations } from './registry';
import { messageOf } from '../services/shared/errors/message-of';

/** `npm run migrate -- latest|down|status [--service <name>]` */
const program = new Command('migrate')
  .description('Applies or reverts the Postgres migrations of each service schema')
  .argument('<command>', 'latest | down | status')
  .option('-s, --service <name>', `one service (${Object.keys(serviceMigrations).join(', ')}); default: all`)
  .action(async (command: string, options: { service?: string }) => {
    if (!['latest', 'down', 'status'].includes(command)) {
      throw new Error(`unknown command "${command}": use latest, down or status`);
    }
    const services = options.service ? [options.service] : Object.keys(serviceMigrations);
    const db = createDatabase<unknown>({
      connectionString: infrastructureConfig().DATABASE_URL,
      maxConnections: 2,
    });
    try {
      for (const service of command === 'down' ? [...services].reverse() : services) {
        if (command === 'status') {
          for (const m of await migrationStatus(db, service)) {
            console.log(
              `${service}  ${m.executedAt ? 'applied ' : 'pending '} ${m.name}${m.executedAt ? `  (${m.executedAt.toISOString()})` : ''}`,
            );
          }
          continue;
        }
        const result = await migrate(db, service, command as MigrationDirection);
        const moved = result.results ?? [];
        if (moved.length === 0) console.log(`${service}: nothing to do`);
        for (const r of moved)
          console.log(`${service}: ${command === 'down' ? 'reverted' : 'applied'} ${r.migrationName}`);
      }
    } finally {
      await db.destroy();
    }
  });

program.parseAsync().catch((error: unknown) => {
  console.error(`migrate: ${messageOf(error)}`);
  process.exit(1);
});
