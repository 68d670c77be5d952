// Proves eslint.config.js still enforces the boundaries and the cycle rule: a config change that silently
// stops applying them (a glob that no longer matches, a zone lost in an override) fails here, where an
// `eslint .` that passes would not notice. Each case lints a snippet as if it were a file of the tree.
// Run with Node 24 (type stripping): `node --test tools/lint-rules.test.ts`; `npm test` runs it.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { after, describe, it } from 'node:test';
import { ESLint } from 'eslint';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
const eslint = new ESLint({ cwd: root });

async function rulesFired(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(root, file) });
  return result.messages.map((m) => m.ruleId ?? m.message);
}

// A file deep inside a library, to import by a relative path instead of the library's alias.
const deepLibFile = (lib: string) => {
  const file = readdirSync(join(root, 'libs', lib, 'src'), { recursive: true, encoding: 'utf8' }).find(
    (f) => f.endsWith('.ts') && !f.endsWith('index.ts') && !f.endsWith('.spec.ts'),
  );
  assert.ok(file, `libs/${lib}/src has a source file`);
  return `libs/${lib}/src/${file.replace(/\.ts$/, '.js')}`;
};

describe('eslint boundaries', () => {
  it('an app may not import another app', async () => {
    const fired = await rulesFired('apps/gateway/src/probe.ts', "import '../../teams-service/src/main.js';\n");
    assert.ok(fired.includes('import-x/no-restricted-paths'), fired.join());
  });

  it('a library may not import an app', async () => {
    const fired = await rulesFired('libs/contracts/src/probe.ts', "import '../../../apps/gateway/src/main.js';\n");
    assert.ok(fired.includes('import-x/no-restricted-paths'), fired.join());
  });

  it('another library is reached by its alias, never by a relative path or a baseUrl path', async () => {
    const deep = deepLibFile('messaging');
    const relativePath = await rulesFired('apps/gateway/src/probe.ts', `import '../../../${deep}';\n`);
    assert.ok(relativePath.includes('import-x/no-restricted-paths'), relativePath.join());
    const baseUrl = await rulesFired('apps/gateway/src/probe.ts', "import 'libs/messaging/src/index.js';\n");
    assert.ok(baseUrl.includes('no-restricted-imports'), baseUrl.join());
    const alias = await rulesFired('apps/gateway/src/probe.ts', "import '@lucy/messaging';\n");
    assert.deepEqual(alias, []);
  });

  it('a project does not reach outside the projects (e2e/, bench/, tools/)', async () => {
    const fired = await rulesFired('libs/messaging/src/probe.ts', "import '../../../tools/start.js';\n");
    assert.ok(fired.includes('import-x/no-restricted-paths'), fired.join());
  });

  it('an alias that tsconfig.base.json does not declare does not resolve', async () => {
    const fired = await rulesFired('apps/gateway/src/probe.ts', "import '@lucy/nothing-here';\n");
    assert.ok(fired.includes('import-x/no-unresolved'), fired.join());
  });

  it('product code may not load test support; test code may', async () => {
    for (const file of ['apps/gateway/src/probe.ts', 'apps/gateway/src/probe.spec.ts', 'libs/messaging/src/probe.ts']) {
      for (const alias of ['@lucy/testing', '@lucy/sandbox']) {
        const fired = await rulesFired(file, `import '${alias}';\n`);
        assert.ok(fired.includes('no-restricted-imports'), `${file} → ${alias}: ${fired.join()}`);
      }
    }
    for (const file of [
      'apps/gateway/test/probe.ts',
      'libs/messaging/test/probe.ts',
      'e2e/probe.ts',
      'bench/probe.ts',
    ]) {
      const fired = await rulesFired(file, "import '@lucy/testing';\nimport '@lucy/sandbox';\n");
      assert.deepEqual(fired, [], `${file}: ${fired.join()}`);
    }
  });
});

describe('eslint import cycles', () => {
  // no-cycle follows imports on disk, so the two files of the cycle are written into a project for a moment.
  const dir = mkdtempSync(join(root, 'libs', 'contracts', 'src', 'lint-probe-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('a cycle between two files is an error', async () => {
    writeFileSync(join(dir, 'a.ts'), "import { b } from './b.js';\nexport const a = () => b;\n");
    writeFileSync(join(dir, 'b.ts'), "import { a } from './a.js';\nexport const b = () => a;\n");
    const [result] = await eslint.lintFiles([relative(root, join(dir, 'a.ts'))]);
    assert.ok(
      result.messages.some((m) => m.ruleId === 'import-x/no-cycle'),
      result.messages.map((m) => m.ruleId).join(),
    );
  });
});
