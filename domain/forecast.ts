/**
 * "Earliest possible": for each open exit criterion of the current phase, the earliest date on
 * which it can be met if everything goes right from now on, with a Dutch explanation, so
 * coordinators see which households are on course. Pure: `now` and the policy come in.
 *
 * Most criteria can be met today, by recording evidence or settling who does what; only time
 * holds back the score runs, the half year of agreements and the minimum
 * length of a trajectory. The phase can end on the latest of these dates.
 */
import { hasEvidence, unmetCriteria, type Unmet } from './criteria';
import type { HouseholdState } from './model';
import { METHOD, type Policy } from './policy';
import { consensusRun, monthVerdict, riskRun } from './scores';
import { addMonths, addMonthsToDate, amsterdamDay, count, dutchDate, dutchMonthName, firstDayOf, monthOf, type IsoDate } from './time';

/** What holds a criterion back: a score run, a duration, evidence, people and roles, scores to give now, or unknown. */
export type ForecastKind = 'score_run' | 'duration' | 'evidence' | 'people' | 'scores' | 'unknown';

export interface Forecast {
  rule: string;
  kind: ForecastKind;
  /** The earliest calendar date (Amsterdam) the criterion can be met; null when that cannot be told yet. */
  earliest: IsoDate | null;
  /** Why that date, in Dutch, starting with the rule id. */
  explanation: string;
  /** What is still open: the criterion's own message (criteria.ts). */
  open: string;
}

export interface PhaseEndForecast {
  /** The earliest date the current phase can end: the latest over its open criteria; null when one is unknown. */
  earliest: IsoDate | null;
  /** The rules that decide it: those with the latest date, or those whose date is unknown. */
  decidedBy: string[];
  explanation: string;
}

interface Ctx {
  s: HouseholdState;
  today: IsoDate;
  policy: Policy;
}

// ---------------------------------------------------------------------------------------------
// score runs

interface RunRule {
  run: (s: HouseholdState, dangerId: string, today: IsoDate) => number;
  needed: (p: Policy) => number;
  threshold: number;
  unit: [string, string];
}

const RUN_RULES: Record<'R-39' | 'R-46', RunRule> = {
  'R-39': {
    run: (s, id, today) => riskRun(s.scores, id, today),
    needed: (p) => p.riskRunMonths,
    threshold: METHOD.safeScore,
    unit: ['tellende maand', 'tellende maanden'],
  },
  'R-46': {
    run: (s, id, today) => consensusRun(s.scores, id, today),
    needed: (p) => p.stableSafetyEvaluations,
    threshold: METHOD.stableScore,
    unit: ['evaluatie met consensus', 'evaluaties met consensus'],
  },
};

/**
 * The month in which a danger's run can reach the needed length: the current month counts as one
 * of the months still needed unless it already broke (a score below the threshold); a month counts
 * as soon as all three groups scored it, so the run is reached on the first day of that month at
 * the earliest (today, when that is the current month).
 */
function runReachedIn(
  s: HouseholdState,
  dangerId: string | null,
  rule: RunRule,
  c: Ctx,
): { missing: number; month: string; currentBroke: boolean } {
  const current = monthOf(c.today);
  const needed = rule.needed(c.policy);
  const verdict = dangerId === null ? 'open' : monthVerdict(s.scores, dangerId, current, rule.threshold, current);
  const missing = Math.max(0, needed - (dangerId === null ? 0 : rule.run(s, dangerId, c.today)));
  const firstCountable = verdict === 'open' ? current : addMonths(current, 1);
  return { missing, month: addMonths(firstCountable, missing - 1), currentBroke: verdict === 'breaks' };
}

function scoreRunForecast(ruleId: 'R-39' | 'R-46', c: Ctx): Omit<Forecast, 'open'> {
  const rule = RUN_RULES[ruleId];
  const needed = rule.needed(c.policy);
  const earliestOf = (month: string) => (firstDayOf(month) > c.today ? firstDayOf(month) : c.today);
  if (c.s.dangers.length === 0) {
    const { month } = runReachedIn(c.s, null, rule, c);
    return {
      rule: ruleId,
      kind: 'score_run',
      earliest: earliestOf(month),
      explanation: `${ruleId}: nog geen gevaarsomschrijving; daarna zijn ${count(needed, ...rule.unit)} nodig → niet vóór ${dutchMonthName(month)}.`,
    };
  }
  const short = c.s.dangers
    .map((d) => ({ id: d.id, ...runReachedIn(c.s, d.id, rule, c) }))
    .filter((d) => d.missing > 0)
    .sort((a, b) => b.month.localeCompare(a.month));
  const parts = short.map(
    (d) =>
      `gevaar ${d.id} heeft nog ${count(d.missing, ...rule.unit)} nodig` +
      (d.currentBroke ? ` (deze maand telt niet meer: een score onder de ${rule.threshold})` : '') +
      ` → niet vóór ${dutchMonthName(d.month)}`,
  );
  return {
    rule: ruleId,
    kind: 'score_run',
    earliest: short.length ? earliestOf(short[0]!.month) : c.today,
    explanation: `${ruleId}: ${parts.join('; ')}.`,
  };
}

// ---------------------------------------------------------------------------------------------
// agreements carried out for half a year, and no new violence in this phase

function firstSafetyPlan(s: HouseholdState): IsoDate | undefined {
  return s.evidence
    .filter((e) => e.item === 'direct_veiligheidsplan' || e.item === 'stabiel_veiligheidsplan')
    .map((e) => e.date)
    .sort()[0];
}

function agreementsForecast(c: Ctx): Omit<Forecast, 'open'> {
  const plan = firstSafetyPlan(c.s);
  const violenceOpen = !hasEvidence(c.s, 'geen_nieuw_geweld', amsterdamDay(new Date(c.s.phaseStartedAt)));
  const andViolence = violenceOpen ? '; ook moet het netwerk in deze fase bevestigen dat er geen geweld meer is' : '';
  if (!plan) {
    return {
      rule: 'R-40',
      kind: 'duration',
      earliest: null,
      explanation: `R-40: nog geen veiligheidsplan vastgelegd; de afspraken moeten vanaf het eerste plan minimaal ${count(METHOD.agreementsMonths, 'maand', 'maanden')} lopen (bij een plan vandaag: niet vóór ${dutchDate(addMonthsToDate(c.today, METHOD.agreementsMonths))})${andViolence}.`,
    };
  }
  const halfYear = addMonthsToDate(plan, METHOD.agreementsMonths);
  if (halfYear <= c.today) {
    return {
      rule: 'R-40',
      kind: 'evidence',
      earliest: c.today,
      explanation: `R-40: de afspraken lopen sinds ${dutchDate(plan)}, al een half jaar; kan vandaag, zodra het netwerk bevestigt dat er in deze fase geen geweld meer is.`,
    };
  }
  return {
    rule: 'R-40',
    kind: 'duration',
    earliest: halfYear,
    explanation: `R-40: de afspraken lopen sinds ${dutchDate(plan)}; een half jaar is bereikt op ${dutchDate(halfYear)} → niet vóór ${dutchDate(halfYear)}${andViolence}.`,
  };
}

// ---------------------------------------------------------------------------------------------
// the minimum length of a trajectory

function minimumDurationForecast(c: Ctx): Omit<Forecast, 'open'> {
  const start = amsterdamDay(new Date(c.s.startedAt));
  const earliest = addMonthsToDate(start, c.policy.minimumTrajectoryMonths);
  return {
    rule: 'R-52',
    kind: 'duration',
    earliest,
    explanation: `R-52: het traject is gestart op ${dutchDate(start)}; afsluiten zonder onderbouwing kan vanaf ${dutchDate(earliest)} (eerder alleen met een onderbouwing van de casusregisseur).`,
  };
}

// ---------------------------------------------------------------------------------------------
// Criteria that can be met today: evidence to record, people and roles to settle, scores to give

/** Criteria met by recording evidence (R-10, R-11, ...): possible today. */
const EVIDENCE_RULES = new Set([
  'R-10',
  'R-11',
  'R-12',
  'R-13',
  'R-14',
  'R-15',
  'R-19',
  'R-20',
  'R-21',
  'R-23',
  'R-30',
  'R-31',
  'R-33',
  'R-34',
  'R-35',
  'R-36',
  'R-37',
  'R-38',
  'R-44',
  'R-48',
  'R-49',
]);

/** Criteria that depend on people, roles or scores: possible today, once the named people act. */
function todayBecause(rule: string, policy: Policy): { kind: ForecastKind; reason: string } | undefined {
  const people: Record<string, string> = {
    'R-02': 'een professional fase Veiligheid op zich neemt (eigenaar)',
    'R-04': 'de casusregisseur van het lokaal team of de GI is toegewezen',
    'R-16': 'het veiligheidslogboek is ingericht en elk kind een veiligheidspersoon en een veilig voorwerp heeft',
    'R-22': 'veiligheidsplanner en casusregisseur zijn toegewezen (en, als Veilig Thuis betrokken is, de monitoring is afgesproken)',
    'R-24': 'de nieuwe professional de start bevestigt, met het huishouden erbij',
    'R-25': 'de overdracht naar de veiligheidsplanner is bevestigd',
    'R-41': 'een netwerklid het netwerkberaad (mede) voorzit',
    'R-42': 'elk kind een veiligheidspersoon heeft en vastgelegd is wat nodig is voor herstel',
    'R-43': 'een gedragswetenschapper is toegewezen en de afspraken voor de herstelfase zijn vastgelegd',
    'R-45': 'een herstelbehandelaar is toegewezen en het veiligheidsplan en de signalen kent',
    'R-47': 'behandeldoelen en herstelplan zijn afgerond en netwerkvoorzitter en veiligheidspersonen actief zijn',
    'R-51': `minimaal ${count(policy.minimumActiveSocialNetwork, 'niet-professionele betrokkene', 'niet-professionele betrokkenen')} actief zijn`,
  };
  const scores: Record<string, string> = {
    'R-17': 'huishouden, netwerk en professionals elk gevaar hebben gescoord',
    'R-18': `het directe plan is uitgevoerd en alle groepen daarna een ${METHOD.safeScore} of hoger geven`,
  };
  if (people[rule]) return { kind: 'people', reason: people[rule] };
  if (scores[rule]) return { kind: 'scores', reason: scores[rule] };
  if (EVIDENCE_RULES.has(rule)) return { kind: 'evidence', reason: 'het ontbrekende bewijs is vastgelegd' };
  return undefined;
}

function todayForecast(rule: string, c: Ctx): Omit<Forecast, 'open'> {
  const because = todayBecause(rule, c.policy);
  if (!because) return { rule, kind: 'unknown', earliest: null, explanation: `${rule}: geen voorspelling bekend voor deze regel.` };
  return { rule, kind: because.kind, earliest: c.today, explanation: `${rule}: kan vandaag, zodra ${because.reason}.` };
}

// ---------------------------------------------------------------------------------------------

function forecastOf(u: Unmet, c: Ctx): Forecast {
  const f =
    u.rule === 'R-39' || u.rule === 'R-46'
      ? scoreRunForecast(u.rule, c)
      : u.rule === 'R-40'
        ? agreementsForecast(c)
        : u.rule === 'R-52'
          ? minimumDurationForecast(c)
          : todayForecast(u.rule, c);
  return { ...f, open: u.message };
}

/** For each open exit criterion of the current phase: the earliest date it can be met, and why. */
export function earliestPossible(state: HouseholdState, now: Date, policy: Policy): Forecast[] {
  const c: Ctx = { s: state, today: amsterdamDay(now), policy };
  return unmetCriteria(state, now, policy).map((u) => forecastOf(u, c));
}

/** The forecast of one open criterion (as `unmetCriteria` reports it). */
export function forecastFor(unmet: Unmet, state: HouseholdState, now: Date, policy: Policy): Forecast {
  return forecastOf(unmet, { s: state, today: amsterdamDay(now), policy });
}

/** The earliest date the current phase can end: the latest date over its open criteria. */
export function earliestPhaseEnd(forecasts: readonly Forecast[], now: Date): PhaseEndForecast {
  const today = amsterdamDay(now);
  if (forecasts.length === 0)
    return { earliest: today, decidedBy: [], explanation: 'Alle criteria van deze fase zijn vervuld; de fase kan vandaag eindigen.' };
  const unknown = forecasts.filter((f) => f.earliest === null).map((f) => f.rule);
  if (unknown.length)
    return { earliest: null, decidedBy: unknown, explanation: `Nog niet te zeggen wanneer de fase kan eindigen: ${unknown.join(', ')}.` };
  const latest = forecasts.map((f) => f.earliest!).reduce((a, b) => (b > a ? b : a));
  const decidedBy = forecasts.filter((f) => f.earliest === latest).map((f) => f.rule);
  return {
    earliest: latest,
    decidedBy,
    explanation:
      latest === today
        ? `De fase kan vandaag eindigen, zodra vastgelegd is wat nog ontbreekt (${decidedBy.join(', ')}).`
        : `De fase kan op zijn vroegst eindigen op ${dutchDate(latest)}, bepaald door ${decidedBy.join(', ')}.`,
  };
}
