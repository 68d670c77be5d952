// The runtime configuration as a form: a section per area, every field with its label and a short help,
// a live preview of the UPN, the courses as an editable table. `leer()` gives back the whole
// configuration (keys the form does not know are carried over untouched); the server's problems are
// shown beside the field they name (`mostrarProblemas`). Each section says which of its keys an operator
// has set and, given `alSoltar` (admins), offers to give a set key back to the services' environment.
import { h, insignia, reemplazar } from './dom.js';
import {
  ALUMNO_EJEMPLO,
  clasesALineas,
  cursosAFilas,
  ESTADOS,
  filasACursos,
  FUENTES,
  leerDestinatarios,
  lineasAClases,
  MARCAS_UPN,
  MAX_DESTINATARIOS,
  NO_SE_SUELTAN,
  ubicarProblemas,
  upnDeEjemplo,
  VARIABLES_ALERTA,
  VARIABLES_EMAIL,
} from './config-modelo.js';

/** Argentina's zones first (where Lucy runs), then the neighbours and a few others. */
const ZONAS = [
  'America/Argentina/Cordoba',
  'America/Argentina/Buenos_Aires',
  'America/Argentina/Salta',
  'America/Argentina/Jujuy',
  'America/Argentina/Tucuman',
  'America/Argentina/Catamarca',
  'America/Argentina/La_Rioja',
  'America/Argentina/San_Juan',
  'America/Argentina/Mendoza',
  'America/Argentina/San_Luis',
  'America/Argentina/Rio_Gallegos',
  'America/Argentina/Ushuaia',
  'America/Montevideo',
  'America/Santiago',
  'America/Asuncion',
  'America/Sao_Paulo',
  'America/La_Paz',
  'America/Lima',
  'America/Bogota',
  'America/Mexico_City',
  'Europe/Madrid',
  'UTC',
];

/** A first custom template when the operator leaves the included one: short, and every variable in use. */
const MODELO_PLANTILLA = {
  asunto: '{nombre}, tu cuenta de Microsoft 365 está lista',
  html: '<p>Hola {nombre} {apellido}:</p>\n<p>Ya tenés tu cuenta institucional para cursar {carrera}.</p>\n<p>Usuario: <strong>{upn}</strong><br>\nContraseña temporal: <strong>{password}</strong></p>\n<p>Aula virtual: <a href="{moodleUrl}">{moodleUrl}</a></p>',
  texto:
    'Hola {nombre} {apellido}:\n\nYa tenés tu cuenta institucional para cursar {carrera}.\n\nUsuario: {upn}\nContraseña temporal: {password}\n\nAula virtual: {moodleUrl}\n',
};

/** A start for the return email (no password: the account keeps its own). */
const MODELO_RETORNO = {
  asunto: '{nombre}, tu cuenta de Microsoft 365 está activa de nuevo',
  html: '<p>Hola {nombre} {apellido}:</p>\n<p>Tu cuenta institucional está activa de nuevo.</p>\n<p>Usuario: <strong>{upn}</strong>, con la contraseña que ya tenías.</p>\n<p>Aula virtual: <a href="{moodleUrl}">{moodleUrl}</a></p>',
  texto:
    'Hola {nombre} {apellido}:\n\nTu cuenta institucional está activa de nuevo.\n\nUsuario: {upn}, con la contraseña que ya tenías.\n\nAula virtual: {moodleUrl}\n',
};

/** A start for an operator's alert template: plain text, the variables that matter most. */
const MODELO_ALERTA = {
  asunto: '[Lucy] {titulo}',
  cuerpo:
    '{titulo}\n\nTipo: {tipo}\nTrabajo: {trabajo}\nMotivo: {motivo}\nDiferencias: {diferencias} (umbral {umbral})\n{detalle}\nCuándo: {ocurridaAt}\n',
};

const idDe = (ruta) => `cfg-${ruta.replace(/[^A-Za-z0-9]+/g, '-')}`;
const marcas = (lista) => lista.map((m, i) => [i ? ' ' : '', h('code', {}, `{${m}}`)]);

/** `alSoltar(clave)`: give a set key back to the environment (the page asks and calls the API); none: no button. */
export function formulario({ alCambiar = () => {}, alSoltar = null } = {}) {
  /** ruta → { control (what gets focus), error (where its messages go), etiqueta } */
  const campos = new Map();
  /** top-level key → its badge slot (which keys an operator has set). */
  const fijadaDe = new Map();
  /** top-level key → its section (where focus goes once its button is gone). */
  const seccionDe = new Map();
  let fondo = {};

  // ---- building blocks -------------------------------------------------------------------------------

  const registrar = (ruta, control, error, etiqueta) => void campos.set(ruta, { control, error, etiqueta });

  /** A labelled control with its help and its error slot, both named by aria-describedby. */
  function campo(ruta, etiqueta, control, ayuda, ...extra) {
    const id = idDe(ruta);
    const error = h('p', { class: 'error error-campo', id: `${id}-error` });
    control.id = id;
    control.setAttribute('aria-describedby', `${id}-ayuda ${id}-error`);
    registrar(ruta, control, error, etiqueta);
    return h(
      'div',
      { class: 'campo', 'data-campo': ruta },
      h('label', { for: id }, etiqueta),
      control,
      h('p', { class: 'ayuda', id: `${id}-ayuda` }, ayuda),
      ...extra,
      error,
    );
  }

  const numero = (opts = {}) =>
    h('input', { type: 'number', inputMode: 'numeric', step: 'any', min: 1, class: 'corto', ...opts });
  // Codes, names and domains, not prose: no spelling marks (h() skips false, so set the property).
  const sinCorrector = (el) => Object.assign(el, { spellcheck: false });
  const texto = (opts = {}) => sinCorrector(h('input', { type: 'text', autocomplete: 'off', ...opts }));

  /** A group (fieldset) whose messages go under its legend; `ruta` for problems the server names there. */
  function grupo(ruta, leyenda, ayuda, ...contenido) {
    const id = idDe(ruta);
    const error = h('p', { class: 'error error-campo', id: `${id}-error` });
    const fs = h(
      'fieldset',
      { class: 'grupo', 'data-campo': ruta, id, tabIndex: -1, 'aria-describedby': `${id}-ayuda ${id}-error` },
      h('legend', {}, leyenda),
      h('p', { class: 'ayuda', id: `${id}-ayuda` }, ayuda),
      ...contenido,
      error,
    );
    registrar(ruta, fs, error, leyenda);
    return fs;
  }

  /** An area of the form; `claves`: the top-level keys it edits (each gets its "fijada" badge). */
  function seccion(id, titulo, claves, ...contenido) {
    const error = h('p', { class: 'error error-campo', id: `cfg-seccion-${id}-error` });
    const el = h(
      'section',
      { class: 'tarjeta seccion-config', 'aria-labelledby': `t-cfg-${id}`, id: `cfg-seccion-${id}`, tabIndex: -1 },
      h('h2', { id: `t-cfg-${id}` }, titulo),
    );
    const fijadas = h('p', { class: 'fijadas', hidden: true });
    for (const k of claves) {
      // A problem about the key as a whole (say an unknown nested key) lands on the section.
      if (!campos.has(k)) registrar(k, el, error, titulo);
      fijadaDe.set(k, fijadas);
      seccionDe.set(k, el);
    }
    el.append(fijadas, ...contenido, error);
    return el;
  }

  const casilla = (id, etiqueta, opts = {}) => {
    const c = h('input', { type: 'checkbox', id, ...opts });
    return { c, el: h('div', { class: 'opcion' }, c, h('label', { for: id, class: 'en-linea' }, etiqueta)) };
  };

  // ---- the fields ------------------------------------------------------------------------------------

  const loteTamano = numero({ max: 10_000, step: 1 });
  const ausenciasParaBaja = numero({ min: 0, max: 100, step: 1 });
  const umbralPorcentaje = numero({ min: 0, max: 100, step: 'any' });
  const umbralCantidad = numero({ min: 0, max: 1_000_000, step: 1 });
  const aprobacionNuevos = casilla('cfg-aprobacion-nuevos', 'Los alumnos nuevos esperan la aprobación de un operador');
  const graphRpm = numero();
  const graphWriteRpm = numero();
  const moodleRpm = numero();
  const smtpRpm = numero();
  const patron = texto({ placeholder: 'a{dni}@{domain}' });
  const dominio = texto({ placeholder: 'estudiantes.unrc.edu.ar' });
  const vista = h('p', { class: 'vista-previa', id: 'cfg-upn-vista', 'aria-live': 'polite' });
  const sku = texto({ placeholder: '314c4481-f395-4525-be8b-2ec4bb1e9d91', class: 'medio' });
  const moodleAuth = h(
    'select',
    { class: 'medio' },
    h('option', { value: 'oauth2' }, 'oauth2: ingresan con su cuenta de Microsoft 365'),
    h('option', { value: 'manual' }, 'manual: usuario y contraseña propios de Moodle'),
    h('option', { value: 'oidc' }, 'oidc: OpenID Connect'),
  );
  const cursosAnteriores = h(
    'select',
    { class: 'medio' },
    h('option', { value: 'conservar' }, 'conservar: siguen en los cursos que tenían'),
    h('option', { value: 'desenrolar' }, 'desenrolar: se los quita de los cursos que ya no les corresponden'),
  );
  const moodleAlEliminar = h(
    'select',
    { class: 'medio' },
    h('option', { value: 'suspender' }, 'suspender: el usuario queda suspendido, con sus cursos y su trabajo'),
    h('option', { value: 'eliminar' }, 'eliminar: se borra el usuario de Moodle, con sus matrículas'),
  );
  const filasCursos = h('tbody', {});
  const clasesOneRoster = sinCorrector(
    h('textarea', { rows: 5, class: 'medio', placeholder: 'CLS-MATE-1A = ING-2027-MATE\nMAT101 = ING-2027-MATE' }),
  );
  const agregarFila = h('button', { type: 'button', class: 'secundario', onclick: () => nuevaFila() }, 'Agregar fila');
  const incluida = casilla('cfg-plantilla-incluida', 'Usar la plantilla incluida en el servicio de correo');
  const asunto = texto();
  const html = sinCorrector(h('textarea', { rows: 10 }));
  const textoPlano = h('textarea', { rows: 8 });
  const propia = h('div', { class: 'plantilla-propia' });
  const incluidaRetorno = casilla('cfg-retorno-incluida', 'Usar la plantilla incluida en el servicio de correo');
  const asuntoRetorno = texto();
  const htmlRetorno = sinCorrector(h('textarea', { rows: 10 }));
  const textoRetorno = h('textarea', { rows: 8 });
  const propiaRetorno = h('div', { class: 'plantilla-propia' });
  const zona = texto({ list: 'cfg-zonas', class: 'medio', placeholder: 'America/Argentina/Cordoba' });
  const activa = casilla('cfg-sincronizacion-activa', 'Traer alumnos de SIAL automáticamente');
  const cron = texto({ class: 'corto', placeholder: '0 2 * * *' });
  const fuentes = FUENTES.map((f) => casilla(`cfg-fuente-${f}`, f[0].toUpperCase() + f.slice(1), { value: f }));
  const periodoSync = texto({ class: 'corto', placeholder: '2027' });
  const destinatarios = sinCorrector(h('textarea', { rows: 3, class: 'medio', placeholder: 'sistemas@unrc.edu.ar' }));
  const umbralDiferencias = numero({ min: 0, max: 10_000_000, step: 1 });
  const incluidaAlerta = casilla(
    'cfg-alerta-incluida',
    'Usar la plantilla de alertas incluida en el servicio de correo',
  );
  const asuntoAlerta = texto();
  const cuerpoAlerta = h('textarea', { rows: 10 });
  const propiaAlerta = h('div', { class: 'plantilla-propia' });

  const pintarVista = () => {
    const r = upnDeEjemplo(patron.value, dominio.value.trim());
    const quien = `DNI ${ALUMNO_EJEMPLO.dni}, ${ALUMNO_EJEMPLO.nombre} ${ALUMNO_EJEMPLO.apellido}`;
    reemplazar(
      vista,
      r.upn
        ? ['Ejemplo (', quien, '): ', h('strong', { id: 'cfg-upn-ejemplo' }, r.upn)]
        : h('span', { class: 'error' }, `Sin vista previa: ${r.problema}.`),
    );
  };
  patron.addEventListener('input', pintarVista);
  dominio.addEventListener('input', pintarVista);

  incluida.c.addEventListener('change', () => {
    propia.hidden = incluida.c.checked;
    // Leaving the included template for the first time: start from a short model rather than nothing.
    if (!incluida.c.checked && !asunto.value && !html.value && !textoPlano.value) {
      asunto.value = MODELO_PLANTILLA.asunto;
      html.value = MODELO_PLANTILLA.html;
      textoPlano.value = MODELO_PLANTILLA.texto;
    }
  });

  incluidaRetorno.c.addEventListener('change', () => {
    propiaRetorno.hidden = incluidaRetorno.c.checked;
    if (!incluidaRetorno.c.checked && !asuntoRetorno.value && !htmlRetorno.value && !textoRetorno.value) {
      asuntoRetorno.value = MODELO_RETORNO.asunto;
      htmlRetorno.value = MODELO_RETORNO.html;
      textoRetorno.value = MODELO_RETORNO.texto;
    }
  });

  incluidaAlerta.c.addEventListener('change', () => {
    propiaAlerta.hidden = incluidaAlerta.c.checked;
    if (!incluidaAlerta.c.checked && !asuntoAlerta.value && !cuerpoAlerta.value) {
      asuntoAlerta.value = MODELO_ALERTA.asunto;
      cuerpoAlerta.value = MODELO_ALERTA.cuerpo;
    }
  });

  // ---- the courses table -----------------------------------------------------------------------------

  const renumerar = () => {
    [...filasCursos.rows].forEach((tr, i) => {
      const n = i + 1;
      tr.dataset.fila = String(n);
      for (const l of tr.querySelectorAll('label[data-nombre]')) l.textContent = `${l.dataset.nombre}, fila ${n}`;
      tr.querySelector('button').setAttribute('aria-label', `Quitar la fila ${n}`);
    });
  };

  function nuevaFila(f = { estado: 'ingresante', periodo: '*', cursos: '' }, { enfocar = true } = {}) {
    const n = filasCursos.rows.length + 1;
    const base = `cfg-cursos-${crypto.randomUUID().slice(0, 8)}`;
    const estado = h(
      'select',
      { id: `${base}-estado`, 'data-col': 'estado' },
      ESTADOS.map((e) => h('option', { value: e }, e)),
    );
    estado.value = f.estado;
    const periodo = texto({ id: `${base}-periodo`, 'data-col': 'periodo', value: f.periodo, class: 'corto' });
    const cursos = texto({
      id: `${base}-cursos`,
      'data-col': 'cursos',
      value: f.cursos,
      placeholder: 'ING-2027-INTRO, ING-2027-MATE',
    });
    const etiqueta = (control, nombre) =>
      h('label', { for: control.id, class: 'oculto', 'data-nombre': nombre }, `${nombre}, fila ${n}`);
    const tr = h(
      'tr',
      { 'data-fila': n },
      h('td', {}, etiqueta(estado, 'Estado'), estado),
      h('td', {}, etiqueta(periodo, 'Período'), periodo),
      h('td', {}, etiqueta(cursos, 'Cursos'), cursos),
      h(
        'td',
        { class: 'acciones' },
        h(
          'button',
          { type: 'button', class: 'peligro', 'aria-label': `Quitar la fila ${n}`, onclick: () => quitarFila(tr) },
          'Quitar',
        ),
      ),
    );
    filasCursos.append(tr);
    if (enfocar) {
      estado.focus();
      alCambiar();
    }
  }

  function quitarFila(tr) {
    // Focus goes where the removed row was (its successor's button, or "Agregar fila"): never lost.
    const siguiente = tr.nextElementSibling ?? tr.previousElementSibling;
    tr.remove();
    renumerar();
    (siguiente?.querySelector('button') ?? agregarFila).focus();
    alCambiar();
  }

  const leerFilas = () =>
    [...filasCursos.rows].map((tr) => ({
      estado: tr.querySelector('[data-col="estado"]').value,
      periodo: tr.querySelector('[data-col="periodo"]').value,
      cursos: tr.querySelector('[data-col="cursos"]').value,
    }));

  // ---- the page --------------------------------------------------------------------------------------

  const el = h(
    'div',
    { class: 'formulario-config', id: 'formulario-config' },
    seccion(
      'lotes',
      'Lotes',
      ['loteTamano', 'ausenciasParaBaja', 'umbralBajas', 'aprobacionNuevos'],
      campo(
        'loteTamano',
        'Tamaño de lote',
        loteTamano,
        'Cuántos alumnos nuevos de un lote esperan su cuenta de Microsoft 365 a la vez (1 a 10.000). Más grande: el lote avanza más rápido, siempre dentro de los límites de Graph. Lo aplica ingest-service a los lotes en curso.',
      ),
      campo(
        'ausenciasParaBaja',
        'Ausencias para dar de baja',
        ausenciasParaBaja,
        'Tras cuántas sincronizaciones completas seguidas sin figurar en su lista de SIAL un alumno se da de baja (0 a 100; 0: nunca). No cuentan las sincronizaciones fallidas ni las cargas de archivos. Lo aplica ingest-service.',
      ),
      grupo(
        'umbralBajas',
        'Resguardo de bajas',
        'Una sincronización o carga que suspendería más alumnos que esto no actúa: queda esperando la aprobación de un operador, con su plan, en Lotes. Lo aplica ingest-service.',
        h(
          'div',
          { class: 'rejilla' },
          campo(
            'umbralBajas.porcentaje',
            'Porcentaje de los alumnos activos',
            umbralPorcentaje,
            'Más de este porcentaje de los activos (0 a 100; 100: nunca por porcentaje).',
          ),
          campo(
            'umbralBajas.cantidad',
            'Cantidad de alumnos',
            umbralCantidad,
            'Más de esta cantidad (0: toda baja espera aprobación).',
          ),
        ),
      ),
      grupo(
        'aprobacionNuevos',
        'Aprobación de alumnos nuevos',
        'Si está activa, cada alumno nuevo queda «pendiente de aprobación» (sin cuenta) hasta que un operador lo apruebe, uno por uno o varios a la vez desde Alumnos. Los que ya esperan siguen esperando si se desactiva.',
        aprobacionNuevos.el,
      ),
    ),
    seccion(
      'limites',
      'Límites (pedidos por minuto, entre todas las réplicas)',
      ['limites'],
      h(
        'div',
        { class: 'rejilla' },
        campo(
          'limites.graph.rpm',
          'Microsoft Graph: pedidos por minuto',
          graphRpm,
          'Todas las llamadas a Graph, lecturas y escrituras. Entre 1 y 48.000 (Entra: 8.000 unidades cada 10 s en el tenant más grande).',
        ),
        campo(
          'limites.graph.writeRpm',
          'Microsoft Graph: escrituras por minuto',
          graphWriteRpm,
          'Crear usuarios y asignar licencias. Entra admite 1.200 escrituras por minuto por tenant (el máximo aquí): dejá margen (p. ej. 1.100). Vacío: sin tope propio de escrituras.',
        ),
        campo(
          'limites.moodle.rpm',
          'Moodle: pedidos por minuto',
          moodleRpm,
          'Llamadas a los web services de Moodle. Entre 1 y 6.000.',
        ),
        campo(
          'limites.smtp.rpm',
          'Correo (SMTP): mensajes por minuto',
          smtpRpm,
          'Lo que admite el servidor de correo saliente (Exchange Online: 30). Entre 1 y 1.000.',
        ),
      ),
    ),
    seccion(
      'cuentas',
      'Cuentas de Microsoft 365',
      ['upn', 'licenciaSku'],
      campo(
        'upn.patron',
        'Patrón del UPN',
        patron,
        [
          'Cómo se arma el usuario de cada alumno. Marcas: ',
          marcas(MARCAS_UPN),
          '. ',
          h('code', {}, '{dni}'),
          ' es obligatoria (hace único el UPN); ',
          h('code', {}, '{domain}'),
          ' es el dominio de abajo; los nombres van sin acentos ni espacios.',
        ],
        vista,
      ),
      campo(
        'upn.dominio',
        'Dominio del UPN',
        dominio,
        'Un dominio verificado del tenant, p. ej. estudiantes.unrc.edu.ar.',
      ),
      campo(
        'licenciaSku',
        'Licencia (SKU)',
        sku,
        'El identificador (GUID) de la licencia que recibe cada cuenta nueva, p. ej. Office 365 A1 para alumnos.',
      ),
    ),
    seccion(
      'moodle',
      'Moodle',
      ['moodleAuth', 'cursos', 'cursosAnteriores', 'cursosOneRoster', 'moodleAlEliminar'],
      campo(
        'moodleAuth',
        'Autenticación en Moodle',
        moodleAuth,
        'Con qué método se crean los usuarios nuevos en Moodle.',
      ),
      grupo(
        'cursos',
        'Cursos por estado y período',
        [
          'En qué cursos (shortname) se enrola a cada alumno según su estado y período. ',
          h('code', {}, '*'),
          ' = cualquier período: esos cursos se suman a los del período del alumno. Cursos separados por comas.',
        ],
        h(
          'table',
          { class: 'tabla tabla-cursos', id: 'cfg-cursos-tabla' },
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              ['Estado', 'Período', 'Cursos', ''].map((t) =>
                h('th', { scope: 'col' }, t || h('span', { class: 'oculto' }, 'Acciones')),
              ),
            ),
          ),
          filasCursos,
        ),
        agregarFila,
      ),
      campo(
        'cursosAnteriores',
        'Al cambiar de estado o de período',
        cursosAnteriores,
        'Qué pasa con los cursos del estado o período anterior que el nuevo no incluye. Solo se quitan cursos en los que Lucy enroló al alumno, nunca uno en el que ya estaba antes, y nunca a quien se va (baja, egresado): a ese se lo suspende.',
      ),
      campo(
        'cursosOneRoster',
        'Clases de OneRoster → cursos',
        clasesOneRoster,
        'Para un roster OneRoster: en qué curso de Moodle (shortname) se enrola a los alumnos de cada clase. Una línea por clase: su sourcedId, o el courseCode de su curso (vale para todas sus clases), "=" y el shortname. Se suman a los cursos por estado y período; una clase que no está se avisa en el lote. Un cambio llega a cada alumno con su próximo envío o lectura; un roster completo los alcanza a todos.',
      ),
      campo(
        'moodleAlEliminar',
        'Al eliminar la cuenta de quien se fue',
        moodleAlEliminar,
        'Cuando termina la gracia de una baja y se elimina su cuenta de Microsoft 365: el usuario de Moodle queda suspendido, o se elimina. Si el alumno vuelve, se le crea uno nuevo y se lo matricula en sus cursos.',
      ),
    ),
    seccion(
      'correo',
      'Correo con las credenciales',
      ['plantillaEmail'],
      incluida.el,
      h(
        'p',
        { class: 'ayuda', id: 'cfg-plantilla-ayuda' },
        'Variables: ',
        marcas(VARIABLES_EMAIL),
        ' (también ',
        h('code', {}, '{{nombre}}'),
        ', Handlebars). En el HTML cada valor se escapa. El HTML y el texto deben mostrar {upn} y {password} (es el correo con las credenciales); el asunto no puede llevar {password}. El servidor rechaza una plantilla que no compila o que usa otra variable.',
      ),
      propia,
    ),
    seccion(
      'retorno',
      'Correo de retorno',
      ['plantillaRetorno'],
      incluidaRetorno.el,
      h(
        'p',
        { class: 'ayuda', id: 'cfg-retorno-ayuda' },
        'Lo recibe el alumno que vuelve: su cuenta está activa de nuevo, con la contraseña que ya tenía. Variables: ',
        marcas(VARIABLES_EMAIL.filter((v) => v !== 'password')),
        '. El HTML y el texto deben mostrar {upn}; ninguna parte puede llevar {password}.',
      ),
      propiaRetorno,
    ),
    seccion(
      'general',
      'General',
      ['zonaHoraria'],
      campo(
        'zonaHoraria',
        'Zona horaria',
        zona,
        'Zona IANA de las fechas del panel, de los usuarios nuevos de Moodle y del horario de la sincronización.',
      ),
      h(
        'datalist',
        { id: 'cfg-zonas' },
        ZONAS.map((z) => h('option', { value: z })),
      ),
    ),
    seccion(
      'sincronizacion',
      'Sincronización automática con SIAL',
      ['sincronizacion'],
      activa.el,
      campo('sincronizacion.cron', 'Cuándo (expresión cron)', cron, [
        'Cinco campos: minuto hora día-del-mes mes día-de-la-semana, en la zona horaria de arriba. ',
        h('code', {}, '0 2 * * *'),
        ' = todos los días a las 2:00; ',
        h('code', {}, '0 */6 * * 1-5'),
        ' = cada 6 horas de lunes a viernes.',
      ]),
      grupo(
        'sincronizacion.fuentes',
        'Listados de SIAL',
        'Qué listados se traen (al menos uno).',
        h(
          'div',
          { class: 'opciones' },
          fuentes.map((f) => f.el),
        ),
      ),
      campo(
        'sincronizacion.periodo',
        'Período (opcional)',
        periodoSync,
        'Solo ese período académico (p. ej. 2027). Vacío: todo lo que liste SIAL.',
      ),
    ),
    seccion(
      'alertas',
      'Alertas a los operadores',
      ['alertas'],
      h(
        'p',
        { class: 'ayuda' },
        'Un correo cuando falla una tarea programada o una reconciliación, o cuando una reconciliación encuentra más diferencias que el umbral.',
      ),
      campo(
        'alertas.destinatarios',
        'Destinatarios de las alertas',
        destinatarios,
        `Una dirección por línea (o separadas por comas), hasta ${MAX_DESTINATARIOS}. Vacío: no se envía ningún correo (la métrica lucy_alertas_total las cuenta igual).`,
      ),
      campo(
        'alertas.umbralDiferencias',
        'Umbral de diferencias',
        umbralDiferencias,
        'Una reconciliación que termina con más diferencias que esto avisa (0 a 10.000.000; 0: cualquier diferencia avisa).',
      ),
      incluidaAlerta.el,
      h(
        'p',
        { class: 'ayuda', id: 'cfg-alerta-ayuda' },
        'Variables: ',
        marcas(VARIABLES_ALERTA),
        ' (también ',
        h('code', {}, '{{titulo}}'),
        ', Handlebars). Texto plano; las que no vienen al caso quedan vacías. El servidor rechaza una plantilla que no compila o que usa otra variable.',
      ),
      propiaAlerta,
    ),
  );
  propia.append(
    campo('plantillaEmail.asunto', 'Asunto', asunto, 'Una línea; puede usar las variables.'),
    campo('plantillaEmail.html', 'Cuerpo HTML', html, 'Lo que ven los clientes de correo con HTML.'),
    campo('plantillaEmail.texto', 'Cuerpo en texto plano', textoPlano, 'Para los clientes sin HTML; mismo contenido.'),
  );
  registrar('plantillaEmail', incluida.c, campos.get('plantillaEmail').error, 'Correo con las credenciales');
  propiaRetorno.append(
    campo('plantillaRetorno.asunto', 'Asunto', asuntoRetorno, 'Una línea; puede usar las variables.'),
    campo('plantillaRetorno.html', 'Cuerpo HTML', htmlRetorno, 'Lo que ven los clientes de correo con HTML.'),
    campo(
      'plantillaRetorno.texto',
      'Cuerpo en texto plano',
      textoRetorno,
      'Para los clientes sin HTML; mismo contenido.',
    ),
  );
  registrar('plantillaRetorno', incluidaRetorno.c, campos.get('plantillaRetorno').error, 'Correo de retorno');
  propiaAlerta.append(
    campo('alertas.plantilla.asunto', 'Asunto de la alerta', asuntoAlerta, 'Una línea; puede usar las variables.'),
    campo('alertas.plantilla.cuerpo', 'Cuerpo de la alerta', cuerpoAlerta, 'Texto plano.'),
  );
  registrar('alertas.plantilla', incluidaAlerta.c, campos.get('alertas').error, 'Plantilla de las alertas');
  registrar('sincronizacion.activa', activa.c, campos.get('sincronizacion').error, 'Sincronización automática');
  el.addEventListener('input', () => alCambiar());
  el.addEventListener('change', () => alCambiar());

  // ---- values in and out -----------------------------------------------------------------------------

  const num = (v) => (v === null || v === undefined ? '' : String(v));

  /** Shows `valores` (a whole configuration, possibly from the JSON tab: missing parts show empty). */
  function poner(valores) {
    fondo = structuredClone(valores ?? {});
    const v = fondo;
    loteTamano.value = num(v.loteTamano);
    ausenciasParaBaja.value = num(v.ausenciasParaBaja);
    umbralPorcentaje.value = num(v.umbralBajas?.porcentaje);
    umbralCantidad.value = num(v.umbralBajas?.cantidad);
    aprobacionNuevos.c.checked = !!v.aprobacionNuevos;
    graphRpm.value = num(v.limites?.graph?.rpm);
    graphWriteRpm.value = num(v.limites?.graph?.writeRpm);
    moodleRpm.value = num(v.limites?.moodle?.rpm);
    smtpRpm.value = num(v.limites?.smtp?.rpm);
    patron.value = v.upn?.patron ?? '';
    dominio.value = v.upn?.dominio ?? '';
    sku.value = v.licenciaSku ?? '';
    moodleAuth.value = v.moodleAuth ?? 'oauth2';
    cursosAnteriores.value = v.cursosAnteriores ?? 'conservar';
    clasesOneRoster.value = clasesALineas(v.cursosOneRoster);
    moodleAlEliminar.value = v.moodleAlEliminar ?? 'suspender';
    filasCursos.replaceChildren();
    for (const f of cursosAFilas(v.cursos)) nuevaFila(f, { enfocar: false });
    incluida.c.checked = !v.plantillaEmail;
    propia.hidden = !v.plantillaEmail;
    asunto.value = v.plantillaEmail?.asunto ?? '';
    html.value = v.plantillaEmail?.html ?? '';
    textoPlano.value = v.plantillaEmail?.texto ?? '';
    incluidaRetorno.c.checked = !v.plantillaRetorno;
    propiaRetorno.hidden = !v.plantillaRetorno;
    asuntoRetorno.value = v.plantillaRetorno?.asunto ?? '';
    htmlRetorno.value = v.plantillaRetorno?.html ?? '';
    textoRetorno.value = v.plantillaRetorno?.texto ?? '';
    zona.value = v.zonaHoraria ?? '';
    const s = v.sincronizacion ?? {};
    activa.c.checked = !!s.activa;
    cron.value = s.cron ?? '';
    for (const f of fuentes) f.c.checked = (s.fuentes ?? []).includes(f.c.value);
    periodoSync.value = s.periodo ?? '';
    const a = v.alertas ?? {};
    destinatarios.value = (a.destinatarios ?? []).join('\n');
    umbralDiferencias.value = num(a.umbralDiferencias);
    incluidaAlerta.c.checked = !a.plantilla;
    propiaAlerta.hidden = !a.plantilla;
    asuntoAlerta.value = a.plantilla?.asunto ?? '';
    cuerpoAlerta.value = a.plantilla?.cuerpo ?? '';
    pintarVista();
    limpiarProblemas();
  }

  /**
   * The whole configuration as the form has it, over what was last shown (keys the form does not edit
   * survive), and the problems found before asking the server (a number left empty, a repeated row).
   */
  function leer() {
    const problemas = [];
    const n = (ruta, input, { nulo = false } = {}) => {
      if (input.value.trim() === '') {
        if (nulo) return null;
        problemas.push({ campo: ruta, mensaje: input.validity.badInput ? 'no es un número' : 'falta un número' });
        return null;
      }
      return Number(input.value);
    };
    const { cursos, problemas: enFilas } = filasACursos(leerFilas());
    for (const p of enFilas) problemas.push({ campo: 'cursos', mensaje: p.mensaje });
    const clases = lineasAClases(clasesOneRoster.value);
    for (const mensaje of clases.problemas) problemas.push({ campo: 'cursosOneRoster', mensaje });
    const alerta = leerDestinatarios(destinatarios.value);
    for (const mensaje of alerta.problemas) problemas.push({ campo: 'alertas.destinatarios', mensaje });
    const valores = {
      ...structuredClone(fondo),
      loteTamano: n('loteTamano', loteTamano),
      ausenciasParaBaja: n('ausenciasParaBaja', ausenciasParaBaja),
      umbralBajas: {
        porcentaje: n('umbralBajas.porcentaje', umbralPorcentaje),
        cantidad: n('umbralBajas.cantidad', umbralCantidad),
      },
      aprobacionNuevos: aprobacionNuevos.c.checked,
      limites: {
        graph: {
          rpm: n('limites.graph.rpm', graphRpm),
          writeRpm: n('limites.graph.writeRpm', graphWriteRpm, { nulo: true }),
        },
        moodle: { rpm: n('limites.moodle.rpm', moodleRpm) },
        smtp: { rpm: n('limites.smtp.rpm', smtpRpm) },
      },
      plantillaEmail: incluida.c.checked ? null : { asunto: asunto.value, html: html.value, texto: textoPlano.value },
      plantillaRetorno: incluidaRetorno.c.checked
        ? null
        : { asunto: asuntoRetorno.value, html: htmlRetorno.value, texto: textoRetorno.value },
      upn: { patron: patron.value.trim(), dominio: dominio.value.trim() },
      licenciaSku: sku.value.trim(),
      cursos,
      cursosAnteriores: cursosAnteriores.value,
      cursosOneRoster: clases.mapa,
      moodleAuth: moodleAuth.value,
      moodleAlEliminar: moodleAlEliminar.value,
      zonaHoraria: zona.value.trim(),
      sincronizacion: {
        activa: activa.c.checked,
        cron: cron.value.trim(),
        fuentes: fuentes.filter((f) => f.c.checked).map((f) => f.c.value),
        periodo: periodoSync.value.trim() || null,
      },
      alertas: {
        destinatarios: alerta.destinatarios,
        umbralDiferencias: n('alertas.umbralDiferencias', umbralDiferencias),
        plantilla: incluidaAlerta.c.checked ? null : { asunto: asuntoAlerta.value, cuerpo: cuerpoAlerta.value },
      },
    };
    return { valores, problemas };
  }

  function limpiarProblemas() {
    for (const { control, error } of campos.values()) {
      reemplazar(error);
      control.removeAttribute('aria-invalid');
    }
  }

  /**
   * Each problem beside its field (or the nearest one that contains it). Returns every problem with
   * where it went and the field's label, for the page's summary.
   */
  function mostrarProblemas(problemas) {
    limpiarProblemas();
    return ubicarProblemas(problemas, [...campos.keys()]).map((p) => {
      const c = p.campo ? campos.get(p.campo) : null;
      if (c) {
        // The message names the exact place when it is deeper than the field (a row of the table).
        const donde =
          p.ruta.replace(/^valores\./, '') !== p.campo && p.ruta ? `${p.ruta.replace(/^valores\./, '')}: ` : '';
        c.error.append(h('span', { class: 'mensaje' }, `${donde}${p.mensaje}`));
        c.control.setAttribute('aria-invalid', 'true');
      }
      return { ...p, etiqueta: c?.etiqueta ?? null, enfocar: c ? () => c.control.focus() : null };
    });
  }

  /** Which top-level keys an operator has set (GET /config's `fijadas`; absent: say nothing). */
  function ponerFijadas(fijadas) {
    const porSeccion = new Map();
    for (const [clave, slot] of fijadaDe) porSeccion.set(slot, [...(porSeccion.get(slot) ?? []), clave]);
    for (const [slot, claves] of porSeccion) {
      slot.hidden = !Array.isArray(fijadas);
      if (!Array.isArray(fijadas)) continue;
      reemplazar(
        slot,
        claves.map((k) => {
          const fijada = fijadas.includes(k);
          const soltable = fijada && alSoltar && !NO_SE_SUELTAN.includes(k);
          return [
            h(
              'span',
              { class: 'clave-estado', 'data-clave': k, 'data-fijada': String(fijada) },
              insignia(
                fijada ? `${k}: fijada por un operador` : `${k}: sin fijar, rige el entorno`,
                fijada ? 'info' : 'neutro',
              ),
            ),
            ' ',
            // The visible words start the accessible name: a section can hold two set keys.
            soltable
              ? h(
                  'button',
                  {
                    type: 'button',
                    class: 'secundario soltar',
                    'data-soltar': k,
                    'aria-label': `Volver al entorno: ${k}`,
                    onclick: () => alSoltar(k),
                  },
                  'Volver al entorno',
                )
              : null,
          ];
        }),
      );
    }
  }

  /** Focus on the section of `clave` (after its "Volver al entorno" button went away). */
  const enfocarSeccion = (clave) => seccionDe.get(clave)?.focus();

  return { el, poner, leer, mostrarProblemas, limpiarProblemas, ponerFijadas, enfocarSeccion };
}
