import { RuntimeConfig, type StoredConfig } from '@lucy/runtime-config';
import {
  compilarPlantillaEmail,
  problemaDePlantillaEmail,
  problemaDePlantillaRetorno,
  seguirPlantillaEmail,
  type PlantillaEmail,
} from './plantilla-email.js';
import { CARPETA_POR_DEFECTO, Plantillas, type VariablesPlantilla } from './plantillas.js';

const vars: VariablesPlantilla = {
  nombre: 'Ana',
  apellido: "D'Angelo",
  upn: 'a30111222@estudiantes.unrc.edu.ar',
  password: 'Xy7&<Temp>!',
  carrera: 'Licenciatura en Física',
  moodleUrl: 'https://moodle.example',
};

const OPERADOR = {
  asunto: 'Bienvenida, {nombre} {apellido}',
  html: '<p>Hola {nombre} {{apellido}}: {upn} {password}</p>',
  texto: 'Usuario {upn}, clave {password}',
};
const ARCHIVOS = 'Ana, tu cuenta de Microsoft 365 de la UNRC está lista';

/** A RuntimeConfig as mail.module.ts builds it, and the bienvenida template following it. */
function montar() {
  const runtime = new RuntimeConfig(
    ['plantillaEmail'] as const,
    { plantillaEmail: null },
    { plantillaEmail: problemaDePlantillaEmail },
  );
  const plantillas = new Plantillas(CARPETA_POR_DEFECTO, ['bienvenida']);
  seguirPlantillaEmail(plantillas, runtime);
  let previo: StoredConfig | null = null;
  // As libs/runtime-config's handler does: decide what to store (a refused template keeps the one in force), then apply it.
  const fijar = (plantillaEmail: PlantillaEmail) => {
    const decidido = runtime.decide({ valores: { plantillaEmail }, fijadas: ['plantillaEmail'] }, previo);
    previo = {
      version: (previo?.version ?? 0) + 1,
      ...decidido,
      cambiadoPor: 'ana',
      appliedAt: new Date().toISOString(),
    };
    runtime.apply(previo);
    return runtime.describe().rechazadas;
  };
  return {
    fijar,
    render: (over: Partial<VariablesPlantilla> = {}) => plantillas.render('bienvenida', { ...vars, ...over }),
  };
}

describe('an operator’s credentials email (plantillaEmail)', () => {
  it('replaces the files’ bienvenida, with the files’ rules: either placeholder syntax, HTML escaped only in the HTML part', () => {
    const { fijar, render } = montar();
    expect(render().subject).toBe(ARCHIVOS);
    expect(fijar(OPERADOR)).toEqual({});
    expect(render()).toEqual({
      subject: "Bienvenida, Ana D'Angelo",
      html: '<p>Hola Ana D&#x27;Angelo: a30111222@estudiantes.unrc.edu.ar Xy7&amp;&lt;Temp&gt;!</p>',
      text: 'Usuario a30111222@estudiantes.unrc.edu.ar, clave Xy7&<Temp>!',
    });
  });

  it('refuses a template naming an unknown variable, or one that does not compile, naming the field; the one in force stays', () => {
    const { fijar, render } = montar();
    fijar(OPERADOR);
    expect(fijar({ ...OPERADOR, asunto: 'Hola {apodo}' })).toEqual({
      plantillaEmail: expect.stringMatching(
        /^plantillaEmail\.asunto is invalid: .*apodo.*\(variables: nombre, apellido/,
      ),
    });
    expect(fijar({ ...OPERADOR, texto: 'Hola {{#if nombre}} sin cerrar' })).toEqual({
      plantillaEmail: expect.stringMatching(/^plantillaEmail\.texto is invalid: /),
    });
    expect(fijar({ ...OPERADOR, html: '<p>{{nombre}</p>' })).toEqual({
      plantillaEmail: expect.stringMatching(/^plantillaEmail\.html is invalid: /),
    });
    expect(render().subject).toBe("Bienvenida, Ana D'Angelo");
  });

  it('refuses a template that does not carry the credentials in each body, or shows the password in the subject; the one in force stays', () => {
    const { fijar, render } = montar();
    fijar(OPERADOR);
    expect(fijar({ ...OPERADOR, html: '<p>Hola {nombre}: {upn}</p>' })).toEqual({
      plantillaEmail:
        'plantillaEmail.html is invalid: the credentials email must show {upn} and {password} in each body; missing {password}',
    });
    expect(fijar({ ...OPERADOR, texto: '{{!-- {upn} {password} --}}Hola' })).toEqual({
      plantillaEmail:
        'plantillaEmail.texto is invalid: the credentials email must show {upn} and {password} in each body; missing {upn} and {password}',
    });
    expect(fijar({ ...OPERADOR, asunto: 'Tu clave: {{{password}}}' })).toEqual({
      plantillaEmail: expect.stringMatching(
        /^plantillaEmail\.asunto is invalid: the subject must not show \{password\}/,
      ),
    });
    expect(render().subject).toBe("Bienvenida, Ana D'Angelo");
  });

  it('goes back to the files when set to null', () => {
    const { fijar, render } = montar();
    fijar(OPERADOR);
    expect(fijar(null)).toEqual({});
    expect(render().subject).toBe(ARCHIVOS);
  });

  it('keeps the subject on one line whatever the name holds', () => {
    const { fijar, render } = montar();
    fijar(OPERADOR);
    expect(render({ nombre: 'Ana\r\nBcc: x@y.z' }).subject).toBe("Bienvenida, Ana Bcc: x@y.z D'Angelo");
  });

  it('compiles a template once, however many checks and versions ask for it', () => {
    const a = compilarPlantillaEmail({ ...OPERADOR });
    expect(compilarPlantillaEmail({ ...OPERADOR })).toBe(a);
    expect(compilarPlantillaEmail({ ...OPERADOR, texto: 'otro {upn} {password}' })).not.toBe(a);
  });
});

describe('an operator’s return email (plantillaRetorno)', () => {
  const RETORNO = { asunto: 'Hola de nuevo, {nombre}', html: '<p>Usuario {upn}</p>', texto: 'Usuario {upn}' };

  it('accepts a template that shows the UPN and replaces the files’ retorno with it', () => {
    const runtime = new RuntimeConfig(
      ['plantillaRetorno'] as const,
      { plantillaRetorno: null },
      { plantillaRetorno: problemaDePlantillaRetorno },
    );
    const plantillas = new Plantillas(CARPETA_POR_DEFECTO, ['retorno']);
    seguirPlantillaEmail(plantillas, runtime, 'plantillaRetorno');
    expect(plantillas.render('retorno', vars).subject).toBe(
      'Ana, tu cuenta de Microsoft 365 de la UNRC está activa de nuevo',
    );
    const decidido = runtime.decide({ valores: { plantillaRetorno: RETORNO }, fijadas: ['plantillaRetorno'] }, null);
    runtime.apply({ version: 1, ...decidido, cambiadoPor: 'ana', appliedAt: new Date().toISOString() });
    expect(plantillas.render('retorno', vars)).toEqual({
      subject: 'Hola de nuevo, Ana',
      html: '<p>Usuario a30111222@estudiantes.unrc.edu.ar</p>',
      text: 'Usuario a30111222@estudiantes.unrc.edu.ar',
    });
  });

  it('refuses one that shows a password anywhere, or a body without the UPN, naming the field', () => {
    expect(problemaDePlantillaRetorno(RETORNO)).toBeUndefined();
    expect(problemaDePlantillaRetorno({ ...RETORNO, texto: '{upn} {password}' })).toMatch(
      /^plantillaRetorno\.texto is invalid: the return email must not show \{password\}/,
    );
    expect(problemaDePlantillaRetorno({ ...RETORNO, asunto: 'Clave {{password}}' })).toMatch(
      /^plantillaRetorno\.asunto is invalid: .*\{password\}/,
    );
    expect(problemaDePlantillaRetorno({ ...RETORNO, html: '<p>Hola {nombre}</p>' })).toMatch(
      /^plantillaRetorno\.html is invalid: the return email must show \{upn\}/,
    );
    // The credentials email's rule is not the return email's: a credentials template is refused here.
    expect(problemaDePlantillaRetorno(OPERADOR)).toMatch(/must not show \{password\}/);
  });
});
