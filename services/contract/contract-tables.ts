import type { OperatorActionTables } from '../shared/db/operator-actions';
import type { ColumnType } from 'kysely';
import type { MessagingTables } from '../shared/messaging/messaging-tables';

type Timestamp = ColumnType<Date, Date | undefined, Date>;

export type ContractStatus = 'SIGNED' | 'VOIDED';

export interface ContractsTable {
  transaction_id: string;
  property_id: string | null;
  buyer_id: string | null;
  price_minor: ColumnType<bigint | null, bigint | number | null, never>;
  currency: string | null;
  status: ContractStatus;
  signed_at: Date | null;
  voided_at: Date | null;
  void_reason: string | null;
}

/** Parties the compliance desk has stopped from signing (sanctions, unfinished KYC). */
export interface ComplianceHoldsTable {
  party_id: string;
  reason: string;
  placed_at: Timestamp;
  /** Who placed it (or last changed its reason); null for holds placed before this was kept. */
  placed_by: string | null;
}

export interface ContractTables extends MessagingTables, OperatorActionTables {
  contracts: ContractsTable;
  compliance_holds: ComplianceHoldsTable;
}
