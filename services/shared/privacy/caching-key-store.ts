import { LRUCache } from 'lru-cache';
import type { DataKey, DataKeyInfo, DestroyResult, KeyStore } from './key-store';

/** A cached "this key is gone", so reading an erased person's many events asks the store once. */
const ABSENT = Symbol('absent');
type Cached = DataKey | typeof ABSENT;

export interface KeyCacheOptions {
  /** How long a key (or its absence) is served from memory; 0 turns the cache off. */
  ttlMs: number;
  /** Keys kept at most; the least recently used go first. */
  maxKeys: number;
}

/**
 * A per-process cache in front of a key store, so folding a stream of events does not
 * ask Postgres (or a KMS) once per encrypted field.
 *
 * Why a short TTL, and what it bounds: an erasure destroys the keys in the store and
 * empties this cache in the process that erased. Every other process (the property
 * service, each projector) may still hold the key and decrypt for at most `ttlMs` after
 * the erasure — the erasure window. A consumer of the erasure event can close it early
 * with `forgetSubject`. A key's absence is cached too: a destroyed key never comes back
 * (re-registration creates a new key id), so "absent" cannot go stale in the unsafe
 * direction. Lookups of one key that run concurrently share one call to the store.
 */
export class CachingKeyStore implements KeyStore {
  private readonly byKeyId: LRUCache<string, Cached> | undefined;
  private readonly activeBySubject: LRUCache<string, DataKey> | undefined;

  constructor(
    private readonly store: KeyStore,
    options: KeyCacheOptions,
  ) {
    if (options.ttlMs === 0) return;
    this.byKeyId = new LRUCache<string, Cached>({
      max: options.maxKeys,
      ttl: options.ttlMs,
      fetchMethod: async (keyId) => (await this.store.getKey(keyId)) ?? ABSENT,
    });
    this.activeBySubject = new LRUCache<string, DataKey>({
      max: options.maxKeys,
      ttl: options.ttlMs,
      // No active key is not cached: the subject may register a moment later.
      fetchMethod: (subjectId) => this.store.activeKey(subjectId),
    });
  }

  ensureKey(subjectId: string): Promise<DataKeyInfo> {
    return this.store.ensureKey(subjectId);
  }

  async activeKey(subjectId: string): Promise<DataKey | undefined> {
    if (!this.activeBySubject) return this.store.activeKey(subjectId);
    return this.activeBySubject.fetch(subjectId);
  }

  async getKey(keyId: string): Promise<DataKey | undefined> {
    if (!this.byKeyId) return this.store.getKey(keyId);
    const cached = await this.byKeyId.fetch(keyId);
    return cached === ABSENT ? undefined : cached;
  }

  async destroySubject(subjectId: string): Promise<DestroyResult> {
    // Forget first, so nothing in this process decrypts with the keys once the call begins.
    this.forgetSubject(subjectId);
    const result = await this.store.destroySubject(subjectId);
    this.forgetSubject(subjectId);
    return result;
  }

  describeSubject(subjectId: string): Promise<DataKeyInfo[]> {
    return this.store.describeSubject(subjectId);
  }

  /** Drops every cached key of the subject (e.g. on receiving its erasure event). */
  forgetSubject(subjectId: string): void {
    this.activeBySubject?.delete(subjectId);
    if (!this.byKeyId) return;
    for (const [keyId, cached] of this.byKeyId.entries()) {
      if (cached !== ABSENT && cached.subjectId === subjectId) this.byKeyId.delete(keyId);
    }
  }
}
