import type { Request, RequestHandler } from 'express';
import { forbidden, hasRole, requireCaller } from '../../shared/http/caller';
import { HttpProblem } from '../../shared/http/problem';
import { erasePerson } from '../privacy/erase-person';
import { consistencyToken, erased, peopleRules } from './people-access';
import type { PeopleApiDeps } from './people-api-deps';

/** DELETE /people/:id: the person themselves or ops erase a person (keys destroyed, PersonErased). */
export function eraseProfile({ erasure }: PeopleApiDeps): RequestHandler<{ id: string }> {
  return async (req: Request<{ id: string }>, res) => {
    const caller = requireCaller(req);
    const id = req.params.id;
    if (caller.subject !== id && !hasRole(caller, 'ops')) {
      throw forbidden(peopleRules.eraseSelfOrOps, 'only the person themselves or ops may erase a person');
    }
    const outcome = await erasePerson(erasure, id, req.commandContext);
    if (outcome.outcome === 'not-found') throw HttpProblem.notFound(`person ${id}`);
    if (outcome.outcome === 'already-erased') throw erased(id);
    res.json({ id, version: outcome.version, consistencyToken: consistencyToken(id, outcome.version) });
  };
}
