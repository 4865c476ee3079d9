import { z } from 'zod';
import {
  jsonResponse,
  problemResponse,
  type ApiDescription,
} from '../../shared/http/openapi/api-description';
import { instantSchema } from '../../shared/http/openapi/common-schemas';
import { auditKinds, auditQuerySchema } from './audit-query';
import { auditReaders } from './audit-routes';

const auditEntry = z.strictObject({
  position: z.string(),
  messageId: z.string(),
  kind: z.enum(auditKinds),
  topic: z.string(),
  partition: z.number().int(),
  offset: z.string(),
  aggregateType: z.string(),
  aggregateId: z.string(),
  sequence: z
    .number()
    .int()
    .meta({ description: 'The aggregate version of an event; the saga step of a command or reply.' }),
  type: z.string(),
  actor: z
    .string()
    .nullable()
    .meta({ description: 'Who: the token subject it was sent for; null for the system’s own.' }),
  correlationId: z.string(),
  causationId: z.string().nullable(),
  purchaseId: z
    .string()
    .nullable()
    .meta({ description: 'In which purchase: its transaction id, when it belongs to one.' }),
  occurredAt: instantSchema,
  recordedAt: instantSchema,
});

/** The audit service's REST API; the schemas are those its handler validates with. */
export const auditApi: ApiDescription = {
  title: 'audit',
  description:
    'The audit trail: every event and saga message of every service, who sent it for whom, when, in which purchase.',
  operations: [
    {
      method: 'get',
      path: '/audit',
      operationId: 'readAuditTrail',
      summary: 'The audit trail by aggregate, actor, correlation id or purchase, and time',
      description:
        'Entries in the order they occurred. Filters combine; `nextCursor` pages on with the same filters. The payloads stay in each service (its events API); the trail keeps who, what and when.',
      token: 'required',
      roles: [...auditReaders],
      query: auditQuerySchema,
      responses: {
        200: jsonResponse(
          'A page of the trail.',
          z.strictObject({ entries: z.array(auditEntry), nextCursor: z.string().nullable() }),
        ),
        400: problemResponse('Invalid filter, range or cursor; `errors` names every bad parameter.'),
        403: problemResponse(
          'The caller has neither the compliance nor the ops role; `rule` names the rule.',
        ),
      },
    },
  ],
};
