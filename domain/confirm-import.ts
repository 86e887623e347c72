/**
 * `confirmImport` (issue 22, R-01): the casusregisseur (or, while nobody holds that role, the owner
 * of phase Veiligheid) has checked an imported case and ends its review early; the escalation
 * ladder then counts from this moment. A safety command: never refused for the household's size.
 */
import type { CommandBody } from './schemas/commands';
import { isCasusregisseur, refuse, type Ctx } from './command-checks';
import { reviewEndsAt } from './import-review';
import type { Actor, HouseholdState } from './model';

/** Whoever runs the trajectory now may confirm its import. */
function mayConfirm(s: HouseholdState, actor: Actor): boolean {
  if (s.roles.casusregisseur) return isCasusregisseur(s, actor);
  return s.roles.eigenaar_veiligheid?.professionalId === actor.professionalId;
}

/** The review ends now; refused when there is no review left or the actor does not run the trajectory. */
export function confirmImport(s: HouseholdState, _body: CommandBody<'confirmImport'>, actor: Actor, c: Ctx): void {
  const review = s.importReview;
  if (!review || reviewEndsAt(review) <= c.nowIso)
    refuse('R-01', 'Dit huishouden is niet (meer) geïmporteerd in controle; er is niets te bevestigen.');
  if (!mayConfirm(s, actor))
    refuse('R-01', 'Alleen de casusregisseur (of, zonder casusregisseur, de eigenaar van de veiligheid) bevestigt een import.');
  review.confirmedAt = c.nowIso;
}
