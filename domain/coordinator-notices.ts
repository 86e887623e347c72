/**
 * Issue 20, section 6: the coordinator's decisions reach the people who carry the case. Whoever made
 * an override hears whether the coordinator agreed; the casusregisseur hears that a decision
 * after a level-3 escalation was recorded. Each once; the decision's text stays on the household
 * page, never in the mail.
 */
import { PHASE_LABEL, type EscalationRecord, type HouseholdState, type OverrideRecord, type ProfessionalRef } from './model';
import { dayOf } from './deadlines/ladder';
import { dutchDate } from './time';

export type CoordinatorNotice =
  | { kind: 'afwijking_beoordeeld'; override: OverrideRecord; to: ProfessionalRef; reason: string; at: string }
  | { kind: 'escalatie_besluit'; escalation: EscalationRecord; decisionAt: string; to: ProfessionalRef; reason: string };

/** Where a professional worked in this household: their current role, else their latest role before. */
function refOf(s: Pick<HouseholdState, 'roles' | 'roleHistory'>, professionalId: string): ProfessionalRef | undefined {
  const current = Object.values(s.roles).find((r) => r?.professionalId === professionalId);
  if (current) return { professionalId, organisation: current.organisation };
  const past = [...s.roleHistory].reverse().find((r) => r.professionalId === professionalId);
  return past && { professionalId, organisation: past.organisation };
}

/** The decisions not yet mailed, with whom each goes to (the override's author; the casusregisseur). */
export function coordinatorNotices(s: Pick<HouseholdState, 'overrides' | 'escalations' | 'roles' | 'roleHistory'>): CoordinatorNotice[] {
  const notices: CoordinatorNotice[] = [];
  for (const o of s.overrides) {
    const to = o.review && !o.review.noticed ? refOf(s, o.by) : undefined;
    if (!o.review || !to) continue;
    const verdict = o.review.decision === 'akkoord' ? 'akkoord' : 'niet akkoord';
    notices.push({
      kind: 'afwijking_beoordeeld',
      override: o,
      to,
      at: o.review.at,
      reason: `De regionaal coördinator is ${verdict} met uw overgang van ${PHASE_LABEL[o.from]} naar ${PHASE_LABEL[o.to]} op ${dutchDate(dayOf(o.at))}, ondanks ${o.unmet.join(', ')}. De toelichting staat op de huishoudpagina.`,
    });
  }
  const regie = s.roles.casusregisseur;
  for (const e of regie ? s.escalations : []) {
    for (const d of e.decisions ?? []) {
      if (d.noticed) continue;
      notices.push({
        kind: 'escalatie_besluit',
        escalation: e,
        decisionAt: d.at,
        to: { professionalId: regie!.professionalId, organisation: regie!.organisation },
        reason: `Na de escalatie op niveau 3 (${e.rule}) heeft de regionaal coördinator op ${dutchDate(dayOf(d.at))} een besluit vastgelegd. Het besluit staat op de huishoudpagina.`,
      });
    }
  }
  return notices;
}

/** Marks a notice as mailed, so it goes out once (also across continue-as-new). */
export function markNoticed(n: CoordinatorNotice): void {
  if (n.kind === 'afwijking_beoordeeld') n.override.review!.noticed = true;
  else for (const d of n.escalation.decisions ?? []) if (d.at === n.decisionAt) d.noticed = true;
}
