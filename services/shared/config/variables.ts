import { z } from 'zod';

/** An HTTP port variable (0 = any free port, as tests use). */
export const portVariable = (fallback: number, what: string) =>
  z.coerce.number().int().min(0).max(65535).default(fallback).describe(`HTTP port of ${what}`);

/** A Postgres pool size variable; a service's concurrent database work is bounded by it. */
export const poolVariable = (fallback: number, what: string) =>
  z.coerce.number().int().min(1).max(200).default(fallback).describe(`Postgres connections of ${what}`);

/** A duration in milliseconds (0 where the description says it disables the limit). */
export const millisecondsVariable = (fallback: number, description: string) =>
  z.coerce.number().int().min(0).max(3_600_000).default(fallback).describe(description);

/**
 * Where the process runs: `development` (the default: a laptop or CI with the native stack)
 * tolerates the public development defaults with a warning; `production` refuses to start
 * with any of them (see docs/deploy.md).
 */
export const deploymentVariable = () =>
  z
    .enum(['development', 'production'], { error: 'development or production' })
    .default('development')
    .describe(
      'development tolerates the public development secrets (with a warning); production refuses them',
    );

/** The entries of a comma-separated setting, trimmed, the empty ones dropped. */
export function commaSeparated(value: string): string[] {
  return value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
}

/** One URL, or the nodes of one cluster comma-separated (each client reaches them all). */
export const urlListVariable = (fallback: string, description: string) =>
  z
    .string()
    .refine(
      (value) => commaSeparated(value).length > 0 && commaSeparated(value).every((url) => URL.canParse(url)),
      'expected http(s)://host:port[,http(s)://host:port…]',
    )
    .default(fallback)
    .describe(description);
