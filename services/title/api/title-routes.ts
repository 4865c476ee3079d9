import { Router } from 'express';
import type { Kysely } from 'kysely';
import { forbidden, hasRole, requireCaller, requireRole } from '../../shared/http/caller';
import { identifier, reasonBody } from '../../shared/http/identifier';
import { recordOperatorAction } from '../../shared/db/operator-actions';
import { HttpProblem } from '../../shared/http/problem';
import { parseOr400 } from '../../shared/http/validation';
import type { TitleTables } from '../title-tables';

/** Access rules of the title service, by name (each refusal is a 403 naming one). */
export const titleRules = {
  registrarOrOwner: 'title-registrar-or-owner',
  liensRegistrarOnly: 'liens-registrar-only',
} as const;

/**
 * Ownership records: a property's owner, its transfers and the liens that block them.
 * The registrar (and operators) see every title and alone place or lift liens; an owner
 * sees the title of what they own.
 */
export function titleRoutes(db: Kysely<TitleTables>): Router {
  const router = Router();

  router.get('/titles/:propertyId', async (req, res) => {
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
  });

  router.put('/titles/:propertyId/liens/:lienId', async (req, res) => {
    requireRole(req, titleRules.liensRegistrarOnly, 'registrar');
    const propertyId = parseOr400(identifier, req.params.propertyId, 'propertyId');
    const lienId = parseOr400(identifier, req.params.lienId, 'lienId');
    const { reason } = parseOr400(reasonBody, req.body);
    const placedBy = req.commandContext.actor;
    await db.transaction().execute(async (trx) => {
      await trx
        .insertInto('liens')
        .values({ property_id: propertyId, lien_id: lienId, reason, placed_by: placedBy })
        .onConflict((oc) =>
          oc.columns(['property_id', 'lien_id']).doUpdateSet({ reason, placed_by: placedBy }),
        )
        .execute();
      await recordOperatorAction<TitleTables>(trx, req.commandContext, {
        action: 'lien-recorded',
        subject: propertyId,
        detail: { lienId, reason },
      });
    });
    res.status(200).json({ propertyId, lienId, reason });
  });

  router.delete('/titles/:propertyId/liens/:lienId', async (req, res) => {
    requireRole(req, titleRules.liensRegistrarOnly, 'registrar');
    const propertyId = parseOr400(identifier, req.params.propertyId, 'propertyId');
    const lienId = parseOr400(identifier, req.params.lienId, 'lienId');
    await db.transaction().execute(async (trx) => {
      const lifted = await trx
        .deleteFrom('liens')
        .where('property_id', '=', propertyId)
        .where('lien_id', '=', lienId)
        .returning(['reason'])
        .executeTakeFirst();
      if (!lifted) throw HttpProblem.notFound(`Lien ${lienId} on ${propertyId}`);
      await recordOperatorAction<TitleTables>(trx, req.commandContext, {
        action: 'lien-lifted',
        subject: propertyId,
        detail: { lienId, reason: lifted.reason },
      });
    });
    res.status(204).end();
  });

  return router;
}
