// Guards the shape of the monorepo where ESLint cannot: fails (exit 1) when
//   - the Nx project graph (npx nx graph --file=...) has an app → app edge, a lib → app edge, or a cycle,
//     not counting the edges only test code makes through the test-only aliases (x/test → testing → sandbox);
//   - a project is not tagged type:app or type:lib.
// The per-file rules live in eslint.config.js (`npm run lint`, tested by tools/lint-rules.test.ts): no app
// imports another app, no library imports an app, no relative or baseUrl path into another project, only
// declared @lucy/* aliases, the test-only aliases (@lucy/sandbox, @lucy/testing) only in test code, and no
// import cycle between files. This script still reads the imports, to tell test-support edges apart.
// Run with Node 24 (type stripping): `node tools/check-boundaries.ts`; `npm test` runs it.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
const problems: string[] = [];

const TEST_ONLY_ALIASES = ['@lucy/sandbox', '@lucy/testing'];
const TEST_SUPPORT = 'libs/testing';
// Project-graph edges (`source\0target`) made by test-support imports, and by every other import.
const supportImports = new Set<string>();
const otherImports = new Set<string>();

interface Project {
  name: string;
  root: string; // relative to the workspace, e.g. apps/gateway
  tags: string[];
}

function projects(): Project[] {
  const found: Project[] = [];
  for (const group of ['apps', 'libs']) {
    const dir = join(root, group);
    if (!existsSync(dir)) continue;
    for (const entry of readdirSync(dir)) {
      const file = join(dir, entry, 'project.json');
      if (!existsSync(file)) continue;
      const json = JSON.parse(readFileSync(file, 'utf8'));
      found.push({ name: json.name ?? entry, root: `${group}/${entry}`, tags: json.tags ?? [] });
    }
  }
  return found;
}

function* sourceFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(dir)) {
    if (entry === 'node_modules' || entry === 'dist' || entry.startsWith('.')) continue;
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) yield* sourceFiles(path);
    else if (/\.(ts|mts|cts|js|mjs)$/.test(entry) && !entry.endsWith('.d.ts')) yield path;
  }
}

// import x from '...'; import '...'; export * from '...'; import('...'); require('...')
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\brequire\s*\(\s*)(['"])([^'"\n]+)\1/g;

function stripComments(code: string): string {
  return code.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
}

const isTestCode = (project: Project, file: string) =>
  project.root === TEST_SUPPORT || relative(join(root, project.root), file).split(sep)[0] === 'test';

// Which project imports which through an alias, and whether only test support makes that edge.
function readImports(all: Project[]): void {
  const paths: Record<string, string[]> =
    JSON.parse(readFileSync(join(root, 'tsconfig.base.json'), 'utf8')).compilerOptions?.paths ?? {};
  const aliases = Object.keys(paths);
  const owner = (alias: string) => all.find((p) => (paths[alias]?.[0] ?? '').startsWith(`${p.root}/`))?.name;
  for (const project of all) {
    const projectDir = join(root, project.root);
    for (const file of sourceFiles(projectDir)) {
      const code = stripComments(readFileSync(file, 'utf8'));
      const testCode = isTestCode(project, file);
      for (const match of code.matchAll(SPECIFIER)) {
        const spec = match[2];
        const alias = spec.split('/').slice(0, 2).join('/');
        if (spec.startsWith('@lucy/') && aliases.includes(alias)) {
          const target = owner(alias);
          const testOnly = TEST_ONLY_ALIASES.includes(alias);
          if (target && target !== project.name)
            (project.root === TEST_SUPPORT || (testOnly && testCode) ? supportImports : otherImports).add(
              `${project.name}\0${target}`,
            );
        }
      }
    }
  }
}

function checkGraph(all: Project[]): void {
  const dir = mkdtempSync(join(tmpdir(), 'lucy-graph-'));
  const file = join(dir, 'graph.json');
  try {
    // `npx nx graph`, but through the installed nx directly: npx could try the network if nx were missing.
    execFileSync(process.execPath, [join(root, 'node_modules/nx/dist/bin/nx.js'), 'graph', `--file=${file}`], {
      cwd: root,
      stdio: ['ignore', 'ignore', 'pipe'],
      timeout: 120_000,
      env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' },
    });
    const graph = JSON.parse(readFileSync(file, 'utf8')).graph as {
      nodes: Record<string, { type: string; data: { tags?: string[] } }>;
      dependencies: Record<string, { target: string }[]>;
    };
    const kind = (name: string) => graph.nodes[name]?.data.tags?.find((t) => t.startsWith('type:'));
    for (const project of all) {
      if (!graph.nodes[project.name]) problems.push(`nx graph: project ${project.name} (${project.root}) is missing`);
    }
    // An edge only test code makes through a test-only alias (or libs/testing makes) is left out: those
    // imports cannot reach a service's build, and ESLint keeps them in test code.
    const testSupportOnly = (source: string, target: string) =>
      supportImports.has(`${source}\0${target}`) && !otherImports.has(`${source}\0${target}`);
    const edges = new Map<string, string[]>();
    for (const [source, deps] of Object.entries(graph.dependencies)) {
      const internal = deps.map((d) => d.target).filter((t) => graph.nodes[t] && !testSupportOnly(source, t));
      edges.set(source, internal);
      for (const target of internal) {
        if (kind(target) === 'type:app') problems.push(`nx graph: ${source} depends on the app ${target}`);
      }
    }
    for (const cycle of cycles(edges)) problems.push(`nx graph: cycle ${cycle.join(' → ')}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function cycles(edges: Map<string, string[]>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string) => {
    if (state.get(node) === 'done') return;
    if (state.get(node) === 'visiting') {
      found.push([...stack.slice(stack.indexOf(node)), node]);
      return;
    }
    state.set(node, 'visiting');
    stack.push(node);
    for (const next of edges.get(node) ?? []) visit(next);
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of edges.keys()) visit(node);
  return found;
}

const all = projects();
for (const project of all) {
  const kinds = project.tags.filter((t) => t === 'type:app' || t === 'type:lib');
  const expected = project.root.startsWith('apps/') ? 'type:app' : 'type:lib';
  if (kinds.length !== 1 || kinds[0] !== expected)
    problems.push(`${project.root}/project.json: tags must include ${expected}`);
}
readImports(all);
checkGraph(all);

if (problems.length > 0) {
  console.error(`check-boundaries: ${problems.length} problem(s)\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(`check-boundaries: ${all.length} projects, no boundary crossed, no cycle`);
