// From the rows of one batch to the students it states: one per DNI. A DNI met twice with the same
// data is one student (a re-sent form, or SIAL listing an admitted student in their old list too: the
// later estado wins, see estadoPrevalente). Met with different data, we cannot tell which row is right:
// every row of that DNI is reported invalid and the student is left as the registry knows them.
import type { AlumnoDatos, EstadoAlumno, FilaInvalida } from '@lucy/contracts';
import { datosDe, leerFila, type DatosEntrantes, type FilaCruda, type FilaLeida } from './fila.js';
import { estadoPrevalente, leerEstado } from './normalizar.js';

export interface AlumnoDelLote {
  dni: string;
  datos: DatosEntrantes;
  /** Where the student appears: the first row gives the item its position. */
  fila: number;
  fuente: string;
}

export interface LoteConsolidado {
  /** One per DNI, in the order they first appear. */
  alumnos: AlumnoDelLote[];
  /** In source order, each with every reason. */
  invalidas: FilaInvalida[];
}

const COMPARADOS: Exclude<keyof AlumnoDatos, 'cursosFuente'>[] = [
  'nombre',
  'apellido',
  'emailPersonal',
  'emailInstitucional',
  'carrera',
  'periodo',
];

const donde = (f: FilaLeida) => `${f.fuente} fila ${f.fila}`;

export function consolidar(filas: readonly FilaCruda[]): LoteConsolidado {
  const leidas = filas.map(leerFila);
  const porDni = new Map<string, FilaLeida[]>();
  const motivos = new Map<FilaLeida, string[]>(leidas.map((f) => [f, [...f.motivos]]));
  for (const f of leidas) {
    if (!f.dniValido) continue;
    const grupo = porDni.get(f.dni!) ?? [];
    grupo.push(f);
    porDni.set(f.dni!, grupo);
  }

  const alumnos: AlumnoDelLote[] = [];
  for (const [dni, grupo] of porDni) {
    if (grupo.length > 1) {
      const distintos = camposEnConflicto(grupo);
      if (distintos.length > 0) {
        const motivo = `DNI repetido en el lote con datos distintos (${distintos.join(', ')}): ${grupo.map(donde).join(', ')}`;
        for (const f of grupo) motivos.get(f)!.push(motivo);
      } else {
        const invalida = grupo.find((f) => f.motivos.length > 0);
        if (invalida)
          for (const f of grupo)
            if (f.motivos.length === 0)
              motivos.get(f)!.push(`DNI repetido en el lote y la otra fila es inválida: ${donde(invalida)}`);
      }
    }
    if (grupo.some((f) => motivos.get(f)!.length > 0)) continue;
    alumnos.push({ dni, datos: fusionar(grupo), fila: grupo[0]!.fila, fuente: grupo[0]!.fuente });
  }

  const invalidas = leidas
    .filter((f) => motivos.get(f)!.length > 0)
    .map((f) => ({ fila: f.fila, fuente: f.fuente, dni: f.dni, motivos: motivos.get(f)! }));
  return { alumnos, invalidas };
}

/** The fields whose values differ between rows of one DNI (a field a row does not state is no conflict). */
function camposEnConflicto(grupo: FilaLeida[]): string[] {
  const campos = COMPARADOS.filter(
    (c) => new Set(grupo.map((f) => f.valores[c]).filter((v) => v !== undefined)).size > 1,
  );
  // An unknown estado is reported on its own row; only known ones can conflict.
  const estados = grupo.map((f) => leerEstado(f.valores.estado)).filter((e): e is EstadoAlumno => e !== null);
  if (estados.length > 1 && estadoPrevalente(estados) === null) campos.push('estado');
  return campos;
}

function fusionar(grupo: FilaLeida[]): DatosEntrantes {
  const datos = datosDe(grupo[0]!);
  const estado = estadoPrevalente(grupo.map((f) => f.valores.estado as EstadoAlumno))!;
  const primero = (c: 'emailPersonal' | 'emailInstitucional') =>
    grupo.map((f) => f.valores[c]).find((v) => v !== undefined);
  const emailPersonal = primero('emailPersonal');
  const emailInstitucional = primero('emailInstitucional');
  return {
    ...datos,
    estado,
    ...(emailPersonal !== undefined ? { emailPersonal } : {}),
    ...(emailInstitucional !== undefined ? { emailInstitucional } : {}),
  };
}
