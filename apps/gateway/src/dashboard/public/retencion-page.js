// Retención: the ages in force (the configuration's key retencion, read only here), "Simular" and
// "Ejecutar" for operators, the runs (GET /retencion) and one run's report — the last, or the one in ?id=
// — per service: what it removed (or, simulating, would remove) per kind, older than which cutoff and in
// how long, the parked messages it removed, and the services that did not answer. While a run is en_curso
// the page reads it again every few seconds.
import { api, puede } from './api.js';
import { fecha, h, insignia, numero, reemplazar, siCambio } from './dom.js';

const ESTADO = { en_curso: ['En curso', 'info'], terminada: ['Terminada', 'bien'], fallida: ['Fallida', 'mal'] };
const RESULTADO = {
  aplicada: ['aplicada', 'bien'],
  fallida: ['falló', 'mal'],
  sin_respuesta: ['sin respuesta', 'mal'],
};
/** Every kind a service removes, in words. */
const TIPO = {
  auditoria: 'Auditoría',
  tareas: 'Tareas terminadas',
  workflows: 'Workflows terminados',
  inbox: 'Mensajes ya aplicados (inbox)',
  outbox:
    'Mensajes ya enviados (outbox; los quita el relay de cada servicio a las 24 h, aquí se cuentan los que quedan)',
  aparcados: 'Mensajes aparcados',
};
const REFRESCO_MS = 2000;

const estado = (e) => {
  const [texto, tono] = ESTADO[e] ?? [e, 'neutro'];
  return insignia(texto, tono);
};
const clase = (simulada) => (simulada ? insignia('Simulación', 'info') : insignia('Ejecución', 'neutro'));
const duracion = (ms) => (ms < 1000 ? `${numero(ms)} ms` : `${numero(ms / 1000)} s`);
const dias = (n) => (n === undefined ? '—' : `${numero(n)} ${n === 1 ? 'día' : 'días'}`);
const totalesEnPalabras = (t) =>
  Object.entries(t)
    .map(([k, n]) => `${TIPO[k] ?? k}: ${numero(n)}`)
    .join(' · ') || 'nada';

export default async function retencion(main, { avisar, consulta }) {
  const edades = h('div', { id: 'edades-retencion' }, h('p', {}, 'Cargando…'));
  const lista = h('div', { id: 'lista-retencion' }, h('p', {}, 'Cargando…'));
  const informe = h('section', { id: 'informe-retencion', 'aria-labelledby': 't-informe-retencion' });
  main.append(
    h('h1', {}, 'Retención'),
    h(
      'p',
      { class: 'ayuda' },
      'Cada servicio borra lo que ya no necesita guardar, pasada su edad: la auditoría, las tareas y los workflows terminados (el gateway), los mensajes ya aplicados y los aparcados viejos (cada servicio, los suyos); los mensajes ya enviados los quita el relay de cada servicio a las 24 h, y aquí solo se cuentan los que quedan. Nunca un workflow en curso ni el estado actual de un alumno. «Simular» solo cuenta lo que se borraría.',
    ),
    h(
      'section',
      { class: 'tarjeta', 'aria-labelledby': 't-edades' },
      h('h2', { id: 't-edades' }, 'Edades vigentes'),
      edades,
      puede('operator') ? acciones(avisar) : null,
    ),
    h('section', { 'aria-labelledby': 't-retencion' }, h('h2', { id: 't-retencion' }, 'Ejecuciones'), lista),
    informe,
  );

  let elegido = consulta.get('id');
  let enCurso = false;
  const cargar = async () => {
    try {
      const r = await api('/retencion?limit=20');
      elegido ??= r.items[0]?.id ?? null;
      siCambio(lista, { r, elegido }, (el) => reemplazar(el, tablaEjecuciones(r, elegido)));
      enCurso = r.items.some((x) => x.estado === 'en_curso');
    } catch (err) {
      reemplazar(lista, h('p', { class: 'error', role: 'alert' }, err.message));
    }
    if (!elegido) return;
    try {
      const e = await api(`/retencion/${elegido}`);
      enCurso ||= e.estado === 'en_curso';
      siCambio(informe, e, (el) => reemplazar(el, pintarInforme(e)));
    } catch (err) {
      reemplazar(
        informe,
        h('h2', { id: 't-informe-retencion' }, 'Informe'),
        h('p', { class: 'error', role: 'alert' }, err.message),
      );
    }
  };
  const cargarEdades = async () => {
    try {
      const c = await api('/config');
      siCambio(edades, c.valores?.retencion ?? null, (el) => reemplazar(el, pintarEdades(c.valores?.retencion)));
    } catch (err) {
      reemplazar(edades, h('p', { class: 'error', role: 'alert' }, err.message));
    }
  };

  const alPanel = () => void Promise.all([cargar(), cargarEdades()]);
  document.addEventListener('lucy:panel', alPanel);
  const reloj = setInterval(() => enCurso && void cargar(), REFRESCO_MS);
  await Promise.all([cargar(), cargarEdades()]);
  return () => {
    clearInterval(reloj);
    document.removeEventListener('lucy:panel', alPanel);
  };
}

function pintarEdades(e) {
  if (!e) return h('p', {}, 'La configuración no tiene edades de retención.');
  return [
    h(
      'dl',
      { class: 'datos' },
      h('dt', {}, 'Tareas y workflows terminados'),
      h('dd', { 'data-edad': 'dias' }, dias(e.dias)),
      h('dt', {}, 'Auditoría'),
      h('dd', { 'data-edad': 'auditoriaDias' }, dias(e.auditoriaDias)),
      h('dt', {}, 'Mensajes aparcados'),
      h('dd', { 'data-edad': 'aparcadosDias' }, dias(e.aparcadosDias)),
    ),
    h(
      'p',
      { class: 'ayuda' },
      'Se cambian en ',
      h('a', { href: '#/configuracion' }, 'Configuración'),
      ' (clave retencion). Los mensajes ya aplicados se guardan lo que un reenvío puede necesitar; los ya enviados, un día.',
    ),
  ];
}

function acciones(avisar) {
  const correr = (simular) => async (e) => {
    if (
      !simular &&
      !confirm('¿Ejecutar la retención? Se borra lo que pasó su edad, en cada servicio; no se puede deshacer.')
    )
      return;
    const boton = e.currentTarget;
    boton.disabled = true;
    try {
      const { id } = await api('/retencion/ejecutar', { method: 'POST', json: { simular } });
      avisar(`${simular ? 'Simulación' : 'Ejecución'} de la retención iniciada (${id.slice(0, 8)}).`);
      location.hash = `#/retencion?id=${id}`;
    } catch (err) {
      avisar(`No se pudo ${simular ? 'simular' : 'ejecutar'} la retención: ${err.message}`, 'error');
    } finally {
      boton.disabled = false;
    }
  };
  return h(
    'div',
    { class: 'acciones' },
    h('button', { type: 'button', class: 'secundario', id: 'simular-retencion', onclick: correr(true) }, 'Simular'),
    h('button', { type: 'button', class: 'peligro', id: 'ejecutar-retencion', onclick: correr(false) }, 'Ejecutar'),
  );
}

function tablaEjecuciones(r, elegido) {
  if (!r.items.length) return h('p', {}, 'Todavía no hubo ninguna ejecución.');
  return h(
    'table',
    { class: 'tabla' },
    h('caption', { class: 'oculto' }, 'Ejecuciones de retención, la más reciente primero'),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ['Inicio', 'Clase', 'Estado', 'Quién', 'Total', ''].map((c) => h('th', { scope: 'col' }, c)),
      ),
    ),
    h(
      'tbody',
      {},
      r.items.map((x) =>
        h(
          'tr',
          { 'data-retencion': x.id, 'aria-current': x.id === elegido ? 'true' : null },
          h('td', {}, fecha(x.iniciadaAt)),
          h('td', {}, clase(x.simulada)),
          h('td', {}, estado(x.estado)),
          h('td', {}, x.actor),
          h('td', {}, totalesEnPalabras(x.totales)),
          h(
            'td',
            {},
            x.id === elegido
              ? h('span', { class: 'ayuda' }, 'en pantalla')
              : h(
                  'a',
                  { href: `#/retencion?id=${x.id}`, 'aria-label': `Ver el informe del ${fecha(x.iniciadaAt)}` },
                  'Ver informe',
                ),
          ),
        ),
      ),
    ),
  );
}

function pintarInforme(e) {
  const silenciosos = e.servicios.filter((s) => e.resultados[s]?.estado === 'sin_respuesta');
  const aparcados = e.servicios.flatMap((s) => {
    const r = e.resultados[s];
    if (r?.estado !== 'aplicada') return [];
    return r.purgados.filter((p) => p.tipo === 'aparcados').map((p) => ({ servicio: s, ...p }));
  });
  return [
    h(
      'h2',
      { id: 't-informe-retencion' },
      `Informe de la ${e.simulada ? 'simulación' : 'ejecución'} ${e.id.slice(0, 8)}`,
    ),
    h(
      'dl',
      { class: 'datos' },
      h('dt', {}, 'Estado'),
      h(
        'dd',
        { id: 'estado-retencion' },
        estado(e.estado),
        ' ',
        clase(e.simulada),
        e.estado === 'en_curso' ? ` (se actualiza sola; espera respuestas hasta ${fecha(e.venceAt)})` : null,
      ),
      h('dt', {}, 'Iniciada'),
      h('dd', {}, `${fecha(e.iniciadaAt)} por ${e.actor}`),
      h('dt', {}, 'Terminó'),
      h('dd', {}, fecha(e.terminadaAt)),
      h('dt', {}, 'Edades usadas'),
      h(
        'dd',
        {},
        `tareas y workflows ${dias(e.edades.dias)} · auditoría ${dias(e.edades.auditoriaDias)} · aparcados ${dias(e.edades.aparcadosDias)}`,
      ),
      h('dt', {}, e.simulada ? 'Se borraría' : 'Se borró'),
      h('dd', { id: 'totales-retencion' }, totalesEnPalabras(e.totales)),
    ),
    silenciosos.length
      ? h(
          'p',
          { class: 'error', id: 'sin-respuesta' },
          `Sin respuesta a tiempo: ${silenciosos.join(', ')}. Lo suyo no se sabe; se puede volver a ejecutar.`,
        )
      : null,
    tablaServicios(e),
    tablaAparcados(aparcados, e.simulada),
  ];
}

function tablaServicios(e) {
  const filas = e.servicios.flatMap((s) => {
    const r = e.resultados[s];
    const [texto, tono] = r ? (RESULTADO[r.estado] ?? [r.estado, 'neutro']) : ['esperando', 'info'];
    const servicio = (n) => h('th', { scope: 'row', rowspan: n > 1 ? n : null }, s);
    const resultado = (n) => h('td', { rowspan: n > 1 ? n : null }, insignia(texto, tono));
    if (r?.estado !== 'aplicada' || !r.purgados.length) {
      const motivo = r?.estado === 'fallida' ? `${r.motivo}${r.codigo ? ` (${r.codigo})` : ''}` : '—';
      return [h('tr', { 'data-servicio': s }, servicio(1), resultado(1), h('td', { colspan: 4 }, motivo))];
    }
    return r.purgados.map((p, i) =>
      h(
        'tr',
        { 'data-servicio': s, 'data-tipo': p.tipo },
        i === 0 ? servicio(r.purgados.length) : null,
        i === 0 ? resultado(r.purgados.length) : null,
        h('td', {}, TIPO[p.tipo] ?? p.tipo),
        h('td', { class: 'num' }, numero(p.cantidad)),
        h('td', {}, fecha(p.corte)),
        h('td', { class: 'num' }, duracion(p.duracionMs)),
      ),
    );
  });
  return h(
    'table',
    { class: 'tabla', id: 'servicios-retencion' },
    h('caption', {}, e.simulada ? 'Por servicio: lo que borraría' : 'Por servicio: lo que borró'),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ['Servicio', 'Resultado', 'Qué', 'Cantidad', 'Más antiguo que', 'Duración'].map((c) =>
          h('th', { scope: 'col' }, c),
        ),
      ),
    ),
    h('tbody', {}, filas),
  );
}

function tablaAparcados(aparcados, simulada) {
  const mensajes = aparcados.flatMap((p) => (p.mensajes ?? []).map((m) => ({ servicio: p.servicio, ...m })));
  const total = aparcados.reduce((n, p) => n + p.cantidad, 0);
  if (!total) return null;
  return h(
    'details',
    { id: 'aparcados-retencion' },
    h(
      'summary',
      {},
      `${numero(total)} mensaje${total === 1 ? '' : 's'} aparcado${total === 1 ? '' : 's'} ${simulada ? 'se quitarían' : 'quitados'}`,
      mensajes.length < total ? ` (se listan ${numero(mensajes.length)})` : '',
    ),
    h(
      'table',
      { class: 'tabla' },
      h('caption', { class: 'oculto' }, 'Mensajes aparcados'),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ['Servicio', 'Cola', 'Mensaje', 'Tipo', 'Aparcado', 'Motivo'].map((c) => h('th', { scope: 'col' }, c)),
        ),
      ),
      h(
        'tbody',
        {},
        mensajes.map((m) =>
          h(
            'tr',
            { 'data-mensaje': m.messageId },
            h('td', {}, m.servicio),
            h('td', {}, m.cola),
            h('td', {}, h('code', { class: 'id' }, m.messageId)),
            h('td', {}, m.tipo ?? '—'),
            h('td', {}, fecha(m.aparcadoAt)),
            h('td', { class: 'error-corto' }, m.motivo ?? '—'),
          ),
        ),
      ),
    ),
  );
}
