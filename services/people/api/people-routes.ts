import { Router } from 'express';
import type { PeopleApiDeps } from './people-api-deps';
import { eraseProfile } from './erase-profile';
import { readProfile } from './read-profile';
import { writeProfile } from './write-profile';

/** PUT /people/me, GET /people/:id, DELETE /people/:id. */
export function peopleRoutes(deps: PeopleApiDeps): Router {
  return Router()
    .put('/people/me', writeProfile(deps))
    .get('/people/:id', readProfile(deps))
    .delete('/people/:id', eraseProfile(deps));
}
