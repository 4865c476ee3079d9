import type { ColumnType, Generated, JSONColumnType } from 'kysely';
import type { IdempotencyTables } from '../shared/http/idempotency';
import type { MessagingTables } from '../shared/messaging/messaging-tables';
import type { HistoryOutcome, Phase, SagaStatus } from './domain/purchase-saga';
import type { StepName } from './domain/purchase-steps';

type Timestamp = ColumnType<Date, Date | undefined, Date>;

export interface SagasTable {
  transaction_id: string;
  property_id: string;
  offer_id: string;
  buyer_id: string;
  price_minor: ColumnType<bigint, bigint | number, never>;
  currency: string;
  status: SagaStatus;
  step: StepName | null;
  phase: Phase | null;
  awaiting_message_id: string | null;
  deadline_at: Date | null;
  completed_steps: JSONColumnType<StepName[]>;
  pending_compensations: JSONColumnType<StepName[]>;
  cause: string | null;
  sequence: number;
  version: number;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface SagaHistoryTable {
  id: Generated<bigint>;
  transaction_id: string;
  step: StepName;
  phase: Phase;
  command: string;
  message_id: string;
  outcome: HistoryOutcome;
  detail: string | null;
  at: Date;
}

/** The offers the orchestrator has seen on property.events: what a purchase may be started for. */
export interface KnownOffersTable {
  offer_id: string;
  property_id: string;
  buyer_id: string;
  amount_minor: ColumnType<bigint, bigint | number, bigint | number>;
  currency: string;
  status: 'pending' | 'accepted' | 'rejected' | 'withdrawn';
  /** Version of the property event that last changed this row; older events are skipped. */
  property_version: number;
}

/** What the orchestrator has seen of each property on property.events. */
export interface KnownPropertiesTable {
  property_id: string;
  /** The newest version consumed: a consistency token waits until it is reached. */
  version: number;
  /** The listing's owner, who may follow the purchases of it (null until PropertyListed is seen). */
  owner_id: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface TransactionTables extends MessagingTables, IdempotencyTables {
  sagas: SagasTable;
  saga_history: SagaHistoryTable;
  known_offers: KnownOffersTable;
  known_properties: KnownPropertiesTable;
}
