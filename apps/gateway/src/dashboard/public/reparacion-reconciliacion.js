// The repair of a finished reconciliation, on its report: first what it would do (POST …/reparar with
// simular: which workflow and which of its steps each student gets, and what is left alone — orphans are
// only reported), then, confirmed, the same POST without simular starts it. After that its result (or, for
// a run started with «reparar al terminar», that it waits to finish) is shown; students it refused can be
// repaired again from there — the same POST starts only what no workflow repairs yet.
import { api, puede } from './api.js';
import { fecha, h, insignia, numero, reemplazar } from './dom.js';

/** Every kind of difference, in words. */
export const TIPO = {
  cuenta_faltante: 'Cuenta faltante',
  cuenta_deshabilitada: 'Cuenta deshabilitada',
  cuenta_habilitada: 'Cuenta habilitada (debería estar suspendida)',
  licencia_faltante: 'Sin licencia',
  datos_distintos: 'Datos distintos',
  moodle_usuario_faltante: 'Usuario de Moodle faltante',
  inscripcion_faltante: 'Inscripción faltante',
  huerfano: 'Huérfano (solo se informa)',
};

/** What a repair puts right when it was found on the Moodle user (a kind Entra reports too: moodle:<kind>). */
const REPARO = {
  'moodle:cuenta_deshabilitada': 'Usuario de Moodle suspendido',
  'moodle:cuenta_habilitada': 'Usuario de Moodle activo (debería estar suspendido)',
  'moodle:datos_distintos': 'Datos distintos en Moodle',
};

/** The reparacion workflow's steps, as the lifecycle names them (ciclo.pasos.ts). */
const PASO = {
  habilitar_cuenta: 'Habilitar la cuenta',
  suspender_cuenta: 'Deshabilitar la cuenta',
  suspender_moodle: 'Suspender el usuario de Moodle',
  actualizar_cuenta: 'Actualizar la cuenta de Microsoft 365',
  reactivar_moodle: 'Reactivar el usuario de Moodle',
  actualizar_moodle: 'Actualizar el usuario de Moodle',
  inscribir_cursos: 'Inscribir en los cursos pedidos',
};

const alumnoLink = (id, texto = `alumno ${id.slice(0, 8)}`) => h('a', { href: `#/alumnos/${id}` }, texto);

/** The repair's part of a run's report; `d` is GET /reconciliaciones/{id}. */
export function seccionReparacion(d, avisar, recargar) {
  const hecho = d.resultadoReparacion;
  if (d.reparacion === 'iniciada' && hecho) return resultado(hecho, d, avisar, recargar);
  if (d.reparacion === 'iniciada') return parrafo('La reparación se está iniciando…');
  if (d.reparacion === 'pendiente' || (d.reparar && !d.simular && d.estado === 'en_curso'))
    return parrafo('Se pidió reparar al terminar: la reparación empieza sola cuando la reconciliación termine.');
  if (d.estado !== 'terminada') return null;
  const reparables = Object.entries(d.porTipo).some(([t, n]) => t !== 'huerfano' && n > 0);
  if (!reparables) return parrafo(d.diferencias ? 'Nada que reparar: solo hay huérfanos, que solo se informan.' : null);
  if (!puede('operator')) return parrafo('Un operador puede reparar estas diferencias.');

  const vista = h('div', { id: 'vista-reparacion', 'aria-live': 'polite' });
  const ver = h('button', { type: 'button', id: 'ver-reparacion' }, 'Reparar…');
  ver.addEventListener('click', async () => {
    ver.disabled = true;
    try {
      const plan = await api(`/reconciliaciones/${d.id}/reparar`, { method: 'POST', json: { simular: true } });
      reemplazar(
        vista,
        vistaPrevia(d, plan, avisar, recargar, () => (reemplazar(vista), (ver.disabled = false))),
      );
      vista.querySelector('h4')?.focus();
    } catch (err) {
      avisar(`No se pudo preparar la reparación: ${err.message}`, 'error');
      ver.disabled = false;
    }
  });
  return h(
    'section',
    { class: 'tarjeta', 'aria-labelledby': 't-reparacion' },
    h('h3', { id: 't-reparacion' }, 'Reparar'),
    h(
      'p',
      { class: 'ayuda' },
      'Primero se muestra qué se haría: un workflow de reparación por alumno, con solo los pasos que sus diferencias necesitan. Nada cambia hasta confirmarlo.',
    ),
    h('div', { class: 'acciones' }, ver),
    vista,
  );
}

const parrafo = (texto) => (texto ? h('p', { class: 'ayuda', id: 'estado-reparacion' }, texto) : null);

function vistaPrevia(d, plan, avisar, recargar, cancelar) {
  const confirmar = h('button', { type: 'button', id: 'confirmar-reparacion' }, 'Confirmar e iniciar la reparación');
  confirmar.disabled = !plan.alumnos.length;
  confirmar.addEventListener('click', async () => {
    confirmar.disabled = true;
    try {
      const r = await api(`/reconciliaciones/${d.id}/reparar`, { method: 'POST', json: {} });
      avisar(
        `Reparación iniciada: ${numero(r.iniciados)} workflow${r.iniciados === 1 ? '' : 's'}${r.rechazados ? `, ${numero(r.rechazados)} rechazados` : ''}.`,
        r.rechazados ? 'error' : 'ok',
      );
      await recargar();
    } catch (err) {
      avisar(`No se pudo reparar: ${err.message}`, 'error');
      confirmar.disabled = false;
    }
  });
  return [
    h(
      'h4',
      { tabindex: -1 },
      `Vista previa: ${numero(plan.alumnos.length)} alumno${plan.alumnos.length === 1 ? '' : 's'} a reparar`,
    ),
    tablaAlumnos(plan.alumnos, 'Qué haría la reparación, por alumno', false),
    tablaSinReparar(plan.sinReparar),
    h(
      'div',
      { class: 'acciones' },
      confirmar,
      h('button', { type: 'button', class: 'secundario', onclick: cancelar }, 'Cancelar'),
    ),
  ];
}

function tablaAlumnos(alumnos, titulo, conResultado) {
  if (!alumnos.length) return h('p', {}, 'Ningún alumno a reparar.');
  return h(
    'table',
    { class: 'tabla', id: conResultado ? 'resultado-reparacion' : 'plan-reparacion' },
    h('caption', {}, titulo),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ['Alumno', 'Workflow', 'Pasos', 'Qué repara', ...(conResultado ? ['Resultado'] : [])].map((c) =>
          h('th', { scope: 'col' }, c),
        ),
      ),
    ),
    h(
      'tbody',
      {},
      alumnos.map((a) =>
        h(
          'tr',
          { 'data-alumno': a.alumnoId },
          h('td', {}, alumnoLink(a.alumnoId)),
          h('td', {}, a.workflow === 'reparacion' ? 'Reparación (reconciliación)' : a.workflow),
          h(
            'td',
            {},
            h(
              'ol',
              { class: 'pasos-reparacion' },
              a.pasos.map((p) => h('li', {}, PASO[p] ?? p)),
            ),
          ),
          h(
            'td',
            {},
            a.reparar.map((t) => REPARO[t] ?? TIPO[t] ?? t).join(', '),
            a.cursos.length ? ` (cursos: ${a.cursos.join(', ')})` : null,
          ),
          conResultado
            ? h(
                'td',
                {},
                a.iniciado ? insignia('iniciado', 'bien') : insignia('rechazado', 'mal'),
                a.motivo ? ` ${a.motivo}` : null,
              )
            : null,
        ),
      ),
    ),
  );
}

function tablaSinReparar(sinReparar) {
  if (!sinReparar.length) return null;
  return h(
    'table',
    { class: 'tabla', id: 'sin-reparar' },
    h('caption', {}, `No se tocan (${numero(sinReparar.length)}): solo se informa`),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ['Qué', 'Tipo', 'Por qué'].map((c) => h('th', { scope: 'col' }, c)),
      ),
    ),
    h(
      'tbody',
      {},
      sinReparar.map((s) =>
        h(
          'tr',
          { 'data-tipo': s.tipo },
          h('td', {}, s.alumnoId ? alumnoLink(s.alumnoId, s.referencia) : s.referencia),
          h('td', {}, TIPO[s.tipo] ?? s.tipo),
          h('td', {}, s.motivo),
        ),
      ),
    ),
  );
}

function resultado(r, d, avisar, recargar) {
  return h(
    'section',
    { class: 'tarjeta', 'aria-labelledby': 't-reparacion' },
    h('h3', { id: 't-reparacion' }, 'Reparación'),
    h(
      'p',
      { id: 'estado-reparacion' },
      `Iniciada por ${r.actor ?? '—'} el ${fecha(r.at)}: ${numero(r.iniciados)} iniciados, ${numero(r.rechazados)} rechazados. `,
      'Cada workflow se sigue en la ficha de su alumno.',
    ),
    tablaAlumnos(r.alumnos ?? [], 'Workflows de reparación', true),
    tablaSinReparar(r.sinReparar ?? []),
    r.rechazados && puede('operator') ? seguir(d, avisar, recargar) : null,
  );
}

/** Repairs what is left (students refused before): only what no workflow repairs yet is started. */
function seguir(d, avisar, recargar) {
  const boton = h('button', { type: 'button', id: 'seguir-reparacion' }, 'Reparar lo que falta');
  boton.addEventListener('click', async () => {
    boton.disabled = true;
    try {
      const r = await api(`/reconciliaciones/${d.id}/reparar`, { method: 'POST', json: {} });
      avisar(
        `Reparación retomada: ${numero(r.iniciados)} workflow${r.iniciados === 1 ? '' : 's'} más${r.rechazados ? `, ${numero(r.rechazados)} rechazados` : ''}.`,
        r.rechazados ? 'error' : 'ok',
      );
      await recargar();
    } catch (err) {
      avisar(`No se pudo reparar: ${err.message}`, 'error');
      boton.disabled = false;
    }
  });
  return h(
    'div',
    { class: 'acciones' },
    h(
      'p',
      { class: 'ayuda' },
      'A los rechazados (por un ciclo en curso, por ejemplo) se los puede reparar cuando ese ciclo termine: solo se inicia lo que todavía no tiene su workflow.',
    ),
    boton,
  );
}
