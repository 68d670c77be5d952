// The keys of the gateway's runtime configuration moodle-service applies (libs/runtime-config): the
// course map, what becomes of the previous courses when a student's estado or periodo changes, the auth
// plugin and the time zone of the users it creates. Until an operator sets one, the environment's value
// holds (MOODLE_CURSOS, MOODLE_CURSOS_ANTERIORES, MOODLE_AUTH, MOODLE_TIMEZONE).
import type { ConfigCheck, RuntimeConfigOptions } from '@lucy/runtime-config';
import type { MoodleConfig } from './config.js';
import { problemaCursos } from './domain/cursos.js';
import { problemaZonaHoraria } from './domain/zona-horaria.js';

export const RUNTIME_KEYS = ['cursos', 'cursosAnteriores', 'moodleAuth', 'zonaHoraria'] as const;
// Inject RuntimeConfig<RuntimeKey> by its class: a type alias would leave SWC's decorator metadata without a token.
export type RuntimeKey = (typeof RUNTIME_KEYS)[number];

// The gateway checked the shape; these are what this service needs beyond it: a shortname that is not
// blank once trimmed, a zone Moodle's core_user_create_users takes.
const checks: ConfigCheck<RuntimeKey> = { cursos: problemaCursos, zonaHoraria: problemaZonaHoraria };

export const runtimeConfigOptions: RuntimeConfigOptions<RuntimeKey, MoodleConfig> = {
  keys: RUNTIME_KEYS,
  fromEnv: (c) => ({
    cursos: c.MOODLE_CURSOS,
    cursosAnteriores: c.MOODLE_CURSOS_ANTERIORES,
    moodleAuth: c.MOODLE_AUTH,
    zonaHoraria: c.MOODLE_TIMEZONE,
  }),
  checks,
};
