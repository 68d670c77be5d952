// A lote's plan as an operator reads it: each item (ingest-service's ItemPlan) as an action on a student —
// create, update, suspend, return, nothing — with the fields before and after, and the Moodle courses it
// enrols or unenrols as far as the gateway can say them. The courses are moodle-service's to decide (its
// runtime keys cursos and cursosAnteriores, or its environment until an operator sets them): the gateway
// names them only from keys an operator has set, and otherwise says which estado/periodo's they are. The
// courses the student's source states (a OneRoster roster's classes: AlumnoDatos.cursosFuente) it names
// always: they ride on the student. Pure.
import {
  cambianLosCursos,
  cambioDeCursos,
  cursosDelAlumno,
  type Configuracion,
  type EstadoAlumno,
  type ItemPlan,
  type ResultadoPlan,
} from '@lucy/contracts';

export const ACCIONES_PLAN = [
  'crear',
  'actualizar',
  'suspender',
  'retornar',
  'ninguna',
  'invalida',
  'baja_desconocida',
] as const;
export type AccionPlan = (typeof ACCIONES_PLAN)[number];

export const ACCION_DE: Record<ResultadoPlan, AccionPlan> = {
  nuevo: 'crear',
  actualizado: 'actualizar',
  baja: 'suspender',
  retorno: 'retornar',
  sin_cambios: 'ninguna',
  invalido: 'invalida',
  baja_desconocida: 'baja_desconocida',
};
export const RESULTADO_DE = Object.fromEntries(Object.entries(ACCION_DE).map(([r, a]) => [a, r])) as Record<
  AccionPlan,
  ResultadoPlan
>;

/** What the gateway knows of moodle-service's course keys: a value only for a key an operator has set. */
export interface CursosConocidos {
  cursos: Configuracion['cursos'] | null;
  cursosAnteriores: Configuracion['cursosAnteriores'] | null;
}

export interface CursosDelPlan {
  estado: EstadoAlumno;
  periodo: string;
  /** The courses enrolled; null when the gateway cannot name them (moodle-service's own configuration). */
  inscribir: string[] | null;
  /** The previous estado/periodo's courses unenrolled; [] when they are kept; null when it cannot say. */
  desinscribir: string[] | null;
  /** The courses the student's source states (part of `inscribir`); [] when it states none. */
  deLaFuente: string[];
  nota: string;
}

export interface ItemVista {
  orden: number;
  accion: AccionPlan;
  fila: number | null;
  fuente: string;
  dni: string | null;
  alumnoId: string | null;
  nombre: string | null;
  apellido: string | null;
  /** Each field that changes, before and after. */
  cambios: { campo: string; antes: unknown; despues: unknown }[];
  /** A suspension's reason: baja, egresado, ausente. */
  motivo: string | null;
  /** An invalid row's reasons. */
  motivos: string[];
  /** A new student who will wait for an operator's approval. */
  enEspera: boolean;
  cursos: CursosDelPlan | null;
  /** What it does, in the operator's words. */
  efectos: string[];
}

const MOTIVO: Record<string, string> = {
  baja: 'marcado de baja',
  egresado: 'egresado',
  ausente: 'ausente de SIAL',
};

export function itemVista(i: ItemPlan, conocidos: CursosConocidos): ItemVista {
  const accion = ACCION_DE[i.resultado];
  const antes = (i.anterior ?? {}) as Record<string, unknown>;
  const despues = (i.alumno ?? {}) as Record<string, unknown>;
  const cursos = cursosDe(i, conocidos);
  return {
    orden: i.orden,
    accion,
    fila: i.fila,
    fuente: i.fuente,
    dni: i.dni,
    alumnoId: i.alumnoId,
    nombre: (i.alumno?.nombre ?? (antes.nombre as string | undefined)) || null,
    apellido: (i.alumno?.apellido ?? (antes.apellido as string | undefined)) || null,
    cambios: i.cambios.map((campo) => ({ campo, antes: antes[campo] ?? null, despues: despues[campo] ?? null })),
    motivo: i.motivo,
    motivos: i.motivos,
    enEspera: i.enEspera,
    cursos,
    efectos: efectos(i, cursos),
  };
}

function cursosDe(i: ItemPlan, c: CursosConocidos): CursosDelPlan | null {
  if (!i.alumno) return null;
  const { estado, periodo } = i.alumno;
  const deLaFuente = i.alumno.cursosFuente ?? [];
  const nuevo = { estado, periodo, cursosFuente: deLaFuente };
  const fuente = deLaFuente.length ? ` y los de su fuente (${deLaFuente.join(', ')})` : '';
  const deQue = `los cursos de ${estado} ${periodo}`;
  if (i.resultado === 'nuevo')
    return {
      estado,
      periodo,
      deLaFuente,
      inscribir: c.cursos ? cursosDelAlumno(c.cursos, nuevo) : null,
      desinscribir: [],
      nota: c.cursos ? `${deQue}${fuente}` : `${deQue} que asigna moodle-service${fuente}`,
    };
  if (i.resultado !== 'actualizado') return null;
  const antes = i.anterior as { estado: EstadoAlumno; periodo: string; cursosFuente?: string[] };
  const anterior = { estado: antes.estado, periodo: antes.periodo, cursosFuente: antes.cursosFuente ?? [] };
  if (!cambianLosCursos(anterior, nuevo)) return null;
  const deAntes = `los de ${anterior.estado} ${anterior.periodo}${anterior.cursosFuente.length ? ` y de su fuente (${anterior.cursosFuente.join(', ')})` : ''}`;
  if (!c.cursos)
    return {
      estado,
      periodo,
      deLaFuente,
      inscribir: null,
      desinscribir: null,
      nota: `${deQue} que asigna moodle-service${fuente}; ${deAntes} se conservan o se quitan según su cursosAnteriores`,
    };
  const inscribir = cursosDelAlumno(c.cursos, nuevo);
  if (!c.cursosAnteriores)
    return {
      estado,
      periodo,
      deLaFuente,
      inscribir,
      desinscribir: null,
      nota: `${deQue}${fuente}; ${deAntes} se conservan o se quitan según cursosAnteriores de moodle-service`,
    };
  const { aQuitar } = cambioDeCursos(c.cursos, anterior, nuevo, c.cursosAnteriores);
  return {
    estado,
    periodo,
    deLaFuente,
    inscribir,
    desinscribir: aQuitar,
    nota: `${deQue}${fuente}; ${deAntes} ${c.cursosAnteriores === 'desenrolar' ? 'que ya no correspondan se quitan' : 'se conservan'}`,
  };
}

function efectos(i: ItemPlan, cursos: CursosDelPlan | null): string[] {
  const enCursos = cursos
    ? cursos.inscribir
      ? `enrolar en ${cursos.inscribir.length ? cursos.inscribir.join(', ') : 'ningún curso'} (${cursos.nota})`
      : `enrolar en ${cursos.nota}`
    : null;
  const quitar = cursos?.desinscribir?.length ? `desenrolar de ${cursos.desinscribir.join(', ')}` : null;
  switch (i.resultado) {
    case 'nuevo':
      return i.enEspera
        ? ['registrar; espera la aprobación de un operador antes de crear su cuenta']
        : ['crear la cuenta de Microsoft 365', enCursos!, 'enviar las credenciales'];
    case 'actualizado': {
      // The source's courses are no field of the account: their change is said by the courses alone.
      const datos = i.cambios.filter((c) => c !== 'cursosFuente');
      return [
        ...(datos.length ? [`actualizar ${datos.join(', ')} en la cuenta y en Moodle (el UPN no cambia)`] : []),
        ...(enCursos ? [enCursos] : []),
        ...(quitar ? [quitar] : []),
      ];
    }
    case 'baja':
      return [
        `suspender (${MOTIVO[i.motivo ?? ''] ?? i.motivo}): deshabilitar la cuenta y suspender el usuario de Moodle; conserva sus cursos`,
      ];
    case 'retorno':
      return [
        'reactivar la cuenta (o restaurarla, o darla de alta de nuevo) y el usuario de Moodle',
        `aplicar los datos con que vuelve (y los cursos de ${i.alumno!.estado} ${i.alumno!.periodo} si son otro estado o periodo)`,
      ];
    case 'sin_cambios':
      return [];
    case 'invalido':
      return ['nada: la fila es inválida'];
    case 'baja_desconocida':
      return ['nada: marca de baja a alguien que Lucy no tiene (no se da de alta)'];
  }
}
