import { z } from 'zod';

/** The parts of the property and read-model answers the whereabouts read (their documents say the rest). */
export const versioned = z.looseObject({ version: z.number().int() });
export const eventPage = z.looseObject({
  events: z.array(z.looseObject({ type: z.string(), occurredAt: z.string(), version: z.number().int() })),
});
