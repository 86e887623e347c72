/**
 * The household's logbook (issue 20): every event of the trajectory in one chronological list,
 * newest first, with who and when, and the texts professionals recorded (observed behaviour,
 * evidence notes, justifications) as the references the workflow holds; the reader opens only
 * those of the page shown. Late data is marked (issue 22); imported history says so.
 */
import { evidenceEnteredLate, scoreEnteredLate } from './late-data';
import type { ControleVisit, EvidenceItem } from './evidence-items';
import type { HouseholdState, Phase, ProfessionalRef, Role, ScoreGroup } from './model';
import type { Policy } from './policy';
import { plansOf, type PlanKind } from './safety-plan';

interface Base {
  /** When it happened: an instant, or midnight UTC of a day when only the day is known (`day`). */
  at: string;
  day?: true;
  /** Who recorded or did it (a professionalId, 'import', or absent for the method itself). */
  by?: string;
  /** References of the texts that belong to it, in the order shown. */
  texts: string[];
}

export type LogbookEvent = Base &
  (
    | { kind: 'intake'; organisation: string; reportingOrganisation: string }
    | { kind: 'phase'; phase: Phase; via: HouseholdState['phaseHistory'][number]['via'] }
    | { kind: 'role'; role: Role; holder: ProfessionalRef; via: HouseholdState['roleHistory'][number]['via'] }
    | { kind: 'handover'; step: 'gevraagd' | 'gestart' | 'ingetrokken'; role: Role; from: ProfessionalRef; to: ProfessionalRef }
    | { kind: 'danger'; dangerId: string }
    | { kind: 'score'; dangerId: string; group: ScoreGroup; value: number; observedOn: string; late: boolean }
    | {
        kind: 'evidence';
        item: EvidenceItem;
        observedOn: string;
        members: string[];
        visit?: ControleVisit;
        late: boolean;
        imported: boolean;
      }
    | { kind: 'network'; memberId: string; social: boolean; chair: boolean; safetyPersonFor: string[] }
    | { kind: 'huisverbod'; step: 'opgelegd' | 'verlengd' | 'beëindigd'; endDate: string; guidedBy?: ProfessionalRef }
    | { kind: 'danger_closed'; dangerId: string }
    | { kind: 'escalation'; rule: string; level: number; reason: string }
    | { kind: 'acknowledgement'; level: number }
    | { kind: 'override'; from: Phase; to: Phase; unmet: string[] }
    | { kind: 'override_review'; decision: 'akkoord' | 'niet_akkoord' }
    | { kind: 'decision'; rule: string }
    | { kind: 'plan'; planKind: PlanKind; version: number; step: 'versie' | 'onderschreven' | 'goedgekeurd' }
    | { kind: 'warning'; rule: string; message: string }
    | { kind: 'closed' }
  );

const dayAt = (date: string) => `${date}T00:00:00.000Z`;

/** Every event of the household, newest first (ties keep the order of the list below, reversed). */
export function logbook(s: HouseholdState, policy: Policy): LogbookEvent[] {
  const events: LogbookEvent[] = [
    {
      kind: 'intake',
      at: s.intake.receivedAt,
      organisation: s.intake.organisation,
      reportingOrganisation: s.intake.reportingOrganisation,
      texts: [],
    },
    ...s.phaseHistory.map((p): LogbookEvent => ({ kind: 'phase', at: p.from, phase: p.phase, via: p.via, texts: [] })),
    ...s.roleHistory.map((r): LogbookEvent => ({
      kind: 'role',
      at: r.from,
      role: r.role,
      holder: { professionalId: r.professionalId, organisation: r.organisation },
      via: r.via,
      texts: [],
    })),
    ...s.handovers.flatMap((h) => {
      const of = { kind: 'handover' as const, role: h.role, from: h.from, to: h.to };
      const steps: LogbookEvent[] = [{ ...of, step: 'gevraagd', at: h.requestedAt, by: h.requestedBy, texts: [] }];
      if (h.confirmedAt) steps.push({ ...of, step: 'gestart', at: h.confirmedAt, by: h.to.professionalId, texts: [] });
      if (h.cancelledAt)
        steps.push({ ...of, step: 'ingetrokken', at: h.cancelledAt, texts: h.cancelJustification ? [h.cancelJustification] : [] });
      return steps;
    }),
    ...s.dangers.map((d): LogbookEvent => ({
      kind: 'danger',
      at: dayAt(d.definedAt),
      day: true,
      dangerId: d.id,
      texts: [d.statement, d.safetyGoal, ...(d.scaleQuestion ? [d.scaleQuestion] : [])],
    })),
    ...(s.closedDangers ?? []).map((x): LogbookEvent => ({
      kind: 'danger_closed',
      at: x.closedAt,
      by: x.closedBy,
      dangerId: x.danger.id,
      texts: [x.reason],
    })),
    ...s.scores.map((x): LogbookEvent => ({
      kind: 'score',
      at: x.recordedAt,
      by: x.recordedBy,
      dangerId: x.dangerId,
      group: x.group,
      value: x.value,
      observedOn: x.date,
      late: scoreEnteredLate(x),
      texts: [x.observedBehaviour],
    })),
    ...s.evidence.map((e): LogbookEvent => ({
      kind: 'evidence',
      at: e.recordedAt,
      by: e.recordedBy,
      item: e.item,
      observedOn: e.date,
      members: e.members ?? [],
      ...(e.visit ? { visit: e.visit } : {}),
      late: evidenceEnteredLate(e, policy),
      imported: e.recordedBy === 'import',
      texts: [...(e.note ? [e.note] : []), ...(e.giApproval ? [e.giApproval.approvedBy] : [])],
    })),
    ...s.network.map((n): LogbookEvent => ({
      kind: 'network',
      at: dayAt(n.since),
      day: true,
      memberId: n.id,
      social: n.kind === 'sociaal',
      chair: n.chair,
      safetyPersonFor: n.safetyPersonFor,
      texts: [],
    })),
    ...(s.huisverbod
      ? [
          {
            kind: 'huisverbod' as const,
            step: 'opgelegd' as const,
            at: dayAt(s.huisverbod.startDate),
            day: true as const,
            endDate: s.huisverbod.endDate,
            guidedBy: s.huisverbod.guidedBy,
            texts: [],
          },
          ...(s.huisverbod.ended
            ? [
                {
                  kind: 'huisverbod' as const,
                  step: 'beëindigd' as const,
                  at: s.huisverbod.ended.recordedAt,
                  by: s.huisverbod.ended.by,
                  endDate: s.huisverbod.ended.date,
                  texts: [],
                },
              ]
            : []),
          ...s.huisverbod.extensions.map((x): LogbookEvent => ({
            kind: 'huisverbod',
            step: 'verlengd',
            at: x.recordedAt,
            endDate: x.endDate,
            texts: [],
          })),
        ]
      : []),
    ...s.escalations.flatMap((e) => [
      { kind: 'escalation' as const, at: e.raisedAt, rule: e.rule, level: e.level, reason: e.reason, texts: [] },
      ...(e.acknowledgements ?? []).map((a): LogbookEvent => ({
        kind: 'acknowledgement',
        at: a.at,
        by: a.by,
        level: a.level,
        texts: [a.plan],
      })),
    ]),
    ...s.overrides.flatMap((o): LogbookEvent[] => [
      { kind: 'override', at: o.at, by: o.by, from: o.from, to: o.to, unmet: o.unmet, texts: [o.justification] },
      ...(o.review
        ? [{ kind: 'override_review' as const, at: o.review.at, by: o.review.by, decision: o.review.decision, texts: [o.review.note] }]
        : []),
    ]),
    ...s.escalations.flatMap((e) =>
      (e.decisions ?? []).map((d): LogbookEvent => ({ kind: 'decision', at: d.at, by: d.by, rule: e.rule, texts: [d.decision] })),
    ),
    ...plansOf(s).flatMap((p) => {
      const of = { kind: 'plan' as const, planKind: p.kind, version: p.version };
      const steps: LogbookEvent[] = [{ ...of, step: 'versie', at: p.createdAt, by: p.createdBy, texts: [] }];
      if (p.endorsedOn) steps.push({ ...of, step: 'onderschreven', at: dayAt(p.endorsedOn), day: true, texts: [] });
      if (p.approval) steps.push({ ...of, step: 'goedgekeurd', at: dayAt(p.approval.on), day: true, by: p.approval.by, texts: [] });
      return steps;
    }),
    ...s.warnings.map((w): LogbookEvent => ({ kind: 'warning', at: w.at, rule: w.rule, message: w.message, texts: [] })),
    ...(s.closedAt ? [{ kind: 'closed' as const, at: s.closedAt, texts: [] }] : []),
  ];
  // Stable: equal moments keep the order above, reversed with the rest.
  return events
    .map((e, i) => ({ e, i }))
    .sort((a, b) => (a.e.at === b.e.at ? b.i - a.i : a.e.at < b.e.at ? 1 : -1))
    .map(({ e }) => e);
}

export const LOGBOOK_PAGE_SIZE = 40;

/** One page (1-based) of the logbook, and how many pages there are. */
export function logbookPage(events: readonly LogbookEvent[], page: number, size = LOGBOOK_PAGE_SIZE) {
  const pages = Math.max(1, Math.ceil(events.length / size));
  const current = Math.min(Math.max(1, page), pages);
  return { events: events.slice((current - 1) * size, current * size), page: current, pages, total: events.length };
}
