import { z } from 'zod';
import { printableValue } from './secrets';

/** Exit status of a process whose configuration is invalid: restarting it cannot help. */
export const CONFIG_ERROR_EXIT = 78;

/**
 * Thrown when environment variables are invalid; the message names every bad variable
 * and what it expects, so start-up fails with one readable line.
 */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Validates the environment against a zod object schema of variables with defaults. */
export function loadConfig<S extends z.ZodObject>(
  schema: S,
  env: NodeJS.ProcessEnv = process.env,
): z.infer<S> {
  const picked: Record<string, string | undefined> = {};
  for (const key of Object.keys(schema.shape)) {
    const value = env[key];
    // An empty variable means "not set" (docker-compose and shells produce them easily).
    picked[key] = value === '' ? undefined : value;
  }
  const result = schema.safeParse(picked);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const key = issue.path.join('.');
      // The value helps find the mistake, but a secret or a URL's password is never echoed.
      return `${key}=${printableValue(key, picked[key])}: ${issue.message}`;
    });
    throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
  }
  return result.data;
}
