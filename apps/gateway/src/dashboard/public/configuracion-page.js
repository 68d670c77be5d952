// The runtime configuration: edited as a form (or as JSON, in the "Avanzado" tab), validated by the
// gateway without saving, saved as a new version on top of the one being edited (someone else's save in
// between is a 409 that keeps this edit and offers to reload under it), exported and imported as a file.
// Shows which keys an operator has set (an admin can give one back to the services' environment) and,
// service by service, whether the current version is applied (refreshed with the live stream; the form
// itself is never refreshed under the user's hands).
import { api, puede } from './api.js';
import { fecha, h, insignia, reemplazar, siCambio } from './dom.js';
import { formulario } from './config-formulario.js';
import { cambiosEntre, estadoAplicacion, fusionar, resumenVersion } from './config-modelo.js';

export default async function configuracion(main, { avisar }) {
  const admin = puede('admin');
  const info = h('p', { id: 'version-config', class: 'ayuda' });
  const fijadasResumen = h('p', { id: 'fijadas-config', class: 'ayuda', hidden: true });
  const nuevaVersion = h('div', { id: 'nueva-version-config', 'aria-live': 'polite' });
  const aplicacion = h('div', { id: 'aplicacion-config', 'aria-live': 'polite' });
  const editor = h('textarea', {
    id: 'editor-config',
    rows: 24,
    'aria-describedby': 'editor-config-ayuda resultado-config',
  });
  editor.spellcheck = false;
  const motivo = h('input', {
    id: 'motivo-config',
    type: 'text',
    maxLength: 500,
    placeholder: 'p. ej. lotes más grandes para las inscripciones de febrero',
  });
  const pendientes = h('p', { id: 'pendientes-config', class: 'ayuda', 'aria-live': 'polite' });
  const resultado = h('div', { id: 'resultado-config', tabIndex: -1 });
  const historial = h('div', { id: 'historial-config' });
  const importar = h('input', { id: 'importar-config', type: 'file', accept: '.json,application/json' });
  /** The version being edited: GET /config's answer (valores, version, fijadas, aplicacion…). */
  let actual = null;
  /** The version this page saved last: a refresh that sees it before `actual` does is not someone else's. */
  let propia = 0;
  let vigente = true;
  let seguimiento = null;

  // ---- the two editors: the form and the JSON ---------------------------------------------------------

  const form = formulario({ alCambiar: () => pintarPendientes(), alSoltar: admin ? (clave) => soltar(clave) : null });
  const pestanas = [
    { id: 'formulario', titulo: 'Formulario', panel: h('div', {}, form.el) },
    {
      id: 'json',
      titulo: 'Avanzado (JSON)',
      panel: h(
        'div',
        { class: 'tarjeta' },
        h('label', { for: 'editor-config' }, 'Configuración (JSON)'),
        h(
          'p',
          { class: 'ayuda', id: 'editor-config-ayuda' },
          'La misma configuración completa, para copiar o para cambios que el formulario no ofrece. Los secretos no van aquí: se configuran en el entorno de cada servicio.',
        ),
        editor,
      ),
    },
  ];
  let activa = 'formulario';
  const botones = pestanas.map((p) =>
    h(
      'button',
      {
        type: 'button',
        role: 'tab',
        id: `pestana-${p.id}`,
        class: 'pestana',
        'aria-controls': `panel-${p.id}`,
        onclick: () => elegir(p.id),
        onkeydown: (e) => moverPestana(e, p.id),
      },
      p.titulo,
    ),
  );
  for (const p of pestanas)
    Object.assign(p.panel, { id: `panel-${p.id}`, role: 'tabpanel', tabIndex: -1 }).setAttribute(
      'aria-labelledby',
      `pestana-${p.id}`,
    );

  /** The edit in progress, from the tab in use: `{ valores, problemas }`, or undefined (JSON that does not parse: said so). */
  const borrador = () => {
    if (activa === 'formulario') return form.leer();
    try {
      return { valores: JSON.parse(editor.value), problemas: [] };
    } catch (err) {
      reemplazar(resultado, h('p', { class: 'error', role: 'alert' }, `No es JSON válido: ${err.message}`));
      editor.focus();
      return undefined;
    }
  };

  /** Puts `valores` in both editors (the one not in use gets it again when it is chosen). */
  const ponerEnEditores = (valores) => {
    form.poner(valores);
    editor.value = JSON.stringify(valores, null, 2);
    pintarPendientes();
  };

  function elegir(id, { foco = true } = {}) {
    if (id !== activa) {
      // Carry the edit across: nothing typed in one tab is lost by opening the other.
      const b = borrador();
      if (!b) return;
      if (id === 'json') editor.value = JSON.stringify(b.valores, null, 2);
      else form.poner(b.valores);
      activa = id;
    }
    for (const [i, p] of pestanas.entries()) {
      const si = p.id === activa;
      botones[i].setAttribute('aria-selected', String(si));
      botones[i].tabIndex = si ? 0 : -1;
      p.panel.hidden = !si;
    }
    if (foco) botones[pestanas.findIndex((p) => p.id === activa)].focus();
    pintarPendientes();
  }

  /** The tabs pattern: arrows move between tabs (and open them), Home/End go to the ends. */
  function moverPestana(e, id) {
    const i = pestanas.findIndex((p) => p.id === id);
    const destino = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: pestanas.length - 1 }[e.key];
    if (destino === undefined) return;
    e.preventDefault();
    elegir(pestanas[(destino + pestanas.length) % pestanas.length].id);
  }

  function pintarPendientes() {
    if (!actual) return;
    let valores;
    if (activa === 'formulario') valores = form.leer().valores;
    else {
      try {
        valores = JSON.parse(editor.value);
      } catch {
        return reemplazar(pendientes, 'El JSON no se puede leer todavía.');
      }
    }
    const claves = cambiosEntre(actual.valores, valores);
    reemplazar(
      pendientes,
      claves.length ? ['Cambios sin guardar: ', claves.join(', '), '.'] : 'Sin cambios respecto de la versión cargada.',
    );
  }

  // ---- what the server says ----------------------------------------------------------------------------

  const pintarInfo = () => {
    reemplazar(
      info,
      actual.version
        ? `Versión ${actual.version}, cambiada por ${actual.cambiadoPor} el ${fecha(actual.at)}${actual.motivo ? ` («${actual.motivo}»)` : ''}.`
        : 'Versión 0: nada guardado todavía, los servicios usan sus valores por defecto.',
    );
  };

  const pintarFijadas = (r) => {
    form.ponerFijadas(r.fijadas);
    fijadasResumen.hidden = !Array.isArray(r.fijadas);
    if (Array.isArray(r.fijadas)) {
      reemplazar(
        fijadasResumen,
        r.fijadas.length ? `Fijadas por un operador: ${r.fijadas.join(', ')}.` : 'Ninguna clave fijada todavía.',
        ' Una clave sin fijar sigue el valor del entorno de cada servicio (lo que el formulario muestra para ella es el predeterminado del gateway); queda fijada cuando alguien la cambia aquí o la importa, y «Volver al entorno» la devuelve a ese valor.',
      );
    }
  };

  const pintarAplicacion = (r) => {
    const estado = estadoAplicacion(r.aplicacion, r.version);
    siCambio(aplicacion, { estado, version: r.version }, (el) => {
      if (!estado)
        return reemplazar(
          el,
          h('p', { class: 'ayuda' }, 'El gateway todavía no informa qué versión aplica cada servicio.'),
        );
      reemplazar(
        el,
        h(
          'p',
          { id: 'aplicacion-resumen', 'data-todos': String(estado.todos) },
          estado.todos
            ? `✓ Todos los servicios aplican la versión ${r.version}.`
            : `Aplicando la versión ${r.version}…`,
        ),
        h(
          'ul',
          { class: 'aplicacion' },
          estado.servicios.map((s) =>
            h(
              'li',
              { 'data-servicio': s.servicio, 'data-al-dia': String(s.alDia) },
              h('strong', {}, s.servicio),
              ' ',
              s.alDia
                ? insignia(`✓ v${s.version ?? r.version}`, 'bien')
                : s.version === null
                  ? [insignia('? sin datos', 'neutro'), s.error ? h('span', { class: 'ayuda' }, ` ${s.error}`) : null]
                  : s.version > r.version
                    ? insignia(`⚠ v${s.version}, más nueva que la del gateway`, 'mal')
                    : insignia(`… v${s.version}, pendiente`, 'alerta'),
              s.rechazadas.length
                ? h(
                    'ul',
                    {},
                    s.rechazadas.map((x) =>
                      h(
                        'li',
                        { class: 'error' },
                        `rechazó ${x.clave}${x.motivo ? `: ${x.motivo}` : ''} (sigue con su valor anterior)`,
                      ),
                    ),
                  )
                : null,
            ),
          ),
        ),
      );
    });
  };

  /** Someone saved after this page loaded its version: say so before a save gets the 409. */
  const pintarNuevaVersion = (r) => {
    if (!actual || r.version <= Math.max(actual.version, propia)) return reemplazar(nuevaVersion);
    siCambio(nuevaVersion, r.version, (el) =>
      reemplazar(
        el,
        h(
          'div',
          { class: 'aviso-en-linea alerta', role: 'status' },
          h(
            'p',
            {},
            `${r.cambiadoPor} guardó la versión ${r.version}${r.at ? ` el ${fecha(r.at)}` : ''} después de que abriste esta página.`,
          ),
          h(
            'button',
            { type: 'button', class: 'secundario', onclick: recargarConservando },
            'Recargar y conservar mis cambios',
          ),
        ),
      ),
    );
  };

  /** The parts of GET /config that are not the edit: version notice, set keys, application per service. */
  const refrescarEstado = async () => {
    try {
      const r = await api('/config');
      if (!vigente) return r;
      pintarFijadas(r);
      pintarAplicacion(r);
      pintarNuevaVersion(r);
      return r;
    } catch {
      return null; // the live stream says when the gateway is gone; the next event retries
    }
  };

  const cargarHistorial = async () => {
    const v = await api('/config/versiones?limit=10');
    reemplazar(
      historial,
      v.items.length
        ? h(
            'ol',
            { class: 'auditoria' },
            v.items.map((x) =>
              h(
                'li',
                {},
                h('strong', {}, `v${x.version}`),
                ` ${fecha(x.at)} por ${x.cambiadoPor}: ${resumenVersion(x)}${x.motivo ? ` — ${x.motivo}` : ''}`,
              ),
            ),
          )
        : h('p', {}, 'Sin versiones guardadas.'),
    );
  };

  /** The current version into the editors (what was typed is replaced: callers decide when that is right). */
  const cargar = async () => {
    actual = await api('/config');
    ponerEnEditores(actual.valores);
    pintarInfo();
    pintarFijadas(actual);
    pintarAplicacion(actual);
    reemplazar(nuevaVersion);
    await cargarHistorial();
  };

  // ---- problems, saving, conflicts -----------------------------------------------------------------------

  /** Problems by field: beside each field (form) and as a list that leads to them. */
  function mostrarProblemas(titulo, problemas) {
    const ubicados =
      activa === 'formulario'
        ? form.mostrarProblemas(problemas)
        : problemas.map((p) => ({ ...p, ruta: p.campo, etiqueta: null, enfocar: null }));
    reemplazar(
      resultado,
      h(
        'div',
        { role: 'alert', class: 'resumen-problemas' },
        h('p', { class: 'error' }, titulo),
        h(
          'ul',
          {},
          ubicados.map((p) =>
            h(
              'li',
              {},
              p.enfocar
                ? h('button', { type: 'button', class: 'enlace', onclick: p.enfocar }, p.etiqueta)
                : h('code', {}, String(p.ruta ?? p.campo ?? '')),
              `: ${p.mensaje}`,
            ),
          ),
        ),
      ),
    );
  }

  const limpiar = () => {
    form.limpiarProblemas();
    reemplazar(resultado);
  };

  const validar = async () => {
    const b = borrador();
    if (!b) return false;
    if (b.problemas.length) return void mostrarProblemas('Revisá estos campos:', b.problemas);
    try {
      const r = await api('/panel/config/validar', { method: 'POST', json: { valores: b.valores } });
      if (!r.valida) return void mostrarProblemas('La configuración tiene problemas:', r.problemas);
      limpiar();
      reemplazar(resultado, h('p', { class: 'bien', role: 'status' }, '✓ La configuración es válida.'));
    } catch (err) {
      reemplazar(resultado, h('p', { class: 'error', role: 'alert' }, err.message));
    }
  };

  const guardar = async () => {
    const b = borrador();
    if (!b) return;
    if (b.problemas.length) return void mostrarProblemas('No se guardó: revisá estos campos.', b.problemas);
    let r;
    try {
      const m = motivo.value.trim();
      r = await api('/config', {
        method: 'PUT',
        json: { valores: b.valores, versionBase: actual.version, ...(m ? { motivo: m } : {}) },
      });
    } catch (err) {
      if (err.status === 409) return conflicto(err);
      if (err.problemas?.length)
        return mostrarProblemas('No se guardó: el gateway rechazó estos valores.', err.problemas);
      return void reemplazar(resultado, h('p', { class: 'error', role: 'alert' }, `No se guardó: ${err.message}`));
    }
    propia = r.version;
    motivo.value = '';
    limpiar();
    reemplazar(
      resultado,
      h(
        'p',
        { class: 'bien', role: 'status' },
        r.sinCambios
          ? 'Sin cambios: la configuración ya era esa.'
          : `Guardada la versión ${r.version} (cambió: ${r.cambios.join(', ')}). Los servicios la aplican sin reiniciarse: arriba se ve cuándo.`,
      ),
    );
    await cargar().catch((err) => avisar(`Guardada, pero no se pudo releer: ${err.message}`, 'error'));
    if (!r.sinCambios) seguir();
  };

  /** A 409: the edit stays where it is; the user chooses to reload under it or to drop it. */
  function conflicto(err) {
    reemplazar(
      resultado,
      h(
        'div',
        { role: 'alert', class: 'aviso-en-linea alerta', id: 'conflicto-config' },
        h('p', {}, `No se guardó: ${err.message}. Tus cambios siguen aquí.`),
        h('button', { type: 'button', onclick: recargarConservando }, 'Recargar y conservar mis cambios'),
        h(
          'button',
          { type: 'button', class: 'secundario', onclick: () => descartar() },
          'Descartar mis cambios y recargar',
        ),
      ),
    );
    resultado.focus();
  }

  /** The newest version with this edit's changes on top; the user reviews and saves again. */
  async function recargarConservando() {
    const b = borrador();
    if (!b) return;
    try {
      const base = actual.valores;
      const nueva = await api('/config');
      const f = fusionar(base, b.valores, nueva.valores);
      actual = nueva;
      ponerEnEditores(f.valores);
      pintarInfo();
      pintarFijadas(nueva);
      pintarAplicacion(nueva);
      reemplazar(nuevaVersion);
      await cargarHistorial();
      reemplazar(
        resultado,
        h(
          'div',
          { role: 'status', class: 'aviso-en-linea' },
          h(
            'p',
            {},
            `Cargada la versión ${nueva.version} (de ${nueva.cambiadoPor}). ${f.conservadas.length ? `Tus cambios en ${f.conservadas.join(', ')} siguen aquí: revisalos y guardá de nuevo.` : 'No tenías cambios sin guardar.'}`,
          ),
          f.enConflicto.length
            ? h(
                'p',
                { class: 'error' },
                `Atención: ${nueva.cambiadoPor} también cambió ${f.enConflicto.join(', ')}; quedó tu valor, compará con el historial antes de guardar.`,
              )
            : null,
        ),
      );
      resultado.focus();
    } catch (err) {
      reemplazar(resultado, h('p', { class: 'error', role: 'alert' }, `No se pudo recargar: ${err.message}`));
    }
  }

  async function descartar() {
    try {
      await cargar();
      limpiar();
    } catch (err) {
      avisar(err.message, 'error');
    }
  }

  /** After a save, follows the services applying it more closely than the live stream's pace. */
  function seguir() {
    clearInterval(seguimiento);
    const hasta = Date.now() + 60_000;
    seguimiento = setInterval(async () => {
      const r = await refrescarEstado();
      if (!vigente || Date.now() > hasta || estadoAplicacion(r?.aplicacion, r?.version)?.todos)
        clearInterval(seguimiento);
    }, 1000);
  }

  // ---- giving a key back to the environment ----------------------------------------------------------------

  /**
   * DELETE /config/fijadas/{clave}: a new version with the same values, so an edit in progress is kept on
   * top of it (as after someone else's save); without one, the page simply shows the new version.
   */
  async function soltar(clave) {
    const ok = confirm(
      `¿Volver al entorno «${clave}»?\n\nCada servicio vuelve a usar para esta clave el valor de su entorno (sus variables de despliegue), no el que muestra esta página. Se guarda como una versión nueva; la clave vuelve a quedar fijada cuando alguien cambia su valor.`,
    );
    if (!ok) return;
    let r;
    try {
      r = await api(`/config/fijadas/${encodeURIComponent(clave)}`, { method: 'DELETE' });
    } catch (err) {
      avisar(`No se pudo volver al entorno «${clave}»: ${err.message}`, 'error');
      await refrescarEstado();
      return;
    }
    propia = r.version;
    avisar(
      `«${clave}» volvió al entorno de cada servicio (versión ${r.version}). Los servicios la aplican sin reiniciarse.`,
    );
    try {
      // The button lives in the form, so the edit in progress is the form's.
      if (cambiosEntre(actual.valores, form.leer().valores).length) await recargarConservando();
      else {
        await cargar();
        limpiar(); // a message about an earlier save would read as this one's
      }
    } catch (err) {
      avisar(`Guardada, pero no se pudo releer: ${err.message}`, 'error');
    }
    form.enfocarSeccion(clave);
    seguir();
  }

  // ---- export and import -----------------------------------------------------------------------------------

  const exportar = async () => {
    try {
      const res = await api('/config/export', { crudo: true });
      const url = URL.createObjectURL(await res.blob());
      const a = h('a', { href: url, download: `lucy-config-v${actual?.version ?? 0}.json` });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (err) {
      avisar(`No se pudo exportar: ${err.message}`, 'error');
    }
  };

  importar.addEventListener('change', async () => {
    const f = importar.files[0];
    if (!f) return;
    try {
      const json = JSON.parse(await f.text());
      const r = await api('/config/import', { method: 'POST', json });
      propia = r.version;
      avisar(
        r.sinCambios
          ? 'Importada: no cambió nada.'
          : `Importada como versión ${r.version} (${r.cambios.length ? `cambió: ${r.cambios.join(', ')}` : 'mismos valores'}); las claves del archivo quedan fijadas.`,
      );
      await cargar();
      limpiar();
      if (!r.sinCambios) seguir();
    } catch (err) {
      if (err.problemas?.length) mostrarProblemas('No se pudo importar: el archivo tiene problemas.', err.problemas);
      else reemplazar(resultado, h('p', { class: 'error', role: 'alert' }, `No se pudo importar: ${err.message}`));
    } finally {
      importar.value = '';
    }
  });

  // ---- the page ----------------------------------------------------------------------------------------

  main.append(
    h('h1', {}, 'Configuración'),
    info,
    fijadasResumen,
    nuevaVersion,
    h(
      'section',
      { 'aria-labelledby': 't-aplicacion', class: 'tarjeta' },
      h('h2', { id: 't-aplicacion' }, 'Aplicación en los servicios'),
      aplicacion,
    ),
    h('div', { role: 'tablist', 'aria-label': 'Cómo editar la configuración', class: 'pestanas' }, botones),
    ...pestanas.map((p) => p.panel),
    h(
      'div',
      { class: 'tarjeta guardar-config' },
      admin
        ? [
            h('label', { for: 'motivo-config' }, 'Motivo del cambio (opcional)'),
            motivo,
            h('p', { class: 'ayuda' }, 'Queda en el historial junto a quién y cuándo.'),
          ]
        : h('p', { class: 'ayuda' }, 'Guardar e importar necesitan el rol admin.'),
      pendientes,
      resultado,
      h(
        'div',
        { class: 'acciones' },
        h('button', { type: 'button', class: 'secundario', onclick: validar }, 'Validar'),
        admin ? h('button', { type: 'button', onclick: guardar }, 'Guardar') : null,
        h('button', { type: 'button', class: 'secundario', onclick: exportar }, 'Exportar JSON'),
        admin ? h('label', { class: 'en-linea', for: 'importar-config' }, 'Importar JSON:') : null,
        admin ? importar : null,
        h('button', { type: 'button', class: 'secundario', onclick: () => descartar() }, 'Descartar cambios'),
      ),
    ),
    h('section', { 'aria-labelledby': 't-historial' }, h('h2', { id: 't-historial' }, 'Últimas versiones'), historial),
  );
  elegir('formulario', { foco: false });
  await cargar();

  const alPanel = () => void refrescarEstado();
  document.addEventListener('lucy:panel', alPanel);
  return () => {
    vigente = false;
    clearInterval(seguimiento);
    document.removeEventListener('lucy:panel', alPanel);
  };
}
