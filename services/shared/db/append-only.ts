import { sql, type Kysely } from 'kysely';

/**
 * Makes a table append-only for everyone, its owner included: a function `functionName`
 * raises `<what>: <op> is not allowed on <schema>.<table>`, and the triggers
 * `<table>_append_only` (UPDATE, DELETE, per row) and `<table>_no_truncate` call it. The
 * event stores and the audit trail keep their history this way; a superuser can still lift
 * the triggers, which is what their hash chains and verification are for.
 */
export async function forbidMutation(
  db: Kysely<unknown>,
  target: { schema: string; table: string; functionName: string; what: string },
): Promise<void> {
  const { schema, table, functionName, what } = target;
  // The description travels as the trigger's argument: a literal, never text spliced into the body.
  await sql`
    CREATE FUNCTION ${sql.id(schema, functionName)}() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION '%: % is not allowed on %.%', TG_ARGV[0], TG_OP, TG_TABLE_SCHEMA, TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation';
    END $$`.execute(db);
  await sql`
    CREATE TRIGGER ${sql.id(`${table}_append_only`)} BEFORE UPDATE OR DELETE ON ${sql.id(schema, table)}
    FOR EACH ROW EXECUTE FUNCTION ${sql.id(schema, functionName)}(${sql.lit(what)})`.execute(db);
  await sql`
    CREATE TRIGGER ${sql.id(`${table}_no_truncate`)} BEFORE TRUNCATE ON ${sql.id(schema, table)}
    FOR EACH STATEMENT EXECUTE FUNCTION ${sql.id(schema, functionName)}(${sql.lit(what)})`.execute(db);
}
