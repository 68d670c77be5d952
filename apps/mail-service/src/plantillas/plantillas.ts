// The email templates: files an administrator can edit, rendered with handlebars.
//
// A template is three files in one folder: <nombre>.subject.hbs, <nombre>.html.hbs, <nombre>.text.hbs.
// Variables may be written the way the admins' documents write them, `{nombre}`, or the handlebars way,
// `{{nombre}}`: a lone-brace placeholder is rewritten to handlebars before compiling. In the HTML part
// every value is HTML-escaped (a name like `<script>` or `D'Angelo` stays text); the subject and the
// text part are not HTML, so they get the values as they are. Templates are read and checked at start:
// an unknown variable or a syntax error stops the service naming the file.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';

export const VARIABLES = ['nombre', 'apellido', 'upn', 'password', 'carrera', 'moodleUrl'] as const;
export type VariablesPlantilla = Record<(typeof VARIABLES)[number], string>;

export interface Renderizado {
  subject: string;
  html: string;
  text: string;
}

/** The app's own templates/ folder (apps/mail-service/templates). */
export const CARPETA_POR_DEFECTO = fileURLToPath(new URL('../../templates/', import.meta.url));

const LONE_BRACE = /(^|[^{])\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}(?!\})/g;

/** `{nombre}` → `{{nombre}}`; handlebars expressions (`{{x}}`, `{{{x}}}`) and CSS blocks are left alone. */
export function aHandlebars(source: string): string {
  return source.replace(LONE_BRACE, (_m, before: string, name: string) => `${before}{{${name}}}`);
}

type Parte = 'subject' | 'html' | 'text';
const PARTES: Parte[] = ['subject', 'html', 'text'];

const EJEMPLO: VariablesPlantilla = {
  nombre: 'Ana',
  apellido: 'Pérez',
  upn: 'a30111222@estudiantes.example',
  password: 'Ejemplo-123!',
  carrera: 'Licenciatura en Ejemplo',
  moodleUrl: 'https://moodle.example',
};

export class Plantillas {
  private readonly compiladas = new Map<string, Record<Parte, Handlebars.TemplateDelegate>>();
  private readonly hbs = Handlebars.create();

  constructor(
    private readonly carpeta: string,
    nombres: readonly string[],
  ) {
    for (const nombre of nombres) this.compiladas.set(nombre, this.cargar(nombre));
  }

  render(nombre: string, variables: VariablesPlantilla): Renderizado {
    const t = this.compiladas.get(nombre);
    if (!t) throw new Error(`no template named "${nombre}"`);
    return {
      // A header is one line: a newline in a name must not start a header of its own.
      subject: t.subject(variables).replace(/\s*[\r\n]+\s*/g, ' ').trim(),
      html: t.html(variables),
      text: t.text(variables),
    };
  }

  private cargar(nombre: string): Record<Parte, Handlebars.TemplateDelegate> {
    const out = {} as Record<Parte, Handlebars.TemplateDelegate>;
    for (const parte of PARTES) {
      const file = join(this.carpeta, `${nombre}.${parte}.hbs`);
      let source: string;
      try {
        source = readFileSync(file, 'utf8');
      } catch (err) {
        throw new Error(`template ${file} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
      }
      try {
        // strict: a variable the template names but we do not provide is an error, not an empty string.
        const fn = this.hbs.compile(aHandlebars(source), { strict: true, noEscape: parte !== 'html' });
        fn(EJEMPLO); // handlebars compiles lazily: render once so a bad template fails now, not on a student
        out[parte] = fn;
      } catch (err) {
        throw new Error(`template ${file} is invalid: ${(err as Error).message} (variables: ${VARIABLES.join(', ')})`);
      }
    }
    return out;
  }
}
