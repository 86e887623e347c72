/**
 * Issue 22 in the read model (embedded PGlite, migration 11): late entries written by SummaryWriter
 * and read by ImpactStore count per organisation in the impact report; a correction entered on
 * time removes its late row; the list keeps when an import's review ends.
 */
import type { Figure } from '../../domain/disclosure';
import { impactReport } from '../../domain/impact-report';
import type { LateEntryRow } from '../../domain/late-data';
import { ImpactStore } from '../../platform/store/impact-rows';
import { SummaryStore } from '../../platform/store/summaries';
import { SummaryWriter } from '../../platform/store/summary-writer';
import { freshDatabase } from '../support/database';
import { householdRow } from '../support/summary';

const Q1 = { from: '2026-01-01', to: '2026-04-01' };
const v = (f: Figure) => (f.suppressed ? 'onderdrukt' : f.value);
const lateScore = (organisation: string, enteredAt: string, month = '2026-01'): LateEntryRow => ({
  entry: `score:g1:netwerk:${month}`,
  kind: 'score',
  organisation,
  observedOn: `${month}-28`,
  enteredAt,
});

test('late entries per organisation from the read model; a correction on time removes the late row', async () => {
  const db = await freshDatabase();
  const writer = new SummaryWriter(db);
  for (let i = 1; i <= 5; i++)
    await writer.write(
      householdRow(`lt-${i}`, {
        organisations: ['veilig-thuis', 'lokaal-team'],
        lateEntries: [lateScore('lokaal-team', '2026-02-03T10:00:00.000Z')],
      }),
    );
  for (let i = 1; i <= 2; i++)
    await writer.write(
      householdRow(`gz-${i}`, { organisations: ['veilig-thuis', 'ggz'], lateEntries: [lateScore('ggz', '2026-02-03T10:00:00.000Z')] }),
    );
  // Entered before the period: not counted.
  await writer.write(householdRow('old-1', { lateEntries: [lateScore('veilig-thuis', '2025-12-03T10:00:00.000Z', '2025-11')] }));

  const store = new ImpactStore(db);
  let r = impactReport(await store.rows(Q1), Q1);
  expect(v(r.lateData.total)).toBe(7);
  // ggz: 2 households, suppressed; and then the one other part too (it could be subtracted).
  expect(r.lateData.byOrganisation.ggz!.suppressed).toBe(true);
  expect(r.lateData.byOrganisation['lokaal-team']!.suppressed).toBe(true);
  expect(Object.keys(r.lateData.byOrganisation)).toEqual(['ggz', 'lokaal-team']);

  // lt-5's late score is replaced by a correction entered on time: its row goes (newer seq).
  await writer.write(householdRow('lt-5', { seq: 2, organisations: ['veilig-thuis', 'lokaal-team'], lateEntries: [] }));
  r = impactReport(await store.rows(Q1), { ...Q1, organisation: 'lokaal-team' });
  expect(v(r.lateData.total)).toBe('onderdrukt');
  const rows = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM household_late_entries WHERE household_id = 'lt-5'`);
  expect(rows[0]!.n).toBe(0);
});

test("the list carries an import review's end; an intake has none", async () => {
  const db = await freshDatabase();
  const writer = new SummaryWriter(db);
  await writer.write(householdRow('imp-1', { importReviewEndsAt: '2026-03-20T08:00:00.000Z' }));
  await writer.write(householdRow('int-1'));
  const list = await new SummaryStore(db).list({ status: 'all' }, {}, 10);
  const ends = Object.fromEntries(list.items.map((i) => [i.householdId, i.importReviewEndsAt]));
  expect(ends).toEqual({ 'imp-1': '2026-03-20T08:00:00.000Z', 'int-1': null });
});
