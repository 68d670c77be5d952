import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { aHandlebars, CARPETA_POR_DEFECTO, Plantillas, type VariablesPlantilla } from './plantillas.js';

const vars = (over: Partial<VariablesPlantilla> = {}): VariablesPlantilla => ({
  nombre: 'Ana',
  apellido: 'Pérez',
  upn: 'a30111222@estudiantes.unrc.edu.ar',
  password: 'Xy7&<Temp>!',
  carrera: 'Licenciatura en Física',
  moodleUrl: 'https://moodle.example',
  ...over,
});

function carpetaCon(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'lucy-plantillas-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

describe('aHandlebars', () => {
  it('turns the admins’ {nombre} into {{nombre}} and leaves handlebars and CSS alone', () => {
    expect(aHandlebars('Hola {nombre} { apellido }')).toBe('Hola {{nombre}} {{apellido}}');
    expect(aHandlebars('{{nombre}} {{{password}}}')).toBe('{{nombre}} {{{password}}}');
    expect(aHandlebars('p { color: red } a{margin:0}')).toBe('p { color: red } a{margin:0}');
  });
});

describe('the bienvenida template shipped with the app', () => {
  const plantillas = new Plantillas(CARPETA_POR_DEFECTO, ['bienvenida']);

  it('has a one-line subject, an HTML part and a text part with the credentials and the Moodle link', () => {
    const r = plantillas.render('bienvenida', vars());
    expect(r.subject).toBe('Ana, tu cuenta de Microsoft 365 de la UNRC está lista');
    expect(r.text).toContain('a30111222@estudiantes.unrc.edu.ar');
    expect(r.text).toContain('Xy7&<Temp>!');
    expect(r.text).toContain('https://moodle.example');
    expect(r.text).toMatch(/cambi/);
    expect(r.html).toContain('<a href="https://moodle.example">');
    expect(r.text.startsWith('Hola Ana Pérez:')).toBe(true);
  });

  it('escapes every value in the HTML part, and only there', () => {
    const r = plantillas.render('bienvenida', vars({ nombre: '<script>alert(1)</script>', apellido: "D'Angelo" }));
    expect(r.html).not.toContain('<script>');
    expect(r.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(r.html).toContain('D&#x27;Angelo');
    expect(r.html).toContain('Xy7&amp;&lt;Temp&gt;!');
    expect(r.text).toContain("Hola <script>alert(1)</script> D'Angelo:");
    expect(r.subject.startsWith('<script>alert(1)</script>, tu cuenta')).toBe(true);
  });

  it('keeps the subject on one line whatever the name holds', () => {
    expect(plantillas.render('bienvenida', vars({ nombre: 'Ana\r\nBcc: x@y.z' })).subject).toBe(
      'Ana Bcc: x@y.z, tu cuenta de Microsoft 365 de la UNRC está lista',
    );
  });
});

describe('templates from MAIL_TEMPLATE_DIR', () => {
  it('renders an administrator’s templates in either placeholder syntax', () => {
    const dir = carpetaCon({
      'x.subject.hbs': 'Hola {nombre}',
      'x.html.hbs': '<p>{{apellido}} {carrera}</p>',
      'x.text.hbs': '{upn} / {password}',
    });
    const r = new Plantillas(dir, ['x']).render('x', vars({ apellido: 'A&B' }));
    expect(r).toEqual({
      subject: 'Hola Ana',
      html: '<p>A&amp;B Licenciatura en Física</p>',
      text: 'a30111222@estudiantes.unrc.edu.ar / Xy7&<Temp>!',
    });
  });

  it('refuses at start a template naming a variable it will never get, naming the file', () => {
    const dir = carpetaCon({ 'x.subject.hbs': 'Hola {apodo}', 'x.html.hbs': '<p></p>', 'x.text.hbs': '' });
    expect(() => new Plantillas(dir, ['x'])).toThrow(/x\.subject\.hbs is invalid: .*apodo/);
  });

  it('refuses at start a credentials email (bienvenida) whose bodies do not show {upn} and {password}', () => {
    const dir = carpetaCon({
      'bienvenida.subject.hbs': 'Hola {nombre}',
      'bienvenida.html.hbs': '<p>{upn} {{password}}</p>',
      'bienvenida.text.hbs': 'Usuario: {upn}',
    });
    expect(() => new Plantillas(dir, ['bienvenida'])).toThrow(
      /bienvenida\.text\.hbs is invalid: .*missing \{password\}/,
    );
  });

  it('refuses at start a missing part, naming the file', () => {
    const dir = carpetaCon({ 'x.subject.hbs': 'Hola', 'x.html.hbs': '<p></p>' });
    expect(() => new Plantillas(dir, ['x'])).toThrow(/x\.text\.hbs cannot be read \(ENOENT\)/);
  });
});

describe('the retorno template shipped with the app', () => {
  it('tells the student their account is active again: the UPN in each body, no password anywhere', () => {
    const r = new Plantillas(CARPETA_POR_DEFECTO, ['retorno']).render('retorno', vars());
    expect(r.subject).toBe('Ana, tu cuenta de Microsoft 365 de la UNRC está activa de nuevo');
    for (const parte of [r.text, r.html]) {
      expect(parte).toContain('a30111222@estudiantes.unrc.edu.ar');
      expect(parte).not.toContain('Xy7');
    }
    expect(r.text.startsWith('Hola Ana Pérez:')).toBe(true);
  });

  it('is read from the app’s folder when MAIL_TEMPLATE_DIR has none of its files', () => {
    const dir = carpetaCon({ 'x.subject.hbs': 'Hola', 'x.html.hbs': '<p>{upn}</p>', 'x.text.hbs': '{upn}' });
    expect(new Plantillas(dir, ['x', 'retorno']).render('retorno', vars()).subject).toMatch(/activa de nuevo$/);
  });
});
