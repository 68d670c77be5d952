// Which Moodle courses a student belongs in: configured per estado and academic period (MOODLE_CURSOS, or
// the runtime key cursos), and those their source states (AlumnoDatos.cursosFuente). Pure: no Moodle, no database.
import { EstadoAlumno } from '@lucy/contracts';
import { z } from 'zod';

// The rules themselves are the contract's, so that the gateway's plan of a lote names the same courses.
export { CUALQUIER_PERIODO, cambioDeCursos, cursosDelAlumno, cursosPara, type CursosAnteriores } from '@lucy/contracts';

export const CursosConfigSchema = z.partialRecord(
  EstadoAlumno,
  z.record(z.string().min(1), z.array(z.string().trim().min(1))),
);
export type CursosConfig = z.infer<typeof CursosConfigSchema>;

/** Why a course map cannot be used (an unknown estado, a blank shortname...), or undefined when it can. */
export function problemaCursos(valor: unknown): string | undefined {
  const r = CursosConfigSchema.safeParse(valor);
  if (r.success) return undefined;
  return `must map estado → periodo (or "*") → course shortnames: ${r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`;
}
