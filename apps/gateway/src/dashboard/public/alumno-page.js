// One student: their data and accounts, their workflow as a timeline of steps, the audit trail, and the
// actions an operator may run. Refreshed on every event of the live stream.
import { api, puede } from './api.js';
// The steps (with their labels, and which undo which) and the actions come with the student, from the
// saga's step table: nothing here lists them.
import { ESTADO_PASO, ESTADO_WORKFLOW, fecha, h, insignia, reemplazar, siCambio, tonoDe } from './dom.js';

/** The UPN, and, for an account a failed attempt left in Entra, what became of it (the saga deletes it). */
function upnConEstado(f) {
  const paso = (nombre) => f.workflow.pasos.find((p) => p.paso === nombre);
  const cuenta = paso('cuenta');
  if (!f.cuentas.upn || cuenta?.estado !== 'fallido') return f.cuentas.upn;
  const deshacer = paso('eliminar_cuenta')?.estado;
  const destino =
    { completado: 'eliminada', omitido: 'adoptada por un reintento', fallido: 'todavía sin eliminar' }[deshacer] ??
    'eliminándose';
  return `${f.cuentas.upn} — la dejó el intento fallido${cuenta.detalle?.deshabilitada ? ', deshabilitada' : ''}; ${destino}`;
}

export default async function alumno(main, { params: [id], avisar }) {
  const cuerpo = h('div', { id: 'ficha' }, h('p', {}, 'Cargando…'));
  const titulo = h('h1', {}, 'Alumno');
  main.append(h('p', { class: 'migas' }, h('a', { href: '#/alumnos' }, 'Alumnos'), ' › ficha'), titulo, cuerpo);

  const cargar = async () => {
    try {
      const f = await api(`/alumnos/${id}`);
      reemplazar(titulo, `${f.alumno?.nombre ?? ''} ${f.alumno?.apellido ?? ''}`.trim() || id);
      siCambio(cuerpo, f, (el) => reemplazar(el, ficha(f, avisar, cargar)));
    } catch (err) {
      reemplazar(cuerpo, h('p', { class: 'error', role: 'alert' }, err.message));
    }
  };
  const alPanel = () => void cargar();
  document.addEventListener('lucy:panel', alPanel);
  await cargar();
  return () => document.removeEventListener('lucy:panel', alPanel);
}

function ficha(f, avisar, recargar) {
  const a = f.alumno ?? {};
  const w = f.workflow;
  const dato = (t, v) => [h('dt', {}, t), h('dd', {}, v ?? '—')];
  const correr = async (accion, etiqueta) => {
    if (
      accion === 'desaprovisionar' &&
      !confirm('¿Desaprovisionar? Se eliminan la cuenta y las matrículas del alumno.')
    )
      return;
    try {
      const r = await api(`/alumnos/${f.alumnoId}/acciones/${accion}`, { method: 'POST' });
      avisar(`${etiqueta}: iniciado${r.comandos?.length ? ` (${r.comandos.join(', ')})` : ''}.`);
      await recargar();
    } catch (err) {
      avisar(`${etiqueta}: ${err.message}`, 'error');
    }
  };
  return [
    h(
      'section',
      { class: 'tarjeta', 'aria-labelledby': 't-datos' },
      h('h2', { id: 't-datos' }, 'Datos y cuentas'),
      h(
        'dl',
        { class: 'datos' },
        dato('DNI', a.dni),
        dato('Carrera', a.carrera),
        dato('Estado en SIAL', a.estado),
        dato('Periodo', a.periodo),
        dato('Email personal', a.emailPersonal),
        dato('Email institucional', a.emailInstitucional),
        dato('UPN (Microsoft 365)', upnConEstado(f)),
        dato('Usuario de Moodle', f.cuentas.moodleUserId),
        dato('Cursos', f.cuentas.cursos.join(', ') || null),
      ),
    ),
    h(
      'section',
      { 'aria-labelledby': 't-recorrido' },
      h('h2', { id: 't-recorrido' }, 'Recorrido del onboarding'),
      h(
        'p',
        {},
        'Estado: ',
        insignia(ESTADO_WORKFLOW[w.estado] ?? w.estado, tonoDe(w.estado)),
        w.atascado ? [' ', insignia('atascado', 'mal')] : null,
        ` · iniciado ${fecha(w.creadoAt)}`,
        w.terminadoAt ? ` · terminado ${fecha(w.terminadoAt)}` : '',
      ),
      w.error ? h('p', { class: 'error' }, `Error: ${w.error}`) : null,
      w.avisos?.length
        ? h(
            'ul',
            { class: 'avisos-workflow' },
            w.avisos.map((x) => h('li', {}, `Aviso: ${x}`)),
          )
        : null,
      h(
        'ol',
        { class: 'linea-tiempo', id: 'pasos' },
        // The undo steps only once an undo has started: on a healthy workflow they are noise.
        w.pasos
          .filter((p) => !(p.deshace && p.estado === 'pendiente'))
          .map((p) =>
            h(
              'li',
              { class: `paso ${tonoDe(p.estado)}`, 'data-paso': p.paso, 'data-estado': p.estado },
              h('span', { class: 'hito', 'aria-hidden': 'true' }),
              h(
                'div',
                {},
                h('strong', {}, p.etiqueta ?? p.paso),
                ' — ',
                insignia(ESTADO_PASO[p.estado] ?? p.estado, tonoDe(p.estado)),
              ),
              h(
                'div',
                { class: 'ayuda' },
                [
                  p.inicio ? `inicio ${fecha(p.inicio)}` : null,
                  p.fin ? `fin ${fecha(p.fin)}` : null,
                  p.intentos ? `${p.intentos} intento${p.intentos === 1 ? '' : 's'}` : null,
                ]
                  .filter(Boolean)
                  .join(' · '),
              ),
              p.ultimoError ? h('div', { class: 'error' }, p.ultimoError) : null,
            ),
          ),
      ),
    ),
    puede('operator')
      ? h(
          'section',
          { 'aria-labelledby': 't-acciones' },
          h('h2', { id: 't-acciones' }, 'Acciones'),
          h(
            'div',
            { class: 'acciones' },
            (f.acciones ?? []).map(({ accion, etiqueta }) =>
              h(
                'button',
                {
                  type: 'button',
                  class: accion === 'desaprovisionar' ? 'peligro' : 'secundario',
                  onclick: () => correr(accion, etiqueta),
                },
                etiqueta,
              ),
            ),
          ),
        )
      : null,
    cicloDe(f),
    puede('operator') ? inscripcion(f, avisar, recargar) : null,
    h(
      'section',
      { 'aria-labelledby': 't-auditoria' },
      h('h2', { id: 't-auditoria' }, 'Auditoría'),
      f.auditoria.length
        ? h(
            'ol',
            { class: 'auditoria', id: 'auditoria' },
            f.auditoria.map((e) =>
              h(
                'li',
                {},
                h('time', { dateTime: e.at }, fecha(e.at)),
                ' ',
                h('strong', {}, e.evento),
                ` por ${e.actor}`,
                e.detalle && Object.keys(e.detalle).length
                  ? h('details', {}, h('summary', {}, 'Detalle'), h('pre', {}, JSON.stringify(e.detalle, null, 2)))
                  : null,
              ),
            ),
          )
        : h('p', {}, 'Sin registros.'),
    ),
  ];
}

/** The student's stay after onboarding: each lifecycle workflow (a change, a leave, a return, courses) with its steps. */
function cicloDe(f) {
  const ciclo = f.ciclo ?? [];
  return h(
    'section',
    { class: 'tarjeta', 'aria-labelledby': 't-ciclo' },
    h('h2', { id: 't-ciclo' }, 'Ciclo del alumno'),
    ciclo.length
      ? h(
          'ol',
          { class: 'ciclo', id: 'ciclo' },
          ciclo.map((w) =>
            h(
              'li',
              { 'data-tipo': w.tipo, 'data-estado': w.estado },
              h('strong', {}, w.etiqueta),
              w.motivo ? ` (${w.motivo})` : '',
              ' — ',
              insignia(w.estado.replaceAll('_', ' '), tonoDe(w.estado)),
              w.atascado ? [' ', insignia('atascado', 'mal')] : null,
              ` · ${fecha(w.creadoAt)}`,
              w.estado === 'suspendido' && w.venceAt ? ` · la cuenta se elimina el ${fecha(w.venceAt)}` : '',
              w.avisos?.length
                ? h(
                    'ul',
                    {},
                    w.avisos.map((a) => h('li', {}, `Aviso: ${a}`)),
                  )
                : null,
              h(
                'ul',
                { class: 'ayuda' },
                w.pasos
                  .filter((p) => p.estado !== 'pendiente')
                  .map((p) =>
                    h(
                      'li',
                      {},
                      `${p.etiqueta}: ${ESTADO_PASO[p.estado] ?? p.estado}`,
                      p.ultimoError ? ` — ${p.ultimoError}` : '',
                    ),
                  ),
              ),
            ),
          ),
        )
      : h('p', {}, 'Sin cambios desde el onboarding.'),
  );
}

/** An operator enrols the student in a list of Moodle courses, all or none. */
function inscripcion(f, avisar, recargar) {
  const campo = h('input', { id: 'cursos', name: 'cursos', placeholder: 'BIO-101, QUI-101', autocomplete: 'off' });
  const enviar = async (ev) => {
    ev.preventDefault();
    const cursos = campo.value
      .split(',')
      .map((c) => c.trim())
      .filter(Boolean);
    try {
      await api(`/alumnos/${f.alumnoId}/inscripciones`, { method: 'POST', json: { cursos } });
      avisar(`Inscripción en ${cursos.join(', ')}: iniciada (todos o ninguno).`);
      campo.value = '';
      await recargar();
    } catch (err) {
      avisar(`Inscripción: ${err.message}`, 'error');
    }
  };
  return h(
    'section',
    { 'aria-labelledby': 't-inscripcion' },
    h('h2', { id: 't-inscripcion' }, 'Inscribir en cursos'),
    h(
      'form',
      { onsubmit: enviar },
      h('label', { for: 'cursos' }, 'Cursos de Moodle (nombres cortos, separados por comas)'),
      ' ',
      campo,
      ' ',
      h('button', { type: 'submit', class: 'secundario' }, 'Inscribir'),
    ),
  );
}
