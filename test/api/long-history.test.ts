/**
 * A five-year household read a page at a time (issue 19): 720 scores with long observed
 * behaviour, 40 evidence records and a handful of handovers, imported through the intake (R-01).
 * GET /households/{id} stays small and pages scores by whole months, the timeline pages by a
 * signed cursor bound to its household, and the reads that show no text read none.
 */
import type supertest from 'supertest';
import { SCORE_GROUPS } from '../../domain/model';
import { addMonths, monthOf } from '../../domain/time';
import type { HouseholdView } from '../../domain/view';
import { bearer, intakeBody, startStack, today, type KeyName, type Stack } from './support';

const H = '/api/v1/households';
const MONTHS = 60;
const DANGERS = ['g1', 'g2', 'g3', 'g4'];
const vt1 = { professionalId: 'p-vt-1', organisation: 'veilig-thuis' };
const vt2 = { professionalId: 'p-vt-2', organisation: 'veilig-thuis' };
const lt1 = { professionalId: 'p-lt-1', organisation: 'lokaal-team' };

let s: Stack;
let id: string;
const at = (path = '') => `${H}/${id}${path}`;

function as(key: KeyName) {
  const auth = (t: supertest.Test) => t.set('Authorization', bearer(key));
  return {
    get: (path: string) => auth(s.request.get(path)),
    post: (path: string, body: unknown) => auth(s.request.post(path)).send(body as object),
  };
}

/** Observed behaviour of score i: unique (texts are stored once per household) and 900 characters. */
const behaviour = (i: number) => `Score ${i}: ${'Oma zag dat vader rustig bleef toen het kind huilde. '.repeat(20)}`.slice(0, 900);

interface TimelineBody {
  roleHistory: { role: string; professionalId: string; from: string }[];
  handovers: { id: string; cancelJustification?: string }[];
  phaseHistory: { phase: string; from: string }[];
  nextPageToken?: string;
}

/** Every entry of a timeline page as one key per entry. */
const entries = (t: TimelineBody) => [
  ...t.phaseHistory.map((e) => `phase:${e.phase}:${e.from}`),
  ...t.roleHistory.map((e) => `role:${e.role}:${e.professionalId}:${e.from}`),
  ...t.handovers.map((e) => `handover:${e.id}`),
];

beforeAll(async () => {
  s = await startStack({});
  const current = monthOf(today());
  const first = addMonths(current, -(MONTHS - 1));
  const startDate = `${first}-01`;
  const scores = Array.from({ length: MONTHS }, (_, m) =>
    DANGERS.flatMap((dangerId, d) =>
      SCORE_GROUPS.map((group, g) => ({
        dangerId,
        group,
        value: 7,
        observedBehaviour: behaviour(m * 12 + d * 3 + g),
        date: `${addMonths(first, m)}-01`,
      })),
    ),
  ).flat();
  const res = await as('intake-vt').post(
    H,
    intakeBody('vt-long-history', {
      owner: vt1,
      casusregisseur: lt1,
      import: {
        startDate,
        phase: 'risicogestuurd',
        phaseStartDate: `${addMonths(first, 2)}-01`,
        roles: [{ role: 'veiligheidsplanner', professional: vt1, since: startDate }],
        dangers: DANGERS.map((d, i) => ({
          id: d,
          priority: i + 1,
          statement: `Gevaar ${d}: bij ruzie slaat een ouder.`,
          safetyGoal: 'Ruzies lopen zonder geweld af.',
          definedAt: startDate,
          revisions: 0,
        })),
        scores,
        evidence: Array.from({ length: 40 }, (_, i) => ({
          item: 'netwerkberaad' as const,
          date: `${addMonths(first, Math.floor(i * 1.5))}-01`,
          note: `Netwerkberaad ${i}: iedereen was er.`,
        })),
        network: [],
      },
    }),
  );
  expect(res.status).toBe(201);
  id = res.body.householdId as string;
  // Six handovers of the safety planner back and forth, each confirmed by the newcomer (R-24), and one cancelled.
  for (let h = 0; h < 6; h++) {
    const [from, to] = h % 2 === 0 ? (['pro-vt', vt2] as const) : (['pro-vt2', vt1] as const);
    const started = await as(from).post(at('/handovers'), { role: 'veiligheidsplanner', to, reason: 'expertise' });
    expect(started.status).toBe(200);
    const handoverId = (started.body as HouseholdView).state.handovers.at(-1)!.id;
    const confirmer = to.professionalId === 'p-vt-2' ? 'pro-vt2' : 'pro-vt';
    const confirmed = await as(confirmer).post(at(`/handovers/${handoverId}/confirmation`), { startDate: today(), householdPresent: true });
    expect(confirmed.status).toBe(200);
  }
  const cancelled = await as('pro-vt').post(at('/handovers'), { role: 'veiligheidsplanner', to: vt2, reason: 'overig' });
  const cancelId = (cancelled.body as HouseholdView).state.handovers.at(-1)!.id;
  expect(
    (await as('pro-vt').post(at(`/handovers/${cancelId}/cancellation`), { justification: 'Het huishouden wil de huidige planner.' }))
      .status,
  ).toBe(200);
}, 180_000);

afterAll(async () => {
  await s?.close();
});

describe('scores by month', () => {
  test('GET household stays under 256 KB: whole months, newest first, texts of those scores only', async () => {
    const res = await as('pro-vt').get(at());
    expect(res.status).toBe(200);
    expect(Buffer.byteLength(res.text)).toBeLessThan(256 * 1024);
    const view = res.body as HouseholdView;
    const page = view.scorePage!;
    expect(page).toMatchObject({ to: monthOf(today()), total: MONTHS * 12 });
    // 900-character texts: twelve months would pass the 128 KB budget, so the page is cut at a month boundary.
    const months = [...new Set(view.state.scores.map((x) => monthOf(x.date)))].sort();
    expect(months[0]).toBe(page.from);
    expect(months.length).toBeLessThan(12);
    expect(months.length).toBeGreaterThan(1);
    expect(view.state.scores).toHaveLength(months.length * 12);
    expect(page.earlier).toBe(addMonths(page.from, -1));
    expect(view.state.scores.every((x) => x.observedBehaviour.startsWith('Score '))).toBe(true);
    // The rest of the household is whole: criteria, runs and evidence do not depend on the page.
    expect(view.state.evidence).toHaveLength(40);
    expect(view.runs).toHaveLength(4);
  });

  test('walking back with ?to=<earlier> gives every score once, month by month', async () => {
    const seen: string[] = [];
    const pages: { from: string; to: string }[] = [];
    let to: string | undefined;
    do {
      const res = await as('pro-vt').get(at(to ? `?to=${to}` : ''));
      expect(res.status).toBe(200);
      const view = res.body as HouseholdView;
      seen.push(...view.state.scores.map((x) => x.observedBehaviour));
      pages.push({ from: view.scorePage!.from, to: view.scorePage!.to });
      to = view.scorePage!.earlier;
    } while (to && pages.length < 20);
    expect(seen).toHaveLength(MONTHS * 12);
    expect(new Set(seen).size).toBe(MONTHS * 12);
    // Pages join without gaps or overlaps.
    for (let i = 1; i < pages.length; i++) expect(pages[i]!.to).toBe(addMonths(pages[i - 1]!.from, -1));
  });

  test('an explicit range gives those months; a reversed, too long, malformed or pre-2000 range is a 400 (year 0000 once froze the API)', async () => {
    const from = addMonths(monthOf(today()), -30);
    const to = addMonths(from, 2);
    const res = await as('pro-vt').get(at(`?from=${from}&to=${to}`));
    expect(res.status).toBe(200);
    const view = res.body as HouseholdView;
    expect(view.scorePage).toMatchObject({ from, to, earlier: addMonths(from, -1) });
    expect(new Set(view.state.scores.map((x) => monthOf(x.date)))).toEqual(new Set([from, addMonths(from, 1), to]));
    for (const query of [
      `?from=${to}&to=${from}`,
      `?from=${addMonths(from, -12)}&to=${to}`,
      '?to=2026-13',
      '?from=2026-1',
      '?to=0000-01',
      '?from=0000-01',
      '?to=1999-12',
    ]) {
      const bad = await as('pro-vt').get(at(query));
      expect(bad.status).toBe(400);
      expect(bad.body.error.code).toBe('validation_failed');
    }
  });

  test('a score command answers the same first page, not the whole history', async () => {
    const res = await as('pro-vt').post(at('/scores'), {
      dangerId: 'g1',
      group: 'netwerk',
      value: 7,
      observedBehaviour: 'Rustig gebleven, ook bij de overdracht op school.',
      date: today(),
    });
    expect(res.status).toBe(200);
    expect(Buffer.byteLength(res.text)).toBeLessThan(256 * 1024);
    const view = res.body as HouseholdView;
    // This month already holds the network's score for g1: the new one corrects it (one per danger, group and month).
    expect(view.scorePage).toMatchObject({ to: monthOf(today()), total: MONTHS * 12 });
    const corrected = view.state.scores.filter((x) => x.dangerId === 'g1' && x.group === 'netwerk' && monthOf(x.date) === monthOf(today()));
    expect(corrected.map((x) => [x.value, x.observedBehaviour])).toEqual([[7, 'Rustig gebleven, ook bij de overdracht op school.']]);
  });
});

describe('the timeline by cursor', () => {
  test('walking every page gives each entry once, oldest first, the same as one large page', async () => {
    const all = (await as('pro-vt').get(at('/timeline?pageSize=500'))).body as TimelineBody;
    expect(all.nextPageToken).toBeUndefined();
    expect(all.handovers).toHaveLength(7);
    expect(all.handovers.at(-1)!.cancelJustification).toBe('Het huishouden wil de huidige planner.');
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const res = await as('pro-vt').get(at(`/timeline?pageSize=3${token ? `&nextPageToken=${token}` : ''}`));
      expect(res.status).toBe(200);
      const page = res.body as TimelineBody;
      expect(entries(page).length).toBeLessThanOrEqual(3);
      seen.push(...entries(page));
      token = page.nextPageToken;
      pages++;
    } while (token && pages < 50);
    expect(pages).toBeGreaterThan(3);
    expect(new Set(seen).size).toBe(seen.length);
    expect(new Set(seen)).toEqual(new Set(entries(all)));
  });

  test('a forged, altered or another household’s cursor is a 400', async () => {
    const first = (await as('pro-vt').get(at('/timeline?pageSize=2'))).body as TimelineBody;
    const token = first.nextPageToken!;
    const [payload, signature] = token.split('.') as [string, string];
    const flipped = `${payload}.${signature[0] === 'A' ? 'B' : 'A'}${signature.slice(1)}`;
    const forged = `${Buffer.from(JSON.stringify([id, '2000-01-01T00:00:00.000Z', 0, 0])).toString('base64url')}.${signature}`;
    const other = await as('intake-vt').post(H, intakeBody('vt-long-history-other', { owner: vt1 }));
    const otherToken = (await as('pro-vt').get(`${H}/${other.body.householdId as string}/timeline?pageSize=1`)).body.nextPageToken;
    // The household list's tokens are signed for another purpose: they do not page a timeline.
    const listToken = (await as('coord').get(`${H}?pageSize=1`)).body.nextPageToken;
    expect(otherToken).toEqual(expect.any(String));
    expect(listToken).toEqual(expect.any(String));
    for (const bad of [flipped, forged, otherToken, listToken]) {
      const res = await as('pro-vt').get(at(`/timeline?nextPageToken=${bad}`));
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('invalid_page_token');
    }
    expect((await as('pro-vt').get(at('/timeline?nextPageToken=AAAA'))).status).toBe(400);
  });
});

describe('reads decrypt only what they answer', () => {
  /** The read's answer and the queries it made of the texts' table. */
  const textQueries = async (path: string) => {
    const spy = jest.spyOn(s.db, 'query');
    try {
      const res = await as('pro-vt').get(at(path));
      expect(res.status).toBe(200);
      return { body: res.body as HouseholdView, calls: spy.mock.calls.filter(([sql]) => String(sql).includes('household_texts')) };
    } finally {
      spy.mockRestore();
    }
  };

  test('criteria and plan read no text at all', async () => {
    expect((await textQueries('/criteria')).calls).toEqual([]);
    expect((await textQueries('/plan')).calls).toEqual([]);
  });

  test('GET household decrypts exactly the texts it answers, not the 720 of the history', async () => {
    const { body, calls } = await textQueries('');
    const opened = calls.filter(([sql]) => String(sql).includes('ciphertext FROM'));
    expect(opened).toHaveLength(1);
    const refs = (opened[0]![1] as unknown[])[1] as string[];
    const answered = new Set(
      [
        ...body.state.scores.map((x) => x.observedBehaviour),
        ...body.state.dangers.flatMap((d) => [d.statement, d.safetyGoal]),
        ...body.state.evidence.map((e) => e.note),
        ...body.state.handovers.map((h) => h.cancelJustification),
      ].filter(Boolean),
    );
    expect(refs).toHaveLength(answered.size);
    expect(refs.length).toBeLessThan(MONTHS * 12);
  });
});
