// The configuration editor's logic, without the DOM (unit-tested in ../config-modelo.spec.ts): the UPN
// preview, the courses table, where a server's problem belongs, what an edit changes, and how an edit
// survives someone else's save.

/** teams-service's UPN placeholders (apps/teams-service/src/domain/upn.ts). */
export const MARCAS_UPN = ['dni', 'domain', 'nombre', 'apellido', 'inicial'];
/** What mail-service's templates may use (apps/mail-service/src/plantillas). */
export const VARIABLES_EMAIL = ['nombre', 'apellido', 'upn', 'password', 'carrera', 'moodleUrl'];
/** What an alert's template may use (contracts' VARIABLES_ALERTA; mail-service gives each, empty when it does not apply). */
export const VARIABLES_ALERTA = [
  'tipo',
  'titulo',
  'trabajo',
  'ejecucionId',
  'reconciliacionId',
  'motivo',
  'diferencias',
  'umbral',
  'detalle',
  'ocurridaAt',
];
/** The most addresses an alert goes to (contracts' AjustesAlertas). */
export const MAX_DESTINATARIOS = 50;
export const ESTADOS = ['aspirante', 'preinscripto', 'ingresante'];
export const FUENTES = ['aspirantes', 'preinscriptos', 'ingresantes'];
export const ALUMNO_EJEMPLO = { dni: '30111222', nombre: 'Ana', apellido: 'Pérez' };
/** Keys the gateway will not give back to the environment (apps/gateway/src/configuracion/fijadas.ts: NO_SE_SUELTAN, with why). */
export const NO_SE_SUELTAN = ['limites', 'sincronizacion', 'moodleAlEliminar', 'retencion', 'alertas'];

// Entra's alias rules, as teams-service checks them.
const ALIAS = /^[A-Za-z0-9'._\-!#^~]{1,64}$/;
const normalizar = (s) =>
  String(s)
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');

/**
 * The UPN teams-service would give `alumno` — `{ upn }` — or why the pattern cannot be used —
 * `{ problema }`. The same rules as apps/teams-service/src/domain/upn.ts; the server has the last word.
 */
export function upnDeEjemplo(patron, dominio, alumno = ALUMNO_EJEMPLO) {
  const usadas = [...String(patron).matchAll(/\{([^}]*)\}/g)].map((m) => m[1]);
  const malas = usadas.filter((t) => !MARCAS_UPN.includes(t));
  if (malas.length) return { problema: `marca desconocida {${malas[0]}}` };
  if (!usadas.includes('dni')) return { problema: 'falta {dni}, que hace único el UPN de cada alumno' };
  const at = patron.lastIndexOf('@');
  if (at <= 0 || patron.indexOf('@') !== at) return { problema: 'debe ser alias@dominio, con una sola @' };
  if (patron.slice(0, at).includes('{domain}')) return { problema: '{domain} va después de la @' };
  const valores = {
    dni: alumno.dni,
    domain: String(dominio).toLowerCase(),
    nombre: normalizar(alumno.nombre),
    apellido: normalizar(alumno.apellido),
    inicial: normalizar(alumno.nombre).slice(0, 1),
  };
  const upn = patron.replace(/\{([a-z]+)\}/g, (_, t) => valores[t]).toLowerCase();
  const alias = upn.slice(0, upn.lastIndexOf('@'));
  if (!ALIAS.test(alias) || alias.startsWith('.') || alias.endsWith('.') || alias.includes('..'))
    return { problema: `el alias «${alias}» no es válido para Entra` };
  return { upn };
}

/** The `cursos` key as table rows: estado, periodo ("*": any, first), shortnames comma-separated. */
export function cursosAFilas(cursos) {
  const filas = [];
  // A periodo such as "2027" is an integer-like key, which objects list first: order them ourselves.
  const orden = (a, b) => (a === '*' ? -1 : b === '*' ? 1 : a.localeCompare(b, 'es', { numeric: true }));
  for (const estado of ESTADOS) {
    const porPeriodo = cursos?.[estado] ?? {};
    for (const periodo of Object.keys(porPeriodo).sort(orden))
      filas.push({ estado, periodo, cursos: porPeriodo[periodo].join(', ') });
  }
  return filas;
}

/**
 * The table back as the `cursos` key, with `problemas` by row (1-based) for what the server could not
 * name as well: a repeated estado × periodo. Rows left completely empty are ignored.
 */
export function filasACursos(filas) {
  const cursos = {};
  const problemas = [];
  filas.forEach((f, i) => {
    const periodo = f.periodo.trim();
    const nombres = f.cursos
      .split(',')
      .map((c) => c.trim())
      .filter(Boolean);
    if (!periodo && !nombres.length) return;
    if (!periodo)
      return void problemas.push({ fila: i + 1, mensaje: `fila ${i + 1}: falta el período ("*" para cualquiera)` });
    cursos[f.estado] ??= {};
    if (cursos[f.estado][periodo])
      return void problemas.push({
        fila: i + 1,
        mensaje: `fila ${i + 1}: ${f.estado} × ${periodo} ya está en otra fila`,
      });
    cursos[f.estado][periodo] = nombres;
  });
  return { cursos, problemas };
}

/**
 * The `cursosOneRoster` key as text: one line per entry, "class sourcedId or course code = Moodle shortname",
 * sorted by what is mapped.
 */
export function clasesALineas(mapa) {
  return Object.keys(mapa ?? {})
    .sort((a, b) => a.localeCompare(b, 'es', { numeric: true }))
    .map((k) => `${k} = ${mapa[k]}`)
    .join('\n');
}

/**
 * The text back as the `cursosOneRoster` key, with `problemas` for what the server would refuse or could not
 * place on a line: a line without "=", nothing before or after it, a class or code on two lines. Blank lines
 * are ignored; the shortname's own rules are the server's to check.
 */
export function lineasAClases(texto) {
  const mapa = {};
  const problemas = [];
  String(texto ?? '')
    .split('\n')
    .forEach((linea, i) => {
      if (!linea.trim()) return;
      const n = i + 1;
      const igual = linea.indexOf('=');
      if (igual < 0) return void problemas.push(`línea ${n}: falta el "=" entre la clase o el código y el curso`);
      const clave = linea.slice(0, igual).trim();
      const curso = linea.slice(igual + 1).trim();
      if (!clave) return void problemas.push(`línea ${n}: falta la clase (sourcedId) o el código de curso`);
      if (!curso) return void problemas.push(`línea ${n}: falta el shortname del curso de Moodle`);
      if (Object.hasOwn(mapa, clave)) return void problemas.push(`línea ${n}: «${clave}» ya está en otra línea`);
      mapa[clave] = curso;
    });
  return { mapa, problemas };
}

// zod's z.email() (what the gateway checks the addresses with), so the form refuses what the server would.
const EMAIL = /^(?:[A-Za-z0-9_'+-]+\.)*[A-Za-z0-9_'+-]*[A-Za-z0-9_+-]@(?:[A-Za-z0-9][A-Za-z0-9-]*\.)+[A-Za-z]{2,}$/;

/**
 * The alert recipients' box as the `alertas.destinatarios` list: one address per line (commas and
 * semicolons separate too), blanks ignored, an address repeated (in any case) kept once; `problemas`: each
 * entry that is not an address, and too many of them.
 */
export function leerDestinatarios(texto) {
  const destinatarios = [];
  const problemas = [];
  const vistas = new Set();
  for (const d of String(texto ?? '')
    .split(/[\n,;]+/)
    .map((x) => x.trim())
    .filter(Boolean)) {
    if (!EMAIL.test(d)) problemas.push(`«${d}» no es una dirección de correo`);
    else if (!vistas.has(d.toLowerCase())) {
      vistas.add(d.toLowerCase());
      destinatarios.push(d);
    }
  }
  if (destinatarios.length > MAX_DESTINATARIOS)
    problemas.push(`son ${destinatarios.length} direcciones: como mucho ${MAX_DESTINATARIOS}`);
  return { destinatarios, problemas };
}

/**
 * The server's problems ([{ campo, mensaje }], from a problem+json's `problemas` or the dry run), with
 * `campo` relative to the configuration ("valores.upn.patron" → "upn.patron") and moved to the nearest
 * field the form has ("cursos.ingresante.*.0" → "cursos"); `campo` null when none fits.
 */
export function ubicarProblemas(problemas, campos) {
  return problemas.map(({ campo, mensaje }) => {
    let partes = String(campo ?? '')
      .split('.')
      .filter(Boolean);
    if (partes[0] === 'valores') partes = partes.slice(1);
    while (partes.length && !campos.includes(partes.join('.'))) partes.pop();
    return { campo: partes.length ? partes.join('.') : null, ruta: String(campo ?? ''), mensaje };
  });
}

/** JSON with keys sorted, to compare two values whatever their key order (as the gateway does). */
export function canonico(v) {
  if (Array.isArray(v)) return `[${v.map(canonico).join(',')}]`;
  if (v && typeof v === 'object')
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonico(v[k])}`)
      .join(',')}}`;
  return JSON.stringify(v);
}

/** The top-level keys whose value differs. */
export const cambiosEntre = (antes, despues) =>
  [...new Set([...Object.keys(antes ?? {}), ...Object.keys(despues ?? {})])].filter(
    (k) => canonico(antes?.[k]) !== canonico(despues?.[k]),
  );

/**
 * Someone else saved while this edit was open: the new version with this edit's changes on top, so
 * nothing typed is lost. `conservadas`: the keys kept from the edit; `enConflicto`: those the other
 * save changed too (the edit's value wins, the user should look again).
 */
export function fusionar(base, editada, nueva) {
  const mias = cambiosEntre(base, editada);
  const suyas = new Set(cambiosEntre(base, nueva));
  const valores = structuredClone(nueva);
  for (const k of mias) {
    if (editada[k] === undefined) delete valores[k];
    else valores[k] = structuredClone(editada[k]);
  }
  return { valores, conservadas: mias, enConflicto: mias.filter((k) => suyas.has(k)) };
}

/**
 * GET /config's `aplicacion` as the page shows it: per service, the version it runs, whether that is
 * the current one, each refused key with its reason (`rechazadas` comes as { clave: motivo } or as
 * [{ clave, motivo }]) and, when its version is unknown, why. Null when the gateway does not report it.
 */
export function estadoAplicacion(aplicacion, version) {
  if (!Array.isArray(aplicacion)) return null;
  const servicios = aplicacion.map((a) => {
    const r = a.rechazadas ?? {};
    const rechazadas = Array.isArray(r)
      ? r.map((x) =>
          typeof x === 'string'
            ? { clave: x, motivo: '' }
            : { clave: x.clave ?? x.key ?? '?', motivo: x.motivo ?? x.reason ?? '' },
        )
      : Object.entries(r).map(([clave, motivo]) => ({ clave, motivo: String(motivo) }));
    const alDia =
      typeof a.alDia === 'boolean' ? a.alDia : a.version !== null && a.version !== undefined && a.version >= version;
    return { servicio: a.servicio, version: a.version ?? null, alDia, rechazadas, error: a.error ?? null };
  });
  return { servicios, todos: servicios.length > 0 && servicios.every((s) => s.alDia) };
}

/**
 * One line of the history: the keys whose value changed, those set with the value they had (a PATCH or
 * an import naming them) and those given back to the services' environment.
 */
export function resumenVersion(v) {
  const cambios = v.cambios ?? [];
  const partes = cambios.length ? [cambios.join(', ')] : [];
  const fijadas = (v.fijadasNuevas ?? []).filter((k) => !cambios.includes(k));
  if (fijadas.length) partes.push(`fijó ${fijadas.join(', ')} con el valor que tenía`);
  const soltadas = v.soltadas ?? [];
  if (soltadas.length) partes.push(`${soltadas.join(', ')} ${soltadas.length > 1 ? 'volvieron' : 'volvió'} al entorno`);
  return partes.join('; ') || 'sin cambios';
}
