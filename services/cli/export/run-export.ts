import type { PropertyEvent } from '../../property/published';
import type { RecordedEvent } from '../../shared/domain/domain-event';
import type { FieldCipher } from '../../shared/privacy/field-cipher';
import { eventRow, type EventRow } from './event-rows';
import { writeExport, type Columns, type ExportFormat } from './export-file';
import { SaleRows, type SaleRow } from './sale-rows';

export const exportKinds = ['events', 'sales'] as const;
export type ExportKind = (typeof exportKinds)[number];

export interface ExportRequest {
  kind: ExportKind;
  /** Rows whose event occurred at or after `from` and before `to`. */
  from: Date;
  to: Date;
  format: ExportFormat;
  out: string;
}

export interface ExportSource {
  /** The property event store, every stream in the order stored, upcast to today's schemas. */
  readAll(afterPosition: bigint, limit: number): Promise<Array<RecordedEvent<PropertyEvent>>>;
  cipher: FieldCipher;
}

const eventColumns: Columns<EventRow> = {
  position: 'DOUBLE',
  eventId: 'STRING',
  propertyId: 'STRING',
  version: 'INT32',
  type: 'STRING',
  occurredAt: 'TIMESTAMP',
  actor: 'STRING',
  correlationId: 'STRING',
  data: 'JSON',
};

const saleColumns: Columns<SaleRow> = {
  propertyId: 'STRING',
  transactionId: 'STRING',
  soldAt: 'TIMESTAMP',
  salePriceMinor: 'DOUBLE',
  currency: 'STRING',
  askingPriceMinor: 'DOUBLE',
  listedAt: 'TIMESTAMP',
  daysOnMarket: 'DOUBLE',
  city: 'STRING',
  postalCode: 'STRING',
  region: 'STRING',
  country: 'STRING',
  lat: 'DOUBLE',
  lon: 'DOUBLE',
  propertyType: 'STRING',
  bedrooms: 'INT32',
  bathrooms: 'INT32',
  areaSqm: 'DOUBLE',
  priceChanges: 'INT32',
  offersReceived: 'INT32',
};

const pageSize = 1_000;

async function* everyEvent(source: ExportSource): AsyncGenerator<RecordedEvent<PropertyEvent>> {
  let after = 0n;
  for (;;) {
    const page = await source.readAll(after, pageSize);
    yield* page;
    if (page.length < pageSize) return;
    after = page[page.length - 1]!.position;
  }
}

const within = (at: Date, { from, to }: ExportRequest) => at >= from && at < to;

/**
 * Replays the whole property store once and writes the rows of the request's window: every
 * event, or one row per sale with the property's features folded from the events before it
 * (the fold sees events outside the window too: a sale in March needs its listing from January).
 */
export async function runExport(source: ExportSource, request: ExportRequest): Promise<{ rows: number }> {
  if (request.kind === 'events') {
    const rows: EventRow[] = [];
    for await (const recorded of everyEvent(source)) {
      if (within(recorded.occurredAt, request)) rows.push(await eventRow(recorded, source.cipher));
    }
    writeExport(request.out, request.format, eventColumns, rows);
    return { rows: rows.length };
  }
  const sales = new SaleRows();
  const rows: SaleRow[] = [];
  for await (const recorded of everyEvent(source)) {
    if (recorded.occurredAt >= request.to) continue;
    const row = sales.add(recorded);
    if (row && within(row.soldAt, request)) rows.push(row);
  }
  writeExport(request.out, request.format, saleColumns, rows);
  return { rows: rows.length };
}
