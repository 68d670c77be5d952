// libs/contracts' PUBLICA read against the code: every event a service's code publishes — ctx.publish,
// runtime.publish, a handler's onFailure event, a saga step's message (`def:`) — is one the broker lets its user publish (the topic
// permissions come from PUBLICA), and so is every event the shared libraries publish from any service.
// A text search, not a type analysis: it finds a definition named where it is published, which is how
// Lucy's code publishes; the e2e suites, which run every service on its own broker user, catch the rest.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as contracts from '@lucy/contracts';
import { eventosQuePublica, PUBLICA, type MessageDefinition } from '@lucy/contracts';
import { ROOT, SERVICES } from './stack.js';

const PUBLISHED = /(?:\bpublish|\bpublicar)\(\s*([A-Z]\w+)|\b(?:event|def):\s*([A-Z]\w+)/g;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((f) => f.isFile() && f.name.endsWith('.ts') && !f.name.endsWith('.spec.ts'))
    .map((f) => join(f.parentPath, f.name));
}

/** The events the code under `dir` names where it publishes. */
function eventsPublishedIn(dir: string): string[] {
  const found = new Set<string>();
  for (const file of sources(join(ROOT, dir)))
    for (const m of readFileSync(file, 'utf8').matchAll(PUBLISHED)) {
      const def = (contracts as Record<string, unknown>)[m[1] ?? m[2]!] as MessageDefinition | undefined;
      if (def?.kind === 'event') found.add(def.routingKey);
    }
  return [...found].sort();
}

describe('who publishes which event (libs/contracts/src/publicaciones.ts)', () => {
  it.each(SERVICES)('lets %s publish every event its code publishes', (service) => {
    const found = eventsPublishedIn(join('apps', service, 'src'));
    expect(found.length).toBeGreaterThan(0);
    expect(found.filter((k) => !eventosQuePublica(service).includes(k))).toEqual([]);
  });

  it('lets every service publish what the shared libraries publish on its behalf', () => {
    const found = ['messaging', 'resilience', 'platform'].flatMap((lib) => eventsPublishedIn(join('libs', lib, 'src')));
    expect(found.length).toBeGreaterThan(0);
    for (const service of SERVICES) expect(found.filter((k) => !eventosQuePublica(service).includes(k))).toEqual([]);
  });

  it('names only the services there are', () => {
    expect(Object.keys(PUBLICA).sort()).toEqual([...SERVICES].sort());
  });
});
