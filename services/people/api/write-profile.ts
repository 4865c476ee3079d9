import type { RequestHandler } from 'express';
import { forbidden, hasRole, requireCaller } from '../../shared/http/caller';
import { versionFromIfMatch } from '../../shared/http/conditional';
import { idempotentRequest } from '../../shared/http/idempotency';
import { HttpProblem } from '../../shared/http/problem';
import { sendResult } from '../../shared/http/send-result';
import { parseOr400 } from '../../shared/http/validation';
import { NoActiveKeyError, type FieldCipher } from '../../shared/privacy/field-cipher';
import type { z } from 'zod';
import type { PersonProfileData } from '../published/people-events';
import { blankPerson } from '../domain/person';
import { sealProfile } from '../privacy/profile-sealing';
import { consistencyToken, etag, peopleRules } from './people-access';
import type { PeopleApiDeps } from './people-api-deps';
import { profileBody } from './request-schemas';

/**
 * PUT /people/me: registers the caller (201) or replaces their whole profile (200), every
 * personal value sealed with their own key before it reaches an event.
 */
export function writeProfile({
  runner,
  repository,
  writeKeys,
  writeCipher,
  clock = () => new Date(),
}: PeopleApiDeps): RequestHandler {
  return async (req, res) => {
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
    const profile = await sealed(writeCipher, id, body, agent);
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
  };
}

/** The profile as events carry it: every personal value sealed with the person's key. */
async function sealed(
  cipher: FieldCipher,
  id: string,
  body: z.output<typeof profileBody>,
  agent: boolean,
): Promise<PersonProfileData> {
  const { name, email, phone = null, agency = null, licenceNumber = null } = body;
  try {
    return await sealProfile(cipher, id, { name, email, phone, agency, licenceNumber }, agent);
  } catch (error) {
    // The key is gone: an erasure of this person is under way.
    if (error instanceof NoActiveKeyError) {
      throw new HttpProblem(409, 'Conflict', `person ${id} is being erased; register again once it is done`, {
        rule: 'person-being-erased',
      });
    }
    throw error;
  }
}
