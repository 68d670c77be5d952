// A lote's plan as an operator reads it: each item (ingest-service's ItemPlan) as an action on a student —
// create, update, suspend, return, nothing — with the fields before and after, and the Moodle courses it
// enrols or unenrols as far as the gateway can say them. The courses are moodle-service's to decide (its
// runtime keys cursos and cursosAnteriores, or its environment until an operator sets them): the gateway
// names them only from keys an operator has set, and otherwise says which estado/periodo's they are. Pure.
import {
  cambioDeCursos,
  cursosPara,
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
  const nuevo = { estado, periodo };
  const deQue = `los cursos de ${estado} ${periodo}`;
  if (i.resultado === 'nuevo')
    return {
      ...nuevo,
      inscribir: c.cursos ? cursosPara(c.cursos, estado, periodo) : null,
      desinscribir: [],
      nota: c.cursos ? deQue : `${deQue} que asigna moodle-service`,
    };
  if (i.resultado !== 'actualizado' || !(i.cambios.includes('estado') || i.cambios.includes('periodo'))) return null;
  const anterior = { estado: i.anterior!.estado as EstadoAlumno, periodo: i.anterior!.periodo as string };
  if (!c.cursos)
    return {
      ...nuevo,
      inscribir: null,
      desinscribir: null,
      nota: `${deQue} que asigna moodle-service; los de ${anterior.estado} ${anterior.periodo} se conservan o se quitan según su cursosAnteriores`,
    };
  const inscribir = cursosPara(c.cursos, estado, periodo);
  if (!c.cursosAnteriores)
    return {
      ...nuevo,
      inscribir,
      desinscribir: null,
      nota: `${deQue}; los de ${anterior.estado} ${anterior.periodo} se conservan o se quitan según cursosAnteriores de moodle-service`,
    };
  const { aQuitar } = cambioDeCursos(c.cursos, anterior, nuevo, c.cursosAnteriores);
  return {
    ...nuevo,
    inscribir,
    desinscribir: aQuitar,
    nota: `${deQue}; los de ${anterior.estado} ${anterior.periodo} ${c.cursosAnteriores === 'desenrolar' ? 'que ya no correspondan se quitan' : 'se conservan'}`,
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
    case 'actualizado':
      return [
        `actualizar ${i.cambios.join(', ')} en la cuenta y en Moodle (el UPN no cambia)`,
        ...(enCursos ? [enCursos] : []),
        ...(quitar ? [quitar] : []),
      ];
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
