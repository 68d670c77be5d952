// Student search: free text (name, DNI, email, UPN), workflow state, lote; each result opens the
// student's timeline. The search lives in the URL, so a result can be linked and the back button works.
import { api } from './api.js';
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
    reemplazar(
      resultados,
      h(
        'p',
        {},
        `${numero(pagina.total)} alumno${pagina.total === 1 ? '' : 's'}${pagina.total > POR_PAGINA ? ` (del ${offset + 1} al ${Math.min(offset + POR_PAGINA, pagina.total)})` : ''}`,
      ),
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
                ['Alumno', 'DNI', 'Carrera', 'Estado', 'UPN', 'Avisos'].map((t) => h('th', { scope: 'col' }, t)),
              ),
            ),
            h(
              'tbody',
              {},
              pagina.items.map((a) =>
                h(
                  'tr',
                  {},
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
