// The registry's reads and writes, set-based: a pull of thousands of students is a handful of queries
// (rows travel as one JSON parameter), not a round trip per student.
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AlumnoDatos } from '@lucy/contracts';
import type { PaseDeLista } from '../domain/ausencias.js';
import type { ClaseFuente } from '../domain/clases.js';
import type { Registrado } from '../domain/plan.js';
import { alumnoDatos, type MotivoBajaRegistro } from './alumno.entity.js';
import { qualifiedTable } from './qualified-table.js';

export interface AlumnoRegistrado {
  id: string;
  datos: AlumnoDatos;
  /** The classes their source states (domain/clases.ts); absent or null: none. */
  clases?: readonly ClaseFuente[] | null;
}

const COLUMNAS = `id, dni, nombre, apellido, email_personal AS "emailPersonal", email_institucional AS "emailInstitucional", carrera, estado, periodo, cursos_fuente AS "cursosFuente"`;
/** Everything a plan needs to know of a student (domain/plan.ts Registrado). */
const REGISTRADO = `${COLUMNAS}, clases_fuente AS "clasesFuente", motivo_baja IS NOT NULL AS "deBaja", lista_sial AS lista, ausencias`;
type FilaRegistrada = AlumnoDatos & {
  id: string;
  deBaja: boolean;
  lista: string | null;
  ausencias: number;
  cursosFuente: string[] | null;
  clasesFuente?: ClaseFuente[] | null;
};
const registrado = (r: FilaRegistrada): Registrado => ({
  id: r.id,
  datos: alumnoDatos(r),
  deBaja: r.deBaja,
  lista: r.lista,
  ausencias: r.ausencias,
  clases: r.clasesFuente ?? null,
});
const REGISTRO = `x(id uuid, dni text, nombre text, apellido text, "emailPersonal" text, "emailInstitucional" text, carrera text, estado text, periodo text, "cursosFuente" jsonb, "clasesFuente" jsonb)`;
const fila = (a: AlumnoRegistrado) => ({
  id: a.id,
  ...a.datos,
  cursosFuente: a.datos.cursosFuente ?? null,
  clasesFuente: a.clases ?? null,
});

@Injectable()
export class AlumnoRepository {
  async porDni(m: EntityManager, dnis: readonly string[]): Promise<Map<string, Registrado>> {
    if (dnis.length === 0) return new Map();
    const rows: FilaRegistrada[] = await m.query(
      `SELECT ${REGISTRADO} FROM ${qualifiedTable(m, 'alumno')} WHERE dni = ANY($1::text[])`,
      [dnis],
    );
    return new Map(rows.map((r) => [r.dni, registrado(r)]));
  }

  /**
   * The students with these ids, and which of these DNIs the registry knows, locked for this transaction:
   * what a stored plan checks before it is applied, held until it is.
   */
  async bloquear(
    m: EntityManager,
    ids: readonly string[],
    dnis: readonly string[],
  ): Promise<{ porId: Map<string, Registrado>; dnis: Set<string> }> {
    const rows: FilaRegistrada[] = await m.query(
      `SELECT ${REGISTRADO} FROM ${qualifiedTable(m, 'alumno')} WHERE id = ANY($1::uuid[]) OR dni = ANY($2::text[]) ORDER BY id FOR UPDATE`,
      [ids, dnis],
    );
    return { porId: new Map(rows.map((r) => [r.id, registrado(r)])), dnis: new Set(rows.map((r) => r.dni)) };
  }

  /** How many students the registry holds as active: what a lote's leavers are a share of. */
  async activos(m: EntityManager): Promise<number> {
    const [{ n }] = await m.query(
      `SELECT count(*)::int AS n FROM ${qualifiedTable(m, 'alumno')} WHERE motivo_baja IS NULL`,
    );
    return n;
  }

  /** Whether the registry holds the student as leaving (undefined: no such student). */
  async deBaja(m: EntityManager, id: string): Promise<boolean | undefined> {
    const [row] = await m.query(
      `SELECT motivo_baja IS NOT NULL AS "deBaja" FROM ${qualifiedTable(m, 'alumno')} WHERE id = $1`,
      [id],
    );
    return row?.deBaja;
  }

  async porId(m: EntityManager, ids: readonly string[]): Promise<Map<string, AlumnoDatos>> {
    if (ids.length === 0) return new Map();
    const rows = await m.query(`SELECT ${COLUMNAS} FROM ${qualifiedTable(m, 'alumno')} WHERE id = ANY($1::uuid[])`, [
      ids,
    ]);
    return new Map(rows.map((r: FilaRegistrada) => [r.id, alumnoDatos(r)]));
  }

  /**
   * Two lotes registering the same new DNI at once: the second insert violates the unique DNI, its
   * transaction rolls back and the transport retries the message, which then finds the student known.
   */
  async insertar(m: EntityManager, alumnos: readonly AlumnoRegistrado[]): Promise<void> {
    if (alumnos.length === 0) return;
    await m.query(
      `INSERT INTO ${qualifiedTable(m, 'alumno')} (id, dni, nombre, apellido, email_personal, email_institucional, carrera, estado, periodo, cursos_fuente, clases_fuente)
       SELECT id, dni, nombre, apellido, "emailPersonal", "emailInstitucional", carrera, estado, periodo, "cursosFuente", "clasesFuente"
       FROM jsonb_to_recordset($1::jsonb) AS ${REGISTRO}`,
      [JSON.stringify(alumnos.map(fila))],
    );
  }

  async actualizar(m: EntityManager, alumnos: readonly AlumnoRegistrado[]): Promise<void> {
    if (alumnos.length === 0) return;
    await m.query(
      `UPDATE ${qualifiedTable(m, 'alumno')} AS a
       SET nombre = x.nombre, apellido = x.apellido, email_personal = x."emailPersonal", email_institucional = x."emailInstitucional",
           carrera = x.carrera, estado = x.estado, periodo = x.periodo, cursos_fuente = x."cursosFuente", clases_fuente = x."clasesFuente",
           updated_at = now()
       FROM jsonb_to_recordset($1::jsonb) AS ${REGISTRO}
       WHERE a.id = x.id`,
      [JSON.stringify(alumnos.map(fila))],
    );
  }

  /** The students are leaving, for this reason (their data, if it changed, is written by `actualizar`). */
  async darDeBaja(m: EntityManager, ids: readonly string[], motivo: MotivoBajaRegistro): Promise<void> {
    if (ids.length === 0) return;
    await m.query(
      `UPDATE ${qualifiedTable(m, 'alumno')} SET motivo_baja = $2, baja_at = now(), updated_at = now() WHERE id = ANY($1::uuid[])`,
      [ids, motivo],
    );
  }

  /** The students are back: active again, their count of absences from nothing. */
  async retornar(m: EntityManager, ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await m.query(
      `UPDATE ${qualifiedTable(m, 'alumno')} SET motivo_baja = NULL, baja_at = NULL, ausencias = 0, updated_at = now() WHERE id = ANY($1::uuid[])`,
      [ids],
    );
  }

  /** The active students a SIAL roll call concerns: those of the lists it read, and those it saw anywhere. */
  async paraPasarLista(m: EntityManager, listas: readonly string[], dnis: readonly string[]): Promise<Registrado[]> {
    const rows: FilaRegistrada[] = await m.query(
      `SELECT ${REGISTRADO} FROM ${qualifiedTable(m, 'alumno')}
       WHERE motivo_baja IS NULL AND (lista_sial = ANY($1::text[]) OR dni = ANY($2::text[]))`,
      [listas, dnis],
    );
    return rows.map(registrado);
  }

  async fijarLista(m: EntityManager, cambios: PaseDeLista['cambios']): Promise<void> {
    if (cambios.length === 0) return;
    await m.query(
      `UPDATE ${qualifiedTable(m, 'alumno')} AS a SET lista_sial = x.lista, ausencias = x.ausencias
       FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, lista text, ausencias int)
       WHERE a.id = x.id`,
      [JSON.stringify(cambios)],
    );
  }
}
