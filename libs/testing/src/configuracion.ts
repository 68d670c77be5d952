// A whole runtime configuration as the gateway publishes it (ConfiguracionCambiada.valores), for tests
// of a service applying the keys it owns: spread it and override what the test is about.
import type { Configuracion } from '@lucy/contracts';

export const CONFIGURACION_DE_PRUEBA: Configuracion = {
  loteTamano: 20,
  ausenciasParaBaja: 3,
  umbralBajas: { porcentaje: 5, cantidad: 100 },
  aprobacionNuevos: false,
  limites: { graph: { rpm: 6000, writeRpm: 1100 }, moodle: { rpm: 300 }, smtp: { rpm: 30 } },
  plantillaEmail: null,
  plantillaRetorno: null,
  upn: { patron: 'a{dni}@{domain}', dominio: 'estudiantes.example.edu' },
  licenciaSku: '314c4481-f395-4525-be8b-2ec4bb1e9d91',
  cursos: {},
  cursosAnteriores: 'conservar',
  cursosOneRoster: {},
  moodleAuth: 'oauth2',
  moodleAlEliminar: 'suspender',
  zonaHoraria: 'America/Argentina/Cordoba',
  sincronizacion: { activa: false, cron: '0 2 * * *', fuentes: ['ingresantes'], periodo: null },
  retencion: { dias: 90, auditoriaDias: 365, aparcadosDias: 7 },
  alertas: { destinatarios: [], umbralDiferencias: 50, plantilla: null },
};
