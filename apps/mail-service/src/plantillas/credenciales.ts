// The credentials email carries the credentials: each body shows the student their {upn} and {password}
// (a mail client shows the HTML part or the text part, never both), and the subject never shows the
// password (relays keep subjects in their logs, phones show them on a locked screen). A template that
// compiles but would send a student an account they cannot open is refused like one that does not
// compile: the gateway refuses it at save time, and this service again if one arrives anyway.
import Handlebars from 'handlebars';
import type { Fuentes, Parte } from './plantillas.js';

const CREDENCIALES = ['upn', 'password'] as const;

/** The variables a handlebars source shows (`{{x}}`, `{{{x}}}`; not those only in a comment or a condition). */
export function variablesMostradas(fuente: string): Set<string> {
  const mostradas = new Set<string>();
  const visitar = (nodo: unknown): void => {
    if (!nodo || typeof nodo !== 'object') return;
    const n = nodo as { type?: string; path?: { type?: string; original?: string }; params?: unknown[] };
    if (n.type === 'MustacheStatement' && n.path?.type === 'PathExpression' && !n.params?.length && n.path.original)
      mostradas.add(n.path.original);
    for (const v of Object.values(nodo))
      if (v && typeof v === 'object') Array.isArray(v) ? v.forEach(visitar) : visitar(v);
  };
  visitar(Handlebars.parse(fuente));
  return mostradas;
}

/** Why a template (its sources in handlebars syntax, as `compilar` has them) cannot be the credentials email, naming the part. */
export function problemaDeCredenciales(fuentes: Fuentes): { parte: Parte; problema: string } | undefined {
  if (variablesMostradas(fuentes.subject).has('password'))
    return {
      parte: 'subject',
      problema: 'the subject must not show {password} (relays log subjects, phones show them locked)',
    };
  for (const parte of ['html', 'text'] as const) {
    const mostradas = variablesMostradas(fuentes[parte]);
    const faltan = CREDENCIALES.filter((v) => !mostradas.has(v));
    if (faltan.length)
      return {
        parte,
        problema: `the credentials email must show {upn} and {password} in each body; missing ${faltan.map((v) => `{${v}}`).join(' and ')}`,
      };
  }
  return undefined;
}
