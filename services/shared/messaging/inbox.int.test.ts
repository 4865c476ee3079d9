import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { createThrowawayMessagingSchema, type ThrowawaySchema } from '../../../test/support/throwaway-schema';
import { waitFor } from '../../../test/support/wait-for';
import { claimMessage, DuplicateMessage, inOneTransactionOnce } from './inbox';
import type { MessagingTables } from './messaging-tables';

let schema: ThrowawaySchema;
let db: Kysely<MessagingTables>;
beforeAll(async () => {
  schema = await createThrowawayMessagingSchema('inbox');
  db = schema.connect<MessagingTables>();
});
afterAll(() => schema.drop());

const consumer = 'inbox-test.commands';

const claims = async (messageId: string) =>
  (await db.selectFrom('inbox').select('consumer').where('message_id', '=', messageId).execute()).length;

/** An outbox row standing in for the work a message causes (a reply, an event). */
async function writeEffect(trx: Kysely<MessagingTables>, messageId: string): Promise<void> {
  await trx
    .insertInto('outbox')
    .values({
      id: randomUUID(),
      aggregatetype: 'inbox-test.replies',
      aggregateid: 'key-1',
      type: 'Effect',
      payload: Buffer.from([0]),
      event_id: randomUUID(),
      aggregate_version: 1,
      correlation_id: messageId,
      causation_id: messageId,
      occurred_at: new Date().toISOString(),
    })
    .execute();
}

const effects = async (messageId: string) =>
  (await db.selectFrom('outbox').select('id').where('causation_id', '=', messageId).execute()).length;

/** Whether some other backend waits for a lock in this schema (a claim blocked on the inbox key). */
async function someoneWaitsForALock(): Promise<boolean> {
  const { rows } = await sql<{ waiting: number }>`
    SELECT count(*)::int AS waiting FROM pg_stat_activity
    WHERE wait_event_type = 'Lock' AND query LIKE ${`%${schema.name}%`} AND pid <> pg_backend_pid()`.execute(
    db,
  );
  return (rows[0]?.waiting ?? 0) > 0;
}

/** A promise and the function that resolves it, to order steps of concurrent transactions. */
function signal(): { promise: Promise<void>; fire: () => void } {
  let fire = () => {};
  const promise = new Promise<void>((resolve) => {
    fire = resolve;
  });
  return { promise, fire };
}

describe('claimMessage', () => {
  it('refuses a second claim of a message in a later transaction', async () => {
    const messageId = randomUUID();
    await db.transaction().execute((trx) => claimMessage(trx, consumer, messageId));
    await expect(
      db.transaction().execute((trx) => claimMessage(trx, consumer, messageId)),
    ).rejects.toBeInstanceOf(DuplicateMessage);
    expect(await claims(messageId)).toBe(1);
  });

  it('lets each consumer claim the same message once', async () => {
    const messageId = randomUUID();
    await db.transaction().execute((trx) => claimMessage(trx, consumer, messageId));
    await db.transaction().execute((trx) => claimMessage(trx, 'another-consumer', messageId));
    expect(await claims(messageId)).toBe(2);
  });

  it('lets exactly one of two concurrent claims commit: the second waits for the first, then fails', async () => {
    const messageId = randomUUID();
    const firstClaimed = signal();
    const first = db.transaction().execute(async (trx) => {
      await claimMessage(trx, consumer, messageId);
      firstClaimed.fire();
      // Commit only once the second claim is blocked on the same inbox key.
      await waitFor('the second claim to wait for the first', someoneWaitsForALock);
    });
    await firstClaimed.promise;
    const second = db.transaction().execute((trx) => claimMessage(trx, consumer, messageId));

    const [a, b] = await Promise.allSettled([first, second]);
    expect(a.status).toBe('fulfilled');
    expect(b.status === 'rejected' && b.reason).toBeInstanceOf(DuplicateMessage);
    expect(await claims(messageId)).toBe(1);
  });

  it('lets the waiting claim through when the first transaction rolls back', async () => {
    const messageId = randomUUID();
    const firstClaimed = signal();
    const first = db.transaction().execute(async (trx) => {
      await claimMessage(trx, consumer, messageId);
      firstClaimed.fire();
      await waitFor('the second claim to wait for the first', someoneWaitsForALock);
      throw new Error('the first handler failed');
    });
    await firstClaimed.promise;
    const second = db.transaction().execute((trx) => claimMessage(trx, consumer, messageId));

    await expect(first).rejects.toThrow('the first handler failed');
    await expect(second).resolves.toBeUndefined();
    expect(await claims(messageId)).toBe(1);
  });
});

describe('inOneTransactionOnce', () => {
  it('runs the work once: a redelivery returns false without running it', async () => {
    const messageId = randomUUID();
    let runs = 0;
    const work = async (trx: Kysely<MessagingTables>) => {
      runs += 1;
      await writeEffect(trx, messageId);
    };
    expect(await inOneTransactionOnce(db, consumer, messageId, work)).toBe(true);
    expect(await inOneTransactionOnce(db, consumer, messageId, work)).toBe(false);
    expect(runs).toBe(1);
    expect(await effects(messageId)).toBe(1);
  });

  it('commits one of two concurrent deliveries; the other returns false and keeps nothing', async () => {
    const messageId = randomUUID();
    const firstWorking = signal();
    const first = inOneTransactionOnce(db, consumer, messageId, async (trx) => {
      await writeEffect(trx, messageId);
      firstWorking.fire();
      await waitFor('the second delivery to wait for the first', someoneWaitsForALock);
    });
    await firstWorking.promise;
    const second = inOneTransactionOnce(db, consumer, messageId, (trx) => writeEffect(trx, messageId));

    expect(await Promise.all([first, second])).toEqual([true, false]);
    expect(await effects(messageId)).toBe(1);
    expect(await claims(messageId)).toBe(1);
  });

  it('rolls back the work written before a duplicate shows up inside it, claim included', async () => {
    const replyId = randomUUID();
    await db.transaction().execute((trx) => claimMessage(trx, consumer, replyId));
    const messageId = randomUUID();
    // The work writes its effect, then finds (as an acknowledge does) that it was applied already.
    const ran = await inOneTransactionOnce(db, consumer, messageId, async (trx) => {
      await writeEffect(trx, messageId);
      await claimMessage(trx, consumer, replyId);
    });
    expect(ran).toBe(false);
    expect(await effects(messageId)).toBe(0);
    expect(await claims(messageId)).toBe(0);
  });

  it('rethrows any other failure of the work, and keeps neither the claim nor the work', async () => {
    const messageId = randomUUID();
    await expect(
      inOneTransactionOnce(db, consumer, messageId, async (trx) => {
        await writeEffect(trx, messageId);
        throw new Error('the handler failed');
      }),
    ).rejects.toThrow('the handler failed');
    expect(await effects(messageId)).toBe(0);
    expect(await claims(messageId)).toBe(0);
  });
});
