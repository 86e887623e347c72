/**
 * Issue 23: domain/ is loaded once per worker and shared by every cached household, frozen by the
 * SDK; the zod schemas cannot be frozen (zod completes a schema on first use), so they stay out.
 * The workflow tests run on this same bundle, so a shared module that built a schema would fail there.
 */
import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { sharedWorkflowModules } from '../../worker/bundle';

const root = resolve(__dirname, '../..');
const shared = sharedWorkflowModules().map((m) => relative(root, m));

test('the domain is shared between households, the schemas and the checked commands are not', () => {
  expect(shared).toEqual(expect.arrayContaining(['domain/criteria', 'domain/reducer', 'domain/policy', 'domain/deadlines/plan']));
  expect(shared.filter((m) => m.startsWith('domain/schemas/') || m === 'domain/commands')).toEqual([]);
  // First the workflow context's stack-trace limit (workflows/stack-traces.ts), then only the domain.
  expect(shared[0]).toBe('workflows/stack-traces');
  expect(shared.slice(1).every((m) => m.startsWith('domain/'))).toBe(true);
});

test('no shared module imports zod or a schema at run time', () => {
  const runtimeImports = /^import (?!type )[^;]*from '(zod|[./]+schemas\/[^']+|\.\/commands)';/m;
  const offenders = shared.filter((m) => runtimeImports.test(readFileSync(resolve(root, `${m}.ts`), 'utf8')));
  expect(offenders).toEqual([]);
});
