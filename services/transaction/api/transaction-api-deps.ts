import type { IdempotencyStore } from '../../shared/http/idempotency';
import type { PurchaseOrchestrator } from '../purchase-orchestrator';
import type { Db } from '../saga-store';

/** What the transaction API needs. */
export interface TransactionApiDeps {
  db: Db;
  orchestrator: PurchaseOrchestrator;
  idempotency: IdempotencyStore;
  /** Longest wait for a just-accepted offer, or for a consistency token's version. */
  offerWaitMs: number;
}
