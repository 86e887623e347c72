/**
 * Disclosure control for figures about households: no family may be recognisable in a
 * figure. A figure computed over fewer than MIN_CELL households is suppressed (a count of 0 is
 * shown), and where a suppressed number could be recovered by subtraction from figures that are
 * shown, those are suppressed too (`protectBreakdown`, `protectTogether`).
 */

/** The smallest number of households a figure may be computed over. */
export const MIN_CELL = 5;
export const SUPPRESSION_REASON = `minder dan ${MIN_CELL} huishoudens`;

/** A figure: its value (null when there is nothing to compute it over), or suppressed. */
export type Figure = { suppressed: false; value: number | null } | { suppressed: true; reason: string };

/** A value with the number of households behind it, suppressed or not, before publishing. */
export interface Cell {
  value: number | null;
  households: number;
  suppressed: boolean;
}

function tooFew(households: number): boolean {
  return households > 0 && households < MIN_CELL;
}

export function cell(value: number | null, households: number): Cell {
  return { value, households, suppressed: tooFew(households) };
}

export function publish(c: Cell): Figure {
  return c.suppressed ? { suppressed: true, reason: SUPPRESSION_REASON } : { suppressed: false, value: c.value };
}

/** A count of rows and the number of distinct households they belong to. */
export function countCell(rows: readonly { householdId: string }[]): Cell {
  return cell(rows.length, distinct(rows));
}

export function distinct(rows: readonly { householdId: string }[]): number {
  return new Set(rows.map((r) => r.householdId)).size;
}

/**
 * A total shown with its parts: when exactly one part is suppressed, subtraction would reveal it,
 * so the smallest other non-zero part is suppressed too (or the total, when there is none).
 */
export function protectBreakdown(total: Cell, parts: Cell[]): void {
  if (total.suppressed || parts.filter((p) => p.suppressed).length !== 1) return;
  const next = parts.filter((p) => !p.suppressed && (p.value ?? 0) > 0).sort((a, b) => (a.value ?? 0) - (b.value ?? 0))[0];
  if (next) next.suppressed = true;
  else total.suppressed = true;
}

/**
 * Figures that together reveal how a set of households splits into groups (margins of a small
 * table, shares): all of them are suppressed when any group, shown or not, has too few households.
 */
export function protectTogether(groupSizes: number[], figures: Cell[]): void {
  if (groupSizes.some(tooFew)) for (const f of figures) f.suppressed = true;
}
