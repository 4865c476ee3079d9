import { randomUUID } from 'node:crypto';
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import type { Kysely } from 'kysely';
import { createThrowawayMessagingSchema, type ThrowawaySchema } from '../../../test/support/throwaway-schema';
import { AvroEventCodec } from '../codec/avro-event-codec';
import { infrastructureConfig } from '../service/infrastructure';
import { DomainError } from '../errors/domain-error';
import { ConcurrencyError } from '../errors/concurrency-error';
import { UndecodableMessageError } from '../kafka/relayed-message';
import { isTransient, TransientError } from '../errors/transient';
import { createLogger } from '../observability/logger';
import { commandChannel, replyChannel } from './channels';
import { CommandProcessor, type CommandHandler } from './command-processor';
import { loadCommandReplySchemas } from './command-reply';
import type { IncomingMessage } from './incoming-message';
import { MessageCodecs } from './message-codecs';
import type { MessagingTables } from './messaging-tables';

/**
 * A participant's own state next to its messaging tables: a row per application of a
 * command. Deliberately not unique, so a redelivery's own write would show if it were kept.
 */
interface LedgerTables extends MessagingTables {
  ledger: { entry: string };
}

// A fixed service name: its reply subject is registered once and reused by every run;
// the tables live in a throwaway schema and no topic is involved.
const service = 'messaging-it';
const registry = new SchemaRegistry({ host: infrastructureConfig().SCHEMA_REGISTRY_URL });

let schema: ThrowawaySchema;
let db: Kysely<MessagingTables>;
let ledgerDb: Kysely<LedgerTables>;
let processor: CommandProcessor;
const calls = new Map<string, number>();

/** Writes the command's ledger entry in a transaction that also does `then` with the acknowledge. */
const applying =
  (then: (acknowledge: () => Promise<void>) => Promise<void>): CommandHandler =>
  (command, acknowledge) => {
    calls.set(command.messageId, (calls.get(command.messageId) ?? 0) + 1);
    return ledgerDb.transaction().execute(async (trx) => {
      await trx.insertInto('ledger').values({ entry: command.messageId }).execute();
      await then(() => acknowledge(trx, `applied ${command.messageId}`));
    });
  };

const handlers: Record<string, CommandHandler> = {
  Apply: applying((acknowledge) => acknowledge()),
  ApplyThenFail: applying(async (acknowledge) => {
    await acknowledge();
    throw new Error('the disk filled up after the acknowledge');
  }),
  Refuse: applying(async () => {
    throw new DomainError('over-limit', 'The amount exceeds the limit');
  }),
  Conflict: applying(async () => {
    throw new ConcurrencyError('account-1', 3);
  }),
};

beforeAll(async () => {
  await new AvroEventCodec(registry, replyChannel(service), await loadCommandReplySchemas()).registerAll();
  schema = await createThrowawayMessagingSchema('commands');
  db = schema.connect<MessagingTables>();
  ledgerDb = schema.connect<LedgerTables>();
  await ledgerDb.schema
    .createTable('ledger')
    .addColumn('entry', 'text', (c) => c.notNull())
    .execute();
  const codecs = await MessageCodecs.load(registry, [
    { topic: replyChannel(service), load: loadCommandReplySchemas },
  ]);
  processor = new CommandProcessor(db, codecs, service, handlers, createLogger(service, 'silent'));
});
afterAll(() => schema.drop());

function command(type: string, expiresAt = new Date(Date.now() + 60_000).toISOString()): IncomingMessage {
  return {
    topic: commandChannel(service),
    partition: 0,
    offset: '0',
    key: 'account-1',
    messageId: randomUUID(),
    type,
    correlationId: `purchase-${randomUUID()}`,
    causationId: null,
    actor: 'test-user',
    sequence: 2,
    occurredAt: new Date().toISOString(),
    data: { expiresAt },
  };
}

const plainJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

/** What the command left behind: its ledger entry, its inbox claim and its replies (decoded). */
async function traces(message: IncomingMessage) {
  const ledger = await ledgerDb
    .selectFrom('ledger')
    .selectAll()
    .where('entry', '=', message.messageId)
    .execute();
  const inbox = await db
    .selectFrom('inbox')
    .selectAll()
    .where('message_id', '=', message.messageId)
    .execute();
  const outbox = await db
    .selectFrom('outbox')
    .selectAll()
    .where('causation_id', '=', message.messageId)
    .execute();
  const replies = await Promise.all(
    outbox.map(async (row) => ({
      row,
      // Avro decodes into class instances; compare plain JSON (a CommandReply).
      reply: plainJson(await registry.decode(row.payload)),
    })),
  );
  return { ledger: ledger.length, inbox, replies };
}

describe('CommandProcessor', () => {
  it('commits the change, the inbox claim and one SUCCEEDED reply together', async () => {
    const message = command('Apply');
    await processor.process(message);
    const { ledger, inbox, replies } = await traces(message);
    expect(ledger).toBe(1);
    expect(inbox.map((r) => r.consumer)).toEqual([commandChannel(service)]);
    expect(replies).toHaveLength(1);
    expect(replies[0]?.reply).toEqual({
      command: 'Apply',
      outcome: 'SUCCEEDED',
      rule: null,
      reason: `applied ${message.messageId}`,
    });
    expect(replies[0]?.row).toMatchObject({
      aggregatetype: replyChannel(service),
      aggregateid: message.correlationId,
      type: 'CommandReply',
      correlation_id: message.correlationId,
      causation_id: message.messageId,
      aggregate_version: message.sequence,
    });
  });

  it('keeps nothing when the handler fails after acknowledging, inside its transaction', async () => {
    const message = command('ApplyThenFail');
    await expect(processor.process(message)).rejects.toThrow('the disk filled up after the acknowledge');
    expect(await traces(message)).toEqual({ ledger: 0, inbox: [], replies: [] });
  });

  it('answers a DomainError with a REFUSED reply naming the rule, and rolls back the handler', async () => {
    const message = command('Refuse');
    await processor.process(message);
    const { ledger, inbox, replies } = await traces(message);
    expect(ledger).toBe(0);
    expect(inbox).toHaveLength(1);
    expect(replies.map((r) => r.reply)).toEqual([
      { command: 'Refuse', outcome: 'REFUSED', rule: 'over-limit', reason: 'The amount exceeds the limit' },
    ]);
  });

  it('refuses an expired command without running its handler', async () => {
    const message = command('Apply', new Date(Date.now() - 1_000).toISOString());
    await processor.process(message);
    expect(calls.get(message.messageId)).toBeUndefined();
    const { ledger, inbox, replies } = await traces(message);
    expect(ledger).toBe(0);
    expect(inbox).toHaveLength(1);
    expect(replies.map((r) => r.reply)).toEqual([
      {
        command: 'Apply',
        outcome: 'REFUSED',
        rule: 'command-expired',
        reason: expect.stringContaining('expired at'),
      },
    ]);
  });

  it.each(['Apply', 'Refuse'])(
    'answers a redelivered %s command once and keeps only the first application',
    async (type) => {
      const message = command(type);
      await processor.process(message);
      await processor.process({ ...message, offset: '1' });
      const { ledger, inbox, replies } = await traces(message);
      expect(replies).toHaveLength(1);
      expect(inbox).toHaveLength(1);
      expect(ledger).toBe(type === 'Apply' ? 1 : 0);
      // The handler ran again; the acknowledge's claim found the duplicate and rolled its write back.
      expect(calls.get(message.messageId)).toBe(2);
    },
  );

  it('answers a redelivered expired command once', async () => {
    const message = command('Apply', new Date(Date.now() - 1_000).toISOString());
    await processor.process(message);
    await processor.process(message);
    expect((await traces(message)).replies).toHaveLength(1);
  });

  it('turns a ConcurrencyError into a TransientError and keeps nothing, so the redelivery applies it', async () => {
    const message = command('Conflict');
    const failure = processor.process(message);
    await expect(failure).rejects.toBeInstanceOf(TransientError);
    expect(isTransient(await failure.catch((error: unknown) => error))).toBe(true);
    expect(await traces(message)).toEqual({ ledger: 0, inbox: [], replies: [] });
  });

  it('rejects a command type it has no handler for as undecodable (dead-lettered, not retried)', async () => {
    const message = command('Unknown');
    await expect(processor.process(message)).rejects.toBeInstanceOf(UndecodableMessageError);
    expect(await traces(message)).toEqual({ ledger: 0, inbox: [], replies: [] });
  });
});
