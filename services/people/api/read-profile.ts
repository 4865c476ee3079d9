import type { Request, RequestHandler } from 'express';
import type { z } from 'zod';
import { hasRole } from '../../shared/http/caller';
import { HttpProblem } from '../../shared/http/problem';
import { personView } from '../domain/person';
import { isErased, openProfile, plainOrNull } from '../privacy/profile-sealing';
import { erased, etag } from './people-access';
import type { PeopleApiDeps } from './people-api-deps';
import type { agentPublicCard, personProfile } from './response-schemas';

/** GET /people/:id: the whole profile to its person and ops, an agent's public card to anyone else. */
export function readProfile({ repository, readCipher }: PeopleApiDeps): RequestHandler<{ id: string }> {
  return async (req: Request<{ id: string }>, res) => {
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
  };
}
