/** Names in the directory reach mail headers and pages: control characters are refused (issue 19). */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DirectoryNames, loadDirectory } from '../../platform/directory';
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

describe('professionals by name in reasons (issue 20)', () => {
  const names = new DirectoryNames(() => DIRECTORY as never);

  test('each id the directory knows becomes "name (organisation)"', () => {
    expect(names.inText('De overdracht van jf-0142 naar lt-0204 staat open.')).toBe(
      'De overdracht van Fatma Yilmaz (Jeugdformaat) naar Ilse Jansen (Lokaal team / gemeente) staat open.',
    );
  });

  test('an id inside another id, an unknown id and a text without ids stay as they are', () => {
    expect(names.inText('Casusregisseur jf-01420 en xjf-0142 en jf-0142-b.')).toBe('Casusregisseur jf-01420 en xjf-0142 en jf-0142-b.');
    expect(names.inText('Gevaar d1 is niet gescoord.')).toBe('Gevaar d1 is niet gescoord.');
    expect(new DirectoryNames(() => ({ ...DIRECTORY, professionals: {} }) as never).inText('jf-0142')).toBe('jf-0142');
  });
});
