/**
 * Issue 23: the workflow's handler applies a command's body as the history holds it, so its validator
 * admits only bodies already in the form the schema gives (normalCommand). The API and the pages
 * send the parsed body; anything else is refused (rule 'invoer') and changes nothing.
 */
import { MethodRefusal } from '../../domain/refusal';
import { CommandSchemas, normalCommand, parseCommand } from '../../domain/schemas/commands';

const guide = { professionalId: 'p-vt-1', organisation: 'veilig-thuis' };
const raw = { startDate: '2026-03-03', guidedBy: guide };

function refusedRule(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof MethodRefusal) return err.rule;
    throw err;
  }
  throw new Error('expected a refusal');
}

test('the parsed body is admitted as it is, whatever the order of its keys', () => {
  const parsed = parseCommand('registerHuisverbod', raw);
  expect(parsed).toMatchObject({ startTime: '00:00', days: 10 });
  expect(normalCommand('registerHuisverbod', parsed)).toEqual(parsed);
  const reordered = Object.fromEntries(Object.entries(parsed).reverse());
  expect(normalCommand('registerHuisverbod', reordered)).toEqual(parsed);
});

test('a body without the defaults the schema fills in is refused (invoer)', () => {
  expect(refusedRule(() => normalCommand('registerHuisverbod', raw))).toBe('invoer');
});

test('a text with spaces the schema trims, or a field the schema does not know, is refused (invoer)', () => {
  const score = { dangerId: 'g1', group: 'huishouden', value: 6, observedBehaviour: 'Rustig', date: '2026-03-03' };
  expect(normalCommand('recordScore', score)).toEqual(score);
  expect(refusedRule(() => normalCommand('recordScore', { ...score, observedBehaviour: ' Rustig ' }))).toBe('invoer');
  expect(refusedRule(() => normalCommand('recordScore', { ...score, extra: 1 }))).toBe('invoer');
  expect(refusedRule(() => normalCommand('recordScore', { ...score, value: 11 }))).toBe('invoer');
});

test('an optional field left out and one sent as undefined are the same body', () => {
  const entry = CommandSchemas.addLogEntry.parse({ agreementId: 'a1', date: '2026-03-03', outcome: 'goed_gegaan' });
  expect(normalCommand('addLogEntry', { ...entry, score: undefined })).toEqual(entry);
});
