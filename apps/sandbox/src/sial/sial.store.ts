// The SIAL stand-in's state: the cohort settings (size, seed, revision), the edits made over it (records
// changed, removed, added), the credentials, how it pages, and a pull counter that can advance the
// revision by itself every N pulls.
import { z } from 'zod';
import { aplicarEdiciones, buscar, type Edicion } from './sial.edits.js';
import { type Cohort, SIAL_LISTS, type SialList, type SialRecord, generateCohort } from './sial.generator.js';

export const SialConfigSchema = z
  .object({
    size: z.number().int().min(0).max(100_000).default(60),
    seed: z.number().int().default(2027),
    year: z.number().int().min(2000).max(2100).default(2027),
    revision: z.number().int().min(0).default(0),
    /** Advance the revision after this many first-page pulls of any list (0 = only by the admin API). */
    advanceEveryPulls: z.number().int().min(0).default(0),
    /** Django REST framework PageNumberPagination: {count,next,previous,results}; false = a bare JSON list. */
    paginated: z.boolean().default(true),
    pageSize: z.number().int().min(1).default(100),
    maxPageSize: z.number().int().min(1).default(1000),
    user: z.string().default('lucy'),
    password: z.string().default('sandbox-sial-password'),
  })
  .strict();
export type SialConfig = z.infer<typeof SialConfigSchema>;

export class SialStore {
  config: SialConfig;
  private cache: { key: string; cohort: Cohort } | null = null;
  readonly pulls: Record<SialList, number> = { aspirantes: 0, preinscriptos: 0, ingresantes: 0 };
  /** The records changed, removed and added by the admin API, in order (sial.edits.ts). */
  private ediciones: Edicion[] = [];
  /** Bumped by every edit and reset: part of the cohort cache's key. */
  private version = 0;
  /** Each removed DNI's last record, so it can be added back as it was. */
  private readonly removidos = new Map<string, Omit<SialRecord, 'id'>>();

  constructor(config: Partial<SialConfig> = {}) {
    this.config = SialConfigSchema.parse(config);
  }

  cohort(): Cohort {
    const { size, seed, year, revision } = this.config;
    const key = `${size}/${seed}/${year}/${revision}/${this.version}`;
    if (this.cache?.key !== key)
      this.cache = {
        key,
        cohort: aplicarEdiciones(generateCohort({ size, seed, year, revision }), this.ediciones),
      };
    return this.cache.cohort;
  }

  /** Where a DNI (normalized) is listed now. */
  buscar(dni: string, lista?: SialList): { lista: SialList; record: SialRecord }[] {
    return buscar(this.cohort(), dni, lista);
  }

  /** Records an edit; what it removes is remembered for adding back. */
  editar(e: Edicion): void {
    if (e.kind === 'remove')
      for (const { record } of this.buscar(e.dni, e.lista)) {
        const { id: _, ...datos } = record;
        this.removidos.set(e.dni, datos);
      }
    this.ediciones = [...this.ediciones, e];
    this.version++;
  }

  removido(dni: string): Omit<SialRecord, 'id'> | undefined {
    return this.removidos.get(dni);
  }

  /** Counts a pull of a list (its first page) and advances the revision when configured to. */
  countPull(list: SialList): void {
    this.pulls[list]++;
    const every = this.config.advanceEveryPulls;
    const total = SIAL_LISTS.reduce((n, l) => n + this.pulls[l], 0);
    if (every > 0 && total % every === 0) this.advance();
  }

  advance(): number {
    this.config = { ...this.config, revision: this.config.revision + 1 };
    return this.config.revision;
  }

  update(change: Partial<SialConfig>): SialConfig {
    this.config = SialConfigSchema.parse({ ...this.config, ...change });
    return this.config;
  }

  reset(initial: Partial<SialConfig>): void {
    this.config = SialConfigSchema.parse(initial);
    for (const l of SIAL_LISTS) this.pulls[l] = 0;
    this.ediciones = [];
    this.version++;
    this.removidos.clear();
  }
}

export function sialConfigFromEnv(env: NodeJS.ProcessEnv): Partial<SialConfig> {
  const c: Partial<SialConfig> = {};
  if (env.SANDBOX_SIAL_COHORT) c.size = Number(env.SANDBOX_SIAL_COHORT);
  if (env.SANDBOX_SIAL_SEED) c.seed = Number(env.SANDBOX_SIAL_SEED);
  if (env.SANDBOX_SIAL_USER) c.user = env.SANDBOX_SIAL_USER;
  if (env.SANDBOX_SIAL_PASSWORD) c.password = env.SANDBOX_SIAL_PASSWORD;
  if (env.SANDBOX_SIAL_PAGINATED) c.paginated = env.SANDBOX_SIAL_PAGINATED !== 'false';
  if (env.SANDBOX_SIAL_PAGE_SIZE) c.pageSize = Number(env.SANDBOX_SIAL_PAGE_SIZE);
  return c;
}
