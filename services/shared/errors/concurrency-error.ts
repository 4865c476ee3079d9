/** Another writer appended to the stream since it was loaded (unique (stream_id, version) violated). */
export class ConcurrencyError extends Error {
  constructor(
    readonly streamId: string,
    readonly expectedVersion: number,
  ) {
    super(`stream ${streamId} has changed since version ${expectedVersion}; reload and retry`);
    this.name = 'ConcurrencyError';
  }
}
