import type { OperatorActionTables } from '../shared/db/operator-actions';
import type { ColumnType } from 'kysely';
import type { MessagingTables } from '../shared/messaging/messaging-tables';

type Timestamp = ColumnType<Date, Date | undefined, Date>;

export interface TitlesTable {
  property_id: string;
  /** null: still held by the seller who listed it (the registry has no earlier transfer). */
  owner_id: string | null;
  updated_at: Timestamp;
}

export type TransferStatus = 'TRANSFERRED' | 'REVERTED';

export interface TitleTransfersTable {
  transaction_id: string;
  property_id: string;
  from_owner: string | null;
  to_owner: string | null;
  status: TransferStatus;
  updated_at: Timestamp;
}

/** Encumbrances (mortgages, court orders) that block a transfer until lifted. */
export interface LiensTable {
  property_id: string;
  lien_id: string;
  reason: string;
  placed_at: Timestamp;
  /** Who recorded it (or last changed its reason); null for liens recorded before this was kept. */
  placed_by: string | null;
}

export interface TitleTables extends MessagingTables, OperatorActionTables {
  titles: TitlesTable;
  title_transfers: TitleTransfersTable;
  liens: LiensTable;
}
