// The keys of the gateway's runtime configuration ingest-service applies (libs/runtime-config): the
// release window's size (BATCH_SIZE until an operator sets loteTamano) and how many complete SIAL
// pulls a listed student may miss before they are taken as leaving (AUSENCIAS_PARA_BAJA until an
// operator sets ausenciasParaBaja).
import type { RuntimeConfigOptions } from '@lucy/runtime-config';
import type { IngestConfig } from './config.js';

export const RUNTIME_KEYS = ['loteTamano', 'ausenciasParaBaja'] as const;
export type RuntimeKey = (typeof RUNTIME_KEYS)[number];

export const runtimeConfigOptions: RuntimeConfigOptions<RuntimeKey, IngestConfig> = {
  keys: RUNTIME_KEYS,
  fromEnv: (c) => ({ loteTamano: c.BATCH_SIZE, ausenciasParaBaja: c.AUSENCIAS_PARA_BAJA }),
};
