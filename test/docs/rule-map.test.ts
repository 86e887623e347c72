/**
 * The README's table of the rules of section 3 ("Each rule of section 3: enforced, or recorded as
 * dated evidence") stays true to the code: every rule it marks as enforced is cited in domain/ or
 * workflows/, and its "where" column names files that exist and functions those files declare.
 * The table is parsed from README.md itself, never from a copy.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');
const HEADING = '### Each rule of section 3';

interface Row {
  rules: string[];
  how: string;
  /** Each place: a file and the functions in it. */
  where: { file: string; names: string[] }[];
}

/** The rule table under HEADING: the first table after it, columns found by their header names. */
function ruleTable(readme: string): Row[] {
  const lines = readme.split('\n');
  const from = lines.findIndex((l) => l.startsWith(HEADING));
  if (from < 0) throw new Error(`README has no section '${HEADING}'`);
  const first = lines.findIndex((l, i) => i > from && l.startsWith('|'));
  const table: string[] = [];
  for (let i = first; i >= 0 && i < lines.length && lines[i]!.startsWith('|'); i++) table.push(lines[i]!);
  const cells = (line: string) =>
    line
      .slice(1, line.trimEnd().endsWith('|') ? line.trimEnd().length - 1 : undefined)
      .split('|')
      .map((c) => c.trim());
  const header = cells(table[0] ?? '');
  const col = (name: string) => {
    const i = header.indexOf(name);
    if (i < 0) throw new Error(`The rule table has no column '${name}' (columns: ${header.join(', ')})`);
    return i;
  };
  const [rule, how, where] = [col('rule'), col('how'), col('where')];
  return table.slice(2).map((line) => {
    const c = cells(line);
    return { rules: c[rule]!.match(/R-\d\d/g) ?? [], how: c[how]!, where: places(c[where] ?? '') };
  });
}

/** "`file` `fn`, `fn`; `file` `fn`" as places. */
function places(cell: string): Row['where'] {
  return cell
    .split(';')
    .map((part) => [...part.matchAll(/`([^`]+)`/g)].map((m) => m[1]!))
    .filter((ticks) => ticks.length > 0)
    .map(([file, ...names]) => ({ file: file!, names }));
}

/** Does this source declare `name` (a function, a constant, a class, or a method of an object or class)? */
function declares(source: string, name: string): boolean {
  const n = name.replace(/[^\w$]/g, '');
  if (n !== name || !n) return false;
  return new RegExp(
    `\\b(?:function\\*?|const|let|var|class|interface|type)\\s+${n}\\b|^\\s*(?:(?:public|private|static|async)\\s+)*${n}\\s*(?:<[^>]*>)?\\([^)]*\\)[^{;]*\\{`,
    'm',
  ).test(source);
}

function sourcesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourcesUnder(path);
    return e.name.endsWith('.ts') ? [readFileSync(path, 'utf8')] : [];
  });
}

/** Everything wrong with the table, as sentences; empty when it is true to the code. */
function problems(rows: Row[], root: string, cited: string): string[] {
  const out: string[] = [];
  const citedRule = (rule: string) => new RegExp(`${rule}(?!\\d)`).test(cited);
  for (const row of rows) {
    const label = row.rules.join(', ') || '(no rule id)';
    if (row.rules.length === 0) out.push(`a row names no rule id: '${row.how.slice(0, 40)}'`);
    const enforced = row.how.startsWith('enforced');
    if (enforced)
      for (const rule of row.rules) if (!citedRule(rule)) out.push(`${rule} is marked enforced but cited nowhere in domain/ or workflows/`);
    if (enforced && row.where.length === 0) out.push(`${label}: enforced, but the where column names no place`);
    let citesARule = false;
    for (const { file, names } of row.where) {
      const path = resolve(root, file);
      if (!file.endsWith('.ts') || !existsSync(path)) {
        out.push(`${label}: ${file} does not exist`);
        continue;
      }
      const source = readFileSync(path, 'utf8');
      if (names.length === 0) out.push(`${label}: ${file} is named without a function`);
      for (const name of names) if (!declares(source, name)) out.push(`${label}: ${file} has no function ${name}`);
      if (row.rules.some((rule) => new RegExp(`${rule}(?!\\d)`).test(source))) citesARule = true;
    }
    // At least one named place says which rule it serves, so the column cannot drift to unrelated code.
    if (row.where.length > 0 && !citesARule) out.push(`${label}: none of the named files cites ${label}`);
  }
  return out;
}

const readme = readFileSync(resolve(ROOT, 'README.md'), 'utf8');
const cited = [...sourcesUnder(resolve(ROOT, 'domain')), ...sourcesUnder(resolve(ROOT, 'workflows'))].join('\n');

test('the README rule table is true to the code: enforced rules are cited, every place named exists', () => {
  const rows = ruleTable(readme);
  expect(rows.length).toBeGreaterThanOrEqual(30);
  expect(rows.flatMap((r) => r.rules)).toEqual(expect.arrayContaining(['R-01', 'R-24', 'R-25', 'R-52', 'R-60', 'R-63']));
  expect(problems(rows, ROOT, cited)).toEqual([]);
});

test('the check reports a rule cited nowhere, a file that does not exist, and a function its file lacks', () => {
  const table = [
    HEADING,
    '',
    '| rule | how | where |',
    '| --- | --- | --- |',
    '| R-99 | enforced: a rule nobody wrote | `domain/deadlines/owner.ts` `ownerCause` |',
    '| R-24 | enforced: warm handover | `domain/deadlines/overdracht.ts` `handoverCause` |',
    '| R-25 | enforced: huisverbod | `domain/deadlines/huisverbod.ts` `handoverCause` |',
    '| R-37 | evidence per child | |',
    '| R-02 | enforced: owner | |',
  ].join('\n');
  expect(problems(ruleTable(table), ROOT, cited)).toEqual([
    'R-99 is marked enforced but cited nowhere in domain/ or workflows/',
    'R-99: none of the named files cites R-99',
    'R-24: domain/deadlines/overdracht.ts does not exist',
    'R-24: none of the named files cites R-24',
    'R-25: domain/deadlines/huisverbod.ts has no function handoverCause',
    'R-02: enforced, but the where column names no place',
  ]);
});

test('a method of the command reducer and a named constant count as declared; a mere call does not', () => {
  const source = 'const SAFETY = [];\nconst handlers = {\n  startHandover(s, b, actor, c) {\n    refuse(s);\n  },\n};\n';
  expect(declares(source, 'startHandover')).toBe(true);
  expect(declares(source, 'SAFETY')).toBe(true);
  expect(declares(source, 'refuse')).toBe(false);
});
