import { Command } from 'commander';
import { peopleSchema } from '../people/published';
import { propertySchema } from '../property/published';
import { createDatabase } from '../shared/db/database';
import { messageOf } from '../shared/errors/message-of';
import { verifyEventChain, type BrokenLink } from '../shared/event-store/event-chain';
import { infrastructureConfig } from '../shared/service/infrastructure';

/** `npm run audit -- verify [--schema NAME]`: the hash chains of the event stores. */
const eventStores = [propertySchema, peopleSchema];

const describe = (schema: string, link: BrokenLink) =>
  `${schema}: stream ${link.streamId} version ${link.version} (event ${link.eventId}, position ${link.position}): ${
    link.reason === 'content-changed'
      ? 'its content or the link before it no longer matches its hash: changed after it was written'
      : 'the version before it is missing: deleted after it was written'
  }`;

const program = new Command('audit').description('Checks the audit trail’s tamper evidence');

program
  .command('verify')
  .description(
    "recomputes every link of every event store's hash chain and names the first broken event of each stream; exits 1 on any",
  )
  .option('--schema <name>', `one event store only (default: ${eventStores.join(', ')})`)
  .action(async (options: { schema?: string }) => {
    // The schemas' owner reads every store: no service role may read another's.
    const db = createDatabase<unknown>({
      connectionString: infrastructureConfig().DATABASE_URL,
      maxConnections: 1,
    });
    let broken = 0;
    try {
      for (const schema of options.schema ? [options.schema] : eventStores) {
        const result = await verifyEventChain(db, schema);
        broken += result.broken.length;
        for (const link of result.broken) console.log(describe(schema, link));
        console.log(
          `${schema}: ${result.events} events in ${result.streams} streams, ${
            result.broken.length === 0 ? 'every link holds' : `${result.broken.length} stream(s) broken`
          }`,
        );
      }
    } finally {
      await db.destroy();
    }
    if (broken > 0) {
      console.error(`audit: ${broken} stream(s) fail verification: see the lines above`);
      process.exitCode = 1;
    }
  });

program.parseAsync().catch((error: unknown) => {
  console.error(`audit: ${messageOf(error)}`);
  process.exit(1);
});
