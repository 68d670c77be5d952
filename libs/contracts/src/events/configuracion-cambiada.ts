import { z } from 'zod';
import { defineEvent, type EventPayload } from '../message.js';
import { FUENTES_SIAL } from '../commands/lote.js';
import { EdadesRetencion } from '../commands/retencion.js';
import { AjustesAlertas, ALERTAS_POR_DEFECTO } from '../commands/alerta.js';
import { EstadoAlumno, ShortnameMoodle } from '../common/alumno.js';
import { porMinuto } from '../common/limites.js';

/**
 * The runtime configuration the gateway owns (operators change it through its API; it is versioned in
 * its database). Secrets are never part of it: they stay in each service's environment. Which service
 * applies which key:
 *   loteTamano, ausenciasParaBaja, umbralBajas, aprobacionNuevos, cursosOneRoster → ingest-service (BATCH_SIZE, AUSENCIAS_PARA_BAJA,
 *   UMBRAL_BAJAS_PORCENTAJE and UMBRAL_BAJAS_CANTIDAD, APROBACION_NUEVOS) · limites → teams
 *   (graph), moodle, mail (smtp), through LimitesCambiados, which libs/resilience applies · upn, licenciaSku → teams-service · cursos,
 *   cursosAnteriores, moodleAuth, zonaHoraria (new users' time zone) → moodle-service · plantillaEmail,
 *   plantillaRetorno → mail-service · sincronizacion, zonaHoraria (its schedule's zone, the dashboard's dates),
 *   moodleAlEliminar (the leave's workflow), retencion (the ages its retention run sends), alertas (who is told
 *   of a failed job or reconciliation, or of drift) → the gateway itself.
 * A service runs on its environment for every key the operator has never set (see `fijadas`).
 */
export const Configuracion = z.object({
  /** How many new students of one lote may await their Teams account at once. */
  loteTamano: z.number().int().min(1).max(10_000),
  /**
   * After how many complete SIAL pulls in a row without them a listed student is taken as leaving
   * (AlumnoDadoDeBaja, motivo ausente); 0: never. Absent from versions stored before it existed: 3.
   */
  ausenciasParaBaja: z.number().int().min(0).max(100).default(3),
  /**
   * The safeguard: a pull or an upload that would suspend more than `porcentaje` % of the active students, or
   * more than `cantidad` of them, waits for an operator's approval instead of acting. Absent from versions
   * stored before it existed: 5 % and 100.
   */
  umbralBajas: z
    .object({
      porcentaje: z.number().min(0).max(100),
      cantidad: z.number().int().min(0).max(1_000_000),
    })
    .default({ porcentaje: 5, cantidad: 100 }),
  /** New students wait for an operator's approval before they are onboarded. Absent from versions stored before it existed: false. */
  aprobacionNuevos: z.boolean().default(false),
  /** Requests (and, for Graph, writes) per minute per external API, all replicas together, within what each API takes (common/limites.ts). */
  limites: z.object({
    graph: z.object({ rpm: porMinuto('graph', 'rpm'), writeRpm: porMinuto('graph', 'writeRpm').nullable() }),
    moodle: z.object({ rpm: porMinuto('moodle', 'rpm') }),
    smtp: z.object({ rpm: porMinuto('smtp', 'rpm') }),
  }),
  /** The credentials email (Handlebars); null: the templates shipped with mail-service. */
  plantillaEmail: z
    .object({
      asunto: z.string().min(1).max(500),
      html: z.string().min(1).max(200_000),
      texto: z.string().min(1).max(100_000),
    })
    .nullable(),
  /**
   * The return email (a student who comes back: their account is active again; the UPN, never a password),
   * Handlebars; null: the templates shipped with mail-service. Absent from versions stored before it existed: null.
   */
  plantillaRetorno: z
    .object({
      asunto: z.string().min(1).max(500),
      html: z.string().min(1).max(200_000),
      texto: z.string().min(1).max(100_000),
    })
    .nullable()
    .default(null),
  upn: z.object({ patron: z.string().min(3).max(200), dominio: z.string().min(3).max(253) }),
  licenciaSku: z.uuid(),
  /** estado → periodo (or "*": any period) → Moodle course shortnames. */
  cursos: z.partialRecord(EstadoAlumno, z.record(z.string().min(1).max(20), z.array(z.string().min(1).max(255)))),
  /**
   * When a student's estado or periodo changes, the courses of the previous one that the new one does not
   * list: kept, or unenrolled (only those Lucy enrolled; never for a student leaving, who is suspended instead).
   * A default: versions stored before the key existed lack it.
   */
  cursosAnteriores: z.enum(['conservar', 'desenrolar']).default('conservar'),
  /**
   * A OneRoster roster's classes → Moodle courses: a class's sourcedId, or the courseCode of its course
   * (courses.csv, through the class's courseSourcedId), → a course shortname. ingest-service maps each
   * student's enrollments in classes by it (a class's own sourcedId first) into AlumnoDatos.cursosFuente;
   * a class in neither is noted in the lote. Absent from versions stored before it existed: none.
   */
  cursosOneRoster: z.record(z.string().trim().min(1).max(255), ShortnameMoodle).default({}),
  moodleAuth: z.enum(['oauth2', 'manual', 'oidc']),
  /**
   * What becomes of a leaver's Moodle user when their grace is over and their account is deleted: kept
   * suspended (their enrolments and work stay for a return), or deleted (core_user_delete_users). A later
   * return makes a new one either way. Absent from versions stored before it existed: suspender.
   */
  moodleAlEliminar: z.enum(['suspender', 'eliminar']).default('suspender'),
  /** IANA time zone for dates shown to people (emails, dashboard). */
  zonaHoraria: z.string().min(1).max(64),
  /** The scheduled SIAL pull (the gateway's scheduler): a cron expression (5 fields; 6 with seconds first) read in zonaHoraria. */
  sincronizacion: z
    .object({
      activa: z.boolean(),
      cron: z.string().min(9).max(120),
      fuentes: z.array(z.enum(FUENTES_SIAL)).min(1),
      /** Only this academic period; null: whatever SIAL lists. */
      periodo: z.string().min(1).max(20).nullable(),
    })
    .default({ activa: false, cron: '0 2 * * *', fuentes: ['ingresantes'], periodo: null }),
  /**
   * Retention (the gateway's retention run, apps/gateway/src/retencion): finished tareas and workflows older
   * than `dias` days, audit entries older than `auditoriaDias`, parked messages older than `aparcadosDias`
   * are removed. Absent from versions stored before it existed: 90, 365 and 7.
   */
  retencion: EdadesRetencion.default({ dias: 90, auditoriaDias: 365, aparcadosDias: 7 }),
  /**
   * Alerts (the gateway's apps/gateway/src/alertas): a failed job run, a failed reconciliation, or one with more
   * than `umbralDiferencias` differences emails `destinatarios` (empty: nobody) with `plantilla` (null:
   * mail-service's own). Absent from versions stored before it existed: nobody, 50, null.
   */
  alertas: AjustesAlertas.default(ALERTAS_POR_DEFECTO),
});
export type Configuracion = z.infer<typeof Configuracion>;

/** A new version of the configuration: each service applies the keys it owns, without a restart. */
export const ConfiguracionCambiada = defineEvent({
  name: 'config.cambiada',
  version: 1,
  schema: z.object({
    version: z.number().int().positive(),
    valores: Configuracion,
    /** The top-level keys that differ from the previous version. */
    cambios: z.array(z.string()),
    cambiadoPor: z.string().min(1),
    /**
     * The top-level keys an operator has set (and not given back since). A service applies only
     * these; for the others it keeps its environment (the gateway's defaults cannot know, say, the
     * MOODLE_CURSOS a site was deployed with). Absent from older publishers: then every key counts.
     */
    fijadas: z.array(z.string()).optional(),
  }),
});
export type ConfiguracionCambiada = EventPayload<typeof ConfiguracionCambiada>;
