// The part of the gateway's runtime configuration one service owns, as it stands in this replica:
// the service's environment for every key no operator has set, the stored version's value for the
// others. Pure: the module (runtime-config.module.ts) feeds it what the database holds.
//
// A value the service cannot use (a check fails) is not applied: the key keeps its previous value and
// the refusal is shown in the health details, so an operator sees that their change did not take.
import type { Configuracion } from '@lucy/contracts';

export type ConfigKey = keyof Configuracion;

/** A version as the service stored it (runtime-config.store.ts). */
export interface StoredConfig {
  version: number;
  valores: Partial<Configuracion>;
  /** The keys an operator has set; the others stay on the environment. */
  fijadas: readonly string[];
  cambiadoPor: string;
  appliedAt: string;
}

/** Why a value cannot be used by this service, or undefined when it can. */
export type ConfigCheck<K extends ConfigKey> = { [P in K]?: (value: Configuracion[P]) => string | undefined };

export type ConfigListener<K extends ConfigKey> = (changed: K[]) => void;

export interface RuntimeConfigState {
  /** The version applied (0: none, the environment only). */
  version: number;
  cambiadoPor: string | null;
  appliedAt: string | null;
  /** This service's keys that come from the stored version rather than the environment. */
  fijadas: string[];
  /** Keys whose stored value was refused, with the reason (they keep their previous value). */
  rechazadas: Record<string, string>;
}

export class RuntimeConfig<K extends ConfigKey = ConfigKey> {
  private readonly values: Pick<Configuracion, K>;
  private readonly listeners = new Set<ConfigListener<K>>();
  private state: RuntimeConfigState = { version: 0, cambiadoPor: null, appliedAt: null, fijadas: [], rechazadas: {} };

  constructor(
    readonly keys: readonly K[],
    private readonly defaults: Pick<Configuracion, K>,
    private readonly checks: ConfigCheck<K> = {},
    private readonly onListenerError: (err: Error) => void = () => undefined,
  ) {
    this.values = structuredClone(defaults);
  }

  /** The value in force now. Read it at the moment of use, not once at start: it can change. */
  get<P extends K>(key: P): Configuracion[P] {
    return this.values[key] as Configuracion[P];
  }

  get version(): number {
    return this.state.version;
  }

  describe(): RuntimeConfigState {
    return structuredClone(this.state);
  }

  /** Called with the keys whose value changed, after every change; returns the unsubscribe. */
  onChange(listener: ConfigListener<K>): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Brings this replica to a stored version (an older or equal one is ignored: versions only move
   * forward). Returns the keys whose value changed.
   */
  apply(stored: StoredConfig): K[] {
    if (stored.version <= this.state.version) return [];
    const changed: K[] = [];
    const rechazadas: Record<string, string> = {};
    const fijadas: string[] = [];
    for (const key of this.keys) {
      const set = stored.fijadas.includes(key) && stored.valores[key] !== undefined;
      const next = (set ? stored.valores[key] : this.defaults[key]) as Configuracion[K];
      if (set) fijadas.push(key);
      const problem = (this.checks[key] as ((v: Configuracion[K]) => string | undefined) | undefined)?.(next);
      if (problem) {
        rechazadas[key] = problem;
        continue;
      }
      if (!sameJson(this.values[key], next)) {
        this.values[key] = structuredClone(next) as Pick<Configuracion, K>[K];
        changed.push(key);
      }
    }
    this.state = { version: stored.version, cambiadoPor: stored.cambiadoPor, appliedAt: stored.appliedAt, fijadas, rechazadas };
    if (changed.length) {
      for (const listener of this.listeners) {
        try {
          listener(changed);
        } catch (err) {
          this.onListenerError(err as Error);
        }
      }
    }
    return changed;
  }
}

/** Equal as JSON values, whatever the key order (jsonb reorders keys) or the realm that made them. */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => sameJson(x, b[i]));
  if (!a || !b || typeof a !== 'object' || typeof b !== 'object') return false;
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
