/**
 * A failure the user can act on. `message` names the cause, `fix` says what to do;
 * the CLI prints them as one line and exits non-zero.
 */
export class StackError extends Error {
  constructor(
    message: string,
    readonly fix: string,
    readonly detail?: string,
  ) {
    super(message);
    this.name = 'StackError';
  }

  oneLine(): string {
    return `${this.message} — ${this.fix}`;
  }
}
