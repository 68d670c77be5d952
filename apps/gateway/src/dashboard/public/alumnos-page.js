// Student search: free text (name, DNI, email, UPN), workflow state, lote; each result opens the
// student's timeline. The search lives in the URL, so a result can be linked and the back button works.
// An operator selects students (or every one the search finds) and runs an action on them at once
// (POST /api/v1/acciones): select, then act. New students waiting for approval are found with the state
// «Pendiente de aprobación», with Aprobar already chosen.
import { api, puede } from './api.js';
import { ESTADO_WORKFLOW, h, insignia, numero, reemplazar, tonoDe } from './dom.js';

const ESTADOS = [
  'creando_cuenta',
  'enrolando_y_notificando',
  'completado',
  'completado_con_avisos',
  'fallido',
  'compensando',
  'compensado',
  'compensacion_fallida',
  'pendiente_aprobacion',
  'aprobado',
];
const POR_PAGINA = 25;

export default async function alumnos(main, { consulta }) {
  const q = consulta.get('q') ?? '';
  const workflow = consulta.get('workflow') ?? '';
  const loteId = consulta.get('loteId') ?? '';
  const offset = Number(consulta.get('offset') ?? 0) || 0;
  const resultados = h('div', { id: 'resultados', 'aria-live': 'polite' }, h('p', {}, 'Buscando…'));

  const texto = h('input', {
    id: 'buscar-q',
    name: 'q',
    type: 'search',
    value: q,
    placeholder: 'nombre, DNI, email o UPN',
  });
  const estado = h(
    'select',
    { id: 'buscar-workflow', name: 'workflow' },
    h('option', { value: '' }, '(cualquiera)'),
    ESTADOS.map((e) => h('option', { value: e, selected: e === workflow }, ESTADO_WORKFLOW[e])),
  );
  const ir = (extra = {}) => {
    const p = new URLSearchParams();
    if (texto.value.trim()) p.set('q', texto.value.trim());
    if (estado.value) p.set('workflow', estado.value);
    if (loteId) p.set('loteId', loteId);
    for (const [k, v] of Object.entries(extra)) p.set(k, String(v));
    location.hash = `#/alumnos?${p}`;
  };
  main.append(
    h('h1', {}, 'Alumnos'),
    h(
      'form',
      { class: 'tarjeta buscador', role: 'search', onsubmit: (e) => (e.preventDefault(), ir()) },
      h('div', { class: 'campo' }, h('label', { for: 'buscar-q' }, 'Buscar'), texto),
      h('div', { class: 'campo' }, h('label', { for: 'buscar-workflow' }, 'Estado del workflow'), estado),
      loteId
        ? h(
            'p',
            { class: 'ayuda' },
            `Solo del lote ${loteId.slice(0, 8)}… `,
            h('a', { href: '#/alumnos' }, 'quitar filtro'),
          )
        : null,
      h('button', { type: 'submit' }, 'Buscar'),
    ),
    resultados,
  );

  const p = new URLSearchParams({ limit: String(POR_PAGINA), offset: String(offset) });
  if (q) p.set('q', q);
  if (workflow) p.set('workflow', workflow);
  if (loteId) p.set('loteId', loteId);
  try {
    const pagina = await api(`/alumnos?${p}`);
    const elegidos = new Set();
    const barra = puede('operator')
      ? await barraDeAcciones(elegidos, pagina.total, { q, workflow, loteId }, (msg, tipo) =>
          reemplazar(aviso, h('p', { class: tipo === 'error' ? 'error' : 'ok', role: 'status' }, msg)),
        )
      : null;
    const aviso = h('div', { id: 'aviso-acciones', 'aria-live': 'polite' });
    const marcar = (id, si) => {
      if (si) elegidos.add(id);
      else elegidos.delete(id);
      barra?.actualizar();
    };
    const casillas = pagina.items.map((a) =>
      h('input', {
        type: 'checkbox',
        'aria-label': `Elegir a ${a.apellido ?? ''}, ${a.nombre ?? ''}`,
        'data-alumno': a.alumnoId,
        onchange: (e) => marcar(a.alumnoId, e.target.checked),
      }),
    );
    const todos = h('input', {
      type: 'checkbox',
      id: 'elegir-pagina',
      'aria-label': 'Elegir todos los de esta página',
      onchange: (e) => {
        for (const c of casillas) {
          c.checked = e.target.checked;
          marcar(c.dataset.alumno, c.checked);
        }
      },
    });
    reemplazar(
      resultados,
      h(
        'p',
        {},
        `${numero(pagina.total)} alumno${pagina.total === 1 ? '' : 's'}${pagina.total > POR_PAGINA ? ` (del ${offset + 1} al ${Math.min(offset + POR_PAGINA, pagina.total)})` : ''}`,
      ),
      barra?.el ?? null,
      aviso,
      pagina.items.length
        ? h(
            'table',
            { class: 'tabla' },
            h('caption', { class: 'oculto' }, 'Resultados de la búsqueda'),
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                barra ? h('th', { scope: 'col' }, todos) : null,
                ['Alumno', 'DNI', 'Carrera', 'Estado', 'UPN', 'Avisos'].map((t) => h('th', { scope: 'col' }, t)),
              ),
            ),
            h(
              'tbody',
              {},
              pagina.items.map((a, i) =>
                h(
                  'tr',
                  {},
                  barra ? h('td', {}, casillas[i]) : null,
                  h(
                    'th',
                    { scope: 'row' },
                    h('a', { href: `#/alumnos/${a.alumnoId}` }, `${a.apellido ?? ''}, ${a.nombre ?? ''}`),
                  ),
                  h('td', {}, a.dni ?? '—'),
                  h('td', {}, a.carrera ?? '—'),
                  h(
                    'td',
                    {},
                    insignia(ESTADO_WORKFLOW[a.workflow.estado] ?? a.workflow.estado, tonoDe(a.workflow.estado)),
                    a.workflow.atascado ? insignia('atascado', 'mal') : null,
                  ),
                  h('td', {}, a.upn ?? '—'),
                  h(
                    'td',
                    { class: 'error-corto' },
                    [...a.workflow.avisos, a.workflow.error].filter(Boolean).join('; ') || '—',
                  ),
                ),
              ),
            ),
          )
        : null,
      h(
        'div',
        { class: 'acciones' },
        offset > 0
          ? h(
              'button',
              { type: 'button', class: 'secundario', onclick: () => ir({ offset: Math.max(0, offset - POR_PAGINA) }) },
              '← Anteriores',
            )
          : null,
        offset + POR_PAGINA < pagina.total
          ? h(
              'button',
              { type: 'button', class: 'secundario', onclick: () => ir({ offset: offset + POR_PAGINA }) },
              'Siguientes →',
            )
          : null,
      ),
    );
  } catch (err) {
    reemplazar(resultados, h('p', { class: 'error', role: 'alert' }, err.message));
  }
  texto.focus();
}

/** The bar that runs an action on the chosen students, or on every one the search finds. */
async function barraDeAcciones(elegidos, total, filtro, avisar) {
  const catalogo = await api('/acciones');
  const accion = h(
    'select',
    { id: 'accion-masiva', name: 'accion' },
    catalogo.map((a) =>
      h(
        'option',
        { value: a.accion, selected: a.accion === 'aprobar' && filtro.workflow === 'pendiente_aprobacion' },
        a.etiqueta,
      ),
    ),
  );
  const cuenta = h('span', { id: 'elegidos' }, '');
  const conFiltro = Object.fromEntries(Object.entries(filtro).filter(([, v]) => v));
  const correr = async (cuerpo, cuantos) => {
    const etiqueta = accion.selectedOptions[0]?.textContent ?? accion.value;
    if (!confirm(`¿${etiqueta} para ${cuantos} alumno${cuantos === 1 ? '' : 's'}?`)) return;
    try {
      const r = await api('/acciones', { method: 'POST', json: { accion: accion.value, ...cuerpo } });
      const rechazos = r.resultados.filter((x) => !x.iniciado).slice(0, 5);
      avisar(
        `${etiqueta}: ${r.iniciados} iniciado${r.iniciados === 1 ? '' : 's'}, ${r.rechazados} rechazado${r.rechazados === 1 ? '' : 's'}` +
          (rechazos.length ? ` (${rechazos.map((x) => x.motivo).join('; ')})` : ''),
        r.rechazados && !r.iniciados ? 'error' : 'ok',
      );
    } catch (err) {
      avisar(`${etiqueta}: ${err.message}`, 'error');
    }
  };
  const aElegidos = h(
    'button',
    {
      type: 'button',
      id: 'aplicar-elegidos',
      disabled: true,
      onclick: () => correr({ alumnoIds: [...elegidos] }, elegidos.size),
    },
    'Aplicar a los elegidos',
  );
  const aTodos = h(
    'button',
    { type: 'button', class: 'secundario', id: 'aplicar-todos', onclick: () => correr({ filtro: conFiltro }, total) },
    `Aplicar a los ${numero(total)} de la búsqueda`,
  );
  const el = h(
    'div',
    { class: 'tarjeta acciones-masivas', role: 'group', 'aria-label': 'Acción sobre varios alumnos' },
    h('label', { for: 'accion-masiva' }, 'Acción'),
    ' ',
    accion,
    ' ',
    aElegidos,
    ' ',
    aTodos,
    ' ',
    cuenta,
  );
  const actualizar = () => {
    aElegidos.disabled = elegidos.size === 0;
    cuenta.textContent = elegidos.size ? `${elegidos.size} elegido${elegidos.size === 1 ? '' : 's'}` : '';
  };
  return { el, actualizar };
}
