import { LRUCache } from 'lru-cache';
import type { ErasureMatcher, ValueMatch } from '../erasure-fingerprint';
import type { Finding } from './finding';

/** Decodes a Confluent wire-format value (magic byte 0, schema id, Avro body) to plain data. */
export type WireFormatDecoder = (bytes: Buffer) => Promise<unknown>;

/** Strings up to this length are remembered with their result: the same city or currency comes back often. */
const MEMO_MAX_LENGTH = 256;

export function isWireFormat(bytes: Buffer): boolean {
  return bytes.length >= 5 && bytes[0] === 0;
}

/**
 * Looks for former values in any stored value: text, JSON (every key and string inside),
 * and bytes — read as UTF-8 text, and, when they are an Avro record in the Confluent
 * wire format and a decoder is given, also decoded (Avro strings are UTF-8 inside the
 * bytes, but a length byte can touch them; decoded, each string stands alone).
 */
export class ValueProbe {
  private readonly memo = new LRUCache<string, ValueMatch[]>({ max: 100_000 });
  /** How many byte values looked like Avro but could not be decoded. */
  undecodable = 0;

  constructor(
    private readonly matcher: ErasureMatcher,
    private readonly decoder?: WireFormatDecoder,
  ) {}

  /** Every former value in `value`; `field` names where it sits (a column, a header). */
  async probe(value: unknown, where: string, field?: string): Promise<Finding[]> {
    const findings: Finding[] = [];
    await this.visit(
      value,
      (text, path) => {
        for (const match of this.find(text))
          findings.push({ where, ...(path ? { field: path } : {}), value: match });
      },
      field ?? '',
    );
    return dedupe(findings);
  }

  private async visit(
    value: unknown,
    test: (text: string, path: string) => void,
    path: string,
  ): Promise<void> {
    if (typeof value === 'string') return test(value, path);
    if (Buffer.isBuffer(value)) {
      test(value.toString('utf8'), path);
      if (this.decoder && isWireFormat(value)) {
        let decoded: unknown;
        try {
          decoded = await this.decoder(value);
        } catch {
          this.undecodable += 1;
          return;
        }
        await this.visit(decoded, test, join(path, '(avro)'));
      }
      return;
    }
    if (Array.isArray(value)) {
      for (const [index, item] of value.entries()) await this.visit(item, test, join(path, `[${index}]`));
      return;
    }
    if (typeof value === 'object' && value !== null && !(value instanceof Date)) {
      for (const [key, item] of Object.entries(value)) {
        test(key, path);
        await this.visit(item, test, join(path, key));
      }
    }
  }

  private find(text: string): ValueMatch[] {
    if (text.length > MEMO_MAX_LENGTH) return this.matcher.find(text);
    let result = this.memo.get(text);
    if (!result) {
      result = this.matcher.find(text);
      this.memo.set(text, result);
    }
    return result;
  }
}

function join(path: string, part: string): string {
  if (!path) return part;
  return part.startsWith('[') ? `${path}${part}` : `${path}.${part}`;
}

/** One finding per place, part and value. */
function dedupe(findings: Finding[]): Finding[] {
  const unique = new Map<string, Finding>();
  for (const f of findings) {
    unique.set(`${f.where}|${f.field ?? ''}|${f.value.field}|${f.value.kind}|${f.value.match}`, f);
  }
  return [...unique.values()];
}
