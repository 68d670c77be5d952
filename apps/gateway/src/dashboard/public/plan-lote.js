// A lote's plan on the Lotes page: what a dry run (or a lote the safeguard held) would do, per action and
// per student, and the buttons that confirm (or approve) or drop it. The items are read when the operator
// unfolds them, a page at a time, filtered by action.
import { api, puede } from './api.js';
import { fecha, h, insignia, numero, reemplazar } from './dom.js';

const ACCIONES = [
  ['crear', 'crear', 'a crear'],
  ['actualizar', 'actualizar', 'a actualizar'],
  ['suspender', 'suspender', 'a suspender'],
  ['retornar', 'retornar', 'que vuelven'],
  ['ninguna', 'ninguna', 'sin cambios'],
  ['invalidas', 'invalida', 'filas inválidas'],
  ['bajasDesconocidas', 'baja_desconocida', 'de baja sin registrar'],
];
const ETIQUETA = {
  crear: 'Crear',
  actualizar: 'Actualizar',
  suspender: 'Suspender',
  retornar: 'Retornar',
  ninguna: 'Nada',
  invalida: 'Inválida',
  baja_desconocida: 'Baja sin registrar',
};
const RESOLUCION = { confirmado: 'Confirmado', aprobado: 'Aprobado', descartado: 'Descartado' };
const POR_PAGINA = 50;

/** The plan's section of a lote's card; null when the lote has none. */
export function seccionPlan(l, avisar, recargar) {
  const p = l.plan;
  if (!p) return null;
  const espera = l.estado === 'simulado' || l.estado === 'esperando_aprobacion';
  const conteos = ACCIONES.filter(([clave]) => p.acciones[clave]).map(
    ([clave, , texto]) => `${numero(p.acciones[clave])} ${texto}`,
  );
  if (p.acciones.enEspera) conteos.push(`${numero(p.acciones.enEspera)} esperarán aprobación`);
  return h(
    'div',
    { class: 'plan-lote', 'data-plan': l.id },
    h('p', {}, h('strong', {}, p.simulado ? 'Plan (simulación): ' : 'Plan: '), conteos.join(' · ') || 'nada que hacer'),
    p.retencion
      ? h(
          'p',
          { class: p.simulado ? 'aviso-en-linea alerta' : 'error', role: p.simulado ? null : 'alert' },
          p.simulado
            ? `Al aplicarse, esperaría aprobación: ${p.retencion.motivo}. Confirmarlo es aprobarlo.`
            : `Retenido: ${p.retencion.motivo}.`,
        )
      : null,
    p.completo
      ? null
      : h('p', { class: 'ayuda' }, `Recibiendo el plan: ${numero(p.recibidos)} de ${numero(p.items)} filas…`),
    p.resolucion
      ? h(
          'p',
          { class: 'ayuda' },
          `${RESOLUCION[p.resolucion.accion] ?? p.resolucion.accion} por ${p.resolucion.por} el ${fecha(p.resolucion.at)}`,
        )
      : null,
    detallePlan(l),
    espera && puede('operator') ? botones(l, avisar, recargar) : null,
  );
}

function botones(l, avisar, recargar) {
  const simulado = l.estado === 'simulado';
  const [ruta, etiqueta] = simulado ? ['confirmar', 'Confirmar y aplicar'] : ['aprobar', 'Aprobar y aplicar'];
  const resolver = (accion, texto) => async (e) => {
    const pregunta =
      accion === 'descartar'
        ? '¿Descartar este plan? No se aplicará nada de él.'
        : `¿${texto}? Se hará exactamente lo que muestra el plan (${numero(l.plan.acciones.suspender)} suspensiones, ${numero(l.plan.acciones.crear)} altas).`;
    if (!confirm(pregunta)) return;
    e.target.disabled = true;
    try {
      await api(`/lotes/${l.id}/${accion}`, { method: 'POST', json: {} });
      avisar(accion === 'descartar' ? 'Plan descartado.' : 'Plan confirmado: se está aplicando.');
      await recargar();
    } catch (err) {
      avisar(`No se pudo: ${err.message}`, 'error');
      e.target.disabled = false;
    }
  };
  return h(
    'div',
    { class: 'acciones' },
    h(
      'button',
      { type: 'button', onclick: resolver(ruta, etiqueta), disabled: !l.plan.completo, 'data-accion': ruta },
      etiqueta,
    ),
    h(
      'button',
      { type: 'button', class: 'secundario', onclick: resolver('descartar', 'Descartar'), 'data-accion': 'descartar' },
      'Descartar',
    ),
  );
}

/** The plan's students, read when unfolded: a table a page at a time, filtered by action. */
function detallePlan(l) {
  const cuerpo = h('div', {}, h('p', {}, 'Cargando…'));
  const filtro = h(
    'select',
    { id: `plan-accion-${l.id}`, class: 'medio' },
    h('option', { value: '' }, '(todas)'),
    ACCIONES.map(([, accion]) => h('option', { value: accion }, ETIQUETA[accion])),
  );
  let offset = 0;
  const cargar = async () => {
    const q = new URLSearchParams({ limit: String(POR_PAGINA), offset: String(offset) });
    if (filtro.value) q.set('accion', filtro.value);
    try {
      const pagina = await api(`/lotes/${l.id}/plan?${q}`);
      reemplazar(cuerpo, tablaPlan(pagina), paginas(pagina));
    } catch (err) {
      reemplazar(cuerpo, h('p', { class: 'error', role: 'alert' }, err.message));
    }
  };
  const paginas = (pagina) =>
    h(
      'div',
      { class: 'acciones' },
      h('span', { class: 'ayuda' }, `${numero(pagina.total)} filas`),
      offset > 0
        ? h(
            'button',
            { type: 'button', class: 'secundario', onclick: () => ((offset -= POR_PAGINA), cargar()) },
            '← Anteriores',
          )
        : null,
      offset + POR_PAGINA < pagina.total
        ? h(
            'button',
            { type: 'button', class: 'secundario', onclick: () => ((offset += POR_PAGINA), cargar()) },
            'Siguientes →',
          )
        : null,
    );
  filtro.addEventListener('change', () => ((offset = 0), cargar()));
  const detalles = h(
    'details',
    { class: 'detalle-plan' },
    h('summary', {}, 'Ver el plan por alumno'),
    h('div', { class: 'campo' }, h('label', { for: filtro.id }, 'Acción'), filtro),
    cuerpo,
  );
  detalles.addEventListener('toggle', () => detalles.open && cargar());
  return detalles;
}

function tablaPlan(pagina) {
  if (!pagina.items.length) return h('p', {}, 'Ninguna fila.');
  return h(
    'table',
    { class: 'tabla' },
    h('caption', { class: 'oculto' }, 'Plan del lote por alumno'),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ['Fila', 'DNI', 'Alumno', 'Acción', 'Qué cambia', 'Cursos y efectos'].map((t) => h('th', { scope: 'col' }, t)),
      ),
    ),
    h(
      'tbody',
      {},
      pagina.items.map((i) =>
        h(
          'tr',
          { 'data-accion': i.accion },
          h('td', {}, i.fila ? `${i.fuente} ${i.fila}` : `${i.fuente} (ausente)`),
          h('td', {}, i.dni ?? '—'),
          h('td', {}, [i.apellido, i.nombre].filter(Boolean).join(', ') || '—'),
          h(
            'td',
            {},
            insignia(
              ETIQUETA[i.accion] ?? i.accion,
              { suspender: 'mal', crear: 'bien', actualizar: 'info' }[i.accion] ?? 'neutro',
            ),
            i.motivo ? ` (${i.motivo})` : null,
            i.enEspera ? [' ', insignia('espera aprobación', 'alerta')] : null,
          ),
          h(
            'td',
            {},
            i.motivos.length
              ? i.motivos.join('; ')
              : i.cambios.map((c) => `${c.campo}: ${c.antes ?? '—'} → ${c.despues ?? '—'}`).join('; ') || '—',
          ),
          h('td', { class: 'ayuda' }, i.efectos.join('; ') || '—'),
        ),
      ),
    ),
  );
}
