import { z } from 'zod';
import { HttpProblem, type FieldError } from './problem';

/** Parses input with a zod schema, or throws a 400 problem naming every bad field. */
export function parseOr400<S extends z.ZodType>(schema: S, input: unknown, prefix = ''): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw HttpProblem.validation(fieldErrors(result.error, prefix));
}

export function fieldErrors(error: z.ZodError, prefix = ''): FieldError[] {
  return error.issues.map((issue) => {
    const path = issue.path.map(String).join('.');
    return { field: [prefix, path].filter(Boolean).join('.') || '(body)', message: issue.message };
  });
}
