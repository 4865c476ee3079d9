import type { RequestHandler } from 'express';
import type { Kysely } from 'kysely';
import { recordOperatorAction } from '../../shared/db/operator-actions';
import { requireRole } from '../../shared/http/caller';
import { identifier, reasonBody } from '../../shared/http/identifier';
import { HttpProblem } from '../../shared/http/problem';
import { parseOr400 } from '../../shared/http/validation';
import type { TitleTables } from '../title-tables';
import { titleRules } from './title-access';

type LienParams = { propertyId: string; lienId: string };

/** PUT /titles/:propertyId/liens/:lienId (registrar): places a lien, or restates its reason. */
export function placeLien(db: Kysely<TitleTables>): RequestHandler<LienParams> {
  return async (req, res) => {
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
  };
}

/** DELETE /titles/:propertyId/liens/:lienId (registrar): lifts a lien; the title may change hands again. */
export function liftLien(db: Kysely<TitleTables>): RequestHandler<LienParams> {
  return async (req, res) => {
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
  };
}
