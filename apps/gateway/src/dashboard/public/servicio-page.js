// One service: its queues, the runtime configuration it applies (version, keys refused and why), its
// breakers (with a reset button) and its parked messages (replay, discard). Refreshed on every event of
// the live stream.
import { api, puede } from './api.js';
import { rechazadasDe, situacion, versionAplicada } from './configuracion-servicio.js';
import { ESTADO_BREAKER, ESTADO_SERVICIO, fecha, h, insignia, numero, reemplazar, siCambio, tonoDe } from './dom.js';

export default async function servicio(main, { params: [nombre], panel, avisar }) {
  const estado = h('div', { id: 'estado-servicio' });
  const configuracion = h('div', { id: 'configuracion-servicio' });
  const breakers = h('div', { id: 'breakers' });
  const aparcados = h('div', { id: 'aparcados' });
  main.append(
    h('p', { class: 'migas' }, h('a', { href: '#/servicios' }, 'Servicios'), ' › ', nombre),
    h('h1', {}, nombre),
    estado,
    h(
      'section',
      { 'aria-labelledby': 't-configuracion' },
      h('h2', { id: 't-configuracion' }, 'Configuración'),
      configuracion,
    ),
    h('section', { 'aria-labelledby': 't-breakers' }, h('h2', { id: 't-breakers' }, 'Circuit breakers'), breakers),
    h('section', { 'aria-labelledby': 't-aparcados' }, h('h2', { id: 't-aparcados' }, 'Mensajes aparcados'), aparcados),
  );

  const pintarEstado = (p) => {
    const s = p?.servicios.find((x) => x.servicio === nombre);
    if (!s) {
      reemplazar(configuracion);
      return reemplazar(estado, h('p', {}, p ? `El gateway no informa sobre «${nombre}».` : 'Esperando datos…'));
    }
    siCambio(estado, s, (el) => reemplazar(el, fichaServicio(s)));
    const datos = { c: s.configuracion, actual: p.configuracion?.version ?? null, alcanzable: s.estado !== 'caido' };
    siCambio(configuracion, datos, (el, d) => reemplazar(el, fichaConfiguracion(d.c, d.actual, d.alcanzable)));
  };

  const cargarBreakers = async () => {
    try {
      const todos = await api('/breakers');
      const mio = todos.find((x) => x.servicio === nombre);
      siCambio(breakers, mio ?? null, (el) => reemplazar(el, tablaBreakers(nombre, mio, avisar, refrescar)));
    } catch (err) {
      reemplazar(breakers, h('p', { class: 'error' }, err.message));
    }
  };

  const cargarAparcados = async () => {
    if (!puede('operator')) {
      return reemplazar(
        aparcados,
        h(
          'p',
          {},
          'Ver y operar los mensajes aparcados necesita el rol operator (sus cuerpos tienen datos personales).',
        ),
      );
    }
    try {
      // The queues the broker knows of (the gateway has no control queue); both until the first picture.
      const existentes = panel()
        ?.servicios.find((x) => x.servicio === nombre)
        ?.colas.filter((c) => c.mensajes !== null || c.aparcados !== null)
        .map((c) => c.cola);
      const nombres = existentes?.length ? existentes : [nombre, `${nombre}.control`];
      const colas = await Promise.all(
        nombres.map((cola) => api(`/dlq/${nombre}?cola=${encodeURIComponent(cola)}&limit=100`)),
      );
      siCambio(aparcados, colas, (el) =>
        reemplazar(
          el,
          colas.map((c) => listaAparcados(nombre, c, avisar, refrescar)),
        ),
      );
    } catch (err) {
      reemplazar(aparcados, h('p', { class: 'error', role: 'alert' }, err.message));
    }
  };

  const refrescar = () => Promise.all([cargarBreakers(), cargarAparcados()]);
  const alPanel = (e) => {
    pintarEstado(e.detail);
    void refrescar();
  };
  document.addEventListener('lucy:panel', alPanel);
  pintarEstado(panel());
  await refrescar();
  return () => document.removeEventListener('lucy:panel', alPanel);
}

function fichaServicio(s) {
  return h(
    'div',
    { class: 'tarjeta' },
    h(
      'dl',
      { class: 'datos' },
      h('dt', {}, 'Estado'),
      h('dd', {}, insignia(ESTADO_SERVICIO[s.estado] ?? s.estado, tonoDe(s.estado)), s.motivo ? ` ${s.motivo}` : ''),
      h('dt', {}, 'Broker'),
      h(
        'dd',
        {},
        s.broker
          ? `${s.broker.conectado ? 'conectado' : 'desconectado'} · outbox pendiente: ${numero(s.broker.outboxPendiente)} · reconexiones: ${numero(s.broker.reconexiones)}`
          : '—',
      ),
      h('dt', {}, 'Mensajes por minuto'),
      h('dd', {}, numero(s.mensajesPorMinuto)),
      h('dt', {}, 'Último error'),
      h('dd', {}, s.ultimoError ?? '—'),
    ),
    h(
      'table',
      { class: 'tabla' },
      h('caption', {}, 'Colas'),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ['Cola', 'En cola', 'Consumidores', 'Aparcados'].map((t) => h('th', { scope: 'col' }, t)),
        ),
      ),
      h(
        'tbody',
        {},
        s.colas
          .filter((c) => c.mensajes !== null || c.aparcados !== null)
          .map((c) =>
            h(
              'tr',
              {},
              h('th', { scope: 'row' }, c.cola),
              h('td', { class: 'num' }, c.mensajes === null ? 'no existe' : numero(c.mensajes)),
              h('td', { class: 'num' }, numero(c.consumidores)),
              h('td', { class: 'num' }, numero(c.aparcados)),
            ),
          ),
      ),
    ),
  );
}

/** The version it applies against the gateway's, when and by whom, the keys it takes from it, and those it refused. */
function fichaConfiguracion(c, actual, alcanzable) {
  if (!c) {
    return h(
      'p',
      { class: 'ayuda' },
      alcanzable
        ? 'Este servicio no informa qué configuración aplica (no tiene claves de la configuración, o es una versión anterior).'
        : 'El servicio no responde: no se sabe qué versión de la configuración aplica.',
    );
  }
  const s = situacion(c, actual);
  const rechazadas = rechazadasDe(c);
  return h(
    'div',
    { class: 'tarjeta' },
    h(
      'dl',
      { class: 'datos' },
      h('dt', {}, 'Versión aplicada'),
      h('dd', { 'data-campo': 'version-aplicada' }, versionAplicada(c), s ? [' ', insignia(s.texto, s.tono)] : null),
      h('dt', {}, 'Aplicada'),
      h(
        'dd',
        {},
        c.appliedAt ? `${fecha(c.appliedAt)}${c.cambiadoPor ? ` · versión guardada por ${c.cambiadoPor}` : ''}` : '—',
      ),
      h('dt', {}, 'Claves tomadas de la configuración'),
      h(
        'dd',
        { 'data-campo': 'fijadas' },
        c.fijadas.length ? c.fijadas.join(', ') : 'ninguna: todas vienen de su entorno',
      ),
      h('dt', {}, 'Claves rechazadas'),
      h(
        'dd',
        { 'data-campo': 'rechazadas' },
        rechazadas.length ? insignia(`${rechazadas.length}`, 'alerta') : 'ninguna',
      ),
    ),
    rechazadas.length
      ? [
          h(
            'table',
            { class: 'tabla', id: 'claves-rechazadas' },
            h('caption', {}, 'Claves rechazadas por el servicio'),
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                ['Clave', 'Motivo'].map((t) => h('th', { scope: 'col' }, t)),
              ),
            ),
            h(
              'tbody',
              {},
              rechazadas.map(([clave, motivo]) =>
                h(
                  'tr',
                  { 'data-clave': clave },
                  h('th', { scope: 'row' }, clave),
                  h('td', { class: 'error-corto' }, motivo),
                ),
              ),
            ),
          ),
          h(
            'p',
            { class: 'ayuda' },
            'Una clave rechazada conserva el valor que tenía; corregila en ',
            h('a', { href: '#/configuracion' }, 'Configuración'),
            ' y guardá una versión nueva.',
          ),
        ]
      : null,
    h('p', { class: 'ayuda' }, 'Las claves que nadie fijó en la configuración usan el valor del entorno del servicio.'),
  );
}

function tablaBreakers(servicio, info, avisar, refrescar) {
  if (!info) return h('p', {}, 'Sin datos de breakers.');
  if (!info.breakers.length)
    return h(
      'p',
      {},
      info.alcanzable
        ? 'Este servicio no tiene breakers.'
        : `El servicio no responde (${info.error ?? 'sin respuesta'}).`,
    );
  const reiniciar = async (b, boton) => {
    boton.disabled = true;
    try {
      const r = await api(`/breakers/${servicio}/${b.dependencia}/reiniciar`, { method: 'POST' });
      avisar(
        `Reinicio del breaker ${b.dependencia} solicitado (tarea ${r.tareaId.slice(0, 8)}): ${servicio} confirma el cambio en unos segundos.`,
      );
      await refrescar();
    } catch (err) {
      avisar(`No se pudo reiniciar el breaker ${b.dependencia}: ${err.message}`, 'error');
    } finally {
      boton.disabled = false;
    }
  };
  return h(
    'table',
    { class: 'tabla' },
    h('caption', {}, `Breakers de ${servicio}`),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ['Dependencia', 'Estado', 'Desde', 'Último fallo', 'Límite', 'Acción'].map((t) => h('th', { scope: 'col' }, t)),
      ),
    ),
    h(
      'tbody',
      {},
      info.breakers.map((b) => {
        const boton = h(
          'button',
          {
            type: 'button',
            id: `reiniciar-${b.dependencia}`,
            disabled: !puede('operator'),
            onclick: () => reiniciar(b, boton),
          },
          `Reiniciar ${b.dependencia}`,
        );
        const limite = b.limite?.limits
          ? `${numero(b.limite.limits.rpm)} por minuto${b.limite.factor && b.limite.factor !== 1 ? ` × ${numero(b.limite.factor)}` : ''}`
          : '—';
        return h(
          'tr',
          { 'data-dependencia': b.dependencia },
          h('th', { scope: 'row' }, b.dependencia),
          h(
            'td',
            {},
            insignia(ESTADO_BREAKER[b.estado] ?? b.estado ?? 'desconocido', tonoDe(b.estado)),
            b.fuente === 'evento' ? h('div', { class: 'ayuda' }, 'según el último aviso') : null,
          ),
          h('td', {}, fecha(b.desde)),
          h('td', { class: 'error-corto' }, b.motivo ?? '—'),
          h('td', {}, limite),
          h('td', {}, boton),
        );
      }),
    ),
  );
}

function listaAparcados(servicio, c, avisar, refrescar) {
  const operar = async (op, cuerpo, que) => {
    try {
      const r = await api(`/dlq/${servicio}/${op}`, { method: 'POST', json: { cola: c.cola, ...cuerpo } });
      avisar(
        `${op === 'reintentar' ? 'Reenviado' : 'Descartado'}: ${r.mensajes} mensaje${r.mensajes === 1 ? '' : 's'} de ${r.cola} (${que}).`,
      );
      await refrescar();
    } catch (err) {
      avisar(`No se pudo ${op}: ${err.message}`, 'error');
    }
  };
  const titulo = h('h3', {}, `Cola ${c.cola}: ${c.total} aparcado${c.total === 1 ? '' : 's'}`);
  if (!c.total)
    return h(
      'div',
      { class: 'cola-aparcados', 'data-cola': c.cola },
      titulo,
      h('p', { class: 'ayuda' }, 'Nada aparcado.'),
    );
  return h(
    'div',
    { class: 'cola-aparcados', 'data-cola': c.cola },
    titulo,
    h(
      'div',
      { class: 'acciones' },
      h('button', { type: 'button', onclick: () => operar('reintentar', {}, 'todos') }, 'Reintentar todos'),
      h(
        'button',
        {
          type: 'button',
          class: 'peligro',
          onclick: () =>
            confirm(`¿Descartar los ${c.total} mensajes aparcados de ${c.cola}? No se puede deshacer.`) &&
            operar('descartar', { todos: true }, 'todos'),
        },
        'Descartar todos',
      ),
    ),
    h(
      'table',
      { class: 'tabla' },
      h('caption', {}, `Mensajes aparcados en ${c.cola}`),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ['Mensaje', 'Motivo', 'Intentos', 'Aparcado', 'Acciones'].map((t) => h('th', { scope: 'col' }, t)),
        ),
      ),
      h(
        'tbody',
        {},
        c.mensajes.map((m) =>
          h(
            'tr',
            { 'data-mensaje': m.messageId },
            h(
              'th',
              { scope: 'row' },
              h('div', {}, m.tipo ?? '(sin tipo)'),
              h('code', { class: 'id' }, m.messageId),
              h('details', {}, h('summary', {}, 'Cuerpo'), h('pre', {}, JSON.stringify(m.cuerpo, null, 2))),
            ),
            h(
              'td',
              { class: 'error-corto' },
              m.error ?? '—',
              m.codigoError ? h('div', { class: 'ayuda' }, m.codigoError) : null,
            ),
            h('td', { class: 'num' }, numero(m.intentos)),
            h('td', {}, fecha(m.aparcadoAt)),
            h(
              'td',
              {},
              h(
                'div',
                { class: 'acciones' },
                h(
                  'button',
                  {
                    type: 'button',
                    'aria-label': `Reintentar el mensaje ${m.messageId}`,
                    onclick: () => operar('reintentar', { messageId: m.messageId }, m.tipo ?? m.messageId),
                  },
                  'Reintentar',
                ),
                h(
                  'button',
                  {
                    type: 'button',
                    class: 'peligro',
                    'aria-label': `Descartar el mensaje ${m.messageId}`,
                    onclick: () =>
                      confirm(`¿Descartar el mensaje ${m.messageId}? No se puede deshacer.`) &&
                      operar('descartar', { messageId: m.messageId }, m.tipo ?? m.messageId),
                  },
                  'Descartar',
                ),
              ),
            ),
          ),
        ),
      ),
    ),
  );
}
