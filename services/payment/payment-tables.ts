import type { OperatorActionTables } from '../shared/db/operator-actions';
import type { ColumnType } from 'kysely';
import type { IdempotencyTables } from '../shared/http/idempotency';
import type { MessagingTables } from '../shared/messaging/messaging-tables';
import type { ReservationStatus } from './domain/account';

type Minor = ColumnType<bigint, bigint | number, bigint | number>;
type Timestamp = ColumnType<Date, Date | undefined, Date>;

export interface AccountsTable {
  buyer_id: string;
  currency: string;
  balance_minor: Minor;
  reserved_minor: ColumnType<bigint, bigint | number | undefined, bigint | number>;
  created_at: Timestamp;
  updated_at: Timestamp;
  /** Who opened it (the buyer, or ops with a balance); null for accounts opened before this was kept. */
  opened_by: string | null;
}

export interface FundsReservationsTable {
  transaction_id: string;
  buyer_id: string;
  amount_minor: Minor;
  currency: string;
  status: ReservationStatus;
  updated_at: Timestamp;
}

/** Money paid into an account, and by whom (an operator, standing in for a payment provider). */
export interface DepositsTable {
  deposit_id: string;
  buyer_id: string;
  amount_minor: Minor;
  currency: string;
  deposited_by: string;
  deposited_at: Timestamp;
}

export interface PaymentTables extends MessagingTables, IdempotencyTables, OperatorActionTables {
  accounts: AccountsTable;
  fund_reservations: FundsReservationsTable;
  deposits: DepositsTable;
}
