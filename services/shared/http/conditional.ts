import { HttpProblem } from './problem';

/**
 * The version named by an If-Match header ("3", W/"3" or 3); `*` and absence mean
 * "any version". Anything else is a 400, so a typo never silently skips the check.
 */
export function versionFromIfMatch(header: string | undefined): number | undefined {
  if (header === undefined || header.trim() === '*') return undefined;
  const match = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(header);
  if (!match?.[1]) {
    throw HttpProblem.validation([
      { field: 'header.If-Match', message: 'expected an ETag such as "3" (the version you last read)' },
    ]);
  }
  return Number(match[1]);
}
