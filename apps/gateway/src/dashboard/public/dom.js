// A small DOM builder: every value goes in as text or a property, never as HTML, so nothing the API
// returns (names, error messages, payloads) can become markup.

/** h('button', { class: 'x', onclick: fn, 'aria-label': '…' }, 'texto', otroNodo) */
export function h(tag, attrs = {}, ...hijos) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k in el && !k.includes('-') && k !== 'list' && k !== 'form') el[k] = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  agregar(el, hijos);
  return el;
}

function agregar(el, hijos) {
  for (const c of hijos.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

export function reemplazar(el, ...hijos) {
  el.replaceChildren();
  agregar(el, hijos);
  return el;
}

// Dates are shown in the configured time zone (zonaHoraria), not the browser's: an operator abroad or
// on a machine set to UTC reads the same times as the staff on campus and the scheduled pull.
let FECHA = new Intl.DateTimeFormat('es-AR', { dateStyle: 'short', timeStyle: 'medium' });
export const fecha = (iso) => (iso ? FECHA.format(new Date(iso)) : '—');
let HORA = new Intl.DateTimeFormat('es-AR', { hour: '2-digit', minute: '2-digit' });
export const hora = (iso) => (iso ? HORA.format(new Date(iso)) : '—');
export function usarZonaHoraria(timeZone) {
  try {
    FECHA = new Intl.DateTimeFormat('es-AR', { dateStyle: 'short', timeStyle: 'medium', timeZone });
    HORA = new Intl.DateTimeFormat('es-AR', { hour: '2-digit', minute: '2-digit', timeZone });
  } catch {
    /* a zone this browser does not know: keep the browser's */
  }
}

const NUM = new Intl.NumberFormat('es-AR', { maximumFractionDigits: 1 });
export const numero = (n) => (n === null || n === undefined ? '—' : NUM.format(n));
export const porcentaje = (x) => (x === null || x === undefined ? '—' : `${NUM.format(x * 100)} %`);

/** Renders only when the data changed, so a live refresh does not steal focus or reset scroll. */
export function siCambio(el, datos, pintar) {
  const clave = JSON.stringify(datos);
  if (el.dataset.clave === clave) return;
  const foco = document.activeElement && el.contains(document.activeElement) ? document.activeElement.id : null;
  el.dataset.clave = clave;
  pintar(el, datos);
  if (foco) document.getElementById(foco)?.focus();
}

export const ESTADO_BREAKER = { closed: 'cerrado', open: 'abierto', 'half-open': 'semiabierto' };
export const ESTADO_SERVICIO = { activo: 'Activo', degradado: 'Degradado', caido: 'Caído' };
export const ESTADO_WORKFLOW = {
  creando_cuenta: 'Creando cuenta',
  enrolando_y_notificando: 'Enrolando y notificando',
  completado: 'Completado',
  completado_con_avisos: 'Completado con avisos',
  fallido: 'Fallido',
  compensando: 'Deshaciendo',
  compensado: 'Deshecho',
  compensacion_fallida: 'Falló al deshacer',
  pendiente: 'Pendiente',
  pendiente_aprobacion: 'Pendiente de aprobación',
  aprobado: 'Aprobado, en espera de su turno',
  descartado: 'Dejó de esperar (se dio de baja)',
};
export const ESTADO_PASO = {
  pendiente: 'pendiente',
  en_curso: 'en curso',
  completado: 'completado',
  fallido: 'fallido',
  omitido: 'omitido',
};
/** A badge whose meaning is in its text, the colour only repeats it. */
export const insignia = (texto, tono) => h('span', { class: `insignia ${tono}` }, texto);
export const tonoDe = (estado) =>
  ({
    activo: 'bien',
    closed: 'bien',
    completado: 'bien',
    degradado: 'alerta',
    'half-open': 'alerta',
    completado_con_avisos: 'alerta',
    en_curso: 'info',
    creando_cuenta: 'info',
    enrolando_y_notificando: 'info',
    compensando: 'info',
    pendiente_aprobacion: 'alerta',
    aprobado: 'info',
  })[estado] ?? (['caido', 'open', 'fallido', 'compensacion_fallida'].includes(estado) ? 'mal' : 'neutro');
