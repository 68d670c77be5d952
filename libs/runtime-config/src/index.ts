// @lucy/runtime-config: the gateway's runtime configuration (ConfiguracionCambiada) as each service
// applies it, in every replica, without a restart. See README.md.
export {
  RuntimeConfig,
  type ConfigCheck,
  type ConfigKey,
  type ConfigListener,
  type RuntimeConfigState,
  type StoredConfig,
} from './runtime-config.js';
export { RuntimeConfigStore } from './runtime-config.store.js';
export { RuntimeConfigTable1764000000000 } from './runtime-config.migration.js';
export { RuntimeConfigModule, type RuntimeConfigOptions } from './runtime-config.module.js';
