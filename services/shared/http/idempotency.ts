import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { tableSubset } from '../db/table-subset';
import type { IdempotencyKeysTable } from '../event-store/tables';
import { HttpProblem } from './problem';

/** The table an idempotent API keeps its first responses in, in the service's own schema. */
export interface IdempotencyTables {
  idempotency_keys: IdempotencyKeysTable;
}
const idempotencyTables = tableSubset<IdempotencyTables>();

export interface HttpResult {
  status: number;
  body: object;
  headers: Record<string, string>;
}

/** A command request that carried an Idempotency-Key header. */
export interface IdempotentRequest {
  scope: string;
  key: string;
  requestHash: string;
}

const KEY = /^[A-Za-z0-9._:-]{1,255}$/;

/** Reads the Idempotency-Key header, validated; the scope is the route with its ids. */
export function idempotentRequest(
  key: string | undefined,
  scope: string,
  body: unknown,
): IdempotentRequest | undefined {
  if (key === undefined) return undefined;
  if (!KEY.test(key)) {
    throw HttpProblem.validation([
      {
        field: 'header.Idempotency-Key',
        message: 'use 1-255 characters of letters, digits, ".", "_", ":" or "-"',
      },
    ]);
  }
  return { scope, key, requestHash: hashBody(body) };
}

function hashBody(body: unknown): string {
  return createHash('sha256').update(canonicalJson(body)).digest('hex');
}

/** JSON with object keys sorted, so {"a":1,"b":2} and {"b":2,"a":1} are the same request. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
      a < b ? -1 : a > b ? 1 : 0,
    );
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/**
 * Responses of idempotent commands, recorded in the same transaction `Tx` as the command's
 * events: a key is recorded if and only if its command took effect.
 */
export interface IdempotencyRecords<Tx> {
  /** The first response for this key, or a 422 if the key was used with another body. */
  replay(request: IdempotentRequest): Promise<HttpResult | undefined>;
  /** Stores the response in the command's transaction; a key recorded already makes it throw. */
  record(tx: Tx, request: IdempotentRequest, result: HttpResult): Promise<void>;
}

/** What a stored response answers to a request with its key: a replay, or 422 for another body. */
export function replayOf(
  request: IdempotentRequest,
  stored: { requestHash: string; result: HttpResult },
): HttpResult {
  if (stored.requestHash !== request.requestHash) {
    throw new HttpProblem(
      422,
      'Idempotency key reused',
      `Idempotency-Key "${request.key}" was already used with a different request body; use a new key for a new request`,
    );
  }
  const { status, body, headers } = stored.result;
  return { status, body, headers: { ...headers, 'Idempotent-Replayed': 'true' } };
}

/** The idempotency records in a service's Postgres schema (its idempotency_keys table). */
export class IdempotencyStore implements IdempotencyRecords<Kysely<IdempotencyTables>> {
  private constructor(private readonly db: Kysely<IdempotencyTables>) {}

  /** The store in a service's schema (any schema that has an idempotency_keys table). */
  static of<DB extends IdempotencyTables>(db: Kysely<DB>): IdempotencyStore {
    return new IdempotencyStore(idempotencyTables(db));
  }

  async replay(request: IdempotentRequest): Promise<HttpResult | undefined> {
    const row = await this.db
      .selectFrom('idempotency_keys')
      .selectAll()
      .where('scope', '=', request.scope)
      .where('key', '=', request.key)
      .executeTakeFirst();
    if (!row) return undefined;
    return replayOf(request, {
      requestHash: row.request_hash,
      result: { status: row.response_status, body: row.response_body, headers: row.response_headers },
    });
  }

  /** Stores the response in the caller's transaction: it commits with the command's effect or not at all. */
  async record<DB extends IdempotencyTables>(
    trx: Kysely<DB>,
    request: IdempotentRequest,
    result: HttpResult,
  ): Promise<void> {
    await idempotencyTables(trx)
      .insertInto('idempotency_keys')
      .values({
        scope: request.scope,
        key: request.key,
        request_hash: request.requestHash,
        response_status: result.status,
        response_body: JSON.stringify(result.body),
        response_headers: JSON.stringify(result.headers),
      })
      .execute();
  }
}
