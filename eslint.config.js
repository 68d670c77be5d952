// ESLint for the whole tree: real mistakes (typescript-eslint's syntactic preset, fast enough for every
// `npm test`), import cycles, and the monorepo's boundaries. Formatting is prettier's job: eslint-config-prettier
// comes last and turns off every rule that would fight it. tools/check-boundaries.ts keeps only the Nx graph.
import { readdirSync, readFileSync } from 'node:fs';
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import prettier from 'eslint-config-prettier';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import { importX } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

const root = import.meta.dirname;
const apps = readdirSync(`${root}/apps`);
const libs = readdirSync(`${root}/libs`);
const projects = [...apps.map((a) => `apps/${a}`), ...libs.map((l) => `libs/${l}`)];
// The @lucy/* entry points (libs/x/src/index.ts, apps/sandbox/src/sandbox.ts): the only files of another
// project a file may reach, whatever the import is spelt like.
const aliases = JSON.parse(readFileSync(`${root}/tsconfig.base.json`, 'utf8')).compilerOptions.paths;
const libEntryPoints = Object.values(aliases)
  .map(([file]) => file)
  .filter((f) => f.startsWith('libs/'));
const SANDBOX_ENTRY = aliases['@lucy/sandbox'][0];
const TEST_ONLY = ['@lucy/testing', '@lucy/sandbox'];
const TEST_ONLY_MESSAGE = "is for test code only (a project's test/ folder, e2e/, bench/).";
// Test code (may use the test-only aliases): a project's test/ folder and libs/testing itself; e2e/, bench/
// and tools/ belong to no project and are not restricted.
const TEST_CODE = ['apps/*/test/**', 'libs/*/test/**', 'libs/testing/**'];
// `except` paths are relative to the zone's `from`.
const under = (dir, file) => `./${file.slice(dir.length + 1)}`;

const boundaryZones = [
  // An app never imports another app; test code may start the sandbox through its entry point (and product
  // code may not, see below).
  ...apps.map((app) => ({
    target: `apps/${app}`,
    from: 'apps',
    except: [`./${app}`, under('apps', SANDBOX_ENTRY)],
    message: 'An app never imports another app: share code through a library in libs/.',
  })),
  // A library never imports an app (the same exception for test code).
  ...libs.map((lib) => ({
    target: `libs/${lib}`,
    from: 'apps',
    except: [under('apps', SANDBOX_ENTRY)],
    message: 'A library never imports an app.',
  })),
  // Another library only through its @lucy/* alias: no relative path into its files.
  ...projects.map((project) => ({
    target: project,
    from: 'libs',
    except: [
      ...(project.startsWith('libs/') ? [under('libs', project)] : []),
      ...libEntryPoints.map((f) => under('libs', f)),
    ],
    message: 'Import another library by its @lucy/* alias (tsconfig.base.json), never by a relative path.',
  })),
  // Nor anything outside the projects (e2e/, bench/, tools/).
  {
    target: projects,
    from: ['e2e', 'bench', 'tools'],
    message: 'A project imports only its own files and @lucy/* libraries.',
  },
];
// Product code (a project outside its test code) never loads test support, whatever the import's spelling.
const productZones = [
  ...boundaryZones,
  { target: '.', from: 'libs/testing', message: `libs/testing ${TEST_ONLY_MESSAGE}` },
  {
    target: projects.filter((project) => !SANDBOX_ENTRY.startsWith(`${project}/`)),
    from: SANDBOX_ENTRY,
    message: `The sandbox ${TEST_ONLY_MESSAGE}`,
  },
];

const BASEURL_PATTERN = {
  regex: '^(apps|libs)/',
  message: 'Import another project by its @lucy/* alias (tsconfig.base.json), not by a baseUrl path.',
};

// Globals by hand: the `globals` package is not a dependency, and these files use only a few.
const readonly = (names) => Object.fromEntries(names.map((n) => [n, 'readonly']));
const common = [
  'console',
  'URL',
  'URLSearchParams',
  'setTimeout',
  'clearTimeout',
  'setInterval',
  'clearInterval',
  'structuredClone',
  'fetch',
  'AbortController',
  'TextDecoder',
  'TextEncoder',
];
const nodeGlobals = readonly([...common, 'process', 'Buffer']);
const browserGlobals = readonly([
  ...common,
  'window',
  'document',
  'location',
  'history',
  'confirm',
  'crypto',
  'localStorage',
  'sessionStorage',
  'EventSource',
  'FormData',
  'HTMLElement',
  'Event',
  'CustomEvent',
  'Node',
  'TextDecoderStream',
]);

export default defineConfig(
  {
    ignores: ['**/node_modules/', '**/dist/', 'var/', 'artifacts/', 'coverage/', '.nx/', 'apps/sandbox/reference/'],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  importX.flatConfigs.recommended,
  importX.flatConfigs.typescript,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    settings: {
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: `${root}/tsconfig.json` })],
    },
    rules: {
      // `_name` says "unused on purpose" (a positional argument, a field left out of a rest object).
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
      // `cond && f()` and `a ? f() : g()` as statements are a deliberate terse style here.
      '@typescript-eslint/no-unused-expressions': ['error', { allowShortCircuit: true, allowTernary: true }],
      // `any` marks the untyped edges on purpose (raw SQL rows, Nest dynamic-module factories, JSON in tests).
      '@typescript-eslint/no-explicit-any': 'off',
      // The input guards match control characters (NUL, C0) in URLs, headers and uploads on purpose.
      'no-control-regex': 'off',
      // `let x; const f = () => x; x = await ...`: a closure reads it before its one assignment.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      // `amqp.connect`, `nodemailer.createTransport`: the documented way to call these CommonJS packages.
      'import-x/no-named-as-default-member': 'off',
      // Cycles among our files; walking into node_modules would triple the time and find none of ours.
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      // TypeScript already checks namespace members, and this rule is the second slowest.
      'import-x/namespace': 'off',
      'import-x/no-restricted-paths': ['error', { basePath: root, zones: boundaryZones }],
      'no-restricted-imports': [
        'error',
        {
          patterns: [BASEURL_PATTERN],
        },
      ],
    },
  },
  {
    // Product code (everything in a project outside its test code) never loads test support.
    files: ['apps/**', 'libs/**'],
    ignores: TEST_CODE,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: TEST_ONLY.map((name) => ({ name, message: `${name} ${TEST_ONLY_MESSAGE}` })),
          patterns: [BASEURL_PATTERN],
        },
      ],
      'import-x/no-restricted-paths': ['error', { basePath: root, zones: productZones }],
    },
  },
  {
    files: ['apps/gateway/src/dashboard/public/**/*.js'],
    languageOptions: { globals: browserGlobals },
  },
  {
    files: ['**/*.js'],
    ignores: ['apps/gateway/src/dashboard/public/**'],
    languageOptions: { globals: nodeGlobals },
  },
  prettier,
);
