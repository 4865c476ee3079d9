import fs from 'node:fs';
import { parquetWriteBuffer } from 'hyparquet-writer';

export const exportFormats = ['parquet', 'jsonl'] as const;
export type ExportFormat = (typeof exportFormats)[number];

/** How a column is typed in Parquet; a JSON column holds any JSON value, written as its text. */
export type ColumnType = 'STRING' | 'DOUBLE' | 'INT32' | 'TIMESTAMP' | 'JSON';
export type Columns<Row> = { readonly [K in keyof Row]: ColumnType };

/** The format a file name asks for (`.parquet` or `.jsonl`), if it asks for one. */
export function formatOfFile(file: string): ExportFormat | undefined {
  if (file.endsWith('.parquet')) return 'parquet';
  if (file.endsWith('.jsonl') || file.endsWith('.ndjson')) return 'jsonl';
  return undefined;
}

function parquetBytes<Row extends object>(columns: Columns<Row>, rows: readonly Row[]): Uint8Array {
  const names = Object.keys(columns) as Array<keyof Row & string>;
  const columnData = names.map((name) => ({
    name,
    type: columns[name],
    data: rows.map((row) => row[name] ?? null),
  }));
  return new Uint8Array(parquetWriteBuffer({ columnData }));
}

function jsonLines<Row extends object>(rows: readonly Row[]): string {
  return rows.map((row) => `${JSON.stringify(row)}\n`).join('');
}

/**
 * Writes `rows` to `file` whole or not at all: into a sibling file first, renamed over
 * `file` once complete, so a failed export never leaves a truncated file a reader would trust.
 */
export function writeExport<Row extends object>(
  file: string,
  format: ExportFormat,
  columns: Columns<Row>,
  rows: readonly Row[],
): void {
  const partial = `${file}.partial`;
  try {
    fs.writeFileSync(partial, format === 'parquet' ? parquetBytes(columns, rows) : jsonLines(rows));
    fs.renameSync(partial, file);
  } finally {
    fs.rmSync(partial, { force: true });
  }
}
