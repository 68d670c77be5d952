// Reads V8 .cpuprofile files (a compiled stack run with LUCY_NODE_FLAGS="--cpu-prof --cpu-prof-dir=DIR") and
// prints where each process spent its time: self time by package (node_modules package, Lucy project under
// dist/, node: internals, GC) and by function. `--callers REGEX` instead sums the self time spent in code
// whose URL matches REGEX (say `node_modules/zod/`) by the first caller outside it: who pays for a package.
// Samples are wall-clock while the thread was busy, so on a loaded machine a syscall that waits (a socket
// write) weighs more than its CPU: compare shares within a profile, and CPU figures from bench:pipeline.
// Run with Node 24 (type stripping): `node tools/cpu-profile.ts DIR|FILE... [--top N] [--callers REGEX]`.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args.splice(i, 2)[1] : undefined;
};
const top = Number(option('--top') ?? 25);
const callers = option('--callers');
const files = args.flatMap((a) =>
  statSync(a).isDirectory()
    ? readdirSync(a)
        .filter((f) => f.endsWith('.cpuprofile'))
        .map((f) => join(a, f))
    : [a],
);
if (files.length === 0) {
  console.error('usage: node tools/cpu-profile.ts DIR|FILE... [--top N] [--callers REGEX]');
  process.exit(2);
}

const VM = new Set(['(garbage collector)', '(program)', '(idle)', '(root)']);

/** node_modules package, Lucy project (apps/x, libs/y), node: module, or the VM itself. */
function packageOf(f: CallFrame): string {
  if (VM.has(f.functionName)) return f.functionName;
  if (!f.url) return '(native)';
  if (f.url.startsWith('node:')) return `node:${f.url.slice(5).split('/')[0]}`;
  const modules = f.url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/g);
  if (modules) return modules[modules.length - 1].replace('node_modules/', '');
  const own = /\/(apps|libs)\/([^/]+)\//.exec(f.url);
  return own ? `${own[1]}/${own[2]}` : f.url;
}

const where = (f: CallFrame) =>
  `${f.functionName || '(anonymous)'} ${f.url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*?\/dist\//, '')}:${f.lineNumber + 1}`;

const ms = (us: number) => `${(us / 1000).toFixed(0).padStart(8)} ms`;

function print(title: string, totals: Map<string, number>, busy: number, n: number): void {
  console.log(`-- ${title}`);
  for (const [k, us] of [...totals].sort((a, b) => b[1] - a[1]).slice(0, n))
    console.log(`${ms(us)} ${((100 * us) / busy).toFixed(1).padStart(5)} %  ${k}`);
}

const add = (m: Map<string, number>, k: string, us: number) => m.set(k, (m.get(k) ?? 0) + us);

for (const file of files) {
  const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<number, number>();
  p.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (p.timeDeltas[i] ?? 0)));

  let busy = 0;
  let idle = 0;
  const byPackage = new Map<string, number>();
  const byFunction = new Map<string, number>();
  const byCaller = new Map<string, number>();
  const inside = callers ? new RegExp(callers) : undefined;
  let matched = 0;
  for (const [id, us] of self) {
    const f = byId.get(id)!.callFrame;
    if (f.functionName === '(idle)') {
      idle += us;
      continue;
    }
    busy += us;
    add(byPackage, packageOf(f), us);
    add(byFunction, where(f), us);
    if (inside?.test(f.url)) {
      matched += us;
      let up = parent.get(id);
      while (up !== undefined && inside.test(byId.get(up)!.callFrame.url)) up = parent.get(up);
      add(byCaller, up === undefined ? '(root)' : where(byId.get(up)!.callFrame), us);
    }
  }
  console.log(`\n=== ${file}: busy ${ms(busy).trim()} of ${ms(busy + idle).trim()} sampled`);
  if (inside) print(`${ms(matched).trim()} in ${callers}, by first caller outside it`, byCaller, busy, top);
  else {
    print('self time by package', byPackage, busy, 20);
    print('self time by function', byFunction, busy, top);
  }
}
