// A workflow's steps as rows of workflow_paso, for every kind of workflow (onboarding's and the
// lifecycle's): one upsert for all of them, and the row read back as a step's state.
import type { EntityManager } from 'typeorm';

export interface PasoGuardado<E extends string = string> {
  estado: E;
  intentos: number;
  ultimoError: string | null;
  detalle: Record<string, unknown> | null;
  startedAt: string | null;
  finishedAt: string | null;
}

/** Writes the steps in one statement; `orden` is each one's given place, else its place in the list (1, 2, …). */
export async function guardarPasos(
  m: EntityManager,
  tabla: string,
  workflowId: string,
  pasos: readonly (readonly [string, PasoGuardado] | readonly [string, PasoGuardado, number])[],
): Promise<void> {
  const values: unknown[] = [];
  const rows = pasos.map(([paso, p, orden], i) => {
    values.push(
      workflowId,
      paso,
      orden ?? i + 1,
      p.estado,
      p.intentos,
      p.ultimoError,
      p.detalle ? JSON.stringify(p.detalle) : null,
      p.startedAt,
      p.finishedAt,
    );
    const b = i * 9;
    return `($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5}, $${b + 6}, $${b + 7}, $${b + 8}, $${b + 9})`;
  });
  await m.query(
    `INSERT INTO ${tabla} (workflow_id, paso, orden, estado, intentos, ultimo_error, detalle, started_at, finished_at) VALUES ${rows.join(', ')}
     ON CONFLICT (workflow_id, paso) DO UPDATE SET estado = excluded.estado, intentos = excluded.intentos, ultimo_error = excluded.ultimo_error,
       detalle = excluded.detalle, started_at = excluded.started_at, finished_at = excluded.finished_at`,
    values,
  );
}

/** A workflow_paso row as a step's state (its estado one the workflow's kind wrote). */
export const pasoDeFila = <E extends string>(p: {
  estado: string;
  intentos: number;
  ultimo_error: string | null;
  detalle: Record<string, unknown> | null;
  started_at: Date | null;
  finished_at: Date | null;
}): PasoGuardado<E> => ({
  estado: p.estado as E,
  intentos: p.intentos,
  ultimoError: p.ultimo_error,
  detalle: p.detalle,
  startedAt: p.started_at?.toISOString() ?? null,
  finishedAt: p.finished_at?.toISOString() ?? null,
});
