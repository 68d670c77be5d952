// The live stream (server-sent events) read with fetch, so the token travels in the Authorization header
// as on every other call, never in a URL. Reconnects after a drop; stop() ends it.
import { detalleDe, token } from './api.js';

const REINTENTO_MS = 3000;

/** Calls `alEvento(tipo, datos)` for each event, `alEstado('conectado'|'desconectado', motivo)` on changes. */
export function listen(ruta, alEvento, alEstado) {
  const ctrl = new AbortController();
  let parado = false;

  const conectar = async () => {
    while (!parado) {
      try {
        const res = await fetch(`/api/v1${ruta}`, {
          headers: { authorization: `Bearer ${token()}`, accept: 'text/event-stream' },
          signal: ctrl.signal,
        });
        if (!res.ok) throw new Error(await detalleDe(res));
        alEstado('conectado');
        await leer(res.body, alEvento);
        alEstado('desconectado', 'el gateway cerró la conexión');
      } catch (err) {
        if (parado) return;
        alEstado('desconectado', err.message);
      }
      await new Promise((r) => setTimeout(r, REINTENTO_MS));
    }
  };
  void conectar();
  return () => {
    parado = true;
    ctrl.abort();
  };
}

async function leer(cuerpo, alEvento) {
  const lector = cuerpo.pipeThrough(new TextDecoderStream()).getReader();
  let resto = '';
  for (;;) {
    const { value, done } = await lector.read();
    if (done) return;
    resto += value;
    let fin;
    while ((fin = resto.search(/\r?\n\r?\n/)) >= 0) {
      const bloque = resto.slice(0, fin);
      resto = resto.slice(fin).replace(/^\r?\n\r?\n/, '');
      let tipo = 'message';
      const datos = [];
      for (const linea of bloque.split(/\r?\n/)) {
        if (linea.startsWith('event:')) tipo = linea.slice(6).trim();
        else if (linea.startsWith('data:')) datos.push(linea.slice(5).replace(/^ /, ''));
      }
      if (datos.length) {
        try {
          alEvento(tipo, JSON.parse(datos.join('\n')));
        } catch {
          /* a malformed event is skipped; the next one comes in seconds */
        }
      }
    }
  }
}
