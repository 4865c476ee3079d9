import type { RequestHandler } from 'express';
import type { Kysely } from 'kysely';
import { forbidden, hasRole, requireCaller } from '../../shared/http/caller';
import { identifier } from '../../shared/http/identifier';
import { parseOr400 } from '../../shared/http/validation';
import type { TitleTables } from '../title-tables';
import { titleRules } from './title-access';

/** GET /titles/:propertyId: the owner, the transfers and the liens, for the registrar, operators and the owner. */
export function readTitle(db: Kysely<TitleTables>): RequestHandler<{ propertyId: string }> {
  return async (req, res) => {
    const caller = requireCaller(req);
    const propertyId = parseOr400(identifier, req.params.propertyId, 'propertyId');
    const [title, transfers, liens] = await Promise.all([
      db.selectFrom('titles').selectAll().where('property_id', '=', propertyId).executeTakeFirst(),
      db
        .selectFrom('title_transfers')
        .selectAll()
        .where('property_id', '=', propertyId)
        .orderBy('updated_at')
        .execute(),
      db.selectFrom('liens').selectAll().where('property_id', '=', propertyId).orderBy('placed_at').execute(),
    ]);
    if (!hasRole(caller, 'registrar', 'ops') && title?.owner_id !== caller.subject) {
      throw forbidden(
        titleRules.registrarOrOwner,
        'a title is visible to the registrar, operators and its owner',
      );
    }
    res.json({
      propertyId,
      // No record yet: the title is still with the seller who listed the property.
      ownerId: title?.owner_id ?? null,
      heldBySeller: (title?.owner_id ?? null) === null,
      transfers: transfers.map((t) => ({
        transactionId: t.transaction_id,
        fromOwner: t.from_owner,
        toOwner: t.to_owner,
        status: t.status,
        updatedAt: t.updated_at.toISOString(),
      })),
      liens: liens.map((l) => ({ lienId: l.lien_id, reason: l.reason, placedAt: l.placed_at.toISOString() })),
    });
  };
}
