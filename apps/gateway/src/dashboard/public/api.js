// The gateway's API as the pages call it: the token from this tab's sessionStorage as a bearer token;
// an error answer (application/problem+json) becomes an Error whose message is the API's `detail`; a POST
// carries an Idempotency-Key and is retried with it when its answer is lost (idempotent-post.js).
import { keyHeader, postIdempotent } from './idempotent-post.js';

const CLAVE = 'lucy.token';
const SESION = 'lucy.sesion';

export const token = () => sessionStorage.getItem(CLAVE);
export const sesion = () => JSON.parse(sessionStorage.getItem(SESION) ?? 'null');

export function guardarSesion(t, s) {
  sessionStorage.setItem(CLAVE, t);
  sessionStorage.setItem(SESION, JSON.stringify(s));
}

export function olvidarSesion() {
  sessionStorage.removeItem(CLAVE);
  sessionStorage.removeItem(SESION);
}

const ROLES = ['viewer', 'operator', 'admin'];
/** Whether the signed-in token's role reaches `rol` (admin ⊃ operator ⊃ viewer). */
export const puede = (rol) => ROLES.indexOf(sesion()?.rol) >= ROLES.indexOf(rol);

export class ErrorApi extends Error {
  /** `problemas`: a validation failure's fields, [{ campo, mensaje }] (empty for other errors). */
  constructor(status, detalle, problemas = []) {
    super(detalle);
    this.status = status;
    this.problemas = problemas;
  }
}

/** Reads a problem+json answer's `detail` and `problemas`, or says what came back. */
async function problemaDe(res) {
  const texto = await res.text().catch(() => '');
  try {
    const j = JSON.parse(texto);
    return {
      detalle: j.detail ?? j.message ?? `${res.status} ${res.statusText}`,
      problemas: Array.isArray(j.problemas) ? j.problemas : [],
    };
  } catch {
    return { detalle: `${res.status} ${res.statusText}${texto ? `: ${texto.slice(0, 200)}` : ''}`, problemas: [] };
  }
}

export const detalleDe = async (res) => (await problemaDe(res)).detalle;

/**
 * `ruta` under /api/v1. `json`: a body sent as JSON; `form`: a FormData (multipart); `crudo`: return the
 * Response (a download). A 401 means the token no longer works: back to the sign-in page.
 */
export async function api(ruta, { method = 'GET', json, form, crudo = false, tk = token() } = {}) {
  const headers = { authorization: `Bearer ${tk}` };
  let body;
  if (json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(json);
  } else if (form) body = form;
  let res;
  try {
    res =
      method === 'POST'
        ? await postIdempotent((clave) =>
            fetch(`/api/v1${ruta}`, { method, headers: { ...headers, 'idempotency-key': keyHeader(clave) }, body }),
          )
        : await fetch(`/api/v1${ruta}`, { method, headers, body });
  } catch (err) {
    throw new ErrorApi(0, `no se pudo contactar al gateway (${err.message})`);
  }
  if (!res.ok) {
    const { detalle, problemas } = await problemaDe(res);
    if (res.status === 401 && tk === token()) {
      olvidarSesion();
      location.hash = '#/ingresar';
    }
    throw new ErrorApi(res.status, detalle, problemas);
  }
  if (crudo) return res;
  const texto = await res.text();
  return texto ? JSON.parse(texto) : null;
}
