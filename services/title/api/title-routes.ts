import { Router } from 'express';
import type { Kysely } from 'kysely';
import type { TitleTables } from '../title-tables';
import { liftLien, placeLien } from './liens';
import { readTitle } from './title-reads';

/**
 * Ownership records: a property's owner, its transfers and the liens that block them.
 * The registrar (and operators) see every title and alone place or lift liens; an owner
 * sees the title of what they own.
 */
export function titleRoutes(db: Kysely<TitleTables>): Router {
  return Router()
    .get('/titles/:propertyId', readTitle(db))
    .put('/titles/:propertyId/liens/:lienId', placeLien(db))
    .delete('/titles/:propertyId/liens/:lienId', liftLien(db));
}
