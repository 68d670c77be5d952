// The runtime configuration as the API accepts it: the contract's shape (libs/contracts
// ConfiguracionCambiada), closed to unknown keys, plus the checks a service would otherwise only make
// when it applies a value (a template that does not compile, a UPN pattern without {dni}, an unknown
// time zone). Secrets are refused by name before anything else (sinSecretos).
import Handlebars from 'handlebars';
import { z } from 'zod';
import { ALERTAS_POR_DEFECTO, Configuracion, VARIABLES_ALERTA } from '@lucy/contracts';
import { problemaDeCron } from '../scheduler/cron.js';

/** What mail-service's templates may use (apps/mail-service/src/plantillas: VARIABLES). */
const VARIABLES_EMAIL = ['nombre', 'apellido', 'upn', 'password', 'carrera', 'moodleUrl'];
/** teams-service's UPN placeholders (apps/teams-service/src/domain/upn.ts). */
const MARCAS_UPN = ['dni', 'domain', 'nombre', 'apellido', 'inicial'];

/** mail-service also accepts `{nombre}` for `{{nombre}}`; check the template as it will compile it. */
const LLAVE_SOLA = /(^|[^{])\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}(?!\})/g;

/** A template's variables as mail-service will compile it, or why it does not compile. */
function leerPlantilla(fuente: string): { problema: string } | { usadas: Set<string> } {
  let ast: hbs.AST.Program;
  try {
    ast = Handlebars.parse(fuente.replace(LLAVE_SOLA, (_m, antes: string, n: string) => `${antes}{{${n}}}`));
  } catch (err) {
    return { problema: `no compila: ${(err as Error).message.split('\n')[0]}` };
  }
  const usadas = new Set<string>();
  const visitar = (nodo: unknown): void => {
    if (!nodo || typeof nodo !== 'object') return;
    const n = nodo as { type?: string; path?: { type?: string; original?: string }; params?: unknown[] };
    if (n.type === 'MustacheStatement' && n.path?.type === 'PathExpression' && !n.params?.length)
      usadas.add(n.path.original ?? '?');
    for (const v of Object.values(nodo))
      if (v && typeof v === 'object') Array.isArray(v) ? v.forEach(visitar) : visitar(v);
  };
  visitar(ast);
  return { usadas };
}

/**
 * Why a part of the credentials email cannot be used, or undefined. Beyond "it compiles with our
 * variables": it is the email that carries the credentials, so each body (a client shows the HTML or the
 * text, never both) must show the student their {upn} and {password} — else a student gets an account they
 * cannot open — and the subject must not carry the password (relays keep subjects in their logs and
 * phones show them on a locked screen). mail-service refuses the same (src/plantillas/credenciales.ts).
 */
function problemaDePlantilla(fuente: string, parte: Parte): string | undefined {
  const leida = leerPlantilla(fuente);
  if ('problema' in leida) return leida.problema;
  const desconocidas = [...leida.usadas].filter((v) => !VARIABLES_EMAIL.includes(v));
  if (desconocidas.length)
    return `usa variables desconocidas: ${desconocidas.join(', ')} (se puede usar ${VARIABLES_EMAIL.join(', ')})`;
  if (parte === 'asunto')
    return leida.usadas.has('password')
      ? 'no puede llevar {password}: el asunto queda en los registros del correo y se ve en las notificaciones'
      : undefined;
  const faltan = CREDENCIALES.filter((v) => !leida.usadas.has(v));
  if (faltan.length)
    return `debe mostrar ${CREDENCIALES.map((v) => `{${v}}`).join(' y ')}: es el correo que lleva las credenciales (falta ${faltan.map((v) => `{${v}}`).join(' y ')})`;
  return undefined;
}

/** What each body of the credentials email must show. */
const CREDENCIALES = ['upn', 'password'];

type Parte = 'asunto' | 'html' | 'texto';

/**
 * Why a part of the return email cannot be used, or undefined. It tells a returning student their account
 * is active again: each body must show their {upn}, and no part may show a {password} — the account keeps
 * the one it had, and this email never carries one. mail-service refuses the same (src/plantillas/retorno.ts).
 */
function problemaDePlantillaRetorno(fuente: string, parte: Parte): string | undefined {
  const leida = leerPlantilla(fuente);
  if ('problema' in leida) return leida.problema;
  const conocidas = VARIABLES_EMAIL.filter((v) => v !== 'password');
  const desconocidas = [...leida.usadas].filter((v) => !conocidas.includes(v));
  if (desconocidas.includes('password'))
    return 'no puede llevar {password}: la cuenta conserva su contraseña y este correo no lleva ninguna';
  if (desconocidas.length)
    return `usa variables desconocidas: ${desconocidas.join(', ')} (se puede usar ${conocidas.join(', ')})`;
  if (parte !== 'asunto' && !leida.usadas.has('upn'))
    return 'debe mostrar {upn}: el usuario con el que vuelve a ingresar';
  return undefined;
}

/** An email template as the API accepts it: the contract's shape, closed, each part checked by `problema`. */
const plantilla = (problema: (fuente: string, parte: Parte) => string | undefined) =>
  Configuracion.shape.plantillaEmail
    .unwrap()
    .strict()
    .superRefine((p, ctx) => {
      for (const parte of ['asunto', 'html', 'texto'] as const) {
        const motivo = problema(p[parte], parte);
        if (motivo) ctx.addIssue({ code: 'custom', path: [parte], message: motivo });
      }
    })
    .nullable();

function problemaDePatronUpn(patron: string): string | undefined {
  const usadas = [...patron.matchAll(/\{([^}]*)\}/g)].map((m) => m[1]!);
  const malas = usadas.filter((t) => !MARCAS_UPN.includes(t));
  if (malas.length)
    return `marca desconocida {${malas[0]}} (se puede usar ${MARCAS_UPN.map((t) => `{${t}}`).join(', ')})`;
  if (!usadas.includes('dni')) return 'debe contener {dni}, que hace único el UPN de cada alumno';
  const at = patron.lastIndexOf('@');
  if (at <= 0 || patron.indexOf('@') !== at) return 'debe ser alias@dominio, con una sola @';
  return undefined;
}

/**
 * Why a time zone cannot be used, or undefined. Beyond "Intl knows it": moodle-service gives it to new
 * Moodle users, and Moodle's PARAM_TIMEZONE refuses digits and "+" in a name (Etc/GMT+3) and looks a
 * zone up by its exact spelling (apps/moodle-service/src/domain/zona-horaria.ts) — refused here, at
 * save time, rather than by the service afterwards.
 */
export function problemaDeZona(tz: string): string | undefined {
  try {
    new Intl.DateTimeFormat('es-AR', { timeZone: tz });
  } catch {
    return 'no es una zona horaria IANA (p. ej. America/Argentina/Cordoba)';
  }
  if (!/^[A-Za-z0-9]+(\/?[A-Za-z_-])+$/.test(tz))
    return `Moodle no acepta ${tz} (sin dígitos ni + en el nombre): usá un lugar, p. ej. America/Argentina/Cordoba`;
  if (tz.split('/').some((parte) => !/^[A-Z]/.test(parte)))
    return `escribila como en la base IANA, cada parte con mayúscula (p. ej. ${tz
      .split('/')
      .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
      .join('/')})`;
  return undefined;
}

const c = Configuracion.shape;

// The scheduler's own check (apps/gateway/src/scheduler/cron.ts): croner must read it, and it must not
// fire more often than SCHEDULER_MIN_INTERVAL_S (each run pulls a whole cohort from SIAL).
const sincronizacion = c.sincronizacion.unwrap().superRefine((s, ctx) => {
  const problema = problemaDeCron(s.cron);
  if (problema) ctx.addIssue({ code: 'custom', path: ['cron'], message: problema });
});

// The retention run's ages (src/retencion): the audit trail is kept at least as long as what it tells of.
const retencion = c.retencion
  .unwrap()
  .strict()
  .superRefine((r, ctx) => {
    if (r.auditoriaDias < r.dias)
      ctx.addIssue({
        code: 'custom',
        path: ['auditoriaDias'],
        message: `debe ser al menos dias (${r.dias}): la auditoría cuenta lo que pasó con tareas y workflows`,
      });
  });

/**
 * Why a part of the alert template cannot be used, or undefined: it compiles as mail-service will compile it
 * and names only the alert's variables (mail-service's src/alertas: it renders strictly, so an unknown one
 * would fail every alert instead of showing).
 */
function problemaDePlantillaAlerta(fuente: string): string | undefined {
  const leida = leerPlantilla(fuente);
  if ('problema' in leida) return leida.problema;
  const conocidas: readonly string[] = VARIABLES_ALERTA;
  const desconocidas = [...leida.usadas].filter((v) => !conocidas.includes(v));
  if (desconocidas.length)
    return `usa variables desconocidas: ${desconocidas.join(', ')} (se puede usar ${VARIABLES_ALERTA.join(', ')})`;
  return undefined;
}

// Alerts (src/alertas): the recipients, the drift threshold, the template (each part checked).
const alertas = c.alertas
  .unwrap()
  .extend({
    plantilla: c.alertas
      .unwrap()
      .shape.plantilla.unwrap()
      .strict()
      .superRefine((p, ctx) => {
        for (const parte of ['asunto', 'cuerpo'] as const) {
          const motivo = problemaDePlantillaAlerta(p[parte]);
          if (motivo) ctx.addIssue({ code: 'custom', path: [parte], message: motivo });
        }
      })
      .nullable(),
  })
  .strict();

export const ConfiguracionApi = z
  .object({
    loteTamano: c.loteTamano,
    ausenciasParaBaja: c.ausenciasParaBaja,
    umbralBajas: c.umbralBajas.unwrap().strict().default(c.umbralBajas.def.defaultValue),
    aprobacionNuevos: c.aprobacionNuevos,
    limites: z
      .object({
        graph: c.limites.shape.graph.strict(),
        moodle: c.limites.shape.moodle.strict(),
        smtp: c.limites.shape.smtp.strict(),
      })
      .strict(),
    plantillaEmail: plantilla(problemaDePlantilla),
    plantillaRetorno: plantilla(problemaDePlantillaRetorno).default(null),
    upn: c.upn.strict().superRefine((u, ctx) => {
      const problema = problemaDePatronUpn(u.patron);
      if (problema) ctx.addIssue({ code: 'custom', path: ['patron'], message: problema });
      if (!/^([a-z0-9-]+\.)+[a-z0-9-]{2,}$/i.test(u.dominio))
        ctx.addIssue({ code: 'custom', path: ['dominio'], message: 'debe ser un nombre de dominio' });
    }),
    licenciaSku: c.licenciaSku,
    cursos: c.cursos,
    cursosAnteriores: c.cursosAnteriores,
    cursosOneRoster: c.cursosOneRoster,
    moodleAuth: c.moodleAuth,
    moodleAlEliminar: c.moodleAlEliminar,
    zonaHoraria: c.zonaHoraria.superRefine((tz, ctx) => {
      const problema = problemaDeZona(tz);
      if (problema) ctx.addIssue({ code: 'custom', message: problema });
    }),
    sincronizacion: sincronizacion.default(c.sincronizacion.def.defaultValue),
    retencion: retencion.default(c.retencion.def.defaultValue),
    alertas: alertas.default(ALERTAS_POR_DEFECTO),
  })
  .strict();

/**
 * The same, but a key left out stays out (no default filled in): what PATCH changes and an imported file
 * sets are the keys it names, and only those (a PATCH of loteTamano must not reset the schedule).
 */
export const ConfiguracionNombrada = ConfiguracionApi.extend({
  ausenciasParaBaja: c.ausenciasParaBaja.unwrap().optional(),
  umbralBajas: c.umbralBajas.unwrap().strict().optional(),
  aprobacionNuevos: c.aprobacionNuevos.unwrap().optional(),
  plantillaRetorno: plantilla(problemaDePlantillaRetorno).optional(),
  cursosAnteriores: c.cursosAnteriores.unwrap().optional(),
  cursosOneRoster: c.cursosOneRoster.unwrap().optional(),
  moodleAlEliminar: c.moodleAlEliminar.unwrap().optional(),
  sincronizacion: sincronizacion.optional(),
  retencion: retencion.optional(),
  alertas: alertas.optional(),
});

/** What the services use when nothing was stored (their own defaults; see each service's config.ts). */
export const DEFECTO: Configuracion = {
  loteTamano: 20,
  ausenciasParaBaja: 3,
  umbralBajas: { porcentaje: 5, cantidad: 100 },
  aprobacionNuevos: false,
  limites: { graph: { rpm: 6000, writeRpm: 1100 }, moodle: { rpm: 300 }, smtp: { rpm: 30 } },
  plantillaEmail: null,
  plantillaRetorno: null,
  upn: { patron: 'a{dni}@{domain}', dominio: 'estudiantes.unrc.edu.ar' },
  licenciaSku: '314c4481-f395-4525-be8b-2ec4bb1e9d91',
  cursos: { ingresante: { '*': ['ING-2027-INTRO', 'ING-2027-MATE'] } },
  cursosAnteriores: 'conservar',
  cursosOneRoster: {},
  moodleAuth: 'oauth2',
  moodleAlEliminar: 'suspender',
  zonaHoraria: 'America/Argentina/Cordoba',
  sincronizacion: { activa: false, cron: '0 2 * * *', fuentes: ['ingresantes'], periodo: null },
  retencion: { dias: 90, auditoriaDias: 365, aparcadosDias: 7 },
  alertas: ALERTAS_POR_DEFECTO,
};

export { secretKeyPaths } from '../api/secret-keys.js';

/** JSON with keys sorted, to compare two values whatever their key order. */
export function canonico(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonico).join(',')}]`;
  if (v && typeof v === 'object')
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonico((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(v);
}

export function cambiosEntre(antes: Configuracion, despues: Configuracion): string[] {
  return (Object.keys(despues) as (keyof Configuracion)[]).filter((k) => canonico(antes[k]) !== canonico(despues[k]));
}
