import type { AlumnoDatos } from '@lucy/contracts';
import { clasificar, cursosTras } from './cambios.js';

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

describe("the source's courses (cursosFuente)", () => {
  const conCursos: AlumnoDatos = { ...conocido, cursosFuente: ['DER-CIVIL', 'DER-ROMANO'] };
  const conocidoConCursos = { datos: conCursos, deBaja: false };

  it('a whole list replaces the known one; compared as a set, another order is no change', () => {
    expect(clasificar(conocidoConCursos, { ...conocido, cursosFuente: ['DER-ROMANO', 'DER-CIVIL'] }).resultado).toBe(
      'sin_cambios',
    );
    expect(clasificar(conocidoConCursos, { ...conocido, cursosFuente: ['DER-CIVIL'] })).toMatchObject({
      resultado: 'actualizado',
      cambios: ['cursosFuente'],
      datos: { cursosFuente: ['DER-CIVIL'] },
    });
  });

  it('a row stating none keeps the known list; a student whose source never stated any has none', () => {
    const { cursosFuente: _, ...sinCursos } = conCursos;
    expect(clasificar(conocidoConCursos, sinCursos)).toEqual({ resultado: 'sin_cambios', datos: conCursos });
    expect(clasificar(activo, { ...conocido }).datos).not.toHaveProperty('cursosFuente');
    // None known and an empty list: the same.
    expect(clasificar(activo, { ...conocido, cursosFuente: [] }).resultado).toBe('sin_cambios');
  });

  it('changes (a delta) add to and remove from the known list', () => {
    expect(cursosTras(['DER-CIVIL', 'DER-ROMANO'], { agregar: ['DER-PENAL'], quitar: ['DER-ROMANO'] })).toEqual([
      'DER-CIVIL',
      'DER-PENAL',
    ]);
    expect(cursosTras(undefined, { agregar: ['B', 'A'], quitar: [] })).toEqual(['A', 'B']);
    // Added and removed in one go (two classes of one course): it stays.
    expect(cursosTras(['A'], { agregar: ['A'], quitar: ['A'] })).toEqual(['A']);
    expect(cursosTras(['A'], undefined)).toEqual(['A']);
  });
});
