import type { Identity } from '../../../test/support/identities';
import { startInMemoryPeopleApi, type InMemoryPeopleApi } from '../../../test/support/in-memory-people-api';

// Who may write, read and erase which profile, over memory (no stack). The int test keeps
// what only storage shows: ciphertext in events and outbox, keys destroyed, evidence kept.
let api: InMemoryPeopleApi;
let agent: Identity;
let buyer: Identity;
let ops: Identity;
const anouk = {
  name: 'Anouk Makelaar',
  email: 'anouk@example.org',
  phone: '+31 20 555 0142',
  agency: 'Grachten Makelaars',
  licenceNumber: 'NVM-1',
};

beforeAll(async () => {
  api = await startInMemoryPeopleApi();
  [agent, buyer, ops] = await Promise.all([
    api.user('agent1', ['agent']),
    api.user('buyer1', ['buyer']),
    api.user('ops1', ['ops']),
  ]);
});
afterAll(() => api.close());

const eventTypes = async (id: string) => (await api.store.read(id)).map((r) => r.event.type);

describe('PUT /people/me', () => {
  it('registers (201), then replaces the whole profile (200) under If-Match; a stale one is 412', async () => {
    const registered = await api.as(agent)('PUT', '/people/me', anouk);
    expect(registered.status).toBe(201);
    expect(registered.body).toEqual({
      id: agent.subject,
      version: 1,
      consistencyToken: `${agent.subject}@1`,
    });
    const updated = await api.as(agent)(
      'PUT',
      '/people/me',
      { ...anouk, phone: null },
      { 'If-Match': '"1"' },
    );
    expect(updated.status).toBe(200);
    const stale = await api.as(agent)('PUT', '/people/me', anouk, { 'If-Match': '"1"' });
    expect(stale.status).toBe(412);
    expect(await eventTypes(agent.subject)).toEqual(['PersonRegistered', 'PersonProfileUpdated']);
    expect((await api.as(agent)('GET', `/people/${agent.subject}`)).body).toMatchObject({
      phone: null,
      version: 2,
    });
  });

  it("refuses an agent's details from someone who is not an agent (403), and writes nothing", async () => {
    const refused = await api.as(buyer)('PUT', '/people/me', {
      name: 'Bas',
      email: 'b@example.org',
      agency: 'X',
    });
    expect(refused.status).toBe(403);
    expect(refused.body.rule).toBe('agency-and-licence-agents-only');
    expect(await eventTypes(buyer.subject)).toEqual([]);
    expect(await api.keys.describeSubject(buyer.subject)).toEqual([]);
  });

  it('refuses a caller without a token (401)', async () => {
    expect((await api.anonymous('PUT', '/people/me', anouk)).status).toBe(401);
  });
});

describe('GET /people/:id', () => {
  it("shows an agent's public card to anyone, and a non-agent's profile only to themselves and ops", async () => {
    const seller = await api.user('seller1', ['seller']);
    expect((await api.as(seller)('PUT', '/people/me', { name: 'Sam', email: 's@example.org' })).status).toBe(
      201,
    );
    expect((await api.as(seller)('GET', `/people/${seller.subject}`)).body).toMatchObject({
      name: 'Sam',
      agent: false,
    });
    expect((await api.as(ops)('GET', `/people/${seller.subject}`)).status).toBe(200);
    expect((await api.as(buyer)('GET', `/people/${seller.subject}`)).status).toBe(404);

    const broker = await api.user('agent2', ['agent']);
    await api.as(broker)('PUT', '/people/me', anouk);
    expect((await api.anonymous('GET', `/people/${broker.subject}`)).body).toEqual({
      id: broker.subject,
      name: anouk.name,
      agency: anouk.agency,
      agent: true,
    });
  });
});

describe('DELETE /people/:id', () => {
  it('erases self or by ops only: 410 to them afterwards, 404 to anyone else, and a new registration after', async () => {
    const person = await api.user('agent3', ['agent']);
    await api.as(person)('PUT', '/people/me', anouk);
    expect((await api.as(buyer)('DELETE', `/people/${person.subject}`)).status).toBe(403);
    const erased = await api.as(person)('DELETE', `/people/${person.subject}`);
    expect(erased.status).toBe(200);
    expect(api.evidence.map((e) => e.subjectId)).toContain(person.subject);
    for (const who of [person, ops])
      expect((await api.as(who)('GET', `/people/${person.subject}`)).status).toBe(410);
    expect((await api.as(buyer)('GET', `/people/${person.subject}`)).status).toBe(404);
    expect((await api.as(person)('DELETE', `/people/${person.subject}`)).status).toBe(410);

    const again = await api.as(person)('PUT', '/people/me', { name: 'Anouk Nieuw', email: 'n@example.org' });
    expect(again.status).toBe(201);
    expect(again.body).toMatchObject({ version: 3 });
    const keys = await api.keys.describeSubject(person.subject);
    expect(keys.map((k) => k.destroyedAt === null)).toEqual([false, true]);
  });

  it('answers ops erasing someone unknown with 404', async () => {
    expect((await api.as(ops)('DELETE', '/people/nobody')).status).toBe(404);
  });
});
