import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { migrate } from '../../../migrations/migrator';
import { infrastructureConfig } from '../../shared/service/infrastructure';
import { createDatabase } from '../../shared/db/database';
import type { IncomingMessage } from '../../shared/messaging/incoming-message';
import { CachingKeyStore } from '../../shared/privacy/caching-key-store';
import { FieldCipher } from '../../shared/privacy/field-cipher';
import { MemoryKeyStore } from '../../shared/privacy/memory-key-store';
import type { AgentCardTables } from '../agent-cards-table';
import { publicAgentCard } from '../published/listing-agent-view';
import { agentCardOf, agentCardsHandler } from './agent-cards';

let db: Kysely<AgentCardTables>;
const agentId = `agent-${randomUUID()}`;
const memory = new MemoryKeyStore();
const keys = new CachingKeyStore(memory, { ttlMs: 60_000, maxKeys: 10 });
const cipher = new FieldCipher(keys);

beforeAll(async () => {
  const admin = createDatabase<unknown>({
    connectionString: infrastructureConfig().DATABASE_URL,
    maxConnections: 1,
  });
  await migrate(admin, 'property', 'latest');
  await admin.destroy();
  db = createDatabase<AgentCardTables>({
    connectionString: infrastructureConfig().DATABASE_URL,
    maxConnections: 2,
  }).withSchema('property');
  await memory.ensureKey(agentId);
});

afterAll(async () => {
  await db.deleteFrom('agent_cards').where('agent_id', '=', agentId).execute();
  await db.destroy();
});

const message = (type: string, sequence: number, data: Record<string, unknown>): IncomingMessage => ({
  topic: 'people.events',
  partition: 0,
  offset: String(sequence),
  key: agentId,
  messageId: randomUUID(),
  type,
  correlationId: randomUUID(),
  causationId: null,
  actor: agentId,
  sequence,
  occurredAt: new Date().toISOString(),
  data,
});

const profile = async (name: string, agent: boolean): Promise<Record<string, unknown>> => ({
  name: await cipher.encrypt(agentId, 'name', name),
  email: await cipher.encrypt(agentId, 'email', 'agent@example.org'),
  phone: null,
  agency: 'Grachten Makelaars',
  licenceNumber: null,
  agent,
});

describe('the agent cards from people.events', () => {
  const handle = () => agentCardsHandler(db, keys);

  it('keeps the card of a profile written as an agent, envelopes as they came', async () => {
    const registered = await profile('Anouk', true);
    await handle()(message('PersonRegistered', 1, { ...registered, registeredAt: new Date().toISOString() }));
    const card = await agentCardOf(db, agentId);
    expect(card).toEqual({
      agentId,
      name: registered.name,
      email: registered.email,
      phone: null,
      agency: 'Grachten Makelaars',
    });
    expect(await publicAgentCard(cipher, card)).toEqual({
      agentId,
      name: 'Anouk',
      agency: 'Grachten Makelaars',
      erased: false,
    });
  });

  it('ignores a redelivered older event, and leaves a tombstone on erasure that old events cannot lift', async () => {
    await handle()(message('PersonProfileUpdated', 2, await profile('Anouk B', true)));
    await handle()(message('PersonProfileUpdated', 1, await profile('Old', true)));
    const card = await agentCardOf(db, agentId);
    expect(await publicAgentCard(cipher, card)).toMatchObject({ name: 'Anouk B' });

    const replayed = await profile('Replayed', true);
    await memory.destroySubject(agentId);
    await handle()(message('PersonErased', 3, { erasedAt: new Date().toISOString() }));
    expect(await agentCardOf(db, agentId)).toBeNull();
    await handle()(message('PersonProfileUpdated', 2, replayed));
    expect(await agentCardOf(db, agentId)).toBeNull();
    // A listing's copy of the card reads as erased (the cache forgot the key at PersonErased).
    expect(await publicAgentCard(cipher, card)).toEqual({ agentId, name: null, agency: null, erased: true });
  });

  it('has no card for someone who is not an agent', async () => {
    await memory.ensureKey(agentId);
    await handle()(message('PersonRegistered', 4, { ...(await profile('Anouk', false)), registeredAt: 'x' }));
    expect(await agentCardOf(db, agentId)).toBeNull();
  });
});
