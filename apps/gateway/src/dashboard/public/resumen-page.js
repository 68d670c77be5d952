// Every service at a glance: up or down, queue depth, parked messages, breakers, rate use, throughput,
// last error, and a warning when it is not on the current configuration or refused a key of it. Live:
// redrawn on every event of the stream. Above it, the last hour as two small charts (grafico.js).
import { api } from './api.js';
import { avisosConfiguracion, rechazadasDe, versionAplicada } from './configuracion-servicio.js';
import { graficoLinea } from './grafico.js';
import {
  ESTADO_BREAKER,
  ESTADO_SERVICIO,
  fecha,
  h,
  insignia,
  numero,
  porcentaje,
  reemplazar,
  siCambio,
  tonoDe,
} from './dom.js';

export default async function resumen(main, { panel, avisar }) {
  const hora = h('p', { class: 'ayuda', id: 'hora-panel' }, 'Esperando datos…');
  const tabla = h('div', { id: 'tabla-servicios' });
  const graficos = h('div', { class: 'graficos', id: 'graficos-servicios' });
  main.append(h('h1', {}, 'Servicios'), hora, h('h2', {}, 'La última hora'), graficos, tabla);

  const pintar = (p) => {
    reemplazar(hora, `Actualizado: ${fecha(p.at)} (se actualiza solo cada pocos segundos)`);
    const datos = { servicios: p.servicios, version: p.configuracion?.version ?? null };
    siCambio(tabla, datos, (el, d) => reemplazar(el, tablaServicios(d.servicios, d.version)));
  };
  const alPanel = (e) => pintar(e.detail);
  document.addEventListener('lucy:panel', alPanel);
  if (panel()) pintar(panel());
  else api('/panel/servicios').then(pintar, (err) => avisar(err.message, 'error'));
  // The charts' figures change once a minute (the gateway samples the queues that often): read them as
  // often, not on every event of the live stream.
  const historial = () =>
    api('/panel/historial').then(
      (hh) => siCambio(graficos, hh, (el, d) => reemplazar(el, ...graficosDe(d))),
      (err) => avisar(err.message, 'error'),
    );
  void historial();
  const cadaMinuto = setInterval(historial, 60_000);
  return () => {
    clearInterval(cadaMinuto);
    document.removeEventListener('lucy:panel', alPanel);
  };
}

function graficosDe(hh) {
  return [
    graficoLinea({
      id: 'grafico-incorporaciones',
      titulo: 'Alumnos incorporados por minuto',
      puntos: hh.incorporaciones.map((p) => ({ at: p.at, valor: p.alumnos })),
    }),
    graficoLinea({
      id: 'grafico-colas',
      titulo: 'Mensajes en cola (todos los servicios)',
      puntos: hh.colas.map((m) => ({ at: m.at, valor: m.enCola })),
    }),
  ];
}

function tablaServicios(servicios, version) {
  return h(
    'table',
    { class: 'tabla' },
    h('caption', {}, 'Estado de cada servicio'),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        [
          'Servicio',
          'Estado',
          'En cola',
          'Consumidores',
          'Aparcados',
          'Breakers',
          'Uso de tasa',
          'Mensajes/min',
          'Configuración',
          'Último error',
        ].map((t) => h('th', { scope: 'col' }, t)),
      ),
    ),
    h(
      'tbody',
      {},
      servicios.map((s) =>
        h(
          'tr',
          { 'data-servicio': s.servicio },
          h('th', { scope: 'row' }, h('a', { href: `#/servicios/${s.servicio}` }, s.servicio)),
          h(
            'td',
            { 'data-col': 'estado' },
            insignia(ESTADO_SERVICIO[s.estado] ?? s.estado, tonoDe(s.estado)),
            s.motivo ? h('div', { class: 'ayuda' }, s.motivo) : null,
          ),
          h('td', { class: 'num', 'data-col': 'en-cola' }, numero(s.mensajesEnCola)),
          h('td', { class: 'num', 'data-col': 'consumidores' }, numero(s.consumidores)),
          h(
            'td',
            { class: 'num', 'data-col': 'aparcados' },
            s.aparcados ? insignia(numero(s.aparcados), 'alerta') : '0',
          ),
          h(
            'td',
            { 'data-col': 'breakers' },
            s.breakers.length
              ? s.breakers.map((b) =>
                  h(
                    'div',
                    {},
                    `${b.dependencia}: `,
                    insignia(ESTADO_BREAKER[b.estado] ?? b.estado ?? '¿?', tonoDe(b.estado)),
                  ),
                )
              : '—',
          ),
          h('td', { class: 'num', 'data-col': 'uso-tasa' }, s.breakers.length ? porcentaje(s.usoTasa) : '—'),
          h('td', { class: 'num', 'data-col': 'mensajes-por-minuto' }, numero(s.mensajesPorMinuto)),
          h('td', { 'data-col': 'configuracion' }, celdaConfiguracion(s.configuracion, version)),
          h('td', { class: 'error-corto', 'data-col': 'ultimo-error' }, s.ultimoError ?? '—'),
        ),
      ),
    ),
  );
}

/** The version it applies; a warning badge when it is not the current one or a key was refused. */
function celdaConfiguracion(c, version) {
  if (!c) return '—';
  const avisos = avisosConfiguracion(c, version);
  const rechazadas = rechazadasDe(c).map(([clave]) => clave);
  return [
    h('div', {}, versionAplicada(c), c.alDia && !avisos.length ? [' ', insignia('al día', 'bien')] : null),
    avisos.map((a) => h('div', {}, a)),
    rechazadas.length ? h('div', { class: 'ayuda' }, `Rechazadas: ${rechazadas.join(', ')}`) : null,
  ];
}
