import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { migrateAllToLatest } from '../../../migrations/migrator';
import { freshUser, localUser, type Identity } from '../../../test/support/identities';
import { jsonClient, type Call } from '../../../test/support/property-harness';
import { infrastructureConfig } from '../../shared/service/infrastructure';
import { createDatabase } from '../../shared/db/database';
import { ErasureEvidenceStore } from '../../shared/privacy/erasure-evidence-store';
import { FieldCipher } from '../../shared/privacy/field-cipher';
import { PostgresKeyStore } from '../../shared/privacy/postgres-key-store';
import { masterKeyOf, privacyConfig } from '../../shared/privacy/privacy-config';
import { startService, type RunningService } from '../../shared/service/start-service';
import type { PersonProfileData } from '../published/people-events';
import type { PeopleConfig } from '../people-config';
import { peopleService, type PeopleInternals } from '../people-service';
import { openProfile } from '../privacy/profile-sealing';
import { runPrivacyCli } from '../../cli/privacy-cli';

/**
 * The People API against real Postgres and real Keycloak tokens: profiles encrypted with
 * each person's key, who sees what, erasure (key destroyed, PersonErased, evidence kept)
 * and registration again after it.
 */
let running: RunningService<PeopleConfig, PeopleInternals>;
let db: Kysely<unknown>;
let keys: PostgresKeyStore;
let agent: Identity;
let buyer: Identity;
let ops: Identity;
const run = randomUUID().slice(0, 8);
const agentProfile = {
  name: `Anouk Makelaar ${run}`,
  email: `anouk.${run}@example.org`,
  phone: '+31 20 555 0142',
  agency: 'Grachten Makelaars',
  licenceNumber: `NVM-${run}`,
};
const as = (identity?: Identity): Call => jsonClient(running.url, identity);

beforeAll(async () => {
  db = createDatabase<unknown>({ connectionString: infrastructureConfig().DATABASE_URL, maxConnections: 2 });
  await migrateAllToLatest(db);
  keys = new PostgresKeyStore(db, masterKeyOf(privacyConfig()));
  running = await startService(peopleService, {
    env: { ...process.env, LOG_LEVEL: 'silent' },
    port: 0,
    workers: false,
  });
  await running.internals.codec.registerAll();
  [agent, buyer, ops] = await Promise.all([freshUser('agent'), freshUser('buyer'), localUser('ops1')]);
}, 60_000);

afterAll(async () => {
  await running?.stop();
  await db?.destroy();
});

/** Every stored copy of a person's events: the events table and the outbox (Avro bytes). */
async function storedText(personId: string): Promise<string> {
  const events = await sql<{ payload: unknown }>`
    SELECT payload FROM people.events WHERE stream_id = ${personId}`.execute(db);
  const outbox = await sql<{ payload: Buffer }>`
    SELECT payload FROM people.outbox WHERE aggregateid = ${personId}`.execute(db);
  return [
    ...events.rows.map((row) => JSON.stringify(row.payload)),
    ...outbox.rows.map((row) => row.payload.toString('latin1')),
  ].join('\n');
}

describe('the People API', () => {
  it('registers an agent, with every personal value encrypted in the events and the outbox', async () => {
    const registered = await as(agent)('PUT', '/people/me', agentProfile);
    expect(registered.status).toBe(201);
    expect(registered.body).toEqual({
      id: agent.subject,
      version: 1,
      consistencyToken: `${agent.subject}@1`,
    });
    const text = await storedText(agent.subject);
    expect(text).toContain('Grachten Makelaars');
    for (const value of [
      agentProfile.name,
      agentProfile.email,
      agentProfile.phone,
      agentProfile.licenceNumber,
    ]) {
      expect(text).not.toContain(value);
    }
    expect(text).not.toContain('Makelaar ');
  });

  it('shows the whole profile to its person and to ops, and the public card to anyone else', async () => {
    const own = await as(agent)('GET', `/people/${agent.subject}`);
    expect(own.status).toBe(200);
    expect(own.body).toEqual({
      id: agent.subject,
      version: 1,
      ...agentProfile,
      agent: true,
      registeredAt: expect.any(String),
    });
    expect((await as(ops)('GET', `/people/${agent.subject}`)).body).toEqual(own.body);
    const card = { id: agent.subject, name: agentProfile.name, agency: agentProfile.agency, agent: true };
    expect((await as()('GET', `/people/${agent.subject}`)).body).toEqual(card);
    expect((await as(buyer)('GET', `/people/${agent.subject}`)).body).toEqual(card);
  });

  it("updates the whole profile, and keeps a non-agent's profile to themselves", async () => {
    const updated = await as(agent)(
      'PUT',
      '/people/me',
      { ...agentProfile, phone: null },
      { 'If-Match': '"1"' },
    );
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ version: 2 });
    expect((await as(agent)('GET', `/people/${agent.subject}`)).body).toMatchObject({
      phone: null,
      version: 2,
    });

    const refused = await as(buyer)('PUT', '/people/me', {
      name: 'Bas Koper',
      email: 'b@example.org',
      agency: 'X',
    });
    expect(refused.status).toBe(403);
    expect(refused.body.rule).toBe('agency-and-licence-agents-only');
    expect(
      (await as(buyer)('PUT', '/people/me', { name: 'Bas Koper', email: `bas.${run}@example.org` })).status,
    ).toBe(201);
    expect((await as()('GET', `/people/${buyer.subject}`)).status).toBe(404);
    expect((await as(agent)('GET', `/people/${buyer.subject}`)).status).toBe(404);
    expect((await as(buyer)('GET', `/people/${buyer.subject}`)).body).toMatchObject({
      agent: false,
      agency: null,
    });
  });

  it('erases: the key is destroyed, PersonErased appended, the evidence kept, every old copy unreadable', async () => {
    const before = await keys.describeSubject(agent.subject);
    expect(before.map((k) => k.destroyedAt)).toEqual([null]);
    expect((await as(buyer)('DELETE', `/people/${agent.subject}`)).status).toBe(403);

    const erased = await as(agent)('DELETE', `/people/${agent.subject}`);
    expect(erased.status).toBe(200);
    expect(erased.body).toEqual({ id: agent.subject, version: 3, consistencyToken: `${agent.subject}@3` });

    const after = await keys.describeSubject(agent.subject);
    expect(after).toEqual([
      expect.objectContaining({ keyId: before[0]?.keyId, destroyedAt: expect.any(Date) }),
    ]);
    expect(await keys.getKey(before[0]?.keyId ?? '')).toBeUndefined();
    const events = await running.internals.repository.history(agent.subject, 0, 10);
    expect(events.map((e) => e.event.type)).toEqual([
      'PersonRegistered',
      'PersonProfileUpdated',
      'PersonErased',
    ]);
    const first = events[0]?.event.data as PersonProfileData;
    const opened = await openProfile(new FieldCipher(keys), first);
    expect(opened).toMatchObject({
      name: { kind: 'erased' },
      email: { kind: 'erased' },
      agency: 'Grachten Makelaars',
    });
    const evidence = await new ErasureEvidenceStore(db, masterKeyOf(privacyConfig())).forSubject(
      agent.subject,
    );
    expect(evidence).toHaveLength(1);
    expect(evidence[0]?.evidence.fingerprints.map((f) => f.field)).toEqual(
      expect.arrayContaining(['name', 'email', 'licenceNumber']),
    );

    for (const who of [agent, ops]) {
      expect((await as(who)('GET', `/people/${agent.subject}`)).status).toBe(410);
    }
    // Anyone else cannot tell an erased person from an unknown id.
    for (const who of [buyer, undefined]) {
      const answer = await as(who)('GET', `/people/${agent.subject}`);
      expect(answer.status).toBe(404);
      expect(answer.body).toMatchObject({ status: 404, detail: `person ${agent.subject} does not exist` });
    }
    expect((await as(agent)('DELETE', `/people/${agent.subject}`)).status).toBe(410);
  });

  it('lets the same identity register again, with a new key and a new profile', async () => {
    const again = await as(agent)('PUT', '/people/me', {
      name: `Anouk Nieuw ${run}`,
      email: `nieuw.${run}@example.org`,
    });
    expect(again.status).toBe(201);
    expect(again.body).toMatchObject({ version: 4 });
    const keyList = await keys.describeSubject(agent.subject);
    expect(keyList).toHaveLength(2);
    expect(keyList[1]).toMatchObject({ destroyedAt: null });
    expect(keyList[1]?.keyId).not.toBe(keyList[0]?.keyId);
    expect((await as(agent)('GET', `/people/${agent.subject}`)).body).toMatchObject({
      name: `Anouk Nieuw ${run}`,
      phone: null,
      agency: null,
      licenceNumber: null,
    });
  });

  it('lets ops erase anyone; someone unknown is a 404', async () => {
    expect((await as(ops)('DELETE', `/people/${buyer.subject}`)).status).toBe(200);
    expect((await as(buyer)('GET', `/people/${buyer.subject}`)).status).toBe(410);
    expect((await as(agent)('GET', `/people/${buyer.subject}`)).status).toBe(404);
    expect((await as(ops)('DELETE', `/people/nobody-${run}`)).status).toBe(404);
  });
});

describe('npm run privacy -- erase', () => {
  it('erases as DELETE does: evidence, keys destroyed, PersonErased; a second run says so', async () => {
    const person = await freshUser('agent');
    const email = `cli.${run}@example.org`;
    expect((await as(person)('PUT', '/people/me', { name: `Cees Cli ${run}`, email })).status).toBe(201);

    const first = runPrivacyCli(['erase', person.subject]);
    expect(first.err).toBe('');
    expect(first.status).toBe(0);
    expect(first.out).toMatch(
      new RegExp(
        `^${person.subject}: erased at version 2; destroyed 1 key\\(s\\) \\(storage reclaimed\\); evidence \\S+\\n`,
      ),
    );
    expect(first.out).not.toContain(email);
    expect((await as(person)('GET', `/people/${person.subject}`)).status).toBe(410);
    expect((await keys.describeSubject(person.subject)).map((k) => k.destroyedAt)).toEqual([
      expect.any(Date),
    ]);

    const second = runPrivacyCli(['erase', person.subject]);
    expect(second).toMatchObject({ status: 0, out: `${person.subject}: already erased\n` });
    const unknown = runPrivacyCli(['erase', `nobody-${run}`]);
    expect(unknown).toMatchObject({ status: 1, err: `privacy: no person nobody-${run}\n` });
  });
});
