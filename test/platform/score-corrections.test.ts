/**
 * Scores replaced by a correction stay in Routekaart's database with who recorded them and when;
 * keeping the same one twice (a retried command) stores it once, and households stay apart.
 */
import type { Score } from '../../domain/model';
import { ScoreCorrections } from '../../platform/store/score-corrections';
import { freshDatabase } from '../support/database';

const score = (over: Partial<Score> = {}): Score => ({
  dangerId: 'g1',
  group: 'netwerk',
  value: 4,
  observedBehaviour: 'txt:AAAAAAAAAAAAAAAAAAAAAA',
  date: '2026-03-31',
  recordedAt: '2026-03-31T21:30:00.000Z',
  recordedBy: 'p-vt-1',
  ...over,
});

test('keeps a replaced score once, with who and when, by household', async () => {
  const store = new ScoreCorrections(await freshDatabase());
  const at = new Date('2026-04-01T08:00:00.000Z');
  await store.keep('hh-a', score(), at);
  await store.keep('hh-a', score(), at);
  await store.keep('hh-a', score({ value: 5, recordedAt: '2026-03-31T22:00:00.000Z', recordedBy: 'p-vt-2' }), at);
  await store.keep('hh-b', score({ value: 9 }), at);
  expect(await store.list('hh-a')).toEqual([
    {
      dangerId: 'g1',
      group: 'netwerk',
      month: '2026-03',
      value: 4,
      date: '2026-03-31',
      textRef: 'txt:AAAAAAAAAAAAAAAAAAAAAA',
      recordedAt: '2026-03-31T21:30:00.000Z',
      recordedBy: 'p-vt-1',
      correctedAt: '2026-04-01T08:00:00.000Z',
    },
    expect.objectContaining({ value: 5, recordedBy: 'p-vt-2', recordedAt: '2026-03-31T22:00:00.000Z' }),
  ]);
  expect((await store.list('hh-b')).map((k) => k.value)).toEqual([9]);
});
