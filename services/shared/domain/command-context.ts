/** Who issued a command and in which conversation: stamped on every event it causes. */
export interface CommandContext {
  correlationId: string;
  causationId: string | null;
  /**
   * The caller's W3C trace context (e.g. a client's `traceparent` header). With tracing on,
   * events carry the active span's context instead, a descendant of it (see prepare).
   */
  traceparent: string | null;
  actor: string | null;
}
