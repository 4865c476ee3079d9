/** Turns a payload written at `fromVersion` into the shape of `fromVersion + 1`. */
export type Upcaster = (payload: Record<string, unknown>) => Record<string, unknown>;

/**
 * Old events are never rewritten; they are upgraded as they are read. Each step lifts
 * one schema version, so a v1 event reaches v3 through v1→v2 and v2→v3.
 */
export class Upcasters {
  private readonly steps = new Map<string, Upcaster>();
  private readonly current = new Map<string, number>();

  register(eventType: string, fromVersion: number, upcast: Upcaster): this {
    this.steps.set(`${eventType}@${fromVersion}`, upcast);
    this.current.set(eventType, Math.max(this.current.get(eventType) ?? 1, fromVersion + 1));
    return this;
  }

  currentVersion(eventType: string): number {
    return this.current.get(eventType) ?? 1;
  }

  upcast(
    eventType: string,
    schemaVersion: number,
    payload: Record<string, unknown>,
  ): Record<string, unknown> {
    let version = schemaVersion;
    let upgraded = payload;
    for (;;) {
      const step = this.steps.get(`${eventType}@${version}`);
      if (!step) return upgraded;
      upgraded = step(upgraded);
      version += 1;
    }
  }
}
