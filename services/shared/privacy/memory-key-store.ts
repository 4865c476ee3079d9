import { randomBytes, randomUUID } from 'node:crypto';
import {
  DATA_KEY_BYTES,
  type DataKey,
  type DataKeyInfo,
  type DestroyResult,
  type KeyStore,
} from './key-store';

/**
 * A key store in process memory: for unit tests of code that encrypts personal data, and
 * for tools that need throwaway keys. Same contract as the Postgres store; nothing survives
 * the process.
 */
export class MemoryKeyStore implements KeyStore {
  private readonly keys = new Map<string, DataKeyInfo & { material: Buffer | null }>();

  async ensureKey(subjectId: string): Promise<DataKeyInfo> {
    const active = this.activeEntry(subjectId);
    if (active) return infoOf(active);
    const entry = {
      keyId: randomUUID(),
      subjectId,
      createdAt: new Date(),
      destroyedAt: null,
      material: randomBytes(DATA_KEY_BYTES),
    };
    this.keys.set(entry.keyId, entry);
    return infoOf(entry);
  }

  async activeKey(subjectId: string): Promise<DataKey | undefined> {
    const active = this.activeEntry(subjectId);
    return active ? usable(active) : undefined;
  }

  async getKey(keyId: string): Promise<DataKey | undefined> {
    const entry = this.keys.get(keyId);
    return entry ? usable(entry) : undefined;
  }

  async destroySubject(subjectId: string): Promise<DestroyResult> {
    const destroyedKeyIds: string[] = [];
    for (const entry of this.keys.values()) {
      if (entry.subjectId !== subjectId || entry.material === null) continue;
      entry.material.fill(0);
      entry.material = null;
      entry.destroyedAt = new Date();
      destroyedKeyIds.push(entry.keyId);
    }
    return { destroyedKeyIds, storageReclaimed: true };
  }

  async describeSubject(subjectId: string): Promise<DataKeyInfo[]> {
    return [...this.keys.values()].filter((e) => e.subjectId === subjectId).map(infoOf);
  }

  private activeEntry(subjectId: string) {
    return [...this.keys.values()].find((e) => e.subjectId === subjectId && e.material !== null);
  }
}

function usable(entry: DataKeyInfo & { material: Buffer | null }): DataKey | undefined {
  return entry.material === null
    ? undefined
    : { keyId: entry.keyId, subjectId: entry.subjectId, material: Buffer.from(entry.material) };
}

function infoOf(entry: DataKeyInfo): DataKeyInfo {
  return {
    keyId: entry.keyId,
    subjectId: entry.subjectId,
    createdAt: entry.createdAt,
    destroyedAt: entry.destroyedAt,
  };
}
