/**
 * The spread of a measure over households (n, minimum, quartiles, maximum) and shares, every
 * figure through the disclosure control of ./disclosure: the arithmetic of the impact report
 * (./impact-report) and of the outcome measures (./outcome).
 */
import { cell, distinct, publish, type Figure } from './disclosure';

/** Spread of a measure; quartiles by linear interpolation between ranks (as spreadsheets' PERCENTILE.INC). */
export interface Distribution {
  n: Figure;
  min: Figure;
  p25: Figure;
  median: Figure;
  p75: Figure;
  max: Figure;
}

function round(x: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(x * f) / f;
}

/** Quantile by linear interpolation between the closest ranks; `sorted` ascending. */
export function quantile(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const pos = (sorted.length - 1) * q;
  const lo = sorted[Math.floor(pos)]!;
  const hi = sorted[Math.ceil(pos)]!;
  return round(lo + (hi - lo) * (pos - Math.floor(pos)), 2);
}

export function share(part: number, whole: number): number | null {
  return whole === 0 ? null : round(part / whole, 3);
}

export function distribution(measured: readonly { householdId: string; value: number }[]): Distribution {
  const households = distinct(measured);
  const sorted = measured.map((m) => m.value).sort((a, b) => a - b);
  const stat = (v: number | null) => publish(cell(v, households));
  return {
    n: stat(sorted.length),
    min: stat(sorted.length ? round(sorted[0]!, 2) : null),
    p25: stat(quantile(sorted, 0.25)),
    median: stat(quantile(sorted, 0.5)),
    p75: stat(quantile(sorted, 0.75)),
    max: stat(sorted.length ? round(sorted.at(-1)!, 2) : null),
  };
}
