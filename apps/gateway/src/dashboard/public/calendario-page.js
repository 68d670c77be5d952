// Calendario académico: holidays and recesses by year (GET /calendario?anio=), add one, remove one, and
// import a CSV file (desde, hasta, nombre, tipo). An import is all or nothing: a broken line is shown with
// its number and nothing is added. Operators change it; everyone reads it.
import { api, puede } from './api.js';
import { h, insignia, reemplazar, siCambio } from './dom.js';

export default async function calendario(main, { avisar, consulta }) {
  const anio = Number(consulta.get('anio')) || new Date().getFullYear();
  const lista = h('div', { id: 'lista-calendario' }, h('p', {}, 'Cargando…'));
  const cambiarAnio = (n) => (location.hash = `#/calendario?anio=${n}`);
  main.append(
    h('h1', {}, 'Calendario académico'),
    h(
      'p',
      { class: 'ayuda' },
      'Feriados y recesos: las tareas programadas con «saltar feriados» no corren esos días (en su zona horaria).',
    ),
    h(
      'div',
      { class: 'acciones' },
      h('button', { type: 'button', class: 'secundario', onclick: () => cambiarAnio(anio - 1) }, `← ${anio - 1}`),
      h('strong', { id: 'anio-calendario' }, String(anio)),
      h('button', { type: 'button', class: 'secundario', onclick: () => cambiarAnio(anio + 1) }, `${anio + 1} →`),
    ),
    lista,
  );
  const cargar = async () => {
    try {
      const r = await api(`/calendario?anio=${anio}`);
      siCambio(lista, r, (el) => reemplazar(el, tabla(r.items, avisar, cargar)));
    } catch (err) {
      reemplazar(lista, h('p', { class: 'error', role: 'alert' }, err.message));
    }
  };
  if (puede('operator')) main.append(formularioAlta(avisar, cargar), formularioImportar(avisar, cargar));
  await cargar();
}

function tabla(items, avisar, recargar) {
  if (!items.length) return h('p', {}, 'No hay feriados ni recesos cargados para este año.');
  return h(
    'table',
    { class: 'tabla' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ['Desde', 'Hasta', 'Nombre', 'Tipo', ''].map((c) => h('th', {}, c)),
      ),
    ),
    h(
      'tbody',
      {},
      items.map((p) =>
        h(
          'tr',
          {},
          h('td', {}, p.desde),
          h('td', {}, p.hasta),
          h('td', {}, p.nombre),
          h('td', {}, insignia(p.tipo, p.tipo === 'feriado' ? 'info' : 'neutro')),
          h(
            'td',
            { class: 'acciones' },
            puede('operator')
              ? h(
                  'button',
                  {
                    type: 'button',
                    class: 'secundario',
                    'aria-label': `Quitar ${p.nombre}`,
                    onclick: async () => {
                      if (!confirm(`¿Quitar «${p.nombre}» (${p.desde})?`)) return;
                      try {
                        await api(`/calendario/${p.id}`, { method: 'DELETE' });
                        avisar(`«${p.nombre}» quitado del calendario.`);
                        await recargar();
                      } catch (err) {
                        avisar(`No se pudo quitar: ${err.message}`, 'error');
                      }
                    },
                  },
                  'Quitar',
                )
              : null,
          ),
        ),
      ),
    ),
  );
}

const campo = (id, etiqueta, control) => h('p', { class: 'campo' }, h('label', { for: id }, etiqueta), ' ', control);

function formularioAlta(avisar, recargar) {
  const desde = h('input', { id: 'cal-desde', type: 'date', required: true });
  const hasta = h('input', { id: 'cal-hasta', type: 'date' });
  const nombre = h('input', { id: 'cal-nombre', type: 'text', required: true, maxLength: 200 });
  const tipo = h(
    'select',
    { id: 'cal-tipo' },
    h('option', { value: 'feriado' }, 'Feriado'),
    h('option', { value: 'receso' }, 'Receso'),
  );
  const form = h(
    'form',
    { class: 'tarjeta', 'aria-labelledby': 't-cal-alta' },
    h('h2', { id: 't-cal-alta' }, 'Agregar un feriado o receso'),
    campo('cal-desde', 'Desde', desde),
    campo('cal-hasta', 'Hasta (vacío: un solo día)', hasta),
    campo('cal-nombre', 'Nombre', nombre),
    campo('cal-tipo', 'Tipo', tipo),
    h('div', { class: 'acciones' }, h('button', { type: 'submit' }, 'Agregar')),
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      const p = await api('/calendario', {
        method: 'POST',
        json: {
          desde: desde.value,
          ...(hasta.value ? { hasta: hasta.value } : {}),
          nombre: nombre.value,
          tipo: tipo.value,
        },
      });
      avisar(`«${p.nombre}» agregado al calendario.`);
      form.reset();
      await recargar();
    } catch (err) {
      const detalle = err.problemas?.length
        ? err.problemas.map((p) => `${p.campo}: ${p.mensaje}`).join('; ')
        : err.message;
      avisar(`No se pudo agregar: ${detalle}`, 'error');
    }
  });
  return form;
}

function formularioImportar(avisar, recargar) {
  const archivo = h('input', {
    id: 'cal-archivo',
    type: 'file',
    accept: '.csv,.ics,text/csv,text/calendar',
    required: true,
  });
  const reemplazo = h('input', { id: 'cal-reemplazar', type: 'checkbox' });
  const resultado = h('div', { id: 'resultado-importacion', role: 'status' });
  const form = h(
    'form',
    { class: 'tarjeta', 'aria-labelledby': 't-cal-importar' },
    h('h2', { id: 't-cal-importar' }, 'Importar un archivo'),
    h(
      'p',
      { class: 'ayuda' },
      'CSV con encabezado desde, hasta, nombre, tipo (hasta y tipo opcionales; fechas AAAA-MM-DD o DD/MM/AAAA). Si una línea está mal, no se importa nada y se indica cuál.',
    ),
    campo('cal-archivo', 'Archivo', archivo),
    h(
      'p',
      { class: 'campo' },
      reemplazo,
      ' ',
      h('label', { for: 'cal-reemplazar' }, 'Reemplazar los años que cubre el archivo'),
    ),
    h('div', { class: 'acciones' }, h('button', { type: 'submit' }, 'Importar')),
    resultado,
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const f = archivo.files?.[0];
    if (!f) return;
    reemplazar(resultado);
    try {
      const r = await api('/calendario/importar', {
        method: 'POST',
        json: {
          formato: /\.ics$/i.test(f.name) ? 'ics' : 'csv',
          contenido: await f.text(),
          reemplazar: reemplazo.checked,
        },
      });
      reemplazar(
        resultado,
        h(
          'p',
          {},
          `Importado: ${r.agregados} agregados, ${r.repetidos} ya estaban${r.borrados ? `, ${r.borrados} reemplazados` : ''}.`,
        ),
      );
      avisar(`Calendario importado (${r.agregados} agregados).`);
      await recargar();
    } catch (err) {
      const detalle = err.problemas?.length ? err.problemas.map((p) => p.mensaje).join('; ') : err.message;
      reemplazar(resultado, h('p', { class: 'error', role: 'alert' }, `No se importó nada: ${detalle}`));
    }
  });
  return form;
}
