// What the registry expects of each student's accounts, pure: from their onboarding and lifecycle workflows.
// The gateway holds the student's state (it runs every workflow of their stay), so it decides this once and
// sends it to each service; each service adds what its own registry knows (the account's id, the enrolments
// it made).
//
//   onboarding completado (or con avisos), no lifecycle workflow running  ─> the account signs in (habilitada)
//   a leave waiting out its grace (suspendido)                            ─> the account is disabled
//   a workflow running (en_curso), onboarding not settled, a leave that
//   ended deleting the account, a leave or return that failed              ─> nothing expected: not sent
import type { AlumnoDatos, AlumnoEsperado } from '@lucy/contracts';

export interface FilaOnboarding {
  alumnoId: string;
  estado: string;
  upn: string | null;
  alumno: AlumnoDatos | null;
}

export interface FilaCiclo {
  alumnoId: string;
  tipo: string;
  estado: string;
}

const SETTLED = ['completado', 'completado_con_avisos'];

/** `ciclos` in creation order. */
export function esperados(onboardings: readonly FilaOnboarding[], ciclos: readonly FilaCiclo[]): AlumnoEsperado[] {
  const porAlumno = new Map<string, FilaCiclo[]>();
  for (const c of ciclos) porAlumno.set(c.alumnoId, [...(porAlumno.get(c.alumnoId) ?? []), c]);
  const out: AlumnoEsperado[] = [];
  for (const o of onboardings) {
    if (!SETTLED.includes(o.estado) || !o.upn || !o.alumno) continue;
    const cuenta = cuentaEsperada(porAlumno.get(o.alumnoId) ?? []);
    if (cuenta) out.push({ alumnoId: o.alumnoId, upn: o.upn, alumno: o.alumno, cuenta });
  }
  return out;
}

function cuentaEsperada(ciclos: readonly FilaCiclo[]): AlumnoEsperado['cuenta'] | null {
  if (ciclos.some((c) => c.estado === 'en_curso')) return null;
  if (ciclos.some((c) => c.tipo === 'baja' && c.estado === 'suspendido')) return 'deshabilitada';
  const ultimo = [...ciclos].reverse().find((c) => c.tipo === 'baja' || c.tipo === 'retorno');
  if (!ultimo) return 'habilitada';
  if (ultimo.estado === 'fallido') return null;
  // A leave that ran to its end deleted the account on purpose; one closed by a return (cancelado) did not.
  if (ultimo.tipo === 'baja' && ultimo.estado !== 'cancelado') return null;
  return 'habilitada';
}
