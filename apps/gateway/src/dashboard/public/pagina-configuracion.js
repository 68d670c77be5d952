// The runtime configuration: read it, edit it as JSON, validate it (the gateway checks it as it would
// on save, without saving), save it as a new version, export and import it as a file. Not live: a
// refresh would throw away an edit in progress.
import { api, puede } from './api.js';
import { fecha, h, reemplazar } from './dom.js';

export default async function configuracion(main, { avisar }) {
  const info = h('p', { id: 'version-config', class: 'ayuda' });
  const editor = h('textarea', { id: 'editor-config', rows: 24, spellcheck: false, 'aria-describedby': 'version-config resultado-config' });
  const motivo = h('input', { id: 'motivo-config', type: 'text', maxLength: 500, placeholder: 'p. ej. más cupo para Graph durante las inscripciones' });
  const resultado = h('div', { id: 'resultado-config', 'aria-live': 'polite' });
  const historial = h('div', { id: 'historial-config' });
  const importar = h('input', { id: 'importar-config', type: 'file', accept: '.json,application/json' });
  let actual = null;
  const admin = puede('admin');

  const cargar = async () => {
    actual = await api('/config');
    editor.value = JSON.stringify(actual.valores, null, 2);
    reemplazar(info, actual.version ? `Versión ${actual.version}, cambiada por ${actual.cambiadoPor} el ${fecha(actual.at)}${actual.motivo ? ` («${actual.motivo}»)` : ''}.` : 'Versión 0: nada guardado todavía, los servicios usan sus valores por defecto.');
    const v = await api('/config/versiones?limit=10');
    reemplazar(
      historial,
      v.items.length
        ? h('ol', { class: 'auditoria' }, v.items.map((x) => h('li', {}, h('strong', {}, `v${x.version}`), ` ${fecha(x.at)} por ${x.cambiadoPor}: ${x.cambios.join(', ') || 'sin cambios'}${x.motivo ? ` — ${x.motivo}` : ''}`)))
        : h('p', {}, 'Sin versiones guardadas.'),
    );
  };

  /** The editor's JSON, or undefined after saying what is wrong with it. */
  const leer = () => {
    try {
      return JSON.parse(editor.value);
    } catch (err) {
      reemplazar(resultado, h('p', { class: 'error', role: 'alert' }, `No es JSON válido: ${err.message}`));
      editor.focus();
      return undefined;
    }
  };

  const validar = async () => {
    const valores = leer();
    if (valores === undefined) return false;
    try {
      const r = await api('/panel/config/validar', { method: 'POST', json: { valores } });
      if (r.valida) reemplazar(resultado, h('p', { class: 'bien' }, '✓ La configuración es válida.'));
      else reemplazar(resultado, h('div', { role: 'alert' }, h('p', { class: 'error' }, 'La configuración tiene problemas:'), h('ul', {}, r.problemas.map((p) => h('li', {}, h('code', {}, p.campo), `: ${p.mensaje}`)))));
      return r.valida;
    } catch (err) {
      reemplazar(resultado, h('p', { class: 'error', role: 'alert' }, err.message));
      return false;
    }
  };

  const guardar = async () => {
    if (!(await validar())) return;
    try {
      const r = await api('/config', { method: 'PUT', json: { valores: leer(), versionBase: actual.version, ...(motivo.value.trim() ? { motivo: motivo.value.trim() } : {}) } });
      avisar(r.sinCambios ? 'Sin cambios: la configuración ya era esa.' : `Guardada la versión ${r.version} (cambió: ${r.cambios.join(', ')}). Los servicios la aplican sin reiniciarse.`);
      motivo.value = '';
      await cargar();
    } catch (err) {
      reemplazar(resultado, h('p', { class: 'error', role: 'alert' }, `No se guardó: ${err.message}`));
    }
  };

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
      avisar(r.sinCambios ? 'Importada: no cambió nada.' : `Importada como versión ${r.version} (cambió: ${r.cambios.join(', ')}).`);
      await cargar();
    } catch (err) {
      reemplazar(resultado, h('p', { class: 'error', role: 'alert' }, `No se pudo importar: ${err.message}`));
    } finally {
      importar.value = '';
    }
  });

  main.append(
    h('h1', {}, 'Configuración'),
    info,
    h(
      'div',
      { class: 'tarjeta' },
      h('label', { for: 'editor-config' }, 'Configuración (JSON)'),
      h('p', { class: 'ayuda' }, 'Tamaño de lote, límites de tasa, plantilla del correo, patrón y dominio del UPN, licencia, cursos por estado y periodo, autenticación de Moodle, zona horaria. Los secretos no van aquí: se configuran en el entorno de cada servicio.'),
      editor,
      admin ? [h('label', { for: 'motivo-config' }, 'Motivo del cambio (opcional)'), motivo] : h('p', { class: 'ayuda' }, 'Guardar e importar necesitan el rol admin.'),
      resultado,
      h(
        'div',
        { class: 'acciones' },
        h('button', { type: 'button', class: 'secundario', onclick: validar }, 'Validar'),
        admin ? h('button', { type: 'button', onclick: guardar }, 'Guardar') : null,
        h('button', { type: 'button', class: 'secundario', onclick: exportar }, 'Exportar JSON'),
        admin ? h('label', { class: 'en-linea', for: 'importar-config' }, 'Importar JSON:') : null,
        admin ? importar : null,
        h('button', { type: 'button', class: 'secundario', onclick: () => cargar().then(() => reemplazar(resultado), (e) => avisar(e.message, 'error')) }, 'Descartar cambios'),
      ),
    ),
    h('section', { 'aria-labelledby': 't-historial' }, h('h2', { id: 't-historial' }, 'Últimas versiones'), historial),
  );
  await cargar();
}
