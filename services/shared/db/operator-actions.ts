import { sql, type Generated, type Insertable, type Kysely, type Migration } from 'kysely';
import type { CommandContext } from '../domain/command-context';
import { tableSubset } from './table-subset';

/**
 * Who did what outside any event stream: the state of a compliance hold, a lien or an
 * account is a row that changes in place (or goes away), so the trail of who placed,
 * lifted or opened it is kept here, one row per action, written in the same transaction.
 */
export interface OperatorActionsTable {
  id: Generated<string>;
  /** What was done, e.g. `compliance-hold-placed`. */
  action: string;
  /** What it was done to: a party, a property's lien, a buyer's account. */
  subject: string;
  detail: Record<string, unknown>;
  /** The verified caller (the token's subject), never a header. */
  actor: string;
  correlation_id: string;
  occurred_at: Generated<Date>;
}

export interface OperatorActionTables {
  operator_actions: OperatorActionsTable;
}

const operatorActionTables = tableSubset<OperatorActionTables>();

/**
 * The migration that starts a service's trail of operator actions: the operator_actions
 * table, and on `table` (whose rows the actions change in place) a `column` naming who
 * last changed each row.
 */
export function operatorActionsMigration(schema: string, table: string, column: string): Migration {
  return {
    up: async (db) => {
      await createOperatorActionsTable(db, schema);
      await db.schema.withSchema(schema).alterTable(table).addColumn(column, 'text').execute();
    },
    down: async (db) => {
      await db.schema.withSchema(schema).alterTable(table).dropColumn(column).execute();
      await dropOperatorActionsTable(db, schema);
    },
  };
}

export async function createOperatorActionsTable(db: Kysely<unknown>, schema: string): Promise<void> {
  await db.schema
    .withSchema(schema)
    .createTable('operator_actions')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('detail', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('correlation_id', 'text', (c) => c.notNull())
    .addColumn('occurred_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .withSchema(schema)
    .createIndex('operator_actions_subject')
    .on('operator_actions')
    .columns(['subject', 'occurred_at'])
    .execute();
}

export async function dropOperatorActionsTable(db: Kysely<unknown>, schema: string): Promise<void> {
  await db.schema.withSchema(schema).dropTable('operator_actions').ifExists().execute();
}

/** Records an action of the authenticated caller of `context`, inside the caller's transaction. */
export async function recordOperatorAction<DB extends OperatorActionTables>(
  trx: Kysely<DB>,
  context: CommandContext,
  action: Pick<Insertable<OperatorActionsTable>, 'action' | 'subject' | 'detail'>,
): Promise<void> {
  if (context.actor === null)
    throw new Error(`${action.action}: an operator action needs an authenticated actor`);
  await operatorActionTables(trx)
    .insertInto('operator_actions')
    .values({ ...action, actor: context.actor, correlation_id: context.correlationId })
    .execute();
}
