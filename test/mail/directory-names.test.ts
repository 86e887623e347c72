/** Names in the directory reach mail headers and pages: control characters are refused (issue 19). */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadDirectory } from '../../platform/directory';
import { DIRECTORY, removeTempDirs, tempDir } from './support/fixtures';

afterAll(() => removeTempDirs());

function withName(
  edit: (d: {
    professionals: Record<string, { name: string }>;
    organisations: Record<string, { name: string; leadName: string }>;
    coordinator: { name: string };
  }) => void,
) {
  const d = structuredClone(DIRECTORY) as never;
  edit(d);
  const file = join(tempDir(), 'directory.json');
  writeFileSync(file, JSON.stringify(d));
  return () => loadDirectory(file);
}

test.each([
  ['a line break', 'Jan\r\nBcc: iemand@example.org'],
  ['a tab', 'Jan\tJansen'],
  ['a NUL', 'Jan\u0000'],
  ['a bidirectional override', 'Jan \u202Egnissej'],
])('a name with %s is refused, naming the field', (_what, name) => {
  const professional = Object.keys(DIRECTORY.professionals)[0]!;
  const organisation = Object.keys(DIRECTORY.organisations)[0]!;
  expect(withName((d) => (d.professionals[professional]!.name = name))).toThrow(new RegExp(`professionals\\.${professional}\\.name`));
  expect(withName((d) => (d.organisations[organisation]!.leadName = name))).toThrow(/leadName/);
  expect(withName((d) => (d.organisations[organisation]!.name = name))).toThrow(new RegExp(`organisations\\.${organisation}\\.name`));
  expect(withName((d) => (d.coordinator.name = name))).toThrow(/coordinator\.name/);
});

test('ordinary names, accents and all, pass', () => {
  expect(withName((d) => (d.coordinator.name = 'Fatma Yılmaz-Çelik — coördinator'))()).toMatchObject({
    coordinator: { name: 'Fatma Yılmaz-Çelik — coördinator' },
  });
});
