import type { RequestHandler } from 'express';
import type { Kysely } from 'kysely';
import { recordOperatorAction } from '../../shared/db/operator-actions';
import { requireRole } from '../../shared/http/caller';
import { identifier, reasonBody } from '../../shared/http/identifier';
import { HttpProblem } from '../../shared/http/problem';
import { parseOr400 } from '../../shared/http/validation';
import type { ContractTables } from '../contract-tables';
import { contractRules } from './contract-access';

/** PUT /compliance-holds/:partyId (compliance): holds a party, or restates why; a held buyer signs no contract. */
export function placeComplianceHold(db: Kysely<ContractTables>): RequestHandler<{ partyId: string }> {
  return async (req, res) => {
    requireRole(req, contractRules.holdsComplianceOnly, 'compliance');
    const partyId = parseOr400(identifier, req.params.partyId, 'partyId');
    const { reason } = parseOr400(reasonBody, req.body);
    const placedBy = req.commandContext.actor;
    await db.transaction().execute(async (trx) => {
      await trx
        .insertInto('compliance_holds')
        .values({ party_id: partyId, reason, placed_by: placedBy })
        .onConflict((oc) => oc.column('party_id').doUpdateSet({ reason, placed_by: placedBy }))
        .execute();
      await recordOperatorAction<ContractTables>(trx, req.commandContext, {
        action: 'compliance-hold-placed',
        subject: partyId,
        detail: { reason },
      });
    });
    res.status(200).json({ partyId, reason });
  };
}

/** DELETE /compliance-holds/:partyId (compliance): lifts a party's hold. */
export function liftComplianceHold(db: Kysely<ContractTables>): RequestHandler<{ partyId: string }> {
  return async (req, res) => {
    requireRole(req, contractRules.holdsComplianceOnly, 'compliance');
    const partyId = parseOr400(identifier, req.params.partyId, 'partyId');
    await db.transaction().execute(async (trx) => {
      const lifted = await trx
        .deleteFrom('compliance_holds')
        .where('party_id', '=', partyId)
        .returning(['reason'])
        .executeTakeFirst();
      if (!lifted) throw HttpProblem.notFound(`Compliance hold on ${partyId}`);
      await recordOperatorAction<ContractTables>(trx, req.commandContext, {
        action: 'compliance-hold-lifted',
        subject: partyId,
        detail: { reason: lifted.reason },
      });
    });
    res.status(204).end();
  };
}
