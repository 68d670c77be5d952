// The operators' alert email: the operator's template (the configuration's alertas.plantilla, travelling with
// the command) or the one below, rendered with the alert's variables. Plain text — an alert is read in a
// mail client and in a pager's SMS alike; the HTML part is the same text, escaped, in a <pre>. Strict: a
// variable the template names and the alert lacks is an error (the gateway refuses such a template at save
// time; VARIABLES_ALERTA), every variable is always given, empty when it does not apply.
import Handlebars from 'handlebars';
import type { EnviarAlerta, PlantillaAlerta } from '@lucy/contracts';
import { aHandlebars, type Renderizado } from '../plantillas/plantillas.js';

export const PLANTILLA_ALERTA_POR_DEFECTO: PlantillaAlerta = {
  asunto: '[Lucy] {{titulo}}',
  cuerpo: `{{titulo}}

Tipo: {{tipo}}
{{#if trabajo}}Trabajo: {{trabajo}}
{{/if}}{{#if ejecucionId}}Ejecución: {{ejecucionId}}
{{/if}}{{#if reconciliacionId}}Reconciliación: {{reconciliacionId}}
{{/if}}{{#if motivo}}Motivo: {{motivo}}
{{/if}}{{#if diferencias}}Diferencias: {{diferencias}} (umbral {{umbral}})
{{/if}}{{#if detalle}}Por tipo:
{{detalle}}
{{/if}}Cuándo: {{ocurridaAt}}

Revisalo en el panel de Lucy (Tareas programadas, Reconciliación).
`,
};

// No helpers or partials: built-ins and the alert's variables only.
const hbs = Handlebars.create();

const escaparHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** The alert's variables, each a string. */
export function variablesDe(a: Pick<EnviarAlerta, 'tipo' | 'datos'>): Record<string, string> {
  const d = a.datos;
  return {
    tipo: a.tipo,
    titulo: d.titulo,
    trabajo: d.trabajo ?? '',
    ejecucionId: d.ejecucionId ?? '',
    reconciliacionId: d.reconciliacionId ?? '',
    motivo: d.motivo ?? '',
    diferencias: d.diferencias === undefined ? '' : String(d.diferencias),
    umbral: d.umbral === undefined ? '' : String(d.umbral),
    detalle: Object.entries(d.porTipo ?? {})
      .map(([tipo, n]) => `  ${tipo}: ${n}`)
      .join('\n'),
    ocurridaAt: d.ocurridaAt,
  };
}

/** The alert's email. Throws (naming the part) when the template does not render with the alert's variables. */
export function renderAlerta(a: Pick<EnviarAlerta, 'tipo' | 'datos' | 'plantilla'>): Renderizado {
  const p = a.plantilla ?? PLANTILLA_ALERTA_POR_DEFECTO;
  const v = variablesDe(a);
  const parte = (nombre: 'asunto' | 'cuerpo') => {
    try {
      return hbs.compile(aHandlebars(p[nombre]), { strict: true, noEscape: true })(v);
    } catch (err) {
      throw new Error(`alert template ${nombre} is invalid: ${(err as Error).message}`, { cause: err });
    }
  };
  const text = parte('cuerpo');
  // A header is one line.
  const subject = parte('asunto')
    .replace(/\s*[\r\n]+\s*/g, ' ')
    .trim();
  return { subject: subject || v.titulo!, text, html: `<pre>${escaparHtml(text)}</pre>` };
}
