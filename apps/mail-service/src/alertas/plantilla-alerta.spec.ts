import { renderAlerta } from './plantilla-alerta.js';

const datos = {
  titulo: 'Falló una reconciliación',
  reconciliacionId: 'r-1',
  motivo: 'moodle: <timeout>',
  ocurridaAt: '2026-03-02T06:00:00.000Z',
};

describe('renderAlerta', () => {
  it('the built-in template shows what applies and leaves out what does not; the HTML part escapes', () => {
    const m = renderAlerta({ tipo: 'reconciliacion_fallida', datos, plantilla: null });
    expect(m.subject).toBe('[Lucy] Falló una reconciliación');
    expect(m.text).toContain('Reconciliación: r-1');
    expect(m.text).toContain('Motivo: moodle: <timeout>');
    expect(m.text).not.toMatch(/Trabajo:|Diferencias:/);
    expect(m.html).toContain('moodle: &lt;timeout&gt;');
  });

  it("an operator's subject is one line", () => {
    const m = renderAlerta({
      tipo: 'deriva',
      datos,
      plantilla: { asunto: '{tipo}\n{{titulo}}', cuerpo: '{{motivo}}' },
    });
    expect(m.subject).toBe('deriva Falló una reconciliación');
    expect(m.text).toBe('moodle: <timeout>');
  });

  it('a template naming an unknown variable throws, naming the part', () => {
    expect(() => renderAlerta({ tipo: 'deriva', datos, plantilla: { asunto: 'x', cuerpo: '{{password}}' } })).toThrow(
      /alert template cuerpo is invalid/,
    );
  });
});
