/** SQLSTATE of a Postgres error (pg's DatabaseError carries it as `code`), if the error has one. */
export function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/** 23505: a unique constraint refused the write (a lost race, a duplicate key). */
export function isUniqueViolation(error: unknown): boolean {
  return sqlState(error) === '23505';
}
