// The dashboard's shell: hash routes to pages, the session in the header, notices, and one live stream
// whose every event is re-broadcast as `lucy:panel` (the overview renders it; other pages take it as
// their cue to refresh what they show).
import { api, olvidarSesion, sesion, token } from './api.js';
import { h, reemplazar, usarZonaHoraria } from './dom.js';
import { listen } from './event-stream.js';
import ingresar from './ingresar-page.js';
import resumen from './resumen-page.js';
import servicio from './servicio-page.js';
import lotes from './lotes-page.js';
import alumnos from './alumnos-page.js';
import alumno from './alumno-page.js';
import configuracion from './configuracion-page.js';
import trabajos from './trabajos-page.js';
import calendario from './calendario-page.js';
import reconciliacion from './reconciliacion-page.js';
import retencion from './retencion-page.js';

const RUTAS = [
  [/^\/ingresar$/, ingresar, { publica: true }],
  [/^\/servicios$/, resumen],
  [/^\/servicios\/([a-z0-9-]+)$/, servicio],
  [/^\/lotes$/, lotes],
  [/^\/alumnos$/, alumnos],
  [/^\/alumnos\/([0-9a-f-]{36})$/, alumno],
  [/^\/configuracion$/, configuracion],
  [/^\/trabajos$/, trabajos],
  [/^\/calendario$/, calendario],
  [/^\/reconciliacion$/, reconciliacion],
  [/^\/retencion$/, retencion],
];

const main = document.getElementById('contenido');
let desmontar = null;
let detenerVivo = null;
/** The last picture of the services, for a page that opens between two events. */
export let ultimoPanel = null;

/** A notice to the user; errors are announced at once (role=alert) and stay until closed. */
export function avisar(texto, tipo = 'ok') {
  const zona = document.getElementById('avisos');
  const aviso = h(
    'div',
    { class: `aviso ${tipo}`, role: tipo === 'error' ? 'alert' : 'status' },
    h('span', {}, texto),
    h('button', { type: 'button', class: 'cerrar', 'aria-label': 'Cerrar aviso', onclick: () => aviso.remove() }, '×'),
  );
  zona.append(aviso);
  while (zona.children.length > 4) zona.firstElementChild.remove();
  if (tipo !== 'error') setTimeout(() => aviso.remove(), 10_000);
}

/** The live stream's state, shown in the header (which is redrawn on every page). */
let vivo = { estado: 'conectando', motivo: null };

function pintarVivo(el) {
  el.textContent = { conectado: '● en vivo', desconectado: '○ sin conexión en vivo', conectando: 'conectando…' }[
    vivo.estado
  ];
  el.title = vivo.motivo ?? '';
  el.className = `vivo ${vivo.estado}`;
  return el;
}

function pintarSesion() {
  const s = sesion();
  const nav = document.getElementById('nav');
  nav.hidden = !s;
  const zona = document.getElementById('sesion');
  if (!s) return reemplazar(zona);
  reemplazar(
    zona,
    pintarVivo(h('span', { id: 'vivo', role: 'status' })),
    h('span', { class: 'quien' }, `${s.nombre} (${s.rol})`),
    h('button', { type: 'button', class: 'secundario', onclick: salir }, 'Salir'),
  );
}

function salir() {
  olvidarSesion();
  detenerVivo?.();
  detenerVivo = null;
  vivo = { estado: 'conectando', motivo: null };
  location.hash = '#/ingresar';
}

/** The configured time zone for every date shown; read again when the configuration's version changes. */
let versionZona = null;
async function leerZonaHoraria(version) {
  if (version === versionZona) return;
  versionZona = version;
  const c = await api('/config').catch(() => null);
  if (c?.valores?.zonaHoraria) usarZonaHoraria(c.valores.zonaHoraria);
}

function vivir() {
  if (detenerVivo || !token()) return;
  void leerZonaHoraria(undefined);
  detenerVivo = listen(
    '/panel/eventos',
    (tipo, datos) => {
      if (tipo !== 'servicios') return;
      if (datos?.configuracion?.version !== undefined) void leerZonaHoraria(datos.configuracion.version);
      ultimoPanel = datos;
      document.dispatchEvent(new CustomEvent('lucy:panel', { detail: datos }));
    },
    (estado, motivo) => {
      vivo = { estado, motivo };
      const el = document.getElementById('vivo');
      if (el) pintarVivo(el);
    },
  );
}

async function navegar(evento) {
  const hash = location.hash.replace(/^#/, '') || '/servicios';
  const [ruta, consulta = ''] = hash.split('?');
  const encontrada = RUTAS.map(([re, pagina, opts]) => [re.exec(ruta), pagina, opts ?? {}]).find(([m]) => m);
  if (!encontrada) return void (location.hash = '#/servicios');
  const [m, pagina, opts] = encontrada;
  if (!opts.publica && !token()) return void (location.hash = '#/ingresar');
  desmontar?.();
  desmontar = null;
  pintarSesion();
  if (!opts.publica) vivir();
  for (const a of document.querySelectorAll('#nav a')) {
    const activo = ruta.startsWith(a.getAttribute('href').slice(1));
    if (activo) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  reemplazar(main);
  try {
    desmontar =
      (await pagina(main, {
        params: m.slice(1),
        consulta: new URLSearchParams(consulta),
        avisar,
        panel: () => ultimoPanel,
      })) ?? null;
  } catch (err) {
    reemplazar(
      main,
      h('h1', {}, 'No se pudo mostrar la página'),
      h('p', { role: 'alert', class: 'error' }, err.message),
    );
  }
  const titulo = main.querySelector('h1');
  document.title = `${titulo ? titulo.textContent + ' — ' : ''}Lucy`;
  // After a page change, keyboard and screen-reader users start at the new content, not the old link.
  if (evento && !main.contains(document.activeElement)) main.focus({ preventScroll: true });
}

document.getElementById('saltar').addEventListener('click', (e) => {
  e.preventDefault(); // the hash is the route: move focus instead
  main.focus();
});
window.addEventListener('hashchange', navegar);
navegar(null);
