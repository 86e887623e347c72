/**
 * Read-model rows for the impact tests, built by hand: households, phases, escalations and
 * handovers in the first quarter of 2026, households closed through given phases; and figures read
 * back as plain values ('onderdrukt' when suppressed).
 */
import type { Figure } from '../../domain/disclosure';
import type { Distribution } from '../../domain/distribution';
import type { ImpactEscalationRow, ImpactHandoverRow, ImpactHouseholdRow, ImpactPhaseRow, ImpactRows } from '../../domain/impact-rows';

/** The first quarter of 2026, in Amsterdam: 2025-12-31T23:00Z (winter time) up to 2026-03-31T22:00Z (summer time). */
export const Q1 = { from: '2026-01-01', to: '2026-04-01' };
export const FROM = '2025-12-31T23:00:00.000Z';
export const TO = '2026-03-31T22:00:00.000Z';

export const S = 'onderdrukt';
/** A figure as a plain value: the number (or null), or 'onderdrukt'. */
export const v = (f: Figure) => (f.suppressed ? S : f.value);
export const dist = (d: Distribution) => ({
  n: v(d.n),
  min: v(d.min),
  p25: v(d.p25),
  median: v(d.median),
  p75: v(d.p75),
  max: v(d.max),
});
export const allSuppressed = { n: S, min: S, p25: S, median: S, p75: S, max: S };
export const empty = { n: 0, min: null, p25: null, median: null, p75: null, max: null };

export const ids = (n: number, prefix = 'hh') => Array.from({ length: n }, (_, i) => `${prefix}-${i + 1}`);
export const at = (date: string, time = '09:00') => `${date}T${time}:00.000Z`;
export const plus = (instant: string, days: number) => new Date(Date.parse(instant) + days * 86_400_000).toISOString();

export function household(id: string, over: Partial<ImpactHouseholdRow> = {}): ImpactHouseholdRow {
  return {
    householdId: id,
    intakeOrganisation: 'veilig-thuis',
    organisations: ['veilig-thuis'],
    closedAt: null,
    activeSocialNetwork: 0,
    startedAt: '2025-01-01T09:00:00.000Z',
    directSafetyAt: null,
    stableSafetyAt: null,
    ...over,
  };
}
export function phase(householdId: string, name: string, startedAt: string, endedAt: string | null, via = 'criteria'): ImpactPhaseRow {
  return { householdId, phase: name, startedAt, endedAt, via };
}
export function escalation(
  householdId: string,
  rule: string,
  level: number,
  raisedAt: string,
  key = `${rule}:${raisedAt}`,
): ImpactEscalationRow {
  return { householdId, key, rule, level, raisedAt };
}
export function handover(householdId: string, requestedAt: string, over: Partial<ImpactHandoverRow> = {}): ImpactHandoverRow {
  return { householdId, id: `o-${requestedAt}`, requestedAt, confirmedAt: null, cancelledAt: null, ...over };
}
export function rows(over: Partial<ImpactRows>): ImpactRows {
  const r = { households: [], phases: [], escalations: [], handovers: [], lateEntries: [], ...over };
  // Every household a row refers to exists in household_summaries.
  const known = new Set(r.households.map((h) => h.householdId));
  const referred = [...r.phases, ...r.escalations, ...r.handovers].map((x) => x.householdId);
  return { ...r, households: [...r.households, ...[...new Set(referred)].filter((id) => !known.has(id)).map((id) => household(id))] };
}

/** A household closed on `closedAt`, through the given phases (each a month long, the last ending at closure). */
export function closedHousehold(id: string, closedAt: string, phases: string[], via: 'criteria' | 'override', network = 0): ImpactRows {
  const start = Date.parse(closedAt) - phases.length * 30 * 86_400_000;
  const times = phases.map((_, i) => new Date(start + i * 30 * 86_400_000).toISOString());
  return {
    households: [household(id, { closedAt, activeSocialNetwork: network })],
    phases: [
      ...phases.map((p, i) => phase(id, p, times[i]!, times[i + 1] ?? closedAt, i === 0 ? 'start' : 'criteria')),
      phase(id, 'afgesloten', closedAt, null, via),
    ],
    escalations: [],
    handovers: [],
    lateEntries: [],
  };
}
export function merge(...parts: ImpactRows[]): ImpactRows {
  return {
    households: parts.flatMap((p) => p.households),
    phases: parts.flatMap((p) => p.phases),
    escalations: parts.flatMap((p) => p.escalations),
    handovers: parts.flatMap((p) => p.handovers),
    lateEntries: parts.flatMap((p) => p.lateEntries),
  };
}
