// The credentials email an operator sets through the gateway's configuration (runtime key plantillaEmail:
// { asunto, html, texto }, or null for the files). It replaces the 'bienvenida' template, used for a new
// account and for a password reset alike, in every replica, without a restart.
//
// It goes through the same `compilar` as the files: the configuration's check compiles it, so a template
// that does not compile or names an unknown variable is refused (the one in force stays, and the reason
// shows in /health/ready); the listener that puts it in place finds it compiled already. Once per change:
// an email only renders.
import { Logger } from '@nestjs/common';
import type { Configuracion } from '@lucy/contracts';
import type { RuntimeConfig } from '@lucy/runtime-config';
import { PLANTILLA_BIENVENIDA } from '../domain/envio.js';
import { compilar, type Fuentes, type PlantillaCompilada, type Plantillas } from './plantillas.js';

export type PlantillaEmail = Configuracion['plantillaEmail'];

const CAMPO: Record<keyof Fuentes, string> = { subject: 'asunto', html: 'html', text: 'texto' };

// The last template compiled: the check and the listener of one change ask for the same sources, and a
// later version that leaves the template as it was asks again.
let ultima: { fuentes: Fuentes; compilada: PlantillaCompilada } | undefined;

/** Compiles an operator's template with the files' rules; throws naming the field (plantillaEmail.asunto, ...). */
export function compilarPlantillaEmail(p: NonNullable<PlantillaEmail>): PlantillaCompilada {
  const fuentes: Fuentes = { subject: p.asunto, html: p.html, text: p.texto };
  if (ultima && mismasFuentes(ultima.fuentes, fuentes)) return ultima.compilada;
  const compilada = compilar(fuentes, (parte) => `plantillaEmail.${CAMPO[parte]}`, { credenciales: true });
  ultima = { fuentes, compilada };
  return compilada;
}

/** The configuration's check: why this service cannot use `p`, or undefined (null, the files, always can). */
export function problemaDePlantillaEmail(p: PlantillaEmail): string | undefined {
  if (!p) return undefined;
  try {
    compilarPlantillaEmail(p);
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

/** Keeps `plantillas`' bienvenida on the runtime value: the operator's template, or the files when null. */
export function seguirPlantillaEmail(plantillas: Plantillas, runtime: RuntimeConfig<'plantillaEmail'>): void {
  const log = new Logger('PlantillaEmail');
  const aplicar = () => {
    const p = runtime.get('plantillaEmail');
    // Only values that passed the check reach here, so this compile is the check's, remembered.
    plantillas.reemplazar(PLANTILLA_BIENVENIDA, p ? compilarPlantillaEmail(p) : null);
    log.log({
      msg: p ? 'credentials email: the operator’s template' : 'credentials email: the template files',
      version: runtime.version,
    });
  };
  if (runtime.get('plantillaEmail')) aplicar();
  runtime.onChange((keys) => keys.includes('plantillaEmail') && aplicar());
}

const mismasFuentes = (a: Fuentes, b: Fuentes) => a.subject === b.subject && a.html === b.html && a.text === b.text;
