/**
 * Confirming an imported trajectory (issue 22, R-01): the casusregisseur ends the review of
 * "geïmporteerd — in controle" early, from the household page or from the signed single-use link
 * in the import summary mail. Both run the command confirmImport; the domain decides who may
 * (domain/confirm-import.ts), and from then on the escalation ladder counts as for any trajectory.
 */
import { importReviewLabel, reviewEndsAt } from '../../../domain/import-review';
import type { HouseholdState } from '../../../domain/model';
import { html, type SafeHtml } from '../../../platform/html';
import type { ActionForm, PlannedCommand } from '../forms';
import { allows, planned, type HouseholdForm } from './kit';

/** The review's label while it lasts ("geïmporteerd — in controle tot <datum>"), else nothing. */
const labelOf = (s: HouseholdState, now: Date) => importReviewLabel(s.importReview ? reviewEndsAt(s.importReview) : undefined, now);

function explain(label: string): SafeHtml {
  return html`<p>Dit traject is overgenomen uit een ander systeem: <strong>${label}</strong>. Controleer de overgenomen gegevens en vul aan wat ontbreekt.</p>
<p class="hint">Na de bevestiging bewaakt Routekaart de termijnen zoals bij elk traject: wat nog openstaat, begint dan op escalatieniveau 0 (R-01).</p>`;
}

const DONE = 'De import is bevestigd; Routekaart bewaakt vanaf nu de termijnen van dit traject.';

/** On the household page: offered only to whom the workflow lets confirm now (the casusregisseur). */
export const confirmImportForm: HouseholdForm = {
  key: 'import-bevestigen',
  theme: 'fase',
  title: 'Import bevestigen (R-01)',
  offered: (c) => allows(c, 'confirmImport', {}),
  labels: { bevestiging: 'Import bevestigen' },
  mainField: 'bevestiging',
  fields: (c) => explain(labelOf(c.view.state, c.now) ?? 'geïmporteerd'),
  submitLabel: 'Import bevestigen',
  plan: () => ({ commands: [planned('confirmImport', {}, {}, 'bevestiging')], errors: {} }),
  done: DONE,
};

/** Behind the action link of the import summary mail: one click, once. */
export const importConfirmation: ActionForm = {
  title: () => 'Import bevestigen',
  intro: (c) => explain(labelOf(c.view.state, c.now) ?? 'geïmporteerd'),
  fields: () => html``,
  submitLabel: 'Import bevestigen',
  settled: (c) =>
    labelOf(c.view.state, c.now) ? undefined : 'De controle van deze import is al afgelopen of bevestigd; er is niets meer te bevestigen.',
  plan: () => ({ commands: [{ type: 'confirmImport', body: {}, fieldOf: () => '_form' } as PlannedCommand], errors: {} }),
  done: () => html`<p>${DONE}</p>`,
};
