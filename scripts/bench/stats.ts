/**
 * Percentiles and ratios. Every figure of the benchmark is a distribution (n, p50, p95, p99, max)
 * or a ratio of two figures measured in the same run; there are no pass/fail thresholds.
 */

export interface Summary {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  min: number;
  mean: number;
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

export const round = (v: number, digits = 1): number => (Number.isFinite(v) ? Math.round(v * 10 ** digits) / 10 ** digits : v);

/** Distribution of values (milliseconds unless said otherwise), rounded to 0.1. */
export function summarize(values: number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  const mean = sorted.reduce((a, b) => a + b, 0) / (sorted.length || 1);
  return {
    n: sorted.length,
    p50: round(percentile(sorted, 50)),
    p95: round(percentile(sorted, 95)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted.at(-1) ?? NaN),
    min: round(sorted[0] ?? NaN),
    mean: round(mean),
  };
}

/** a / b rounded to two decimals (null when b is 0 or missing). */
export function ratio(a: number | undefined, b: number | undefined): number | null {
  if (a === undefined || b === undefined || !Number.isFinite(a) || !Number.isFinite(b) || b === 0) return null;
  return round(a / b, 2);
}

/** Median, min and max of a figure over several runs. */
export function spread(values: number[]): { median: number; min: number; max: number; runs: number } {
  const s = [...values].filter(Number.isFinite).sort((a, b) => a - b);
  const mid = s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
  return { median: round(mid, 2), min: round(s[0] ?? NaN, 2), max: round(s.at(-1) ?? NaN, 2), runs: s.length };
}
