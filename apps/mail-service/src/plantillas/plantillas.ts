// The email templates, rendered with handlebars: the files an administrator can edit, and in their place
// for one template the sources an operator sets at run time (plantilla-email.ts).
//
// A template is three parts: subject, HTML and text. On disk they are three files in one folder:
// <nombre>.subject.hbs, <nombre>.html.hbs, <nombre>.text.hbs. Variables may be written the way the admins'
// documents write them, `{nombre}`, or the handlebars way, `{{nombre}}`: a lone-brace placeholder is
// rewritten to handlebars before compiling. In the HTML part every value is HTML-escaped (a name like
// `<script>` or `D'Angelo` stays text); the subject and the text part are not HTML, so they get the values
// as they are. Wherever its sources come from, a template goes through `compilar`: an unknown variable or a
// syntax error is found there, naming the part, before any student's email is rendered with it.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';
import { PLANTILLA_BIENVENIDA, PLANTILLA_RETORNO } from '../domain/envio.js';
import { problemaDeCredenciales } from './credenciales.js';
import { problemaDeRetorno } from './retorno.js';

export const VARIABLES = ['nombre', 'apellido', 'upn', 'password', 'carrera', 'moodleUrl'] as const;
export type VariablesPlantilla = Record<(typeof VARIABLES)[number], string>;

export interface Renderizado {
  subject: string;
  html: string;
  text: string;
}

export type Parte = keyof Renderizado;
const PARTES: Parte[] = ['subject', 'html', 'text'];

/** A template's three sources, as written (either placeholder syntax). */
export type Fuentes = Record<Parte, string>;

/** A template ready to render: what `compilar` returns. */
export type PlantillaCompilada = Readonly<Record<Parte, Handlebars.TemplateDelegate>>;

/** A template's own rule beyond "it compiles": what it must (not) show, naming the part. */
export type Regla = (fuentes: Fuentes) => { parte: Parte; problema: string } | undefined;

/** The rule of each template that has one: the credentials email (credenciales.ts), the return email (retorno.ts). */
export const REGLAS: Readonly<Record<string, Regla>> = {
  [PLANTILLA_BIENVENIDA]: problemaDeCredenciales,
  [PLANTILLA_RETORNO]: problemaDeRetorno,
};

/** The app's own templates/ folder (apps/mail-service/templates). */
export const CARPETA_POR_DEFECTO = fileURLToPath(new URL('../../templates/', import.meta.url));

const LONE_BRACE = /(^|[^{])\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}(?!\})/g;

/** `{nombre}` → `{{nombre}}`; handlebars expressions (`{{x}}`, `{{{x}}}`) and CSS blocks are left alone. */
export function aHandlebars(source: string): string {
  return source.replace(LONE_BRACE, (_m, before: string, name: string) => `${before}{{${name}}}`);
}

const EJEMPLO: VariablesPlantilla = {
  nombre: 'Ana',
  apellido: 'Pérez',
  upn: 'a30111222@estudiantes.example',
  password: 'Ejemplo-123!',
  carrera: 'Licenciatura en Ejemplo',
  moodleUrl: 'https://moodle.example',
};

// No helpers or partials are registered: a template can use handlebars' built-ins and our variables only.
const hbs = Handlebars.create();

/**
 * The one compile step, for the files, an operator's template and the check that refuses a bad one.
 * Throws naming the part (`nombreDe(parte)`: a file, a configuration field) and the variables there are.
 * `regla`: the template's own rule (REGLAS), checked on the sources once they compile.
 */
export function compilar(fuentes: Fuentes, nombreDe: (parte: Parte) => string, regla?: Regla): PlantillaCompilada {
  const out = {} as Record<Parte, Handlebars.TemplateDelegate>;
  for (const parte of PARTES) {
    try {
      // strict: a variable the template names but we do not provide is an error, not an empty string.
      const fn = hbs.compile(aHandlebars(fuentes[parte]), { strict: true, noEscape: parte !== 'html' });
      fn(EJEMPLO); // handlebars compiles lazily: render once so a bad template fails now, not on a student
      out[parte] = fn;
    } catch (err) {
      throw new Error(`${nombreDe(parte)} is invalid: ${(err as Error).message} (variables: ${VARIABLES.join(', ')})`, {
        cause: err,
      });
    }
  }
  const falta = regla?.({
    subject: aHandlebars(fuentes.subject),
    html: aHandlebars(fuentes.html),
    text: aHandlebars(fuentes.text),
  });
  if (falta) throw new Error(`${nombreDe(falta.parte)} is invalid: ${falta.problema}`);
  return out;
}

export class Plantillas {
  private readonly deArchivos = new Map<string, PlantillaCompilada>();
  private readonly reemplazos = new Map<string, PlantillaCompilada>();

  /**
   * Reads and compiles the files of every template in `nombres`: a bad one stops the service, naming the
   * file. A template with none of its files in `carpeta` (an administrator's folder from before it existed)
   * is read from the app's own folder; one with some of them only is an error like any other.
   */
  constructor(
    private readonly carpeta: string,
    nombres: readonly string[],
  ) {
    for (const nombre of nombres) this.deArchivos.set(nombre, this.cargar(nombre));
  }

  /** Renders `nombre` as it stands now: an operator's template if one replaces it, else the files'. */
  render(nombre: string, variables: VariablesPlantilla): Renderizado {
    const t = this.reemplazos.get(nombre) ?? this.deArchivos.get(nombre);
    if (!t) throw new Error(`no template named "${nombre}"`);
    return {
      // A header is one line: a newline in a name must not start a header of its own.
      subject: t
        .subject(variables)
        .replace(/\s*[\r\n]+\s*/g, ' ')
        .trim(),
      html: t.html(variables),
      text: t.text(variables),
    };
  }

  /** Puts a compiled template in place of the files' `nombre` for the emails rendered from now on; null: the files again. */
  reemplazar(nombre: string, plantilla: PlantillaCompilada | null): void {
    if (!this.deArchivos.has(nombre)) throw new Error(`no template named "${nombre}" to replace`);
    if (plantilla) this.reemplazos.set(nombre, plantilla);
    else this.reemplazos.delete(nombre);
  }

  private cargar(nombre: string): PlantillaCompilada {
    const enCarpeta = PARTES.some((parte) => existsSync(join(this.carpeta, `${nombre}.${parte}.hbs`)));
    const carpeta = enCarpeta ? this.carpeta : CARPETA_POR_DEFECTO;
    const archivo = (parte: Parte) => join(carpeta, `${nombre}.${parte}.hbs`);
    const fuentes = {} as Fuentes;
    for (const parte of PARTES) {
      try {
        fuentes[parte] = readFileSync(archivo(parte), 'utf8');
      } catch (err) {
        throw new Error(
          `template ${archivo(parte)} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`,
          { cause: err },
        );
      }
    }
    return compilar(fuentes, (parte) => `template ${archivo(parte)}`, REGLAS[nombre]);
  }
}
