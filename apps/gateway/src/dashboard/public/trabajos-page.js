// Tareas programadas: every scheduled job (GET /trabajos) with its state, settings, next runs (a time a
// holiday or its dates skip says why) and last run; a job's history; "Ejecutar ahora" for operators.
// Times are the API's, already written in the job's own zone. Settings are changed by an admin (PATCH
// /trabajos/{nombre}); the SIAL job's cron also from the configuration page, where it has always been.
import { api, puede } from './api.js';
import { fecha, h, insignia, reemplazar, siCambio } from './dom.js';

const ESTADO = {
  programado: ['Programado', 'bien'],
  inactivo: ['Inactivo', 'neutro'],
  invalido: ['No programado: expresión inválida', 'mal'],
  // A job no module acts for, such as the OneRoster pulls without ONEROSTER_URL: never runs, and that is fine.
  sin_accion: ['Sin acción: no configurada, no corre', 'neutro'],
  fuera_de_vigencia: ['Fuera de vigencia', 'alerta'],
};
const RESULTADO = {
  ok: ['Hecha', 'bien'],
  fallido: ['Falló', 'mal'],
  omitido: ['Omitida', 'neutro'],
  en_curso: ['En curso', 'info'],
};
const DISPARO = { programada: 'programada', recuperacion: 'recuperada al arrancar', manual: 'manual' };

export default async function trabajos(main, { avisar }) {
  const lista = h('div', { id: 'lista-trabajos' }, h('p', {}, 'Cargando…'));
  main.append(
    h('h1', {}, 'Tareas programadas'),
    h(
      'p',
      { class: 'ayuda' },
      'Cada tarea corre una vez por horario programado, aunque haya varios gateways. Con «saltar feriados», no corre en los días del ',
      h('a', { href: '#/calendario' }, 'calendario académico'),
      ' (en su zona horaria) y queda registrada como omitida.',
    ),
    lista,
  );
  const abiertos = new Set();
  const cargar = async () => {
    try {
      const r = await api('/trabajos');
      const historiales = await Promise.all(
        [...abiertos].map((n) => api(`/trabajos/${n}?limit=10`).then((t) => [n, t.historial])),
      );
      const datos = { items: r.items, historiales };
      siCambio(lista, datos, (el) =>
        reemplazar(
          el,
          r.items.map((t) =>
            tarjeta(t, new Map(historiales).get(t.nombre), {
              avisar,
              recargar: cargar,
              alternar: () => {
                if (abiertos.has(t.nombre)) abiertos.delete(t.nombre);
                else abiertos.add(t.nombre);
                void cargar();
              },
            }),
          ),
        ),
      );
    } catch (err) {
      reemplazar(lista, h('p', { class: 'error', role: 'alert' }, err.message));
    }
  };
  const alPanel = () => void cargar();
  document.addEventListener('lucy:panel', alPanel);
  await cargar();
  return () => document.removeEventListener('lucy:panel', alPanel);
}

function tarjeta(t, historial, { avisar, recargar, alternar }) {
  const [texto, tono] = ESTADO[t.estado] ?? [t.estado, 'neutro'];
  const ejecutar = h('button', { type: 'button', class: 'secundario', id: `ejecutar-${t.nombre}` }, 'Ejecutar ahora');
  ejecutar.disabled = !t.conAccion;
  ejecutar.addEventListener('click', async () => {
    ejecutar.disabled = true;
    try {
      const r = await api(`/trabajos/${t.nombre}/ejecutar`, { method: 'POST' });
      avisar(`«${t.nombre}» ejecutada ahora (${r.producto.tipo} ${r.producto.id.slice(0, 8)}).`);
      await recargar();
    } catch (err) {
      avisar(`No se pudo ejecutar «${t.nombre}»: ${err.message}`, 'error');
    } finally {
      ejecutar.disabled = !t.conAccion;
    }
  });
  const vigencia =
    t.validDesde || t.validHasta ? `del ${t.validDesde ?? 'inicio'} al ${t.validHasta ?? 'sin fin'}` : 'sin límite';
  return h(
    'section',
    { class: 'tarjeta', 'aria-labelledby': `t-trabajo-${t.nombre}`, 'data-trabajo': t.nombre },
    h('h2', { id: `t-trabajo-${t.nombre}` }, t.nombre, ' ', insignia(texto, tono)),
    h('p', { class: 'ayuda' }, t.descripcion),
    t.conAccion
      ? null
      : h('p', { class: 'ayuda' }, 'Todavía ningún módulo provee lo que hace: no se programa ni se puede ejecutar.'),
    t.problema ? h('p', { class: 'error' }, t.problema) : null,
    h(
      'dl',
      { class: 'datos' },
      h('dt', {}, 'Cuándo'),
      h('dd', {}, `cron «${t.cron}» en ${t.zonaHoraria}${t.zonaPropia ? '' : ' (la de la configuración)'}`),
      h('dt', {}, 'Vigencia'),
      h('dd', {}, vigencia),
      h('dt', {}, 'Feriados'),
      h('dd', {}, t.saltarFeriados ? 'no corre en feriados ni recesos' : 'corre también en feriados'),
      h('dt', {}, 'Próximas ejecuciones'),
      h(
        'dd',
        { class: 'proximas' },
        t.proximas.length
          ? h(
              'ul',
              {},
              t.proximas.map((p) =>
                h(
                  'li',
                  {},
                  p.local,
                  p.omitida
                    ? [
                        ' ',
                        insignia(
                          p.omitida.nombre ? `omitida: ${p.omitida.nombre}` : `omitida: ${p.omitida.motivo}`,
                          'neutro',
                        ),
                      ]
                    : null,
                ),
              ),
            )
          : t.activo
            ? '—'
            : '— (inactiva)',
      ),
      h('dt', {}, 'Última ejecución'),
      h('dd', { class: 'ultima' }, t.ultima ? resumen(t.ultima) : 'todavía ninguna'),
    ),
    h(
      'div',
      { class: 'acciones' },
      puede('operator') ? ejecutar : null,
      h(
        'button',
        { type: 'button', class: 'secundario', 'aria-expanded': historial ? 'true' : 'false', onclick: alternar },
        historial ? 'Ocultar historial' : 'Ver historial',
      ),
      t.nombre === 'sial' && puede('admin') ? h('a', { href: '#/configuracion' }, 'Cambiar la programación') : null,
    ),
    historial ? tablaHistorial(t.nombre, historial) : null,
  );
}

function resumen(e) {
  const [texto, tono] = RESULTADO[e.resultado] ?? [e.resultado, 'neutro'];
  return [
    insignia(texto, tono),
    ' ',
    e.programadaPara ? fecha(e.programadaPara) : `${fecha(e.inicio)} (manual, ${e.actor})`,
    detalle(e),
  ];
}

function detalle(e) {
  if (e.resultado === 'omitido') return ` · ${e.feriado ? `feriado: ${e.feriado}` : e.motivo}`;
  if (e.resultado === 'fallido') return ` · ${e.error}`;
  if (e.producto?.tipo === 'lote')
    return [' · ', h('a', { href: `#/alumnos?loteId=${e.producto.id}` }, `lote ${e.producto.id.slice(0, 8)}`)];
  if (e.producto?.tipo === 'reconciliacion' || e.producto?.tipo === 'retencion')
    return [
      ' · ',
      h('a', { href: `#/${e.producto.tipo}?id=${e.producto.id}` }, `${e.producto.tipo} ${e.producto.id.slice(0, 8)}`),
    ];
  if (e.producto) return ` · ${e.producto.tipo} ${e.producto.id.slice(0, 8)}`;
  return '';
}

function tablaHistorial(nombre, historial) {
  return h(
    'table',
    { class: 'tabla', id: `historial-${nombre}` },
    h('caption', {}, `Historial (${historial.items.length} de ${historial.total})`),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ['Programada para', 'Disparo', 'Inicio', 'Fin', 'Resultado', 'Detalle'].map((c) => h('th', {}, c)),
      ),
    ),
    h(
      'tbody',
      {},
      historial.items.map((e) => {
        const [texto, tono] = RESULTADO[e.resultado] ?? [e.resultado, 'neutro'];
        return h(
          'tr',
          {},
          h('td', {}, e.programadaPara ? fecha(e.programadaPara) : '—'),
          h('td', {}, `${DISPARO[e.disparo] ?? e.disparo}${e.disparo === 'manual' ? ` (${e.actor})` : ''}`),
          h('td', {}, fecha(e.inicio)),
          h('td', {}, fecha(e.fin)),
          h('td', {}, insignia(texto, tono)),
          h('td', {}, detalle(e)),
        );
      }),
    ),
  );
}
