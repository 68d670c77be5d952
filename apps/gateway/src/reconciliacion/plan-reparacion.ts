// What a repair does with a reconciliation's differences, pure: one `reparacion` workflow per student with
// what was found for them (its steps are the lifecycle's, ciclo.pasos.ts), the items each workflow repairs,
// and why an item is left alone. Orphans are never touched: Lucy did not make them, so it is not Lucy's to
// delete them.
import type { SistemaReconciliacion, TipoDiferencia } from '@lucy/contracts';
import { reparoDe, tipoCiclo, type Reparo } from '../ciclo/ciclo.pasos.js';

export interface ItemReparable {
  /** The item in its run (reconciliacion.repository.ts): what the workflow that repairs it is recorded on. */
  clave: string;
  alumnoId: string | null;
  sistema: SistemaReconciliacion;
  tipo: TipoDiferencia;
  referencia: string;
  campos: string[] | null;
  curso: string | null;
}

export interface ReparacionAlumno {
  alumnoId: string;
  /** The lifecycle workflow that repairs it, and the steps of it that apply. */
  workflow: 'reparacion';
  pasos: string[];
  reparar: Reparo[];
  cursos: string[];
  /** The items this workflow repairs. */
  items: string[];
}

export interface SinReparar {
  alumnoId: string | null;
  sistema: SistemaReconciliacion;
  tipo: TipoDiferencia;
  referencia: string;
  motivo: string;
}

/** Only Exchange sets Entra's `mail`; Lucy never writes it, so a `mail` that differs is for a person to look at. */
const SOLO_LECTURA = ['mail'];

/**
 * `suspendidos`: the students whose leave is waiting out its grace now (the registry's word, read when the
 * repair is asked for): a difference found on them is repaired by suspending again, whatever its kind.
 */
export function planDeReparacion(
  items: readonly ItemReparable[],
  suspendidos: ReadonlySet<string> = new Set(),
): {
  alumnos: ReparacionAlumno[];
  sinReparar: SinReparar[];
} {
  const sinReparar: SinReparar[] = [];
  const porAlumno = new Map<string, ItemReparable[]>();
  for (const i of items) {
    if (i.tipo === 'huerfano' || !i.alumnoId) {
      sinReparar.push({ ...resumen(i), motivo: 'huérfano: Lucy no lo creó; solo se informa, nunca se toca' });
      continue;
    }
    if (
      i.sistema === 'entra' &&
      i.tipo === 'datos_distintos' &&
      (i.campos ?? []).every((c) => SOLO_LECTURA.includes(c))
    ) {
      sinReparar.push({ ...resumen(i), motivo: 'mail lo asigna Exchange a partir del UPN; Lucy no lo escribe' });
      continue;
    }
    if (!pasosQueAplican([reparoDe(i.sistema, i.tipo)], []).length) {
      sinReparar.push({ ...resumen(i), motivo: 'ningún paso del ciclo del alumno lo repara: lo revisa una persona' });
      continue;
    }
    porAlumno.set(i.alumnoId, [...(porAlumno.get(i.alumnoId) ?? []), i]);
  }
  const alumnos: ReparacionAlumno[] = [];
  for (const [alumnoId, suyos] of porAlumno) {
    // A student who must stay suspended (so the registry says, or found enabled in Entra or active in Moodle) is only suspended again:
    // enabling, re-licensing or making their Moodle user again would bring them back. The rest waits for
    // their return, which does all of it.
    const suspendido = suspendidos.has(alumnoId) || suyos.some((i) => i.tipo === 'cuenta_habilitada');
    const aplican = suspendido ? suyos.filter((i) => i.tipo === 'cuenta_habilitada') : suyos;
    if (suspendido)
      for (const i of suyos.filter((x) => x.tipo !== 'cuenta_habilitada'))
        sinReparar.push({ ...resumen(i), motivo: 'alumno suspendido: se repara con su retorno' });
    if (!aplican.length) continue;
    const reparar = [...new Set(aplican.map((i) => reparoDe(i.sistema, i.tipo)))];
    const cursos = [
      ...new Set(aplican.filter((i) => i.tipo === 'inscripcion_faltante' && i.curso).map((i) => i.curso!)),
    ];
    alumnos.push({
      alumnoId,
      workflow: 'reparacion',
      pasos: pasosQueAplican(reparar, cursos),
      reparar,
      cursos,
      items: aplican.map((i) => i.clave),
    });
  }
  return { alumnos, sinReparar };
}

const resumen = (i: ItemReparable) => ({
  alumnoId: i.alumnoId,
  sistema: i.sistema,
  tipo: i.tipo,
  referencia: i.referencia,
});

/** The steps of the reparacion workflow the kinds make apply (read from the workflow's own table). */
function pasosQueAplican(reparar: Reparo[], cursos: string[]): string[] {
  const datos = { alumnoId: '', upn: '', graphUserId: null, alumno: null as never, reparar, cursos };
  const config = { graciaBajaDias: 0, moodleAlEliminar: 'suspender' as const };
  return tipoCiclo('reparacion')!
    .fases.flatMap((f) => f.pasos)
    .filter((p) => !p.aplica || p.aplica(datos, config))
    .map((p) => p.paso);
}
