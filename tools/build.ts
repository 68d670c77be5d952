// `npm run build`: every app, lib and the stack supervisor compiled once into plain JavaScript under
// dist/, so production loads no compiler (`npm run start:prod`, the Dockerfile). SWC, with the same
// options the development loader uses (.swcrc: decorator metadata kept, ES modules), plus the `@lucy/*`
// aliases of tsconfig.base.json rewritten into relative imports: the compiled tree needs no resolver.
// Tests, fixtures and references are not copied; the assets read at run time are (the dashboard's
// public/ folder, mail-service's templates/).
import { cpSync, globSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { transformFile, type Options } from '@swc/core';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const DIST = join(ROOT, 'dist');

/** Sources that run in production: the apps, the libs they use, the supervisor (tools/start, tools/stack). */
const SOURCES = [
  'apps/*/src/**/*.ts',
  'libs/*/src/**/*.ts',
  'tools/start.ts',
  'tools/stack.ts',
  // The broker's users, rendered where the image runs (README.md, "Least privilege").
  'tools/rabbitmq-definitions.ts',
];
const NOT_SHIPPED = [/\.spec\.ts$/, /\.d\.ts$/, /^libs\/testing\//];
/** Files read from disk at run time, next to the code that reads them. */
const ASSETS = ['apps/gateway/src/dashboard/public', 'apps/mail-service/templates'];

function swcOptions(): Options {
  const swcrc = JSON.parse(readFileSync(join(ROOT, '.swcrc'), 'utf8'));
  delete swcrc.$schema;
  const tsconfig = JSON.parse(readFileSync(join(ROOT, 'tsconfig.base.json'), 'utf8'));
  const paths = { ...tsconfig.compilerOptions.paths } as Record<string, string[]>;
  delete paths['@lucy/testing']; // test code only
  return {
    ...swcrc,
    swcrc: false,
    jsc: { ...swcrc.jsc, baseUrl: ROOT, paths },
    // `resolveFully`: an alias becomes `../../libs/contracts/src/index.js`, a path Node loads as it is.
    module: { ...swcrc.module, resolveFully: true },
    sourceMaps: true,
  };
}

export async function build(): Promise<number> {
  rmSync(DIST, { recursive: true, force: true });
  const options = swcOptions();
  const files = SOURCES.flatMap((p) => globSync(p, { cwd: ROOT })).filter((f) => !NOT_SHIPPED.some((r) => r.test(f)));
  // A few at a time: SWC's work is on its own threads; this only bounds open files.
  const queue = [...files];
  const worker = async () => {
    for (let f = queue.shift(); f; f = queue.shift()) {
      const out = join(DIST, f.replace(/\.ts$/, '.js'));
      const { code, map } = await transformFile(join(ROOT, f), {
        ...options,
        filename: join(ROOT, f),
        outputPath: out,
        sourceFileName: relative(dirname(out), join(ROOT, f)),
      });
      mkdirSync(dirname(out), { recursive: true });
      writeFileSync(out, map ? `${code}\n//# sourceMappingURL=${out.split('/').pop()}.map\n` : code);
      if (map) writeFileSync(`${out}.map`, map);
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  for (const dir of ASSETS) cpSync(join(ROOT, dir), join(DIST, dir), { recursive: true });
  // The compiled tree is ES modules like the sources; the root package.json says so for dist/ too.
  writeFileSync(join(DIST, 'package.json'), JSON.stringify({ type: 'module', private: true }, null, 2) + '\n');
  return files.length;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  const n = await build();
  console.log(`compiled ${n} files into ${relative(process.cwd(), DIST) || DIST} in ${Date.now() - started} ms`);
}
