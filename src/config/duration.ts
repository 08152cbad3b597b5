// Parses human durations ("250ms", "5s", "5m", "2h", "3d") used throughout configuration.
/*
 * Kept rather than the `ms` package: `ms` also takes "5 minutes", "1y", "-5s", ".5s" and "5M" (case-insensitive)
 * and answers undefined instead of an error, so a strict config grammar would need this regex in front of it anyway.
 */
const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Milliseconds for a duration such as "5s" or "1.5h"; a bare number means milliseconds. */
export function parseDuration(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/.exec(text);
  if (!match) throw new RangeError(`not a duration: "${text}" (use e.g. 500ms, 5s, 5m, 2h, 3d)`);
  return Math.round(Number(match[1]) * UNIT_MS[match[2] ?? 'ms']!);
}

/** Milliseconds for each item of a comma-separated list of durations. */
export function parseDurationList(text: string): number[] {
  return text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.length > 0)
    .map(parseDuration);
}
