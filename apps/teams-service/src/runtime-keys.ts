// The runtime keys teams-service applies (libs/runtime-config): an operator's upn and licenciaSku replace
// UPN_PATTERN / UPN_DOMAIN / LICENSE_SKU_ID without a restart. Read at the moment of use; what a change
// does to students already under way is in the README ("Configuration").
import type { Configuracion } from '@lucy/contracts';
import type { ConfigCheck, RuntimeConfig, RuntimeConfigOptions } from '@lucy/runtime-config';
import type { TeamsConfig } from './config.js';
import { validarDominio, validarPatronUpn } from './domain/upn.js';

export const RUNTIME_KEYS = ['upn', 'licenciaSku'] as const;
export type RuntimeKey = (typeof RUNTIME_KEYS)[number];
export type TeamsRuntime = RuntimeConfig<RuntimeKey>;

/** The gateway checked the shape; these are the rules the environment's values pass too (config.ts). */
export const checks: ConfigCheck<RuntimeKey> = {
  upn: ({ patron, dominio }: Configuracion['upn']) => {
    const problema = validarPatronUpn(patron);
    if (problema) return `patron: ${problema}`;
    const dominioMalo = validarDominio(dominio);
    return dominioMalo ? `dominio: ${dominioMalo}` : undefined;
  },
};

export const runtimeConfigOptions: RuntimeConfigOptions<RuntimeKey, TeamsConfig> = {
  keys: RUNTIME_KEYS,
  fromEnv: (c) => ({ upn: { patron: c.UPN_PATTERN, dominio: c.UPN_DOMAIN }, licenciaSku: c.LICENSE_SKU_ID }),
  checks,
};
