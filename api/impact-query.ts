/**
 * Who may measure what: coordinators the region or any organisation; everyone else
 * only their own organisation. The period is a span of Amsterdam calendar days [from, to); by
 * default the last twelve months up to and including today.
 */
import { z } from 'zod';
import { IsoDateSchema, Ref } from '../domain/schemas/model';
import { addDays, addMonthsToDate, amsterdamDay, daysBetween } from '../domain/time';
import type { ImpactScope } from '../domain/impact-rows';
import type { Caller } from './access';
import { ApiError } from './errors';

/** A period longer than this is refused: the report reads every household in it. */
const MAX_DAYS = 5 * 366;

export const ImpactQuery = z.object({
  from: IsoDateSchema.optional().meta({ description: 'First day (Amsterdam) of the period; default twelve months before `to`.' }),
  to: IsoDateSchema.optional().meta({ description: 'The day after the period (not included); default tomorrow.' }),
  organisation: Ref.optional().meta({
    description: 'Only households this organisation is or was involved in; coordinators only for another one.',
  }),
  startedInRoutekaartOnly: z
    .enum(['true', 'false'])
    .optional()
    .meta({ description: "'true': alleen in Routekaart gestart, geïmporteerde trajecten tellen niet mee (issue 22)." }),
  format: z.enum(['json', 'csv']).optional().meta({ description: "'csv' equals the header Accept: text/csv." }),
});
export type ImpactQuery = z.infer<typeof ImpactQuery>;

export function impactScope(caller: Caller, q: Omit<ImpactQuery, 'format'>, now: Date): ImpactScope {
  if (caller.via !== 'key') throw new ApiError(403, 'forbidden', 'Impactcijfers vraagt u op met uw API-sleutel.');
  let organisation = q.organisation;
  if (caller.kind !== 'coordinator') {
    if (organisation !== undefined && organisation !== caller.organisation)
      throw new ApiError(
        403,
        'forbidden',
        'U ziet de cijfers van uw eigen organisatie; de regio en andere organisaties ziet de coördinator (R-64).',
      );
    organisation = caller.organisation;
  }
  const to = q.to ?? addDays(amsterdamDay(now), 1);
  const from = q.from ?? addMonthsToDate(to, -12);
  const days = daysBetween(from, to);
  if (days < 1)
    throw new ApiError(400, 'validation_failed', "De periode moet minstens één dag zijn: 'from' ligt vóór 'to'.", {
      fields: [{ path: 'query.from', message: "'from' moet vóór 'to' liggen." }],
    });
  if (days > MAX_DAYS)
    throw new ApiError(400, 'validation_failed', 'Een periode van hooguit vijf jaar.', {
      fields: [{ path: 'query.from', message: 'Hooguit vijf jaar vóór to.' }],
    });
  return { from, to, organisation, startedInRoutekaartOnly: q.startedInRoutekaartOnly === 'true' };
}

/** CSV when asked for with ?format=csv or an Accept header that prefers text/csv. */
export function wantsCsv(format: string | undefined, accept: string | undefined): boolean {
  if (format) return format === 'csv';
  return /(^|,)\s*text\/csv/i.test(accept ?? '') && !/(^|,)\s*application\/json/i.test(accept ?? '');
}

const Figure = z.union([
  z.object({ suppressed: z.literal(false), value: z.number().nullable() }),
  z.object({ suppressed: z.literal(true), reason: z.string() }),
]);
const Distribution = z.object({ n: Figure, min: Figure, p25: Figure, median: Figure, p75: Figure, max: Figure });

/** domain/impact-report.ts ImpactReport, for the OpenAPI document. */
export const ImpactReportSchema = z
  .object({
    period: z.object({ from: z.string(), to: z.string() }),
    organisation: z.string().nullable(),
    startedInRoutekaartOnly: z.boolean(),
    phaseDays: z.record(z.string(), Distribution),
    closures: z.record(z.string(), Figure),
    escalations: z.object({ total: Figure, byLevel: z.record(z.string(), Figure), byCause: z.record(z.string(), Figure) }),
    handovers: z.object({ daysToConfirm: Distribution, openAtEnd: Figure, cancelled: Figure }),
    networkAtClosure: z.object({ size: Distribution, minimum: z.number(), shareAtLeastMinimum: Figure }),
    longerThanExpected: z.record(z.string(), z.object({ expectedDays: z.number(), households: Figure })),
    safetyByCohort: z.array(
      z.object({ cohort: z.string(), households: Figure, directSafetyMonths: Distribution, stableSafetyMonths: Distribution }),
    ),
    scoresAfterClosure: z.array(z.object({ moment: z.number(), group: z.string(), households: Figure, median: Figure })).meta({
      description:
        'Issue 22: median score per danger of the households closed in the period, at closure (moment 0) and 3 and 6 months after, per group (huishouden, netwerk); needs the policy setting followUp.consent.',
    }),
    reReports: z.record(z.enum(['3', '6', '12']), z.object({ observed: Figure, reReported: Figure, share: Figure })).meta({
      description: [
        'Issue 22: re-report within 3, 6 and 12 months of closure. Per window: the closed households whose window ended in the period',
        '(observed), how many of them a new intake was linked to within the window (reReported), and the share; small numbers suppressed.',
      ].join(' '),
    }),
    lateData: z.object({ total: Figure, scores: Figure, evidence: Figure, byOrganisation: z.record(z.string(), Figure) }).meta({
      description:
        "Issue 22: scores and evidence entered in the period after their month or date ('later ingevoerd'), by kind and per organisation that entered them.",
    }),
  })
  .meta({ id: 'ImpactReport' });
