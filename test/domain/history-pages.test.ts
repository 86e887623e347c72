/**
 * Long histories a page at a time (issue 19): scores by whole months within a weight budget, and
 * the timeline by position, so a walk sees every entry once.
 */
import { pageScores, pageTimeline, type TimelinePosition } from '../../domain/history-pages';
import type { HouseholdState, Score } from '../../domain/model';

const score = (date: string, text = 'x'.repeat(100)): Score => ({
  dangerId: 'g1',
  group: 'netwerk',
  value: 7,
  observedBehaviour: text,
  date,
  recordedAt: `${date}T10:00:00.000Z`,
  recordedBy: 'p-1',
});

const weight = (s: Score) => s.observedBehaviour.length;

describe('scores by month', () => {
  const scores = ['2026-01-05', '2026-02-05', '2026-02-20', '2026-04-05', '2026-05-05', '2026-06-05'].map((d) => score(d));

  test('the months asked, both ends included, in the state’s order; earlier names the last month before with scores', () => {
    const { scores: page, page: info } = pageScores(scores, { from: '2026-03', to: '2026-05' }, weight, 10_000);
    expect(page.map((s) => s.date)).toEqual(['2026-04-05', '2026-05-05']);
    expect(info).toEqual({ from: '2026-03', to: '2026-05', earlier: '2026-02', total: 6 });
  });

  test('the budget ends the page at a month boundary, never inside a month; the newest month always comes', () => {
    const { scores: page, page: info } = pageScores(scores, { from: '2026-01', to: '2026-06' }, weight, 250);
    // June and May fit (200); April would pass 250.
    expect(page.map((s) => s.date)).toEqual(['2026-05-05', '2026-06-05']);
    expect(info).toMatchObject({ from: '2026-05', earlier: '2026-04' });
    const tiny = pageScores(scores, { from: '2026-01', to: '2026-02' }, weight, 1);
    expect(tiny.scores.map((s) => s.date)).toEqual(['2026-02-05', '2026-02-20']);
    expect(tiny.page).toMatchObject({ from: '2026-02', earlier: '2026-01' });
  });

  test('a range outside YYYY-MM ends at once instead of looping (year 0000 froze the API in CI)', () => {
    for (const range of [
      { from: '-1--10', to: '0000-01' },
      { from: '0000-01', to: '0000-03' },
      { from: 'x', to: 'y' },
    ]) {
      expect(() => pageScores(scores, range, weight, 10_000)).not.toThrow();
    }
    expect(pageScores(scores, { from: '0000-01', to: '0000-03' }, weight, 10_000).scores).toEqual([]);
  });

  test('walking back with earlier gives every score once', () => {
    const seen: string[] = [];
    let to: string | undefined = '2026-06';
    for (let i = 0; to && i < 10; i++) {
      const r = pageScores(scores, { from: '2025-07', to }, weight, 150);
      seen.push(...r.scores.map((s) => s.date));
      to = r.page.earlier;
    }
    expect(seen.sort()).toEqual(scores.map((s) => s.date).sort());
  });
});

describe('the timeline by position', () => {
  const t = (d: string) => `2026-0${d}T09:00:00.000Z`;
  const state = {
    phaseHistory: [
      { phase: 'afstemming', from: t('1-01'), via: 'start' },
      { phase: 'veiligheid', from: t('1-01'), via: 'criteria' },
    ],
    roleHistory: [
      { role: 'eigenaar_veiligheid', professionalId: 'p-1', organisation: 'o', from: t('1-01'), via: 'intake' },
      { role: 'casusregisseur', professionalId: 'p-2', organisation: 'o', from: t('3-01'), via: 'overdracht' },
    ],
    handovers: [
      {
        id: 'o1',
        role: 'casusregisseur',
        from: { professionalId: 'p-1', organisation: 'o' },
        to: { professionalId: 'p-2', organisation: 'o' },
        reason: 'expertise',
        requestedAt: t('2-15'),
        requestedBy: 'p-1',
      },
    ],
  } as unknown as HouseholdState;

  test('oldest first across the three lists; equal times keep phases, roles, handovers and their own order', () => {
    const all = pageTimeline(state, undefined, 100);
    expect(all.next).toBeUndefined();
    expect(all.phaseHistory.map((p) => p.phase)).toEqual(['afstemming', 'veiligheid']);
    const first = pageTimeline(state, undefined, 3);
    expect(first.phaseHistory).toHaveLength(2);
    expect(first.roleHistory.map((r) => r.role)).toEqual(['eigenaar_veiligheid']);
    expect(first.handovers).toEqual([]);
    expect(first.next).toEqual({ at: t('1-01'), kind: 1, index: 0 });
  });

  test('a walk page by page gives each entry once, whatever the page size', () => {
    for (const size of [1, 2, 3, 4]) {
      const seen: string[] = [];
      let after: TimelinePosition | undefined;
      for (let i = 0; i < 10; i++) {
        const page = pageTimeline(state, after, size);
        seen.push(...page.phaseHistory.map((p) => p.phase), ...page.roleHistory.map((r) => r.role), ...page.handovers.map((h) => h.id));
        after = page.next;
        if (!after) break;
      }
      expect(seen).toHaveLength(5);
      expect(new Set(seen).size).toBe(5);
    }
  });
});
