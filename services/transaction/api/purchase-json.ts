import type { Selectable } from 'kysely';
import type { z } from 'zod';
import { moneyFromMinor } from '../../shared/domain/money';
import { moneyJson } from '../../shared/http/money-json';
import type { SagasTable } from '../transaction-tables';
import type { purchase } from './transaction-openapi';

/** A purchase as the API shows it. */
export function purchaseJson(row: Selectable<SagasTable>): z.output<typeof purchase> {
  return {
    transactionId: row.transaction_id,
    correlationId: row.transaction_id,
    propertyId: row.property_id,
    offerId: row.offer_id,
    buyerId: row.buyer_id,
    price: moneyJson(moneyFromMinor(Number(row.price_minor), row.currency)),
    status: row.status,
    currentStep: row.step,
    phase: row.phase,
    deadlineAt: row.deadline_at?.toISOString() ?? null,
    completedSteps: row.completed_steps,
    pendingCompensations: row.pending_compensations,
    cause: row.cause,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}
