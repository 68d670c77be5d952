// Lotes: the scheduled SIAL pull (state, next and last run, run now or as a dry run), upload a CSV or JSON
// file with a column mapping, or a OneRoster 1.1 CSV zip (read as the standard defines it: no mapping), or
// preview its plan first, and every lote with its progress bar, live; a lote whose plan waits for an
// operator (a dry run, or held by the safeguard) shows it, to confirm or drop.
import { api, puede } from './api.js';
import { CAMPOS, columnaPorDefecto, columnasDe } from './columns.js';
import { ESTADO_WORKFLOW, fecha, h, insignia, numero, reemplazar, siCambio } from './dom.js';
import { seccionPlan } from './plan-lote.js';

const ESTADO_LOTE = {
  solicitado: 'Solicitado',
  simulado: 'Simulado: sin aplicar',
  esperando_aprobacion: 'Esperando aprobación',
  descartado: 'Descartado',
  ingestado: 'En proceso',
  terminado: 'Terminado',
  fallido: 'Fallido',
};
const TONO_LOTE = {
  terminado: 'bien',
  fallido: 'mal',
  ingestado: 'info',
  simulado: 'info',
  esperando_aprobacion: 'alerta',
};
/** A lote whose plan was not (or not yet) applied: it has no progress to show. */
const SIN_APLICAR = ['simulado', 'esperando_aprobacion', 'descartado'];

export default async function lotes(main, { avisar }) {
  const lista = h('div', { id: 'lista-lotes' }, h('p', {}, 'Cargando…'));
  const programacion = h('div', { id: 'estado-programacion' }, h('p', {}, 'Cargando…'));
  main.append(h('h1', {}, 'Lotes'));
  main.append(
    h(
      'section',
      { class: 'tarjeta', 'aria-labelledby': 't-programacion' },
      h('h2', { id: 't-programacion' }, 'Sincronización automática'),
      programacion,
    ),
  );
  if (puede('operator')) main.append(formularioCarga(avisar, () => cargar()));
  main.append(h('section', { 'aria-labelledby': 't-lotes' }, h('h2', { id: 't-lotes' }, 'Lotes recientes'), lista));

  const cargarLotes = async () => {
    try {
      const pagina = await api('/lotes?limit=20');
      siCambio(lista, pagina, (el) =>
        reemplazar(
          el,
          pagina.items.length
            ? pagina.items.map((l) => tarjetaLote(l, avisar, cargar))
            : h('p', {}, 'Todavía no hay lotes.'),
        ),
      );
    } catch (err) {
      reemplazar(lista, h('p', { class: 'error', role: 'alert' }, err.message));
    }
  };
  const cargarProgramacion = async () => {
    try {
      const p = await api('/programacion');
      // Only what is shown: the answering replica's details change on every call.
      const { replica: _, ...mostrado } = p;
      siCambio(programacion, mostrado, (el) => reemplazar(el, estadoProgramacion(p, avisar, cargar)));
    } catch (err) {
      reemplazar(programacion, h('p', { class: 'error', role: 'alert' }, err.message));
    }
  };
  const cargar = () => Promise.all([cargarProgramacion(), cargarLotes()]);
  const alPanel = () => void cargar();
  document.addEventListener('lucy:panel', alPanel);
  await cargar();
  return () => document.removeEventListener('lucy:panel', alPanel);
}

/** A OneRoster zip, as the gateway tells it apart (oneroster-archivo.ts esZip): by its name or its type. */
const esZip = (f) => /\.zip$/i.test(f.name) || /(^|\/)(x-)?zip(-compressed)?$/.test(f.type);

function formularioCarga(avisar, recargar) {
  const archivo = h('input', {
    id: 'archivo',
    name: 'archivo',
    type: 'file',
    accept: '.csv,.json,.txt,.zip,text/csv,application/json,application/zip',
    required: true,
    'aria-describedby': 'ayuda-archivo',
  });
  const mapeo = h('fieldset', { id: 'mapeo', class: 'mapeo', hidden: true });
  const oneRoster = h(
    'p',
    { id: 'nota-oneroster', class: 'ayuda', hidden: true },
    'Paquete OneRoster 1.1 (CSV): se lee como lo define el estándar, sin mapeo de columnas.',
  );
  const error = h('p', { class: 'error', role: 'alert', id: 'error-carga' });
  const boton = h('button', { type: 'submit' }, 'Subir lote');
  const previa = h('button', { type: 'button', class: 'secundario', id: 'previsualizar-lote' }, 'Ver el plan primero');
  let columnas = [];

  archivo.addEventListener('change', async () => {
    reemplazar(error);
    const f = archivo.files[0];
    oneRoster.hidden = !f || !esZip(f);
    if (!f || esZip(f)) {
      columnas = [];
      reemplazar(mapeo);
      return void (mapeo.hidden = true);
    }
    try {
      columnas = columnasDe(f.name, await f.slice(0, 256 * 1024).text());
    } catch (err) {
      mapeo.hidden = true;
      return reemplazar(error, `No se pudo leer el encabezado: ${err.message}`);
    }
    reemplazar(
      mapeo,
      h('legend', {}, 'Mapeo de columnas: qué columna del archivo es cada dato'),
      h('p', { class: 'ayuda' }, `Columnas del archivo: ${columnas.join(', ')}`),
      h(
        'div',
        { class: 'rejilla' },
        CAMPOS.map(([campo, etiqueta, alias]) => {
          const defecto = columnaPorDefecto(alias, columnas);
          return h(
            'div',
            { class: 'campo' },
            h('label', { for: `mapeo-${campo}` }, etiqueta),
            h(
              'select',
              { id: `mapeo-${campo}`, name: campo },
              h('option', { value: '' }, '(ninguna)'),
              columnas.map((c) => h('option', { value: c, selected: c === defecto }, c)),
            ),
          );
        }),
      ),
    );
    mapeo.hidden = false;
  });

  /** Sends the file; `simular`: only its plan, shown in its lote to confirm or drop. */
  const enviar = async (formulario, simular) => {
    reemplazar(error);
    const f = archivo.files[0];
    if (!f) return reemplazar(error, 'Elegí un archivo CSV, JSON o zip OneRoster.');
    const zip = esZip(f);
    const elegido = {};
    if (!zip) for (const sel of mapeo.querySelectorAll('select')) if (sel.value) elegido[sel.name] = sel.value;
    const repetida = Object.values(elegido).find((c, i, todas) => todas.indexOf(c) !== i);
    if (repetida) return reemplazar(error, `La columna «${repetida}» está elegida para dos datos.`);
    const form = new FormData();
    form.append('archivo', f, f.name);
    if (Object.keys(elegido).length) form.append('mapeo', JSON.stringify(elegido));
    boton.disabled = previa.disabled = true;
    try {
      const r = await api(`/lotes${simular ? '?simular=true' : ''}`, { method: 'POST', form });
      // A OneRoster zip counts its students (users.csv's role student), not rows.
      const cuantos = zip ? `${r.filas} alumnos` : `${r.filas} filas`;
      avisar(
        simular
          ? `Simulación pedida: ${cuantos} (lote ${r.loteId.slice(0, 8)}). Revisá su plan abajo y confirmalo o descartalo.`
          : `Lote recibido: ${cuantos} (lote ${r.loteId.slice(0, 8)}).`,
      );
      formulario.reset();
      mapeo.hidden = oneRoster.hidden = true;
      await recargar();
    } catch (err) {
      // A refused file (a zip that is not a OneRoster 1.1 package, say): the problem's detail says why.
      reemplazar(error, `No se pudo subir: ${err.message}`);
    } finally {
      boton.disabled = previa.disabled = false;
    }
  };
  previa.addEventListener('click', () => enviar(previa.form, true));

  return h(
    'form',
    {
      class: 'tarjeta',
      'aria-labelledby': 't-subir',
      onsubmit: (e) => {
        e.preventDefault();
        return enviar(e.target, false);
      },
    },
    h('h2', { id: 't-subir' }, 'Subir un lote'),
    h('label', { for: 'archivo' }, 'Archivo (CSV con encabezado, JSON o zip OneRoster 1.1)'),
    archivo,
    h(
      'p',
      { id: 'ayuda-archivo', class: 'ayuda' },
      'CSV UTF-8 separado por coma, punto y coma o tabulador. Cada fila es un alumno; ingest valida cada una. «Ver el plan primero» muestra qué haría con cada alumno sin cambiar nada, para confirmarlo después.',
    ),
    oneRoster,
    mapeo,
    error,
    h('div', { class: 'acciones' }, boton, previa),
  );
}

const ESTADO_PROGRAMACION = {
  programada: ['Activa', 'bien'],
  inactiva: ['Inactiva', 'neutro'],
  invalida: ['No programada: expresión inválida', 'mal'],
};

/** The scheduled pull as GET /programacion gives it; times are already in the configured zone. */
function estadoProgramacion(p, avisar, recargar) {
  const [texto, tono] = ESTADO_PROGRAMACION[p.estado] ?? [p.estado, 'neutro'];
  const proxima = p.proximas[0];
  const ultima = p.ultimas[0];
  const boton = h('button', { type: 'button', class: 'secundario' }, 'Sincronizar ahora');
  const simular = h('button', { type: 'button', class: 'secundario', id: 'simular-sincronizacion' }, 'Simular');
  simular.addEventListener('click', async () => {
    simular.disabled = true;
    try {
      const r = await api('/sync/sial?simular=true', {
        method: 'POST',
        json: { fuentes: p.fuentes, ...(p.periodo ? { periodo: p.periodo } : {}) },
      });
      avisar(`Simulación de la sincronización pedida (lote ${r.loteId.slice(0, 8)}): su plan aparece abajo.`);
      await recargar();
    } catch (err) {
      avisar(`No se pudo simular: ${err.message}`, 'error');
    } finally {
      simular.disabled = false;
    }
  });
  boton.addEventListener('click', async () => {
    boton.disabled = true;
    try {
      const r = await api('/programacion/ejecutar', { method: 'POST' });
      avisar(`Sincronización con SIAL iniciada (lote ${r.loteId.slice(0, 8)}).`);
      await recargar();
    } catch (err) {
      avisar(`No se pudo sincronizar: ${err.message}`, 'error');
    } finally {
      boton.disabled = false;
    }
  });
  return [
    h(
      'p',
      {},
      insignia(texto, tono),
      ' ',
      h(
        'span',
        { class: 'ayuda' },
        `cron «${p.cron}» en ${p.zonaHoraria} · fuentes: ${p.fuentes.join(', ')}${p.periodo ? ` · periodo ${p.periodo}` : ''}`,
      ),
    ),
    p.problema ? h('p', { class: 'error' }, p.problema) : null,
    h(
      'dl',
      { class: 'datos' },
      h('dt', {}, 'Próxima ejecución'),
      h(
        'dd',
        { id: 'proxima-sincronizacion' },
        proxima ? `${proxima.local} (${p.zonaHoraria})` : p.activa ? '—' : '— (inactiva)',
      ),
      h('dt', {}, 'Última ejecución programada'),
      h(
        'dd',
        { id: 'ultima-sincronizacion' },
        ultima
          ? [
              `${ultima.local}${ultima.recuperada ? ' (recuperada al arrancar)' : ''} · lote ${ESTADO_LOTE[ultima.lote.estado] ?? ultima.lote.estado} · `,
              h('a', { href: `#/alumnos?loteId=${ultima.loteId}` }, `ver el lote ${ultima.loteId.slice(0, 8)}`),
            ]
          : 'todavía ninguna',
      ),
    ),
    h(
      'div',
      { class: 'acciones' },
      puede('operator') ? boton : null,
      puede('operator') ? simular : null,
      puede('admin') ? h('a', { href: '#/configuracion' }, 'Cambiar la programación') : null,
    ),
  ];
}

function tarjetaLote(l, avisar, recargar) {
  const nombre =
    l.nombreArchivo ??
    (l.origen === 'sial' ? 'Sincronización SIAL' : l.origen === 'oneroster' ? 'Sincronización OneRoster' : 'Lote');
  const idBarra = `progreso-${l.id}`;
  const reintentables = l.fallidos + l.conAvisos;
  const reintentar = async () => {
    try {
      const r = await api(`/lotes/${l.id}/reintentar`, { method: 'POST' });
      avisar(`Reintento del lote iniciado: ${r.reintentos} acciones.`);
      await recargar();
    } catch (err) {
      avisar(`No se pudo reintentar: ${err.message}`, 'error');
    }
  };
  const invalidos = l.ingesta.invalidos ?? [];
  const sinAplicar = SIN_APLICAR.includes(l.estado);
  return h(
    'article',
    { class: 'tarjeta lote', 'data-lote': l.id, 'aria-labelledby': `t-${l.id}` },
    h(
      'h3',
      { id: `t-${l.id}` },
      nombre,
      ' ',
      insignia(ESTADO_LOTE[l.estado] ?? l.estado, TONO_LOTE[l.estado] ?? 'neutro'),
    ),
    h(
      'p',
      { class: 'ayuda' },
      `${{ sial: 'SIAL', oneroster: 'OneRoster' }[l.origen] ?? 'Archivo'} · ${fecha(l.creadoAt)} · por ${l.solicitadoPor}`,
    ),
    seccionPlan(l, avisar, recargar),
    sinAplicar
      ? null
      : h(
          'div',
          { class: 'barra-progreso' },
          h('label', { for: idBarra, class: 'oculto' }, `Progreso de ${nombre}`),
          h('progress', { id: idBarra, max: 100, value: l.porcentaje }, `${numero(l.porcentaje)} %`),
          h('span', { class: 'porcentaje' }, `${numero(l.porcentaje)} %`),
        ),
    sinAplicar
      ? null
      : h(
          'p',
          { class: 'conteos' },
          `${numero(l.total)} ${l.total === 1 ? 'alumno' : 'alumnos'}: ${numero(l.completados)} completados · ${numero(l.conAvisos)} con avisos · ${numero(l.fallidos)} fallidos · ${numero(l.enCurso)} en curso · ${numero(l.pendientes)} pendientes${l.esperanAprobacion ? ` (${numero(l.esperanAprobacion)} esperan aprobación)` : ''}`,
        ),
    // What the source gave, so a pull in which nothing changed says why it has no student.
    l.ingesta.nuevos === null
      ? null
      : h(
          'p',
          { class: 'ayuda ingesta' },
          `Ingesta: ${numero(l.ingesta.nuevos)} nuevos · ${numero(l.ingesta.actualizados ?? 0)} actualizados · ${numero(l.ingesta.sinCambios ?? 0)} sin cambios · ${numero(invalidos.length)} inválidas${ciclo(l.ingesta)}`,
        ),
    l.error ? h('p', { class: 'error' }, l.error) : null,
    invalidos.length
      ? h(
          'details',
          {},
          h(
            'summary',
            {},
            `${invalidos.length} fila${invalidos.length === 1 ? '' : 's'} inválida${invalidos.length === 1 ? '' : 's'}`,
          ),
          h(
            'ul',
            {},
            invalidos.slice(0, 50).map((i) => h('li', {}, describirInvalido(i))),
          ),
        )
      : null,
    // Notes on what the rows stated and the lote did not act on (a OneRoster class with no Moodle course).
    l.ingesta.avisos?.length
      ? h(
          'details',
          {},
          h('summary', {}, `${l.ingesta.avisos.length} aviso${l.ingesta.avisos.length === 1 ? '' : 's'}`),
          h(
            'ul',
            {},
            l.ingesta.avisos.slice(0, 50).map((i) => h('li', {}, `${i.fuente ?? ''} ${describirInvalido(i)}`.trim())),
          ),
        )
      : null,
    h(
      'div',
      { class: 'acciones' },
      sinAplicar ? null : h('a', { href: `#/alumnos?loteId=${l.id}` }, 'Ver alumnos'),
      l.esperanAprobacion
        ? h(
            'a',
            { href: `#/alumnos?loteId=${l.id}&workflow=pendiente_aprobacion` },
            `Ver los ${numero(l.esperanAprobacion)} que esperan aprobación`,
          )
        : null,
      reintentables && puede('operator')
        ? h(
            'button',
            { type: 'button', class: 'secundario', onclick: reintentar },
            `Reintentar ${reintentables} con fallas`,
          )
        : null,
    ),
    Object.keys(l.desglose).length
      ? h(
          'p',
          { class: 'ayuda' },
          'Desglose: ',
          Object.entries(l.desglose)
            .map(([k, n]) => `${ESTADO_WORKFLOW[k] ?? k}: ${n}`)
            .join(' · '),
        )
      : null,
  );
}

/** The students the lote took as leaving or back, and the unknown leavers it did not onboard: only when there are. */
function ciclo(ingesta) {
  const partes = [];
  if (ingesta.bajas) partes.push(`${numero(ingesta.bajas)} ${ingesta.bajas === 1 ? 'baja' : 'bajas'}`);
  if (ingesta.retornos) partes.push(`${numero(ingesta.retornos)} ${ingesta.retornos === 1 ? 'retorno' : 'retornos'}`);
  const desconocidas = ingesta.bajasDesconocidas?.length ?? 0;
  if (desconocidas) partes.push(`${numero(desconocidas)} de baja sin registrar (no se dan de alta)`);
  return partes.map((p) => ` · ${p}`).join('');
}

function describirInvalido(i) {
  if (!i || typeof i !== 'object') return String(i);
  const motivos = Array.isArray(i.motivos) ? i.motivos.join('; ') : (i.motivo ?? JSON.stringify(i));
  return `${i.fila ? `fila ${i.fila}` : ''}${i.dni ? ` (DNI ${i.dni})` : ''}: ${motivos}`;
}
