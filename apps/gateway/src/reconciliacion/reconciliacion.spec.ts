import { esperados, type FilaCiclo, type FilaOnboarding } from './esperados.js';
import { planDeReparacion, type ItemReparable } from './plan-reparacion.js';

const A = '11111111-1111-4111-8111-111111111111';
const B = '22222222-2222-4222-8222-222222222222';
const alumno = {
  dni: '40123456',
  nombre: 'Ana',
  apellido: 'Díaz',
  emailPersonal: null,
  emailInstitucional: null,
  carrera: 'Contador Público',
  estado: 'ingresante' as const,
  periodo: '2027',
};
const onb = (over: Partial<FilaOnboarding> = {}): FilaOnboarding => ({
  alumnoId: A,
  estado: 'completado',
  upn: 'a40123456@est.edu',
  alumno,
  ...over,
});
const ciclo = (tipo: string, estado: string): FilaCiclo => ({ alumnoId: A, tipo, estado });
const cuenta = (ciclos: FilaCiclo[], o = onb()) => esperados([o], ciclos).map((e) => e.cuenta);

describe('esperados', () => {
  it('a settled onboarding with nothing running: the account signs in', () => {
    expect(cuenta([])).toEqual(['habilitada']);
    expect(cuenta([], onb({ estado: 'completado_con_avisos' }))).toEqual(['habilitada']);
    expect(cuenta([ciclo('actualizacion', 'completado')])).toEqual(['habilitada']);
  });

  it('an onboarding not settled, or a workflow running: nothing expected yet', () => {
    expect(cuenta([], onb({ estado: 'enrolando_y_notificando' }))).toEqual([]);
    expect(cuenta([], onb({ estado: 'fallido' }))).toEqual([]);
    expect(cuenta([ciclo('actualizacion', 'en_curso')])).toEqual([]);
  });

  it('a leave waiting out its grace: disabled; one that ran to its end deleted the account: nothing expected', () => {
    expect(cuenta([ciclo('baja', 'suspendido')])).toEqual(['deshabilitada']);
    expect(cuenta([ciclo('baja', 'completado')])).toEqual([]);
  });

  it('back after a leave: enabled again; a failed return: nothing expected', () => {
    expect(cuenta([ciclo('baja', 'cancelado'), ciclo('retorno', 'completado')])).toEqual(['habilitada']);
    expect(cuenta([ciclo('baja', 'completado'), ciclo('retorno', 'completado')])).toEqual(['habilitada']);
    expect(cuenta([ciclo('baja', 'completado'), ciclo('retorno', 'fallido')])).toEqual([]);
  });
});

let n = 0;
const item = (over: Partial<ItemReparable>): ItemReparable => ({
  clave: `entra:0:${n++}`,
  sistema: 'entra',
  alumnoId: A,
  tipo: 'cuenta_faltante',
  referencia: 'a40123456@est.edu',
  campos: null,
  curso: null,
  ...over,
});

describe('planDeReparacion', () => {
  it('one reparacion workflow per student, with the steps its kinds call for', () => {
    const { alumnos, sinReparar } = planDeReparacion([
      item({ tipo: 'cuenta_faltante' }),
      item({ tipo: 'inscripcion_faltante', curso: 'ING-MATE' }),
      item({ alumnoId: B, tipo: 'licencia_faltante' }),
      item({ alumnoId: B, tipo: 'datos_distintos', campos: ['surname'] }),
      item({ alumnoId: B, tipo: 'moodle_usuario_faltante' }),
    ]);
    expect(sinReparar).toEqual([]);
    expect(alumnos).toEqual([
      {
        alumnoId: A,
        workflow: 'reparacion',
        pasos: ['habilitar_cuenta', 'inscribir_cursos'],
        reparar: ['cuenta_faltante', 'inscripcion_faltante'],
        cursos: ['ING-MATE'],
        items: [expect.any(String), expect.any(String)],
      },
      {
        alumnoId: B,
        workflow: 'reparacion',
        pasos: ['habilitar_cuenta', 'actualizar_cuenta', 'reactivar_moodle'],
        reparar: ['licencia_faltante', 'datos_distintos', 'moodle_usuario_faltante'],
        cursos: [],
        items: [expect.any(String), expect.any(String), expect.any(String)],
      },
    ]);
  });

  it('orphans and a mail Exchange set are never touched', () => {
    const { alumnos, sinReparar } = planDeReparacion([
      item({ alumnoId: null, tipo: 'huerfano', referencia: 'intruso@est.edu' }),
      item({ tipo: 'datos_distintos', campos: ['mail'] }),
    ]);
    expect(alumnos).toEqual([]);
    expect(sinReparar.map((s) => s.tipo)).toEqual(['huerfano', 'datos_distintos']);
  });

  it('a suspended student enabled in Entra is only disabled again; the rest waits for their return', () => {
    const { alumnos, sinReparar } = planDeReparacion([
      item({ tipo: 'cuenta_habilitada' }),
      item({ tipo: 'licencia_faltante' }),
    ]);
    expect(alumnos.map((a) => a.pasos)).toEqual([['suspender_cuenta']]);
    expect(sinReparar).toEqual([expect.objectContaining({ tipo: 'licencia_faltante' })]);
  });

  it('a student the registry has suspended is never re-enabled by a repair, whatever was found on them', () => {
    const { alumnos, sinReparar } = planDeReparacion(
      [
        item({ tipo: 'licencia_faltante' }),
        item({ sistema: 'moodle', tipo: 'moodle_usuario_faltante' }),
        item({ alumnoId: B, tipo: 'licencia_faltante' }),
      ],
      new Set([A]),
    );
    expect(alumnos).toEqual([expect.objectContaining({ alumnoId: B, pasos: ['habilitar_cuenta'] })]);
    expect(sinReparar).toEqual([
      expect.objectContaining({
        alumnoId: A,
        tipo: 'licencia_faltante',
        motivo: expect.stringContaining('suspendido'),
      }),
      expect.objectContaining({ alumnoId: A, tipo: 'moodle_usuario_faltante' }),
    ]);
  });

  it('each workflow names the items it repairs; items left alone are not among them', () => {
    const { alumnos } = planDeReparacion([
      item({ clave: 'entra:0:0', tipo: 'cuenta_habilitada' }),
      item({ clave: 'entra:0:1', tipo: 'licencia_faltante' }),
      item({ clave: 'moodle:0:0', sistema: 'moodle', tipo: 'cuenta_habilitada' }),
      item({ clave: 'entra:0:2', alumnoId: B, tipo: 'datos_distintos', campos: ['mail'] }),
    ]);
    expect(alumnos).toEqual([expect.objectContaining({ alumnoId: A, items: ['entra:0:0', 'moodle:0:0'] })]);
  });

  it('the Moodle user: suspended by hand is re-activated (its profile with it), its profile alone written again', () => {
    const moodle = (over: Partial<ItemReparable>) => item({ sistema: 'moodle', ...over });
    const { alumnos, sinReparar } = planDeReparacion([
      moodle({ tipo: 'cuenta_deshabilitada' }),
      moodle({ tipo: 'datos_distintos', campos: ['lastname'] }),
      moodle({ alumnoId: B, tipo: 'datos_distintos', campos: ['email'] }),
    ]);
    expect(sinReparar).toEqual([]);
    expect(alumnos.map(({ alumnoId, pasos, reparar }) => ({ alumnoId, pasos, reparar }))).toEqual([
      {
        alumnoId: A,
        pasos: ['reactivar_moodle'],
        reparar: ['moodle:cuenta_deshabilitada', 'moodle:datos_distintos'],
      },
      { alumnoId: B, pasos: ['actualizar_moodle'], reparar: ['moodle:datos_distintos'] },
    ]);
  });

  it('a suspended student active in Moodle gets their Moodle user suspended again, and Entra’s account disabled if enabled', () => {
    const { alumnos } = planDeReparacion([
      item({ sistema: 'moodle', tipo: 'cuenta_habilitada' }),
      item({ alumnoId: B, tipo: 'cuenta_habilitada' }),
      item({ alumnoId: B, sistema: 'moodle', tipo: 'cuenta_habilitada' }),
    ]);
    expect(alumnos.map((a) => a.pasos)).toEqual([['suspender_moodle'], ['suspender_cuenta', 'suspender_moodle']]);
  });

  it('a kind no lifecycle step repairs is left alone, and the report says so', () => {
    const raro = planDeReparacion([item({ sistema: 'moodle', tipo: 'licencia_faltante' })]);
    expect(raro.alumnos).toEqual([]);
    expect(raro.sinReparar).toEqual([
      expect.objectContaining({ tipo: 'licencia_faltante', motivo: expect.stringContaining('ningún paso') }),
    ]);
  });
});
