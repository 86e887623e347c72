/**
 * The follow-up page after closure (issue 22): `/acties/<household>/<token>` of a 'nameting' link.
 * No login: the casusregisseur passed the link on to the household or its network. It shows the
 * dangers and takes one score (0-10) with a short explanation per danger, nothing else; the scores
 * go to our database (explanations encrypted in the texts store), never to the closed trajectory.
 * The reader (./readers.ts) has refused forged, respelled, expired, used and foreign links with
 * the Dutch refusal page and an audit line; here the link's nonce is consumed before anything is
 * stored, so a second submit, in any tab or process, stores nothing.
 */
import {
  explanationField,
  FOLLOW_UP_EXPLANATION_MAX,
  parseFollowUpRef,
  readFollowUpForm,
  scoreField,
  type FollowUpGroup,
} from '../../domain/follow-up';
import { html, type SafeHtml } from '../../platform/html';
import type { UsedActionLinks } from '../../platform/store/action-links';
import type { FollowUpStore } from '../../platform/store/follow-up';
import type { TextStore } from '../../platform/store/texts';
import { formError, one, select, textArea, type Errors, type Values } from './fields';
import { notice } from './frame';
import { DASHBOARD, type PageReply } from './page';
import { PageRefusal, type ActionReader } from './readers';

export interface FollowUpPageDeps {
  followUps: FollowUpStore;
  texts: TextStore;
  used: UsedActionLinks;
  now: () => Date;
}

const WHO: Record<FollowUpGroup, string> = { huishouden: 'het huishouden', netwerk: 'het netwerk' };
const SCORES = [{ value: '', label: 'Kies een score' }, ...Array.from({ length: 11 }, (_, i) => ({ value: String(i), label: String(i) }))];

export type FollowUpPage = (reader: ActionReader, values: Values | undefined) => Promise<PageReply>;

export function followUpPage(deps: FollowUpPageDeps): FollowUpPage {
  return async ({ caller, claims, useKey }, values) => {
    const householdId = claims.householdId;
    const refuse = (status: number, reason: string, message: string) =>
      new PageRefusal(status, 'link_invalid', message, { reason, reader: caller, householdId, linkPage: { next: DASHBOARD } });
    const asked = parseFollowUpRef(claims.ref);
    const request = await deps.followUps.request(useKey);
    // Signed by us, but not as a follow-up we sent for this household, moment and group.
    if (!asked || !request || request.householdId !== householdId || request.months !== asked.months || request.group !== asked.group)
      throw refuse(403, 'no_follow_up', 'Deze link opent geen nameting.');
    const statements = await deps.texts.open(
      householdId,
      request.dangers.map((d) => d.statementRef),
    );
    const dangers = [...request.dangers].sort((a, b) => a.priority - b.priority);
    const title = `Nameting ${request.months} maanden na afsluiting`;

    const form = (status: number, given: Values, errors: Errors): PageReply => ({
      status,
      title,
      hideWho: true,
      body: html`<h1>${title}</h1>
<p>${request.months} maanden geleden is de begeleiding afgesloten. Deze vragen zijn voor ${WHO[request.group]}: hoe veilig is het nu? Geef per gevaar één score van 0 (helemaal niet veilig) tot en met 10 (helemaal veilig), met een korte toelichting. Deze link werkt één keer.</p>
${formError(errors)}
<form method="post" class="form-grid card" novalidate>
${dangers.map(
  (d, i): SafeHtml => html`<fieldset><legend>Gevaar ${i + 1}: ${statements.get(d.statementRef) ?? 'omschrijving niet beschikbaar'}</legend>
${select(scoreField(d.id), 'Score (0-10)', one(given, scoreField(d.id)), SCORES, errors)}
${textArea(explanationField(d.id), 'Korte toelichting', one(given, explanationField(d.id)), errors, { required: true, max: FOLLOW_UP_EXPLANATION_MAX })}
</fieldset>`,
)}
<div><button type="submit" class="button">Versturen</button></div>
</form>`,
    });

    if (!values) return form(200, {}, {});
    const { answers, errors } = readFollowUpForm(dangers, values);
    if (Object.keys(errors).length) return form(422, values, errors);
    // Consumed before anything is stored: of two submits exactly one stores its scores.
    if (!(await deps.used.consume(useKey))) throw refuse(410, 'used', 'Deze link is al gebruikt: elke link werkt één keer.');
    try {
      const refs = await deps.texts.seal(
        householdId,
        answers.map((a) => a.explanation),
      );
      await deps.followUps.recordAnswers(
        householdId,
        request.months,
        request.group,
        answers.map((a, i) => ({ dangerId: a.dangerId, value: a.value, textRef: refs[i]! })),
        deps.now(),
      );
    } catch (err) {
      // Nothing was stored (one transaction): the link is given back to try again.
      await deps.used.release(useKey);
      throw err;
    }
    return {
      title,
      hideWho: true,
      body: html`<h1>${title}</h1>${notice('ok', 'Dank u wel. De scores zijn opgeslagen; deze link is nu gebruikt.')}`,
    };
  };
}
