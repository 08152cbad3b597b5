// Latency and rate summaries: percentiles over recorded samples and the slope of a backlog over time.
export interface LatencySummary {
  count: number;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
  maxMs: number | null;
  meanMs: number | null;
}

/** Nearest-rank percentile over a sorted array; null when there are no samples (never a made-up zero). */
function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return round(sorted[rank]!);
}

export function round(value: number, digits = 1): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

export function summarizeLatency(samples: number[]): LatencySummary {
  const sorted = [...samples].sort((a, b) => a - b);
  const mean = sorted.length === 0 ? null : round(sorted.reduce((sum, value) => sum + value, 0) / sorted.length);
  return {
    count: sorted.length,
    p50Ms: percentile(sorted, 50),
    p95Ms: percentile(sorted, 95),
    p99Ms: percentile(sorted, 99),
    maxMs: sorted.length === 0 ? null : round(sorted[sorted.length - 1]!),
    meanMs: mean,
  };
}

export interface BacklogSample {
  /** ms since the phase started */
  t: number;
  /** deliveries owed (accepted × destinations) minus deliveries received */
  backlog: number;
}

/** Least-squares slope in items per second; 0 with fewer than three samples. */
export function backlogSlopePerSecond(samples: BacklogSample[]): number {
  if (samples.length < 3) return 0;
  const n = samples.length;
  const meanT = samples.reduce((sum, s) => sum + s.t, 0) / n;
  const meanB = samples.reduce((sum, s) => sum + s.backlog, 0) / n;
  let num = 0;
  let den = 0;
  for (const s of samples) {
    num += (s.t - meanT) * (s.backlog - meanB);
    den += (s.t - meanT) ** 2;
  }
  return den === 0 ? 0 : round((num / den) * 1000, 2);
}

export function ratePerSecond(count: number, ms: number): number {
  return ms <= 0 ? 0 : round((count * 1000) / ms, 1);
}

/** This phase's percentiles ÷ a reference phase's (from its raw samples); 1.0 = the same. */
export function latencyRatio(latency: LatencySummary, referenceSamples: number[]): { p50: number | null; p95: number | null; p99: number | null } {
  const reference = summarizeLatency(referenceSamples);
  const ratio = (a: number | null, b: number | null) => (a === null || b === null || b === 0 ? null : round(a / b, 2));
  return { p50: ratio(latency.p50Ms, reference.p50Ms), p95: ratio(latency.p95Ms, reference.p95Ms), p99: ratio(latency.p99Ms, reference.p99Ms) };
}
