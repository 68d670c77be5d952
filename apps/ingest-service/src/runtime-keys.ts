// The keys of the gateway's runtime configuration ingest-service applies (libs/runtime-config): the
// release window's size (BATCH_SIZE until an operator sets loteTamano), how many complete SIAL pulls a
// listed student may miss before they are taken as leaving (AUSENCIAS_PARA_BAJA until an operator sets
// ausenciasParaBaja), how many leavers a lote may take before it waits for an operator's approval
// (UMBRAL_BAJAS_*, umbralBajas), whether new students wait for one (APROBACION_NUEVOS, aprobacionNuevos), and
// which Moodle course each OneRoster class is (cursosOneRoster; none until an operator sets it).
import type { RuntimeConfigOptions } from '@lucy/runtime-config';
import type { IngestConfig } from './config.js';

export const RUNTIME_KEYS = [
  'loteTamano',
  'ausenciasParaBaja',
  'umbralBajas',
  'aprobacionNuevos',
  'cursosOneRoster',
] as const;
export type RuntimeKey = (typeof RUNTIME_KEYS)[number];

export const runtimeConfigOptions: RuntimeConfigOptions<RuntimeKey, IngestConfig> = {
  keys: RUNTIME_KEYS,
  fromEnv: (c) => ({
    loteTamano: c.BATCH_SIZE,
    ausenciasParaBaja: c.AUSENCIAS_PARA_BAJA,
    umbralBajas: { porcentaje: c.UMBRAL_BAJAS_PORCENTAJE, cantidad: c.UMBRAL_BAJAS_CANTIDAD },
    aprobacionNuevos: c.APROBACION_NUEVOS,
    cursosOneRoster: {},
  }),
};
