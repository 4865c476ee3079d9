/**
 * Counts a failure under its description, cut to `maxChars`, so a run with errors says why.
 * Past `maxKinds` distinct descriptions only those already seen are counted: a run failing
 * in a new way on every command must not grow its report without bound.
 */
export function countErrorSample(
  samples: Record<string, number>,
  detail: string,
  maxKinds = 5,
  maxChars = 160,
): void {
  const key = detail.slice(0, maxChars);
  if (key in samples || Object.keys(samples).length < maxKinds) samples[key] = (samples[key] ?? 0) + 1;
}
