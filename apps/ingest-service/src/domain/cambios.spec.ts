import type { AlumnoDatos } from '@lucy/contracts';
import { clasificar, cursosTras } from './cambios.js';
import { clasesTras } from './clases.js';

const conocido: AlumnoDatos = {
  dni: '46655562',
  nombre: 'María José',
  apellido: "D'Angelo",
  emailPersonal: 'mj@yahoo.com.ar',
  emailInstitucional: 'dangelo.mariajose@estudiantes.unrc.edu.ar',
  carrera: 'Licenciatura en Administración',
  estado: 'preinscripto',
  periodo: '2027',
};
const activo = { datos: conocido, deBaja: false };
const deBaja = (datos: AlumnoDatos = { ...conocido, estado: 'baja' }) => ({ datos, deBaja: true });

describe('clasificar', () => {
  it('finds a student the registry does not know new, with no email for an unstated one', () => {
    const { emailInstitucional: _, ...sinInstitucional } = conocido;
    expect(clasificar(undefined, sinInstitucional)).toEqual({
      resultado: 'nuevo',
      datos: { ...conocido, emailInstitucional: null },
    });
  });

  it('leaves an unchanged student alone', () => {
    expect(clasificar(activo, { ...conocido })).toEqual({ resultado: 'sin_cambios', datos: conocido });
  });

  it('names exactly the fields that changed, and gives the data before', () => {
    const r = clasificar(activo, { ...conocido, apellido: "D'Ángelo", estado: 'ingresante', emailPersonal: null });
    expect(r).toMatchObject({
      resultado: 'actualizado',
      cambios: ['apellido', 'emailPersonal', 'estado'],
      anterior: conocido,
      datos: { apellido: "D'Ángelo", estado: 'ingresante', emailPersonal: null },
    });
  });

  it('keeps a known email the source has no column for', () => {
    const { emailPersonal: _p, emailInstitucional: _i, ...sinEmails } = conocido;
    expect(clasificar(activo, { ...sinEmails, carrera: 'Contador Público' })).toEqual({
      resultado: 'actualizado',
      datos: { ...conocido, carrera: 'Contador Público' },
      cambios: ['carrera'],
      anterior: conocido,
    });
  });

  it.each(['baja', 'egresado'] as const)('takes an active student marked %s as leaving, for that reason', (estado) => {
    expect(clasificar(activo, { ...conocido, estado, carrera: 'Contador Público' })).toEqual({
      resultado: 'baja',
      motivo: estado,
      datos: { ...conocido, estado, carrera: 'Contador Público' },
    });
  });

  it('does not onboard a student it never had who is marked leaving', () => {
    expect(clasificar(undefined, { ...conocido, estado: 'egresado' })).toEqual({
      resultado: 'baja_desconocida',
      datos: { ...conocido, estado: 'egresado' },
      motivo: 'egresado',
    });
  });

  it('takes a student who had left and is listed active again as back, with what changed meanwhile', () => {
    expect(clasificar(deBaja(), { ...conocido, estado: 'ingresante', periodo: '2028' })).toEqual({
      resultado: 'retorno',
      datos: { ...conocido, estado: 'ingresante', periodo: '2028' },
      cambios: ['estado', 'periodo'],
    });
    // Absent from SIAL for a while (their estado never said baja) and listed again as they were.
    expect(clasificar(deBaja(conocido), { ...conocido })).toEqual({
      resultado: 'retorno',
      datos: conocido,
      cambios: [],
    });
  });

  it('leaves a student who had left alone while the source still marks them leaving', () => {
    const antes = { ...conocido, estado: 'baja' as const };
    expect(clasificar(deBaja(antes), { ...conocido, estado: 'egresado', nombre: 'María' })).toEqual({
      resultado: 'sin_cambios',
      datos: antes,
    });
  });
});

describe("the source's courses (cursosFuente), derived from its classes", () => {
  const mapa = { 'civ-a': 'DER-CIVIL', CIV: 'DER-CIVIL', 'rom-a': 'DER-ROMANO', 'pen-a': 'DER-PENAL' };
  const civA = { clase: 'civ-a', codigoCurso: null };
  const civB = { clase: 'civ-b', codigoCurso: 'CIV' };
  const romA = { clase: 'rom-a', codigoCurso: null };
  const penA = { clase: 'pen-a', codigoCurso: null };
  const conCursos: AlumnoDatos = { ...conocido, cursosFuente: ['DER-CIVIL', 'DER-ROMANO'] };
  const conocidoConClases = { datos: conCursos, deBaja: false, clases: [civA, civB, romA] };

  it('a whole list of classes replaces the known one; its courses compared as a set', () => {
    expect(clasificar(conocidoConClases, { ...conocido, clasesFuente: [romA, civA, civB] }, mapa)).toEqual({
      resultado: 'sin_cambios',
      datos: conCursos,
      clases: [civA, civB, romA],
    });
    expect(clasificar(conocidoConClases, { ...conocido, clasesFuente: [civA] }, mapa)).toMatchObject({
      resultado: 'actualizado',
      cambios: ['cursosFuente'],
      datos: { cursosFuente: ['DER-CIVIL'] },
      clases: [civA],
    });
  });

  it('a delta removing one of two classes of a course keeps the course; removing the other drops it', () => {
    const r = clasificar(conocidoConClases, { ...conocido, clasesFuente: { agregar: [], quitar: [civA] } }, mapa);
    expect(r).toEqual({ resultado: 'sin_cambios', datos: conCursos, clases: [civB, romA] });
    const despues = clasificar(
      { ...conocidoConClases, clases: r.clases! },
      { ...conocido, clasesFuente: { agregar: [penA], quitar: [civB] } },
      mapa,
    );
    expect(despues).toMatchObject({
      resultado: 'actualizado',
      cambios: ['cursosFuente'],
      datos: { cursosFuente: ['DER-PENAL', 'DER-ROMANO'] },
      clases: [penA, romA],
    });
  });

  it('the map in force derives the courses of the known classes whenever a row states classes', () => {
    const otroMapa = { ...mapa, CIV: 'DER-CIVIL-B' };
    expect(
      clasificar(conocidoConClases, { ...conocido, clasesFuente: { agregar: [], quitar: [] } }, otroMapa),
    ).toMatchObject({ resultado: 'actualizado', datos: { cursosFuente: ['DER-CIVIL', 'DER-CIVIL-B', 'DER-ROMANO'] } });
  });

  it('a row stating none keeps the known classes and courses; a student whose source never stated any has none', () => {
    expect(clasificar(conocidoConClases, { ...conocido }, mapa)).toEqual({
      resultado: 'sin_cambios',
      datos: conCursos,
      clases: [civA, civB, romA],
    });
    expect(clasificar(activo, { ...conocido }).datos).not.toHaveProperty('cursosFuente');
    // None known and an empty list: the same.
    expect(clasificar(activo, { ...conocido, clasesFuente: [] }, mapa).resultado).toBe('sin_cambios');
  });

  it('courses but no classes kept (registered before the registry kept them): a delta changes the courses', () => {
    const antes = { datos: conCursos, deBaja: false };
    const r = clasificar(antes, { ...conocido, clasesFuente: { agregar: [penA], quitar: [romA] } }, mapa);
    expect(r).toMatchObject({ resultado: 'actualizado', datos: { cursosFuente: ['DER-CIVIL', 'DER-PENAL'] } });
    expect(r).not.toHaveProperty('clases');
    // A whole list states their classes from then on.
    expect(clasificar(antes, { ...conocido, clasesFuente: [civA, romA] }, mapa)).toMatchObject({
      resultado: 'sin_cambios',
      clases: [civA, romA],
    });
  });

  it('courses stated as changes add to and remove from the known ones', () => {
    expect(cursosTras(['DER-CIVIL', 'DER-ROMANO'], { agregar: ['DER-PENAL'], quitar: ['DER-ROMANO'] })).toEqual([
      'DER-CIVIL',
      'DER-PENAL',
    ]);
    expect(cursosTras([], { agregar: ['B', 'A'], quitar: [] })).toEqual(['A', 'B']);
    // Added and removed in one go (two classes of one course): it stays.
    expect(cursosTras(['A'], { agregar: ['A'], quitar: ['A'] })).toEqual(['A']);
  });
});

describe('clasesTras', () => {
  it('a delta adds and removes classes by sourcedId; one both added and removed stays', () => {
    const a = { clase: 'a', codigoCurso: null };
    const b = { clase: 'b', codigoCurso: 'B' };
    expect(clasesTras([b, a], { agregar: [], quitar: [a] })).toEqual([b]);
    expect(clasesTras(null, { agregar: [b, a], quitar: [a] })).toEqual([a, b]);
    expect(clasesTras([a], [b])).toEqual([b]);
    // Named again in a delta without its course's code (no courses.csv in it): the known code stays.
    expect(clasesTras([b], { agregar: [{ clase: 'b', codigoCurso: null }], quitar: [] })).toEqual([b]);
  });
});
