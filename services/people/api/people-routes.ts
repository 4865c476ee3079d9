import { Router, type Request } from 'express';
import type { RunsCommands } from '../../shared/http/command-runner';
import type { EventSourcedRepository } from '../../shared/event-sourcing/repository';
import { forbidden, hasRole, requireCaller, type Caller } from '../../shared/http/caller';
import { versionFromIfMatch } from '../../shared/http/conditional';
import { idempotentRequest } from '../../shared/http/idempotency';
import { HttpProblem } from '../../shared/http/problem';
import { sendResult } from '../../shared/http/send-result';
import { parseOr400 } from '../../shared/http/validation';
import type { FieldCipher } from '../../shared/privacy/field-cipher';
import { NoActiveKeyError } from '../../shared/privacy/field-cipher';
import type { KeyStore } from '../../shared/privacy/key-store';
import type { PersonEvent } from '../published/people-events';
import { blankPerson, personView, type Person } from '../domain/person';
import { erasePerson, type PersonErasureDeps } from '../privacy/erase-person';
import { isErased, openProfile, plainOrNull, sealProfile } from '../privacy/profile-sealing';
import { profileBody } from './request-schemas';
import type { agentPublicCard, personProfile } from './response-schemas';
import type { z } from 'zod';

/** The access rules of the People API, as 403 problems name them. */
export const peopleRules = {
  agentDetailsAgentsOnly: 'agency-and-licence-agents-only',
  eraseSelfOrOps: 'erase-self-or-ops',
} as const;

export interface PeopleRoutesDeps {
  runner: RunsCommands<Person>;
  repository: EventSourcedRepository<PersonEvent, Person, unknown>;
  /** Creates keys and encrypts with the store itself, never a cache (a key erased elsewhere must not be used). */
  writeKeys: KeyStore;
  writeCipher: FieldCipher;
  /** Decrypts for reads (cached keys). */
  readCipher: FieldCipher;
  erasure: PersonErasureDeps;
  clock?: () => Date;
}

const etag = (version: number) => `"${version}"`;
const consistencyToken = (id: string, version: number) => `${id}@${version}`;

/** PUT /people/me, GET /people/:id, DELETE /people/:id. */
export function peopleRoutes({
  runner,
  repository,
  writeKeys,
  writeCipher,
  readCipher,
  erasure,
  clock = () => new Date(),
}: PeopleRoutesDeps): Router {
  const router = Router();

  router.put('/people/me', async (req, res) => {
    const caller = requireCaller(req);
    const body = parseOr400(profileBody, req.body ?? {});
    const agent = hasRole(caller, 'agent');
    if (!agent && (body.agency || body.licenceNumber)) {
      throw forbidden(peopleRules.agentDetailsAgentsOnly, 'agency and licenceNumber are for agents only');
    }
    const id = caller.subject;
    const person = (await repository.load(id)) ?? blankPerson(id);
    // A first registration, or one after an erasure, gets a key (a new one after an erasure).
    if (person.state.status !== 'active') await writeKeys.ensureKey(id);
    const profile = await sealProfile(
      writeCipher,
      id,
      {
        name: body.name,
        email: body.email,
        phone: body.phone ?? null,
        agency: body.agency ?? null,
        licenceNumber: body.licenceNumber ?? null,
      },
      agent,
    ).catch((error: unknown) => {
      if (error instanceof NoActiveKeyError) {
        throw new HttpProblem(
          409,
          'Conflict',
          `person ${id} is being erased; register again once it is done`,
          {
            rule: 'person-being-erased',
          },
        );
      }
      throw error;
    });
    const result = await runner.run({
      describe: `person ${id}`,
      load: async () => person,
      expectedVersion: versionFromIfMatch(req.header('if-match')),
      context: req.commandContext,
      idempotency: idempotentRequest(req.header('idempotency-key'), `${id} PUT /people/me`, body),
      execute: (aggregate) => {
        const [written] = aggregate.execute({ type: 'WriteProfile', profile, now: clock() });
        return {
          status: written?.type === 'PersonRegistered' ? 201 : 200,
          body: {
            id,
            version: aggregate.version,
            consistencyToken: consistencyToken(id, aggregate.version),
          },
          headers: { ETag: etag(aggregate.version), Location: `/people/${encodeURIComponent(id)}` },
        };
      },
    });
    sendResult(res, result);
  });

  router.get('/people/:id', async (req: Request<{ id: string }>, res) => {
    const id = req.params.id;
    const person = await repository.load(id);
    const view = person && personView(person);
    if (!view || view.status === 'unregistered') throw HttpProblem.notFound(`person ${id}`);
    const self = req.caller?.subject === id || hasRole(req.caller, 'ops');
    // That someone was erased is itself about them: only they and ops learn it (410);
    // anyone else sees what an unknown id gives, so this is no oracle of erasures.
    const gone = () => (self ? erased(id) : HttpProblem.notFound(`person ${id}`));
    if (view.status === 'erased' || !view.profile || !view.registeredAt) throw gone();
    if (!self && !view.profile.agent) throw HttpProblem.notFound(`person ${id}`);
    const opened = await openProfile(readCipher, view.profile);
    // Keys destroyed but PersonErased not appended yet (an erasure under way): erased already.
    if (isErased(opened)) throw gone();
    res.set('ETag', etag(view.version));
    if (self) {
      res.json({
        id,
        version: view.version,
        name: plainOrNull(opened.name) ?? '',
        email: plainOrNull(opened.email) ?? '',
        phone: plainOrNull(opened.phone),
        agency: opened.agency,
        licenceNumber: plainOrNull(opened.licenceNumber),
        agent: opened.agent,
        registeredAt: view.registeredAt,
      } satisfies z.output<typeof personProfile>);
      return;
    }
    res.json({
      id,
      name: plainOrNull(opened.name) ?? '',
      agency: opened.agency,
      agent: true,
    } satisfies z.output<typeof agentPublicCard>);
  });

  router.delete('/people/:id', async (req: Request<{ id: string }>, res) => {
    const caller: Caller = requireCaller(req);
    const id = req.params.id;
    if (caller.subject !== id && !hasRole(caller, 'ops')) {
      throw forbidden(peopleRules.eraseSelfOrOps, 'only the person themselves or ops may erase a person');
    }
    const outcome = await erasePerson(erasure, id, req.commandContext);
    if (outcome.outcome === 'not-found') throw HttpProblem.notFound(`person ${id}`);
    if (outcome.outcome === 'already-erased') throw erased(id);
    res.json({ id, version: outcome.version, consistencyToken: consistencyToken(id, outcome.version) });
  });

  return router;
}

function erased(id: string): HttpProblem {
  return new HttpProblem(410, 'Gone', `person ${id} was erased`);
}
