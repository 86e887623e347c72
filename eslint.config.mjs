// Lint as Temporal's samples do (workflow code may not import Node built-ins nor activity
// implementations, no promise may float), and keep the layers' arrows one way:
//   domain/     imports nothing of ours; zod, domain/schemas/ and domain/commands only as types
//               (domain/ is shared by every household in the worker: worker/bundle.ts)
//   platform/   domain at most (configuration, codec, keys, links, database)
//   workflows/  domain and its own contract; activities as types only
//   activities/ domain and platform
//   api/        domain, platform and the workflow contract (workflows/messages)
//   worker/, scripts/  entry points: they wire the parts together
import { builtinModules } from 'node:module';
import tseslint from 'typescript-eslint';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)].map((name) => ({
  name,
  message: 'Workflow and domain code is deterministic: no Node built-ins.',
}));

const layer = (what) => ({
  group: [`**/${what}`, `**/${what}/**`],
  message: `This layer may not import ${what}/ (arrows run one way; see eslint.config.mjs).`,
});

function restrict(files, { builtins = false, patterns, ignores = [] }) {
  return {
    files,
    ignores,
    rules: { 'no-restricted-imports': ['error', { paths: builtins ? nodeBuiltins : [], patterns }] },
  };
}

// The worker loads domain/ once and shares it, frozen, between households; a schema built there
// would be frozen too (zod builds parts of a schema on first use). So the shared modules and the
// workflow see zod, the schemas and the checked commands as types only (worker/bundle.ts).
const SCHEMAS = ['zod', '**/schemas', '**/schemas/**', './commands', '../commands', '**/domain/commands'];
const schemasAsTypes = {
  group: SCHEMAS,
  allowTypeImports: true,
  message: 'Shared between households (worker/bundle.ts): import zod, domain/schemas/ and domain/commands as types only.',
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.tools/**', 'data/**', '*.js', '*.mjs'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  restrict(['domain/*.ts'], {
    builtins: true,
    ignores: ['domain/commands.ts'],
    patterns: [{ group: ['../*', '../**'], message: 'domain/ imports nothing of ours outside domain/.' }, schemasAsTypes],
  }),
  // A folder inside domain/ (deadlines/) may reach its siblings one level up, never further.
  restrict(['domain/*/**/*.ts'], {
    builtins: true,
    ignores: ['domain/schemas/**'],
    patterns: [{ group: ['../../*', '../../**'], message: 'domain/ imports nothing of ours outside domain/.' }, schemasAsTypes],
  }),
  // The schemas and the checked commands build zod schemas; they are never shared (worker/bundle.ts).
  restrict(['domain/commands.ts'], {
    builtins: true,
    patterns: [{ group: ['../*', '../**'], message: 'domain/ imports nothing of ours outside domain/.' }],
  }),
  restrict(['domain/schemas/**/*.ts'], {
    builtins: true,
    patterns: [{ group: ['../../*', '../../**'], message: 'domain/ imports nothing of ours outside domain/.' }],
  }),
  restrict(['platform/**/*.ts'], { patterns: ['api', 'activities', 'worker', 'workflows', 'scripts'].map(layer) }),
  restrict(['workflows/**/*.ts'], {
    builtins: true,
    patterns: [
      {
        group: ['**/activities', '**/activities/**'],
        allowTypeImports: true,
        message: 'Import only types from activities in workflow code.',
      },
      { group: ['@temporalio/activity', '@temporalio/client', '@temporalio/worker'], message: 'Not allowed in workflow code.' },
      schemasAsTypes,
      ...['api', 'worker', 'platform', 'scripts'].map(layer),
    ],
  }),
  restrict(['activities/**/*.ts'], { patterns: ['api', 'worker', 'workflows', 'scripts'].map(layer) }),
  restrict(['api/**/*.ts'], {
    patterns: [
      ...['worker', 'activities', 'scripts'].map(layer),
      {
        group: ['**/workflows/*', '!**/workflows/messages'],
        message: 'The API knows the workflow only through its contract, workflows/messages.',
      },
    ],
  }),
  restrict(['worker/**/*.ts'], { patterns: [layer('api')] }),
);
