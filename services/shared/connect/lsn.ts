/**
 * Postgres WAL positions (LSNs). Postgres prints them as two hex halves, `0/2B58700`;
 * Debezium stores them in its offsets as one 64-bit number. Both become a bigint here,
 * so comparisons are exact whatever the size.
 */
export type Lsn = bigint;

const TEXT = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/;

/** `0/2B58700` → 45450496n; throws on anything else. */
export function parseLsn(text: string): Lsn {
  const match = TEXT.exec(text);
  if (!match) throw new Error(`not a Postgres LSN: ${JSON.stringify(text)} (expected e.g. 0/2B58700)`);
  return (BigInt(`0x${match[1]}`) << 32n) | BigInt(`0x${match[2]}`);
}

/** 45450496n → `0/2B58700`, the way Postgres prints it. */
export function formatLsn(lsn: Lsn): string {
  return `${(lsn >> 32n).toString(16).toUpperCase()}/${(lsn & 0xffffffffn).toString(16).toUpperCase()}`;
}
