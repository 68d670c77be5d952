// The emails an operator sets through the gateway's configuration: runtime key plantillaEmail (the
// credentials email: it replaces the 'bienvenida' template, used for a new account and for a password reset
// alike) and plantillaRetorno (the return email: it replaces 'retorno'); each { asunto, html, texto }, or null
// for the files. In every replica, without a restart.
//
// They go through the same `compilar` as the files, with the same template's rule (REGLAS): the
// configuration's check compiles one, so a template that does not compile, names an unknown variable or
// breaks its rule is refused (the one in force stays, and the reason shows in /health/ready); the listener
// that puts it in place finds it compiled already. Once per change: an email only renders.
import { Logger } from '@nestjs/common';
import type { Configuracion } from '@lucy/contracts';
import type { RuntimeConfig } from '@lucy/runtime-config';
import { PLANTILLA_BIENVENIDA, PLANTILLA_RETORNO } from '../domain/envio.js';
import { compilar, REGLAS, type Fuentes, type PlantillaCompilada, type Plantillas } from './plantillas.js';

export type PlantillaEmail = Configuracion['plantillaEmail'];
/** The runtime keys that hold an operator's email template. */
export type ClavePlantilla = 'plantillaEmail' | 'plantillaRetorno';

/** Which template each key replaces, and how the logs name it. */
const CLAVES: Record<ClavePlantilla, { plantilla: string; nombre: string }> = {
  plantillaEmail: { plantilla: PLANTILLA_BIENVENIDA, nombre: 'credentials email' },
  plantillaRetorno: { plantilla: PLANTILLA_RETORNO, nombre: 'return email' },
};

const CAMPO: Record<keyof Fuentes, string> = { subject: 'asunto', html: 'html', text: 'texto' };

// The last template compiled for each key: the check and the listener of one change ask for the same
// sources, and a later version that leaves the template as it was asks again.
const ultima = new Map<ClavePlantilla, { fuentes: Fuentes; compilada: PlantillaCompilada }>();

/** Compiles an operator's template with the files' rules; throws naming the field (plantillaEmail.asunto, ...). */
export function compilarPlantillaEmail(
  p: NonNullable<PlantillaEmail>,
  clave: ClavePlantilla = 'plantillaEmail',
): PlantillaCompilada {
  const fuentes: Fuentes = { subject: p.asunto, html: p.html, text: p.texto };
  const previa = ultima.get(clave);
  if (previa && mismasFuentes(previa.fuentes, fuentes)) return previa.compilada;
  const compilada = compilar(fuentes, (parte) => `${clave}.${CAMPO[parte]}`, REGLAS[CLAVES[clave].plantilla]);
  ultima.set(clave, { fuentes, compilada });
  return compilada;
}

/** The configuration's check: why this service cannot use `p`, or undefined (null, the files, always can). */
export function problemaDePlantillaEmail(
  p: PlantillaEmail,
  clave: ClavePlantilla = 'plantillaEmail',
): string | undefined {
  if (!p) return undefined;
  try {
    compilarPlantillaEmail(p, clave);
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

/** The same check for the return email (plantillaRetorno). */
export const problemaDePlantillaRetorno = (p: PlantillaEmail) => problemaDePlantillaEmail(p, 'plantillaRetorno');

/** Keeps `plantillas`' template for `clave` on the runtime value: the operator's template, or the files when null. */
export function seguirPlantillaEmail<K extends ClavePlantilla>(
  plantillas: Plantillas,
  runtime: RuntimeConfig<K>,
  clave: K = 'plantillaEmail' as K,
): void {
  const log = new Logger('PlantillaEmail');
  const { plantilla, nombre } = CLAVES[clave];
  const aplicar = () => {
    const p = runtime.get(clave) as PlantillaEmail;
    // Only values that passed the check reach here, so this compile is the check's, remembered.
    plantillas.reemplazar(plantilla, p ? compilarPlantillaEmail(p, clave) : null);
    log.log({
      msg: p ? `${nombre}: the operator’s template` : `${nombre}: the template files`,
      version: runtime.version,
    });
  };
  if (runtime.get(clave)) aplicar();
  runtime.onChange((keys) => keys.includes(clave) && aplicar());
}

const mismasFuentes = (a: Fuentes, b: Fuentes) => a.subject === b.subject && a.html === b.html && a.text === b.text;
