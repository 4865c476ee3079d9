import { z } from 'zod';
import { wholeNumberParam } from '../../shared/http/whole-number-param';

const text = (what: string) =>
  z
    .string({ error: `${what}: give it once, as text` })
    .trim()
    .min(1, 'must not be blank')
    .max(200, 'at most 200 characters');
const instant = z
  .string({ error: 'give it once, as text' })
  .refine(
    (value) =>
      /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2}))?$/.test(value) && !Number.isNaN(Date.parse(value)),
    {
      message: 'an ISO 8601 date or instant such as 2026-12-01 or 2026-12-01T09:30:00Z',
    },
  )
  .transform((value) => new Date(value));

/** Where the previous page ended: its last entry's time and position (base64url JSON). */
export interface AuditCursor {
  occurredAt: string;
  position: string;
}

const MAX_BIGINT = 9_223_372_036_854_775_807n;

export function encodeCursor(cursor: AuditCursor): string {
  return Buffer.from(JSON.stringify([cursor.occurredAt, cursor.position])).toString('base64url');
}

function decodeCursor(value: string): AuditCursor | undefined {
  try {
    const decoded: unknown = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
    if (!Array.isArray(decoded) || decoded.length !== 2) return undefined;
    const [occurredAt, position] = decoded as unknown[];
    if (typeof occurredAt !== 'string' || Number.isNaN(Date.parse(occurredAt))) return undefined;
    // A bigserial: anything above the bigint range is no position of ours (and a 500 in Postgres).
    if (typeof position !== 'string' || !/^\d{1,19}$/.test(position) || BigInt(position) > MAX_BIGINT)
      return undefined;
    return { occurredAt, position };
  } catch {
    return undefined;
  }
}

export const auditKinds = ['event', 'command', 'reply'] as const;

/** GET /audit: filters (all optional, combined with AND), a time range and a page. */
export const auditQuerySchema = z
  .strictObject({
    aggregateType: text('aggregateType')
      .optional()
      .meta({ description: 'property, people, payment, contract, title.' }),
    aggregateId: text('aggregateId').optional(),
    actor: text('actor').optional().meta({ description: 'The token subject the message was sent for.' }),
    correlationId: text('correlationId').optional(),
    purchase: text('purchase').optional().meta({
      description: 'A purchase’s transaction id: its saga’s commands and replies and the events they caused.',
    }),
    kind: z.enum(auditKinds, { error: `one of ${auditKinds.join(', ')}` }).optional(),
    from: instant.optional().meta({ description: 'Occurred at or after (inclusive).' }),
    to: instant.optional().meta({ description: 'Occurred before (exclusive).' }),
    limit: wholeNumberParam(1, 500).default(100),
    cursor: z
      .string()
      .transform((value, ctx) => {
        const decoded = decodeCursor(value);
        if (!decoded) {
          ctx.addIssue({ code: 'custom', message: 'not a cursor this API made; pass nextCursor as it came' });
          return z.NEVER;
        }
        return decoded;
      })
      .optional(),
  })
  .refine((q) => !(q.from && q.to) || q.from < q.to, { message: 'from must be before to', path: ['to'] })
  .refine((q) => !(q.purchase && q.correlationId) || q.purchase === q.correlationId, {
    message: 'a purchase is a correlation id: give one of purchase and correlationId, or the same value',
    path: ['purchase'],
  });

export type AuditQuery = z.output<typeof auditQuerySchema>;
