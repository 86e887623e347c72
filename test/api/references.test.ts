/** Intake references are matched without regard to case, width or spaces (issue 19). */
import { householdIdFor, matchableReference } from '../../api/ids';
import { ID_SECRET } from './support';

test('VT-1, vt-1 and full-width ＶＴ－１ name one household; another organisation or reference does not', () => {
  const id = householdIdFor(ID_SECRET, 'veilig-thuis', 'VT-1');
  for (const same of ['vt-1', ' VT-1 ', 'Vt-1', 'ＶＴ－１'])
    expect([same, householdIdFor(ID_SECRET, 'veilig-thuis', same)]).toEqual([same, id]);
  expect(householdIdFor(ID_SECRET, 'veilig-thuis', 'VT-2')).not.toBe(id);
  expect(householdIdFor(ID_SECRET, 'lokaal-team', 'VT-1')).not.toBe(id);
  expect(matchableReference('ＶＴ－１')).toBe('vt-1');
});
