/**
 * A business rule refused a command. `rule` is a stable, machine-readable name
 * (e.g. "offer-on-sold-property") that the HTTP layer reports with status 409.
 */
export class DomainError extends Error {
  constructor(
    readonly rule: string,
    message: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}
