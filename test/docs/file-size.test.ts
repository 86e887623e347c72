/**
 * No source file over 400 lines (issue 18): a file that grows past it is split by what it holds.
 * Every .ts, .mjs and .js file git tracks counts, listed by `git ls-files` from the repository root;
 * package-lock and what is generated (node_modules/, test-artifacts/) do not.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');
const MAX_LINES = 400;

/** Lines as `wc -l` counts them, and a last line without its line break as one more. */
function lineCount(text: string): number {
  const breaks = text.split('\n').length - 1;
  return text === '' || text.endsWith('\n') ? breaks : breaks + 1;
}

/** Is this path one the limit applies to: a source file, not a lock file or a generated one? */
function isSource(path: string): boolean {
  if (!/\.(ts|mjs|js)$/.test(path)) return false;
  if (/(^|\/)package-lock\.json$/.test(path)) return false;
  return !/(^|\/)node_modules\//.test(path) && !/(^|\/)test-artifacts\//.test(path);
}

/** Every source file over the limit, as "path: n lines", longest first; `read` gives undefined for a file that is gone. */
function overLimit(paths: string[], read: (path: string) => string | undefined): string[] {
  return paths
    .filter(isSource)
    .flatMap((path) => {
      const text = read(path);
      return text === undefined ? [] : [{ path, lines: lineCount(text) }];
    })
    .filter((f) => f.lines > MAX_LINES)
    .sort((a, b) => b.lines - a.lines || a.path.localeCompare(b.path))
    .map((f) => `${f.path}: ${f.lines} lines`);
}

/** The files git tracks, relative to the repository root. */
function tracked(): string[] {
  return execFileSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
    .split('\0')
    .filter(Boolean);
}

/** A tracked file as it is in the working tree (a deletion not yet committed has nothing to count). */
function readTracked(path: string): string | undefined {
  const full = resolve(ROOT, path);
  return existsSync(full) ? readFileSync(full, 'utf8') : undefined;
}

test(`no git-tracked source file (.ts, .mjs, .js) has more than ${MAX_LINES} lines`, () => {
  const files = tracked();
  expect(files.filter(isSource).length).toBeGreaterThan(100);
  expect(overLimit(files, readTracked)).toEqual([]);
});

test('the check names each file over the limit, counts lines as wc -l does, and leaves out lock files and generated files', () => {
  const lines = (n: number, end = '\n') => 'x\n'.repeat(n - 1) + `x${end}`;
  const files: Record<string, string> = {
    'domain/at-limit.ts': lines(400),
    'domain/over.ts': lines(401),
    'api/no-final-newline.ts': lines(401, ''),
    'scripts/long.mjs': lines(450),
    'jest.config.js': lines(402),
    'README.md': lines(900),
    'package-lock.json': lines(9000),
    'node_modules/x/index.js': lines(500),
    'test-artifacts/report.js': lines(500),
  };
  expect(lineCount('')).toBe(0);
  expect(lineCount('a\nb\n')).toBe(2);
  expect(lineCount('a\nb')).toBe(2);
  expect(overLimit([...Object.keys(files), 'domain/deleted.ts'], (p) => files[p])).toEqual([
    'scripts/long.mjs: 450 lines',
    'jest.config.js: 402 lines',
    'api/no-final-newline.ts: 401 lines',
    'domain/over.ts: 401 lines',
  ]);
});
