import { z } from 'zod';

/** One invalid input of a 400 (see FieldError): its path in the request and what is wrong. */
export const fieldErrorSchema = z.strictObject({
  field: z.string().meta({ examples: ['price.amount', 'query.minPrice', 'header.If-Match'] }),
  message: z.string(),
});

/**
 * The RFC 9457 problem every error response is (see sendProblem): the standard members
 * and the extensions the services add. Extensions are open on purpose: a problem may carry
 * more (a 412's currentVersion, a 503's dependency) without breaking clients.
 */
export const problemSchema = z
  .looseObject({
    type: z.string().meta({ description: 'A URI naming the kind of problem.' }),
    title: z.string(),
    status: z.number().int().min(400).max(599),
    detail: z.string().meta({ description: 'What went wrong, and what to do about it.' }),
    instance: z.string().optional().meta({ description: 'The request path that failed.' }),
    errors: z
      .array(fieldErrorSchema)
      .optional()
      .meta({ description: 'On a 400 naming invalid input: every invalid field.' }),
    rule: z
      .string()
      .optional()
      .meta({ description: 'On a 403, 404 of a sub-entity, 409 or 422: the rule that refused the request.' }),
    dependency: z.string().optional().meta({ description: 'On a 503: what is unavailable.' }),
    currentVersion: z.number().int().optional().meta({ description: 'On a 412: the current version.' }),
  })
  .meta({ description: 'An RFC 9457 problem (application/problem+json).' });
