/** The household's logbook (issue 20): every event newest first, with who, the texts' references, late data marked, paged. */
import { logbook, logbookPage } from '../../domain/logbook';
import { DEFAULT_POLICY } from '../../domain/policy';
import { apply, household, REGISSEUR, VT } from '../support/state';

const start = '2026-03-02T10:00:00.000Z';

function recorded() {
  let s = household(start, { owner: VT, casusregisseur: REGISSEUR });
  s = apply(s, '2026-03-03T09:00:00.000Z', 'defineDanger', REGISSEUR, { statement: 'Geweld bij ruzie', safetyGoal: 'Geen geweld thuis' });
  s = apply(s, '2026-03-04T09:00:00.000Z', 'recordEvidence', VT, {
    item: 'genogram',
    date: '2026-03-04',
    note: 'Drie generaties, oma erbij',
  });
  // Entered in April about a visit in early March: later ingevoerd (policy: 7 days).
  s = apply(s, '2026-04-20T09:00:00.000Z', 'recordEvidence', VT, {
    item: 'controle',
    date: '2026-03-05',
    visit: { kind: 'onaangekondigd', by: 'netwerk' },
  });
  return s;
}

test('every event, newest first, with who recorded it and the references of its texts', () => {
  const s = recorded();
  const events = logbook(s, DEFAULT_POLICY);
  expect(events.slice(0, 3).map((e) => e.kind)).toEqual(['evidence', 'evidence', 'danger']);
  expect(new Set(events.map((e) => e.kind))).toEqual(new Set(['evidence', 'danger', 'role', 'phase', 'intake']));
  const [controle, genogram] = events;
  expect(controle).toMatchObject({
    kind: 'evidence',
    item: 'controle',
    by: 'p-vt',
    observedOn: '2026-03-05',
    late: true,
    visit: { kind: 'onaangekondigd', by: 'netwerk' },
  });
  expect(genogram).toMatchObject({ kind: 'evidence', item: 'genogram', late: false, texts: [s.evidence[0]!.note] });
  const danger = events.find((e) => e.kind === 'danger')!;
  expect(danger).toMatchObject({
    day: true,
    at: `${s.dangers[0]!.definedAt}T00:00:00.000Z`,
    texts: [s.dangers[0]!.statement, s.dangers[0]!.safetyGoal],
  });
  expect(events.at(-1)).toMatchObject({ kind: 'intake', at: s.intake.receivedAt });
  for (let i = 1; i < events.length; i++) expect(events[i - 1]!.at >= events[i]!.at).toBe(true);
});

test('a handover shows its request and its start, each with who', () => {
  let s = recorded();
  s = apply(s, '2026-03-06T09:00:00.000Z', 'startHandover', VT, {
    role: 'eigenaar_veiligheid',
    to: { professionalId: 'p-vt-2', organisation: 'veilig-thuis' },
    reason: 'expertise',
  });
  const id = s.handovers[0]!.id;
  s = apply(
    s,
    '2026-03-07T09:00:00.000Z',
    'confirmHandover',
    { professionalId: 'p-vt-2', organisation: 'veilig-thuis' },
    { handoverId: id, startDate: '2026-03-07', householdPresent: true },
  );
  const steps = logbook(s, DEFAULT_POLICY).filter((e) => e.kind === 'handover');
  expect(steps).toEqual([
    expect.objectContaining({ step: 'gestart', by: 'p-vt-2', at: '2026-03-07T09:00:00.000Z' }),
    expect.objectContaining({ step: 'gevraagd', by: 'p-vt', at: '2026-03-06T09:00:00.000Z' }),
  ]);
});

test('pages of the logbook: bounded, in order, each event once, an asked page past the end shows the last', () => {
  const events = Array.from({ length: 95 }, (_, i) => ({ kind: 'closed' as const, at: String(1000 - i), texts: [] }));
  const first = logbookPage(events, 1);
  expect([first.page, first.pages, first.events.length, first.total]).toEqual([1, 3, 40, 95]);
  const seen = [1, 2, 3].flatMap((p) => logbookPage(events, p).events.map((e) => e.at));
  expect(seen).toEqual(events.map((e) => e.at));
  expect(logbookPage(events, 99).page).toBe(3);
  expect(logbookPage([], 1)).toMatchObject({ page: 1, pages: 1, total: 0 });
});
