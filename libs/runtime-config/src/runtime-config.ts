// The part of the gateway's runtime configuration one service owns, as it stands in this replica:
// the service's environment for every key no operator has set, the stored version's value for the
// others. Pure: the module (runtime-config.module.ts) feeds it what the database holds.
//
// A value the service cannot use (a check fails) is not applied: when the change is stored (decide), the
// key keeps its previous value, and the refusal is stored beside it, shown in the health details, so an
// operator sees that their change did not take. The stored row is what the service runs, so every
// replica, and a replica that restarts, runs the same values.
import type { Configuracion } from '@lucy/contracts';

export type ConfigKey = keyof Configuracion;

/** A version as the service stored it (runtime-config.store.ts). */
export interface StoredConfig {
  version: number;
  valores: Partial<Configuracion>;
  /** The keys an operator has set; the others stay on the environment. */
  fijadas: readonly string[];
  /** This service's keys whose value in the event was refused, with the reason (decide). */
  rechazadas?: Record<string, string>;
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
   * What to store for a new version: the event's values, except that a value of this service's keys that
   * fails its check is replaced by the one in force before (`previo`; the environment's if it was not
   * set), and recorded as refused.
   */
  decide(
    evento: { valores: Partial<Configuracion>; fijadas: readonly string[] },
    previo: StoredConfig | null,
  ): { valores: Partial<Configuracion>; fijadas: string[]; rechazadas: Record<string, string> } {
    const valores: Record<string, unknown> = { ...evento.valores };
    const fijadas = new Set(evento.fijadas);
    const rechazadas: Record<string, string> = {};
    for (const key of this.keys) {
      if (!fijadas.has(key) || evento.valores[key] === undefined) continue;
      const problem = (this.checks[key] as ((v: unknown) => string | undefined) | undefined)?.(evento.valores[key]);
      if (!problem) continue;
      rechazadas[key] = problem;
      if (previo?.fijadas.includes(key) && previo.valores[key] !== undefined) valores[key] = previo.valores[key];
      else fijadas.delete(key);
    }
    return { valores: valores as Partial<Configuracion>, fijadas: [...fijadas], rechazadas };
  }

  /**
   * Brings this replica to a stored version (an older or equal one is ignored: versions only move
   * forward). Returns the keys whose value changed.
   */
  apply(stored: StoredConfig): K[] {
    if (stored.version <= this.state.version) return [];
    const changed: K[] = [];
    const fijadas: string[] = [];
    for (const key of this.keys) {
      const set = stored.fijadas.includes(key) && stored.valores[key] !== undefined;
      const next = (set ? stored.valores[key] : this.defaults[key]) as Configuracion[K];
      if (set) fijadas.push(key);
      if (!sameJson(this.values[key], next)) {
        this.values[key] = structuredClone(next) as Pick<Configuracion, K>[K];
        changed.push(key);
      }
    }
    const rechazadas = Object.fromEntries(
      Object.entries(stored.rechazadas ?? {}).filter(([k]) => (this.keys as readonly string[]).includes(k)),
    );
    this.state = {
      version: stored.version,
      cambiadoPor: stored.cambiadoPor,
      appliedAt: stored.appliedAt,
      fijadas,
      rechazadas,
    };
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
  if (Array.isArray(a) || Array.isArray(b))
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => sameJson(x, b[i]));
  if (!a || !b || typeof a !== 'object' || typeof b !== 'object') return false;
  const ka = Object.keys(a);
  return (
    ka.length === Object.keys(b).length &&
    ka.every(
      (k) => Object.hasOwn(b, k) && sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]),
    )
  );
}
