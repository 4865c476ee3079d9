import { randomBytes, randomUUID } from 'node:crypto';
import { sql, type Kysely, type Selectable } from 'kysely';
import {
  DATA_KEY_BYTES,
  type DataKey,
  type DataKeyInfo,
  type DestroyResult,
  type KeyStore,
} from './key-store';
import { KEYSTORE_SCHEMA, type DataKeysTable, type KeystoreTables } from './keystore-tables';
import { MasterKeyMismatchError, type MasterKey } from './master-key';
import { messageOf } from '../errors/message-of';

/**
 * The key store in Postgres (schema `keystore`), each data key wrapped by the master key.
 *
 * Destroying sets the row's material to NULL and stamps `destroyed_at` (the row stays, so
 * `describeSubject` can show when a subject was erased). Postgres keeps the previous row
 * version — with the wrapped key — as a dead tuple until VACUUM, and in the WAL until it is
 * recycled, so `destroySubject` runs a VACUUM of the table afterwards. That is the honest
 * limit of a database key store: VACUUM frees the old version but does not scrub the
 * bytes of the page, and WAL archives and base backups keep what they copied. The wrapped
 * key is useless without the master key, which is why it must never be stored with the
 * database (and why a KMS, which never releases its key, is the production answer).
 */
export class PostgresKeyStore implements KeyStore {
  private readonly db: Kysely<KeystoreTables>;

  constructor(
    db: Kysely<unknown>,
    private readonly masterKey: MasterKey,
  ) {
    this.db = (db as Kysely<KeystoreTables>).withSchema(KEYSTORE_SCHEMA);
  }

  async ensureKey(subjectId: string): Promise<DataKeyInfo> {
    const keyId = randomUUID();
    const material = randomBytes(DATA_KEY_BYTES);
    // The partial unique index allows one active key per subject: a concurrent caller's
    // insert does nothing, and both then read the one that won.
    await this.db
      .insertInto('data_keys')
      .values({
        key_id: keyId,
        subject_id: subjectId,
        destroyed_at: null,
        wrapped_key: this.masterKey.wrap(material, keyId, subjectId),
        wrapped_with: this.masterKey.fingerprint,
      })
      .onConflict((c) => c.column('subject_id').where('destroyed_at', 'is', null).doNothing())
      .execute();
    material.fill(0);
    const active = await this.activeRow(subjectId);
    // Only an erasure racing this call gets here: the key just made is already destroyed.
    if (!active) throw new Error(`subject ${subjectId} was erased while its key was being created`);
    return infoOf(active);
  }

  async activeKey(subjectId: string): Promise<DataKey | undefined> {
    const row = await this.activeRow(subjectId);
    return row ? this.unwrap(row) : undefined;
  }

  async getKey(keyId: string): Promise<DataKey | undefined> {
    if (!UUID.test(keyId)) return undefined;
    const row = await this.db
      .selectFrom('data_keys')
      .selectAll()
      .where('key_id', '=', keyId)
      .executeTakeFirst();
    return row && row.destroyed_at === null ? this.unwrap(row) : undefined;
  }

  async destroySubject(subjectId: string): Promise<DestroyResult> {
    const destroyed = await this.db
      .updateTable('data_keys')
      .set({ destroyed_at: sql<Date>`now()`, wrapped_key: null, wrapped_with: null })
      .where('subject_id', '=', subjectId)
      .where('destroyed_at', 'is', null)
      .returning('key_id')
      .execute();
    return { destroyedKeyIds: destroyed.map((r) => r.key_id), storageReclaimed: await this.vacuum() };
  }

  async describeSubject(subjectId: string): Promise<DataKeyInfo[]> {
    const rows = await this.db
      .selectFrom('data_keys')
      .select(['key_id', 'subject_id', 'created_at', 'destroyed_at'])
      .where('subject_id', '=', subjectId)
      .orderBy('created_at')
      .orderBy('key_id')
      .execute();
    return rows.map(infoOf);
  }

  private activeRow(subjectId: string) {
    return this.db
      .selectFrom('data_keys')
      .selectAll()
      .where('subject_id', '=', subjectId)
      .where('destroyed_at', 'is', null)
      .executeTakeFirst();
  }

  private unwrap(row: Selected): DataKey {
    if (row.wrapped_key === null || row.wrapped_with === null) {
      throw new Error(`data key ${row.key_id} has no material but is not marked destroyed`);
    }
    if (row.wrapped_with !== this.masterKey.fingerprint) {
      // Never "erased": a wrong master key would otherwise make everyone look erased.
      throw new MasterKeyMismatchError(row.key_id, row.wrapped_with, this.masterKey.fingerprint);
    }
    return {
      keyId: row.key_id,
      subjectId: row.subject_id,
      material: this.masterKey.unwrap(row.wrapped_key, row.key_id, row.subject_id),
    };
  }

  /** Removes the dead row versions that still hold destroyed keys' wrapped material. */
  private async vacuum(): Promise<DestroyResult['storageReclaimed']> {
    try {
      // VACUUM cannot run in a transaction; each pooled query runs on its own.
      await sql`VACUUM ${sql.table(`${KEYSTORE_SCHEMA}.data_keys`)}`.execute(this.db);
      return true;
    } catch (error) {
      return { failed: messageOf(error) };
    }
  }
}

type Selected = Selectable<DataKeysTable>;

function infoOf(row: Pick<Selected, 'key_id' | 'subject_id' | 'created_at' | 'destroyed_at'>): DataKeyInfo {
  return {
    keyId: row.key_id,
    subjectId: row.subject_id,
    createdAt: row.created_at,
    destroyedAt: row.destroyed_at,
  };
}

/** Key ids are UUIDs; anything else (a tampered envelope) is no key, not a database error. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
