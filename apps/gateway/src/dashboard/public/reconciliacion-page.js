// Reconciliación: the runs that compared Lucy's registry with Entra ID and Moodle (GET /reconciliaciones),
// "Reconciliar ahora" for operators, and one run's report — the last, or the one in ?id= — with its
// differences per kind and, a page at a time, each difference filtered by kind and system. Orphans are
// only reported; the repair (reparacion-reconciliacion.js) is previewed before an operator starts it.
// While a run is en_curso the page reads it again every few seconds.
import { api, puede } from './api.js';
import { fecha, h, insignia, numero, reemplazar, siCambio } from './dom.js';
import { seccionReparacion, TIPO } from './reparacion-reconciliacion.js';

const ESTADO = { en_curso: ['En curso', 'info'], terminada: ['Terminada', 'bien'], fallida: ['Fallida', 'mal'] };
const SISTEMA = { entra: 'Entra ID', moodle: 'Moodle' };
const ESTADO_SISTEMA = { pendiente: 'esperando respuesta', terminada: 'respondió', fallida: 'falló' };
const POR_PAGINA = 25;
const REFRESCO_MS = 2000;

const estado = (e) => {
  const [texto, tono] = ESTADO[e] ?? [e, 'neutro'];
  return insignia(texto, tono);
};

export default async function reconciliacion(main, { avisar, consulta }) {
  const lista = h('div', { id: 'lista-reconciliaciones' }, h('p', {}, 'Cargando…'));
  const informe = h('section', { id: 'informe-reconciliacion', 'aria-labelledby': 't-informe' });
  main.append(
    h('h1', {}, 'Reconciliación'),
    h(
      'p',
      { class: 'ayuda' },
      'Compara lo que Lucy registró de cada alumno con lo que hay en Entra ID (cuenta, habilitación, licencia, datos) y en Moodle (usuario, inscripciones). Los huérfanos — cuentas o inscripciones que Lucy no creó — solo se informan, nunca se tocan. Reconciliar no cambia nada: reparar es una decisión aparte.',
    ),
  );
  if (puede('operator')) main.append(formularioInicio(avisar));
  main.append(
    h(
      'section',
      { 'aria-labelledby': 't-reconciliaciones' },
      h('h2', { id: 't-reconciliaciones' }, 'Ejecuciones'),
      lista,
    ),
    informe,
  );

  let elegido = consulta.get('id');
  const filtros = { tipo: '', sistema: '', offset: 0 };
  let enCurso = false;
  let pedidos = 0;
  let vista = null; // the report's parts, made once per run: a refresh fills them without losing focus or the preview

  const cargar = async () => {
    try {
      const r = await api('/reconciliaciones?limit=20');
      elegido ??= r.items[0]?.id ?? null;
      siCambio(lista, { r, elegido }, (el) => reemplazar(el, tablaEjecuciones(r, elegido)));
      enCurso = r.items.some((x) => x.estado === 'en_curso');
    } catch (err) {
      reemplazar(lista, h('p', { class: 'error', role: 'alert' }, err.message));
    }
    if (!elegido) return;
    try {
      const q = new URLSearchParams({ limit: String(POR_PAGINA), offset: String(filtros.offset) });
      if (filtros.tipo) q.set('tipo', filtros.tipo);
      if (filtros.sistema) q.set('sistema', filtros.sistema);
      const mio = ++pedidos;
      const d = await api(`/reconciliaciones/${elegido}?${q}`);
      if (mio !== pedidos) return; // a newer filter or page was asked for meanwhile: its answer shows
      enCurso ||= d.estado === 'en_curso';
      if (vista?.id !== d.id) vista = armarInforme(informe, d.id, filtros, cargar);
      const { items, ...resumen } = d;
      siCambio(vista.resumen, resumen, (el) => reemplazar(el, pintarResumen(d)));
      siCambio(vista.items, { items, filtros }, (el) => reemplazar(el, tablaItems(items), paginas(items)));
      siCambio(vista.reparacion, resumen, (el) => reemplazar(el, seccionReparacion(d, avisar, cargar)));
    } catch (err) {
      vista = null;
      reemplazar(
        informe,
        h('h2', { id: 't-informe' }, 'Informe'),
        h('p', { class: 'error', role: 'alert' }, err.message),
      );
    }
  };
  const paginas = (p) =>
    h(
      'div',
      { class: 'acciones' },
      h('span', { class: 'ayuda', id: 'total-diferencias' }, `${numero(p.total)} diferencias con este filtro`),
      filtros.offset > 0
        ? h(
            'button',
            { type: 'button', class: 'secundario', onclick: () => ((filtros.offset -= POR_PAGINA), cargar()) },
            '← Anteriores',
          )
        : null,
      filtros.offset + POR_PAGINA < p.total
        ? h(
            'button',
            { type: 'button', class: 'secundario', onclick: () => ((filtros.offset += POR_PAGINA), cargar()) },
            'Siguientes →',
          )
        : null,
    );

  const alPanel = () => void cargar();
  document.addEventListener('lucy:panel', alPanel);
  const reloj = setInterval(() => enCurso && void cargar(), REFRESCO_MS);
  await cargar();
  return () => {
    clearInterval(reloj);
    document.removeEventListener('lucy:panel', alPanel);
  };
}

function formularioInicio(avisar) {
  const reparar = h('input', { id: 'rec-reparar', type: 'checkbox', 'aria-describedby': 'ayuda-rec-reparar' });
  const boton = h('button', { type: 'submit' }, 'Reconciliar ahora');
  const form = h(
    'form',
    { class: 'tarjeta', 'aria-labelledby': 't-rec-iniciar' },
    h('h2', { id: 't-rec-iniciar' }, 'Reconciliar ahora'),
    h(
      'p',
      { class: 'campo' },
      reparar,
      ' ',
      h('label', { for: 'rec-reparar', class: 'en-linea' }, 'Reparar al terminar'),
    ),
    h(
      'p',
      { id: 'ayuda-rec-reparar', class: 'ayuda' },
      'Sin marcar, solo se informa: la reparación se decide después, viendo qué haría. Marcado, al terminar se inicia un workflow de reparación por alumno sin vista previa.',
    ),
    h('div', { class: 'acciones' }, boton),
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (reparar.checked && !confirm('¿Reconciliar y reparar al terminar, sin ver antes qué se haría?')) return;
    boton.disabled = true;
    try {
      const { id } = await api('/reconciliaciones', { method: 'POST', json: { reparar: reparar.checked } });
      avisar(`Reconciliación iniciada (${id.slice(0, 8)}).`);
      location.hash = `#/reconciliacion?id=${id}`;
    } catch (err) {
      avisar(`No se pudo reconciliar: ${err.message}`, 'error');
    } finally {
      boton.disabled = false;
    }
  });
  return form;
}

function tablaEjecuciones(r, elegido) {
  if (!r.items.length) return h('p', {}, 'Todavía no hubo ninguna reconciliación.');
  return h(
    'table',
    { class: 'tabla' },
    h('caption', { class: 'oculto' }, 'Reconciliaciones, la más reciente primero'),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ['Inicio', 'Estado', 'Quién', 'Diferencias', 'Reparación', ''].map((c) => h('th', { scope: 'col' }, c)),
      ),
    ),
    h(
      'tbody',
      {},
      r.items.map((x) =>
        h(
          'tr',
          { 'data-reconciliacion': x.id, 'aria-current': x.id === elegido ? 'true' : null },
          h('td', {}, fecha(x.inicio)),
          h('td', {}, estado(x.estado)),
          h('td', {}, x.actor),
          h(
            'td',
            { class: 'num' },
            x.estado === 'en_curso' ? `${numero(x.diferencias)} hasta ahora` : numero(x.diferencias),
          ),
          h('td', {}, reparacionCorta(x)),
          h(
            'td',
            {},
            x.id === elegido
              ? h('span', { class: 'ayuda' }, 'en pantalla')
              : h(
                  'a',
                  { href: `#/reconciliacion?id=${x.id}`, 'aria-label': `Ver el informe del ${fecha(x.inicio)}` },
                  'Ver informe',
                ),
          ),
        ),
      ),
    ),
  );
}

function reparacionCorta(x) {
  if (x.reparacion === 'iniciada') return 'iniciada';
  if (x.reparacion === 'pendiente' || (x.reparar && !x.simular && x.estado === 'en_curso')) return 'al terminar';
  return x.reparar && x.simular ? 'solo vista previa' : '—';
}

/** The report's frame for one run: heading, filters, and the regions a refresh fills. */
function armarInforme(seccion, id, filtros, recargar) {
  const resumen = h('div', { id: 'resumen-reconciliacion' });
  const items = h('div', { id: 'items-reconciliacion' });
  const reparacion = h('div', { id: 'reparacion-reconciliacion' });
  const tipo = h(
    'select',
    { id: 'rec-filtro-tipo', class: 'medio' },
    h('option', { value: '' }, '(todos)'),
    Object.entries(TIPO).map(([v, t]) => h('option', { value: v, selected: v === filtros.tipo }, t)),
  );
  const sistema = h(
    'select',
    { id: 'rec-filtro-sistema', class: 'medio' },
    h('option', { value: '' }, '(todos)'),
    Object.entries(SISTEMA).map(([v, t]) => h('option', { value: v, selected: v === filtros.sistema }, t)),
  );
  const cambiar = () => {
    filtros.tipo = tipo.value;
    filtros.sistema = sistema.value;
    filtros.offset = 0;
    void recargar();
  };
  tipo.addEventListener('change', cambiar);
  sistema.addEventListener('change', cambiar);
  reemplazar(
    seccion,
    h('h2', { id: 't-informe' }, `Informe de la reconciliación ${id.slice(0, 8)}`),
    resumen,
    h(
      'section',
      { 'aria-labelledby': 't-diferencias' },
      h('h3', { id: 't-diferencias' }, 'Diferencias'),
      h(
        'div',
        { class: 'acciones' },
        h('div', { class: 'campo' }, h('label', { for: tipo.id }, 'Tipo'), ' ', tipo),
        h('div', { class: 'campo' }, h('label', { for: sistema.id }, 'Sistema'), ' ', sistema),
      ),
      items,
    ),
    reparacion,
  );
  return { id, resumen, items, reparacion };
}

function pintarResumen(d) {
  const tipos = Object.entries(d.porTipo);
  return [
    h(
      'dl',
      { class: 'datos' },
      h('dt', {}, 'Estado'),
      h(
        'dd',
        { id: 'estado-reconciliacion' },
        estado(d.estado),
        d.estado === 'en_curso' ? ' (se actualiza sola)' : null,
      ),
      h('dt', {}, 'Iniciada'),
      h('dd', {}, `${fecha(d.inicio)} por ${d.actor}`),
      h('dt', {}, 'Terminó'),
      h('dd', {}, fecha(d.fin)),
      h('dt', {}, 'Alumnos comparados'),
      h('dd', {}, numero(d.alumnos)),
      h('dt', {}, 'Sistemas'),
      h(
        'dd',
        {},
        h(
          'ul',
          { class: 'sistemas' },
          Object.entries(d.sistemas).map(([s, x]) =>
            h(
              'li',
              { 'data-sistema': s },
              `${SISTEMA[s] ?? s}: ${ESTADO_SISTEMA[x.estado] ?? x.estado}`,
              x.revisados !== undefined ? ` · ${numero(x.revisados)} revisados` : null,
              x.completa === false ? ' · revisión parcial (solo los cambios desde la anterior)' : null,
              x.motivo ? h('span', { class: 'error' }, ` · ${x.motivo}`) : null,
            ),
          ),
        ),
      ),
    ),
    d.error ? h('p', { class: 'error', role: 'alert' }, d.error) : null,
    h(
      'table',
      { class: 'tabla', id: 'por-tipo' },
      h('caption', {}, `Diferencias por tipo: ${numero(d.diferencias)} en total`),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Tipo'), h('th', { scope: 'col' }, 'Cantidad'))),
      h(
        'tbody',
        {},
        tipos.length
          ? tipos.map(([t, n]) =>
              h(
                'tr',
                { 'data-tipo': t },
                h('th', { scope: 'row' }, TIPO[t] ?? t),
                h('td', { class: 'num' }, numero(n)),
              ),
            )
          : h(
              'tr',
              {},
              h('td', { colspan: 2 }, d.estado === 'en_curso' ? 'Todavía ninguna.' : 'Ninguna: todo coincide.'),
            ),
      ),
    ),
  ];
}

/** What was expected and what was found, in words: "campo: esperado → encontrado" for a profile. */
function comparacion(i) {
  if (i.tipo === 'datos_distintos' && i.esperado && i.encontrado) {
    const encontrado = new Map(i.encontrado.split('; ').map((p) => p.split(/=(.*)/s).slice(0, 2)));
    return h(
      'ul',
      { class: 'cambios' },
      i.esperado.split('; ').map((p) => {
        const [campo, valor] = p.split(/=(.*)/s);
        return h('li', {}, `${campo}: se esperaba «${valor}», hay «${encontrado.get(campo) ?? '—'}»`);
      }),
    );
  }
  if (i.tipo === 'huerfano') return `hay ${i.encontrado ?? i.referencia}; Lucy no lo creó`;
  const esperado = i.esperado ?? '—';
  return i.encontrado === null ? `se esperaba ${esperado}; no está` : `se esperaba ${esperado}; hay ${i.encontrado}`;
}

function tablaItems(p) {
  if (!p.items.length) return h('p', {}, 'Ninguna diferencia con este filtro.');
  return h(
    'table',
    { class: 'tabla', id: 'tabla-diferencias' },
    h('caption', { class: 'oculto' }, 'Diferencias encontradas'),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ['Alumno', 'Sistema', 'Tipo', 'Esperado y encontrado', 'Reparación'].map((c) => h('th', { scope: 'col' }, c)),
      ),
    ),
    h(
      'tbody',
      {},
      p.items.map((i) =>
        h(
          'tr',
          { 'data-tipo': i.tipo, 'data-sistema': i.sistema },
          h(
            'td',
            {},
            i.alumno
              ? h('a', { href: `#/alumnos/${i.alumno}`, title: 'Ver la ficha del alumno' }, i.referencia)
              : i.referencia,
          ),
          h('td', {}, SISTEMA[i.sistema] ?? i.sistema),
          h('td', {}, insignia(TIPO[i.tipo] ?? i.tipo, i.tipo === 'huerfano' ? 'neutro' : 'alerta')),
          h('td', {}, comparacion(i)),
          h(
            'td',
            {},
            i.tipo === 'huerfano' || !i.alumno
              ? 'solo se informa'
              : i.workflowId
                ? h('a', { href: `#/alumnos/${i.alumno}` }, 'iniciada')
                : '—',
          ),
        ),
      ),
    ),
  );
}
