import { Command } from 'commander';
import { infrastructureConfig } from '../shared/service/infrastructure';
import { createDatabase } from '../shared/db/database';
import { createKafka } from '../shared/kafka/kafka-client';
import { deadLettersOf, replayDeadLetters, type DeadLetterSource } from '../shared/messaging/dead-letters';
import { deadLetterSources, type DeadLetterTables } from './dead-letter-sources';
import { messageOf } from '../shared/errors/message-of';

/** `npm run messages -- dlq list|replay <consumer> [--key <key>]`: the purchase saga's dead letters. */
const config = infrastructureConfig();
const kafka = createKafka(config.KAFKA_BROKERS, 'deedstream-messages-cli');
const db = createDatabase<DeadLetterTables>({ connectionString: config.DATABASE_URL, maxConnections: 2 });
const sources = deadLetterSources(db);

function sourceNamed(name: string): DeadLetterSource {
  const found = sources.find((s) => s.consumer === name);
  if (!found)
    throw new Error(`unknown consumer "${name}": use one of ${sources.map((s) => s.consumer).join(', ')}`);
  return found;
}

const program = new Command('messages').description(
  "Operates the purchase saga's message consumers (commands, replies, known offers)",
);
const dlq = program.command('dlq').description('dead-lettered messages of a consumer');

dlq
  .command('list <consumer>')
  .description('its dead letters, oldest first, each marked handled (since) or pending')
  .option('--key <key>', 'only messages with this key')
  .action(async (name: string, options: { key?: string }) => {
    const source = sourceNamed(name);
    const letters = await deadLettersOf(kafka, source, options.key);
    console.log(`${name}: ${letters.length} dead-lettered message(s)`);
    for (const letter of letters) {
      const state = (await source.handled(letter)) ? 'handled' : 'PENDING';
      console.log(
        `${state.padEnd(8)} ${letter.key} ${letter.type ?? '?'} ${letter.messageId ?? '?'} [${letter.reason}] ${letter.error} (from ${letter.original})`,
      );
    }
  });

dlq
  .command('replay <consumer>')
  .description('send the pending ones back to their topic, in order (receivers are idempotent)')
  .option('--key <key>', 'only messages with this key')
  .action(async (name: string, options: { key?: string }) => {
    const result = await replayDeadLetters(kafka, sourceNamed(name), options.key);
    console.log(
      `${name}: replayed ${result.replayed.length} message(s); ${result.alreadyHandled} already handled since they were parked`,
    );
  });

dlq
  .command('consumers')
  .description('the consumers that have DLQs')
  .action(() => {
    for (const source of sources) console.log(`${source.consumer.padEnd(26)} ${source.topics.join(', ')}`);
  });

program
  .parseAsync()
  .then(() => db.destroy())
  .catch(async (error: unknown) => {
    console.error(`messages: ${messageOf(error)}`);
    await db.destroy();
    process.exit(1);
  });
